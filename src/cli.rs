//! The command line: argument definitions (clap, the single source of truth
//! for `--help`) and the commands that glue scenario → experiment → report.
//!
//! `anyhow` is used here and in `main` only; the library returns typed errors.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

/// `println!` that returns the write's error instead of panicking, so that
/// a closed pipe (`vardsim runs | head`) ends the command quietly
/// (`main` treats a broken pipe as success).
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($t)*)
    }};
}

/// `print!`, returning the write's error (see [`outln!`]).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($t)*)
    }};
}

/// `eprintln!` for notes and warnings, which never panics: with stderr
/// closed there is nobody left to tell.
macro_rules! note {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($t)*);
    }};
}

mod calibrate;
mod check;
mod checks;
mod import;
mod serve;
mod sweep;
mod target;

use std::sync::atomic::{AtomicBool, Ordering};

use crate::experiment::{self, RunConfig};
use crate::report;
use crate::scenario::Scenario;

const TOP_EXAMPLES: &str = "\
Examples:
  vardsim run                                   run the built-in default scenario
  vardsim run scenarios/methods/mobile-team.toml --report --lang sv
  vardsim compare scenarios/default.toml scenarios/methods/web-booking-40.toml
  vardsim sweep --grid units.vc.staff.doctor.count=3..6 --report
  vardsim target --metric assessment_within_3_days --at-least 0.85 \\
      --vary units.vc.staff.doctor.count --min 2 --max 10
  vardsim <command> --help                      options and more examples";

const RUN_EXAMPLES: &str = "\
Examples:
  vardsim run                                   run the built-in default scenario
  vardsim run scenarios/validation/mmc.toml -r 20
  vardsim run --set units.vc.staff.nurse_phone.count=3 --set simulation.horizon_days=182
  vardsim run scenarios/default.toml --format json > summary.json
  vardsim run --seed 7 --threads 1 --out /tmp/runs
  vardsim run --report --lang sv --csv-sep ';'  charts and report in Swedish, CSV for Swedish Excel";

