//! Who is a member of the commission, with which key, and who may change
//! that: the roll as the record holds it.
//!
//! The rules, checked against what the record holds for a member, never
//! against what an event's body claims about them:
//!
//! - A member id is given once, to one party, one role and one key.
//!   It is never re-used: not after a revocation, not for another party.
//! - A public key belongs to one member, ever: no two ids share a key,
//!   and a key once held is never held again.
//! - `member` adds a member of the author's own party; `revoke` withdraws
//!   a member of the author's own party (the party the record holds for
//!   that id); `rotate` gives a member of the author's own party a new key
//!   — same id, party and role — the one way a member's key changes,
//!   visible as such in the log. Only heads of delegation make these.
//! - The mediator (party `mediator`) belongs to neither delegation: a
//!   change to its members takes effect only when the heads of two
//!   parties have signed the same change (the same `kind` and the same
//!   canonical member).
//! - The role `mediator` is held in party `mediator` only, and that party
//!   holds mediators and observers only: a delegation cannot make itself
//!   a mediator to countersign its own agreement.
//!
//! Tree heads and drafts signed with a key before it was rotated stay
//! valid: every key a member has held is kept ([`Roll::keys_of`]).

use crate::canonical::canonical;
use crate::keys;
use crate::record::Member;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The mediator's party: neither delegation's.
pub const MEDIATOR: &str = "mediator";

/// The members as replayed so far.
#[derive(Debug, Clone, Default)]
pub struct Roll {
    /// Members now, by id.
    pub members: BTreeMap<String, Member>,
    /// Revoked ids → the event that revoked them.
    pub revoked: BTreeMap<String, String>,
    /// Every id ever admitted, as last recorded.
    pub ever: BTreeMap<String, Member>,
    /// Every key each id has held, oldest first.
    held: BTreeMap<String, Vec<String>>,
    /// Key → the id that holds or held it.
    owner: BTreeMap<String, String>,
    /// Changes to the mediator's members awaiting the second party's
    /// head: (kind, canonical member) → parties that signed it.
    pending: BTreeMap<(String, String), BTreeSet<String>>,
}

/// A member's id, party and role, and key, as one may be recorded.
pub fn check_member(m: &Member) -> Result<(), String> {
    let id_ok = !m.id.is_empty()
        && m.id.len() <= 64
        && m.id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'@'));
    if !id_ok {
        return Err(format!(
            "member id \"{}\" is not 1 to 64 letters, digits, '-', '_', '.' or '@'",
            m.id
        ));
    }
    if !crate::record::ROLES.contains(&m.role.as_str()) {
        return Err(format!(
            "member \"{}\" has role \"{}\"; a role is one of {}",
            m.id,
            m.role,
            crate::record::ROLES.join(", ")
        ));
    }
    if m.party.trim().is_empty() || m.party.len() > 64 {
        return Err(format!(
            "member \"{}\" has no party (or one over 64 bytes)",
            m.id
        ));
    }
    if (m.role == "mediator") != (m.party == MEDIATOR)
        && !(m.party == MEDIATOR && m.role == "observer")
    {
        return Err(format!(
            "member \"{}\" is {} of party \"{}\": the role mediator is held in party \"{MEDIATOR}\" only, which holds mediators and observers",
            m.id, m.role, m.party
        ));
    }
    keys::check_public(&m.public_key).map_err(|e| format!("member \"{}\": {e}", m.id))
}

impl Roll {
    /// Every key `id` has held, oldest first (empty: never a member).
    pub fn keys_of(&self, id: &str) -> &[String] {
        self.held.get(id).map(Vec::as_slice).unwrap_or_default()
    }

    /// Changes to the mediator's members signed by one party's head and
    /// awaiting another's: (kind, member id, parties that signed).
    pub fn pending(&self) -> Vec<(String, String, Vec<String>)> {
        self.pending
            .iter()
            .map(|((kind, member), parties)| {
                let id = serde_json::from_str::<Value>(member)
                    .ok()
                    .and_then(|v| v["id"].as_str().map(str::to_string))
                    .unwrap_or_default();
                (kind.clone(), id, parties.iter().cloned().collect())
            })
            .collect()
    }

    /// Admit a new member (founding, or a `member` event that may take
    /// effect): a fresh id and a fresh key.
    pub fn admit(&mut self, m: &Member, _seq: u64) -> Result<(), String> {
        if let Some(before) = self.ever.get(&m.id) {
            return Err(format!(
                "member id \"{}\" was already given (to {} of party {}): an id is never re-used; a new key for the same member is a `rotate` event",
                m.id, before.role, before.party
            ));
        }
        if let Some(holder) = self.owner.get(&m.public_key) {
            return Err(format!(
                "the public key of \"{}\" is (or was) held by \"{holder}\": a key belongs to one member",
                m.id
            ));
        }
        self.held.insert(m.id.clone(), vec![m.public_key.clone()]);
        self.owner.insert(m.public_key.clone(), m.id.clone());
        self.ever.insert(m.id.clone(), m.clone());
        self.members.insert(m.id.clone(), m.clone());
        Ok(())
    }

