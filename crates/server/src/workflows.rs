//! The workflows' summaries over HTTP: the same application-layer
//! workflows the CLI runs (`terminus_app::compare`, `terminus_app::median`),
//! not a copy, on lines the caller sends (GeoJSON, WGS 84 by RFC 7946) or
//! on lines the record holds (an event's line, by its number).
//!
//! - `POST /api/workflows/compare`: claim lines side by side — the
//!   summary of `terminus compare --json` (docs/compare.md), its layers
//!   (agreement, discrepancies coloured by who gains, closures,
//!   territories) as GeoJSON, and the provenance (each input's SHA-256).
//! - `POST /api/workflows/median`: the median or compromise of two claim
//!   lines — the summary of `terminus median --json`
//!   (docs/delimitation.md), its layers, and the provenance.
//! - `POST /api/workflows/validate`: every geometry and CRS check of
//!   `terminus validate` on the lines or areas sent (a draft before it is
//!   signed) — its summary (docs/validation.md), files named as sent.
//! - `POST /api/workflows/sheets`: the Soviet map sheets a line crosses at
//!   a scale, through one named Pulkovo 1942 transformation — the summary
//!   of `terminus sheets --json` (docs/sheets.md).
//! - `POST /api/workflows/water-parting`: the crest of a served DEM
//!   (`terminus serve --dem`) in a corridor around a rough line — the
//!   summary of `terminus terrain divide --along --json` (docs/terrain.md:
//!   length, highest point, voids met, how much runs on the corridor's
//!   edge and the warnings) and the divide as GeoJSON: how a draft
//!   follows the water-parting.
//!
//! Who may: any member the record holds now, observers included, on lines
//! they send (a computation reveals nothing of the record); a line taken
//! from the record needs what reading the negotiation needs
//! ([`Action::ReadNegotiation`]). Anonymous callers are refused: the work
//! is the service's CPU. At most one workflow per core runs at a time; a
//! request beyond that is answered 503 at once with `Retry-After`, never
//! queued behind a million-vertex comparison.

use crate::http::{caller, ApiError};
use crate::policy::{allow, Action, Caller};
use crate::state::Service;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use terminus_app::InputOptions;
use tokio::sync::Semaphore;

/// Lines one request may compare.
pub const MAX_LINES: usize = 8;

/// A line given to a workflow: sent whole, or taken from the record.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    /// Its name in the summary (unique within the request).
    pub name: String,
    /// A GeoJSON FeatureCollection, Feature or geometry on WGS 84.
    #[serde(default)]
    pub geojson: Option<Value>,
    /// The number of an event of the record whose body holds a line (a
    /// proposal, counter-proposal, amendment or agreement).
    #[serde(default)]
    pub event: Option<u64>,
}

/// A party's territory (polygons), sent as GeoJSON on WGS 84.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    /// The party's name (its gains are named so).
    pub name: String,
    /// Its polygons.
    pub geojson: Value,
}

/// `POST /api/workflows/compare`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareBody {
    /// Two to eight lines.
    pub lines: Vec<LineInput>,
    /// The two parties' territories, or none.
    #[serde(default)]
    pub parties: Vec<PartyInput>,
    /// Agreement tolerance, metres (default 100).
    #[serde(default = "default_tolerance")]
    pub tolerance_m: f64,
    /// Bridge gaps in one line up to this, metres (default 10,000).
    #[serde(default = "default_bridge")]
    pub bridge_m: f64,
    /// Join the ends of two lines up to this, metres (default 10,000, as
    /// `terminus compare` and the engine: the same request gives the same
    /// figures from the CLI and the service).
    #[serde(default = "default_join")]
    pub join_m: f64,
    /// Compare every line with this one (by name) instead of all pairs.
    #[serde(default)]
    pub reference: Option<String>,
    /// Name the base map's places (`terminus serve --places`) inside each
    /// discrepancy, as `terminus compare --places` does (default true).
    #[serde(default = "default_true")]
    pub places: bool,
}

fn default_true() -> bool {
    true
}

