//! `vardsim sweep` and `vardsim merge`: glue from a sweep plan to the
//! experiment's point runner and the sweep files, with resume, shards and a
//! clean stop on Ctrl-C.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;

use super::{CommonArgs, Format, Interrupted, cancel_flag, checks, progress_bar};
use crate::experiment::sweep::{
    self, Grid, Point, PointResult, Precision, Replications, SweepConfig, SweepPlan,
};
use crate::report::{self, sweep as files};
use crate::scenario::source::{NAME_HINT, check_file_name};
use crate::scenario::{Scenario, sweep_file};

pub(super) const SWEEP_EXAMPLES: &str = "\
Examples:
  vardsim sweep --grid units.vc.staff.nurse_phone.count=3,4,5
  vardsim sweep scenarios/default.toml --grid units.vc.staff.doctor.count=3..6 \\
      --grid units.vc.staff.nurse_phone.count=4,5 -r 20 --metric assessment_within_3_days
  vardsim sweep scenarios/sweeps/doctors-and-phone-nurses.toml           a sweep file (see docs/sweeps.md)
  vardsim sweep scenarios/sweeps/doctors-and-phone-nurses.toml --resume  continue an interrupted sweep
  vardsim sweep --grid units.vc.staff.doctor.count=3..6 --metric assessment_within_3_days \\
      --precision 0.005 --max-replications 200           replications until the CI is ±0.5 pp
  vardsim sweep big.toml --shard 2/3 --out /scratch/run2
                                                         one third of the points (see docs/cluster.md)
  vardsim sweep --grid units.vc.staff.doctor.count=3..7 --report --lang sv --target 90
                                                         charts of compliance against the parameter";

/// Arguments of `vardsim sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// A scenario (TOML) or a sweep file; the built-in default scenario
    /// without it.
    pub scenario: Option<PathBuf>,
    /// A swept parameter: `PATH=v1,v2,...` or `PATH=A..B` (integers,
    /// inclusive). Repeat for a grid of every combination.
    #[arg(long = "grid", value_name = "PATH=VALUES")]
    pub grids: Vec<String>,
    /// Metric of interest (repeatable): shown in the table, written to
    /// sweep.csv (all metrics when none) and controlled by `--precision`.
    #[arg(long = "metric", value_name = "KEY")]
    pub metrics: Vec<String>,
    /// Add replications until the 95 % CI half-width of every `--metric` is at
    /// most this (in the metric's unit: 0.01 = 1 percentage point for shares).
    #[arg(long, value_name = "H", value_parser = super::parse_decimal)]
    pub precision: Option<f64>,
    /// Cap on replications per point under `--precision`.
    #[arg(long, default_value_t = 200)]
    pub max_replications: u32,
    /// Point whose paired differences are reported [default: 0, the first].
    #[arg(long, value_name = "POINT")]
    pub baseline: Option<usize>,
    /// Name of the sweep (its output folder) [default: the sweep file's
    /// stem, or `<scenario>-sweep`].
    #[arg(long)]
    pub name: Option<String>,
    /// Output folder; results go to `<OUT>/<name>/`.
    #[arg(short, long, default_value = "output")]
    pub out: PathBuf,
    /// Continue an interrupted sweep: keep the finished points (those run
    /// with the same scenario, seed and replications) and run the rest.
    #[arg(long, conflicts_with = "fresh")]
    pub resume: bool,
    /// Discard finished points of an earlier sweep of the same name.
    #[arg(long)]
    pub fresh: bool,
    /// Run only shard K of N (points K-1, K-1+N, …); combine shards with `vardsim merge`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Charts, report and CSV separator of the finished sweep.
    #[command(flatten)]
    pub output: SweepOutput,
    /// Replications, seed, overrides, output format and threads.
    #[command(flatten)]
    pub common: CommonArgs,
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let err = || format!("`{s}`: expected K/N with 1 ≤ K ≤ N, e.g. 2/3");
    let (k, n) = s.split_once('/').ok_or_else(err)?;
    let (k, n) = (
        k.trim().parse::<usize>().map_err(|_| err())?,
        n.trim().parse::<usize>().map_err(|_| err())?,
    );
    if k == 0 || k > n {
        return Err(err());
    }
    Ok((k, n))
}