/// vardsim: simulate Swedish primary-care access and the care guarantee (vårdgaranti).
#[derive(Debug, Parser)]
#[command(name = "vardsim", version, about, long_about = None, after_help = TOP_EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario's replications and report the guarantee metrics with 95 % CIs.
    #[command(after_help = RUN_EXAMPLES, mut_arg("format", |a| a.help("What to print on stdout: a table, or exactly summary.json")))]
    Run(RunArgs),
    /// Compare variants with a base scenario, paired (same seeds): each
    /// metric side by side with each variant's difference from the base and
    /// the 95 % CI of that difference.
    #[command(after_help = COMPARE_EXAMPLES, mut_arg("format", |a| a.help("What to print on stdout: a table, or exactly comparison.json")))]
    Compare(CompareArgs),
    /// Write charts (SVG and PNG), report.html and report.md for a run,
    /// compare or sweep folder (one with summary.json, comparison.json or
    /// sweep.json).
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Run a scenario at every point of a grid of parameter values (paired:
    /// common random numbers), writing each point as it finishes; resumable
    /// and shardable.
    #[command(after_help = sweep::SWEEP_EXAMPLES, mut_arg("format", |a| a.help("What to print on stdout: a table, or exactly sweep.json")))]
    Sweep(sweep::SweepArgs),
    /// Combine the folders of a sharded sweep into what one run would have written.
    #[command(after_help = sweep::MERGE_EXAMPLES, mut_arg("format", |a| a.help("What to print on stdout: a table, or exactly the merged sweep.json")))]
    Merge(sweep::MergeArgs),
    /// Find the smallest value of a parameter (e.g. a staff count) at which a
    /// metric meets a target with 95 % confidence.
    #[command(after_help = target::TARGET_EXAMPLES, mut_arg("format", |a| a.help("What to print on stdout: a table, or the search as JSON ({metric, goal, target, vary, seed, steps, answer}; docs/output.md)")))]
    Target(target::TargetArgs),
    /// Print the JSON Schema of the scenario format (draft 2020-12), for
    /// editors and other tools that write scenarios. It is generated from
    /// the loader's own types; docs/scenario.schema.json is a copy.
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema,
    /// Write a scenario for a region from its own CSV files (units and
    /// staff), each unit built from the calibrated default unit at its size.
    #[command(after_help = import::IMPORT_EXAMPLES)]
    Import(import::ImportArgs),
    /// Write a calibrated starting scenario for one unit from a few numbers.
    #[command(after_help = import::NEW_EXAMPLES)]
    New(import::NewArgs),
    /// Fit each unit's contact rate and month profile, telephone capacity
    /// and patient-choice share to the region's own monthly figures ("0",
    /// "3", contacts), writing a calibrated scenario and the fit (observed,
    /// model, 95 % CI).
    #[command(after_help = calibrate::CALIBRATE_EXAMPLES)]
    Calibrate(calibrate::CalibrateArgs),
    /// List the runs, comparisons, sweeps and calibrations in an output
    /// folder, newest first: scenario, when written, replications, seed and
    /// headline figures.
    #[command(after_help = RUNS_EXAMPLES)]
    Runs(RunsArgs),
    /// Check a scenario before running it: print it as it will run (after
    /// `extends` and `--set`, as TOML) and a plausibility table per health
    /// centre (contacts per listed patient, staff per 1 000 listed,
    /// utilisation), with warnings for likely mistakes.
    #[command(after_help = check::CHECK_EXAMPLES)]
    Check(check::CheckArgs),
    /// Serve the what-if page on this computer: choose a scenario, change
    /// staff, opening hours or the guarantee rule, and see the paired
    /// difference with its CI as replications finish (docs/serve.md).
    #[command(after_help = serve::SERVE_EXAMPLES)]
    Serve(serve::ServeArgs),
    /// Regenerate the figures quoted in README.md and docs/ (the blocks
    /// listed in docs/figures.toml, and the inline figures quoted from
    /// them) from fixed seeds; with --check, change nothing and fail naming
    /// the stale ones.
    #[command(name = "docs-figures", after_help = DOCS_FIGURES_EXAMPLES)]
    DocsFigures(DocsFiguresArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish).
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  vardsim completions bash > ~/.local/share/bash-completion/completions/vardsim
  vardsim completions zsh > ~/.zfunc/_vardsim      (with fpath+=~/.zfunc before compinit)
  vardsim completions fish > ~/.config/fish/completions/vardsim.fish
  vardsim completions powershell >> $PROFILE";

const DOCS_FIGURES_EXAMPLES: &str = "\
Examples:
  vardsim docs-figures                          rewrite every generated block (run in the repository's root)
  vardsim docs-figures --check                  change nothing; exit 2 naming the stale blocks and inline figures

What each block runs (scenario, replications, seed) and shows is in
docs/figures.toml; a figure quoted in prose is written
<!-- fig:BLOCK/WHAT -->81.0 %<!-- /fig --> and taken from that block's
runs. The figures do not depend on --threads.";

/// Arguments of `vardsim docs-figures`.
#[derive(Debug, clap::Args)]
pub struct DocsFiguresArgs {
    /// Change nothing: fail (exit 2) naming the blocks whose figures are stale.
    #[arg(long)]
    pub check: bool,
    /// The repository's root (the folder holding README.md and docs/).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Worker threads, 1 to 1024 (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
}

fn docs_figures_command(args: DocsFiguresArgs) -> anyhow::Result<()> {
    use report::figures::{self, Mode};
    // The bound every command has: 100 000 threads would be spawned, and hang.
    checks::threads(args.threads)?;
    let root = figures::root_for(args.root)?;
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let statuses = figures::regenerate(&root, mode, args.threads)?;
    let stale: Vec<String> = statuses
        .iter()
        .filter(|s| s.stale)
        .map(|s| s.described())
        .collect();
    let mut stdout = std::io::stdout().lock();
    // Blocks one a line; inline figures, dozens of them, counted unless stale.
    for s in statuses.iter().filter(|s| s.inline.is_none() || s.stale) {
        let state = match (s.stale, mode) {
            (false, _) => "up to date",
            (true, Mode::Write) => "rewritten",
            (true, Mode::Check) => "STALE",
        };
        writeln!(stdout, "{:<11} {} ({})", state, s.name, s.at).context("writing to stdout")?;
    }
    let current = statuses
        .iter()
        .filter(|s| s.inline.is_some() && !s.stale)
        .count();
    if current > 0 {
        writeln!(stdout, "{:<11} {current} inline figures", "up to date")
            .context("writing to stdout")?;
    }
    anyhow::ensure!(
        !args.check || stale.is_empty(),
        "stale figures in {}; run `vardsim docs-figures` to regenerate them",
        stale.join(", ")
    );
    Ok(())
}

const RUNS_EXAMPLES: &str = "\
Examples:
  vardsim runs                                  what is in output/
  vardsim runs --out /tmp/plan --lang sv";

/// Arguments of `vardsim runs`.
#[derive(Debug, clap::Args)]
pub struct RunsArgs {
    /// The output folder to list.
    #[arg(short, long, default_value = "output")]
    pub out: PathBuf,
    /// Language of the table: en or sv.
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<report::Lang>,
}

const SCHEMA_EXAMPLES: &str = "\
Examples:
  vardsim schema > scenario.schema.json          the schema, to point an editor at
  vardsim schema | jq '.[\"$defs\"].DropInFile'   the keys of [units.<u>.dropin]

A TOML file is checked as its JSON form; a file with `extends` may leave out
required keys (its base has them).";

const REPORT_EXAMPLES: &str = "\
Examples:
  vardsim report output/default                 charts/, report.html and report.md in that folder
  vardsim report output/default --lang sv       the same in Swedish (decimal comma, Swedish terms)
  vardsim report output/compare-default-vs-variant --target 90 --out /tmp/plan";

/// Arguments of `vardsim report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A folder written by `vardsim run`, `compare` or `sweep`.
    pub dir: PathBuf,
    /// Where to write the report (default: DIR itself).
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    /// Language and target line.
    #[command(flatten)]
    pub style: ReportStyle,
}

/// Options of the charts and report.
#[derive(Debug, clap::Args)]
pub struct ReportStyle {
    /// Language of every label, title and sentence, and of the CSV and
    /// workbook: en or sv [default: en; for `report`, the language the
    /// folder was made in].
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<report::Lang>,
    /// Compliance target in percent, drawn as a line on compliance charts.
    #[arg(long, value_name = "PERCENT", value_parser = parse_target)]
    pub target: Option<f64>,
}

impl ReportStyle {
    /// Refuses `--target` where nothing uses it (no report, and for `run`
    /// no `--by unit`): it was taken and dropped without a word, and no
    /// later `vardsim report` remembered it either. `fix` says what uses it.
    fn check_target_used(&self, used: bool, fix: &str) -> anyhow::Result<()> {
        if let (Some(t), false) = (self.target, used) {
            let pct = (t * 100.0 * 1e9).round() / 1e9;
            anyhow::bail!(
                "--target {pct} would do nothing here: the target is a line on the report's charts\n  hint: {fix}, or leave --target out (`vardsim report DIR --target {pct}` draws it later)"
            );
        }
        Ok(())
    }

    /// `--lang`, or English.
    fn lang(&self) -> report::Lang {
        self.lang.unwrap_or_default()
    }

    fn options(&self) -> report::ReportOptions {
        report::ReportOptions {
            lang: self.lang(),
            target: self.target,
        }
    }
}

fn parse_lang(s: &str) -> Result<report::Lang, String> {
    s.parse()
}

/// A percentage 0–100 as a share. Above 0 and at most 1 it is refused:
/// almost surely a share meant as one (0.85 for 85 %), which would draw
/// the line at 0.85 % and flag no unit.
fn parse_target(s: &str) -> Result<f64, String> {
    let p = parse_decimal(s.trim_end_matches('%').trim()).map_err(|_| {
        format!(
            "{s:?} is not a percentage between 0 and 100\n  hint: e.g. --target 85 or --target 85,5"
        )
    })?;
    match p {
        p if p > 0.0 && p <= 1.0 => {
            // 0.85 × 100 is 85.00000000000001 in binary: shown as typed.
            let meant = (p * 100.0 * 1e9).round() / 1e9;
            Err(format!(
                "{s:?} would be {p} %: the target is a percentage\n  hint: --target {meant} for {meant} %"
            ))
        }
        p if (0.0..=100.0).contains(&p) => Ok(p / 100.0),
        _ => Err(format!("{s:?} is not a percentage between 0 and 100")),
    }
}

/// The value parser of every decimal flag (`--precision`, `--at-least`,
/// `--target`, …): a decimal point or a decimal comma, since the Swedish
/// output writes its tips with a comma and they must run as typed.
/// `--set` and `--grid` do not use it: a comma separates list items there.
/// `1,500` is refused as ambiguous (1.5 in Swedish, 1500 in English).
pub(crate) fn parse_decimal(s: &str) -> Result<f64, String> {
    let hint = "write it with a decimal point or comma, e.g. 0.9 or 0,9";
    if s.contains(',')
        && let Some((int, frac)) = crate::import::thousands_or_decimals(s)
    {
        return Err(format!(
            "{s:?} is ambiguous: {int}.{frac} or {int}{frac}?\n  hint: write {int}.{frac} for the decimal, {int}{frac} for the whole number"
        ));
    }
    crate::import::parse_number_text(s)
        .ok_or_else(|| format!("{s:?} is not a number\n  hint: {hint}"))
}

/// One ASCII character (or `tab`) that cannot occur in a number.
fn parse_csv_sep(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        // A line break (or another control character) as the separator
        // was taken and wrote every field on a line of its own.
        _ if s.len() == 1 && s.as_bytes()[0].is_ascii_control() => Err(format!(
            "{s:?} is a control character (a line break would end each row after one field); use one character that cannot occur in a value, e.g. ',' or ';' or tab"
        )),
        _ if s.len() == 1
            && s.is_ascii()
            && !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "\".-+".contains(c)) =>
        {
            Ok(s.as_bytes()[0])
        }
        _ => Err(format!(
            "{s:?}: use one character that cannot occur in a value, e.g. ',' or ';' or tab"
        )),
    }
}

