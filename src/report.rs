//! Writing results: `summary.json`, `replications.csv` and the terminal
//! table; charts (SVG, PNG) and reports (`report.html`, `report.md`) in
//! English or Swedish. The output contract is versioned and documented in
//! `docs/output.md`.
//!
//! **Boundary:** the only module besides `scenario` that touches the file
//! system. Files are written atomically (temp file + rename), so an
//! interrupted run never leaves a half-written file.

mod atomic;
pub mod chart;
mod compare;
mod content;
mod csv;
pub mod document;
pub mod input;
mod json;
pub mod lang;
pub mod sweep;
mod table;

pub use atomic::write_atomic;
pub use compare::{comparison_json, comparison_table};
pub use content::{
    ReportOptions, WEEKDAY_KEYS, compare_document, run_document, sweep_document, sweep_heatmap,
    sweep_line_chart, write_document, write_report,
};
pub use csv::replications_csv;
pub use input::write_assumptions;
pub use json::{SCHEMA_VERSION, summary_json};
pub use lang::Lang;
pub use table::{fmt_value, summary_table};

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
    write_run_with(dir, results, b',')
}

/// [`write_run`] with the CSV field separator `csv_sep` (`b';'` for Excel
/// set to Swedish; numbers keep their decimal point).
pub fn write_run_with(
    dir: &Path,
    results: &RunResults,
    csv_sep: u8,
) -> Result<PathBuf, ReportError> {
    let folder = dir.join(&results.scenario);
    write_atomic(
        &folder.join("summary.json"),
        summary_json(results)?.as_bytes(),
    )?;
    write_atomic(
        &folder.join("replications.csv"),
        &replications_csv(results, csv_sep)?,
    )?;
    Ok(folder)
}
