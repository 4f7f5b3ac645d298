//! The commission's record: a chain of signed events in a Merkle log.
//!
//! Every change is a new event; nothing is edited or deleted. Each event
//! names its position (`seq`), the hash of the event before it (`prev`:
//! the RFC 6962 leaf hash of that event's canonical bytes), its author (a
//! member) and what happened (`kind`, `body`), and carries the author's
//! Ed25519 signature over its canonical bytes without the signature
//! (RFC 8785). The log's tree heads, signed by members, fix its content at
//! a size; a later head proves by a consistency proof that it only
//! appended.
//!
//! Who may write is part of the record: the first event (`commission`)
//! lists the parties and their members with their public keys, signed by
//! one of them; `member` events add members, `revoke` events withdraw a
//! key, each signed by a head of delegation of that member's party.
//! An `agreement` event carries a section's terms ([`section_terms`]); the
//! section is agreed when the heads of two parties have signed the same
//! terms (the same canonical bytes), the mediator optionally
//! countersigning; an `amendment` reopens it.
//! [`verify`] replays the record from the start and names the first event
//! that fails, and why.

use crate::canonical::canonical;
use crate::keys::{self, MemberKey};
use crate::membership::{check_member, Roll};
use crate::merkle::{self, Hash};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// One entry of the record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    /// Position in the log, from 0.
    pub seq: u64,
    /// The commission's identifier.
    pub commission: String,
    /// What happened: `commission`, `member`, `revoke`, `proposal`,
    /// `counter_proposal`, `comment`, `agreement`, `amendment`,
    /// `attachment`, `survey`.
    pub kind: String,
    /// The member who wrote it.
    pub author: String,
    /// When, as its author states it (RFC 3339, UTC).
    pub time: String,
    /// Leaf hash of the previous event, hex ("" for the first).
    pub prev: String,
    /// What the kind says: JSON text, kept byte for byte as signed
    /// (canonical when written by [`Record::append`]). Kept as text, not
    /// re-read numbers, so that a record read back from a file or a
    /// database signs the same bytes whatever the JSON reader's rounding.
    pub body: Box<RawValue>,
    /// The author's signature over the event's canonical bytes without
    /// this field, hex.
    pub signature: String,
}

impl Event {
    /// The bytes the author signs: the canonical JSON of every field but
    /// the signature.
    pub fn signed_bytes(&self) -> Vec<u8> {
        self.envelope(None)
    }

    /// Its leaf in the log: the canonical JSON of the whole event.
    pub fn leaf(&self) -> Hash {
        merkle::leaf_hash(&self.envelope(Some(&self.signature)))
    }

    /// The event as canonical JSON (members in RFC 8785 order), the body's
    /// text as it stands; with or without the signature.
    fn envelope(&self, signature: Option<&str>) -> Vec<u8> {
        let text = |s: &str| {
            String::from_utf8(canonical(&Value::String(s.to_string()))).unwrap_or_default()
        };
        let mut out = format!(
            "{{\"author\":{},\"body\":{},\"commission\":{},\"kind\":{},\"prev\":{},\"seq\":{}",
            text(&self.author),
            self.body.get(),
            text(&self.commission),
            text(&self.kind),
            text(&self.prev),
            self.seq
        );
        if let Some(sig) = signature {
            out.push_str(&format!(",\"signature\":{}", text(sig)));
        }
        out.push_str(&format!(",\"time\":{}}}", text(&self.time)));
        out.into_bytes()
    }

    /// The body as a JSON value.
    pub fn body_value(&self) -> Value {
        serde_json::from_str(self.body.get()).unwrap_or(Value::Null)
    }
}

/// A member of the commission as the record knows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// Identifier, unique in the commission.
    pub id: String,
    /// The party (delegation), or "mediator".
    pub party: String,
    /// `head`, `expert`, `mediator` or `observer`.
    pub role: String,
    /// Ed25519 public key, hex.
    pub public_key: String,
}