/// `POST /api/workflows/median`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedianBody {
    /// The two claim lines (or banks, or coasts).
    pub claims: Vec<LineInput>,
    /// The two parties' territories (compromise gains named by party).
    #[serde(default)]
    pub parties: Vec<PartyInput>,
    /// `compromise` (crossing claim lines, region by region; the default)
    /// or `strict` (sides that do not cross).
    #[serde(default = "default_mode")]
    pub mode: String,
    /// Largest departure of a chord from equidistance, metres (default 0.5).
    #[serde(default = "default_median_tolerance")]
    pub tolerance_m: f64,
    /// `[w_A, w_B]`: the line is w_A/w_B as far from A as from B (default
    /// `[1, 1]`).
    #[serde(default = "default_ratio")]
    pub ratio: [f64; 2],
}

/// `POST /api/workflows/validate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateBody {
    /// One to eight lines or areas (sent, or taken from the record).
    pub files: Vec<LineInput>,
    /// Spike threshold, degrees (default 1).
    #[serde(default = "default_spike")]
    pub spike_angle_deg: f64,
}

/// `POST /api/workflows/sheets`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetsBody {
    /// The line (sent, or taken from the record).
    pub line: LineInput,
    /// Scale denominator: 1000000, 500000, 200000, 100000, 50000, 25000
    /// or 10000 (default 100000).
    #[serde(default = "default_scale")]
    pub scale: u32,
    /// The Pulkovo 1942 ↔ WGS 84 transformation, `EPSG:CODE` (default:
    /// EPSG's most accurate at the line, named in the answer).
    #[serde(default)]
    pub op: Option<String>,
}

/// `POST /api/workflows/water-parting`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterPartingBody {
    /// The rough line the crest is sought along (sent, or from the record).
    pub line: LineInput,
    /// Half-width of the corridor around it, metres (default 2000).
    #[serde(default = "default_corridor")]
    pub corridor_m: f64,
    /// The served DEM by name (default: the first).
    #[serde(default)]
    pub dem: Option<String>,
    /// Voids met: `refuse` (default), `fill` or `outlet`.
    #[serde(default)]
    pub voids: Option<String>,
    /// Simplify the divide to this, metres (default 0: the DEM's cells).
    #[serde(default)]
    pub simplify_m: f64,
}

fn default_corridor() -> f64 {
    2000.0
}

fn default_spike() -> f64 {
    1.0
}
fn default_scale() -> u32 {
    100_000
}
fn default_tolerance() -> f64 {
    100.0
}
fn default_bridge() -> f64 {
    10_000.0
}
fn default_join() -> f64 {
    10_000.0
}
fn default_mode() -> String {
    "compromise".into()
}
fn default_median_tolerance() -> f64 {
    0.5
}
fn default_ratio() -> [f64; 2] {
    [1.0, 1.0]
}

/// One workflow per core at a time.
pub fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS
        .get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())))
}

pub(crate) fn busy() -> Response {
    let mut r = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "every core is running a workflow: try again shortly",
    )
    .into_response();
    r.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static("5"),
    );
    r
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad(format!(
            "the body is not {what} (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })
}

/// A workflow's refusal as HTTP: 422 with its reason and hint. The CLI
/// tells bad input (exit 2) from a computation that could not be done on
/// good input (exit 1: lines that span more than the local plane takes,
/// sides that meet); here both are about the lines the caller sent, so
/// both are 422 and the reason says which. A fault in Terminus (a panic)
/// is the 500 of the service's catch-all, never this.
fn failed(f: terminus_app::Failure) -> ApiError {
    let what = match f.fault {
        terminus_app::Fault::Input => "the input was refused",
        terminus_app::Fault::Operation => "the workflow could not be done on these lines",
    };
    let reason = match &f.hint {
        Some(h) => format!("{what}: {} (hint: {h})", f.message),
        None => format!("{what}: {}", f.message),
    };
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, reason)
}

/// The request's files: each line and territory written as GeoJSON in a
/// folder of its own, read back by the workflow through the input road.
struct Inputs {
    dir: tempfile::TempDir,
}

impl Inputs {
    fn new() -> Result<Inputs, ApiError> {
        tempfile::tempdir()
            .map(|dir| Inputs { dir })
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    }

    fn write(&self, role: &str, i: usize, v: &Value) -> Result<PathBuf, ApiError> {
        let path = self.dir.path().join(format!("{role}-{}.geojson", i + 1));
        let text = serde_json::to_vec(v).unwrap_or_default();
        std::fs::write(&path, text)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(path)
    }

