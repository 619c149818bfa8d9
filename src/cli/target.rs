//! `vardsim target`: the smallest value of a staffing parameter that meets a
//! target with 95 % confidence, printing each step of the search.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use super::{CommonArgs, Format, Interrupted, cancel_flag, checks};
use crate::experiment::sweep::{self, Point, Precision, Replications};
use crate::experiment::target::{self, Goal, Step};
use crate::metrics::{Estimate, MetricUnit};
use crate::report::fmt_value;
use crate::scenario::Scenario;

pub(super) const TARGET_EXAMPLES: &str = "\
Examples:
  vardsim target --metric assessment_within_3_days --at-least 0.9 \\
      --vary units.vc.staff.doctor.count --min 2 --max 10
  vardsim target scenarios/validation/mmc.toml --metric dropin_wait_over_30_min --at-most 0.05 \\
      --vary units.desk.staff.nurse.count --min 3 --max 10 -r 5
  vardsim target --metric contact_same_day --at-least 0.9 --vary units.vc.staff.nurse_phone.count \\
      --min 2 --max 12 --precision 0.005      replications until each CI is ±0.5 pp";

/// Arguments of `vardsim target`.
#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// Scenario file (TOML); the built-in default scenario without it.
    pub scenario: Option<PathBuf>,
    /// The metric that must meet the target.
    #[arg(long, value_name = "KEY")]
    pub metric: String,
    /// Target: the metric's whole 95 % CI at or above X (shares as 0–1).
    #[arg(long, value_name = "X", required_unless_present = "at_most")]
    pub at_least: Option<f64>,
    /// Target: the metric's whole 95 % CI at or below X (e.g. a waiting time).
    #[arg(long, value_name = "X", conflicts_with = "at_least")]
    pub at_most: Option<f64>,
    /// The scenario key to vary (an integer, such as a staff count).
    #[arg(long, value_name = "PATH")]
    pub vary: String,
    /// Smallest value to consider.
    #[arg(long)]
    pub min: i64,
    /// Largest value to consider.
    #[arg(long)]
    pub max: i64,
    /// Add replications at each step until the metric's CI half-width is at most H.
    #[arg(long, value_name = "H")]
    pub precision: Option<f64>,
    /// Cap on replications per step under `--precision`.
    #[arg(long, default_value_t = 200)]
    pub max_replications: u32,
    /// Replications, seed, overrides, output format and threads.
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Serialize)]
struct TargetFile<'a> {
    metric: &'a str,
    goal: &'static str,
    target: f64,
    vary: &'a str,
    seed: u64,
    steps: Vec<StepRow>,
    answer: Option<i64>,
}

#[derive(Serialize)]
struct StepRow {
    value: i64,
    replications: usize,
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
    meets: bool,
}