/// Loads a scenario and prints its warnings (`warning: file:line:col: …`),
/// which `assumptions.json` records too (in English).
pub(crate) fn load_scenario(
    file: Option<&std::path::Path>,
    sets: &[String],
    lang: report::Lang,
) -> anyhow::Result<Scenario> {
    let scenario = Scenario::load(file, sets)?;
    print_warnings(&scenario, lang);
    Ok(scenario)
}

/// Prints a scenario's warnings to stderr, in `lang`.
pub(crate) fn print_warnings(scenario: &Scenario, lang: report::Lang) {
    for w in &scenario.warnings {
        let text = match lang {
            report::Lang::En => w.to_string(),
            report::Lang::Sv => w.in_swedish(),
        };
        note!(
            "{}: {}",
            lang.pick("warning", "varning"),
            text.replace('\n', "\n  ")
        );
    }
}

/// The command line as typed, to record in `assumptions.json` (arguments
/// with spaces or quotes are single-quoted so it can be pasted back).
pub(crate) fn command_line() -> String {
    std::iter::once("vardsim".to_string())
        .chain(std::env::args().skip(1).map(|a| shell_word(&a)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `a` as a shell reads it back: single-quoted when it has spaces, quotes
/// or characters the shell would act on.
pub(crate) fn shell_word(a: &str) -> String {
    if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"$;&|<>*?()".contains(c)) {
        format!("'{}'", a.replace('\'', "'\\''"))
    } else {
        a.to_string()
    }
}

/// The scenario file `out` that `import`, `new` or `calibrate` will write:
/// never a folder, never an existing file without `--force`. Its folder is
/// made now, so that a long calibration does not fail at its end.
pub(crate) fn scenario_out_file(out: &Path, force: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        !out.is_dir(),
        "{} is a folder\n  hint: --out names the scenario file to write, e.g. {}",
        out.display(),
        out.join("region.toml").display()
    );
    anyhow::ensure!(
        force || !out.exists(),
        "{} exists\n  hint: choose another --out, or add --force to replace it",
        out.display()
    );
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot make the folder {} for --out", dir.display()))?;
    }
    Ok(())
}