    /// A message without this service's folder: the request's own names.
    fn strip(&self, text: &str) -> String {
        text.replace(&format!("{}/", self.dir.path().display()), "request:")
    }

    /// A workflow's refusal, naming the request's inputs, not this
    /// service's files.
    fn refused(&self, mut f: terminus_app::Failure) -> ApiError {
        f.message = self.strip(&f.message);
        f.hint = f.hint.map(|h| self.strip(&h));
        failed(f)
    }

    /// The provenance as the caller should read it: the request's own
    /// names for its inputs, not this service's temporary files.
    fn provenance(&self, p: &terminus_app::Provenance) -> Value {
        let text = serde_json::to_string(p).unwrap_or_default();
        let dir = serde_json::to_string(&self.dir.path().display().to_string()).unwrap_or_default();
        let dir = dir.trim_matches('"');
        serde_json::from_str(&text.replace(&format!("{dir}/"), "request:")).unwrap_or(Value::Null)
    }
}

/// Each line written as a file: sent lines as they came, record lines from
/// their event (the caller must be allowed to read the negotiation).
fn line_files(
    s: &Service,
    who: &Caller,
    lines: &[LineInput],
    inputs: &Inputs,
) -> Result<(Vec<PathBuf>, Vec<String>), ApiError> {
    let mut names: Vec<String> = Vec::new();
    let mut paths = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.name.trim().is_empty() {
            return Err(ApiError::bad(format!("line {}: give it a name", i + 1)));
        }
        if names.contains(&l.name) {
            return Err(ApiError::bad(format!(
                "two lines are called \"{}\": names must differ",
                l.name
            )));
        }
        let geojson = match (&l.geojson, l.event) {
            (Some(g), None) => g.clone(),
            (None, Some(seq)) => {
                allow(Some(who), Action::ReadNegotiation)?;
                record_line(s, seq)?
            }
            _ => {
                return Err(ApiError::bad(format!(
                    "line \"{}\": give either `geojson` or `event`, not both or neither",
                    l.name
                )))
            }
        };
        paths.push(inputs.write("line", i, &geojson)?);
        names.push(l.name.clone());
    }
    Ok((paths, names))
}

/// The line of event `seq` as a GeoJSON LineString.
fn record_line(s: &Service, seq: u64) -> Result<Value, ApiError> {
    let live = s.read_live();
    let e = live.events.get(seq as usize).ok_or_else(|| {
        ApiError::not_found(format!(
            "no event {seq}: the record has {}",
            live.events.len()
        ))
    })?;
    let line = terminus_ledger::views::line_of(&e.body_value()).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "event {seq} ({}) holds no line of two or more positions",
                e.kind
            ),
        )
    })?;
    Ok(json!({
        "type": "LineString",
        "coordinates": line.iter().map(|p| [p.0, p.1]).collect::<Vec<_>>(),
    }))
}

fn party_files(
    parties: &[PartyInput],
    inputs: &Inputs,
) -> Result<(Vec<PathBuf>, Vec<String>), ApiError> {
    if !parties.is_empty() && parties.len() != 2 {
        return Err(ApiError::bad(format!(
            "`parties` takes the territories of two parties (got {})",
            parties.len()
        )));
    }
    if let [a, b] = parties {
        if a.name == b.name {
            return Err(ApiError::bad(format!(
                "the parties \"{}\" and \"{}\" need names that differ",
                a.name, b.name
            )));
        }
    }
    let mut paths = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        paths.push(inputs.write("party", i, &p.geojson)?);
    }
    Ok((paths, parties.iter().map(|p| p.name.clone()).collect()))
}

fn member(s: &Service, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let c = caller(s, headers)?;
    allow(c.as_ref(), Action::RunWorkflow)?;
    c.ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "send a member's token"))
}

fn layers_json(layers: &[terminus_vector::Layer]) -> Value {
    Value::Object(
        layers
            .iter()
            .map(|l| (l.name.clone(), terminus_app::geojson::feature_collection(l)))
            .collect(),
    )
}

