//! `vardsim import` and `vardsim new`: a scenario from a region's CSV files,
//! or from a few numbers for one unit. The text is loaded like any scenario
//! before it is written (atomically), so a file that is written also runs.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::import;
use crate::report;
use crate::report::lang::{Bilingual, Lang};
use crate::scenario::Scenario;

pub(crate) const IMPORT_EXAMPLES: &str = "\
Examples:
  vardsim import --units scenarios/regions/example/units.csv \\
      --staff scenarios/regions/example/staff.csv --name example-region
  vardsim import --units enheter.csv --name region-norr --out scenarios/region-norr.toml

  vardsim import --units scenarios/regions/jamtland/units.csv \\
      --staff scenarios/regions/jamtland/staff.csv \\
      --schedules scenarios/regions/jamtland/schedules.csv \\
      --mobile-teams scenarios/regions/jamtland/mobile_teams.csv --name jamtland-harjedalen
  vardsim import --units enheter.csv --name region-norr --lang sv   warnings in Swedish

units.csv: key, name, listed[, web_booking, share_65_plus, phone_hours, dropin_hours,
profession_neutral, remote_doctor, mobile_team, x_km, y_km, radius_km]; staff.csv:
unit, profession, fte (or heads and percent)[, template, group]. Swedish headers
(nyckel, namn, listade, webbtidbok, andel_65_plus, telefontider; enhet, yrke,
årsarbetare, antal, procent, mall, grupp), `;` or `,`, decimal comma or point
and a BOM are all read. docs/import.md has the columns in full.";

pub(crate) const NEW_EXAMPLES: &str = "\
Examples:
  vardsim new --listed 12000 --doctors 6 --name vc-norr
  vardsim new --listed 4000 --doctors 2 --nurses 4 --no-web-booking --name lit \\
      --unit-name \"Lits hälsocentral\" --out scenarios/lit.toml
  vardsim run vc-norr.toml
  vardsim new --listed \"12 000\" --doctors 6 --name vc-norr --lang sv   say it in Swedish";

/// Arguments of `vardsim import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The units: one row per unit (key, name, listed[, web_booking]).
    #[arg(long, value_name = "CSV")]
    pub units: PathBuf,
    /// The staff: one row per unit and profession group (unit, profession,
    /// fte or heads and percent[, template, group]). Without it every unit
    /// gets the default unit's staff scaled to its size.
    #[arg(long, value_name = "CSV")]
    pub staff: Option<PathBuf>,
    /// Weekly schedules beyond the default unit's staff groups: one row
    /// per block (template, days, start, end, activity[, slot_minutes,
    /// slot_type]); staff.csv's `template` names them.
    #[arg(long, value_name = "CSV")]
    pub schedules: Option<PathBuf>,
    /// Mobile teams: one row per team (team, base[, name, crews,
    /// speed_kmh, …]); units.csv's `mobile_team` says which units each serves.
    #[arg(long, value_name = "CSV")]
    pub mobile_teams: Option<PathBuf>,
    /// The scenario that `vardsim calibrate` wrote for an earlier import of
    /// these files: its fitted values are written into the units' tables
    /// (one self-contained scenario instead of one that extends another).
    #[arg(long, value_name = "TOML")]
    pub calibrated: Option<PathBuf>,
    /// The scenario's name (a safe file name): its output folder's name.
    #[arg(long)]
    pub name: String,
    /// The scenario's label in reports and charts (default: its name).
    #[arg(long)]
    pub label: Option<String>,
    /// A one-line description (default: units, listed and source file).
    #[arg(long)]
    pub description: Option<String>,
    /// Where to write the scenario (default: NAME.toml).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
    /// Language of what is printed (the warnings, what was written): en
    /// or sv. The scenario's comments stay English.
    #[arg(long, value_parser = super::parse_lang)]
    pub lang: Option<Lang>,
}

