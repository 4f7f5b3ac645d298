//! `terminus serve`: the commission's record over HTTP — a JSON API and
//! OGC API – Features for QGIS and GDAL.

use crate::failure::Failure;
use std::path::PathBuf;

/// Arguments of `terminus serve`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Serves one commission's record from its store: an SQLite file (as written
by `terminus sign` or `ledger import`), or a PostgreSQL database with
PostGIS for a commission whose users outgrow one machine (several services
may share it). The record must be founded first.

Members authenticate with a token they make with their own key:
  terminus keys token --key arm-head.key --commission AM-AZ
and send as \"Authorization: Bearer TOKEN\". The service holds no secret.
Who may read what is decided by role and party: a party's drafts are its
own until it signs them into the record; observers read agreed sections.

Layers for QGIS (Layer > Add WFS / OGC API – Features) or GDAL:
  GDAL_HTTP_HEADERS=\"Authorization: Bearer TOKEN\" ogrinfo OAPIF:http://127.0.0.1:8080/
The API is described at /openapi.json.

Every append is checked (signature, chain, the record's rules) and kept
durably (SQLite WAL, synchronous FULL) before the service answers 201.

A browser opening the address gets the commission's workspace (a map of
the sections, proposals, the agreed line and pillars, the record, drafts,
comparisons) on a base map drawn by the service itself — no tile server,
nothing fetched from the internet: with --dem, relief, contours, streams
and the pillars' profiles; country outlines and places from --countries
and --places.

Examples:
  terminus serve --store am-az.sqlite --commission AM-AZ
  terminus serve --store kg-tj.sqlite --commission KG-TJ --dem gebco_alay.tif
  terminus serve --store am-az.sqlite --commission AM-AZ --places geonames_AM_AZ.geojson
  terminus serve --store am-az.sqlite --commission AM-AZ --listen 0.0.0.0:8080 --rate-limit 50
  terminus serve --store postgres://terminus@db.example/commissions --commission AM-AZ"
)]
pub struct ServeArgs {
    /// The store holding the commission's record: an SQLite file, or a
    /// PostgreSQL database with PostGIS ("postgres://user:pass@host/db" or
    /// "host=… user=… dbname=…").
    #[arg(long)]
    store: PathBuf,
    /// The commission.
    #[arg(long)]
    commission: String,
    /// Address and port to listen on (port 0: any free port, printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Requests per second one client (token, or address) may make, sustained.
    #[arg(long, default_value_t = 200.0)]
    rate_limit: f64,
    /// Requests one client may make in a burst.
    #[arg(long, default_value_t = 400.0)]
    burst: f64,
    /// Largest request body, bytes.
    #[arg(long, default_value_t = 8 << 20)]
    max_body: usize,
    /// Seconds a client has to send a request's headers; an idle
    /// keep-alive connection is closed after as long (slow clients cannot
    /// hold connections for ever).
    #[arg(long, default_value_t = 10)]
    header_timeout: u64,
    /// Connections open at once from one address (more are closed at
    /// once); 4096 in all.
    #[arg(long, default_value_t = 64)]
    max_connections_per_address: usize,
    /// A DEM of the commission (GeoTIFF; repeat for several): the web
    /// workspace draws its relief and the pillars' line-of-sight profiles
    /// (/api/dems, /api/relief, /api/profile). Its voids are listed and a
    /// profile across one is refused: fill them first with
    /// `terminus terrain fill-voids` if they must be crossed.
    #[arg(long, value_name = "FILE")]
    dem: Vec<PathBuf>,
    /// Country polygons (or boundary lines) for the web map's base map, in
    /// any format and CRS Terminus reads (repeat for several); names in
    /// every language the file has (name_ru, NAME_EN, name:hy …) label it
    /// in the language the page is in. The bundled Natural Earth outlines
    /// of Armenia and Azerbaijan are always there.
    #[arg(long, value_name = "FILE")]
    countries: Vec<PathBuf>,
    /// Populated places (points) for the base map, e.g. a GeoNames or
    /// Natural Earth extract; named as --countries are, with population
    /// where the file has it. Nothing leaves the machine to draw them.
    #[arg(long, value_name = "FILE")]
    places: Vec<PathBuf>,
    #[command(flatten)]
    input: super::InputArgs,
}

/// Run `terminus serve`.
pub fn run(a: ServeArgs) -> Result<u8, Failure> {
    if !(a.rate_limit > 0.0 && a.rate_limit.is_finite() && a.burst >= 1.0 && a.burst.is_finite()) {
        return Err(Failure::usage(format!(
            "--rate-limit {} --burst {}: give a positive rate and a burst of at least 1",
            a.rate_limit, a.burst
        )));
    }
    if a.header_timeout == 0 || a.max_connections_per_address == 0 {
        return Err(Failure::usage(
            "--header-timeout and --max-connections-per-address are at least 1",
        ));
    }
    if a.max_body < 1024 {
        return Err(Failure::usage(format!(
            "--max-body {}: at least 1024 bytes (a signed event is several hundred)",
            a.max_body
        )));
    }
    let store = terminus_app::ledger::open_store(&a.store, &a.commission, false).map_err(|f| {
        f.hint("found the commission first: terminus sign commission --body members.json --key KEY --store STORE --commission ID")
    })?;
    if store.replay().is_empty() {
        return Err(
            Failure::usage(format!("the record of {} is empty", a.commission))
                .hint("found the commission first with `terminus sign commission`"),
        );
    }
    let events = store.replay().len();
    let config = terminus_server::Config {
        max_body: a.max_body,
        rate_per_s: a.rate_limit,
        burst: a.burst,
        header_timeout_s: a.header_timeout,
        max_connections_per_address: a.max_connections_per_address,
        ..Default::default()
    };
    let dems = a
        .dem
        .iter()
        .map(|p| terminus_app::terrain::relief::serve_dem(p))
        .collect::<Result<Vec<_>, _>>()?;
    for d in &dems {
        println!(
            "DEM {}: {} × {} cells, {}, {} interior void(s) ({} cells; profiles across them are refused)",
            d.name, d.size[0], d.size[1], d.crs, d.interior_voids, d.void_cells
        );
    }
    let mut basemap = terminus_app::basemap::Basemap::bundled();
    for p in &a.countries {
        let (options, bar) = a.input.options(p)?;
        basemap.add_countries(p, &options)?;
        bar.finish_and_clear();
    }
    for p in &a.places {
        let (options, bar) = a.input.options(p)?;
        basemap.add_places(p, &options)?;
        bar.finish_and_clear();
    }
    for s in basemap
        .sources
        .iter()
        .filter(|s| !s.file.path.starts_with("bundled:"))
    {
        println!(
            "base map {}: {} ({} features)",
            s.layer, s.file.path, s.features
        );
        for n in &s.notes {
            println!("  note: {n}");
        }
    }
    let service = terminus_server::Service::new(store, config)
        .map_err(|e| Failure::failed(e.to_string()))?
        .with_dems(dems)
        .with_basemap(basemap);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the runtime: {e}")))?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&a.listen)
            .await
            .map_err(|e| Failure::usage(format!("cannot listen on {}: {e}", a.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Failure::failed(e.to_string()))?;
        println!(
            "{}: {events} events; serving on http://{addr}/ (Ctrl-C to stop)",
            a.commission
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
        terminus_server::serve(service, listener)
            .await
            .map_err(|e| Failure::failed(e.to_string()))
    })?;
    Ok(0)
}