const COMPARE_EXAMPLES: &str = "\
Examples:
  vardsim compare scenarios/default.toml my-variant.toml
  vardsim compare builtin:default variant-a.toml variant-b.toml -r 20
  vardsim compare scenarios/validation/mmc.toml four-nurses.toml --format json";

/// Arguments of `vardsim compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The base scenario (a file, or `builtin:default`).
    pub base: PathBuf,
    /// One or more variants to compare with the base.
    #[arg(required = true)]
    pub variants: Vec<PathBuf>,
    /// Apply each variant's own keys to the base instead of to what the
    /// variant `extends`: measures the method presets (written as changes to
    /// the default) on another unit, e.g.
    /// `vardsim compare --rebase scenarios/doctor-short.toml scenarios/methods/*.toml`.
    #[arg(long)]
    pub rebase: bool,
    /// Output folder; the comparison goes to
    /// `<OUT>/compare-<base>-vs-<variant>…/comparison.json` (with `--set`,
    /// `…+<the --sets>/`; see --name).
    #[arg(short, long, default_value = "output")]
    pub out: PathBuf,
    /// Name of the comparison's folder inside OUT.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Replace the folder even if it holds a comparison of other scenarios
    /// (or files that are not vardsim's).
    #[arg(long)]
    pub force: bool,
    /// Also write charts, report.html and report.md to that folder.
    #[arg(long)]
    pub report: bool,
    /// Language and target line of the report.
    #[command(flatten)]
    pub style: ReportStyle,
    /// Replications, seed, overrides, output format and threads.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options every command that runs scenarios takes.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Number of replications (per scenario), at most 100 000 [default: 10].
    #[arg(short, long)]
    pub replications: Option<u32>,
    /// Master seed, shared by every scenario (common random numbers); the
    /// same seed gives byte-identical results [default: 1].
    #[arg(short, long)]
    pub seed: Option<u64>,
    /// Override a scenario key, e.g. `units.vc.staff.nurse_phone.count=3` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// What to print on stdout.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Worker threads, 1 to 1024 (default: one per core). Results do not depend on it.
    #[arg(short, long)]
    pub threads: Option<usize>,
}

impl CommonArgs {
    /// The run configuration these options describe.
    /// Checks the bounds of `-r` and `--threads` (see [`checks`]).
    fn check(&self) -> anyhow::Result<()> {
        if let Some(n) = self.replications {
            checks::replications("--replications", n)?;
        }
        checks::threads(self.threads)
    }

    fn config(&self) -> RunConfig {
        RunConfig {
            seed: self.seed(),
            replications: self.replications(),
            threads: self.threads,
        }
    }

    /// `--replications`, or the default.
    fn replications(&self) -> u32 {
        self.replications
            .unwrap_or(RunConfig::default().replications)
    }

    /// `--seed`, or the default.
    fn seed(&self) -> u64 {
        self.seed.unwrap_or(RunConfig::default().seed)
    }
}

/// Output on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A summary table for people.
    Table,
    /// The command's results as JSON, exactly its file, nothing else (see
    /// the option's help).
    Json,
}

/// A breakdown the terminal can show besides the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByDimension {
    /// Health centres (units), ranked by the 3-day rule.
    Unit,
}

