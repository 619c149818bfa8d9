//! What a report is made from: the files a run or a compare left in its
//! folder (`summary.json`, `comparison.json`, `assumptions.json`), read
//! back. `assumptions.json` is written beside them so that a report made
//! later still shows the scenario's key assumptions and the command that
//! reproduces the numbers.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{ReportError, SCHEMA_VERSION, write_atomic};
use crate::scenario::Scenario;
use crate::scenario::spec::DayCount;

/// A mean and its 95 % CI as written in the JSON files (`null` = undefined).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq)]
pub struct Estimate {
    /// Mean.
    pub mean: Option<f64>,
    /// Lower bound.
    pub ci95_low: Option<f64>,
    /// Upper bound.
    pub ci95_high: Option<f64>,
}

impl Estimate {
    /// The mean and the CI's lower end (NaN when absent), if the mean is there.
    pub fn figure(&self) -> Option<crate::metrics::Figure> {
        Some(crate::metrics::Figure {
            mean: self.mean?,
            ci95_low: self.ci95_low.unwrap_or(f64::NAN),
        })
    }

    /// As a chart interval (NaN where undefined).
    pub fn interval(&self) -> super::chart::Interval {
        let f = |x: Option<f64>| x.unwrap_or(f64::NAN);
        super::chart::Interval {
            mean: f(self.mean),
            lo: f(self.ci95_low),
            hi: f(self.ci95_high),
        }
    }
}

/// An overall metric in `summary.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct Metric {
    /// Mean and CI.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// Unit key.
    pub unit: String,
}

/// A breakdown row in `summary.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct Breakdown {
    /// Metric key.
    pub metric: String,
    /// Dimension.
    pub by: String,
    /// Group.
    pub group: String,
    /// Mean and CI.
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// `summary.json` read back.
#[derive(Clone, Debug, Deserialize)]
pub struct SummaryDoc {
    /// Output contract version.
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Replications.
    pub replications: usize,
    /// Days measured per replication (counts are their totals); absent in
    /// files from before it was written.
    #[serde(default)]
    pub measured_days: Option<u32>,
    /// Program version that wrote it.
    pub vardsim_version: String,
    /// Overall metrics.
    pub metrics: BTreeMap<String, Metric>,
    /// Breakdowns.
    pub breakdown: Vec<Breakdown>,
    /// The results' own warnings (a backlog still growing); absent in
    /// files from before they were written, and when there are none.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl crate::metrics::ResultFigures for SummaryDoc {
    fn figure(&self, key: &str) -> Option<crate::metrics::Figure> {
        self.metrics.get(key)?.estimate.figure()
    }
    fn by_profession(&self, key: &str) -> Vec<(String, crate::metrics::Figure)> {
        self.groups(key, "profession")
            .filter_map(|b| Some((b.group.clone(), b.estimate.figure()?)))
            .collect()
    }
}

impl SummaryDoc {
    /// The results' warnings in `lang`: found again from the figures (the
    /// file holds them in English); as written in files from before the
    /// measured days were.
    pub fn warnings_in(&self, lang: super::lang::Lang) -> Vec<String> {
        match self.measured_days {
            Some(days) => crate::metrics::ResultWarning::find(self, days)
                .iter()
                .map(|w| lang.result_warning(w))
                .collect(),
            None => self.warnings.clone(),
        }
    }

    /// The breakdown of `metric` by `by`, in file order (sorted by group).
    pub fn groups<'a>(
        &'a self,
        metric: &'a str,
        by: &'a str,
    ) -> impl Iterator<Item = &'a Breakdown> {
        self.breakdown
            .iter()
            .filter(move |b| b.metric == metric && b.by == by)
    }
}

/// One metric of `comparison.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct ComparedMetric {
    /// Unit key.
    pub unit: String,
    /// Per scenario.
    pub scenarios: BTreeMap<String, Estimate>,
    /// Per variant, variant − base.
    pub differences: BTreeMap<String, Estimate>,
}

/// `comparison.json` read back.
#[derive(Clone, Debug, Deserialize)]
pub struct ComparisonDoc {
    /// Output contract version.
    pub schema_version: u32,
    /// Base scenario.
    pub base: String,
    /// Variants in order.
    pub variants: Vec<String>,
    /// Master seed.
    pub seed: u64,
    /// Replications per scenario.
    pub replications: usize,
    /// Days measured per replication in the base (absent in files from
    /// before it was written).
    #[serde(default)]
    pub measured_days: Option<u32>,
    /// Program version (absent in files from before it was written).
    #[serde(default)]
    pub vardsim_version: Option<String>,
    /// Metrics.
    pub metrics: BTreeMap<String, ComparedMetric>,
}