impl Member {
    /// A member holding `key` (its public half is recorded).
    pub fn new(id: &str, party: &str, role: &str, key: &MemberKey) -> Member {
        Member {
            id: id.into(),
            party: party.into(),
            role: role.into(),
            public_key: key.public_hex(),
        }
    }
}

/// A signed tree head: the log's content fixed at `size` events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeHead {
    /// Number of events covered.
    pub size: u64,
    /// The Merkle tree head of their leaves, hex.
    pub root: String,
    /// The member who signed it.
    pub signer: String,
    /// Signature over canonical {"commission", "size", "root"}, hex.
    pub signature: String,
}

impl TreeHead {
    /// The head of `commission`'s log at `size` events with tree head
    /// `root` (hex), signed by `signer`.
    pub fn sign(
        commission: &str,
        size: u64,
        root: &str,
        (signer, key): (&str, &MemberKey),
    ) -> TreeHead {
        TreeHead {
            size,
            root: root.to_string(),
            signer: signer.to_string(),
            signature: key.sign(&head_bytes(commission, size, root)),
        }
    }
}

/// Where and why a record fails verification.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordError {
    /// An event fails.
    #[error("event {seq} ({kind} by {author}): {why}")]
    Event {
        /// Its position in the record as given.
        seq: u64,
        /// Its kind.
        kind: String,
        /// Its author.
        author: String,
        /// What is wrong.
        why: String,
    },
    /// A tree head fails.
    #[error("tree head at size {size} signed by {signer}: {why}")]
    Head {
        /// Its size.
        size: u64,
        /// Its signer.
        signer: String,
        /// What is wrong.
        why: String,
    },
}

/// The record being written: events appended and signed in order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    /// The commission's identifier.
    pub commission: String,
    /// The events, in order.
    pub events: Vec<Event>,
    /// Signed tree heads.
    pub heads: Vec<TreeHead>,
}

impl Record {
    /// A new record whose first event founds the commission with its
    /// `members`, signed by `founder` (one of them).
    pub fn found(
        commission: &str,
        members: &[Member],
        founder: (&str, &MemberKey),
        time: &str,
    ) -> Record {
        let mut r = Record {
            commission: commission.to_string(),
            ..Default::default()
        };
        r.append("commission", json!({ "members": members }), founder, time);
        r
    }

    /// Append an event by `author` (id and key), signed now.
    pub fn append(
        &mut self,
        kind: &str,
        body: Value,
        (author, key): (&str, &MemberKey),
        time: &str,
    ) -> &Event {
        let mut e = Event {
            seq: self.events.len() as u64,
            commission: self.commission.clone(),
            kind: kind.to_string(),
            author: author.to_string(),
            time: time.to_string(),
            prev: self
                .events
                .last()
                .map(|p| hex::encode(p.leaf()))
                .unwrap_or_default(),
            body: canonical_raw(&body),
            signature: String::new(),
        };
        e.signature = key.sign(&e.signed_bytes());
        self.events.push(e);
        self.events.last().expect("just pushed")
    }

    /// The leaf hashes of the events.
    pub fn leaves(&self) -> Vec<Hash> {
        self.events.iter().map(Event::leaf).collect()
    }

    /// Sign the current tree head as `signer`.
    pub fn sign_head(&mut self, signer: (&str, &MemberKey)) -> &TreeHead {
        let size = self.events.len() as u64;
        let root = hex::encode(merkle::root(&self.leaves()));
        self.heads
            .push(TreeHead::sign(&self.commission, size, &root, signer));
        self.heads.last().expect("just pushed")
    }
}

/// `value` as canonical JSON text.
pub fn canonical_raw(value: &Value) -> Box<RawValue> {
    let text = String::from_utf8(canonical(value)).unwrap_or_else(|_| "null".into());
    RawValue::from_string(text)
        .unwrap_or_else(|_| RawValue::from_string("null".into()).expect("null is JSON"))
}