/// Arguments of `vardsim run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML). Without it, the built-in default scenario runs.
    pub scenario: Option<PathBuf>,
    /// Output folder; results go to `<OUT>/<scenario name>/`, or with
    /// `--set` to `<OUT>/<scenario name>+<the --sets>/` (see --name).
    #[arg(short, long, default_value = "output")]
    pub out: PathBuf,
    /// Name of the results folder inside OUT, instead of the scenario's
    /// name (and its --sets).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Replace the folder even if it holds another scenario's results (or
    /// files that are not vardsim's).
    #[arg(long)]
    pub force: bool,
    /// Also write charts, report.html and report.md to that folder.
    #[arg(long)]
    pub report: bool,
    /// Language and target line of the report.
    #[command(flatten)]
    pub style: ReportStyle,
    /// Also print the guarantee rules per health centre, ranked lowest
    /// first (with --target, units below it flagged).
    #[arg(long, value_enum, value_name = "DIMENSION")]
    pub by: Option<ByDimension>,
    /// Field separator of replications.csv [default: ',', or ';' with
    /// --lang sv]. ';' (or --lang sv) writes it for Excel set to Swedish:
    /// decimal comma, a UTF-8 BOM, bucket labels that stay text (`4–7 dagar`).
    #[arg(long, value_name = "CHAR", value_parser = parse_csv_sep)]
    pub csv_sep: Option<u8>,
    /// Also write the event log of the first replication (one row per
    /// arrival, contact and end): event_log.csv and event_log.xes (XES, for
    /// process-mining tools). At most 5 million events.
    #[arg(long)]
    pub event_log: bool,
    /// Replications, seed, overrides, output format and threads.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(args) => run_command(args),
        Command::Compare(args) => compare_command(args),
        Command::Report(args) => report_command(args),
        Command::Runs(args) => {
            let lang = args.lang.unwrap_or_default();
            let (runs, unreadable) = report::runs::list_runs(&args.out, lang)?;
            out!(
                "{}",
                report::runs::runs_table(&args.out, &runs, &unreadable, lang)
            )?;
            Ok(())
        }
        Command::Check(args) => check::check_command(args),
        Command::DocsFigures(args) => docs_figures_command(args),
        Command::Serve(args) => serve::serve_command(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            // Into memory first: `generate` panics when a write fails.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "vardsim", &mut script);
            std::io::stdout().lock().write_all(&script)?;
            Ok(())
        }
        Command::Sweep(args) => sweep::sweep_command(args),
        Command::Merge(args) => sweep::merge_command(args),
        Command::Target(args) => target::target_command(args),
        Command::Import(args) => import::import_command(args),
        Command::New(args) => import::new_command(args),
        Command::Calibrate(args) => calibrate::calibrate_command(args),
        Command::Schema => {
            use std::io::Write;
            let text = crate::scenario::schema::json_schema_text();
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
    }
}

/// The last line of a command that wrote a results folder: where it is.
fn wrote(
    out: &mut impl Write,
    folder: &std::path::Path,
    lang: report::Lang,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\n{} {}",
        lang.pick("wrote", "skrev"),
        folder.display()
    )
}

/// `vardsim report`: in the language and with the target line the folder
/// was made with, unless the command line says otherwise.
fn report_command(args: ReportArgs) -> anyhow::Result<()> {
    let out = args.out.as_ref().unwrap_or(&args.dir);
    let lang = match args.style.lang {
        Some(lang) => lang,
        None => report::runs::remembered_lang(&args.dir)?.unwrap_or_default(),
    };
    let target = match args.style.target {
        Some(t) => Some(t),
        None => report::runs::remembered_target(&args.dir)?,
    };
    let options = report::ReportOptions { lang, target };
    // The lock `run`, `compare`, `merge` and `sweep` hold while they write
    // the folder: a report written while a run swapped the folder in put
    // the old run's charts into the new run's folder.
    let _lock = match (out.parent(), out.file_name().and_then(|n| n.to_str())) {
        (Some(parent), Some(name)) if crate::scenario::source::check_file_name(name).is_ok() => {
            let parent = if parent.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                parent
            };
            Some(report::FolderLock::take(parent, name)?)
        }
        _ => None,
    };
    let files = report::write_report(&args.dir, out, &options)?;
    outln!(
        "{} {} {} {} ({})",
        lang.pick("wrote", "skrev"),
        files.len(),
        lang.pick("files to", "filer till"),
        out.display(),
        lang.pick("in English", "på svenska")
    )?;
    Ok(())
}

/// A run stopped by Ctrl-C (or SIGTERM) after saving what had finished; the
/// binary exits with code 130 and prints the message.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Interrupted(pub String);

/// The process-wide flag that Ctrl-C (SIGINT) or SIGTERM sets: the first
/// asks running work to stop after the replications in progress (finished
/// points are already saved), the second ends the program at once.
fn cancel_flag() -> &'static AtomicBool {
    static CANCEL: AtomicBool = AtomicBool::new(false);
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            if CANCEL.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            note!("\nstopping after the replications in progress (Ctrl-C again to quit at once)…");
        });
        // Without a handler Ctrl-C still ends the program; finished points stay saved.
        if let Err(e) = installed {
            note!("warning: cannot catch Ctrl-C: {e}");
        }
    });
    &CANCEL
}

/// The message of a `run` or `compare` stopped by Ctrl-C or SIGTERM: the
/// staged folder is dropped, so whatever was in `folder` before stays.
fn interrupted_run(folder: &std::path::Path) -> Interrupted {
    Interrupted(format!(
        "interrupted: nothing was written; {} is as it was before this run",
        folder.display()
    ))
}

