//! The service's state: the store (written one request at a time), the
//! record as last written (read by every request without touching the
//! store), and the layers derived from it, rebuilt lazily after a write.

use crate::policy::Caller;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use terminus_ledger::record::{Event, Replay, TreeHead};
use terminus_ledger::store::{Draft, RecordStore, StoreError};
use terminus_ledger::views;

/// Settings of the service.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest request body accepted, bytes.
    pub max_body: usize,
    /// Requests per second allowed to one client (one token, or one
    /// address when anonymous), sustained.
    pub rate_per_s: f64,
    /// Requests one client may make in a burst.
    pub burst: f64,
    /// Longest validity a token may claim, seconds.
    pub max_token_age_s: u64,
    /// Time a client has to send a request's headers (and an idle
    /// keep-alive connection to start the next request), seconds.
    pub header_timeout_s: u64,
    /// Time to read a request's body and answer it, seconds.
    pub request_timeout_s: u64,
    /// Connections open at once from one address.
    pub max_connections_per_address: usize,
    /// Connections open at once in all.
    pub max_connections: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_body: 8 << 20,
            rate_per_s: 200.0,
            burst: 400.0,
            max_token_age_s: 31 * 86_400,
            header_timeout_s: 10,
            request_timeout_s: 120,
            max_connections_per_address: 64,
            max_connections: 4096,
        }
    }
}

/// One feature of a collection, serialised once.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its identifier in the collection.
    pub id: String,
    /// West, south, east, north (None: no geometry).
    pub bbox: Option<[f64; 4]>,
    /// The GeoJSON feature's text.
    pub json: String,
    /// The same without its geometry (`null`) but with its `bbox`: what
    /// `items?skipGeometry=true` serves (a web map that draws the lines
    /// from vector tiles lists them without reading a million vertices).
    pub brief: String,
    /// Whether it shows agreed content (observers see only these).
    pub agreed: bool,
    /// A hash of its id and text, keyed with this process's random key
    /// (SipHash; not predictable, so not collided on purpose): what its
    /// projected tile line is cached by.
    pub content: u64,
}

/// The record as last written.
pub struct Live {
    /// The events, in order.
    pub events: Vec<Arc<Event>>,
    /// Each event's JSON text as served, made once when it is kept: the
    /// log is served from these bytes (the body exactly as signed),
    /// never re-serialised per request.
    pub texts: Vec<Box<str>>,
    /// Signed tree heads.
    pub heads: Vec<TreeHead>,
    /// The replayed state (members, agreed sections, leaves).
    pub replay: Replay,
    /// Drafts by party.
    pub drafts: BTreeMap<String, Vec<Draft>>,
    /// Bumped by every write.
    pub version: u64,
}

impl Live {
    /// The record as `store` holds it, as version `version`.
    fn read(store: &mut dyn RecordStore, version: u64) -> Result<Live, StoreError> {
        let record = store.record()?;
        let replay = store.replay().clone();
        let parties: std::collections::BTreeSet<String> =
            replay.members().values().map(|m| m.party.clone()).collect();
        let mut drafts = BTreeMap::new();
        for p in parties {
            drafts.insert(p.clone(), store.drafts(&p)?);
        }
        let texts = record
            .events
            .iter()
            .map(event_text)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Live {
            texts,
            events: record.events.into_iter().map(Arc::new).collect(),
            heads: record.heads,
            replay,
            drafts,
            version,
        })
    }
}

/// An event's JSON text as the service serves it: its fields, and its
/// body byte for byte as signed.
pub fn event_text(e: &Event) -> Result<Box<str>, StoreError> {
    serde_json::to_string(e)
        .map(String::into_boxed_str)
        .map_err(|err| StoreError::Other(format!("event {}: {err}", e.seq)))
}

/// The collections derived from one version of the record.
#[derive(Default)]
pub struct Collections {
    /// The version they were derived from.
    pub version: u64,
    /// `sections`, `proposals` (shared), `agreed_line`, `pillars`.
    pub by_name: BTreeMap<&'static str, Vec<Item>>,
    /// Each party's drafts as proposal features.
    pub drafts: BTreeMap<String, Vec<Item>>,
    /// Items' lines projected for vector tiles, made when first tiled,
    /// by the item's [`Item::content`]: carried to the next version's
    /// collections for the items that did not change, so a comment does
    /// not project a million-vertex claim line again.
    pub tile_lines: Mutex<HashMap<u64, Arc<crate::tiles::Tiled>>>,
}

