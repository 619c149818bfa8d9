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
pub mod figures;
pub mod input;
mod json;
pub mod lang;
mod namer;
pub mod runs;
pub mod spreadsheet;
pub mod sweep;
pub use sweep::replications_text;
mod table;

pub use atomic::{FolderLock, StagedFolder, output_folder, real_subfolder, write_atomic};
pub use compare::{comparison_json, comparison_table, comparison_table_in};
pub use content::{
    ReportOptions, compare_document, run_document, sweep_document, sweep_heatmap, sweep_line_chart,
    write_document, write_report, write_report_as,
};
pub(crate) use content::{
    ci_text, ci_text_as, diff_text, diff_text_as, per_year, periods_note, scaled, table_label,
};
pub use csv::replications_csv;
pub use event_log::{MAX_EVENTS, check_event_count, write_event_log};
pub use input::{write_assumptions, write_assumptions_with};
pub use json::{SCHEMA_VERSION, summary_json};
pub use lang::{Lang, terminal_number};
pub(crate) use namer::Namer;
pub use spreadsheet::{CsvFormat, comparison_xlsx, results_xlsx, sweep_xlsx};
pub use table::{
    aligned as aligned_table, aligned_numbers, fmt_number, fmt_value, numbers, summary_table,
    summary_table_in, unit_table, whole,
};

use std::path::{Path, PathBuf};

use crate::experiment::RunResults;

/// True for a count summed over the measured period (patients, visits,
/// calls), which tables show per year: not a rate (`…_per_…`), a mean, the
/// staff on duty or a snapshot at the end of the run.
pub fn is_period_total(key: &str, unit: &str) -> bool {
    unit == "count"
        && !key.contains("_per_")
        && !key.ends_with("_mean")
        && !key.ends_with("_at_end")
        && key != "staff_on_duty"
}

/// The factor that turns a total of `measured_days` into a total per year
/// (365 ÷ measured days); `None` for an empty period.
pub fn per_year_factor(measured_days: u32) -> Option<f64> {
    (measured_days > 0).then(|| 365.0 / f64::from(measured_days))
}

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
    /// The output folder holds something the new results would replace
    /// without a word: another scenario's results, or files that are not
    /// vardsim's. Fatal unless `--force`.
    #[error("{} holds {what}; not replaced\n  hint: give this run a folder of its own with --name NAME (or another --out), or add --force to replace it", folder.display())]
    Occupied {
        /// The output folder.
        folder: PathBuf,
        /// What it holds.
        what: String,
    },
    /// The output folder (`--out`) is a file, or lies below one.
    #[error("cannot use {} as the output folder: {} is a file, not a folder\n  hint: give --out a folder (it is created if it does not exist), e.g. --out results", out.display(), file.display())]
    OutNotFolder {
        /// The output folder asked for.
        out: PathBuf,
        /// The file in its place (`out` itself or a folder above it).
        file: PathBuf,
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

/// Writes `summary.json`, `replications.csv` and `results.xlsx` to
/// `dir/<scenario>/` and returns that folder.
pub fn write_run(dir: &Path, results: &RunResults) -> Result<PathBuf, ReportError> {
    write_run_with(dir, results, CsvFormat::plain(b','), Lang::En)
}

/// [`write_run`] with the CSV in `csv` (for programs, or for a spreadsheet
/// set to Swedish) and the workbook in `lang`. The folder is written whole
/// under a temporary name and swapped in (see [`StagedFolder`]).
pub fn write_run_with(
    dir: &Path,
    results: &RunResults,
    csv: CsvFormat,
    lang: Lang,
) -> Result<PathBuf, ReportError> {
    let stage = StagedFolder::begin(dir, &results.scenario)?;
    write_run_files(stage.path(), results, csv, lang, None)?;
    stage.commit()
}

/// Writes `summary.json`, `replications.csv` and `results.xlsx` into
/// `folder` itself (a [`StagedFolder`]'s path, for a run folder that holds
/// more files). The workbook is made from `summary.json` as written, like
/// the charts, and names health centres and professions from
/// `assumptions` (what [`write_assumptions_with`] wrote) when given.
pub fn write_run_files(
    folder: &Path,
    results: &RunResults,
    csv: CsvFormat,
    lang: Lang,
    assumptions: Option<&input::AssumptionsFile>,
) -> Result<(), ReportError> {
    let json = summary_json(results)?;
    write_atomic(&folder.join("summary.json"), json.as_bytes())?;
    write_atomic(
        &folder.join("replications.csv"),
        &replications_csv(results, csv)?,
    )?;
    let summary: input::SummaryDoc =
        serde_json::from_str(&json).map_err(|e| ReportError::Serialize(e.to_string()))?;
    write_atomic(
        &folder.join("results.xlsx"),
        &results_xlsx(&summary, assumptions, lang)?,
    )
}