pub(super) fn target_command(args: TargetArgs) -> anyhow::Result<()> {
    let common = &args.common;
    common.check()?;
    checks::replications("--max-replications", args.max_replications)?;
    for (option, v) in [("--min", args.min), ("--max", args.max)] {
        anyhow::ensure!(
            (0..=checks::MAX_TARGET_VALUE).contains(&v),
            "{option} {v}: expected 0 to {} (the varied key is a count, such as staff)",
            checks::MAX_TARGET_VALUE
        );
    }
    anyhow::ensure!(
        args.min <= args.max,
        "--min {} is above --max {}",
        args.min,
        args.max
    );
    let goal = match (args.at_least, args.at_most) {
        (Some(x), _) => Goal::AtLeast(x),
        (None, Some(x)) => Goal::AtMost(x),
        (None, None) => anyhow::bail!("give --at-least X or --at-most X"),
    };
    let rule = match args.precision {
        None => Replications::Fixed(common.replications().max(2)),
        Some(h) => {
            anyhow::ensure!(h > 0.0, "--precision must be positive");
            Replications::Precision(Precision {
                metrics: vec![args.metric.clone()],
                half_width: h,
                initial: common.replications().max(2),
                max: args.max_replications.max(2),
            })
        }
    };
    let file = args
        .scenario
        .as_deref()
        .filter(|p| p.as_os_str() != "builtin:default");
    let seed = common.seed();
    // A misspelt metric is refused before the search, from one short week.
    let mut probe_sets = common.sets.clone();
    probe_sets.push(format!("{}={}", args.vary, args.max));
    checks::metrics(
        &super::load_scenario(file, &probe_sets)?,
        std::slice::from_ref(&args.metric),
    )?;
    let cancel = cancel_flag();
    let table = common.format == Format::Table;
    // Learnt from the first evaluation; read when printing its step.
    let unit = std::cell::Cell::new(MetricUnit::Share);
    let mut evaluate = |value: i64| -> anyhow::Result<Estimate> {
        let mut sets = common.sets.clone();
        sets.push(format!("{}={value}", args.vary));
        let scenario = Scenario::load(file, &sets)?;
        let run = || sweep::replicate(&scenario, seed, &rule, cancel, &|| {});
        let reps = crate::experiment::in_pool(common.threads, run)??;
        let Some(reps) = reps else {
            return Err(Interrupted(
                "interrupted: the search stopped before it had an answer".into(),
            )
            .into());
        };
        let point = Point {
            index: 0,
            values: vec![value.to_string()],
        };
        let result = sweep::point_result(point, &scenario, seed, &rule, &reps);
        let m = result.metrics.get(&args.metric).with_context(|| {
            format!(
                "unknown metric `{}`; the scenario produces: {}",
                args.metric,
                result
                    .metrics
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        unit.set(m.unit);
        Ok(m.estimate())
    };
    let (goal_text, target_value) = match goal {
        Goal::AtLeast(x) => ("at_least", x),
        Goal::AtMost(x) => ("at_most", x),
    };
    if table {
        println!(
            "smallest {} with {} {} {} (whole 95 % CI) · seed {seed} · {}",
            args.vary,
            args.metric,
            if goal_text == "at_least" {
                "≥"
            } else {
                "≤"
            },
            target_value,
            rule.describe()
        );
    }
    let mut rows = Vec::new();
    let mut on_step = |s: &Step| {
        if table {
            let ci = if s.estimate.ci95_low.is_finite() {
                format!(
                    "({} – {})",
                    fmt_value(s.estimate.ci95_low, unit.get()),
                    fmt_value(s.estimate.ci95_high, unit.get())
                )
            } else {
                String::new()
            };
            println!(
                "  {} = {:<4} {} {ci} over {} replications → {}",
                args.vary,
                s.value,
                fmt_value(s.estimate.mean, unit.get()),
                s.estimate.n,
                if s.meets { "meets" } else { "does not meet" }
            );
        }
        let num = |x: f64| x.is_finite().then_some(x);
        rows.push(StepRow {
            value: s.value,
            replications: s.estimate.n,
            mean: num(s.estimate.mean),
            ci95_low: num(s.estimate.ci95_low),
            ci95_high: num(s.estimate.ci95_high),
            meets: s.meets,
        });
    };
    let result = target::search(args.min, args.max, goal, &mut evaluate, &mut on_step)?;
    let mut stdout = std::io::stdout().lock();
    match common.format {
        Format::Json => {
            let file = TargetFile {
                metric: &args.metric,
                goal: goal_text,
                target: target_value,
                vary: &args.vary,
                seed,
                steps: rows,
                answer: result.answer,
            };
            let mut text = serde_json::to_string_pretty(&file)?;
            text.push('\n');
            stdout.write_all(text.as_bytes())
        }
        Format::Table => match result.answer {
            Some(v) => writeln!(stdout, "answer: {} = {v}", args.vary),
            None => writeln!(
                stdout,
                "answer: none — even {} = {} does not meet the target; raise --max",
                args.vary, args.max
            ),
        },
    }
    .context("writing to stdout")
}
