// Empirical: geodesic/planar ratio in the ellipsoidal gnomonic frame, and
// the bending of geodesic images, against t = rho/R.
use terminus_compare::frame::Frame;
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_geodesy::Ellipsoid;
fn main() {
    let g = Ellipsoid::WGS84.geodesic();
    let mut seed: u64 = 12345;
    let mut rnd = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    for &(lat0, lon0) in &[
        (40.0, 45.0),
        (39.5, 71.0),
        (70.0, 20.0),
        (0.0, 0.0),
        (-60.0, 100.0),
    ] {
        let f = Frame::centred(Ellipsoid::WGS84, lat0, lon0);
        let r = f.radius();
        let mut worst_lo: f64 = 0.0; // max of (1 - ratio*(1+tmax^2))
        let mut worst_hi: f64 = 0.0;
        let mut worst_bend: f64 = 0.0;
        for _ in 0..200000 {
            let rho = 600_000.0 * rnd().sqrt();
            let (plat, plon): (f64, f64) = g.direct(lat0, lon0, 360.0 * rnd(), rho);
            let s = 10f64.powf(rnd() * 4.7); // 1 m .. 50 km
            let (qlat, qlon): (f64, f64) = g.direct(plat, plon, 360.0 * rnd(), s);
            let (pp, qq) = (f.xy((plat, plon)).unwrap(), f.xy((qlat, qlon)).unwrap());
            let d = (pp[0] - qq[0]).hypot(pp[1] - qq[1]);
            let tp = pp[0].hypot(pp[1]) / r;
            let tq = qq[0].hypot(qq[1]) / r;
            let tm = tp.max(tq);
            let tn = tp.min(tq);
            let lo = s / d * (1.0 + tm * tm);
            let hi = s / d * (1.0 + tn * tn).sqrt();
            worst_lo = worst_lo.max(1.0 - lo);
            worst_hi = worst_hi.max(hi - 1.0);
            // bending: midpoint of geodesic vs chord
            let (mlat, mlon): (f64, f64) = g.direct(
                plat,
                plon,
                {
                    let (_, az, _, _): (f64, f64, f64, f64) = g.inverse(plat, plon, qlat, qlon);
                    az
                },
                s / 2.0,
            );
            let m = f.xy((mlat, mlon)).unwrap();
            let cross = ((qq[0] - pp[0]) * (m[1] - pp[1]) - (qq[1] - pp[1]) * (m[0] - pp[0])) / d;
            worst_bend = worst_bend.max(cross.abs() / s);
        }
        println!("{lat0},{lon0}: lower-bound violation {worst_lo:.3e}, upper {worst_hi:.3e}, bend/s {worst_bend:.3e}");
    }
}
