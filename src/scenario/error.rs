//! Errors found while reading and validating a scenario.
//!
//! Loading never stops at the first mistake: every problem in the scenario is
//! collected into one [`ScenarioError::Invalid`], each with the file, line and
//! column where the offending key was written (or the `--set` that wrote it),
//! the key's dotted path, what was expected, and a hint.

use std::fmt;
use std::path::PathBuf;

/// Where a key or value was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file (as given), `<built-in default>`, or `--set` for the command line.
    pub file: String,
    /// 1-based line; 0 when the source has no lines (a `--set`).
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// One thing wrong with a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where it was written, when known.
    pub location: Option<Location>,
    /// Dotted path of the offending key, e.g. `units.vc.staff.nurse.count`
    /// (array elements as `shifts[2]`). Empty for file-level problems.
    pub key: String,
    /// What was expected and what was found.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
    /// The message and hint in Swedish, for a warning a Swedish report or
    /// terminal shows (errors are English only, like the keys they name).
    pub swedish: Option<Box<(String, Option<String>)>>,
}

impl Problem {
    /// A problem at `key` (location filled in later by the loader).
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            location: None,
            key: key.into(),
            message: message.into(),
            hint: None,
            swedish: None,
        }
    }
    /// Adds the Swedish of the message and hint.
    pub fn swedish(mut self, message: impl Into<String>, hint: Option<&str>) -> Self {
        self.swedish = Some(Box::new((message.into(), hint.map(str::to_string))));
        self
    }
    /// As printed for `--lang sv`: the Swedish when there is one, written as
    /// [`Display`](fmt::Display) writes the English.
    pub fn in_swedish(&self) -> String {
        let Some(sv) = &self.swedish else {
            return self.to_string();
        };
        self.written(&sv.0, sv.1.as_deref(), true)
    }
    /// `location: key `…`: message` and an indented hint line.
    fn written(&self, message: &str, hint: Option<&str>, sv: bool) -> String {
        let (key, tip) = if sv {
            ("nyckel", "tips")
        } else {
            ("key", "hint")
        };
        let mut out = String::new();
        if let Some(loc) = &self.location {
            out.push_str(&format!("{loc}: "));
        }
        if !self.key.is_empty() {
            out.push_str(&format!("{key} `{}`: ", self.key));
        }
        out.push_str(message);
        if let Some(h) = hint {
            out.push_str(&format!("\n    {tip}: {h}"));
        }
        out
    }
    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Sets the location.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }
}

impl fmt::Display for Problem {
    /// `scenarios/x.toml:12:5: key `units.vc.staff.nurse.count`: expected …`
    /// followed by an indented `hint:` line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written(&self.message, self.hint.as_deref(), false))
    }
}

/// Why a scenario could not be loaded. Always fatal for the run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// A scenario file (or a file it `extends`) could not be read.
    #[error("cannot read scenario file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The scenario has one or more problems; all are listed.
    #[error("{}", render_problems(problems))]
    Invalid {
        /// Every problem found, in file order where known.
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    /// The same error with the `--set` that wrote `set` named `origin`
    /// instead: a sweep applies its grid's values as `--set`s, and a user
    /// who wrote `--grid` (or a sweep file's `[grid]`) never wrote that.
    pub fn set_written_as(mut self, set: &str, origin: &str) -> Self {
        if let ScenarioError::Invalid { problems } = &mut self {
            let written = format!("{}{set}", super::source::SET_PREFIX);
            for p in problems {
                if let Some(loc) = p.location.as_mut().filter(|l| l.file == written) {
                    loc.file = format!("{origin} {set}");
                }
            }
        }
        self
    }
}

fn render_problems(problems: &[Problem]) -> String {
    let mut s = format!(
        "the scenario has {} problem{}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string().replace('\n', "\n  "));
    }
    s
}
