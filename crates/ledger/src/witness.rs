//! A member's local witness: the largest log this member's tool has seen
//! verified, so that a record rolled back (its tail deleted together with
//! the tree heads that covered it) or rewritten is refused.
//!
//! A log cannot detect its own truncation: cut after any event, and with
//! its later tree heads removed, what remains is a valid shorter record.
//! What detects it is someone who saw more. Each member's tool keeps the
//! size and root of the longest record it verified (or the tree head it
//! signed) in a small file; a record is then accepted only if it extends
//! that log — at least as many events, and its first `size` events hash
//! to the same root (RFC 9162 §2.1.4: one tree is a prefix of the other).
//!
//! Limits: a witness protects only what its holder saw. Events appended
//! after the holder's last look can be dropped without this holder
//! noticing; the events' authors (who keep their own witnesses) and
//! signed tree heads exchanged between delegations narrow that window.

use crate::merkle::{self, Hash};
use serde::{Deserialize, Serialize};

/// What a member's tool last saw of a commission's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    /// The commission.
    pub commission: String,
    /// Events in the log then.
    pub size: u64,
    /// Its tree head, hex.
    pub root: String,
}

impl Witness {
    /// What `leaves` (a verified record's) show now.
    pub fn of(commission: &str, leaves: &[Hash]) -> Witness {
        Witness {
            commission: commission.to_string(),
            size: leaves.len() as u64,
            root: hex::encode(merkle::root(leaves)),
        }
    }

    /// Whether the record with `leaves` extends the log this witness
    /// saw; why not, in words a person can act on.
    pub fn check(&self, commission: &str, leaves: &[Hash]) -> Result<(), String> {
        if commission != self.commission {
            return Err(format!(
                "the witness is of commission \"{}\", the record of \"{commission}\"",
                self.commission
            ));
        }
        let n = leaves.len() as u64;
        if n < self.size {
            return Err(format!(
                "the record has {n} events but this member's witness saw {} (root {}): it was rolled back — {} events are missing",
                self.size,
                self.root,
                self.size - n
            ));
        }
        let root = hex::encode(merkle::root(&leaves[..self.size as usize]));
        if root != self.root {
            return Err(format!(
                "the record's first {} events hash to {root}, but this member's witness saw {} at that size: the history was rewritten",
                self.size, self.root
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_witness_refuses_a_shorter_or_different_log() {
        let leaves: Vec<Hash> = (0..10u8).map(|i| merkle::leaf_hash(&[i])).collect();
        let w = Witness::of("AM-AZ", &leaves[..7]);
        assert_eq!(w.check("AM-AZ", &leaves), Ok(()));
        assert_eq!(w.check("AM-AZ", &leaves[..7]), Ok(()));
        let e = w.check("AM-AZ", &leaves[..6]).unwrap_err();
        assert!(e.contains("rolled back — 1 events are missing"), "{e}");
        let mut other = leaves.clone();
        other[3] = merkle::leaf_hash(b"x");
        assert!(w.check("AM-AZ", &other).unwrap_err().contains("rewritten"));
        assert!(w.check("KG-TJ", &leaves).is_err());
    }
}