pub(super) const MERGE_EXAMPLES: &str = "\
Examples:
  vardsim merge /scratch/run1/doctors /scratch/run2/doctors /scratch/run3/doctors
  vardsim merge shards/*/doctors --out results";

/// Arguments of `vardsim merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Sweep folders written by `vardsim sweep --shard` (each holds plan.json
    /// and points/).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output folder; the merged sweep goes to `<OUT>/<name>/`.
    #[arg(short, long, default_value = "output")]
    pub out: PathBuf,
    /// What to print on stdout.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Charts, report and CSV separator of the merged sweep.
    #[command(flatten)]
    pub output: SweepOutput,
}

/// What a finished sweep writes besides its results.
#[derive(Debug, clap::Args)]
pub struct SweepOutput {
    /// Also write charts (compliance against the swept parameters),
    /// report.html and report.md to the sweep's folder.
    #[arg(long)]
    pub report: bool,
    /// Language and target line of the report.
    #[command(flatten)]
    pub style: super::ReportStyle,
    /// Field separator of sweep.csv [default: ',', or ';' with --lang sv].
    /// ';' (or --lang sv) writes it for Excel set to Swedish: decimal comma
    /// and a UTF-8 BOM.
    #[arg(long, value_name = "CHAR", value_parser = super::parse_csv_sep)]
    pub csv_sep: Option<u8>,
}

/// The scenario path as `Scenario::load` takes it: `None` for the built-in.
fn scenario_file(path: Option<&Path>) -> Option<&Path> {
    path.filter(|p| p.as_os_str() != "builtin:default")
}

/// Builds the plan from a sweep file and/or the command line (the command
/// line wins where both speak). Every bound and name is checked here, before
/// any scenario is loaded.
fn plan(args: &SweepArgs) -> anyhow::Result<(SweepPlan, Option<PathBuf>)> {
    let common = &args.common;
    checks::threads(common.threads)?;
    let from_file = match scenario_file(args.scenario.as_deref()) {
        Some(p) => {
            let text = crate::scenario::source::read_text(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            if sweep_file::is_sweep_file(&text) {
                Some(sweep_file::parse(p, &text)?)
            } else {
                None
            }
        }
        None => None,
    };
    if let Some(name) = &args.name {
        check_file_name(name)
            .map_err(|e| anyhow::anyhow!("--name {:?}: {e}\n  hint: {NAME_HINT}", name))?;
    }
    let (scenario, mut plan) = match from_file {
        Some(f) => {
            let scenario = f.scenario.clone();
            let mut sets = f.sets;
            sets.extend(common.sets.iter().cloned());
            let precision = args.precision.or(f.precision);
            let metrics = if args.metrics.is_empty() {
                f.metrics
            } else {
                args.metrics.clone()
            };
            let plan = SweepPlan {
                name: args.name.clone().unwrap_or(f.name),
                scenario: scenario_label(scenario.as_deref()),
                sets,
                grid: f.grid,
                seed: common.seed.or(f.seed).unwrap_or(1),
                replications: rule(
                    common.replications.or(f.replications),
                    precision,
                    f.max_replications.unwrap_or(args.max_replications),
                    &metrics,
                )?,
                baseline: args.baseline.or(f.baseline).unwrap_or(0),
                metrics,
                scenario_fingerprint: None,
            };
            (scenario, plan)
        }
        None => {
            let scenario = scenario_file(args.scenario.as_deref()).map(Path::to_path_buf);
            let name = match &args.name {
                Some(n) => n.clone(),
                None => format!(
                    "{}-sweep",
                    Scenario::load(scenario.as_deref(), &common.sets)?.name
                ),
            };
            let plan = SweepPlan {
                name,
                scenario: scenario_label(scenario.as_deref()),
                sets: common.sets.clone(),
                grid: Grid::default(),
                seed: common.seed(),
                replications: rule(
                    common.replications,
                    args.precision,
                    args.max_replications,
                    &args.metrics,
                )?,
                baseline: args.baseline.unwrap_or(0),
                metrics: args.metrics.clone(),
                scenario_fingerprint: None,
            };
            (scenario, plan)
        }
    };
    check_file_name(&plan.name).map_err(|e| {
        anyhow::anyhow!(
            "sweep name {:?}: {e}\n  hint: give a shorter one with --name; {NAME_HINT}",
            plan.name
        )
    })?;
    for g in &args.grids {
        let axis = sweep::Axis::parse(g).map_err(anyhow::Error::msg)?;
        decimal_comma(&axis, scenario.as_deref(), &plan.sets)?;
        plan.grid.axes.push(axis);
    }
    // A key both set and swept: the grid's values win at every point, so
    // the --set does nothing, which its writer cannot have meant.
    for axis in &plan.grid.axes {
        if let Some(set) = plan.sets.iter().find(|s| {
            s.split_once('=')
                .is_some_and(|(k, _)| k.trim() == axis.path)
        }) {
            anyhow::bail!(
                "`{}` is both set (--set {set}) and swept (--grid {}={}): every point takes the grid's value, so the --set does nothing\n  hint: drop the --set, or sweep another key",
                axis.path,
                axis.path,
                axis.values.join(",")
            );
        }
    }
    let points = plan
        .grid
        .checked_len()
        .filter(|&n| n <= checks::MAX_GRID_POINTS);
    let Some(points) = points else {
        let sizes: Vec<String> = plan
            .grid
            .axes
            .iter()
            .map(|a| a.values.len().to_string())
            .collect();
        anyhow::bail!(
            "the grid has {} points; at most {} are allowed\n  hint: sweep fewer values per axis, or split the sweep into several",
            sizes.join(" × "),
            checks::MAX_GRID_POINTS
        );
    };
    anyhow::ensure!(points > 0, "the grid has no points");
    anyhow::ensure!(
        plan.baseline < points,
        "--baseline {}: the grid has {} points, numbered from 0",
        plan.baseline,
        points
    );
    Ok((plan, scenario))
}

/// `--grid KEY=0,1` where the key takes fractions: a Swedish decimal
/// comma (0,1 for 0.1) is read as two points, 0 and 1, and the sweep ran
/// a patient-choice share of 1 that nobody asked for. Two whole numbers
/// for a key whose value in the scenario is a fraction are refused, with
/// both readings; `0.0,1.0` (or `0.1`) says which is meant.
fn decimal_comma(axis: &sweep::Axis, file: Option<&Path>, sets: &[String]) -> anyhow::Result<()> {
    let whole = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let [a, b] = axis.values.as_slice() else {
        return Ok(());
    };
    if !(whole(a) && whole(b)) {
        return Ok(());
    }
    // The key's value in the scenario (without the grid): a float?
    let Ok(source) = crate::scenario::source::Source::load(
        file,
        crate::scenario::builtin::DEFAULT_SCENARIO,
        sets,
    ) else {
        return Ok(());
    };
    let mut at = source
        .tree()
        .get(axis.path.split('.').next().unwrap_or_default());
    for seg in axis.path.split('.').skip(1) {
        at = at.and_then(|v| v.get(seg));
    }
    let Some(toml::Value::Float(now)) = at else {
        return Ok(());
    };
    anyhow::bail!(
        "--grid {}={a},{b}: two points, {a} and {b}, or one, {a}.{b}? The key takes fractions (the scenario has {now}), and a decimal comma reads as a list here\n  hint: write {a}.{b} for one value (a decimal point), or {a}.0,{b}.0 for two",
        axis.path
    )
}

fn scenario_label(path: Option<&Path>) -> String {
    path.map_or("builtin:default".to_string(), |p| p.display().to_string())
}

fn rule(
    replications: Option<u32>,
    precision: Option<f64>,
    max: u32,
    metrics: &[String],
) -> anyhow::Result<Replications> {
    if let Some(n) = replications {
        checks::replications("--replications", n)?;
    }
    Ok(match precision {
        None => {
            let n = replications.unwrap_or(10);
            anyhow::ensure!(n >= 1, "--replications must be at least 1");
            Replications::Fixed(n)
        }
        Some(h) => {
            let h = checks::precision(h)?;
            checks::replications("--max-replications", max)?;
            anyhow::ensure!(
                !metrics.is_empty(),
                "--precision needs --metric KEY: the metric whose CI it controls"
            );
            Replications::Precision(Precision {
                metrics: metrics.to_vec(),
                half_width: h,
                initial: replications.unwrap_or(10).max(2),
                max: max.max(2),
            })
        }
    })
}

/// Loads every point's scenario, reporting all points' problems at once.
fn load_points(
    plan: &SweepPlan,
    file: Option<&Path>,
    lang: crate::report::Lang,
) -> anyhow::Result<Vec<(Point, Scenario)>> {
    let n = plan.grid.len();
    if n >= 1000 {
        note!(
            "{}",
            match lang {
                crate::report::Lang::En => format!("loading the scenarios of {n} points…"),
                crate::report::Lang::Sv => format!("läser scenarierna för {n} punkter…"),
            }
        );
    }
    let mut loaded = Vec::new();
    // Problems by their text with the point's own values blanked out, so
    // that a mistake shared by every point is reported once.
    let mut problems: Vec<(String, String, usize)> = Vec::new();
    for point in plan.grid.points() {
        match Scenario::load(file, &plan.sets(&point)) {
            Ok(s) => {
                // The first point's warnings, once: the others share them.
                if loaded.is_empty() {
                    super::print_warnings(&s, lang);
                }
                loaded.push((point, s))
            }
            Err(e) => {
                let e = plan
                    .grid
                    .sets(&point)
                    .iter()
                    .fold(e, |e, set| e.set_written_as(set, "grid"));
                let text = e.to_string();
                let mut shape = text.clone();
                for set in plan.grid.sets(&point) {
                    if let Some((path, _)) = set.split_once('=') {
                        shape = shape.replace(&set, &format!("{path}=…"));
                    }
                }
                match problems.iter_mut().find(|(s, _, _)| *s == shape) {
                    Some((_, _, more)) => *more += 1,
                    None => problems.push((
                        shape,
                        format!(
                            "point {} ({}):\n{text}",
                            point.index,
                            plan.grid.label(&point)
                        ),
                        0,
                    )),
                }
            }
        }
        if problems.len() >= 5 {
            break;
        }
    }
    let problems: Vec<String> = problems
        .into_iter()
        .map(|(_, text, more)| match more {
            0 => text,
            n => format!(
                "{text}\n  (the same at {n} more point{})",
                if n == 1 { "" } else { "s" }
            ),
        })
        .collect();
    // Two points with the same scenario usually mean a grid key that does
    // not exist (`--set` adds new keys): say so rather than run in vain.
    let mut seen = std::collections::HashMap::new();
    for (p, s) in &loaded {
        if let Some(q) = seen.insert(sweep::scenario_fingerprint(s), p) {
            let (a, b) = (q.index, p.index);
            let (qa, pb) = (plan.grid.label(q), plan.grid.label(p));
            note!(
                "{}",
                match lang {
                    crate::report::Lang::En => format!(
                        "warning: points {a} ({qa}) and {b} ({pb}) are the same scenario: is every grid key spelt as in the scenario?"
                    ),
                    crate::report::Lang::Sv => format!(
                        "varning: punkterna {a} ({qa}) och {b} ({pb}) är samma scenario: är varje nyckel i rutnätet stavad som i scenariot?"
                    ),
                }
            );
            break;
        }
    }
    if problems.is_empty() {
        Ok(loaded)
    } else {
        anyhow::bail!("{}", problems.join("\n"))
    }
}

/// Whether a point file on disk is this plan's point `r.point.index` as it
/// would be computed now (same values, scenario, seed and rule).
fn is_current(plan: &SweepPlan, scenario: &Scenario, r: &PointResult) -> bool {
    r.point.index < plan.grid.len()
        && r.point == plan.grid.point(r.point.index)
        && r.fingerprint == sweep::fingerprint(scenario, plan.seed, &plan.replications)
        && r.rule == plan.replications.describe()
}

pub(super) fn sweep_command(args: SweepArgs) -> anyhow::Result<()> {
    args.output
        .style
        .check_target_used(args.output.report, "add --report")?;
    let (mut plan, file) = plan(&args)?;
    let dir = report::output_folder(&args.out, &plan.name)?;
    // One writer per sweep folder at a time (shards use separate folders).
    let _lock = report::FolderLock::take(&args.out, &plan.name)?;
    if !files::may_write_sweep(&dir) {
        anyhow::bail!(
            "{} holds files that are not a vardsim sweep's; not written into\n  hint: give this sweep a folder of its own with --name NAME (or another --out)",
            dir.display()
        );
    }
    // Point files and charts go into these folders: never through a link.
    for sub in ["points", "charts"] {
        report::real_subfolder(&dir, sub)?;
    }
    let total = plan.grid.len() as u64 * plan.replications.expected() as u64;
    let large = total >= checks::LARGE_JOB_REPLICATIONS;
    if large {
        let (points, reps) = (plan.grid.len(), plan.replications.expected());
        note!(
            "{}",
            match args.output.style.lang() {
                crate::report::Lang::En => format!(
                    "note: a large job: {points} points × {reps} replications = {total} replications; progress is shown as points finish, Ctrl-C stops it resumably"
                ),
                crate::report::Lang::Sv => format!(
                    "obs: ett stort jobb: {points} punkter × {reps} körningar = {total} körningar; förloppet visas när punkter blir klara, Ctrl-C avbryter så att det kan återupptas"
                ),
            }
        );
    }
    let points = load_points(&plan, file.as_deref(), args.output.style.lang())?;
    if let Some((_, first)) = points.first() {
        checks::metrics(first, &plan.metrics)?;
        plan.scenario_fingerprint = Some(sweep::scenario_fingerprint(first));
    }
    if args.fresh {
        match std::fs::remove_dir_all(files::points_dir(&dir)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot remove {}", dir.display()));
            }
            _ => {}
        }
    }
    let on_disk = files::read_points(&dir)?;
    let (finished, stale): (Vec<PointResult>, Vec<PointResult>) =
        on_disk.into_iter().partition(|r| {
            points
                .get(r.point.index)
                .is_some_and(|(_, s)| is_current(&plan, s, r))
        });
    // A point of this grid run from another version of the scenario (or
    // another seed or replications): with --resume it is run again, as
    // docs/sweeps.md says, its file replaced; without, refused below.
    let (edited, stale): (Vec<PointResult>, Vec<PointResult>) = stale.into_iter().partition(|r| {
        r.point.index < plan.grid.len() && r.point == plan.grid.point(r.point.index)
    });
    if !edited.is_empty() && !args.resume {
        anyhow::bail!(
            "{} holds {} points of sweep `{}` run from another version of its scenario (or another seed or replications)\n  hint: add --resume to run those points again and keep the others, or --fresh to start over",
            dir.display(),
            edited.len(),
            plan.name
        );
    }
    if !edited.is_empty() {
        // The results of the earlier points must not stay beside the new
        // ones if this run is stopped before it writes its own.
        for name in ["sweep.csv", "sweep.json", "sweep.xlsx"] {
            match std::fs::remove_file(dir.join(name)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e)
                        .with_context(|| format!("cannot remove {}", dir.join(name).display()));
                }
                _ => {}
            }
        }
        note!(
            "{}",
            match args.output.style.lang() {
                crate::report::Lang::En => format!(
                    "the scenario, seed or replications changed for {} finished points: they are run again",
                    edited.len()
                ),
                crate::report::Lang::Sv => format!(
                    "scenariot, fröet eller antalet körningar har ändrats för {} klara punkter: de körs om",
                    edited.len()
                ),
            }
        );
    }
    // Another grid: its points would stay beside this sweep's, and its
    // sweep.csv be replaced without a word.
    if !stale.is_empty() {
        anyhow::bail!(
            "{} holds {} point files of another sweep (another grid) under the name `{}`\n  hint: add --fresh to delete them and start over, or give this sweep its own folder with --name",
            dir.display(),
            stale.len(),
            plan.name
        );
    }
    if !finished.is_empty() && !args.resume && args.shard.is_none() {
        anyhow::bail!(
            "{} already holds {} finished points of sweep `{}`\n  hint: add --resume to continue it, or --fresh to start over",
            dir.display(),
            finished.len(),
            plan.name
        );
    }
    let in_shard = |i: usize| args.shard.is_none_or(|(k, n)| i % n == k - 1);
    let todo: Vec<(Point, Scenario)> = points
        .iter()
        .filter(|(p, _)| in_shard(p.index) && !finished.iter().any(|r| r.point.index == p.index))
        .cloned()
        .collect();
    let skipped = points.iter().filter(|(p, _)| in_shard(p.index)).count() - todo.len();
    if skipped > 0 {
        let left = todo.len();
        note!(
            "{}",
            match args.output.style.lang() {
                crate::report::Lang::En =>
                    format!("resuming: {skipped} points already finished, {left} to run"),
                crate::report::Lang::Sv =>
                    format!("återupptar: {skipped} punkter redan klara, {left} kvar att köra"),
            }
        );
    }
    // Results change from here on: an earlier report must not stay beside them.
    report::runs::clear_report(&dir)?;
    files::write_plan(&dir, &plan)?;

    let cancel = cancel_flag();
    let bar = progress_bar(
        todo.len() as u64 * plan.replications.expected() as u64,
        &format!(
            "{} {}",
            args.output.style.lang().pick("sweep", "parameterstudie"),
            plan.name
        ),
    );
    // Without a terminal a large job still reports progress, in lines.
    let lines = large && bar.is_hidden();
    let step = (todo.len() / 20).max(1);
    let done = AtomicUsize::new(0);
    let write_error: Mutex<Option<report::ReportError>> = Mutex::new(None);
    let config = SweepConfig {
        seed: plan.seed,
        replications: plan.replications.clone(),
        threads: args.common.threads,
    };
    let on_point = |r: PointResult| {
        // Precision control may run more than expected: keep the bar honest.
        let extra = r.replications.saturating_sub(plan.replications.expected());
        bar.inc_length(extra as u64);
        if let Err(e) = files::write_point(&dir, &r) {
            if let Ok(mut slot) = write_error.lock() {
                slot.get_or_insert(e);
            }
            cancel.store(true, Ordering::SeqCst);
        }
        let n = done.fetch_add(1, Ordering::SeqCst) + 1;
        bar.set_message(format!("sweep {}: {n}/{} points", plan.name, todo.len()));
        if lines && (n.is_multiple_of(step) || n == todo.len()) {
            // Progress is not worth a panic on a closed stderr.
            let _ = writeln!(
                std::io::stderr(),
                "sweep {}: {n}/{} points finished",
                plan.name,
                todo.len()
            );
        }
    };
    sweep::run_points(&todo, &config, cancel, &|| bar.inc(1), &on_point)?;
    bar.finish_and_clear();
    if let Some(e) = write_error.into_inner().ok().flatten() {
        return Err(e.into());
    }
    let finished_now = done.load(Ordering::SeqCst);
    if finished_now < todo.len() {
        return Err(Interrupted(format!(
            "interrupted: {} of {} points finished and saved in {}\n  to continue: rerun the same command with --resume",
            skipped + finished_now,
            skipped + todo.len(),
            dir.display()
        ))
        .into());
    }
    if let Some((k, n)) = args.shard {
        let (points, folder) = (skipped + todo.len(), dir.display());
        note!(
            "{}",
            match args.output.style.lang() {
                crate::report::Lang::En => format!(
                    "shard {k}/{n}: {points} points in {folder}\n  when every shard has finished: vardsim merge DIR... (each shard's folder)"
                ),
                crate::report::Lang::Sv => format!(
                    "del {k}/{n}: {points} punkter i {folder}\n  när varje del är klar: vardsim merge MAPP... (varje dels mapp)"
                ),
            }
        );
        return Ok(());
    }
    let results = complete(
        &dir.display().to_string(),
        &plan,
        &files::read_points(&dir)?,
        false,
    )?;
    // The command as typed, as a run's report shows it.
    let command = super::command_line();
    let rows = finish(&dir, &plan, &results, &args.output, Some(&command))?;
    print_results(
        &dir,
        &plan,
        &rows,
        args.common.format,
        args.output.style.lang(),
    )
}

/// The points of `plan` among `results` (one per grid point), or an error
/// naming the missing ones (`dir` names the sweep, or the shards merged,
/// in the message; with `from_shards`, the hint is for `merge`).
fn complete(
    dir: &str,
    plan: &SweepPlan,
    results: &[PointResult],
    from_shards: bool,
) -> anyhow::Result<Vec<PointResult>> {
    let results: Vec<PointResult> = results
        .iter()
        .filter(|r| r.point.index < plan.grid.len() && r.point == plan.grid.point(r.point.index))
        .cloned()
        .collect();
    let missing: Vec<usize> = (0..plan.grid.len())
        .filter(|i| !results.iter().any(|r| r.point.index == *i))
        .collect();
    if missing.is_empty() {
        return Ok(results);
    }
    // Named by their values, not only their numbers: a planner merging a
    // cluster's shards must see which run is not there, and what to rerun.
    let named: Vec<String> = missing
        .iter()
        .take(5)
        .map(|&i| format!("point {i} ({})", plan.grid.label(&plan.grid.point(i))))
        .chain((missing.len() > 5).then(|| format!("and {} more", missing.len() - 5)))
        .collect();
    anyhow::bail!(
        "{dir}: {} of {} points missing: {}\n  hint: {}",
        missing.len(),
        plan.grid.len(),
        named.join(", "),
        if from_shards {
            "a shard writes each point when it finishes; rerun the shard that holds it (`--shard K/N` runs points K−1, K−1+N, …) with --resume, then merge again"
        } else {
            "rerun the same command with --resume"
        }
    )
}

/// Writes `sweep.csv` and `sweep.json` (and the report) to `dir` from a
/// complete set of points ([`complete`]); returns the rows. `command`: the
/// reproduce command the report shows; `None` writes the one-machine
/// `vardsim sweep` of the plan.
fn finish(
    dir: &Path,
    plan: &SweepPlan,
    results: &[PointResult],
    output: &SweepOutput,
    command: Option<&str>,
) -> anyhow::Result<Vec<sweep::SweepRow>> {
    let rows = sweep::summarize(results, plan.baseline, &plan.metrics);
    let csv = crate::report::CsvFormat::from_options(output.csv_sep, output.style.lang());
    files::write_sweep_with(dir, plan, &rows, csv)?;
    if output.report {
        report::write_report_as(dir, dir, &output.style.options(), command)?;
    }
    Ok(rows)
}

/// Prints the table (or the JSON) of a finished sweep in `dir`.
fn print_results(
    dir: &Path,
    plan: &SweepPlan,
    rows: &[sweep::SweepRow],
    format: Format,
    lang: crate::report::Lang,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => stdout.write_all(files::sweep_json(plan, rows)?.as_bytes()),
        Format::Table => write!(stdout, "{}", files::sweep_table(plan, rows, lang))
            .and_then(|_| super::wrote(&mut stdout, dir, lang)),
    }
    .context("writing to stdout")
}

/// Why two shards' plans differ, in the user's terms (`None` if they agree).
fn plan_difference(first: &SweepPlan, other: &SweepPlan) -> Option<String> {
    if first.scenario_fingerprint != other.scenario_fingerprint {
        let hex = |f: Option<u64>| f.map_or("none recorded".to_string(), |f| format!("{f:016x}"));
        return Some(format!(
            "its scenario content differs (fingerprint {} vs {}): the shards were run from different versions of `{}`",
            hex(other.scenario_fingerprint),
            hex(first.scenario_fingerprint),
            other.scenario
        ));
    }
    if first.seed != other.seed {
        return Some(format!("its seed is {}, not {}", other.seed, first.seed));
    }
    if first.replications != other.replications {
        return Some(format!(
            "its replication rule is `{}`, not `{}`",
            other.replications.describe(),
            first.replications.describe()
        ));
    }
    (first != other).then(|| {
        "plan.json differs (name, scenario, overrides, grid, baseline or metrics)".to_string()
    })
}

pub(super) fn merge_command(args: MergeArgs) -> anyhow::Result<()> {
    args.output
        .style
        .check_target_used(args.output.report, "add --report")?;
    let mut plan: Option<SweepPlan> = None;
    let mut results: Vec<PointResult> = Vec::new();
    // The shard folder each result came from, to name it.
    let mut came_from: Vec<&Path> = Vec::new();
    for dir in &args.dirs {
        let p = files::read_plan(dir)?;
        let plan_file = dir.join("plan.json");
        // The name becomes the merged folder: never trust it as a path.
        check_file_name(&p.name).map_err(|e| {
            anyhow::anyhow!(
                "{}: name {:?}: {e}\n  hint: plan.json is written by `vardsim sweep`; this one was edited or is not a shard",
                plan_file.display(),
                p.name
            )
        })?;
        match &plan {
            None => plan = Some(p),
            Some(first) => {
                if let Some(why) = plan_difference(first, &p) {
                    anyhow::bail!(
                        "{}: a different sweep than {}: {why}\n  hint: only shards of one sweep, run from the same scenario, seed and rule, can be merged; rerun the odd shard",
                        plan_file.display(),
                        args.dirs[0].join("plan.json").display()
                    );
                }
            }
        }
        for r in files::read_points(dir)? {
            match results.iter().position(|q| q.point.index == r.point.index) {
                Some(i) => anyhow::ensure!(
                    same_run(&results[i], &r),
                    "point {} differs between {} and {}: the same point of one sweep gives the same run\n  hint: were they run with different scenario files or vardsim versions? rerun one of them",
                    r.point.index,
                    came_from[i].display(),
                    dir.display()
                ),
                None => {
                    results.push(r);
                    came_from.push(dir);
                }
            }
        }
    }
    let Some(plan) = plan else {
        anyhow::bail!("nothing to merge")
    };
    results.sort_by_key(|r| r.point.index);
    let rule = plan.replications.describe();
    if let Some(r) = results.iter().find(|r| r.rule != rule) {
        anyhow::bail!(
            "point {} was run with `{}`, the plan says `{rule}`",
            r.point.index,
            r.rule
        );
    }
    let merged = report::output_folder(&args.out, &plan.name)?;
    if !files::may_write_sweep(&merged) {
        anyhow::bail!(
            "{} holds files that are not a vardsim sweep's; not replaced\n  hint: merge into another folder with --out",
            merged.display()
        );
    }
    let shards: Vec<String> = args.dirs.iter().map(|d| d.display().to_string()).collect();
    let results = complete(&shards.join(", "), &plan, &results, true)?;
    // Written whole under a temporary name: a failed merge leaves nothing.
    let stage = report::StagedFolder::begin(&args.out, &plan.name)?;
    files::write_plan(stage.path(), &plan)?;
    for r in &results {
        files::write_point(stage.path(), r)?;
    }
    // Not the merge command: it needs the shards' folders, and the merged
    // files are those one machine's sweep writes (docs/cluster.md).
    let rows = finish(stage.path(), &plan, &results, &args.output, None)?;
    let out = stage.commit()?;
    print_results(&out, &plan, &rows, args.format, args.output.style.lang())
}

/// Whether two point files record the same computation (metric values are
/// then equal too; comparing them directly would trip over NaN ≠ NaN).
fn same_run(a: &PointResult, b: &PointResult) -> bool {
    (&a.point, a.fingerprint, &a.rule, a.replications, a.events)
        == (&b.point, b.fingerprint, &b.rule, b.replications, b.events)
}