/// Arguments of `vardsim new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Listed patients of the unit (1 to 1 000 000: one health centre).
    #[arg(long, value_parser = parse_listed)]
    pub listed: u32,
    /// Doctors, FTE (default: the default unit's 6 per 9 000 listed).
    #[arg(long, value_name = "FTE", value_parser = parse_fte)]
    pub doctors: Option<f64>,
    /// District nurses, FTE, shared over the default's seven nurse groups
    /// (telephone, Monday, morning telephone, winter, visits, chronic care,
    /// drop-in) in its proportion 2 : 1 : 1 : 1 : 2 : 2 : 1, as whole
    /// weekdays (0.2 FTE): a small total leaves some groups out (default:
    /// 10 per 9 000 listed).
    #[arg(long, value_name = "FTE", value_parser = parse_fte)]
    pub nurses: Option<f64>,
    /// Physiotherapists, FTE (default: 2 per 9 000 listed).
    #[arg(long, value_name = "FTE", value_parser = parse_fte)]
    pub physiotherapists: Option<f64>,
    /// Counsellors, FTE (default: 1 per 9 000 listed).
    #[arg(long, value_name = "FTE", value_parser = parse_fte)]
    pub counsellors: Option<f64>,
    /// The unit offers no web booking (its web share calls instead).
    #[arg(long)]
    pub no_web_booking: bool,
    /// The scenario's name (a safe file name).
    #[arg(long, default_value = "new-unit")]
    pub name: String,
    /// The unit's display name (default: the scenario's name).
    #[arg(long)]
    pub unit_name: Option<String>,
    /// Where to write the scenario (default: NAME.toml).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
    /// Language of what is printed (the warnings, what was written): en
    /// or sv. The scenario's comments stay English.
    #[arg(long, value_parser = super::parse_lang)]
    pub lang: Option<Lang>,
}

/// Listed patients as a region's figures write them: `12000`, or with
/// thousands spaced as in Swedish (`12 000`); a comma is ambiguous.
fn parse_listed(s: &str) -> Result<u32, String> {
    let max = crate::import::MAX_UNIT_LISTED;
    let v = super::parse_decimal(s).map_err(|e| format!("expected a number of patients: {e}"))?;
    if v.fract() != 0.0 {
        return Err(format!("expected a whole number of patients, found {v}"));
    }
    if !(1.0..=f64::from(max)).contains(&v) {
        return Err(format!("{v} is not in 1..={max}"));
    }
    Ok(v as u32)
}

fn parse_fte(s: &str) -> Result<f64, String> {
    let v = super::parse_decimal(s).map_err(|e| format!("expected a number of FTE: {e}"))?;
    if (0.0..=1000.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("expected 0 to 1000 FTE, found {v}"))
    }
}

pub(crate) fn import_command(args: ImportArgs) -> anyhow::Result<()> {
    let out = target(&args.name, args.out.as_deref(), args.force)?;
    let command = super::command_line();
    let files = import::ImportFiles {
        units: &args.units,
        staff: args.staff.as_deref(),
        schedules: args.schedules.as_deref(),
        mobile_teams: args.mobile_teams.as_deref(),
        calibrated: args.calibrated.as_deref(),
        label: args.label.as_deref(),
    };
    let (text, warnings) =
        import::import_files(files, &args.name, args.description.as_deref(), &command)?;
    let lang = args.lang.unwrap_or_default();
    print_warnings(&warnings, lang);
    finish(&text, &out, lang)
}

/// The import's own warnings on stderr, in `lang`.
fn print_warnings(warnings: &[Bilingual], lang: Lang) {
    for w in warnings {
        note!("{}: {}", lang.pick("warning", "varning"), w.get(lang));
    }
}

pub(crate) fn new_command(args: NewArgs) -> anyhow::Result<()> {
    let out = target(&args.name, args.out.as_deref(), args.force)?;
    let unit = import::NewUnit {
        listed: args.listed,
        unit_name: args.unit_name.clone().unwrap_or_else(|| args.name.clone()),
        doctors: args.doctors,
        nurses: args.nurses,
        physiotherapists: args.physiotherapists,
        counsellors: args.counsellors,
        web_booking: !args.no_web_booking,
    };
    let (text, warnings) = import::new_unit_text(&args.name, &unit, &super::command_line());
    let lang = args.lang.unwrap_or_default();
    print_warnings(&warnings, lang);
    finish(&text, &out, lang)
}