/// A proposal's line: `line` as two or more `[lon, lat]` numbers on
/// WGS 84 (EPSG:4326 is the only CRS a proposal's line is recorded in);
/// says which vertex is wrong.
pub fn check_line(body: &Value) -> Result<(), String> {
    if let Some(crs) = body.get("crs").and_then(Value::as_str) {
        if crs != "EPSG:4326" && crs != "OGC:CRS84" {
            return Err(format!(
                "its CRS is {crs}; lines are recorded in EPSG:4326 (longitude, latitude)"
            ));
        }
    }
    let Some(line) = body.get("line") else {
        return Err("there is no \"line\"".into());
    };
    let Some(points) = line.as_array() else {
        return Err("\"line\" is not an array of [longitude, latitude] positions".into());
    };
    if points.len() < 2 {
        return Err(format!(
            "it has {} position(s); a line needs two or more",
            points.len()
        ));
    }
    for (i, p) in points.iter().enumerate() {
        let xy = p.as_array().and_then(|a| {
            (a.len() == 2 || a.len() == 3)
                .then(|| Some((a[0].as_f64()?, a[1].as_f64()?)))
                .flatten()
        });
        let Some((lon, lat)) = xy else {
            return Err(format!(
                "vertex {i} is not a [longitude, latitude] pair of numbers: {p}"
            ));
        };
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(format!(
                "vertex {i} ({lon}, {lat}) is outside longitude ±180°, latitude ±90°"
            ));
        }
    }
    Ok(())
}

/// Unix seconds as RFC 3339 UTC (civil-from-days, Hinnant).
pub fn rfc3339(secs: u64) -> String {
    let secs = secs as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Now as RFC 3339 UTC, from the system clock.
pub fn now_rfc3339() -> String {
    rfc3339(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    )
}

/// The roles a member may hold.
pub const ROLES: [&str; 4] = ["head", "expert", "mediator", "observer"];

/// The kinds of event the record knows.
pub const KINDS: [&str; 12] = [
    "commission",
    "member",
    "revoke",
    "rotate",
    "section",
    "proposal",
    "counter_proposal",
    "comment",
    "agreement",
    "amendment",
    "attachment",
    "survey",
];

/// A body as the record keeps it: a JSON object in RFC 8785 canonical
/// form (one text, one meaning: no duplicate names, no second spelling
/// of a number, no lone surrogate).
pub fn check_body(text: &str) -> Result<(), String> {
    crate::canonical::check(text).map_err(|e| format!("its body is {e}"))?;
    if !text.starts_with('{') {
        return Err("its body is not a JSON object".into());
    }
    Ok(())
}

/// Whether `t` is an RFC 3339 date-time (§5.6): full date, `T`, full
/// time with optional fraction, `Z` or a numeric offset; every field in
/// its range (days by month and leap year, seconds to 60 for a leap
/// second).
pub fn is_rfc3339(t: &str) -> bool {
    let b = t.as_bytes();
    let num = |from: usize, n: usize| -> Option<u32> {
        let d = b.get(from..from + n)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0u32, |v, c| v * 10 + u32::from(c - b'0')))
    };
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
        num(0, 4),
        num(5, 2),
        num(8, 2),
        num(11, 2),
        num(14, 2),
        num(17, 2),
    ) else {
        return false;
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if d == 0 || d > days || h > 23 || mi > 59 || s > 60 {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len()
                && b[i + 3] == b':'
                && num(i + 1, 2).is_some_and(|oh| oh <= 23)
                && num(i + 4, 2).is_some_and(|om| om <= 59)
        }
        _ => false,
    }
}

fn head_bytes(commission: &str, size: u64, root: &str) -> Vec<u8> {
    canonical(&json!({"commission": commission, "size": size, "root": root}))
}