fn progress_bar(len: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

fn compare_command(args: CompareArgs) -> anyhow::Result<()> {
    let common = &args.common;
    common.check()?;
    args.style.check_target_used(args.report, "add --report")?;
    anyhow::ensure!(
        common.replications() >= 2,
        "--replications must be at least 2 for a confidence interval"
    );
    let config = common.config();
    let paths: Vec<&PathBuf> = std::iter::once(&args.base).chain(&args.variants).collect();
    let bar = progress_bar(
        (paths.len() as u32 * common.replications()) as u64,
        args.style.lang().pick("comparing", "jämför"),
    );
    // Every scenario is loaded, and the folder checked, before any runs:
    // a mistake in the last variant (or a folder that cannot be replaced)
    // used to be found only after the base's replications, and only the
    // first bad file was reported.
    let base_file = (args.base.as_os_str() != "builtin:default").then_some(args.base.as_path());
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for (i, path) in paths.into_iter().enumerate() {
        let file = (path.as_os_str() != "builtin:default").then_some(path.as_path());
        let loaded = match file {
            Some(f) if args.rebase && i > 0 => {
                Scenario::load_over(f, base_file, &common.sets).map_err(anyhow::Error::from)
            }
            _ => Scenario::load(file, &common.sets).map_err(anyhow::Error::from),
        };
        match loaded {
            Ok(s) => {
                print_warnings(&s, args.style.lang());
                scenarios.push(s);
            }
            Err(e) => problems.push(e),
        }
    }
    if problems.len() == 1 {
        return Err(problems.remove(0));
    }
    if !problems.is_empty() {
        // Each file's message with the causes it does not already quote.
        let text: Vec<String> = problems
            .iter()
            .map(|e| {
                let mut t = e.to_string();
                for cause in e.chain().skip(1).map(|c| c.to_string()) {
                    if !t.contains(&cause) {
                        t.push_str(&format!("\n  caused by: {cause}"));
                    }
                }
                t
            })
            .collect();
        anyhow::bail!("{}", text.join("\n"));
    }
    // Two scenarios with the same name would share a column: number them.
    let mut names: Vec<String> = Vec::new();
    for s in &scenarios {
        let taken = |name: &str| names.iter().any(|n| n == name);
        let name = if taken(&s.name) {
            let n = (2..)
                .find(|i| !taken(&format!("{}#{i}", s.name)))
                .unwrap_or(2);
            format!("{}#{n}", s.name)
        } else {
            s.name.clone()
        };
        names.push(name);
    }
    // The folder a report can be made from: comparison.json and assumptions.
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| report::runs::variant_name(&compare_folder_name(&names), &common.sets));
    let stage = report::StagedFolder::begin(&args.out, &name)?;
    let fingerprints: Vec<u64> = scenarios
        .iter()
        .map(experiment::sweep::scenario_fingerprint)
        .collect();
    report::runs::check_replace(&stage.target(), &fingerprints, args.force)?;
    let mut runs = Vec::new();
    for (scenario, name) in scenarios.iter().zip(&names) {
        let Some(mut results) =
            experiment::run_until(scenario, &config, cancel_flag(), &|| bar.inc(1))?
        else {
            return Err(interrupted_run(&stage.target()).into());
        };
        results.scenario = name.clone();
        runs.push(results);
    }
    bar.finish_and_clear();
    let comparison = experiment::compare(&runs);
    let json = report::comparison_json(&comparison)?;
    report::write_atomic(&stage.path().join("comparison.json"), json.as_bytes())?;
    let scenario_refs: Vec<_> = scenarios.iter().collect();
    report::write_assumptions_with(
        stage.path(),
        &command_line(),
        &scenario_refs,
        args.style.lang(),
    )?;
    // The workbook is made from comparison.json as written, like the report.
    let lang = args.style.lang();
    let mut doc: report::input::ComparisonDoc =
        serde_json::from_str(&json).context("reading comparison.json back")?;
    // Scenarios measured over periods of different lengths: the workbook's
    // counts stay totals of each period and say so, as the table's do.
    if comparison.per_year_days() == 0 {
        doc.measured_days = None;
    }
    let labels: Vec<String> = scenarios
        .iter()
        .map(|s| report::input::Assumptions::of(s).label(lang).to_string())
        .collect();
    report::write_atomic(
        &stage.path().join("comparison.xlsx"),
        &report::comparison_xlsx(&doc, &labels, lang)?,
    )?;
    if args.report {
        report::write_report(stage.path(), stage.path(), &args.style.options())?;
    }
    // A signal during the last replications or the writing still stops the
    // command: the staged folder is dropped, the previous one kept.
    if cancel_flag().load(Ordering::SeqCst) {
        return Err(interrupted_run(&stage.target()).into());
    }
    let folder = stage.commit()?;
    let mut stdout = std::io::stdout().lock();
    match common.format {
        Format::Json => stdout.write_all(json.as_bytes()),
        Format::Table => stdout
            .write_all(
                report::comparison_table_in(&comparison, &labels, args.style.lang()).as_bytes(),
            )
            .and_then(|_| wrote(&mut stdout, &folder, args.style.lang())),
    }
    .context("writing to stdout")
}