/// The file to write: checked name, and no silent overwrite.
fn target(name: &str, out: Option<&Path>, force: bool) -> anyhow::Result<PathBuf> {
    crate::scenario::source::check_file_name(name).map_err(|e| {
        anyhow::anyhow!(
            "--name: {e}\n  hint: {}",
            crate::scenario::source::NAME_HINT
        )
    })?;
    let out = out.map_or_else(|| PathBuf::from(format!("{name}.toml")), Path::to_path_buf);
    super::scenario_out_file(&out, force)?;
    Ok(out)
}

/// Loads the generated text as a scenario (so what is written runs), then
/// writes it atomically, with the scenario check's warnings recorded at its
/// top, and says what to do next.
fn finish(text: &str, out: &Path, lang: Lang) -> anyhow::Result<()> {
    let shown = out.display().to_string();
    let load = |text: &str| {
        Scenario::from_toml(&shown, text, &[]).context(
            "the generated scenario does not load. Where a limit of one replication is named \
             below (arrivals, appointment slots, head counts), the units are too large \
             together: import fewer units into each scenario; anything else is a bug in \
             vardsim: please report it",
        )
    };
    let mut scenario = load(text)?;
    let mut text = text.to_string();
    if !scenario.warnings.is_empty() {
        // The comments move the lines the warnings name: the text with them
        // is checked again, and its warnings (the same, at their new
        // lines, in as many comment lines) are the ones written.
        let with = |scenario: &Scenario| {
            let warnings: Vec<String> = scenario.warnings.iter().map(|w| w.to_string()).collect();
            with_warnings(
                text.as_str(),
                &import::warning_lines("scenario check", &warnings),
            )
        };
        let moved = with(&scenario);
        scenario = load(&moved)?;
        text = with(&scenario);
    }
    super::print_warnings(&scenario, lang);
    report::write_atomic(out, text.as_bytes())?;
    let listed: u64 = scenario.units.iter().map(|u| u64::from(u.listed)).sum();
    let n = scenario.units.len();
    outln!(
        "{} {shown}: {n} {}, {} {}\n  {}: vardsim run {} --report{}",
        lang.pick("wrote", "skrev"),
        match (n, lang) {
            (1, Lang::En) => "unit",
            (_, Lang::En) => "units",
            (1, Lang::Sv) => "enhet",
            (_, Lang::Sv) => "enheter",
        },
        lang.number(listed as f64, 0),
        lang.pick("listed", "listade"),
        lang.pick("next", "nästa"),
        super::shell_word(&shown),
        lang.pick("", " --lang sv"),
    )?;
    Ok(())
}

/// `text` with `lines` as comments after its first block of comments (the
/// generated header), before the blank comment line that ends it.
fn with_warnings(text: &str, lines: &[String]) -> String {
    let at = text.lines().position(|l| !l.starts_with("# ")).unwrap_or(0);
    let mut out: Vec<String> = text.lines().map(str::to_string).collect();
    out.splice(at..at, lines.iter().map(|l| format!("# {l}")));
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An audit's finding: `new --listed "12 000"` (a region's figure as
    /// Swedish writes it) failed with "invalid digit found in string".
    #[test]
    fn listed_takes_swedish_thousands_and_refuses_what_is_not_a_whole_count() {
        assert_eq!(parse_listed("12000"), Ok(12_000));
        assert_eq!(parse_listed("12 000"), Ok(12_000));
        assert_eq!(parse_listed("12\u{a0}000"), Ok(12_000));
        assert!(parse_listed("12,000").unwrap_err().contains("ambiguous"));
        assert!(parse_listed("12.5").unwrap_err().contains("whole number"));
        assert!(
            parse_listed("0")
                .unwrap_err()
                .contains("not in 1..=1000000")
        );
        assert!(parse_listed("2 000 000").unwrap_err().contains("not in"));
        assert!(parse_listed("many").unwrap_err().contains("not a number"));
    }
}
