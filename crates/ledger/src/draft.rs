//! A delegation's drafts: work in progress that only its own party reads,
//! until a member signs it into the record as a proposal.
//!
//! Drafts are kept beside the record, not in it (the other party must not
//! see them, so they cannot be leaves of the common log), but they are
//! signed like events: by their author, over the RFC 8785 canonical JSON
//! `{"body", "commission", "kind": "draft", "party", "author", "time"}`.
//! A store checks each draft's signature when it is written and again
//! when the store is opened, so a draft changed in the database is found
//! and named.

use crate::canonical::canonical;
use crate::keys::{self, MemberKey};
use crate::record::Replay;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Number drafts read in the order they were kept (oldest first) from 1
/// within each party: a party's numbers say nothing of how many drafts
/// the other party keeps (one global sequence would let each count the
/// other's).
pub(crate) fn number_by_party(drafts: &mut [Draft]) {
    let mut next: std::collections::BTreeMap<String, u64> = Default::default();
    for d in drafts {
        let n = next.entry(d.party.clone()).or_insert(0);
        *n += 1;
        d.id = *n;
    }
}

/// One draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Its number among its party's drafts, from 1 (0 until stored; not
    /// signed).
    #[serde(default)]
    pub id: u64,
    /// The party whose draft it is: its author's.
    pub party: String,
    /// The member who wrote it.
    pub author: String,
    /// When, as its author states it (RFC 3339, UTC).
    pub time: String,
    /// What it says: `{section, kind, line, source, text}` as for a
    /// proposal's body.
    pub body: Value,
    /// The author's Ed25519 signature over [`Draft::signed_bytes`], hex.
    pub signature: String,
}

impl Draft {
    /// A draft by `author` of `party`, signed now with `key`.
    pub fn sign(
        commission: &str,
        party: &str,
        (author, key): (&str, &MemberKey),
        time: &str,
        body: Value,
    ) -> Draft {
        let mut d = Draft {
            id: 0,
            party: party.into(),
            author: author.into(),
            time: time.into(),
            body,
            signature: String::new(),
        };
        d.signature = key.sign(&d.signed_bytes(commission));
        d
    }

    /// The bytes its author signs.
    pub fn signed_bytes(&self, commission: &str) -> Vec<u8> {
        canonical(&json!({
            "kind": "draft",
            "commission": commission,
            "party": self.party,
            "author": self.author,
            "time": self.time,
            "body": self.body,
        }))
    }

    /// Check the draft against the record: its author is (`current`: when
    /// it is written) or was (when a store is opened) a member of its
    /// party who writes (not an observer), it states an RFC 3339 time,
    /// and it is signed with a key its author holds (or held: a draft
    /// signed before a rotation stays valid).
    pub fn check(&self, replay: &Replay, current: bool) -> Result<(), String> {
        let member = if current {
            replay.members().get(&self.author)
        } else {
            replay.ever(&self.author)
        };
        let Some(m) = member else {
            return Err(format!(
                "its author {} is not a member of the commission{}",
                self.author,
                if current {
                    " (or their key was revoked)"
                } else {
                    ""
                }
            ));
        };
        if m.party != self.party {
            return Err(format!(
                "its author {} is of party {}, not {}",
                self.author, m.party, self.party
            ));
        }
        if m.role == "observer" {
            return Err(format!(
                "its author {} is an observer; observers do not write drafts",
                self.author
            ));
        }
        if !crate::record::is_rfc3339(&self.time) {
            return Err(format!(
                "its time \"{}\" is not an RFC 3339 date and time",
                self.time
            ));
        }
        let signed = self.signed_bytes(replay.commission());
        let keys: Vec<&String> = if current {
            vec![&m.public_key]
        } else {
            replay.keys_of(&self.author).iter().rev().collect()
        };
        let mut why = String::from("no key");
        for k in keys {
            match keys::verify(k, &signed, &self.signature) {
                Ok(()) => return Ok(()),
                Err(e) => why = e.to_string(),
            }
        }
        Err(format!("signature: {why}"))
    }
}