/// `POST /api/workflows/compare`.
pub async fn compare(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let who = member(&s, &headers)?;
    let req: CompareBody = parse(&body, "a comparison (lines, parties, tolerance_m …)")?;
    if !(2..=MAX_LINES).contains(&req.lines.len()) {
        return Err(ApiError::bad(format!(
            "give two to {MAX_LINES} lines (got {})",
            req.lines.len()
        )));
    }
    let Ok(_slot) = slots().try_acquire() else {
        return Ok(busy());
    };
    let inputs = Inputs::new()?;
    let (lines, names) = line_files(&s, &who, &req.lines, &inputs)?;
    let (parties, party_names) = party_files(&req.parties, &inputs)?;
    let places = if req.places && s.basemap.place_count() > 0 {
        Some(inputs.write("places", 0, &s.basemap.places())?)
    } else {
        None
    };
    let app_req = terminus_app::compare::CompareRequest {
        lines,
        names,
        parties,
        party_names,
        places,
        tolerance: req.tolerance_m,
        bridge: req.bridge_m,
        join: req.join_m,
        reference: req.reference.clone(),
        ..Default::default()
    };
    let provenance = terminus_app::Provenance::new(vec![
        "POST /api/workflows/compare".into(),
        format!("by {}", who.member),
    ]);
    let answer = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let check = |what: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(ApiError::bad(format!(
                    "{what} must be a distance ≥ 0 in metres"
                )))
            }
        };
        check("tolerance_m", app_req.tolerance)?;
        check("bridge_m", app_req.bridge)?;
        check("join_m", app_req.join)?;
        let o = terminus_app::compare::run(&app_req, provenance).map_err(|f| inputs.refused(f))?;
        Ok(json!({
            "summary": terminus_app::compare::summary(&o.comparison),
            "layers": layers_json(&terminus_app::compare::layers(&o.comparison)),
            "provenance": inputs.provenance(&o.provenance),
        }))
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the comparison failed"))??;
    Ok(Json(answer).into_response())
}

/// `POST /api/workflows/median`.
pub async fn median(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let who = member(&s, &headers)?;
    let req: MedianBody = parse(
        &body,
        "a median (claims, parties, mode, tolerance_m, ratio)",
    )?;
    if req.claims.len() != 2 {
        return Err(ApiError::bad(format!(
            "give the two claim lines in `claims` (got {})",
            req.claims.len()
        )));
    }
    let compromise = match req.mode.as_str() {
        "compromise" => true,
        "strict" => false,
        other => {
            return Err(ApiError::bad(format!(
                "mode \"{other}\": compromise or strict"
            )))
        }
    };
    if req.ratio.iter().any(|w| !w.is_finite() || *w <= 0.0) {
        return Err(ApiError::bad("ratio: two weights above zero"));
    }
    let Ok(_slot) = slots().try_acquire() else {
        return Ok(busy());
    };
    let inputs = Inputs::new()?;
    let (sides, names) = line_files(&s, &who, &req.claims, &inputs)?;
    let (parties, party_names) = party_files(&req.parties, &inputs)?;
    let app_req = terminus_app::median::MedianRequest {
        sides,
        names,
        parties,
        party_names,
        tolerance: req.tolerance_m,
        ratio: (req.ratio[0], req.ratio[1]),
        compromise,
        ..Default::default()
    };
    let provenance = terminus_app::Provenance::new(vec![
        "POST /api/workflows/median".into(),
        format!("by {}", who.member),
    ]);
    let answer = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let m = terminus_app::median::run(&app_req, provenance).map_err(|f| inputs.refused(f))?;
        Ok(json!({
            "summary": m.summary,
            "layers": layers_json(&terminus_app::median::layers(&m.outcome)),
            "provenance": inputs.provenance(&m.provenance),
        }))
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the median failed"))??;
    Ok(Json(answer).into_response())
}

