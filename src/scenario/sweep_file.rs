//! Sweep files (`sweep.toml`): a base scenario, a grid of parameter values,
//! replications and the metrics of interest, so that a sweep is a file that
//! can be versioned with the plan document it serves. See `docs/sweeps.md`.
//!
//! ```toml
//! scenario = "../default.toml"          # relative to this file, or "builtin:default"
//! replications = 20
//! metrics = ["assessment_within_3_days"]
//!
//! [[grid]]
//! path = "units.vc.staff.nurse.count"
//! values = [3, 4, 5]                    # or "3..5"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::grid::{Axis, Grid};

/// `sweep.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFileRaw {
    name: Option<toml::Spanned<String>>,
    scenario: String,
    #[serde(default)]
    set: Vec<String>,
    #[serde(default)]
    grid: Vec<AxisRaw>,
    replications: Option<u32>,
    seed: Option<u64>,
    baseline: Option<usize>,
    #[serde(default)]
    metrics: Vec<String>,
    precision: Option<PrecisionRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisRaw {
    path: String,
    values: toml::Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrecisionRaw {
    half_width: f64,
    max_replications: Option<u32>,
}

/// A sweep file, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepFile {
    /// Sweep name (default: the file's stem).
    pub name: String,
    /// The base scenario: a path (relative to the current directory) or
    /// `None` for the built-in default.
    pub scenario: Option<PathBuf>,
    /// Overrides at every point.
    pub sets: Vec<String>,
    /// The grid.
    pub grid: Grid,
    /// Replications per point (or initial replications under precision control).
    pub replications: Option<u32>,
    /// Master seed.
    pub seed: Option<u64>,
    /// Baseline point.
    pub baseline: Option<usize>,
    /// Metrics of interest.
    pub metrics: Vec<String>,
    /// Target CI half-width for the metrics of interest.
    pub precision: Option<f64>,
    /// Cap on replications under precision control.
    pub max_replications: Option<u32>,
}

/// Why a sweep file was rejected: every problem, one per line.
#[derive(Debug, thiserror::Error)]
#[error("{}", problems.join("\n"))]
pub struct SweepFileError {
    /// `file:line:column: message` or `file: key: message`.
    pub problems: Vec<String>,
}

/// Whether `text` looks like a sweep file rather than a scenario (scenarios
/// have neither a top-level `scenario` key nor a `[[grid]]`).
pub fn is_sweep_file(text: &str) -> bool {
    text.parse::<toml::Table>()
        .is_ok_and(|t| t.contains_key("grid") || t.contains_key("scenario"))
}

