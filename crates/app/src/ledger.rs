//! The commission's record as the front-ends use it: members' key files,
//! stores (SQLite or PostgreSQL), sealed bundles exported and imported,
//! verification beside the log (drafts, bundle layers) and against a
//! witness, and the bodies of events built from files (proposals from a
//! line read through the input road, attachments from a catalogue).

use crate::failure::Failure;
use crate::input::InputOptions;
use std::path::PathBuf;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{verify, Record};

/// What an attachment event is made from.
#[derive(Debug, Clone, Default)]
pub struct AttachmentRequest {
    /// pillar_catalogue, protocol_description or survey (default: by what is given).
    pub what: Option<String>,
    /// The pillar catalogue (points), read through the input road.
    pub catalogue: Option<PathBuf>,
    /// Documents attached whole (the protocol-description).
    pub document: Vec<PathBuf>,
    /// The store, for messages.
    pub store: PathBuf,
    /// How to read the catalogue.
    pub input: InputOptions,
}

/// The key file: the member and the secret seed, hex.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct KeyFile {
    pub member: String,
    pub algorithm: String,
    pub secret: String,
    pub public: String,
}

#[cfg(unix)]
pub fn write_private(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
pub fn write_private(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

/// A record from JSON, a store or a bundle, not yet verified.
pub fn read_any(file: &std::path::Path) -> Result<Record, Failure> {
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "gpkg" || ext == "sqlite" || ext == "db" {
        return terminus_ledger::store::load_record(file)
            .map_err(|e| Failure::usage(format!("{}: {e}", file.display())));
    }
    let text = std::fs::read_to_string(file)?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::usage(format!(
            "{}: not a commission record (line {}, column {}): {e}",
            file.display(),
            e.line(),
            e.column()
        ))
    })
}

/// Check `record` (verified) against the witness file at `path` and move
/// the witness up to it: the witness now, and the size it was moved up
/// from (None: it already stood there). A missing file is created.
pub fn witnessed(
    path: &std::path::Path,
    record: &Record,
) -> Result<(terminus_ledger::witness::Witness, Option<u64>), String> {
    use terminus_ledger::witness::Witness;
    let leaves = record.leaves();
    let now = Witness::of(&record.commission, &leaves);
    let before: Option<Witness> = if path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Some(
            serde_json::from_str(&text)
                .map_err(|e| format!("{}: not a Terminus witness file: {e}", path.display()))?,
        )
    } else {
        None
    };
    if let Some(w) = &before {
        w.check(&record.commission, &leaves)
            .map_err(|why| format!("{why} (witness {})", path.display()))?;
        if w.size == now.size {
            return Ok((now, None));
        }
    }
    // Written beside and renamed: a witness is never left half-written.
    let tmp = path.with_extension("witness-partial");
    let text = serde_json::to_string_pretty(&now).unwrap_or_default();
    std::fs::write(&tmp, text.as_bytes())
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((now, Some(before.map_or(0, |w| w.size))))
}

