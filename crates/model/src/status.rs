//! Where a line or section stands in the four phases of boundary making.

use serde::{Deserialize, Serialize};

/// The state of agreement, in the order the process moves through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Put on the table by one party (or one source), not yet answered.
    Proposed,
    /// Contested: the other party holds a different line.
    Disputed,
    /// Both delegations have accepted the line (delimited).
    Agreed,
    /// Marked on the ground with pillars.
    Demarcated,
}

impl Status {
    /// The phases in order.
    pub const ALL: [Status; 4] = [
        Status::Proposed,
        Status::Disputed,
        Status::Agreed,
        Status::Demarcated,
    ];
}