impl ComparisonDoc {
    /// Base first, then the variants.
    pub fn scenarios(&self) -> Vec<String> {
        std::iter::once(self.base.clone())
            .chain(self.variants.iter().cloned())
            .collect()
    }
}

/// Staff of one health centre.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct UnitAssumptions {
    /// Unit key.
    pub key: String,
    /// Name.
    pub name: String,
    /// Listed patients.
    pub listed: u32,
    /// Staff members at work by profession key: filled posts (`count` less
    /// `vacant`), as `check` counts them.
    pub staff: BTreeMap<String, u32>,
    /// Vacant posts by profession key (professions with none left out).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vacant: BTreeMap<String, u32>,
    /// Full-time equivalents by profession key: scheduled hours a week
    /// (every shift of every member) ÷ 40. Absent in files from before it
    /// was written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fte: BTreeMap<String, f64>,
    /// Has a drop-in.
    pub dropin: bool,
    /// Has a telephone line.
    pub phone: bool,
    /// Booking searches every competent profession's book.
    pub profession_neutral: bool,
}

/// A profession with staff in the scenario.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProfessionAssumptions {
    /// English label.
    pub label_en: String,
    /// Swedish label.
    pub label_sv: String,
    /// Licensed (may give a medical assessment).
    pub licensed: bool,
    /// Cost per FTE-year, SEK.
    pub cost_per_fte_year_sek: f64,
}

/// A guarantee rule.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RuleAssumptions {
    /// Metric key.
    pub key: String,
    /// English label.
    pub label_en: String,
    /// Swedish label.
    pub label_sv: String,
    /// Deadline in days.
    pub deadline_days: u32,
    /// Calendar or working days (written as the scenario writes them).
    pub count_days: DayCount,
}

/// A mobile team.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TeamAssumptions {
    /// Team key.
    pub key: String,
    /// Name.
    pub name: String,
    /// Crews working in parallel.
    pub crews: u32,
    /// Head count per crew, by profession key.
    pub crew: BTreeMap<String, u32>,
}

/// The key assumptions of one scenario.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Assumptions {
    /// Scenario name.
    pub scenario: String,
    /// Its description.
    pub description: String,
    /// Its description in Swedish (`description_sv`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_sv: Option<String>,
    /// Its English label (`label_en`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    /// Its Swedish label (`label_sv`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_sv: Option<String>,
    /// Simulated days.
    pub horizon_days: u32,
    /// Warm-up days (not counted).
    pub warmup_days: u32,
    /// Health centres.
    pub units: Vec<UnitAssumptions>,
    /// Professions with staff, by key.
    pub professions: BTreeMap<String, ProfessionAssumptions>,
    /// Guarantee rules.
    pub rules: Vec<RuleAssumptions>,
    /// Mobile teams (absent in files from before they were written, and
    /// when the scenario has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mobile_teams: Vec<TeamAssumptions>,
    /// The scenario's warnings as printed (`file:line:col: key …: …`);
    /// absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The same warnings in Swedish, for a Swedish report (absent in files
    /// from before they were written, and when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings_sv: Vec<String>,
    /// Content fingerprint of the checked scenario (16 hexadecimal digits,
    /// as in a sweep's `plan.json`): what tells a rerun of the same scenario
    /// from another scenario's results in the same folder. Absent in files
    /// from before it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_fingerprint: Option<String>,
    /// Fingerprint of the care the scenario simulates: everything but its
    /// name, description, labels and guarantee rules (which only decide what
    /// is counted). Two scenarios with the same care fingerprint differ only
    /// in the definition of the guarantee; a comparison marks such a
    /// variant. Absent in files from before it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_fingerprint: Option<String>,
}

impl Assumptions {
    /// The scenario's label in `lang`, else its name.
    pub fn label(&self, lang: super::Lang) -> &str {
        let label = match lang {
            super::Lang::En => &self.label_en,
            super::Lang::Sv => &self.label_sv,
        };
        label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .unwrap_or(&self.scenario)
    }
}

/// Fingerprint of `sc` without its name, description and guarantee rules
/// (see [`Assumptions::care_fingerprint`]); the rules never change what
/// happens to a patient, only what the metrics count. `None` if the
/// scenario cannot be written as JSON (then no variant is marked).
pub fn care_fingerprint(sc: &Scenario) -> Option<u64> {
    let mut v = serde_json::to_value(sc).ok()?;
    let m = v.as_object_mut()?;
    for key in ["name", "description", "rules"] {
        m.remove(key)?;
    }
    Some(crate::experiment::sweep::fnv1a(v.to_string().as_bytes()))
}