/// `POST /api/workflows/validate`.
pub async fn validate(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let who = member(&s, &headers)?;
    let req: ValidateBody = parse(&body, "files to validate (files, spike_angle_deg)")?;
    if !(1..=MAX_LINES).contains(&req.files.len()) {
        return Err(ApiError::bad(format!(
            "give one to {MAX_LINES} files (got {})",
            req.files.len()
        )));
    }
    if !(req.spike_angle_deg.is_finite() && (0.0..=180.0).contains(&req.spike_angle_deg)) {
        return Err(ApiError::bad("spike_angle_deg: 0 to 180"));
    }
    let Ok(_slot) = slots().try_acquire() else {
        return Ok(busy());
    };
    let inputs = Inputs::new()?;
    let (paths, names) = line_files(&s, &who, &req.files, &inputs)?;
    let spike = req.spike_angle_deg;
    let answer = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let options = terminus_vector::validate::ValidationOptions {
            spike_angle_deg: spike,
            ..Default::default()
        };
        let reports =
            terminus_app::validate::validate_files(&paths, &InputOptions::default(), &options);
        let mut summary =
            serde_json::to_value(terminus_app::validate::summary(&reports)).unwrap_or(Value::Null);
        // Each file by the name it was sent with, not this service's file.
        if let Some(files) = summary["files"].as_array_mut() {
            for (f, name) in files.iter_mut().zip(&names) {
                f["file"] = json!(name);
                if let Some(u) = f["unreadable"].as_str() {
                    f["unreadable"] = json!(inputs.strip(u));
                }
            }
        }
        Ok(json!({ "summary": summary }))
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the validation failed"))??;
    Ok(Json(answer).into_response())
}

/// `POST /api/workflows/sheets`.
pub async fn sheets(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let who = member(&s, &headers)?;
    let req: SheetsBody = parse(&body, "a line and a scale (line, scale, op)")?;
    let scale = terminus_app::sheets::scale(req.scale).map_err(failed)?;
    let op = match &req.op {
        Some(text) => Some(terminus_app::units::parse_epsg(text).map_err(ApiError::bad)?),
        None => None,
    };
    let Ok(_slot) = slots().try_acquire() else {
        return Ok(busy());
    };
    let inputs = Inputs::new()?;
    let (paths, _) = line_files(&s, &who, std::slice::from_ref(&req.line), &inputs)?;
    let answer = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let input = InputOptions {
            op,
            ..Default::default()
        };
        let along = terminus_app::sheets::sheets(&paths[0], scale, &input)
            .map_err(|f| inputs.refused(f))?;
        Ok(json!({ "summary": along.summary(scale) }))
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the sheets failed"))??;
    Ok(Json(answer).into_response())
}

/// `POST /api/workflows/water-parting`.
pub async fn water_parting(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let who = member(&s, &headers)?;
    let req: WaterPartingBody = parse(
        &body,
        "a line and a corridor (line, corridor_m, dem, voids, simplify_m)",
    )?;
    if !(req.corridor_m.is_finite() && req.corridor_m > 0.0 && req.corridor_m <= 50_000.0) {
        return Err(ApiError::bad(format!(
            "corridor_m = {}: give a half-width above 0 and at most 50000 metres",
            req.corridor_m
        )));
    }
    if !(req.simplify_m.is_finite() && req.simplify_m >= 0.0) {
        return Err(ApiError::bad(format!(
            "simplify_m = {}: give 0 or more metres",
            req.simplify_m
        )));
    }
    let voids = match &req.voids {
        Some(v) => terminus_app::terrain::VoidPolicy::parse(v).map_err(ApiError::bad)?,
        None => terminus_app::terrain::VoidPolicy::Refuse,
    };
    let dem = crate::terrain::find(&s, req.dem.as_deref())?.clone();
    let Ok(_slot) = slots().try_acquire() else {
        return Ok(busy());
    };
    let inputs = Inputs::new()?;
    let (paths, _) = line_files(&s, &who, std::slice::from_ref(&req.line), &inputs)?;
    let answer = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let request = terminus_app::terrain::DivideRequest {
            dem: std::path::PathBuf::from(&dem.file.path),
            by: terminus_app::terrain::DivideBy::Along {
                line: paths[0].clone(),
                corridor: req.corridor_m,
            },
            snap: 0.0,
            simplify: req.simplify_m,
            compare: Vec::new(),
            metric: Default::default(),
            voids,
            input: InputOptions::default(),
            lang: Default::default(),
            places: None,
            places_within: None,
            name_field: None,
        };
        let provenance =
            terminus_app::Provenance::new(vec!["POST /api/workflows/water-parting".into()]);
        let d = terminus_app::terrain::divide_with_provenance(&request, provenance)
            .map_err(|f| inputs.refused(f))?;
        Ok(json!({
            "summary": d.summary,
            "divide": d.geojson,
            "dem": {"name": dem.name, "sha256": dem.file.sha256},
            "provenance": d.provenance.as_ref().map(|p| inputs.provenance(p)),
        }))
    })
    .await
    .map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the water-parting failed",
        )
    })??;
    Ok(Json(answer).into_response())
}
