//! How a workflow fails: a message for people, a hint, and the exit code
//! scripts see. The one place where errors become exit codes.

use terminus_formats::FormatError;

/// Whose fault a failure is, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Bad usage or unreadable, impossible input: exit 2.
    Input,
    /// The operation could not be done, or found problems: exit 1.
    Operation,
}

/// A failed workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Whose fault.
    pub fault: Fault,
    /// What went wrong, and where (file, layer, feature, vertex).
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Failure {
    /// Bad usage or input (exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            fault: Fault::Input,
            message: message.into(),
            hint: None,
        }
    }
    /// The operation could not be done (exit 1).
    pub fn failed(message: impl Into<String>) -> Failure {
        Failure {
            fault: Fault::Operation,
            message: message.into(),
            hint: None,
        }
    }
    /// Add a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }
    /// Put `context` (e.g. the file) before the message.
    pub fn context(mut self, context: impl std::fmt::Display) -> Failure {
        self.message = format!("{context}: {}", self.message);
        self
    }
    /// The process exit code: 2 for input and usage, 1 for the operation.
    pub fn exit_code(&self) -> u8 {
        match self.fault {
            Fault::Input => 2,
            Fault::Operation => 1,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

impl From<FormatError> for Failure {
    fn from(e: FormatError) -> Failure {
        let hint = match &e {
            FormatError::Crs { .. } => Some(
                "name the CRS with --crs, e.g. --crs EPSG:4326 or --crs EPSG:28408".to_string(),
            ),
            _ => None,
        };
        Failure {
            fault: if e.is_input_error() {
                Fault::Input
            } else {
                Fault::Operation
            },
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