/// Reads the sweep file at `path` (its text is `text`).
pub fn parse(path: &Path, text: &str) -> Result<SweepFile, SweepFileError> {
    let file = path.display();
    let raw: SweepFileRaw = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let (line, column) = line_column(text, s.start);
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        SweepFileError {
            problems: vec![format!(
                "{file}{at}: {}\n  hint: a sweep file has `scenario`, optional `name`, `replications`, `seed`, `baseline`, `metrics`, `set`, `[precision]` and `[[grid]]` tables with `path` and `values`; see docs/sweeps.md",
                e.message()
            )],
        }
    })?;
    let mut problems = Vec::new();
    let mut axes = Vec::new();
    for (i, a) in raw.grid.iter().enumerate() {
        let spec = match &a.values {
            toml::Value::String(s) => format!("{}={s}", a.path),
            toml::Value::Array(vs) => {
                let texts: Vec<String> = vs.iter().map(value_text).collect();
                format!("{}={}", a.path, texts.join(","))
            }
            other => {
                problems.push(format!(
                    "{file}: grid[{i}].values: expected a list like [3, 4, 5] or a range \"3..5\", found {}",
                    other.type_str()
                ));
                continue;
            }
        };
        match Axis::parse(&spec) {
            Ok(axis) => axes.push(axis),
            Err(e) => problems.push(format!("{file}: grid[{i}]: {e}")),
        }
    }
    let grid = Grid { axes };
    if let Some(b) = raw.baseline
        && problems.is_empty()
        && grid.checked_len().is_some_and(|n| b >= n)
    {
        problems.push(format!(
            "{file}: baseline: point {b} does not exist (the grid has {} points, numbered from 0)",
            grid.len()
        ));
    }
    if let Some(p) = &raw.precision
        && (p.half_width.is_nan() || p.half_width <= 0.0)
    {
        problems.push(format!(
            "{file}: precision.half_width: expected a positive number, found {}",
            p.half_width
        ));
    }
    if raw.precision.is_some() && raw.metrics.is_empty() {
        problems.push(format!(
            "{file}: precision: needs `metrics = [\"…\"]`, the metrics whose CI half-width it controls"
        ));
    }
    if let Some(name) = &raw.name
        && let Err(e) = super::source::check_file_name(name.get_ref())
    {
        let (line, column) = line_column(text, name.span().start);
        problems.push(format!(
            "{file}:{line}:{column}: name: {e}\n  hint: {}",
            super::source::NAME_HINT
        ));
    }
    if !problems.is_empty() {
        return Err(SweepFileError { problems });
    }
    let scenario = (raw.scenario != "builtin:default").then(|| {
        let p = Path::new(&raw.scenario);
        match path.parent() {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.to_path_buf(),
        }
    });
    let name = raw.name.map(toml::Spanned::into_inner).unwrap_or_else(|| {
        path.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("sweep")
            .to_string()
    });
    Ok(SweepFile {
        name,
        scenario,
        sets: raw.set,
        grid,
        replications: raw.replications,
        seed: raw.seed,
        baseline: raw.baseline,
        metrics: raw.metrics,
        precision: raw.precision.as_ref().map(|p| p.half_width),
        max_replications: raw.precision.and_then(|p| p.max_replications),
    })
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A TOML value as `--set` text (strings quoted, so `"08:00"` stays a string).
fn value_text(v: &toml::Value) -> String {
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_sweep_file() {
        let text = r#"
scenario = "base.toml"
replications = 4
metrics = ["assessment_within_3_days"]
set = ["simulation.horizon_days=100"]

[[grid]]
path = "units.vc.staff.nurse.count"
values = [3, 4]

[[grid]]
path = "units.vc.dropin.hours"
values = "1..3"
"#;
        let s = parse(Path::new("sweeps/nurses.toml"), text).unwrap();
        assert_eq!(s.name, "nurses");
        assert_eq!(s.scenario, Some(PathBuf::from("sweeps/base.toml")));
        assert_eq!(s.grid.len(), 6);
        assert_eq!(s.grid.axes[0].values, ["3", "4"]);
        assert_eq!(s.replications, Some(4));
        assert!(is_sweep_file(text));
        assert!(!is_sweep_file("name = \"x\"\n[units.vc]\n"));
    }

    #[test]
    fn reports_every_problem_with_where() {
        let text = "scenario = \"builtin:default\"\nbaseline = 9\n[precision]\nhalf_width = -1\n[[grid]]\npath = \"a\"\nvalues = 3\n";
        let e = parse(Path::new("s.toml"), text).unwrap_err();
        assert_eq!(e.problems.len(), 3, "{e}");
        assert!(e.to_string().contains("grid[0].values"), "{e}");
        assert!(e.to_string().contains("half_width"), "{e}");
        let e = parse(Path::new("s.toml"), "scenario = 1\n").unwrap_err();
        assert!(e.to_string().starts_with("s.toml:1:"), "{e}");
        let e = parse(Path::new("s.toml"), "scenario = \"x\"\ngird = []\n").unwrap_err();
        assert!(e.to_string().contains("gird"), "{e}");
        let e = parse(Path::new("s.toml"), "scenario = \"x\"\nname = \"..\"\n").unwrap_err();
        assert!(e.to_string().starts_with("s.toml:2:8: name:"), "{e}");
    }
}
