//! Priority-Flood fill against RichDEM (richdem-fork 3.0.0,
//! FillDepressions without epsilon) on both GEBCO crops, cell for cell;
//! fixtures and the command that made them: tools/reference/richdem_fill.py.
//! And the properties: the fill never lowers, leaves no pit, and with
//! epsilon every cell drains.

use std::io::Read;
use std::path::PathBuf;
use terminus_terrain::{fill, read, NodataAs};
use terminus_testdata::shared_data as shared;

const CROPS: [&str; 2] = [
    "gebco2023_fergana_KG_TJ_UZ_enclaves_15s",
    "gebco2023_alay_pamir_KG_TJ_15s",
];

fn richdem(crop: &str) -> Vec<f32> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../tests/fixtures/terrain/{crop}.richdem_fill.i16.gz"
    ));
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(p).unwrap())
        .read_to_end(&mut raw)
        .unwrap();
    raw.chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32)
        .collect()
}

#[test]
fn plain_fill_agrees_with_richdem_cell_for_cell() {
    for crop in CROPS {
        let Some(p) = shared(&format!("dem/{crop}.tif")) else {
            return;
        };
        let original = read(&p, None).unwrap();
        let mut d = original.clone();
        let raised = fill(&mut d, NodataAs::Outlet, false);
        let reference = richdem(crop);
        let differ = d
            .data
            .iter()
            .zip(&reference)
            .filter(|(a, b)| a != b)
            .count();
        eprintln!("{crop}: {raised} cells raised, {differ} differ from RichDEM");
        assert_eq!(differ, 0);
        assert!(raised > 1000);
        // Never lower; no pit left: every interior cell has a neighbour no higher.
        assert!(d.data.iter().zip(&original.data).all(|(f, o)| f >= o));
        for r in 1..d.height - 1 {
            for c in 1..d.width - 1 {
                let z = d.get(c, r);
                let lowest = [
                    (1, 0),
                    (1, 1),
                    (0, 1),
                    (-1, 1),
                    (-1, 0),
                    (-1, -1),
                    (0, -1),
                    (1, -1),
                ]
                .iter()
                .map(|&(dc, dr): &(isize, isize)| {
                    d.get((c as isize + dc) as usize, (r as isize + dr) as usize)
                })
                .fold(f32::INFINITY, f32::min);
                assert!(lowest <= z, "pit at {c},{r}");
            }
        }
    }
}

/// With epsilon, every valid cell has a strictly lower neighbour or is an
/// outlet (on the edge): a path downhill to the edge from everywhere.
#[test]
fn epsilon_fill_drains_everywhere() {
    let Some(p) = shared(&format!("dem/{}.tif", CROPS[1])) else {
        return;
    };
    let mut d = read(&p, None).unwrap();
    fill(&mut d, NodataAs::Outlet, true);
    let plain = {
        let mut e = read(&p, None).unwrap();
        fill(&mut e, NodataAs::Outlet, false);
        e
    };
    for r in 1..d.height - 1 {
        for c in 1..d.width - 1 {
            let z = d.get(c, r);
            let lower = [
                (1, 0),
                (1, 1),
                (0, 1),
                (-1, 1),
                (-1, 0),
                (-1, -1),
                (0, -1),
                (1, -1),
            ]
            .iter()
            .any(|&(dc, dr): &(isize, isize)| {
                d.get((c as isize + dc) as usize, (r as isize + dr) as usize) < z
            });
            assert!(lower, "no way down from {c},{r}");
            // Epsilon raises by ulps only: within 1 mm of the plain fill here.
            assert!(
                (z - plain.get(c, r)).abs() < 1e-3 * 40.0,
                "{c},{r}: {z} vs {}",
                plain.get(c, r)
            );
        }
    }
}

/// Voids: as outlets they drain their neighbours; as barriers they do not.
#[test]
fn nodata_as_outlet_or_barrier() {
    let georef = terminus_terrain::Georef {
        x0: 0.0,
        y0: 5.0,
        dx: 1.0,
        dy: 1.0,
        crs: terminus_geodesy::Crs::WGS84,
        pixel_is_point: false,
    };
    let mut d = terminus_terrain::Dem::empty(5, 5, georef, terminus_terrain::SampleType::F32, None);
    // A bowl of 10 with a pit of 1 at the centre next to a void.
    for v in d.data.iter_mut() {
        *v = 10.0;
    }
    d.data[12] = 1.0; // (2, 2)
    d.data[7] = f32::NAN; // (2, 1)
    let mut outlet = d.clone();
    fill(&mut outlet, NodataAs::Outlet, false);
    assert_eq!(outlet.data[12], 1.0, "next to a void: drains through it");
    let mut barrier = d.clone();
    fill(&mut barrier, NodataAs::Barrier, false);
    assert_eq!(barrier.data[12], 10.0, "walled in: filled to the rim");
    assert!(barrier.data[7].is_nan());
}