impl Assumptions {
    /// The key assumptions of `sc`.
    pub fn of(sc: &Scenario) -> Self {
        let units: Vec<UnitAssumptions> = sc
            .units
            .iter()
            .map(|u| {
                let mut staff = BTreeMap::new();
                let mut vacant = BTreeMap::new();
                let mut fte = BTreeMap::new();
                for g in &u.staff {
                    let key = &sc.professions[g.profession.index()].key;
                    // Filled posts: a vacant one is nobody at work (the
                    // report said "Doctor 5" of doctor-short's three).
                    *staff.entry(key.clone()).or_insert(0) += g.employed();
                    if g.vacant > 0 {
                        *vacant.entry(key.clone()).or_insert(0) += g.count.min(g.vacant);
                    }
                    let weekly_s: u64 = g
                        .shifts
                        .iter()
                        .map(|(b, _)| {
                            u64::from(b.days.count_ones())
                                * u64::from(b.end_s.saturating_sub(b.start_s))
                        })
                        .sum();
                    *fte.entry(key.clone()).or_insert(0.0) +=
                        f64::from(g.employed()) * weekly_s as f64 / (40.0 * 3600.0);
                }
                UnitAssumptions {
                    key: u.key.clone(),
                    name: u.name.clone(),
                    listed: u.listed,
                    staff,
                    vacant,
                    fte,
                    dropin: u.dropin.is_some(),
                    phone: u.phone.is_some(),
                    profession_neutral: u.booking.profession_neutral,
                }
            })
            .collect();
        let mobile_teams: Vec<TeamAssumptions> = sc
            .mobile_teams
            .iter()
            .map(|t| TeamAssumptions {
                key: t.key.clone(),
                name: t.name.clone(),
                crews: t.crews,
                crew: t
                    .crew
                    .iter()
                    .map(|&(p, n)| (sc.professions[p.index()].key.clone(), n))
                    .collect(),
            })
            .collect();
        let professions = sc
            .professions
            .iter()
            .filter(|p| {
                units.iter().any(|u| u.staff.contains_key(&p.key))
                    || mobile_teams.iter().any(|t| t.crew.contains_key(&p.key))
            })
            .map(|p| {
                (
                    p.key.clone(),
                    ProfessionAssumptions {
                        label_en: p.label_en.clone(),
                        label_sv: p.label_sv.clone(),
                        licensed: p.licensed,
                        cost_per_fte_year_sek: p.cost_per_fte_year_sek,
                    },
                )
            })
            .collect();
        Assumptions {
            scenario: sc.name.clone(),
            description: sc.description.clone(),
            description_sv: sc.description_sv.clone(),
            label_en: sc.label_en.clone(),
            label_sv: sc.label_sv.clone(),
            horizon_days: sc.horizon_days,
            warmup_days: sc.warmup_days,
            units,
            professions,
            rules: sc
                .rules
                .iter()
                .map(|r| RuleAssumptions {
                    key: r.key.clone(),
                    label_en: r.label_en.clone(),
                    label_sv: r.label_sv.clone(),
                    deadline_days: r.deadline_days,
                    count_days: r.count_days,
                })
                .collect(),
            mobile_teams,
            warnings: sc.warnings.iter().map(ToString::to_string).collect(),
            warnings_sv: sc.warnings.iter().map(|w| w.in_swedish()).collect(),
            scenario_fingerprint: Some(format!(
                "{:016x}",
                crate::experiment::sweep::scenario_fingerprint(sc)
            )),
            care_fingerprint: care_fingerprint(sc).map(|f| format!("{f:016x}")),
        }
    }
}

/// `assumptions.json`: the command that produced the folder and each
/// scenario's key assumptions (base first in a compare).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AssumptionsFile {
    /// Output contract version.
    pub schema_version: u32,
    /// The command line, e.g. `vardsim run scenarios/default.toml -r 20`.
    pub command: String,
    /// Scenarios.
    pub scenarios: Vec<Assumptions>,
    /// The language the folder was made in (`en`, `sv`: its CSV, workbook
    /// and report); `vardsim report` uses it when `--lang` is not given.
    /// Absent in files from before it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// Writes `folder/assumptions.json` for `scenarios` run by `command`, in English.
pub fn write_assumptions(
    folder: &Path,
    command: &str,
    scenarios: &[&Scenario],
) -> Result<(), ReportError> {
    write_assumptions_with(folder, command, scenarios, super::Lang::En).map(drop)
}

/// [`write_assumptions`] for a folder made in `lang`; returns what it
/// wrote (the workbook names health centres from it).
pub fn write_assumptions_with(
    folder: &Path,
    command: &str,
    scenarios: &[&Scenario],
    lang: super::Lang,
) -> Result<AssumptionsFile, ReportError> {
    let file = AssumptionsFile {
        schema_version: SCHEMA_VERSION,
        command: command.to_string(),
        scenarios: scenarios.iter().map(|s| Assumptions::of(s)).collect(),
        lang: Some(lang.key().to_string()),
    };
    let mut text =
        serde_json::to_string_pretty(&file).map_err(|e| ReportError::Serialize(e.to_string()))?;
    text.push('\n');
    write_atomic(&folder.join("assumptions.json"), text.as_bytes())?;
    Ok(file)
}