    /// A `member`, `revoke` or `rotate` event by `author` (a current
    /// member): checked against the roll, and applied when it takes effect.
    pub fn change(
        &mut self,
        kind: &str,
        body: &Value,
        author: &Member,
        seq: u64,
    ) -> Result<(), String> {
        let stated = &body["member"];
        let id = stated["id"]
            .as_str()
            .ok_or("it names no member (\"member\": {\"id\": …})")?
            .to_string();
        // The subject as the record holds it (revoke, rotate), or as the
        // event introduces it (member).
        let subject: Member = match kind {
            "member" => {
                let m: Member = serde_json::from_value(stated.clone())
                    .map_err(|err| format!("its member is malformed: {err}"))?;
                check_member(&m)?;
                m
            }
            _ => {
                let Some(now) = self.members.get(&id).cloned() else {
                    return Err(match self.revoked.get(&id) {
                        Some(at) => format!("member \"{id}\" was already revoked by event {at}"),
                        None => format!("\"{id}\" is not a member of the commission"),
                    });
                };
                // What the body says of the member must be what the record
                // holds (a rotation states its new key).
                for field in ["party", "role"] {
                    if let Some(said) = stated.get(field) {
                        let held = if field == "party" {
                            &now.party
                        } else {
                            &now.role
                        };
                        if said.as_str() != Some(held.as_str()) {
                            return Err(format!(
                                "it says \"{id}\" has {field} {said}; the record holds {held}: a member's party and role never change"
                            ));
                        }
                    }
                }
                if kind == "revoke" {
                    if let Some(said) = stated.get("public_key") {
                        if said.as_str() != Some(now.public_key.as_str()) {
                            return Err(format!(
                                "it names a key of \"{id}\" the record does not hold as current"
                            ));
                        }
                    }
                    now
                } else {
                    let key = stated["public_key"]
                        .as_str()
                        .ok_or("a rotation states the member's new \"public_key\"")?;
                    let rotated = Member {
                        public_key: key.to_string(),
                        ..now
                    };
                    check_member(&rotated)?;
                    rotated
                }
            }
        };
        if author.role != "head" {
            return Err(format!(
                "only heads of delegation add, revoke or re-key members; {} is {}",
                author.id, author.role
            ));
        }
        if subject.party == MEDIATOR {
            // Both delegations: the same change signed by two parties'
            // heads.
            let change = (
                kind.to_string(),
                String::from_utf8(canonical(&serde_json::json!(subject))).unwrap_or_default(),
            );
            let parties = self.pending.entry(change.clone()).or_default();
            parties.insert(author.party.clone());
            if parties.len() < 2 {
                // Preconditions checked now, and again when it completes.
                return self.precheck(kind, &subject);
            }
            self.pending.remove(&change);
        } else if author.party != subject.party {
            return Err(format!(
                "only a head of party \"{}\" (the party the record holds for \"{}\") may add, revoke or re-key its members; {} is of party {}",
                subject.party, subject.id, author.id, author.party
            ));
        }
        self.apply(kind, subject, seq)
    }

    /// What an effect needs of the roll, checked without applying it.
    fn precheck(&self, kind: &str, subject: &Member) -> Result<(), String> {
        let mut trial = self.clone();
        trial.apply(kind, subject.clone(), 0)
    }

    fn apply(&mut self, kind: &str, subject: Member, seq: u64) -> Result<(), String> {
        match kind {
            "member" => self.admit(&subject, seq),
            "revoke" => {
                self.members.remove(&subject.id);
                self.revoked.insert(subject.id, seq.to_string());
                Ok(())
            }
            _ => {
                if let Some(holder) = self.owner.get(&subject.public_key) {
                    return Err(format!(
                        "the new key of \"{}\" is (or was) held by \"{holder}\": a key is held once",
                        subject.id
                    ));
                }
                self.owner
                    .insert(subject.public_key.clone(), subject.id.clone());
                self.held
                    .entry(subject.id.clone())
                    .or_default()
                    .push(subject.public_key.clone());
                self.ever.insert(subject.id.clone(), subject.clone());
                self.members.insert(subject.id.clone(), subject);
                Ok(())
            }
        }
    }
}
