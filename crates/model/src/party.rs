//! Parties to a boundary.

use serde::{Deserialize, Serialize};

/// A state, or another party whose line is on the table.
///
/// ```
/// use terminus_model::Party;
/// let am = Party::new("AM", "Armenia");
/// assert_eq!(serde_json::to_string(&am).unwrap(), r#"{"id":"AM","name":"Armenia"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Short stable identifier, e.g. the ISO 3166-1 alpha-2 code ("AM", "AZ").
    pub id: String,
    /// Name in the working language.
    pub name: String,
    /// Name in the party's own language, e.g. "Հայաստան", "Azərbaycan".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_name: Option<String>,
}

impl Party {
    /// A party with an id and a name.
    pub fn new(id: &str, name: &str) -> Party {
        Party {
            id: id.to_string(),
            name: name.to_string(),
            local_name: None,
        }
    }
}