/// Reads and parses a JSON file of the folder; `None` if it does not exist.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, ReportError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ReportError::Read {
                path: path.to_path_buf(),
                reason: e.to_string(),
            });
        }
    };
    let bad = |reason: String| ReportError::Read {
        path: path.to_path_buf(),
        reason,
    };
    // vardsim writes its files whole (temporary file and rename): one that
    // does not parse was changed by something else.
    let damaged = |e: serde_json::Error| {
        bad(format!(
            "{e}\n  hint: the file is not as vardsim wrote it (edited or copied in part): rerun the command that made the folder"
        ))
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(damaged)?;
    // A file of another contract version is not read as if it were this one.
    if let Some(v) = value.get("schema_version")
        && v.as_u64() != Some(u64::from(SCHEMA_VERSION))
    {
        return Err(bad(format!(
            "schema_version {v}, but this vardsim reads version {SCHEMA_VERSION}\n  hint: make the report with the vardsim that wrote the folder, or rerun the command that made it"
        )));
    }
    serde_json::from_value(value).map(Some).map_err(damaged)
}

/// One metric of one sweep point in `sweep.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct SweepMetric {
    /// Unit key.
    pub unit: String,
    /// Mean and CI.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// Paired difference from the baseline point.
    #[serde(default)]
    pub difference: Estimate,
}

/// One point of `sweep.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct SweepPoint {
    /// Index in the grid.
    pub point: usize,
    /// Grid value of each axis, by path.
    pub values: BTreeMap<String, String>,
    /// Replications run.
    pub replications: usize,
    /// Days measured per replication (counts are their totals); absent in
    /// files from before it was written.
    #[serde(default)]
    pub measured_days: Option<u32>,
    /// The replications its differences are paired over, when it and the
    /// baseline ran different numbers (`--precision`).
    #[serde(default)]
    pub paired_replications: Option<u32>,
    /// Metrics by key.
    pub metrics: BTreeMap<String, SweepMetric>,
}

/// One axis of a sweep's grid.
#[derive(Clone, Debug, Deserialize)]
pub struct SweepAxis {
    /// The `--set` path.
    pub path: String,
    /// Its values, as written.
    pub values: Vec<String>,
}

/// What `runs` and `report` read of a `calibration.json` (`vardsim
/// calibrate`).
#[derive(Clone, Debug, Deserialize)]
pub struct CalibrationDoc {
    /// The calibrated scenario's name (its file is `NAME.toml` unless
    /// `--out` said otherwise).
    pub scenario: String,
    /// Master seed of the calibration runs.
    pub seed: u64,
    /// Replications per run.
    pub replications: u32,
    /// One per unit and figure.
    pub fits: Vec<CalibrationFit>,
}

/// A fit's status: `fitted`, `at_bound` or `check`.
#[derive(Clone, Debug, Deserialize)]
pub struct CalibrationFit {
    /// `fitted`, `at_bound` or `check`.
    pub status: String,
}

/// `sweep.json` read back (see `docs/sweeps.md`).
#[derive(Clone, Debug, Deserialize)]
pub struct SweepDoc {
    /// Output contract version.
    pub schema_version: u32,
    /// Sweep name.
    pub name: String,
    /// Scenario file (or `builtin:default`).
    pub scenario: String,
    /// `--set` overrides applied to every point.
    #[serde(default)]
    pub sets: Vec<String>,
    /// Master seed.
    pub seed: u64,
    /// Replication rule (a fixed number or a precision), as written.
    pub replications: serde_json::Value,
    /// Baseline point.
    pub baseline: usize,
    /// Axes.
    pub grid: Vec<SweepAxis>,
    /// Points in order.
    pub points: Vec<SweepPoint>,
    /// Program version.
    #[serde(default)]
    pub vardsim_version: Option<String>,
    /// The metrics the sweep was asked for (`--metric`, a sweep file's
    /// `metrics`; empty: every metric): from `plan.json` beside it, which
    /// `sweep.json` does not repeat.
    #[serde(skip)]
    pub asked: Vec<String>,
    /// The command as typed that made the sweep and its report, when the
    /// sweep writes the report itself (see [`super::write_report_as`]); the
    /// report's "reproduce" shows it, as a run's shows the command its
    /// `assumptions.json` recorded. `None`: rebuilt from the plan.
    #[serde(skip)]
    pub command: Option<String>,
}

/// What a report reads of a sweep's `plan.json`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PlanMetrics {
    /// The metrics asked for (empty: every metric).
    #[serde(default)]
    pub metrics: Vec<String>,
}