/// What a store or bundle holds beside its log, checked against the
/// verified log: each draft's signature (a store), and each layer of a
/// bundle, which must be exactly the record's views (a changed coordinate
/// or attribute in a layer, or a layer added, is named).
pub fn beside_the_log(
    file: &std::path::Path,
    record: &Record,
) -> Result<(), (&'static str, u64, String)> {
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "gpkg" | "sqlite" | "db") {
        return Ok(());
    }
    let mut replay = terminus_ledger::record::Replay::new(&record.commission);
    for e in &record.events {
        replay.apply(e).map_err(|e| ("event", 0, e.to_string()))?;
    }
    let drafts = terminus_ledger::store::load_drafts(file)
        .map_err(|e| ("draft", 0, format!("{}: {e}", file.display())))?;
    for d in &drafts {
        d.check(&replay, false).map_err(|why| {
            (
                "draft",
                d.id,
                format!(
                    "draft {} ({} by {}): {why}: it was changed",
                    d.id, d.party, d.author
                ),
            )
        })?;
    }
    if ext != "gpkg" {
        return Ok(());
    }
    if !drafts.is_empty() {
        return Err((
            "draft",
            drafts[0].id,
            "a bundle carries no drafts (a delegation's drafts never leave its store)".into(),
        ));
    }
    // A complete bundle says what it holds (written last by the export).
    match terminus_ledger::store::load_seal(file) {
        Ok(Some(seal)) => {
            let holds = (record.events.len() as u64, replay.root(), record.heads.len() as u64);
            if (seal.size, seal.root.clone(), seal.heads) != holds {
                return Err((
                    "bundle",
                    holds.0,
                    format!(
                        "the bundle was sealed with {} events (root {}) and {} tree heads but holds {} events (root {}) and {} tree heads: it was cut short or changed",
                        seal.size, seal.root, seal.heads, holds.0, holds.1, holds.2
                    ),
                ));
            }
        }
        Ok(None) => {
            return Err((
                "bundle",
                0,
                "it carries no seal (the log's size and root, written last by `ledger export`): an export that did not finish, or not a bundle".into(),
            ))
        }
        Err(e) => return Err(("bundle", 0, format!("{}: {e}", file.display()))),
    }
    let layers = terminus_ledger::views::layers(&record.events, &replay);
    let expected: Vec<(&str, Vec<terminus_vector::Feature>)> = [
        ("sections", &layers.sections),
        ("proposals", &layers.proposals),
        ("agreed_sections", &layers.agreed_line),
        ("pillars", &layers.pillars),
    ]
    .into_iter()
    .map(|(n, f)| (n, f.iter().filter_map(to_feature).collect()))
    .collect();
    let ds = terminus_formats::read(file, &Default::default())
        .map_err(|e| ("layer", 0, e.to_string()))?;
    let fail = |layer: &str, at: usize, why: String| {
        (
            "layer",
            at as u64,
            format!("layer {layer}: {why}: the bundle's layers no longer show what the signed log holds"),
        )
    };
    for layer in &ds.layers {
        if !expected.iter().any(|(n, _)| *n == layer.name) {
            return Err(fail(
                &layer.name,
                0,
                "it is not one of the record's layers".into(),
            ));
        }
    }
    for (name, want) in &expected {
        let Some(layer) = ds.layers.iter().find(|l| l.name == *name) else {
            return Err(fail(name, 0, "it is missing".into()));
        };
        if layer.crs.id() != "EPSG:4326" {
            return Err(fail(
                name,
                0,
                format!("its CRS is {}, not EPSG:4326", layer.crs.id()),
            ));
        }
        if layer.features.len() != want.len() {
            return Err(fail(
                name,
                0,
                format!(
                    "{} features, the record has {}",
                    layer.features.len(),
                    want.len()
                ),
            ));
        }
        for (i, (got, want)) in layer.features.iter().zip(want).enumerate() {
            if got.geometry != want.geometry {
                return Err(fail(name, i, format!("feature {i}: its geometry differs")));
            }
            let keys: std::collections::BTreeSet<&String> = got
                .properties
                .keys()
                .chain(want.properties.keys())
                .collect();
            for k in keys {
                let text = |f: &terminus_vector::Feature| {
                    f.properties.get(k).and_then(|v| match v {
                        terminus_vector::Value::Bool(b) => Some(i64::from(*b).to_string()),
                        v => v.to_text(),
                    })
                };
                if text(got) != text(want) {
                    return Err(fail(
                        name,
                        i,
                        format!(
                            "feature {i}: {k} is {:?}, the record says {:?}",
                            text(got).unwrap_or_default(),
                            text(want).unwrap_or_default()
                        ),
                    ));
                }
            }
        }
    }
    // What GIS software reads beyond the features — the CRS definitions,
    // extents, geometry blobs' srs_id and envelope, the R-tree index — is
    // what the record's layers give, written again and compared.
    let reference = std::env::temp_dir().join(format!(
        "terminus-verify-{}-{}.gpkg",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let compared = terminus_formats::write(
        &reference,
        terminus_formats::Format::GeoPackage,
        &bundle_layers(record, &replay),
        &terminus_formats::WriteOptions { overwrite: false },
    )
    .map_err(|e| e.to_string())
    .and_then(|_| terminus_formats::gpkg::same_for_gis(file, &reference, "terminus_"));
    let _ = std::fs::remove_file(&reference);
    compared.map_err(|why| {
        (
            "layer",
            0,
            format!("{why}: the bundle no longer shows GIS software what the signed log holds"),
        )
    })
}

/// A GeoJSON feature from the record's views as a feature to write.
pub fn to_feature(v: &serde_json::Value) -> Option<terminus_vector::Feature> {
    use terminus_vector::{Coord, Feature, Geometry, Value};
    let g = &v["geometry"];
    let pos = |p: &serde_json::Value| Some(Coord::xy(p.get(0)?.as_f64()?, p.get(1)?.as_f64()?));
    let geometry = match g["type"].as_str()? {
        "Point" => Geometry::Point(pos(&g["coordinates"])?),
        "LineString" => Geometry::LineString(
            g["coordinates"]
                .as_array()?
                .iter()
                .map(pos)
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    };
    let mut f = Feature::new(geometry);
    for (k, x) in v["properties"].as_object()? {
        let value = match x {
            serde_json::Value::Array(_) => Value::String(
                x.as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            other => Value::from_json(other.clone()),
        };
        f.properties.insert(k.clone(), value);
    }
    Some(f)
}

/// A bundle's layers: the same the service serves (terminus_ledger::views),
/// in EPSG:4326. Export writes them; verify writes them again to compare.
pub fn bundle_layers(
    record: &Record,
    replay: &terminus_ledger::record::Replay,
) -> terminus_vector::Dataset {
    use terminus_vector::{Dataset, Layer};
    let layers = terminus_ledger::views::layers(&record.events, replay);
    let mut dataset = Dataset::default();
    for (name, features) in [
        ("sections", &layers.sections),
        ("proposals", &layers.proposals),
        ("agreed_sections", &layers.agreed_line),
        ("pillars", &layers.pillars),
    ] {
        let mut layer = Layer::new(name, terminus_geodesy::Crs::WGS84);
        layer.features = features.iter().filter_map(to_feature).collect();
        dataset.layers.push(layer);
    }
    dataset
}

/// Write the bundle; (events, tree heads, agreed sections) in it.
pub fn export_bundle(
    store: &std::path::Path,
    commission: &str,
    out: &std::path::Path,
) -> Result<(usize, usize, usize), Failure> {
    if out.exists() {
        return Err(
            Failure::usage(format!("{} exists", out.display())).hint("choose another --out")
        );
    }
    let mut s = open_store(store, commission, false)?;
    let record = s.record().map_err(|e| Failure::failed(e.to_string()))?;
    let verified = verify(&record).map_err(|e| Failure::failed(e.to_string()))?;
    let dataset = bundle_layers(&record, s.replay());
    drop(s);
    // Everything is written into a partial file beside the bundle — the
    // layers, the log, its tree heads, and last the seal (the log's size
    // and root) — and only the complete file takes the bundle's name: an
    // export interrupted at any moment leaves no bundle, and a bundle
    // without its seal is refused by verify and import.
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle.gpkg".into());
    let partial = out.with_file_name(format!(".{name}.partial"));
    // What an interrupted export left (the file and SQLite's journals
    // beside it): ours, never a result. A stale write-ahead log beside a
    // new file would corrupt it.
    let leftovers = || {
        ["", "-wal", "-shm", "-journal"].map(|suffix| {
            let mut p = partial.clone().into_os_string();
            p.push(suffix);
            std::path::PathBuf::from(p)
        })
    };
    for p in leftovers() {
        if p.exists() {
            std::fs::remove_file(&p)
                .map_err(|e| Failure::failed(format!("{}: {e}", p.display())))?;
        }
    }
    let written = (|| -> Result<(), Failure> {
        terminus_formats::write(
            &partial,
            terminus_formats::Format::GeoPackage,
            &dataset,
            &terminus_formats::WriteOptions { overwrite: false },
        )?;
        let mut bundle = terminus_ledger::store::SqliteStore::open(&partial, commission)
            .map_err(|e| Failure::failed(format!("{}: {e}", partial.display())))?;
        terminus_ledger::store::RecordStore::keep(&mut bundle, &record)
            .map_err(|e| Failure::failed(e.to_string()))?;
        bundle
            .seal()
            .map_err(|e| Failure::failed(format!("{}: {e}", partial.display())))?;
        bundle
            .into_single_file()
            .map_err(|e| Failure::failed(format!("{}: {e}", partial.display())))?;
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| Failure::failed(format!("{}: {e}", partial.display())))?;
        if out.exists() {
            return Err(
                Failure::usage(format!("{} exists", out.display())).hint("choose another --out")
            );
        }
        std::fs::rename(&partial, out)
            .map_err(|e| Failure::failed(format!("{}: {e}", out.display())))?;
        // The rename itself made durable.
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if written.is_err() {
        for p in leftovers() {
            let _ = std::fs::remove_file(p);
        }
    }
    written?;
    Ok((
        record.events.len(),
        record.heads.len(),
        verified.agreed.len(),
    ))
}

/// Verify a record file as `ledger verify` does (the log, and what sits
/// beside it); the failure's kind, position and reason.
pub fn verify_file(
    file: &std::path::Path,
) -> Result<terminus_ledger::record::Verified, (String, u64, String)> {
    let record = read_any(file).map_err(|f| ("file".to_string(), 0, f.message))?;
    let v = verify(&record).map_err(|e| ("event".to_string(), 0, e.to_string()))?;
    beside_the_log(file, &record).map_err(|(k, at, why)| (k.to_string(), at, why))?;
    Ok(v)
}

/// A key made (`terminus keys new --json`; docs/ledger.md): the public
/// half only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewKey {
    /// The member.
    pub member: String,
    /// Always `Ed25519`.
    pub algorithm: String,
    /// The public key, lower-case hex.
    pub public_key: String,
    /// The key file (readable by its owner only).
    pub file: String,
}

/// Write a key file as `terminus keys new` does (readable by its owner
/// only, never replacing one).
pub fn write_key_file(
    path: &std::path::Path,
    member: &str,
    key: &MemberKey,
) -> Result<(), Failure> {
    let file = KeyFile {
        member: member.to_string(),
        algorithm: "Ed25519".into(),
        secret: key.secret_hex(),
        public: key.public_hex(),
    };
    write_private(
        path,
        &serde_json::to_string_pretty(&file).unwrap_or_default(),
    )
}

/// What importing a bundle did.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    /// Merged: a sentence saying how many events are new.
    Merged(String),
    /// Refused whole, and why.
    Refused(String),
}

/// Merge a bundle into a store, whole or not at all, after checking it as
/// `verify` does (and against the witness, when given).
pub fn import(
    bundle: &std::path::Path,
    store: &std::path::Path,
    commission: &str,
    witness: Option<&std::path::Path>,
) -> Result<Imported, Failure> {
    let theirs = read_any(bundle)?;
    // A bundle is taken whole or not at all: its seal, its layers and
    // what sits beside its log are checked as `verify` checks them.
    if let Err((_, _, why)) = verify(&theirs)
        .map_err(|e| ("event", 0, e.to_string()))
        .and_then(|_| beside_the_log(bundle, &theirs))
    {
        return Ok(Imported::Refused(format!(
            "{}: NOT merged — {why}",
            bundle.display()
        )));
    }
    let mut s = open_store(store, commission, true)?;
    let mut ours = s.record().map_err(|e| Failure::failed(e.to_string()))?;
    match terminus_ledger::record::merge(&mut ours, &theirs) {
        Ok(outcome) => {
            if let Some(w) = witness {
                if let Err(why) = witnessed(w, &ours) {
                    return Ok(Imported::Refused(format!(
                        "{}: NOT merged — {why}",
                        bundle.display()
                    )));
                }
            }
            s.keep(&ours).map_err(|e| Failure::failed(e.to_string()))?;
            Ok(Imported::Merged(match outcome {
                terminus_ledger::record::Merge::Extended { new } => format!(
                    "{commission}: {new} new events from {}; the store now holds {}",
                    bundle.display(),
                    ours.events.len()
                ),
                terminus_ledger::record::Merge::NothingNew => format!(
                    "{commission}: nothing new in {}; the store holds {} events",
                    bundle.display(),
                    ours.events.len()
                ),
            }))
        }
        Err(e) => Ok(Imported::Refused(format!(
            "{}: NOT merged — {e}",
            bundle.display()
        ))),
    }
}

/// The pillars of a catalogue read through the input road (on WGS 84):
/// each a point with its `number`, its position the point's own (not a
/// column that may have been rounded or edited), the other columns as
/// they were. A feature that is not a point, or has no number, is refused
/// with its place.
pub fn attached_pillars(
    catalogue: &std::path::Path,
    ds: &terminus_vector::Dataset,
) -> Result<Vec<terminus_model::bodies::AttachedPillar>, Failure> {
    use terminus_model::bodies::AttachedPillar;
    let mut pillars = Vec::new();
    for layer in &ds.layers {
        for (i, f) in layer.features.iter().enumerate() {
            let Some(terminus_vector::Geometry::Point(c)) = &f.geometry else {
                return Err(Failure::usage(format!(
                    "{}: layer \"{}\", feature {i}: a pillar is a point",
                    catalogue.display(),
                    layer.name
                )));
            };
            // The catalogue's columns as they were; the position is the
            // point's own (on WGS 84, through the input road), not a
            // column that may have been rounded or edited.
            let mut columns = serde_json::Map::new();
            let mut number = None;
            for (k, v) in &f.properties {
                match k.as_str() {
                    "number" => number = Some(v.to_json()),
                    "lon" | "lat" => {}
                    _ => {
                        columns.insert(k.clone(), v.to_json());
                    }
                }
            }
            let number = match number {
                Some(serde_json::Value::String(s)) if !s.is_empty() => s,
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => {
                    return Err(Failure::usage(format!(
                        "{}: layer \"{}\", feature {i}: a pillar has no `number`",
                        catalogue.display(),
                        layer.name
                    )))
                }
            };
            pillars.push(AttachedPillar {
                number,
                lon: c.x,
                lat: c.y,
                columns,
            });
        }
    }
    Ok(pillars)
}

/// A typed body as the JSON the record signs (canonicalised by the
/// signer). The model's bodies are plain data: serialising them cannot
/// fail.
pub fn to_body(b: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(b).unwrap_or_default()
}

/// An attachment's body: the pillar catalogue's points (on WGS 84) and
/// the documents, chained to the section's agreed terms and to the
/// catalogue's previous version.
pub fn attachment_body(
    a: &AttachmentRequest,
    store: &dyn terminus_ledger::store::RecordStore,
    section: &str,
) -> Result<terminus_model::bodies::Attachment, Failure> {
    use sha2::Digest;
    use terminus_model::bodies::{AttachedDocument, AttachedPillar, Attachment};
    let what = a.what.clone().unwrap_or_else(|| {
        if a.catalogue.is_some() {
            "pillar_catalogue".into()
        } else {
            "protocol_description".into()
        }
    });
    if !["pillar_catalogue", "protocol_description", "survey"].contains(&what.as_str()) {
        return Err(Failure::usage(format!(
            "--what {what}: one of pillar_catalogue, protocol_description, survey"
        )));
    }
    if what != "protocol_description" && a.catalogue.is_none() {
        return Err(Failure::usage(format!(
            "a {what} needs its points: --catalogue FILE"
        )));
    }
    let replay = store.replay();
    let Some(agreed) = replay.agreed().get(section) else {
        return Err(Failure::usage(format!(
            "section \"{section}\" is not agreed in {}: a pillar catalogue is attached to an agreed section",
            a.store.display()
        )));
    };
    let replaces = replay
        .attachments()
        .get(&(section.to_string(), what.clone()))
        .copied();
    let mut notes = Vec::new();
    let mut pillars: Vec<AttachedPillar> = Vec::new();
    let datasets = match &a.catalogue {
        Some(c) => vec![(c.clone(), {
            let read = crate::input::read(c, &a.input)?;
            notes.extend(read.notes());
            read.dataset
        })],
        None => Vec::new(),
    };
    for (catalogue, ds) in &datasets {
        pillars.extend(attached_pillars(catalogue, ds)?);
    }
    if let (Some(catalogue), true) = (&a.catalogue, pillars.is_empty()) {
        return Err(Failure::usage(format!(
            "{}: no pillars",
            catalogue.display()
        )));
    }
    let mut documents = Vec::new();
    for d in &a.document {
        let text = std::fs::read_to_string(d)
            .map_err(|e| Failure::usage(format!("{}: {e}", d.display())))?;
        documents.push(AttachedDocument {
            name: d.file_name().map(|n| n.to_string_lossy().into_owned()),
            sha256: hex::encode(sha2::Sha256::digest(text.as_bytes())),
            text,
        });
    }
    Ok(Attachment {
        section: section.to_string(),
        what,
        terms_sha256: agreed.terms_sha256.clone(),
        replaces,
        crs: terminus_model::Crs::WGS84,
        pillars,
        documents,
        notes,
    })
}

/// A commission's store: a PostgreSQL database (a `postgres://` URL or a
/// libpq `host=… dbname=…` string) or an SQLite file (created when
/// `create`, else it must exist).
pub fn open_store(
    store: &std::path::Path,
    commission: &str,
    create: bool,
) -> Result<Box<dyn terminus_ledger::store::RecordStore>, Failure> {
    let text = store.to_string_lossy();
    if text.starts_with("postgres://")
        || text.starts_with("postgresql://")
        || text.contains("host=")
        || text.contains("dbname=")
    {
        return Ok(Box::new(
            terminus_ledger::postgres::PostgresStore::open(&text, commission)
                .map_err(|e| Failure::failed(e.to_string()))?,
        ));
    }
    if !create && !store.exists() {
        return Err(Failure::usage(format!(
            "{}: no such store",
            store.display()
        )));
    }
    Ok(Box::new(
        terminus_ledger::store::SqliteStore::open(store, commission)
            .map_err(|e| Failure::failed(format!("{}: {e}", store.display())))?,
    ))
}

/// A key file and its key.
pub fn read_key(path: &std::path::Path) -> Result<(KeyFile, MemberKey), Failure> {
    let text = std::fs::read_to_string(path)?;
    let kf: KeyFile = serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{}: not a Terminus key file: {e}", path.display())))?;
    let key = MemberKey::from_secret_hex(&kf.secret)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    Ok((kf, key))
}

/// What `sign` signs: the event kind, the member's key file, the store, and
/// where the body comes from (a JSON file, a line read through the input
/// road, or a catalogue and documents).
#[derive(Debug, Clone, Default)]
pub struct SignRequest {
    /// Event kind (proposal, agreement, attachment, member, …), `draft` or `tree-head`.
    pub kind: String,
    /// The member's key file.
    pub key: PathBuf,
    /// The store (SQLite file or PostgreSQL connection).
    pub store: PathBuf,
    /// The commission.
    pub commission: String,
    /// Print the signed event instead of storing it.
    pub print: bool,
    /// Sequence number (with `print`, for an event made offline).
    pub seq: Option<u64>,
    /// Previous event's hash (with `print`).
    pub prev: Option<String>,
    /// A draft's kind.
    pub draft_kind: String,
    /// The body as a JSON file.
    pub body: Option<PathBuf>,
    /// The section.
    pub section: Option<String>,
    /// The section's line.
    pub line: Option<PathBuf>,
    /// The line's source, in words.
    pub source: String,
    /// Map series.
    pub series: Option<String>,
    /// Edition year.
    pub edition: Option<i32>,
    /// Scale denominator.
    pub scale: Option<u32>,
    /// Sheet.
    pub sheet: Option<String>,
    /// An agreement's basis.
    pub basis: String,
    /// An agreement's protocol-description.
    pub protocol: Option<PathBuf>,
    /// An attachment's pillar catalogue.
    pub catalogue: Option<PathBuf>,
    /// An attachment's documents.
    pub document: Vec<PathBuf>,
    /// What an attachment is.
    pub what: Option<String>,
    /// Decimals of an agreement's line text.
    pub decimals: usize,
    /// The event's time (RFC 3339), default now.
    pub time: Option<String>,
    /// How to read the line or catalogue.
    pub input: InputOptions,
}

/// What signing did.
#[derive(Debug, Clone, PartialEq)]
pub enum Signed {
    /// The signed JSON, not stored (`print`).
    Printed(String),
    /// Stored: a sentence saying what and where.
    Stored(String),
}

/// Sign one event (or tree head, or draft) with the member's key and
/// store it, or only print it.
pub fn sign(a: &SignRequest) -> Result<Signed, Failure> {
    let (kf, key) = read_key(&a.key)?;
    let mut s = open_store(&a.store, &a.commission, true)?;
    if a.kind == "tree-head" || a.kind == "tree_head" {
        // The member vouches for the log as it stands: its size and root.
        let replay = s.replay();
        let h = terminus_ledger::record::TreeHead::sign(
            &a.commission,
            replay.len(),
            &replay.root(),
            (&kf.member, &key),
        );
        if a.print {
            return Ok(Signed::Printed(
                serde_json::to_string(&h).unwrap_or_default(),
            ));
        }
        s.add_head(&h)
            .map_err(|err| Failure::failed(format!("not stored: {err}")))?;
        return Ok(Signed::Stored(format!(
            "{}: tree head at {} events, root {}, signed by {} and stored in {}",
            a.commission,
            h.size,
            h.root,
            h.signer,
            a.store.display()
        )));
    }
    let body: serde_json::Value = if let Some(b) = &a.body {
        let t = std::fs::read_to_string(b)?;
        serde_json::from_str(&t).map_err(|e| {
            Failure::usage(format!(
                "{}: not JSON (line {}, column {}): {e}",
                b.display(),
                e.line(),
                e.column()
            ))
        })?
    } else if let (Some(line), Some(section)) = (&a.line, &a.section) {
        let read = crate::input::read(line, &a.input)?;
        let read_notes = read.notes();
        let pieces = crate::shapes::line_pieces(line, &read.dataset)?;
        if pieces.len() != 1 {
            return Err(Failure::usage(format!(
                "{}: {} lines; a section's line is one line",
                line.display(),
                pieces.len()
            )));
        }
        let lonlat: Vec<(f64, f64)> = pieces[0].iter().map(|&(lat, lon)| (lon, lat)).collect();
        if a.kind == "agreement" {
            let protocol = match &a.protocol {
                Some(p) => std::fs::read_to_string(p)?,
                None => {
                    return Err(Failure::usage(
                        "an agreement's terms carry the protocol-description's hash: give --protocol FILE",
                    ))
                }
            };
            to_body(&terminus_model::bodies::Agreement {
                terms: terminus_ledger::record::section_terms(
                    section,
                    &terminus_model::Crs::WGS84,
                    a.decimals,
                    &lonlat,
                    &a.basis,
                    &protocol,
                ),
            })
        } else {
            // The source as the proposals carry it: map series,
            // edition, scale, sheet, and the transformation used to bring
            // the line to WGS 84 (the reader's notes name it).
            to_body(&terminus_model::bodies::Proposal {
                section: section.clone(),
                crs: terminus_model::Crs::WGS84,
                line: lonlat.iter().map(|p| [p.0, p.1]).collect(),
                source: terminus_model::bodies::ProposalSource {
                    text: a.source.clone(),
                    map_series: a.series.clone(),
                    edition_year: a.edition,
                    scale: a.scale,
                    sheet: a.sheet.clone(),
                    file: line.file_name().map(|n| n.to_string_lossy().into_owned()),
                    transformation: read_notes,
                },
            })
        }
    } else if let (true, Some(section)) = (
        a.kind == "attachment" && (a.catalogue.is_some() || !a.document.is_empty()),
        &a.section,
    ) {
        let req = AttachmentRequest {
            what: a.what.clone(),
            catalogue: a.catalogue.clone(),
            document: a.document.clone(),
            store: a.store.clone(),
            input: a.input.clone(),
        };
        to_body(&attachment_body(&req, s.as_ref(), section)?)
    } else {
        return Err(Failure::usage(
            "give the body: --body FILE, --section NAME --line FILE, or --section NAME --catalogue FILE",
        ));
    };
    let time = a
        .time
        .clone()
        .unwrap_or_else(terminus_ledger::record::now_rfc3339);
    if a.kind == "draft" {
        let Some(me) = s.replay().members().get(&kf.member).cloned() else {
            return Err(Failure::usage(format!(
                "{} is not a member of {} in {}",
                kf.member,
                a.commission,
                a.store.display()
            )));
        };
        let mut body = body;
        if let Some(o) = body.as_object_mut() {
            o.entry("kind").or_insert(serde_json::json!(a.draft_kind));
        }
        let d = terminus_ledger::draft::Draft::sign(
            &a.commission,
            &me.party,
            (&kf.member, &key),
            &time,
            body,
        );
        if a.print {
            return Ok(Signed::Printed(
                serde_json::to_string(&d).unwrap_or_default(),
            ));
        }
        let id = s
            .add_draft(&d)
            .map_err(|err| Failure::failed(format!("not stored: {err}")))?;
        return Ok(Signed::Stored(format!(
            "{}: draft {id} of {} by {} signed and stored in {} (seen by {} only)",
            a.commission,
            d.party,
            d.author,
            a.store.display(),
            d.party
        )));
    }
    let mut e = terminus_ledger::record::Event {
        seq: a.seq.unwrap_or(s.replay().len()),
        commission: a.commission.clone(),
        kind: a.kind.clone(),
        author: kf.member.clone(),
        time,
        prev: a
            .prev
            .clone()
            .unwrap_or_else(|| s.replay().prev().to_string()),
        body: terminus_ledger::record::canonical_raw(&body),
        signature: String::new(),
    };
    e.signature = key.sign(&e.signed_bytes());
    if a.print {
        return Ok(Signed::Printed(
            serde_json::to_string(&e).unwrap_or_default(),
        ));
    }
    s.append(&e)
        .map_err(|err| Failure::failed(format!("not stored: {err}")))?;
    Ok(Signed::Stored(format!(
        "{}: event {} ({} by {}) signed and stored in {}",
        a.commission,
        e.seq,
        e.kind,
        e.author,
        a.store.display()
    )))
}

/// A record checked: valid (with what a reader must know) or not (and where).
pub enum Verification {
    /// Every event, tree head, draft and layer holds.
    Valid {
        /// The record.
        record: Box<Record>,
        /// What verification found.
        verified: terminus_ledger::record::Verified,
        /// Events covered by a signed tree head.
        covered: u64,
        /// Events after the last signed tree head: not yet protected.
        unprotected: u64,
        /// The witness now and the size it moved up from, when one was given.
        witness: Option<(terminus_ledger::witness::Witness, Option<u64>)>,
    },
    /// The first thing that fails.
    Invalid {
        /// The record's commission.
        commission: String,
        /// What failed: event, tree_head, draft, layer, seal, witness.
        failed: &'static str,
        /// Where (event sequence number or tree-head size).
        at: u64,
        /// Why.
        reason: String,
    },
}

/// Verify a record (JSON, store or bundle) offline, beside its log, and
/// against the witness file when given (moving it up).
pub fn verify_file_with_witness(
    file: &std::path::Path,
    witness: Option<&std::path::Path>,
) -> Result<Verification, Failure> {
    use terminus_ledger::record::RecordError;
    let record = read_any(file)?;
    let outcome = verify(&record).map_err(|e| {
        let (kind, at) = match &e {
            RecordError::Event { seq, .. } => ("event", *seq),
            RecordError::Head { size, .. } => ("tree_head", *size),
        };
        (kind, at, e.to_string())
    });
    let outcome = match outcome {
        Ok(v) => beside_the_log(file, &record).map(|_| v),
        Err(e) => Err(e),
    };
    let outcome = match (outcome, witness) {
        (Ok(v), Some(w)) => witnessed(w, &record)
            .map(|seen| (v, Some(seen)))
            .map_err(|why| ("witness", 0, why)),
        (Ok(v), None) => Ok((v, None)),
        (Err(e), _) => Err(e),
    };
    Ok(match outcome {
        Ok((verified, seen)) => {
            // Events no signed tree head covers yet: their authors'
            // signatures hold, but only a witness would notice them dropped.
            let covered = record.heads.iter().map(|h| h.size).max().unwrap_or(0);
            let unprotected = verified.events.saturating_sub(covered);
            Verification::Valid {
                record: Box::new(record),
                verified,
                covered,
                unprotected,
                witness: seen,
            }
        }
        Err((failed, at, reason)) => Verification::Invalid {
            commission: record.commission.clone(),
            failed,
            at,
            reason,
        },
    })
}

/// An agreed section, as a verification reports it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AgreedReport {
    /// SHA-256 of the canonical terms, hex.
    pub terms_sha256: String,
    /// The parties whose heads signed them.
    pub parties: Vec<String>,
    /// Whether the mediator countersigned.
    pub mediator: bool,
    /// The event that completed the agreement.
    pub at: u64,
}

/// The witness after a verification.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WitnessReport {
    /// Events the witness now stands at.
    pub size: u64,
    /// Their tree head, hex.
    pub root: String,
    /// The size it was moved up from (null: it stood there already).
    pub moved_up_from: Option<u64>,
}

