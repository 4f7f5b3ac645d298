//! How a command fails: a message for people and an exit code for scripts.

use terminus_formats::FormatError;

/// A failed command.
#[derive(Debug)]
pub struct Failure {
    /// 1: the operation failed; 2: bad usage or unreadable input.
    pub code: u8,
    /// What went wrong, and where.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Failure {
    /// Bad usage (exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
            hint: None,
        }
    }
    /// The operation could not be done (exit 1).
    pub fn failed(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
            hint: None,
        }
    }
    /// Add a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }
}

impl From<FormatError> for Failure {
    fn from(e: FormatError) -> Failure {
        let hint = match &e {
            FormatError::Crs { .. } => Some(
                "name the CRS with --crs, e.g. --crs EPSG:4326 or --crs EPSG:28408".to_string(),
            ),
            _ => None,
        };
        Failure {
            code: if e.is_input_error() { 2 } else { 1 },
            message: e.to_string(),
            hint,
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::failed(e.to_string())
    }
}