/// What a verified record establishes.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    /// Events checked.
    pub events: u64,
    /// The tree head of all of them, hex.
    pub root: String,
    /// The members at the end, by id (revoked ones removed).
    pub members: BTreeMap<String, Member>,
    /// Sections agreed at the end: the SHA-256 of the terms the heads of
    /// two or more parties signed, and those parties (with the mediator
    /// where it countersigned).
    pub agreed: BTreeMap<String, Agreed>,
}

/// An agreed section.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreed {
    /// SHA-256 of the canonical terms, hex.
    pub terms_sha256: String,
    /// The parties whose heads signed them.
    pub parties: Vec<String>,
    /// Whether the mediator countersigned.
    pub mediator: bool,
    /// The event that completed the agreement.
    pub at: u64,
}

/// The terms two delegations sign for a section: the line with its CRS,
/// every coordinate written with exactly `decimals` decimals (so that the
/// text, not a float's rendering, is what is agreed), the basis (the
/// treaty, protocol or map the line follows) and the SHA-256 of the
/// protocol-description's text. Signed as RFC 8785 canonical JSON.
pub fn section_terms(
    section: &str,
    crs: &terminus_model::Crs,
    decimals: usize,
    line: &[(f64, f64)],
    basis: &str,
    protocol_text: &str,
) -> terminus_model::bodies::SectionTerms {
    use sha2::{Digest, Sha256};
    terminus_model::bodies::SectionTerms {
        section: section.to_string(),
        crs: crs.clone(),
        decimals,
        line: line
            .iter()
            .map(|&(x, y)| [format!("{x:.decimals$}"), format!("{y:.decimals$}")])
            .collect(),
        basis: basis.to_string(),
        protocol_sha256: hex::encode(Sha256::digest(protocol_text.as_bytes())),
    }
}

/// The record's state as replayed so far: what the next event must link
/// to and who may write it. [`verify`] replays a whole record with it; a
/// store checks each event before it is kept.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    commission: String,
    next: u64,
    prev: String,
    /// Who is a member, with which keys (every key each has held, for
    /// tree heads and drafts signed before a revocation or rotation).
    roll: Roll,
    leaves: Vec<Hash>,
    /// The log's head, kept as it grows.
    frontier: merkle::Frontier,
    /// Per section: the terms' hash and who signed them since the last
    /// amendment (party or "mediator" → event).
    signatures: BTreeMap<String, BTreeMap<String, BTreeMap<String, u64>>>,
    agreed: BTreeMap<String, Agreed>,
    /// The latest version of each attachment: (section, what) → event.
    attachments: BTreeMap<(String, String), u64>,
    /// Sections introduced so far (by a `section`, `proposal` or
    /// `agreement` event).
    sections: std::collections::BTreeSet<String>,
}

impl Replay {
    /// Nothing replayed yet, for `commission`.
    pub fn new(commission: &str) -> Replay {
        Replay {
            commission: commission.to_string(),
            ..Default::default()
        }
    }

    /// Events accepted so far.
    pub fn len(&self) -> u64 {
        self.next
    }

    /// Whether no event has been accepted.
    pub fn is_empty(&self) -> bool {
        self.next == 0
    }

    /// The leaf hash the next event must name as `prev`, hex.
    pub fn prev(&self) -> &str {
        &self.prev
    }

    /// The members now.
    pub fn members(&self) -> &BTreeMap<String, Member> {
        &self.roll.members
    }

    /// Every key `id` has held, oldest first (empty: never a member).
    pub fn keys_of(&self, id: &str) -> &[String] {
        self.roll.keys_of(id)
    }

    /// Changes to the mediator's members signed by one party's head and
    /// awaiting another party's: (kind, member id, parties that signed).
    pub fn pending_mediator_changes(&self) -> Vec<(String, String, Vec<String>)> {
        self.roll.pending()
    }