/// What `terminus ledger verify --json` prints and `POST
/// /api/bundles/verify` answers (docs/ledger.md): the fields of a valid
/// record, or of the first failure; absent fields are left out.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerificationReport {
    /// Whether everything holds.
    pub valid: bool,
    /// The record's commission.
    pub commission: String,
    /// Valid: events checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<u64>,
    /// Valid: the tree head of all of them, hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// Valid: signed tree heads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree_heads: Option<usize>,
    /// Valid: events covered by a signed tree head.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_by_tree_heads: Option<u64>,
    /// Valid: events after the last signed tree head.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unprotected_events: Option<u64>,
    /// Valid: the witness, when one was given (null otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<Option<WitnessReport>>,
    /// Valid: the members at the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    /// Valid: the sections agreed, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreed: Option<std::collections::BTreeMap<String, AgreedReport>>,
    /// Invalid: what failed (event, tree_head, draft, layer, seal, witness).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
    /// Invalid: where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<u64>,
    /// Invalid: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The report of a verification.
pub fn verification_report(v: &Verification) -> VerificationReport {
    let none = VerificationReport {
        valid: false,
        commission: String::new(),
        events: None,
        root: None,
        tree_heads: None,
        covered_by_tree_heads: None,
        unprotected_events: None,
        witness: None,
        members: None,
        agreed: None,
        failed: None,
        at: None,
        reason: None,
    };
    match v {
        Verification::Valid {
            record,
            verified: v,
            covered,
            unprotected,
            witness: seen,
        } => VerificationReport {
            valid: true,
            commission: record.commission.clone(),
            events: Some(v.events),
            root: Some(v.root.clone()),
            tree_heads: Some(record.heads.len()),
            covered_by_tree_heads: Some(*covered),
            unprotected_events: Some(*unprotected),
            witness: Some(seen.as_ref().map(|(w, moved)| WitnessReport {
                size: w.size,
                root: w.root.clone(),
                moved_up_from: *moved,
            })),
            members: Some(v.members.keys().cloned().collect()),
            agreed: Some(
                v.agreed
                    .iter()
                    .map(|(k, a)| {
                        (
                            k.clone(),
                            AgreedReport {
                                terms_sha256: a.terms_sha256.clone(),
                                parties: a.parties.clone(),
                                mediator: a.mediator,
                                at: a.at,
                            },
                        )
                    })
                    .collect(),
            ),
            ..none
        },
        Verification::Invalid {
            commission,
            failed,
            at,
            reason,
        } => VerificationReport {
            commission: commission.clone(),
            failed: Some(failed.to_string()),
            at: Some(*at),
            reason: Some(reason.clone()),
            ..none
        },
    }
}

/// [`verification_report`] as JSON.
pub fn verification_json(v: &Verification) -> serde_json::Value {
    serde_json::to_value(verification_report(v)).unwrap_or_default()
}
