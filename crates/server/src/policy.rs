//! Who may do what: the one place the service decides it.
//!
//! Every handler names the [`Action`] it is about to perform and asks
//! [`allow`]; nothing else in the service compares roles or parties. The
//! rules (issue 8, DOMAIN.md "Who uses it"):
//!
//! | action | head | expert | mediator | observer | anonymous |
//! |---|---|---|---|---|---|
//! | read the service's description (landing, conformance, OpenAPI) | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | read agreed sections, agreed lines, pillars; the member list | ✓ | ✓ | ✓ | ✓ | — |
//! | read the negotiation: shared proposals, sections under negotiation, the log, tree heads, proofs | ✓ | ✓ | ✓ | — | — |
//! | read a party's drafts | own party | own party | own (the mediator's) | — | — |
//! | write a draft | own party | own party | own | — | — |
//! | append an event, sign a tree head | as themselves | as themselves | as themselves | — | — |
//! | run a workflow (compare, median, validate, sheets) on lines they send | ✓ | ✓ | ✓ | ✓ | — |
//!
//! The record adds its own rules on top (only heads sign agreements, only
//! a party's head adds or revokes its members): [`terminus_ledger::record::Replay`]
//! enforces them for every event however it arrives.

/// An authenticated member, as the record knows them now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The member's identifier.
    pub member: String,
    /// Their party (or `mediator`).
    pub party: String,
    /// `head`, `expert`, `mediator` or `observer`.
    pub role: String,
}

/// What a request is about to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// The landing page, conformance, the OpenAPI document.
    ReadDescription,
    /// Agreed sections and lines, pillars, the list of members.
    ReadAgreed,
    /// Shared proposals, sections under negotiation, the log, tree heads
    /// and proofs.
    ReadNegotiation,
    /// The drafts of a party.
    ReadDrafts {
        /// Whose.
        party: &'a str,
    },
    /// Write a draft of a party.
    WriteDraft {
        /// Whose.
        party: &'a str,
    },
    /// Run a workflow (compare, median) on lines the caller sends; lines
    /// taken from the record are asked for as [`Action::ReadNegotiation`].
    RunWorkflow,
    /// Append an event (or sign a tree head) as this member.
    Append {
        /// The event's author (or the head's signer).
        author: &'a str,
    },
}

/// Why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// Not authenticated: send a token.
    Unauthenticated,
    /// Authenticated, not allowed; the reason.
    Forbidden(String),
}

/// Whether `caller` (None: anonymous) may perform `action`.
pub fn allow(caller: Option<&Caller>, action: Action) -> Result<(), Denied> {
    if action == Action::ReadDescription {
        return Ok(());
    }
    let Some(c) = caller else {
        return Err(Denied::Unauthenticated);
    };
    let observer = c.role == "observer";
    let no = |why: String| Err(Denied::Forbidden(why));
    match action {
        Action::ReadDescription | Action::ReadAgreed | Action::RunWorkflow => Ok(()),
        Action::ReadNegotiation if observer => no("observers read agreed sections only".into()),
        Action::ReadNegotiation => Ok(()),
        Action::ReadDrafts { party } | Action::WriteDraft { party } => {
            if observer {
                no("observers read agreed sections only".into())
            } else if c.party != party {
                no(format!(
                    "party {party}'s drafts are its own until it shares them; {} is of {}",
                    c.member, c.party
                ))
            } else {
                Ok(())
            }
        }
        Action::Append { .. } if observer => no("observers do not write to the record".into()),
        Action::Append { author } if author != c.member => no(format!(
            "{} may append only their own signed events and tree heads, not {author}'s",
            c.member
        )),
        Action::Append { .. } => Ok(()),
    }
}
