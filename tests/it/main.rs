//! Integration tests: one binary (one link step), modules named by behaviour.

mod access;
mod bad_input;
mod booking;
mod breakdowns;
mod calibrate_cli;
mod calibration;
mod cli;
mod cluster;
mod compare;
mod conservation;
mod continuity;
mod determinism;
mod distributions;
mod doc_commands;
mod doc_figures;
mod dropin;
mod emergency;
mod erlang_c;
mod event_log;
mod groups;
mod import;
mod labels;
mod linked_groups;
mod mobile;
mod outputs;
mod presets;
mod queue_discipline;
mod region;
mod report;
mod runs;
mod safety;
mod scenarios;
mod schema;
mod seasons;
mod serve;
mod serve_browser;
#[path = "../common/stockholm.rs"]
mod stockholm;
mod supply;
mod sweep;
mod terminal;
mod tidy;
mod vocabularies;
mod web_booking;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use vardsim::experiment::{self, RunConfig, RunResults};
use vardsim::metrics::{Estimate, mean_ci95};
use vardsim::scenario::Scenario;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads `path` (relative to the repository root) with `--set` overrides.
pub fn load(path: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Scenario::load(Some(&root().join(path)), &sets).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Loads a scenario from TOML text.
pub fn parse(text: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Scenario::from_toml("test.toml", text, &sets).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `replications` replications with `seed`.
pub fn run(scenario: &Scenario, replications: u32, seed: u64) -> RunResults {
    let config = RunConfig {
        seed,
        replications,
        threads: None,
    };
    experiment::run(scenario, &config, &|| {}).expect("run")
}

/// The overall estimate of `metric`.
pub fn metric(results: &RunResults, metric: &str) -> Estimate {
    *results
        .summary
        .get(metric)
        .unwrap_or_else(|| panic!("no metric {metric}"))
}

/// The value of `metric` in each replication.
pub fn per_replication(results: &RunResults, metric: &str) -> Vec<f64> {
    results
        .replications
        .iter()
        .map(|r| {
            r.observations
                .iter()
                .find(|o| o.metric == metric && o.by.is_none())
                .map(|o| o.value)
                .unwrap_or_else(|| panic!("no metric {metric}"))
        })
        .collect()
}

/// Asserts that the exact value lies inside the estimate's 95 % CI.
#[track_caller]
pub fn assert_in_ci(what: &str, e: &Estimate, exact: f64) {
    assert!(
        e.ci95_low <= exact && exact <= e.ci95_high,
        "{what}: exact {exact} outside the 95 % CI [{}, {}] (mean {})",
        e.ci95_low,
        e.ci95_high,
        e.mean
    );
}

/// Writes a region's `units.csv` and `staff.csv` into `dir`.
pub fn write_region(dir: &Path, units: &str, staff: &str) {
    std::fs::write(dir.join("units.csv"), units).unwrap();
    std::fs::write(dir.join("staff.csv"), staff).unwrap();
}

/// Runs the `vardsim` binary with `args` in the repository root.
pub fn vardsim(args: &[&str]) -> Output {
    vardsim_in(&root(), args)
}

/// Runs the `vardsim` binary with `args` in `dir`.
pub fn vardsim_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run vardsim")
}

/// A path in the temporary folder that does not exist yet, unique to this
/// call (tests run in parallel, and several modules use the same names).
pub fn temp_path(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("vardsim-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// An empty folder in the temporary folder, unique to this call.
pub fn temp(name: &str) -> PathBuf {
    let dir = temp_path(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Files below `dir` with extension `ext`, sorted.
pub fn files_below(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The group cells (third column) of metric `metric`'s rows in sheet
/// `sheet` of a `results.xlsx`, as text, in the workbook's order.
pub fn workbook_groups(book: &Path, sheet: &str, metric: &str) -> Vec<String> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(book).expect("an xlsx workbook");
    let range = book.worksheet_range(sheet).expect("the sheet");
    range
        .rows()
        .filter(|r| r[0] == Data::String(metric.into()))
        .map(|r| r[2].to_string())
        .collect()
}