/// Everything a request handler reaches.
pub struct Service {
    /// The store; written under this lock, one write at a time.
    pub store: Mutex<Box<dyn RecordStore>>,
    /// The record as last written.
    pub live: RwLock<Live>,
    /// Derived collections, rebuilt when `live.version` moves on.
    pub collections: Mutex<Arc<Collections>>,
    /// Tokens already checked: token → (caller, expiry, version of the
    /// member list it was checked against).
    pub tokens: Mutex<HashMap<String, (Caller, u64, u64)>>,
    /// Bumped when members change (a token checked before is checked
    /// again).
    pub members_version: std::sync::atomic::AtomicU64,
    /// Rate limiting: client → (tokens left, last refill).
    pub buckets: Mutex<HashMap<String, (f64, std::time::Instant)>>,
    /// The settings.
    pub config: Config,
    /// The commission.
    pub commission: String,
    /// The record's version, announced after every write (and every
    /// reload of what other services wrote): `/api/stream` waits on it.
    pub changes: tokio::sync::watch::Sender<u64>,
    /// The commission's DEMs (`terminus serve --dem`): relief tiles and
    /// line-of-sight profiles.
    pub dems: Vec<terminus_app::terrain::relief::ServedDem>,
    /// The base map's countries and places (the bundled Natural Earth
    /// polygons unless `terminus serve --countries/--places` add more).
    pub basemap: Arc<terminus_app::basemap::Basemap>,
    /// The record's event bodies as the views read them, each once.
    pub bodies: views::BodyCache,
}

/// The names of the OGC API collections, with their titles.
pub const COLLECTIONS: [(&str, &str); 4] = [
    ("sections", "Sections: agreed lines, or the latest proposed line while under negotiation"),
    ("proposals", "Proposals, counter-proposals and amendments shared in the record, and the caller's party's drafts"),
    ("agreed_line", "The agreed line, section by section, as both heads signed it"),
    ("pillars", "Pillars of the latest catalogue attached to each agreed section"),
];

/// The value behind a lock even when a request panicked while holding it.
/// Writes replace the record whole (`Live::read`) or add one checked event
/// or draft after the store kept it, so what a panicking request leaves is
/// still a record the store holds; one failed request must not take every
/// later one down with it.
pub fn held<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Service {
    /// The record as last written, for reading (see [`held`]).
    pub fn read_live(&self) -> RwLockReadGuard<'_, Live> {
        self.live.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The record as last written, for a write (see [`held`]).
    pub fn write_live(&self) -> RwLockWriteGuard<'_, Live> {
        self.live.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The store, one writer at a time (see [`held`]).
    pub fn lock_store(&self) -> MutexGuard<'_, Box<dyn RecordStore>> {
        held(&self.store)
    }

    /// A service over `store` (its record already verified on open).
    pub fn new(mut store: Box<dyn RecordStore>, config: Config) -> Result<Service, StoreError> {
        let live = Live::read(store.as_mut(), 1)?;
        let commission = store.commission().to_string();
        Ok(Service {
            store: Mutex::new(store),
            live: RwLock::new(live),
            collections: Mutex::new(Arc::new(Collections::default())),
            tokens: Mutex::new(HashMap::new()),
            members_version: std::sync::atomic::AtomicU64::new(1),
            buckets: Mutex::new(HashMap::new()),
            config,
            commission,
            changes: tokio::sync::watch::Sender::new(1),
            dems: Vec::new(),
            basemap: Arc::new(terminus_app::basemap::Basemap::bundled()),
            bodies: views::BodyCache::default(),
        })
    }

    /// The service with these DEMs to draw relief and profiles from.
    pub fn with_dems(mut self, dems: Vec<terminus_app::terrain::relief::ServedDem>) -> Service {
        self.dems = dems;
        self
    }

    /// The service with this base map of countries and places.
    pub fn with_basemap(mut self, basemap: terminus_app::basemap::Basemap) -> Service {
        self.basemap = Arc::new(basemap);
        self
    }

    /// Take in what other services sharing the store wrote (a PostgreSQL
    /// store shared by several services); call with the store locked.
    pub fn refresh(&self, store: &mut dyn RecordStore) -> Result<(), StoreError> {
        if store.refresh()? {
            self.reload(store)?;
        }
        Ok(())
    }

    /// Rebuild the record as last written from the store.
    pub fn reload(&self, store: &mut dyn RecordStore) -> Result<(), StoreError> {
        let mut live = self.write_live();
        *live = Live::read(store, live.version + 1)?;
        self.members_version
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        self.changed(live.version);
        Ok(())
    }

    /// Announce version `version` of the record to the streams waiting.
    pub fn changed(&self, version: u64) {
        self.changes.send_replace(version);
    }

    /// The collections for the current version of the record.
    pub fn collections(&self) -> Arc<Collections> {
        let live = self.read_live();
        let mut cache = held(&self.collections);
        if cache.version != live.version {
            let next = derive(&live, &self.bodies);
            // The lines already projected, for the items that stayed.
            let kept: std::collections::HashSet<u64> = next
                .by_name
                .values()
                .chain(next.drafts.values())
                .flatten()
                .map(|i| i.content)
                .collect();
            let mut lines = std::mem::take(&mut *held(&cache.tile_lines));
            lines.retain(|k, _| kept.contains(k));
            *held(&next.tile_lines) = lines;
            *cache = Arc::new(next);
        }
        cache.clone()
    }
}

