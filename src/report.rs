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
mod event_log;
pub mod input;
mod json;
pub mod lang;
pub mod sweep;
mod table;

pub use atomic::{FolderLock, StagedFolder, output_folder, write_atomic};
pub use compare::{comparison_json, comparison_table};
pub use content::{
    ReportOptions, WEEKDAY_KEYS, compare_document, run_document, sweep_document, sweep_heatmap,
    sweep_line_chart, write_document, write_report,
};
pub use csv::replications_csv;
pub use event_log::{MAX_EVENTS, write_event_log};
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
    /// An output would exceed its bound.
    #[error("{0}")]
    TooLarge(String),
    /// A chart could not be drawn or encoded.
    #[error("cannot draw chart: {0}")]
    Chart(String),
    /// A name that would make a folder outside the output folder, or one a
    /// file system refuses.
    #[error("cannot use {name:?} as a folder name: {reason}")]
    UnsafeName {
        /// The name.
        name: String,
        /// Why (with a hint).
        reason: String,
    },
    /// Another vardsim is writing the same output folder.
    #[error("{} is being written by another vardsim{} (lock file {})\n  hint: wait for it to finish, or use another --out; if no vardsim is running, delete the lock file", folder.display(), holder.map(|p| format!(" (process {p})")).unwrap_or_default(), lock.display())]
    Locked {
        /// The output folder.
        folder: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// Process id of the writer, when known.
        holder: Option<u32>,
    },
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
/// set to Swedish; numbers keep their decimal point). The folder is written
/// whole under a temporary name and swapped in (see [`StagedFolder`]).
pub fn write_run_with(
    dir: &Path,
    results: &RunResults,
    csv_sep: u8,
) -> Result<PathBuf, ReportError> {
    let stage = StagedFolder::begin(dir, &results.scenario)?;
    write_run_files(stage.path(), results, csv_sep)?;
    stage.commit()
}

/// Writes `summary.json` and `replications.csv` into `folder` itself (a
/// [`StagedFolder`]'s path, for a run folder that holds more files).
pub fn write_run_files(
    folder: &Path,
    results: &RunResults,
    csv_sep: u8,
) -> Result<(), ReportError> {
    write_atomic(
        &folder.join("summary.json"),
        summary_json(results)?.as_bytes(),
    )?;
    write_atomic(
        &folder.join("replications.csv"),
        &replications_csv(results, csv_sep)?,
    )
}
