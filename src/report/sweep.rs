//! Sweep files in `output/<name>/`:
//!
//! - `plan.json`: the sweep's definition (what shards must agree on);
//! - `points/NNNNNN.json`: one per finished point, every overall metric's
//!   value in each replication — written atomically the moment the point
//!   finishes, and read back by `--resume` and `merge`;
//! - `sweep.csv` and `sweep.json`: the results, once every point is there.
//!
//! Every file is a function of the plan and the point results only, and
//! numbers round-trip exactly through JSON, so a resumed or merged sweep
//! writes byte-identical files to one uninterrupted run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Lang;
use super::compare::{fmt_diff, lang_diff};
use super::is_period_total;
use super::spreadsheet::CsvFormat;
use super::table::{self, aligned, counts_note, fmt_number, numbers, whole};
use super::{ReportError, SCHEMA_VERSION, write_atomic};
use crate::experiment::sweep::{
    Axis, Grid, Point, PointMetric, PointResult, Precision, Replications, SweepPlan, SweepRow,
};
use crate::metrics::{Estimate, MetricUnit};

/// Why sweep files could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepFileError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not what vardsim writes.
    #[error("{}: not a vardsim sweep file ({reason})\n  hint: delete that file (with --resume its point is run again), or rerun the sweep with --fresh to start over", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// The folder of point files.
pub fn points_dir(dir: &Path) -> PathBuf {
    dir.join("points")
}

fn point_path(dir: &Path, index: usize) -> PathBuf {
    points_dir(dir).join(format!("{index:06}.json"))
}

#[derive(Serialize, Deserialize, PartialEq)]
struct AxisFile {
    path: String,
    values: Vec<String>,
}

#[derive(Serialize, Deserialize, PartialEq)]
#[serde(tag = "rule", rename_all = "snake_case")]
enum RuleFile {
    Fixed {
        replications: u32,
    },
    Precision {
        metrics: Vec<String>,
        half_width: f64,
        initial: u32,
        max: u32,
    },
}

#[derive(Serialize, Deserialize, PartialEq)]
struct PlanFile {
    schema_version: u32,
    name: String,
    scenario: String,
    sets: Vec<String>,
    grid: Vec<AxisFile>,
    seed: u64,
    replications: RuleFile,
    baseline: usize,
    metrics: Vec<String>,
    /// Content fingerprint of the scenario (hexadecimal), see
    /// [`crate::experiment::sweep::scenario_fingerprint`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scenario_fingerprint: Option<String>,
    vardsim_version: String,
}