/// An item of a plain feature (a draft's), its geometry in it.
fn item(id: String, feature: &serde_json::Value, agreed: bool) -> Item {
    let bbox = views::bbox(&feature["geometry"]);
    let json = serde_json::to_string(feature).unwrap_or_default();
    finish(id, feature, bbox, json, agreed)
}

/// An item of the layers: its text (a line's written once per event and
/// reused at every version, `views::Lazy`), its brief and bbox.
fn item_of(id: String, feature: &views::Lazy, agreed: bool) -> Item {
    finish(
        id,
        &feature.feature,
        feature.bbox(),
        feature.to_json(),
        agreed,
    )
}

/// The item of `feature` (its geometry left out of the brief) with its
/// bbox and whole text.
fn finish(
    id: String,
    feature: &serde_json::Value,
    bbox: Option<[f64; 4]>,
    json: String,
    agreed: bool,
) -> Item {
    let mut brief = serde_json::Map::new();
    if let Some(f) = feature.as_object() {
        for (k, v) in f {
            if k != "geometry" {
                brief.insert(k.clone(), v.clone());
            }
        }
    }
    brief.insert("geometry".into(), serde_json::Value::Null);
    if let Some(b) = bbox {
        brief.insert("bbox".into(), serde_json::json!(b));
    }
    let content = {
        use std::hash::BuildHasher;
        static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
            std::sync::OnceLock::new();
        KEY.get_or_init(Default::default).hash_one((&id, &json))
    };
    Item {
        id,
        bbox,
        json,
        brief: serde_json::to_string(&brief).unwrap_or_default(),
        agreed,
        content,
    }
}

fn id_of(f: &serde_json::Value) -> String {
    match &f["id"] {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn derive(live: &Live, bodies: &views::BodyCache) -> Collections {
    let layers = views::layers_with(&live.events, &live.replay, bodies);
    let mut by_name = BTreeMap::new();
    let id_of = |f: &views::Lazy| id_of(&f.feature);
    let sections = layers
        .sections
        .iter()
        .map(|f| item_of(id_of(f), f, f.feature["properties"]["status"] == "agreed"))
        .collect();
    by_name.insert("sections", sections);
    let mut proposals = Vec::new();
    for f in &layers.proposals {
        let mut f = f.clone();
        let id = format!("event-{}", f.feature["id"]);
        f.feature["id"] = serde_json::Value::String(id.clone());
        proposals.push(item_of(id, &f, false));
    }
    by_name.insert("proposals", proposals);
    by_name.insert(
        "agreed_line",
        layers
            .agreed_line
            .iter()
            .map(|f| item_of(id_of(f), f, true))
            .collect(),
    );
    by_name.insert(
        "pillars",
        layers
            .pillars
            .iter()
            .map(|f| item_of(id_of(f), f, true))
            .collect(),
    );
    let mut drafts = BTreeMap::new();
    for (party, list) in &live.drafts {
        let mut items = Vec::new();
        for d in list {
            let Some(line) = views::line_of(&d.body) else {
                continue;
            };
            let id = format!("draft-{}", d.id);
            let f = serde_json::json!({
                "type": "Feature",
                "id": id,
                "geometry": {"type": "LineString", "coordinates": line.iter().map(|p| [p.0, p.1]).collect::<Vec<_>>()},
                "properties": {
                    "draft": d.id, "kind": d.body["kind"].as_str().unwrap_or("proposal"),
                    "section": d.body["section"], "author": d.author, "party": d.party,
                    "time": d.time, "source": d.body.get("source"), "status": "draft",
                }
            });
            items.push(item(id, &f, false));
        }
        drafts.insert(party.clone(), items);
    }
    Collections {
        version: live.version,
        by_name,
        drafts,
        tile_lines: Mutex::new(HashMap::new()),
    }
}
