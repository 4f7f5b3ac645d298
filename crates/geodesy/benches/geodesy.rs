//! In-library throughput: the geodesic inverse problem through Terminus'
//! measure layer against `geographiclib-rs` called directly; edge terms
//! (length and S12) of a line densified every metre, closed-form short-edge
//! solution against the iterated one; transverse
//! Mercator forward and inverse, and a Pulkovo 1942 → WGS 84 Helmert step.
//! Run: cargo bench -p terminus-geodesy

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::measure::{path_length_with, EdgeTerm, InverseGeodesic};
use terminus_geodesy::projection::TransverseMercator;
use terminus_geodesy::{Crs, EastNorth, Ellipsoid, LatLon, Xy};

fn points(n: usize) -> Vec<(f64, f64)> {
    // A deterministic spread over the Caucasus and Central Asia.
    let mut s: u64 = 42;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let a = (s >> 11) as f64 / (1u64 << 53) as f64;
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let b = (s >> 11) as f64 / (1u64 << 53) as f64;
            (36.0 + 10.0 * a, 42.0 + 6.0 * b)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let pts = points(10_000);
    let g = Ellipsoid::WGS84.geodesic();
    let mut group = c.benchmark_group("geodesy");
    group.throughput(Throughput::Elements(pts.len() as u64 - 1));
    group.bench_function("inverse/geographiclib-rs", |b| {
        b.iter(|| {
            let mut t = 0.0;
            for w in pts.windows(2) {
                let s: f64 = g.inverse(w[0].0, w[0].1, w[1].0, w[1].1);
                t += s;
            }
            black_box(t)
        })
    });
    group.bench_function("inverse/terminus path_length", |b| {
        b.iter(|| {
            black_box(path_length_with(
                &g,
                pts.iter()
                    .map(|&(lat, lon)| terminus_geodesy::LatLon::new(lat, lon)),
            ))
        })
    });
    // A 10 km line densified every metre: the edge terms of its 10,000
    // edges, as `compare` needs them.
    let dense: Vec<(f64, f64)> = {
        use terminus_geodesy::measure::DirectGeodesic;
        (0..=10_000)
            .map(|k| {
                let p: (f64, f64) = g.direct(40.9, 45.1, 63.0, k as f64);
                p
            })
            .collect()
    };
    group.throughput(Throughput::Elements(dense.len() as u64 - 1));
    group.bench_function("edge terms 1 m/terminus EdgeTerm", |b| {
        b.iter(|| {
            let mut t = 0.0;
            for w in dense.windows(2) {
                t += EdgeTerm::new(&g, LatLon::from_pair(w[0]), LatLon::from_pair(w[1])).area;
            }
            black_box(t)
        })
    });
    group.bench_function("edge terms 1 m/geographiclib-rs iterated", |b| {
        let mask = geographiclib_rs::geodesic_capability::DISTANCE
            | geographiclib_rs::geodesic_capability::AREA;
        b.iter(|| {
            let mut t = 0.0;
            for w in dense.windows(2) {
                t += g._gen_inverse(w[0].0, w[0].1, w[1].0, w[1].1, mask).9;
            }
            black_box(t)
        })
    });
    group.throughput(Throughput::Elements(pts.len() as u64));
    let tm = TransverseMercator::new(Ellipsoid::WGS84, 45.0, 0.9996, 500_000.0, 0.0);
    group.bench_function("tm/forward", |b| {
        b.iter(|| {
            let mut t = 0.0;
            for &(lat, lon) in &pts {
                let p = tm.forward(LatLon::new(lat, lon));
                t += p.easting + p.northing;
            }
            black_box(t)
        })
    });
    let grid: Vec<EastNorth> = pts
        .iter()
        .map(|&(lat, lon)| tm.forward(LatLon::new(lat, lon)))
        .collect();
    group.bench_function("tm/inverse", |b| {
        b.iter(|| {
            let mut t = 0.0;
            for &e in &grid {
                let p = tm.inverse(e);
                t += p.lat + p.lon;
            }
            black_box(t)
        })
    });
    let helmert = CrsTransform::new(&Crs::Epsg(4284), &Crs::WGS84, Some(15865), None).unwrap();
    group.bench_function("helmert/15865", |b| {
        b.iter(|| {
            let mut t = 0.0;
            for &(lat, lon) in &pts {
                let p = helmert
                    .apply(Xy::from_latlon(LatLon::new(lat, lon)))
                    .unwrap();
                t += p.x + p.y;
            }
            black_box(t)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