/// `compare-<base>-vs-<variant>…`; when many long names would make it too
/// long for a folder, shortened and made unique by a hash of the full name.
fn compare_folder_name(scenarios: &[String]) -> String {
    let name: String = format!("compare-{}", scenarios.join("-vs-"))
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    report::runs::fit_name(name)
}

fn run_command(args: RunArgs) -> anyhow::Result<()> {
    let common = &args.common;
    common.check()?;
    // The unit table is for the terminal; JSON on stdout is summary.json
    // exactly, which has every unit's figures already.
    anyhow::ensure!(
        !(args.by.is_some() && common.format == Format::Json),
        "--by unit would do nothing with --format json: stdout is summary.json, which already has each unit's figures (metrics with \"by\": \"unit\")\n  hint: leave out --by, or leave out --format json for the ranked table"
    );
    args.style.check_target_used(
        args.report || args.by.is_some(),
        "add --report (charts with the line) or --by unit (units below it flagged)",
    )?;
    anyhow::ensure!(
        common.replications() >= 1,
        "--replications must be at least 1"
    );
    // `builtin:default` names the built-in scenario, as in `extends` and as
    // compare, sweep, target and check take it (run read it as a file).
    let file = args
        .scenario
        .as_deref()
        .filter(|p| p.as_os_str() != "builtin:default");
    let scenario = load_scenario(file, &common.sets, args.style.lang())?;
    let reps = common.replications();
    let bar = progress_bar(
        reps as u64,
        &format!(
            "{} {}",
            args.style.lang().pick("running", "kör"),
            scenario.name
        ),
    );
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| report::runs::variant_name(&scenario.name, &common.sets));
    // Refuse a second writer of this folder, and replacing another
    // scenario's results, before the work, not after.
    let stage = report::StagedFolder::begin(&args.out, &name)?;
    report::runs::check_replace(
        &stage.target(),
        &[experiment::sweep::scenario_fingerprint(&scenario)],
        args.force,
    )?;
    let size = u64::from(reps) * u64::from(scenario.horizon_days);
    let large = size >= checks::LARGE_JOB_REPLICATION_DAYS;
    if large {
        note!(
            "note: a large job: {reps} replications × {} simulated days; progress is shown as replications finish",
            scenario.horizon_days
        );
    }
    // Without a terminal a large job still reports progress, in lines.
    let lines = large && bar.is_hidden();
    let step = (reps / 20).max(1);
    let done = std::sync::atomic::AtomicU32::new(0);
    let on_done = || {
        bar.inc(1);
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if lines && (n.is_multiple_of(step) || n == reps) {
            // Progress is not worth a panic on a closed stderr.
            let _ = writeln!(std::io::stderr(), "{n}/{reps} replications finished");
        }
    };
    // The event log's replication first: a log over its bound is refused
    // after one replication, not after all of them. A replication is a pure
    // function of its inputs, so this is the run's first replication, event
    // by event.
    let cancel = cancel_flag();
    let event_records = if args.event_log {
        let records = crate::model::simulate(&scenario, common.seed(), 0);
        report::check_event_count(&records)?;
        Some(records)
    } else {
        None
    };
    let Some(results) = experiment::run_until(&scenario, &common.config(), cancel, &on_done)?
    else {
        return Err(interrupted_run(&stage.target()).into());
    };
    bar.finish_and_clear();
    // Every file goes to the staged folder; the run appears whole or not at all.
    let lang = args.style.lang();
    let csv = report::CsvFormat::from_options(args.csv_sep, lang);
    let assumptions =
        report::write_assumptions_with(stage.path(), &command_line(), &[&scenario], lang)?;
    report::write_run_files(stage.path(), &results, csv, lang, Some(&assumptions))?;
    if let Some(records) = &event_records {
        report::write_event_log(stage.path(), &scenario, records)?;
    }
    if args.report {
        report::write_report(stage.path(), stage.path(), &args.style.options())?;
    }
    // A signal during the last replications or the writing still stops the
    // run ("stopping…" was printed): the staged folder is dropped, the
    // previous run kept, as docs/cli.md § Stopping says.
    if cancel_flag().load(Ordering::SeqCst) {
        return Err(interrupted_run(&stage.target()).into());
    }
    let folder = stage.commit()?;
    // The results' own warnings (a backlog still growing), also in summary.json.
    let lang = args.style.lang();
    for w in results.summary.warnings(results.measured_days) {
        note!(
            "{}: {}",
            lang.pick("warning", "varning"),
            lang.result_warning(&w)
        );
    }
    let mut stdout = std::io::stdout().lock();
    match common.format {
        Format::Json => stdout.write_all(report::summary_json(&results)?.as_bytes()),
        Format::Table => write!(
            stdout,
            "{}",
            report::summary_table_in(&results, args.style.lang())
        )
        .and_then(|_| match args.by {
            Some(ByDimension::Unit) => write!(
                stdout,
                "\n{}",
                report::unit_table(&results, args.style.lang(), args.style.target, |key| {
                    scenario
                        .units
                        .iter()
                        .find(|u| u.key == key)
                        .map(|u| u.name.clone())
                })
            ),
            None => Ok(()),
        })
        .and_then(|_| wrote(&mut stdout, &folder, args.style.lang())),
    }
    .context("writing to stdout")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of every `--help` parse as typed: options, values
    /// (`--lang`, `--csv-sep`, decimals) and their order, the words after a
    /// command (its description, two spaces on) left out, as are a
    /// redirection or a pipe and what follows. Files need not exist.
    #[test]
    fn every_help_example_parses() {
        use clap::CommandFactory;
        // Splits a shell line into words (double or single quotes keep
        // spaces and lose the quotes; `\"` inside a word is a quote).
        fn words(line: &str) -> Vec<String> {
            let mut out = Vec::new();
            let mut word = String::new();
            let (mut quote, mut any) = (None, false);
            for c in line.chars() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), c) => word.push(c),
                    (None, '"' | '\'') => (quote, any) = (Some(c), true),
                    (None, c) if c.is_whitespace() => {
                        if any || !word.is_empty() {
                            out.push(std::mem::take(&mut word));
                        }
                        any = false;
                    }
                    (None, c) => word.push(c),
                }
            }
            if any || !word.is_empty() {
                out.push(word);
            }
            out
        }
        let mut cli = Cli::command();
        cli.build();
        let mut texts: Vec<String> = vec![cli.get_after_help().map(|h| h.to_string()).unwrap()];
        texts.extend(
            cli.get_subcommands()
                .filter_map(|c| c.get_after_help().map(|h| h.to_string())),
        );
        let mut checked = 0;
        let mut failed = Vec::new();
        for text in &texts {
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                let Some(rest) = line.strip_prefix("  vardsim ") else {
                    continue;
                };
                let mut command = rest.to_string();
                while command.ends_with('\\') {
                    command.pop();
                    command.push_str(lines.next().unwrap_or("").trim_start());
                }
                // The description, two spaces on; a redirection or a pipe.
                let mut end = command.find("  ").unwrap_or(command.len());
                for cut in [" > ", " >> ", " | "] {
                    end = end.min(command.find(cut).unwrap_or(command.len()));
                }
                let command = &command[..end];
                if command.contains('<') {
                    continue; // `vardsim <command> --help`
                }
                let mut args = vec!["vardsim".to_string()];
                args.extend(words(command));
                checked += 1;
                if let Err(e) = Cli::try_parse_from(&args) {
                    failed.push(format!("vardsim {command}: {}", e.kind()));
                }
            }
        }
        assert!(checked > 40, "only {checked} examples found");
        assert!(failed.is_empty(), "{failed:#?}");
    }

    /// Every command that prints for people takes `--lang` (an audit's
    /// finding: `calibrate`, `import` and `new` had none, and a Swedish
    /// planning group's `--lang sv` was refused there). Those without it
    /// print for programs (`schema`, `completions`), the docs
    /// (`docs-figures`), or serve a page with its own language switch.
    #[test]
    fn every_command_that_prints_for_people_takes_lang() {
        use clap::CommandFactory;
        const NO_LANG: [&str; 5] = ["schema", "completions", "docs-figures", "serve", "help"];
        let cli = Cli::command();
        let mut missing = Vec::new();
        for command in cli.get_subcommands() {
            let name = command.get_name();
            let has = command
                .get_arguments()
                .any(|a| a.get_long() == Some("lang"));
            if has == NO_LANG.contains(&name) {
                missing.push(name.to_string());
            }
        }
        assert!(
            missing.is_empty(),
            "with --lang where none was expected, or without it: {missing:?}"
        );
    }

    #[test]
    fn a_line_break_or_control_character_is_no_csv_separator() {
        for bad in ["\n", "\r", "\u{1}", "\u{1f}", ""] {
            assert!(parse_csv_sep(bad).is_err(), "{bad:?}");
        }
        assert!(
            parse_csv_sep("\n")
                .unwrap_err()
                .contains("control character")
        );
        assert_eq!(parse_csv_sep("tab"), Ok(b'\t'));
        assert_eq!(parse_csv_sep("\t"), Ok(b'\t'));
        assert_eq!(parse_csv_sep(";"), Ok(b';'));
    }

    #[test]
    fn a_compare_folder_name_stays_a_safe_folder_name_however_many_variants() {
        assert_eq!(
            compare_folder_name(&["default".into(), "web#2".into()]),
            "compare-default-vs-web_2"
        );
        let many: Vec<String> = (0..10).map(|i| format!("{}{i}", "v".repeat(90))).collect();
        let name = compare_folder_name(&many);
        assert!(
            crate::scenario::source::check_file_name(&name).is_ok(),
            "{name}"
        );
        // Shortened names stay distinct: the hash is of the full name.
        let mut other = many.clone();
        other[9].push('x');
        assert_ne!(name, compare_folder_name(&other));
    }
}