impl PlanFile {
    fn of(plan: &SweepPlan) -> PlanFile {
        PlanFile {
            schema_version: SCHEMA_VERSION,
            name: plan.name.clone(),
            scenario: plan.scenario.clone(),
            sets: plan.sets.clone(),
            grid: plan
                .grid
                .axes
                .iter()
                .map(|a| AxisFile {
                    path: a.path.clone(),
                    values: a.values.clone(),
                })
                .collect(),
            seed: plan.seed,
            replications: match &plan.replications {
                Replications::Fixed(n) => RuleFile::Fixed { replications: *n },
                Replications::Precision(p) => RuleFile::Precision {
                    metrics: p.metrics.clone(),
                    half_width: p.half_width,
                    initial: p.initial,
                    max: p.max,
                },
            },
            baseline: plan.baseline,
            metrics: plan.metrics.clone(),
            scenario_fingerprint: plan.scenario_fingerprint.map(|f| format!("{f:016x}")),
            vardsim_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    fn plan(self, path: &Path) -> Result<SweepPlan, SweepFileError> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(SweepFileError::Malformed {
                path: path.to_path_buf(),
                reason: format!(
                    "schema_version {} (this vardsim reads version {SCHEMA_VERSION})",
                    self.schema_version
                ),
            });
        }
        let scenario_fingerprint = match &self.scenario_fingerprint {
            None => None,
            Some(hex) => {
                Some(
                    u64::from_str_radix(hex, 16).map_err(|_| SweepFileError::Malformed {
                        path: path.to_path_buf(),
                        reason: format!("scenario_fingerprint `{hex}` is not hexadecimal"),
                    })?,
                )
            }
        };
        Ok(SweepPlan {
            name: self.name,
            scenario: self.scenario,
            sets: self.sets,
            grid: Grid {
                axes: self
                    .grid
                    .into_iter()
                    .map(|a| Axis {
                        path: a.path,
                        values: a.values,
                    })
                    .collect(),
            },
            seed: self.seed,
            replications: match self.replications {
                RuleFile::Fixed { replications } => Replications::Fixed(replications),
                RuleFile::Precision {
                    metrics,
                    half_width,
                    initial,
                    max,
                } => Replications::Precision(Precision {
                    metrics,
                    half_width,
                    initial,
                    max,
                }),
            },
            baseline: self.baseline,
            metrics: self.metrics,
            scenario_fingerprint,
        })
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ReportError> {
    let mut text =
        serde_json::to_string_pretty(value).map_err(|e| ReportError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, SweepFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| SweepFileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| SweepFileError::Malformed {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Whether the sweep folder `dir` may be written into: it does not exist,
/// is empty, or is a sweep's (it has `plan.json` or `points/`). A folder of
/// other files is not: the sweep's tables would replace files of the same
/// name without a word, and its files would be mixed in with them.
pub fn may_write_sweep(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Err(_) => !dir.exists(),
        Ok(mut entries) => {
            entries.next().is_none() || dir.join("plan.json").is_file() || points_dir(dir).is_dir()
        }
    }
}

/// Writes `plan.json`.
pub fn write_plan(dir: &Path, plan: &SweepPlan) -> Result<(), ReportError> {
    write_atomic(
        &dir.join("plan.json"),
        to_json(&PlanFile::of(plan))?.as_bytes(),
    )
}

/// Reads `plan.json`.
pub fn read_plan(dir: &Path) -> Result<SweepPlan, SweepFileError> {
    let path = dir.join("plan.json");
    let file: PlanFile = read_json(&path)?;
    file.plan(&path)
}

#[derive(Serialize, Deserialize)]
struct PointFile {
    schema_version: u32,
    point: usize,
    values: Vec<String>,
    fingerprint: String,
    rule: String,
    replications: u32,
    events: u64,
    /// Days measured per replication (absent in files of earlier versions).
    #[serde(default)]
    measured_days: u32,
    metrics: BTreeMap<String, PointMetricFile>,
}

#[derive(Serialize, Deserialize)]
struct PointMetricFile {
    unit: String,
    /// Per replication; `null` where undefined.
    values: Vec<Option<f64>>,
}

/// Writes one finished point atomically.
pub fn write_point(dir: &Path, result: &PointResult) -> Result<(), ReportError> {
    let file = PointFile {
        schema_version: SCHEMA_VERSION,
        point: result.point.index,
        values: result.point.values.clone(),
        fingerprint: format!("{:016x}", result.fingerprint),
        rule: result.rule.clone(),
        replications: result.replications,
        events: result.events,
        measured_days: result.measured_days,
        metrics: result
            .metrics
            .iter()
            .map(|(k, m)| {
                let values = m
                    .values
                    .iter()
                    .map(|x| x.is_finite().then_some(*x))
                    .collect();
                let unit = m.unit.key().to_string();
                (k.clone(), PointMetricFile { unit, values })
            })
            .collect(),
    };
    write_atomic(
        &point_path(dir, result.point.index),
        to_json(&file)?.as_bytes(),
    )
}

/// Reads every point file in `dir/points/` (none if the folder is missing),
/// sorted by point number. Temporary files of interrupted writes are ignored.
pub fn read_points(dir: &Path) -> Result<Vec<PointResult>, SweepFileError> {
    let folder = points_dir(dir);
    let entries = match std::fs::read_dir(&folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(SweepFileError::Read {
                path: folder,
                source,
            });
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| SweepFileError::Read {
                path: folder.clone(),
                source,
            })?
            .path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || !name.ends_with(".json") {
            continue;
        }
        out.push(parse_point(&path, read_json(&path)?)?);
    }
    out.sort_by_key(|r| r.point.index);
    Ok(out)
}

fn parse_point(path: &Path, f: PointFile) -> Result<PointResult, SweepFileError> {
    let bad = |reason: String| SweepFileError::Malformed {
        path: path.to_path_buf(),
        reason,
    };
    if f.schema_version != SCHEMA_VERSION {
        return Err(bad(format!(
            "schema_version {} (this vardsim reads version {SCHEMA_VERSION})",
            f.schema_version
        )));
    }
    let fingerprint = u64::from_str_radix(&f.fingerprint, 16).map_err(|_| {
        bad(format!(
            "fingerprint `{}` is not hexadecimal",
            f.fingerprint
        ))
    })?;
    let mut metrics = BTreeMap::new();
    for (key, m) in f.metrics {
        let unit = MetricUnit::from_key(&m.unit)
            .ok_or_else(|| bad(format!("metric `{key}` has unknown unit `{}`", m.unit)))?;
        let values = m
            .values
            .into_iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect();
        metrics.insert(key, PointMetric { unit, values });
    }
    Ok(PointResult {
        point: Point {
            index: f.point,
            values: f.values,
        },
        fingerprint,
        rule: f.rule,
        replications: f.replications,
        events: f.events,
        measured_days: f.measured_days,
        metrics,
    })
}

fn num(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// `sweep.csv`: tidy, one row per point × metric, with a column per grid
/// parameter, the estimate and the paired difference from the baseline.
pub fn sweep_csv(plan: &SweepPlan, rows: &[SweepRow]) -> Result<Vec<u8>, ReportError> {
    sweep_csv_with(plan, rows, CsvFormat::plain(b','))
}

/// [`sweep_csv`] in `format` (for programs, or for a spreadsheet set to
/// Swedish: BOM, decimal comma, headers and units in its language).
pub fn sweep_csv_with(
    plan: &SweepPlan,
    rows: &[SweepRow],
    format: CsvFormat,
) -> Result<Vec<u8>, ReportError> {
    let ser = |e: csv::Error| ReportError::Serialize(e.to_string());
    let mut w = csv::WriterBuilder::new()
        .delimiter(format.sep)
        .from_writer(format.preamble().to_vec());
    let mut header = vec![format.header("point")];
    header.extend(plan.grid.axes.iter().map(|a| a.path.clone()));
    header.extend(
        [
            "metric",
            "unit",
            "replications",
            "mean",
            "ci95_low",
            "ci95_high",
            "diff_mean",
            "diff_ci95_low",
            "diff_ci95_high",
        ]
        .map(|h| format.sweep_header(h)),
    );
    // Only when the points ran different numbers of replications: then
    // a difference is over fewer than a point's replications.
    let paired = paired_if_uneven(rows, plan.baseline);
    let uneven = rows.iter().any(|r| paired(r).is_some());
    if uneven {
        header.push(format.sweep_header("diff_replications"));
    }
    w.write_record(&header).map_err(ser)?;
    let cell = |x: f64| format.number(x);
    for r in rows {
        let point = plan.grid.point(r.point);
        let mut record = vec![r.point.to_string()];
        // As written for programs; as people read it for a spreadsheet.
        record.extend(point.values.iter().map(|v| match format.spreadsheet {
            Some(lang) => lang.grid_value(v),
            None => v.clone(),
        }));
        record.extend([
            r.metric.clone(),
            // A count is the measured period's total: say so, as
            // replications.csv does (the table shows it per year).
            format.period_unit(&r.metric, r.unit.key(), r.measured_days),
            r.replications.to_string(),
            cell(r.estimate.mean),
            cell(r.estimate.ci95_low),
            cell(r.estimate.ci95_high),
            cell(r.difference.mean),
            cell(r.difference.ci95_low),
            cell(r.difference.ci95_high),
        ]);
        if uneven {
            record.push(r.paired_replications.to_string());
        }
        w.write_record(&record).map_err(ser)?;
    }
    w.into_inner()
        .map_err(|e| ReportError::Serialize(e.to_string()))
}

#[derive(Serialize)]
struct SweepFile<'a> {
    schema_version: u32,
    name: &'a str,
    scenario: &'a str,
    sets: &'a [String],
    seed: u64,
    replications: RuleFile,
    baseline: usize,
    grid: Vec<AxisFile>,
    points: Vec<PointRow>,
    vardsim_version: &'static str,
}

#[derive(Serialize)]
struct PointRow {
    point: usize,
    values: BTreeMap<String, String>,
    replications: u32,
    /// Days measured per replication: counts are totals of these days.
    measured_days: u32,
    /// The replications its differences are paired over, when it and the
    /// baseline ran different numbers (`--precision`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    paired_replications: Option<u32>,
    metrics: BTreeMap<String, MetricRow>,
}

#[derive(Serialize)]
struct MetricRow {
    unit: &'static str,
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
    difference: Interval,
}

#[derive(Serialize)]
struct Interval {
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
}

/// `sweep.json`: the same numbers as `sweep.csv`, nested by point.
pub fn sweep_json(plan: &SweepPlan, rows: &[SweepRow]) -> Result<String, ReportError> {
    let plan_file = PlanFile::of(plan);
    let paired = paired_if_uneven(rows, plan.baseline);
    let mut points: Vec<PointRow> = Vec::new();
    for r in rows {
        if points.last().is_none_or(|p| p.point != r.point) {
            let point = plan.grid.point(r.point);
            points.push(PointRow {
                point: r.point,
                values: plan
                    .grid
                    .axes
                    .iter()
                    .map(|a| a.path.clone())
                    .zip(point.values)
                    .collect(),
                replications: r.replications,
                measured_days: r.measured_days,
                paired_replications: paired(r),
                metrics: BTreeMap::new(),
            });
        }
        if let Some(p) = points.last_mut() {
            p.metrics.insert(
                r.metric.clone(),
                MetricRow {
                    unit: r.unit.key(),
                    mean: num(r.estimate.mean),
                    ci95_low: num(r.estimate.ci95_low),
                    ci95_high: num(r.estimate.ci95_high),
                    difference: Interval {
                        mean: num(r.difference.mean),
                        ci95_low: num(r.difference.ci95_low),
                        ci95_high: num(r.difference.ci95_high),
                    },
                },
            );
        }
    }
    to_json(&SweepFile {
        schema_version: SCHEMA_VERSION,
        name: &plan.name,
        scenario: &plan.scenario,
        sets: &plan.sets,
        seed: plan.seed,
        replications: plan_file.replications,
        baseline: plan.baseline,
        grid: plan_file.grid,
        points,
        vardsim_version: env!("CARGO_PKG_VERSION"),
    })
}

/// Writes `sweep.csv` and `sweep.json`.
pub fn write_sweep(dir: &Path, plan: &SweepPlan, rows: &[SweepRow]) -> Result<(), ReportError> {
    write_sweep_with(dir, plan, rows, CsvFormat::plain(b','))
}

/// [`write_sweep`] with `sweep.csv` in `csv` (see [`CsvFormat`]).
pub fn write_sweep_with(
    dir: &Path,
    plan: &SweepPlan,
    rows: &[SweepRow],
    csv: CsvFormat,
) -> Result<(), ReportError> {
    write_atomic(&dir.join("sweep.csv"), &sweep_csv_with(plan, rows, csv)?)?;
    let json = sweep_json(plan, rows)?;
    write_atomic(&dir.join("sweep.json"), json.as_bytes())?;
    // The workbook is made from sweep.json as written, like the report.
    let doc: super::input::SweepDoc =
        serde_json::from_str(&json).map_err(|e| ReportError::Serialize(e.to_string()))?;
    let lang = csv.spreadsheet.unwrap_or_default();
    write_atomic(
        &dir.join("sweep.xlsx"),
        &super::spreadsheet::sweep_xlsx(&doc, lang)?,
    )
}

/// Metrics shown in the terminal table when the sweep names none.
const HEADLINE: [&str; 4] = [
    "contact_same_day",
    "assessment_within_3_days",
    "doctor_visit_within_7_days",
    "staff_cost_sek_per_year",
];

/// A terminal table: one row per point, for each metric of interest (or the
/// headline guarantee metrics) its mean with CI and the paired difference
/// from the baseline. English: metric keys, as in sweep.json; Swedish:
/// labels, decimal comma and thousands separators. A metric's counts are
/// written whole at every point or at none.
pub fn sweep_table(plan: &SweepPlan, rows: &[SweepRow], lang: Lang) -> String {
    let mut keys: Vec<&str> = if plan.metrics.is_empty() {
        HEADLINE.to_vec()
    } else {
        plan.metrics.iter().map(String::as_str).collect()
    };
    keys.retain(|k| rows.iter().any(|r| r.metric == *k));
    let mut header = vec![lang.pick("point", "punkt").to_string()];
    header.extend(plan.grid.axes.iter().map(|a| a.path.clone()));
    header.push(lang.pick("reps", "körningar").into());
    for k in &keys {
        header.push(match lang {
            Lang::En => (*k).to_string(),
            Lang::Sv => {
                let unit = rows.iter().find(|r| r.metric == *k).map(|r| r.unit.key());
                lang.with_unit(lang.metric(k), unit.unwrap_or(""))
            }
        });
        header.push(format!(
            "{} {}",
            lang.pick("Δ vs point", "Δ mot punkt"),
            plan.baseline
        ));
    }
    let whole_counts: BTreeMap<&str, bool> = keys
        .iter()
        .map(|k| {
            let shown: Vec<f64> = rows
                .iter()
                .filter(|r| r.metric == *k)
                .flat_map(|r| {
                    let (e, d) = per_year(r);
                    numbers(&e).into_iter().chain(numbers(&d))
                })
                .collect();
            (*k, whole(&shown))
        })
        .collect();
    let mut table = vec![header];
    let mut by_point: BTreeMap<usize, Vec<&SweepRow>> = BTreeMap::new();
    for r in rows {
        by_point.entry(r.point).or_default().push(r);
    }
    for (point, rs) in by_point {
        let mut line = vec![point.to_string()];
        line.extend(
            plan.grid
                .point(point)
                .values
                .iter()
                .map(|v| lang.grid_value(v)),
        );
        line.push(rs.first().map_or(0, |r| r.replications).to_string());
        for k in &keys {
            match rs.iter().find(|r| r.metric == *k) {
                Some(r) => {
                    let w = whole_counts[k];
                    let (estimate, difference) = per_year(r);
                    line.push(with_ci(&estimate, r.unit, lang, w));
                    line.push(if point == plan.baseline {
                        lang.pick("baseline", "jämförelsepunkt").to_string()
                    } else {
                        match lang {
                            Lang::En => fmt_diff(&difference, r.unit, w),
                            Lang::Sv => lang_diff(&difference, r.unit, lang, w),
                        }
                    });
                }
                None => line.extend(["–".to_string(), "–".to_string()]),
            }
        }
        table.push(line);
    }
    // What the counts cover, as `run` and `compare` say it: when a shown
    // metric is a period total (the baseline's measured days).
    let shows_totals = rows
        .iter()
        .any(|r| keys.contains(&r.metric.as_str()) && is_period_total(&r.metric, r.unit.key()));
    let counts = rows
        .iter()
        .find(|r| r.point == plan.baseline)
        .filter(|_| shows_totals)
        .map_or(String::new(), |r| counts_note(r.measured_days, lang));
    let heading = match lang {
        Lang::En => format!(
            "sweep {} · {} points · seed {} · {} (paired: common random numbers){counts}",
            plan.name,
            plan.grid.len(),
            plan.seed,
            replications_text(&plan.replications, lang),
        ),
        Lang::Sv => format!(
            "parameterstudie {} · {} punkter · slumpfrö {} · {} (parvis: gemensamma slumptal){counts}",
            plan.name,
            plan.grid.len(),
            plan.seed,
            replications_text(&plan.replications, lang),
        ),
    };
    let paired = paired_if_uneven(rows, plan.baseline);
    let mut uneven: Vec<(usize, u32)> = rows
        .iter()
        .filter_map(|r| paired(r).map(|n| (r.point, n)))
        .collect();
    uneven.dedup();
    let note =
        paired_note(lang, plan.baseline, &uneven).map_or(String::new(), |n| format!("\n{n}"));
    format!("{heading}\n\n{}{note}", aligned(&table))
}

/// For each row, the replications its Δ is paired over, when it and the
/// baseline point ran different numbers of them (`--precision`); `None`
/// when the Δ is over every replication of both.
fn paired_if_uneven(rows: &[SweepRow], baseline: usize) -> impl Fn(&SweepRow) -> Option<u32> {
    let base = rows
        .iter()
        .find(|r| r.point == baseline)
        .map(|r| r.replications);
    move |r: &SweepRow| {
        (r.point != baseline && base.is_some_and(|b| b != r.replications))
            .then_some(r.paired_replications)
    }
}

/// What a Δ is over when the points ran different numbers of replications
/// (`uneven`: point and the replications its Δ is paired over): the
/// replications both it and the baseline ran, so that the random numbers
/// are common — and so a Δ need not equal the difference of the means
/// shown beside it. `None` when every Δ is over all replications. One
/// text for the terminal's table and the report.
pub fn paired_note(lang: Lang, baseline: usize, uneven: &[(usize, u32)]) -> Option<String> {
    if uneven.is_empty() {
        return None;
    }
    const LISTED: usize = 6;
    let mut over: Vec<String> = uneven
        .iter()
        .take(LISTED)
        .map(|(p, n)| match lang {
            Lang::En => format!("point {p} over {n}"),
            Lang::Sv => format!("punkt {p} över {n}"),
        })
        .collect();
    if uneven.len() > LISTED {
        let more = uneven.len() - LISTED;
        over.push(match lang {
            Lang::En => format!("{more} more"),
            Lang::Sv => format!("{more} till"),
        });
    }
    let over = over.join(", ");
    Some(match lang {
        Lang::En => format!(
            "Note: the points ran different numbers of replications (--precision). Each Δ is paired over the \
             replications both the point and point {baseline} ran (common random numbers): {over}; so a Δ \
             need not equal the difference of the means beside it."
        ),
        Lang::Sv => format!(
            "Obs: punkterna kördes olika många gånger (--precision). Varje Δ är parvis över de körningar som \
             både punkten och punkt {baseline} körde (gemensamma slumptal): {over}; därför behöver ett Δ inte \
             vara skillnaden mellan medelvärdena bredvid."
        ),
    })
}

/// A row's estimate and difference as the terminal shows them (counts
/// per year, as `run` and `compare` show them).
fn per_year(r: &SweepRow) -> (Estimate, Estimate) {
    let shown = |e: &Estimate| table::per_year(&r.metric, r.unit, r.measured_days, e).0;
    (shown(&r.estimate), shown(&r.difference))
}

/// The replications rule as the terminal says it: in English the record's
/// own words (`Replications::describe`), in Swedish a translation.
pub fn replications_text(r: &Replications, lang: Lang) -> String {
    match (lang, r) {
        // Not `describe()` ("fixed 3"), which the fingerprints hash.
        (Lang::En, Replications::Fixed(n)) => format!("{n} replications each"),
        (Lang::En, _) => r.describe(),
        (Lang::Sv, Replications::Fixed(n)) => format!("{n} körningar vardera"),
        (Lang::Sv, Replications::Precision(p)) => format!(
            "precision {} på {} (först {}, högst {} körningar)",
            lang.decimal(p.half_width),
            p.metrics.join(" "),
            p.initial,
            p.max
        ),
    }
}

/// A mean with its 95 % CI, `mean (low – high)`, counts whole or not as
/// the metric's column decided.
fn with_ci(e: &Estimate, unit: MetricUnit, lang: Lang, whole_counts: bool) -> String {
    let v = |x: f64| match lang {
        Lang::En => fmt_number(x, unit, whole_counts),
        Lang::Sv => lang.value_as(x, unit.key(), whole_counts),
    };
    if e.ci95_low.is_finite() {
        format!("{} ({} – {})", v(e.mean), v(e.ci95_low), v(e.ci95_high))
    } else {
        v(e.mean)
    }
}
