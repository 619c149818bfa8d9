//! Writing results: `summary.json`, `replications.csv` and the terminal
//! table. The output contract is versioned and documented in `docs/output.md`.
//!
//! **Boundary:** the only module besides `scenario` that touches the file
//! system. Files are written atomically (temp file + rename), so an
//! interrupted run never leaves a half-written file.

mod atomic;
pub mod chart;
mod compare;
mod csv;
mod json;
pub mod lang;
mod table;

pub use atomic::write_atomic;
pub use compare::{comparison_json, comparison_table};
pub use csv::replications_csv;
pub use json::{SCHEMA_VERSION, summary_json};
pub use table::summary_table;

use std::path::{Path, PathBuf};

use crate::experiment::RunResults;

/// Why output could not be written. Fatal for the run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A file or folder could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Serialisation failed (a bug; please report).
    #[error("cannot serialise results: {0}")]
    Serialize(String),
    /// A chart could not be drawn or encoded.
    #[error("cannot draw chart: {0}")]
    Chart(String),
    /// A results file could not be read.
    #[error("cannot read {}: {reason}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// Writes `summary.json` and `replications.csv` to `dir/<scenario>/` and
/// returns that folder.
pub fn write_run(dir: &Path, results: &RunResults) -> Result<PathBuf, ReportError> {
    let folder = dir.join(&results.scenario);
    write_atomic(
        &folder.join("summary.json"),
        summary_json(results)?.as_bytes(),
    )?;
    write_atomic(
        &folder.join("replications.csv"),
        &replications_csv(results)?,
    )?;
    Ok(folder)
}
