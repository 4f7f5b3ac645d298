//! Attribute values and field kinds.

use serde::{Deserialize, Serialize};

/// One attribute value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// No value (JSON null, an empty DBF field, SQL NULL).
    Null,
    /// true / false.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A double.
    Float(f64),
    /// Text.
    String(String),
    /// Nested JSON (objects and arrays of GeoJSON properties); formats that
    /// cannot hold it store its JSON text.
    Json(serde_json::Value),
}

/// The kind of a field, unified over a layer's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldKind {
    /// Booleans only.
    Bool,
    /// Integers only.
    Integer,
    /// Numbers, some not integral.
    Real,
    /// Text (or a mixture of kinds).
    String,
    /// Dates `YYYY-MM-DD`, as text.
    Date,
    /// Date-times (ISO 8601), as text.
    DateTime,
    /// Nested JSON.
    Json,
}

impl Value {
    /// The kind of this value, `None` for null.
    pub fn kind(&self) -> Option<FieldKind> {
        match self {
            Value::Null => None,
            Value::Bool(_) => Some(FieldKind::Bool),
            Value::Int(_) => Some(FieldKind::Integer),
            Value::Float(_) => Some(FieldKind::Real),
            Value::String(_) => Some(FieldKind::String),
            Value::Json(_) => Some(FieldKind::Json),
        }
    }

    /// From any JSON value: nested arrays and objects stay JSON.
    pub fn from_json(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::String(s),
            other => Value::Json(other),
        }
    }

    /// To JSON (a non-finite float, which JSON cannot hold, becomes null).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Json(j) => j.clone(),
        }
    }

    /// As text, the way a text-only format (CSV, KML, GPX) stores it; `None`
    /// for null.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::String(s) => Some(s.clone()),
            Value::Json(j) => Some(j.to_string()),
        }
    }

    /// Read text back into the given kind (text formats carry no types);
    /// text that does not parse as that kind stays text.
    pub fn from_text(text: &str, kind: FieldKind) -> Value {
        match kind {
            FieldKind::Bool => match text.trim() {
                "true" | "1" | "T" | "t" | "Y" | "y" => Value::Bool(true),
                "false" | "0" | "F" | "f" | "N" | "n" => Value::Bool(false),
                _ => Value::String(text.to_string()),
            },
            FieldKind::Integer => text
                .trim()
                .parse()
                .map(Value::Int)
                .unwrap_or_else(|_| Value::String(text.to_string())),
            FieldKind::Real => text
                .trim()
                .parse()
                .map(Value::Float)
                .unwrap_or_else(|_| Value::String(text.to_string())),
            FieldKind::Json => serde_json::from_str(text)
                .map(Value::Json)
                .unwrap_or_else(|_| Value::String(text.to_string())),
            FieldKind::String | FieldKind::Date | FieldKind::DateTime => {
                Value::String(text.to_string())
            }
        }
    }

    /// Guess the kind of an untyped text value (CSV cells): integer, real,
    /// or text. Text with a leading zero ("007") stays text.
    pub fn infer_text_kind(text: &str) -> FieldKind {
        let t = text.trim();
        let leading_zero = t.len() > 1 && t.starts_with('0') && !t.starts_with("0.");
        if !leading_zero && t.parse::<i64>().is_ok() {
            FieldKind::Integer
        } else if !leading_zero
            && t.parse::<f64>().is_ok_and(f64::is_finite)
            && t.chars().any(|c| c.is_ascii_digit())
        {
            FieldKind::Real
        } else {
            FieldKind::String
        }
    }
}

impl FieldKind {
    /// The kind that holds values of both kinds.
    pub fn unify(self, other: FieldKind) -> FieldKind {
        use FieldKind::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Integer, Real) | (Real, Integer) => Real,
            (Date, DateTime) | (DateTime, Date) => DateTime,
            _ => String,
        }
    }
}
