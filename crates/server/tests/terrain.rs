//! The commission's DEMs over HTTP: `/api/dems` says what is served,
//! `/api/relief` tiles are the DEM's own hillshade pixel for pixel, and
//! `/api/profile` is `terminus los`'s line of sight — the one the pillar
//! plan decided each pillar's `visible_next` with; `/api/terrain` tiles
//! carry contours at their levels on the DEM and its streams.

#[path = "common/alay.rs"]
mod alay;
#[path = "common/mvt.rs"]
mod mvt;

use axum::body::Body;
use http_body_util::BodyExt;
use serde_json::Value;
use terminus_app::terrain::relief;
use terminus_demarcation::sampler::DemSampler;
use tower::ServiceExt;

async fn get(a: &alay::Alay, member: Option<&str>, uri: &str) -> (u16, Vec<u8>) {
    let mut req = axum::http::Request::builder()
        .uri(uri)
        .header("host", "test.invalid");
    if let Some(m) = member {
        let key = &a.keys.iter().find(|k| k.0 == m).unwrap().1;
        let t = terminus_ledger::token::issue(key, "KG-TJ", m, now() + 3600);
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let app = terminus_server::router(a.service.clone());
    let res = app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status().as_u16();
    (
        status,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn json(b: &[u8]) -> Value {
    serde_json::from_slice(b).unwrap()
}

/// The catalogue's rows by number, as the CLI wrote them.
fn catalogue(a: &alay::Alay) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(&a.catalogue_csv).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            head.iter()
                .zip(l.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn dems_relief_and_profiles_are_the_application_layers() {
    let a = alay::alay();
    // What is served.
    let (s, b) = get(&a, Some("kgz-head"), "/api/dems").await;
    assert_eq!(s, 200);
    let dems = json(&b);
    let d = &dems["dems"][0];
    assert_eq!(d["name"], "gebco2023_alay_pamir_KG_TJ_15s");
    let sha = terminus_app::input::hash_file(&a.dem).unwrap().sha256;
    assert_eq!(d["sha256"], sha);
    assert_eq!(d["crs"], "EPSG:4326");
    let bounds: Vec<f64> = serde_json::from_value(d["bounds"].clone()).unwrap();
    for p in alay::LINE {
        assert!(bounds[0] < p.0 && p.0 < bounds[2] && bounds[1] < p.1 && p.1 < bounds[3]);
    }
    // The excerpt is small enough for contours at every zoom (a tile's
    // window is clamped to the DEM), and says so.
    let size: [usize; 2] = serde_json::from_value(d["size"].clone()).unwrap();
    assert!(size[0] * size[1] <= relief::CONTOUR_MAX_CELLS);
    assert_eq!(d["contours_from_zoom"], 0);
    assert_eq!(d["contour_max_cells"], relief::CONTOUR_MAX_CELLS);
    // Anonymous callers get nothing of the DEMs.
    assert_eq!(get(&a, None, "/api/dems").await.0, 401);
    assert_eq!(
        get(
            &a,
            None,
            "/api/relief/gebco2023_alay_pamir_KG_TJ_15s/12/2886/1565.png"
        )
        .await
        .0,
        401
    );

    // A relief tile over KT-001: each pixel is the DEM's hillshade at the
    // pixel's centre (grey = 255 × shade, alpha 150), transparent off it.
    let (lon, lat) = alay::LINE[0];
    let z = 12u32;
    let n = f64::from(1u32 << z);
    let fx = (lon + 180.0) / 360.0 * n;
    let fy = (1.0
        - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI)
        / 2.0
        * n;
    let (x, y) = (fx.floor() as u32, fy.floor() as u32);
    let (s, png) = get(
        &a,
        Some("tjk-head"),
        &format!("/api/relief/gebco2023_alay_pamir_KG_TJ_15s/{z}/{x}/{y}.png"),
    )
    .await;
    assert_eq!(s, 200);
    let pm = tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert_eq!((pm.width(), pm.height()), (256, 256));
    let dem = terminus_app::terrain::load_dem(&a.dem, None).unwrap();
    let sampler = DemSampler::new(&dem).unwrap();
    let mut checked = 0;
    for (c, r) in [
        (0u32, 0u32),
        (128, 128),
        (255, 255),
        (17, 200),
        (
            ((fx - f64::from(x)) * 256.0) as u32,
            ((fy - f64::from(y)) * 256.0) as u32,
        ),
    ] {
        let plon = (f64::from(x) + (f64::from(c) + 0.5) / 256.0) / n * 360.0 - 180.0;
        let my = f64::from(y) + (f64::from(r) + 0.5) / 256.0;
        let plat = (std::f64::consts::PI * (1.0 - 2.0 * my / n))
            .sinh()
            .atan()
            .to_degrees();
        let px = pm.pixel(c, r).unwrap().demultiply();
        match sampler.hillshade_smooth(plat, plon) {
            Some(v) => {
                let g = (v.clamp(0.0, 1.0) * 255.0).round() as i32;
                assert_eq!(px.alpha(), 150, "({c}, {r})");
                // (Premultiplied storage rounds: within 1.)
                assert!(
                    (i32::from(px.red()) - g).abs() <= 1,
                    "({c}, {r}): {} vs {g}",
                    px.red()
                );
                checked += 1;
            }
            None => assert_eq!(px.alpha(), 0),
        }
    }
    assert_eq!(checked, 5);
    // A tile far from the DEM: transparent.
    let (s, png) = get(
        &a,
        Some("tjk-head"),
        "/api/relief/gebco2023_alay_pamir_KG_TJ_15s/12/0/0.png",
    )
    .await;
    assert_eq!(s, 200);
    let pm = tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert!(pm.pixels().iter().all(|p| p.alpha() == 0));
    // Tiles that do not exist, a DEM not served: refused with the reason.
    for (uri, status) in [
        (
            "/api/relief/gebco2023_alay_pamir_KG_TJ_15s/12/4096/0.png",
            400,
        ),
        ("/api/relief/gebco2023_alay_pamir_KG_TJ_15s/23/0/0.png", 400),
        ("/api/relief/gebco2023_alay_pamir_KG_TJ_15s/x/0/0.png", 400),
        ("/api/relief/gebco2023_alay_pamir_KG_TJ_15s/1/0/0.jpg", 404),
        ("/api/relief/srtm/1/0/0.png", 404),
    ] {
        let (s, b) = get(&a, Some("tjk-head"), uri).await;
        assert_eq!(s, status, "{uri}");
        assert!(json(&b)["reason"].as_str().unwrap().len() > 10, "{uri}");
    }

    // Profiles: each pillar to the next, as the plan decided visible_next.
    let rows = catalogue(&a);
    assert!(rows.len() >= 20, "{} pillars", rows.len());
    let mut compared = 0;
    for w in rows.windows(2).step_by(5) {
        let (from, to) = (&w[0], &w[1]);
        let uri = format!(
            "/api/profile?from={},{}&to={},{}",
            from["lat"], from["lon"], to["lat"], to["lon"]
        );
        let (s, b) = get(&a, Some("kgz-head"), &uri).await;
        assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));
        let p = json(&b);
        assert_eq!(
            p["summary"]["visible"].to_string(),
            from["visible_next"],
            "{}",
            from["number"]
        );
        let d = p["summary"]["distance_m"].as_f64().unwrap();
        let listed: f64 = from["distance_next_m"].parse().unwrap();
        assert!(
            (d - listed).abs() < 0.006,
            "{}: {d} vs {listed}",
            from["number"]
        );
        assert_eq!(p["heights_m"], serde_json::json!([1.5, 1.5]));
        assert_eq!(p["dem_sha256"], serde_json::json!(sha));
        // The application layer's own sight line, sample for sample.
        let direct = terminus_app::sight::sight(
            &dem,
            (from["lat"].parse().unwrap(), from["lon"].parse().unwrap()),
            (to["lat"].parse().unwrap(), to["lon"].parse().unwrap()),
            &terminus_demarcation::los::SightSettings {
                height_from: 1.5,
                height_to: 1.5,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            p["summary"]["samples"],
            serde_json::json!(direct.profile.len())
        );
        assert_eq!(p["summary"]["visible"], serde_json::json!(direct.visible));
        compared += 1;
    }
    assert!(compared >= 4);
    // Off the DEM, and a bad request: refused with the reason.
    let (s, b) = get(
        &a,
        Some("kgz-head"),
        "/api/profile?from=39.45,73.63&to=41.0,45.0",
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        json(&b)["reason"].as_str().unwrap().contains("DEM"),
        "{}",
        String::from_utf8_lossy(&b)
    );
    for uri in [
        "/api/profile?from=39.45&to=39.46,73.6",
        "/api/profile?to=39.46,73.6",
        "/api/profile?from=39.45,73.63&to=39.46,73.6&height_from=-3",
        "/api/profile?from=39.45,73.63&to=39.46,73.6&dem=srtm",
    ] {
        let (s, b) = get(&a, Some("kgz-head"), uri).await;
        assert!(s == 400 || s == 404, "{uri}: {s}");
        assert!(!json(&b)["reason"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        get(&a, None, "/api/profile?from=39.45,73.63&to=39.46,73.6")
            .await
            .0,
        401
    );
}

/// (lon, lat) of a point `u` units into tile z/x/y (4096 a side).
fn unproject(z: u32, x: u32, y: u32, u: [i64; 2]) -> (f64, f64) {
    let n = f64::from(1u32 << z);
    let lon = (f64::from(x) + u[0] as f64 / 4096.0) / n * 360.0 - 180.0;
    let my = f64::from(y) + u[1] as f64 / 4096.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * my / n))
        .sinh()
        .atan()
        .to_degrees();
    (lon, lat)
}

#[tokio::test]
async fn the_base_maps_contours_lie_at_their_levels_and_its_streams_on_the_grid() {
    let a = alay::alay();
    let dem = terminus_app::terrain::load_dem(&a.dem, None).unwrap();
    let sampler = DemSampler::new(&dem).unwrap();
    // Zoom 11 over KT-001: 100 m contours (GEBCO's 15″ cells are some
    // 460 m: the zoom's interval, not the DEM's floor, decides).
    let (lon, lat) = alay::LINE[0];
    let z = 11u32;
    let p = terminus_cartography::tiles::mercator(lon, lat);
    let n = f64::from(1u32 << z);
    let (x, y) = ((p[0] * n) as u32, (p[1] * n) as u32);
    let (s, b) = get(
        &a,
        Some("kgz-head"),
        &format!("/api/terrain/gebco2023_alay_pamir_KG_TJ_15s/{z}/{x}/{y}.mvt"),
    )
    .await;
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));
    let layers = mvt::decode(&b);
    let contours = layers
        .iter()
        .find(|l| l.name == "contours")
        .expect("contours");
    let streams = layers
        .iter()
        .find(|l| l.name == "streams")
        .expect("streams");
    assert_eq!(contours.extent, 4096);
    assert!(
        contours.features.len() >= 5,
        "{} levels",
        contours.features.len()
    );
    // Every vertex inside the tile: the DEM there (bilinear between cell
    // centres, which along the grid edge a contour vertex lies on is the
    // edge's linear interpolation) equals the level, within what the
    // tile's grid of 3.7 m units moves a vertex on slopes of GEBCO's.
    let (mut worst, mut vertices) = (0.0f64, 0);
    for f in &contours.features {
        let level = f.properties["elevation_m"].as_f64().unwrap();
        assert_eq!(f.properties["interval_m"], 100);
        assert_eq!(level % 100.0, 0.0);
        assert_eq!(f.properties["index"], level % 500.0 == 0.0, "{level}");
        for run in &f.runs {
            for &u in run
                .iter()
                .filter(|u| (0..=4096).contains(&u[0]) && (0..=4096).contains(&u[1]))
            {
                let (plon, plat) = unproject(z, x, y, u);
                let h = sampler.height(plat, plon).unwrap();
                worst = worst.max((h - level).abs());
                vertices += 1;
            }
        }
    }
    assert!(vertices > 200, "{vertices} vertices");
    assert!(worst < 8.0, "a contour vertex {worst} m off its level");
    eprintln!("{vertices} contour vertices, at most {worst:.2} m off their levels");
    // Streams: Strahler orders from 1, every vertex a DEM cell's centre
    // (D8 runs centre to centre) to within a tile unit.
    let mut orders: Vec<i64> = streams
        .features
        .iter()
        .map(|f| f.properties["order"].as_i64().unwrap())
        .collect();
    orders.sort();
    assert_eq!(orders.first(), Some(&1));
    // (One feature per order, its id the order.)
    assert!(streams
        .features
        .iter()
        .all(|f| f.id as i64 == f.properties["order"].as_i64().unwrap()));
    orders.dedup();
    assert_eq!(orders.len(), streams.features.len());
    let g = &dem.georef;
    let unit_deg = 360.0 / n / 4096.0;
    let mut on_centres = 0;
    for f in &streams.features {
        for run in &f.runs {
            for &u in run
                .iter()
                .filter(|u| (0..=4096).contains(&u[0]) && (0..=4096).contains(&u[1]))
            {
                let (plon, plat) = unproject(z, x, y, u);
                let c = ((plon - g.x0) / g.dx - 0.5).round();
                let r = ((g.y0 - plat) / g.dy - 0.5).round();
                let (cx, cy) = g.center(c as usize, r as usize);
                assert!(
                    (cx - plon).abs() <= unit_deg && (cy - plat).abs() <= 1.5 * unit_deg,
                    "({plon}, {plat})"
                );
                on_centres += 1;
            }
        }
    }
    assert!(on_centres > 20, "{on_centres} stream vertices");
    // Once traced, /api/dems says how: the threshold and what was done
    // with the DEM's voids.
    let (_, b) = get(&a, Some("kgz-head"), "/api/dems").await;
    let facts = &json(&b)["dems"][0]["drainage"];
    assert_eq!(facts["min_area_km2"], 20.0, "{facts}");
    assert!(facts["threshold_cells"].as_u64().unwrap() > 50, "{facts}");
    assert!(
        facts["segments"].as_u64().unwrap() >= orders.len() as u64,
        "{facts}"
    );
    assert!(facts["voids"].as_str().unwrap().len() > 5, "{facts}");
    // Off the DEM: an empty tile. Anonymous callers, bad paths: refused.
    let (s, b) = get(
        &a,
        Some("kgz-head"),
        "/api/terrain/gebco2023_alay_pamir_KG_TJ_15s/11/0/0.mvt",
    )
    .await;
    assert_eq!((s, b.len()), (200, 0));
    assert_eq!(
        get(
            &a,
            None,
            &format!("/api/terrain/gebco2023_alay_pamir_KG_TJ_15s/{z}/{x}/{y}.mvt")
        )
        .await
        .0,
        401
    );
    for (uri, status) in [
        (
            "/api/terrain/gebco2023_alay_pamir_KG_TJ_15s/11/2048/0.mvt",
            400,
        ),
        (
            "/api/terrain/gebco2023_alay_pamir_KG_TJ_15s/11/0/0.png",
            404,
        ),
        ("/api/terrain/srtm/11/0/0.mvt", 404),
    ] {
        let (s, b) = get(&a, Some("kgz-head"), uri).await;
        assert_eq!(s, status, "{uri}");
        assert!(json(&b)["reason"].as_str().unwrap().len() > 10, "{uri}");
    }
}

#[tokio::test]
async fn the_base_maps_countries_and_places_are_named_by_language() {
    let a = alay::alay();
    let (s, b) = get(&a, Some("tjk-head"), "/api/basemap").await;
    assert_eq!(s, 200);
    let sources = json(&b)["sources"].as_array().unwrap().clone();
    // The bundled Natural Earth polygons and the places file, each hashed.
    let layers: Vec<&str> = sources
        .iter()
        .map(|s| s["layer"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["countries", "countries", "places"]);
    assert!(sources
        .iter()
        .all(|s| s["file"]["sha256"].as_str().unwrap().len() == 64));
    assert_eq!(sources[2]["features"], 5);
    let (s, b) = get(&a, Some("tjk-head"), "/api/basemap/places").await;
    assert_eq!(s, 200);
    let places = json(&b);
    let tash = places["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "Sary-Tash")
        .unwrap();
    assert_eq!(tash["properties"]["name_ru"], "Сары-Таш");
    assert_eq!(tash["properties"]["population"], 1500.0);
    assert_eq!(
        tash["geometry"]["coordinates"],
        serde_json::json!([73.25, 39.73])
    );
    // Armenia's outline in the zoom-5 tile of 45°E 40°N, named; nothing
    // at the other side of the world.
    let p = terminus_cartography::tiles::mercator(45.0, 40.0);
    let (s, b) = get(
        &a,
        Some("tjk-head"),
        &format!(
            "/api/basemap/countries/5/{}/{}.mvt",
            (p[0] * 32.0) as u32,
            (p[1] * 32.0) as u32
        ),
    )
    .await;
    assert_eq!(s, 200);
    let layers = mvt::decode(&b);
    let names: Vec<&str> = layers[0]
        .features
        .iter()
        .map(|f| f.properties["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Armenia") && names.contains(&"Azerbaijan"),
        "{names:?}"
    );
    assert!(
        get(&a, Some("tjk-head"), "/api/basemap/countries/5/0/0.mvt")
            .await
            .1
            .is_empty()
    );
    // Anonymous callers get none of it; bad tiles are refused.
    for uri in [
        "/api/basemap",
        "/api/basemap/places",
        "/api/basemap/countries/5/0/0.mvt",
    ] {
        assert_eq!(get(&a, None, uri).await.0, 401, "{uri}");
    }
    assert_eq!(
        get(&a, Some("tjk-head"), "/api/basemap/countries/5/32/0.mvt")
            .await
            .0,
        400
    );
    assert_eq!(
        get(&a, Some("tjk-head"), "/api/basemap/countries/5/0/0.png")
            .await
            .0,
        404
    );
}

async fn post(a: &alay::Alay, member: Option<&str>, uri: &str, body: Value) -> (u16, Value) {
    let mut req = axum::http::Request::builder()
        .method("POST")
        .uri(uri)
        .header("host", "test.invalid")
        .header("content-type", "application/json");
    if let Some(m) = member {
        let key = &a.keys.iter().find(|k| k.0 == m).unwrap().1;
        let t = terminus_ledger::token::issue(key, "KG-TJ", m, now() + 3600);
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let app = terminus_server::router(a.service.clone());
    let res = app
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let b = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

/// A draft follows the water-parting: the crest of the served DEM in a
/// corridor around a rough line, as `terminus terrain divide --along`
/// traces it, every vertex inside the corridor.
#[tokio::test(flavor = "multi_thread")]
async fn the_water_parting_along_a_rough_line_stays_in_its_corridor() {
    let a = alay::alay();
    let rough: Vec<[f64; 2]> = alay::LINE.iter().map(|p| [p.0, p.1]).collect();
    let corridor = 3000.0;
    let (s, w) = post(
        &a,
        Some("tjk-head"),
        "/api/workflows/water-parting",
        serde_json::json!({"line": {"name": "rough", "geojson": {"type": "LineString", "coordinates": rough}}, "corridor_m": corridor}),
    )
    .await;
    assert_eq!(s, 200, "{w}");
    let sha = terminus_app::input::hash_file(&a.dem).unwrap().sha256;
    assert_eq!(w["dem"]["sha256"], serde_json::json!(sha));
    let length = w["summary"]["length_m"].as_f64().unwrap();
    assert!(length > 5000.0, "{}", w["summary"]);
    // Every vertex of the divide within the corridor of the rough line
    // (plus half a cell's diagonal, ~330 m: the crest is traced on cells).
    let g = terminus_geodesy::geodesic::Gnomonic::new(terminus_geodesy::Ellipsoid::WGS84);
    let ll = |p: (f64, f64)| terminus_geodesy::LatLon::new(p.1, p.0);
    let mut vertices = 0;
    let mut farthest = 0.0f64;
    for f in w["divide"]["features"].as_array().unwrap() {
        let geom = &f["geometry"];
        let lines: Vec<Value> = match geom["type"].as_str() {
            Some("LineString") => vec![geom["coordinates"].clone()],
            Some("MultiLineString") => geom["coordinates"].as_array().unwrap().clone(),
            _ => continue,
        };
        for line in lines {
            for p in line.as_array().unwrap() {
                let q = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                let d = alay::LINE
                    .windows(2)
                    .map(|s| {
                        terminus_geodesy::geodesic::nearest_on_segment(
                            &g,
                            ll(s[0]),
                            ll(s[1]),
                            ll(q),
                        )
                        .unwrap()
                        .distance
                    })
                    .fold(f64::INFINITY, f64::min);
                farthest = farthest.max(d);
                vertices += 1;
            }
        }
    }
    assert!(vertices > 10, "{vertices}");
    assert!(
        farthest <= corridor + 330.0,
        "a divide vertex {farthest:.0} m from the line"
    );
    eprintln!(
        "water-parting: {length:.0} m, {vertices} vertices, at most {farthest:.0} m from the rough line; warnings {}",
        w["summary"]["warnings"]
    );
    // The provenance names the DEM by its hash and the request's line.
    assert!(w["provenance"].to_string().contains(&sha));
    // Refused: no corridor, a DEM not served, bad voids; anonymous callers.
    for (body, status) in [
        (
            serde_json::json!({"line": {"name": "r", "geojson": {"type": "LineString", "coordinates": rough}}, "corridor_m": 0}),
            400,
        ),
        (
            serde_json::json!({"line": {"name": "r", "geojson": {"type": "LineString", "coordinates": rough}}, "dem": "srtm"}),
            404,
        ),
        (
            serde_json::json!({"line": {"name": "r", "geojson": {"type": "LineString", "coordinates": rough}}, "voids": "ignore"}),
            400,
        ),
        (
            serde_json::json!({"line": {"name": "r", "geojson": {"type": "LineString", "coordinates": [[10.0, 10.0], [10.1, 10.1]]}}}),
            422,
        ),
    ] {
        let (s, w) = post(
            &a,
            Some("tjk-head"),
            "/api/workflows/water-parting",
            body.clone(),
        )
        .await;
        assert_eq!(s, status, "{body}: {w}");
        assert!(w["reason"].as_str().unwrap().len() > 10, "{w}");
    }
    let (s, _) = post(
        &a,
        None,
        "/api/workflows/water-parting",
        serde_json::json!({}),
    )
    .await;
    assert_eq!(s, 401);
}

/// A comparison in the service names the base map's places inside each
/// discrepancy, as `terminus compare --places` does; asked not to, it
/// names none.
#[tokio::test(flavor = "multi_thread")]
async fn a_comparison_names_the_places_of_the_base_map_inside_its_discrepancies() {
    let a = alay::alay();
    // Two lines that part around Kashka-Suu (73.45°E 39.58°N).
    let line = |c: serde_json::Value| serde_json::json!({"type": "LineString", "coordinates": c});
    let lines = serde_json::json!([
        {"name": "west", "geojson": line(serde_json::json!([[73.35, 39.50], [73.35, 39.66]]))},
        {"name": "east", "geojson": line(serde_json::json!([[73.35, 39.50], [73.55, 39.58], [73.35, 39.66]]))},
    ]);
    let (s, w) = post(
        &a,
        Some("kgz-head"),
        "/api/workflows/compare",
        serde_json::json!({"lines": lines}),
    )
    .await;
    assert_eq!(s, 200, "{w}");
    let places: Vec<String> = w["layers"]["affected_places"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(places, ["Kashka-Suu"], "{}", w["layers"]["affected_places"]);
    assert!(w["summary"].to_string().contains("Kashka-Suu"));
    let (s, w) = post(
        &a,
        Some("kgz-head"),
        "/api/workflows/compare",
        serde_json::json!({"lines": lines, "places": false}),
    )
    .await;
    assert_eq!(s, 200, "{w}");
    assert!(!w.to_string().contains("Kashka-Suu"));
}