    /// A member as last recorded, revoked or not (for what they signed
    /// while they were a member).
    pub fn ever(&self, id: &str) -> Option<&Member> {
        self.roll.ever.get(id)
    }

    /// The commission.
    pub fn commission(&self) -> &str {
        &self.commission
    }

    /// Whether a `section`, `proposal` or `agreement` has named `section`
    /// (only then may it be answered).
    pub fn knows_section(&self, section: &str) -> bool {
        self.sections.contains(section)
    }

    /// Sections agreed now.
    pub fn agreed(&self) -> &BTreeMap<String, Agreed> {
        &self.agreed
    }

    /// The latest version of each attachment: (section, what) → event.
    pub fn attachments(&self) -> &BTreeMap<(String, String), u64> {
        &self.attachments
    }

    /// The leaf hashes of the accepted events.
    pub fn leaves(&self) -> &[Hash] {
        &self.leaves
    }

    /// The tree head of the accepted events, hex.
    pub fn root(&self) -> String {
        hex::encode(self.frontier.root())
    }

    /// Check `e` as the next event and take it in; on failure nothing
    /// changes.
    pub fn apply(&mut self, e: &Event) -> Result<(), RecordError> {
        let fail = |why: String| RecordError::Event {
            seq: e.seq,
            kind: e.kind.clone(),
            author: e.author.clone(),
            why,
        };
        let i = self.next;
        if e.seq != i {
            return Err(fail(format!(
                "it stands at position {i} of the record but says {}: an event was removed, inserted or moved",
                e.seq
            )));
        }
        if e.commission != self.commission {
            return Err(fail(format!(
                "it belongs to commission \"{}\", not \"{}\"",
                e.commission, self.commission
            )));
        }
        if e.prev != self.prev {
            return Err(fail(
                "its link to the event before does not match that event: the record was changed before it"
                    .into(),
            ));
        }
        // The event's own text: one spelling of everything signed (a
        // second spelling would be a second leaf for one signature, or
        // two meanings for one body).
        if !KINDS.contains(&e.kind.as_str()) {
            return Err(fail(format!(
                "kind \"{}\" is not one of the record's kinds ({})",
                e.kind,
                KINDS.join(", ")
            )));
        }
        if !is_rfc3339(&e.time) {
            return Err(fail(format!(
                "its time \"{}\" is not an RFC 3339 date and time (e.g. 2026-11-28T10:00:00Z)",
                e.time
            )));
        }
        if !keys::is_lower_hex(&e.signature, 64) {
            return Err(fail(
                "its signature is not 64 bytes as 128 lower-case hexadecimal digits".into(),
            ));
        }
        check_body(e.body.get()).map_err(fail)?;
        if i == 0 && e.kind != "commission" {
            return Err(fail("the first event must found the commission".into()));
        }
        if i > 0 && e.kind == "commission" {
            return Err(fail(
                "a commission is founded once, by the first event".into(),
            ));
        }
        // The founding event introduces its own author.
        let mut roll = None;
        if i == 0 {
            let mut founded = Roll::default();
            let listed: Vec<Member> = serde_json::from_value(e.body_value()["members"].clone())
                .map_err(|err| fail(format!("its member list is malformed: {err}")))?;
            if listed.is_empty() {
                return Err(fail("its member list is empty".into()));
            }
            for m in &listed {
                check_member(m).map_err(&fail)?;
                founded.admit(m, e.seq).map_err(&fail)?;
            }
            if founded.members.get(&e.author).map(|m| m.role.as_str()) != Some("head") {
                return Err(fail(
                    "a commission is founded by one of the heads of delegation it lists".into(),
                ));
            }
            roll = Some(founded);
        }
        let now = roll.as_ref().unwrap_or(&self.roll);
        let Some(author) = now.members.get(&e.author).cloned() else {
            let why = match now.revoked.get(&e.author) {
                Some(at) => format!("its author's key was revoked by event {at}"),
                None => "its author is not a member of the commission".into(),
            };
            return Err(fail(why));
        };
        keys::verify(&author.public_key, &e.signed_bytes(), &e.signature)
            .map_err(|err| fail(format!("signature: {err}")))?;
        if author.role == "observer" {
            return Err(fail(
                "observers read agreed sections; they do not write to the record".into(),
            ));
        }
        if matches!(e.kind.as_str(), "member" | "revoke" | "rotate") {
            let mut changed = roll.take().unwrap_or_else(|| self.roll.clone());
            changed
                .change(&e.kind, &e.body_value(), &author, e.seq)
                .map_err(fail)?;
            roll = Some(changed);
        }
        let mut signatures = None;
        let mut agreed = None;
        let mut attached = None;
        let mut introduced = None;
        if e.kind != "commission" && e.kind != "member" && e.kind != "revoke" {
            let body = e.body_value();
            let named = body["section"]
                .as_str()
                .or_else(|| body["terms"]["section"].as_str());
            if matches!(e.kind.as_str(), "proposal" | "counter_proposal") {
                check_line(&body).map_err(|why| fail(format!("its line is malformed: {why}")))?;
            } else if e.kind == "amendment" && body.get("line").is_some() {
                check_line(&body).map_err(|why| fail(format!("its line is malformed: {why}")))?;
            }
            match (e.kind.as_str(), named) {
                ("section" | "proposal" | "agreement", Some(s)) => {
                    introduced = Some(s.to_string());
                }
                (
                    "section" | "proposal" | "agreement" | "counter_proposal" | "amendment"
                    | "attachment",
                    None,
                ) => {
                    return Err(fail("it names no section".into()));
                }
                (_, Some(s)) if !self.sections.contains(s) => {
                    return Err(fail(format!(
                        "section \"{s}\" is unknown: no section, proposal or agreement has named it"
                    )));
                }
                _ => {}
            }
        }
        match e.kind.as_str() {
            "agreement" => {
                // The heads sign the section's terms; the mediator may
                // countersign. Agreed once two parties' heads signed the
                // same terms.
                if author.role != "head" && author.role != "mediator" {
                    return Err(fail(format!(
                        "only heads of delegation (and the mediator) sign agreements; {} is {}",
                        author.id, author.role
                    )));
                }
                let body = e.body_value();
                let section = body["terms"]["section"]
                    .as_str()
                    .ok_or_else(|| fail("its terms name no section".into()))?
                    .to_string();
                use sha2::{Digest, Sha256};
                // The terms' own text inside the (canonical) body: what
                // both heads signed, byte for byte, not a re-serialisation
                // of the numbers as this reader parsed them.
                #[derive(Deserialize)]
                struct Terms<'a> {
                    #[serde(borrow)]
                    terms: &'a RawValue,
                }
                let terms: Terms = serde_json::from_str(e.body.get())
                    .map_err(|err| fail(format!("its terms cannot be read: {err}")))?;
                let hash = hex::encode(Sha256::digest(terms.terms.get().as_bytes()));
                let mut sig = self.signatures.clone();
                let by_terms = sig.entry(section.clone()).or_default();
                let signers = by_terms.entry(hash.clone()).or_default();
                let who = if author.role == "mediator" {
                    "mediator".to_string()
                } else {
                    author.party.clone()
                };
                signers.insert(who, e.seq);
                let parties: Vec<String> = signers
                    .keys()
                    .filter(|p| *p != "mediator")
                    .cloned()
                    .collect();
                let mut ag = self.agreed.clone();
                if parties.len() >= 2 {
                    ag.insert(
                        section,
                        Agreed {
                            terms_sha256: hash,
                            mediator: signers.contains_key("mediator"),
                            parties,
                            at: e.seq,
                        },
                    );
                }
                signatures = Some(sig);
                agreed = Some(ag);
            }
            "amendment" => {
                // An amendment reopens the section: its terms must be
                // signed again.
                let body = e.body_value();
                let section = body["section"]
                    .as_str()
                    .ok_or_else(|| fail("it names no section".into()))?;
                let mut sig = self.signatures.clone();
                sig.remove(section);
                let mut ag = self.agreed.clone();
                ag.remove(section);
                signatures = Some(sig);
                agreed = Some(ag);
            }
            "attachment" => {
                // A pillar catalogue or protocol-description is a version
                // attached to the terms as agreed: it names them by hash,
                // and the version it replaces (none for the first).
                let body = e.body_value();
                let section = body["section"]
                    .as_str()
                    .ok_or_else(|| fail("it names no section".into()))?;
                let what = body["what"]
                    .as_str()
                    .ok_or_else(|| fail("it does not say what it attaches (\"what\")".into()))?;
                let Some(a) = self.agreed.get(section) else {
                    return Err(fail(format!(
                        "section \"{section}\" is not agreed: documents are attached to agreed sections only"
                    )));
                };
                if body["terms_sha256"].as_str() != Some(a.terms_sha256.as_str()) {
                    return Err(fail(format!(
                        "it attaches to terms {} but section \"{section}\" was agreed on terms {}",
                        body["terms_sha256"].as_str().unwrap_or("(none)"),
                        a.terms_sha256
                    )));
                }
                let key = (section.to_string(), what.to_string());
                let latest = self.attachments.get(&key).copied();
                if body["replaces"].as_u64() != latest {
                    return Err(fail(format!(
                        "it says it replaces {} but the latest {what} of \"{section}\" is {}: the chain of versions is broken",
                        body["replaces"].as_u64().map_or("nothing".into(), |s| format!("event {s}")),
                        latest.map_or("none".into(), |s| format!("event {s}"))
                    )));
                }
                let mut at = self.attachments.clone();
                at.insert(key, e.seq);
                attached = Some(at);
            }
            _ => {}
        }
        let leaf = e.leaf();
        if let Some(s) = introduced {
            self.sections.insert(s);
        }
        if let Some(at) = attached {
            self.attachments = at;
        }
        if let Some(sig) = signatures {
            self.signatures = sig;
        }
        if let Some(ag) = agreed {
            self.agreed = ag;
        }
        if let Some(r) = roll {
            self.roll = r;
        }
        self.prev = hex::encode(leaf);
        self.leaves.push(leaf);
        self.frontier.push(leaf);
        self.next += 1;
        Ok(())
    }

    /// Check a signed tree head against the events accepted so far.
    pub fn check_head(&self, h: &TreeHead) -> Result<(), RecordError> {
        let fail = |why: String| RecordError::Head {
            size: h.size,
            signer: h.signer.clone(),
            why,
        };
        if h.size == 0 {
            return Err(fail("a tree head covers one event or more".into()));
        }
        if h.size > self.next {
            return Err(fail(format!(
                "it covers {} events; the record has {}: events were dropped",
                h.size, self.next
            )));
        }
        if !keys::is_lower_hex(&h.root, 32) || !keys::is_lower_hex(&h.signature, 64) {
            return Err(fail(
                "its root and signature are 32 and 64 bytes in lower-case hexadecimal, one text each".into(),
            ));
        }
        if hex::encode(merkle::root(&self.leaves[..h.size as usize])) != h.root {
            return Err(fail(
                "the log's first events no longer hash to it: they were changed".into(),
            ));
        }
        let held = self.roll.keys_of(&h.signer);
        if held.is_empty() {
            return Err(fail("its signer is not a member".into()));
        }
        // Signed with a key the signer held: a head signed before a
        // rotation stays valid.
        let signed = head_bytes(&self.commission, h.size, &h.root);
        let mut last = None;
        for key in held.iter().rev() {
            match keys::verify(key, &signed, &h.signature) {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(fail(format!(
            "signature: {}",
            last.map(|e| e.to_string()).unwrap_or_default()
        )))
    }
}

/// Replay `record` from its first event: numbering, chain of hashes,
/// authors' membership and signatures, the membership rules, and every
/// tree head against the log; the first failure is named.
pub fn verify(record: &Record) -> Result<Verified, RecordError> {
    let mut replay = Replay::new(&record.commission);
    for e in &record.events {
        replay.apply(e)?;
    }
    for h in &record.heads {
        replay.check_head(h)?;
    }
    Ok(Verified {
        events: replay.len(),
        root: replay.root(),
        members: replay.roll.members,
        agreed: replay.agreed,
    })
}

/// What merging another copy of the record brought.
#[derive(Debug, Clone, PartialEq)]
pub enum Merge {
    /// The other copy adds `new` events to ours (it extends it).
    Extended {
        /// Events added.
        new: u64,
    },
    /// Ours already holds everything the other copy has.
    NothingNew,
}

/// Two copies of a record that disagree: the same commission with two
/// different histories.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the two copies of commission \"{commission}\" fork at event {seq}: ours is {ours_kind} by {ours_author}, theirs is {theirs_kind} by {theirs_author}; neither extends the other, so nothing was merged")]
pub struct Fork {
    /// The commission.
    pub commission: String,
    /// The first position where they differ.
    pub seq: u64,
    /// Our event there.
    pub ours_kind: String,
    /// Its author.
    pub ours_author: String,
    /// Theirs.
    pub theirs_kind: String,
    /// Its author.
    pub theirs_author: String,
}

/// Why another copy cannot be merged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    /// It does not verify on its own.
    #[error("the other copy does not verify: {0}")]
    Invalid(#[from] RecordError),
    /// It is another commission's.
    #[error("the other copy is commission \"{theirs}\"'s, not \"{ours}\"'s")]
    OtherCommission {
        /// Ours.
        ours: String,
        /// Theirs.
        theirs: String,
    },
    /// The histories fork.
    #[error(transparent)]
    Fork(Box<Fork>),
}

impl From<Fork> for MergeError {
    fn from(f: Fork) -> MergeError {
        MergeError::Fork(Box::new(f))
    }
}

/// Merge `theirs` into `ours` (an air-gapped exchange): `theirs` is
/// verified on its own; if one history is a prefix of the other (equal
/// leaf hashes), ours becomes the longer, with both copies' tree heads;
/// otherwise the fork is reported and `ours` is left as it was.
pub fn merge(ours: &mut Record, theirs: &Record) -> Result<Merge, MergeError> {
    if ours.commission != theirs.commission {
        return Err(MergeError::OtherCommission {
            ours: ours.commission.clone(),
            theirs: theirs.commission.clone(),
        });
    }
    verify(theirs)?;
    let common = ours.events.len().min(theirs.events.len());
    for k in 0..common {
        if ours.events[k].leaf() != theirs.events[k].leaf() {
            let (o, t) = (&ours.events[k], &theirs.events[k]);
            return Err(Fork {
                commission: ours.commission.clone(),
                seq: k as u64,
                ours_kind: o.kind.clone(),
                ours_author: o.author.clone(),
                theirs_kind: t.kind.clone(),
                theirs_author: t.author.clone(),
            }
            .into());
        }
    }
    let mut merged = ours.clone();
    let new = theirs.events.len().saturating_sub(ours.events.len());
    merged
        .events
        .extend(theirs.events[common..].iter().cloned());
    for h in &theirs.heads {
        if !merged.heads.contains(h) {
            merged.heads.push(h.clone());
        }
    }
    merged
        .heads
        .sort_by(|a, b| (a.size, &a.signer).cmp(&(b.size, &b.signer)));
    verify(&merged)?;
    *ours = merged;
    Ok(if new > 0 {
        Merge::Extended { new: new as u64 }
    } else {
        Merge::NothingNew
    })
}
