//! From a region's own files to a scenario: `vardsim import` reads a
//! region's units and staff from CSV files (`table` reads them the way
//! spreadsheets write them, `region` checks every row), and `write` turns
//! them into one commented scenario built from the calibrated default unit
//! (`template`). `vardsim new` is the same path for one unit given on the
//! command line.
//!
//! Nothing here runs a simulation; the scenario it writes is checked by
//! loading it like any other file before it is written.

mod figures;
mod hours;
mod mobile;
mod region;
mod table;
mod template;
mod write;

pub use figures::{FIGURE_COLUMNS, Figure, Figures, MonthFigures, parse_month, read_figures};
pub use hours::{Block, SCHEDULE_COLUMNS, parse_hours};
pub use mobile::{TEAM_COLUMNS, Team};
pub use region::{
    MAX_UNIT_LISTED, Region, STAFF_COLUMNS, Staff, UNIT_COLUMNS, Unit, read_region, suggest_key,
};
pub(crate) use table::thousands_or_decimals;
pub use table::{ColumnSpec, Problem, Table, parse_number as parse_number_text};
pub use template::{DEFAULT_LISTED, Templates};
pub use write::{scenario_text, share_days, split_fte};

use std::path::Path;

use crate::report::lang::{Bilingual, Lang};

/// Every problem of an import, in file order.
#[derive(Debug, thiserror::Error)]
#[error("{}", render(.0))]
pub struct ImportError(pub Vec<Problem>);

fn render(problems: &[Problem]) -> String {
    let mut s: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    s.push(format!(
        "{} problem{}; nothing was written",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    ));
    s.join("\n")
}

/// The files of one import: units, and optionally staff, weekly schedules
/// and mobile teams.
#[derive(Clone, Copy, Debug)]
pub struct ImportFiles<'a> {
    /// `units.csv`.
    pub units: &'a Path,
    /// `staff.csv`.
    pub staff: Option<&'a Path>,
    /// `schedules.csv`: staff weeks beyond the default unit's.
    pub schedules: Option<&'a Path>,
    /// `mobile_teams.csv`.
    pub mobile_teams: Option<&'a Path>,
    /// A scenario written by `vardsim calibrate` for an earlier import of
    /// the same files: its fitted values are written into the units.
    pub calibrated: Option<&'a Path>,
    /// The scenario's label in reports.
    pub label: Option<&'a str>,
}

/// Reads the region's files and returns the scenario text named `name`
/// and warnings about what it could have meant otherwise (also written as
/// comments at the top of the text).
pub fn import_files(
    files: ImportFiles<'_>,
    name: &str,
    description: Option<&str>,
    command: &str,
) -> Result<(String, Vec<Bilingual>), ImportError> {
    let mut templates = Templates::from_default();
    let mut problems = Vec::new();
    let mut read = |path: Option<&Path>, specs: &[ColumnSpec]| {
        path.and_then(|p| Table::read(p, specs).map_err(|e| problems.extend(e)).ok())
    };
    let unit_table = read(Some(files.units), &UNIT_COLUMNS);
    let staff_table = read(files.staff, &STAFF_COLUMNS);
    let schedule_table = read(files.schedules, &SCHEDULE_COLUMNS);
    let team_table = read(files.mobile_teams, &TEAM_COLUMNS);
    // Rows are checked even when another file's header has problems:
    // every problem at once.
    let mut warnings = Vec::new();
    if let Some(t) = &schedule_table {
        problems.extend(hours::read_schedules(t, &mut templates, &mut warnings));
    }
    let Some(unit_table) = unit_table else {
        return Err(ImportError(sorted(problems)));
    };
    let staff_unreadable = files.staff.is_some() && staff_table.is_none();
    let region_read = read_region(
        &unit_table,
        staff_table.as_ref(),
        staff_unreadable,
        &templates,
    );
    // A region that did not read has no units: checking the teams against
    // it would call every team unserved, before the problem that matters.
    let units_read = region_read.is_ok();
    let mut region = region_read.unwrap_or_else(|more| {
        problems.extend(more);
        Region::default()
    });
    if let Some(t) = &team_table {
        let keys: Vec<&str> = unit_table
            .rows
            .iter()
            .filter_map(|(_, row)| unit_table.text(row, 0))
            .collect();
        match mobile::read_teams(t, &keys) {
            Ok(teams) => region.teams = teams,
            Err(more) => problems.extend(more),
        }
    }
    if units_read {
        problems.extend(mobile_team_problems(
            &region,
            &unit_table,
            files.mobile_teams.is_some(),
        ));
    }
    if let Some(path) = files.calibrated {
        match fitted_lines(path, &region) {
            Ok(lines) => region.fitted = lines,
            Err(p) => problems.extend(p),
        }
    }
    region.label = files.label.map(str::to_string);
    if !problems.is_empty() || region.units.is_empty() {
        return Err(ImportError(sorted(problems)));
    }
    let listed: u64 = region.units.iter().map(|u| u64::from(u.listed)).sum();
    // Said in both report languages unless the user wrote their own.
    let (description, description_sv) = match description {
        Some(d) => (d.to_string(), None),
        None => {
            let (n, from) = (region.units.len(), files.units.display());
            (
                format!(
                    "{n} unit{}, {} listed, imported from {from}",
                    if n == 1 { "" } else { "s" },
                    whole_en(listed)
                ),
                Some(format!(
                    "{n} {}, {} listade, importerade från {from}",
                    if n == 1 {
                        "vårdcentral"
                    } else {
                        "vårdcentraler"
                    },
                    whole_sv(listed)
                )),
            )
        }
    };
    let mut origin = vec![
        format!("GENERATED by `{command}`"),
        "Edit the CSV files and import again rather than this file.".into(),
    ];
    origin.push(format!("units: {}", files.units.display()));
    for (what, path) in [
        ("staff", files.staff),
        ("schedules", files.schedules),
        ("mobile teams", files.mobile_teams),
        ("fitted values", files.calibrated),
    ] {
        if let Some(p) = path {
            origin.push(format!("{what}: {}", p.display()));
        }
    }
    warnings.extend(region.warnings.iter().cloned());
    warnings.extend(write::posts_warnings(&region, &templates));
    warnings.extend(write::age_mix_warning(&region));
    origin.extend(warning_lines("import", &english(&warnings)));
    let descriptions = (description.as_str(), description_sv.as_deref());
    let text = scenario_text(name, descriptions, &origin, &region, &templates);
    Ok((text, warnings))
}

/// The English of `warnings`: the written scenario's comments are English.
fn english(warnings: &[Bilingual]) -> Vec<String> {
    warnings.iter().map(|w| w.en.clone()).collect()
}

/// Warnings as comment lines for the top of a written scenario, each
/// saying which step gave it (`Warning (import): …`), its hint indented
/// below it: whoever opens the file later sees what was printed.
pub fn warning_lines(step: &str, warnings: &[String]) -> Vec<String> {
    warnings
        .iter()
        .flat_map(|w| {
            w.lines()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        format!("Warning ({step}): {l}")
                    } else {
                        format!("  {}", l.trim_start())
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The fitted values of a scenario written by `vardsim calibrate`: each
/// `key = value   # fit` line under a `[units.<unit>…]` table, for units of
/// the region (any other unit is a located problem).
fn fitted_lines(
    path: &Path,
    region: &Region,
) -> Result<Vec<(String, String, String)>, Vec<Problem>> {
    let file = path.display().to_string();
    let problem = |line: u64, message: String, hint: &str| Problem {
        file: file.clone(),
        line,
        column: None,
        key: None,
        message,
        hint: Some(hint.to_string()),
    };
    let text = crate::scenario::source::read_text(path).map_err(|e| {
        vec![problem(
            0,
            format!("cannot read: {e}"),
            "the --out of `vardsim calibrate`",
        )]
    })?;
    if path.extension().is_some_and(|e| e == "csv") {
        return fitted_from_table(&file, &text, region);
    }
    if let Err(e) = text.parse::<toml::Table>() {
        return Err(vec![problem(
            0,
            format!("not TOML: {e}"),
            "the --out of `vardsim calibrate`",
        )]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut header = String::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            header = t.to_string();
            let unit = t
                .trim_matches(['[', ']'])
                .strip_prefix("units.")
                .and_then(|r| r.split('.').next());
            match unit {
                Some(u) if region.units.iter().any(|x| x.key == u) => {}
                _ => problems.push(problem(
                    i as u64 + 1,
                    format!("`{t}` is not a table of one of the region's units"),
                    "give the scenario `vardsim calibrate` wrote for this region",
                )),
            }
        } else if !header.is_empty()
            && let Some((key, _)) = t.split_once(" = ")
            && !t.starts_with('#')
        {
            out.push((header.clone(), key.trim().to_string(), t.to_string()));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The columns of `calibration.csv`: each key, and its header in a
/// Swedish spreadsheet (`vardsim calibrate --lang sv`), which
/// `--calibrated` reads as well.
pub const FIT_COLUMNS: [(&str, &str); 11] = [
    ("unit", "enhet"),
    ("figure", "mått"),
    ("observed", "observerat"),
    ("months", "månader"),
    ("model_mean", "modellens medelvärde"),
    ("ci95_low", "95 % KI nedre"),
    ("ci95_high", "95 % KI övre"),
    ("parameter", "parameter"),
    ("value", "värde"),
    ("status", "status"),
    ("note", "kommentar"),
];

/// The fitted values of a `calibration.csv` (the fit table `vardsim
/// calibrate` writes, for programs or, in either language, for a
/// spreadsheet: BOM, `;`, decimal comma): every row with a parameter and a
/// value, its fit in the comment.
fn fitted_from_table(
    file: &str,
    text: &str,
    region: &Region,
) -> Result<Vec<(String, String, String)>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = table::one_line_ending(text);
    // The separator after the first header as `calibrate` writes it
    // (any `--csv-sep`), else the one the header line holds most of.
    let sep = ["unit", "enhet"]
        .iter()
        .find_map(|h| text.strip_prefix(h))
        .and_then(|rest| rest.bytes().next())
        .filter(|b| !b.is_ascii_alphanumeric() && *b != b'_')
        .unwrap_or_else(|| table::separator(&text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    // A column by its key or its Swedish header.
    let col = |name: &str| {
        let sv = FIT_COLUMNS
            .iter()
            .find(|(k, _)| *k == name)
            .map_or(name, |(_, sv)| sv);
        headers.iter().position(|h| h == name || h == sv)
    };
    let (Some(unit_col), Some(param_col), Some(value_col)) =
        (col("unit"), col("parameter"), col("value"))
    else {
        return Err(vec![Problem {
            file: file.to_string(),
            line: 1,
            column: None,
            key: None,
            message: "expected the columns `unit`, `parameter` and `value`".into(),
            hint: Some("give the calibration.csv that `vardsim calibrate` wrote".into()),
        }]);
    };
    let field = |r: &csv::StringRecord, name: &str| {
        col(name).and_then(|i| r.get(i)).unwrap_or("").to_string()
    };
    // Each value is checked against the scenario's bounds before it is
    // written into the scenario: a cell never becomes TOML text.
    let schema = crate::scenario::schema::json_schema();
    for (i, record) in reader.records().enumerate() {
        // The record's own line: quoted line breaks and CRLF counted right.
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i as u64 + 2, |p| p.line());
        let Ok(r) = record else {
            problems.push(Problem {
                file: file.to_string(),
                line,
                column: None,
                key: None,
                message: "an unreadable row".into(),
                hint: None,
            });
            continue;
        };
        let (unit, param, value) = (
            r.get(unit_col).unwrap_or(""),
            r.get(param_col).unwrap_or(""),
            r.get(value_col).unwrap_or(""),
        );
        if param.is_empty() || value.is_empty() {
            continue;
        }
        let prefix = format!("units.{unit}.");
        let at = |col: usize, key: &str, message: String, hint: &str| Problem {
            file: file.to_string(),
            line,
            column: Some(col + 1),
            key: Some(key.into()),
            message,
            hint: Some(hint.into()),
        };
        if !region.units.iter().any(|u| u.key == unit) {
            problems.push(at(
                unit_col,
                "unit",
                format!("`{unit}` is not one of the region's units"),
                "give the calibration.csv written for this region",
            ));
            continue;
        }
        if !param.starts_with(&prefix) {
            problems.push(at(
                param_col,
                "parameter",
                format!("`{param}` is not a parameter of unit `{unit}`"),
                "give the calibration.csv written for this region",
            ));
            continue;
        }
        let bounds = crate::scenario::schema::key_schema(&schema, param);
        let (min, max) = (
            bounds
                .and_then(|b| b.get("minimum"))
                .and_then(|m| m.as_f64()),
            bounds
                .and_then(|b| b.get("maximum"))
                .and_then(|m| m.as_f64()),
        );
        let value = match table::parse_number(value) {
            Some(x)
                if x.is_finite() && min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m) =>
            {
                x
            }
            _ => {
                let range = match (min, max) {
                    (Some(lo), Some(hi)) => format!(" from {lo} to {hi}"),
                    _ => String::new(),
                };
                problems.push(at(
                    value_col,
                    "value",
                    format!("`{param}`: expected a number{range}, found `{value}`"),
                    "the value column as `vardsim calibrate` wrote it",
                ));
                continue;
            }
        };
        let Some((table, key)) = param.rsplit_once('.') else {
            continue;
        };
        let figure = field(&r, "figure");
        let share = matches!(figure.as_str(), "same_day" | "within_3_days");
        let show = |v: String| match table::parse_number(&v) {
            Some(x) if share => format!("{:.1} %", 100.0 * x),
            Some(x) => format!("{x:.0}"),
            None => "–".into(),
        };
        let ci = match (field(&r, "ci95_low"), field(&r, "ci95_high")) {
            (l, h) if !l.is_empty() && !h.is_empty() => format!(" ({}–{})", show(l), show(h)),
            _ => String::new(),
        };
        let status = field(&r, "status");
        out.push((
            format!("[{table}]"),
            key.to_string(),
            format!(
                "{key} = {value}   # fitted by `vardsim calibrate` to {figure} ({file}:{line}): observed {}, model {}{ci}{}",
                show(field(&r, "observed")),
                show(field(&r, "model_mean")),
                if status == "at_bound" { ", at the end of the range tried" } else { "" }
            ),
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Problems in file order.
fn sorted(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    problems
}

/// Units naming a mobile team that is not there, teams serving no unit,
/// and served units without a position when their team has no distance.
fn mobile_team_problems(region: &Region, units: &Table, have_file: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let team_col = UNIT_COLUMNS
        .iter()
        .position(|c| c.key == "mobile_team")
        .unwrap_or(0);
    let x_col = UNIT_COLUMNS
        .iter()
        .position(|c| c.key == "x_km")
        .unwrap_or(0);
    for (unit, (line, _)) in region.units.iter().zip(&units.rows) {
        let Some(key) = &unit.mobile_team else {
            continue;
        };
        match region.teams.iter().find(|t| &t.key == key) {
            None if !have_file => problems.push(units.problem(
                *line,
                team_col,
                format!("mobile team `{key}`, but no mobile teams file"),
                "add --mobile-teams mobile_teams.csv with a row for the team",
            )),
            None => {
                let known: Vec<&str> = region.teams.iter().map(|t| t.key.as_str()).collect();
                problems.push(units.problem(
                    *line,
                    team_col,
                    format!("no mobile team `{key}`"),
                    &format!("the teams are {}", known.join(", ")),
                ));
            }
            Some(t) if t.distance_km.is_none() && unit.position.is_none() => {
                problems.push(units.problem(
                    *line,
                    x_col,
                    format!(
                        "mobile team `{key}` travels between positions, but this unit has none"
                    ),
                    "give x_km and y_km, or the team a distance_km",
                ))
            }
            Some(_) => {}
        }
    }
    for t in &region.teams {
        if !region
            .units
            .iter()
            .any(|u| u.mobile_team.as_ref() == Some(&t.key))
        {
            let (file, line) = t.source.rsplit_once(':').unwrap_or((&t.source, "0"));
            problems.push(Problem {
                file: file.to_string(),
                line: line.parse().unwrap_or(0),
                column: Some(1),
                key: Some("team".into()),
                message: format!("team `{}` serves no unit", t.key),
                hint: Some("name it in units.csv's `mobile_team` column".into()),
            });
        }
    }
    problems
}

/// What `vardsim new` is given: one unit's size and, optionally, staff
/// per profession group (FTE); what is not given scales from the default.
#[derive(Clone, Debug, Default)]
pub struct NewUnit {
    /// Listed patients.
    pub listed: u32,
    /// The unit's display name.
    pub unit_name: String,
    /// Doctors, FTE.
    pub doctors: Option<f64>,
    /// District nurses, FTE, over the default's nurse groups in its
    /// proportion, in whole weekdays ([`share_days`]).
    pub nurses: Option<f64>,
    /// Physiotherapists, FTE.
    pub physiotherapists: Option<f64>,
    /// Counsellors, FTE.
    pub counsellors: Option<f64>,
    /// Web booking offered.
    pub web_booking: bool,
}

/// The scenario text of one unit described by `unit`, and warnings about
/// what it could have meant otherwise (also written as comments at the
/// top of the text).
pub fn new_unit_text(name: &str, unit: &NewUnit, command: &str) -> (String, Vec<Bilingual>) {
    let templates = Templates::from_default();
    let key = suggest_key(name);
    let key = if key.is_empty() {
        "unit".to_string()
    } else {
        key
    };
    let mut warnings_new = Vec::new();
    let scale = f64::from(unit.listed) / DEFAULT_LISTED;
    let given = |profession: &str| match profession {
        "doctor" => unit.doctors,
        "district_nurse" => unit.nurses,
        "physiotherapist" => unit.physiotherapists,
        "counsellor" => unit.counsellors,
        _ => None,
    };
    // Each given total is whole weekdays (0.2 FTE) shared over the
    // default's groups of that profession in the default's proportion, so
    // that the groups add up to the total (a small total leaves some
    // groups out, rather than giving each a day).
    let all = templates.all();
    let mut days = vec![0; all.len()];
    for (profession, total) in ["doctor", "district_nurse", "physiotherapist", "counsellor"]
        .iter()
        .filter_map(|p| given(p).map(|t| (*p, t)))
    {
        let at: Vec<usize> = (0..all.len())
            .filter(|&i| all[i].profession == profession)
            .collect();
        let weights: Vec<(f64, bool)> = at.iter().map(|&i| (all[i].count, all[i].cover)).collect();
        let shared = share_days(total, &weights);
        let mut left_out = Vec::new();
        for (&i, &d) in at.iter().zip(&shared) {
            days[i] = d;
            if d == 0 && total > 0.0 {
                left_out.push(format!("`{}`", all[i].name));
            }
        }
        let n: u32 = shared.iter().sum();
        let written = f64::from(n) / 5.0;
        let mut said = Vec::new();
        let mut said_sv = Vec::new();
        if (written - total).abs() > 1e-9 {
            said.push(format!("{written:.2} FTE, not {total}"));
            said_sv.push(format!(
                "{} FTE, inte {}",
                Lang::Sv.number(written, 2),
                Lang::Sv.decimal(total)
            ));
        }
        if !left_out.is_empty() {
            said.push(format!(
                "over the default's {} `{profession}` groups, {} left out",
                at.len(),
                left_out.join(", ")
            ));
            said_sv.push(format!(
                "över standardvårdcentralens {} grupper `{profession}`, {} utelämnade",
                at.len(),
                left_out.join(", ")
            ));
        }
        if !said.is_empty() {
            let option = option_of(profession);
            warnings_new.push(Bilingual::new(
                format!(
                    "command line (unit `{key}`): --{option} {total} became {}: {}\n  hint: a post works whole weekdays of its week (0.2 FTE each); \
                     if that is not what was meant, edit the groups in the written scenario",
                    weekdays(n),
                    said.join("; ")
                ),
                format!(
                    "kommandoraden (enhet `{key}`): --{option} {} blev {n} veckodag{} i veckan: {}\n  tips: en tjänst arbetar hela veckodagar av sin vecka (0,2 FTE var); \
                     om det inte var menat, ändra grupperna i det skrivna scenariot",
                    Lang::Sv.decimal(total),
                    if n == 1 { "" } else { "ar" },
                    said_sv.join("; ")
                ),
            ));
        }
    }
    let staff = all
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let same: f64 = all
                .iter()
                .filter(|o| o.profession == t.profession)
                .map(|o| o.count)
                .sum();
            let (fte, source) = match given(&t.profession) {
                Some(total) => (
                    f64::from(days[i]) / 5.0,
                    format!(
                        "--{}: {total} FTE as {}, {} of them here ({}/{same} of the profession)",
                        option_of(&t.profession),
                        weekdays(
                            days.iter()
                                .zip(all)
                                .filter(|(_, o)| o.profession == t.profession)
                                .map(|(d, _)| d)
                                .sum::<u32>()
                        ),
                        days[i],
                        t.count
                    ),
                ),
                None => (
                    t.count * scale,
                    format!("the default's {} × {scale:.3}", t.count),
                ),
            };
            Staff {
                source,
                unit: key.clone(),
                profession: t.profession.clone(),
                fte,
                template: t.name.clone(),
                group: None,
                vacant: 0,
                hired: None,
                cover: None,
            }
        })
        .filter(|s| s.fte > 0.0)
        .collect();
    let region = Region {
        units: vec![Unit {
            source: "command line".into(),
            key,
            name: unit.unit_name.clone(),
            listed: unit.listed,
            web_booking: unit.web_booking,
            share_65_plus: None,
            phone_hours: None,
            dropin_hours: None,
            profession_neutral: None,
            remote_doctor: None,
            mobile_team: None,
            position: None,
            radius_km: 0.0,
            distance_bands: None,
            rural: false,
        }],
        staff,
        teams: Vec::new(),
        label: None,
        fitted: Vec::new(),
        warnings: Vec::new(),
    };
    let listed = u64::from(unit.listed);
    let description = format!(
        "{}: {} listed, from the calibrated default unit",
        unit.unit_name,
        whole_en(listed)
    );
    let description_sv = format!(
        "{}: {} listade, utgår från den kalibrerade standardvårdcentralen",
        unit.unit_name,
        whole_sv(listed)
    );
    let mut origin = vec![
        format!("GENERATED by `{command}`"),
        "A starting point: edit the staff groups' weeks and counts below.".into(),
    ];
    let mut warnings = write::posts_warnings(&region, &templates);
    warnings.extend(warnings_new);
    origin.extend(warning_lines("new", &english(&warnings)));
    let descriptions = (description.as_str(), Some(description_sv.as_str()));
    (
        scenario_text(name, descriptions, &origin, &region, &templates),
        warnings,
    )
}

/// A whole number as an English text writes it: `132,800`.
pub(crate) fn whole_en(x: u64) -> String {
    crate::report::Lang::En.number(x as f64, 0)
}

/// A whole number as a Swedish text writes it, `132 800`, with a plain
/// space: a scenario file is edited by hand, where a no-break space hides.
pub(crate) fn whole_sv(x: u64) -> String {
    crate::report::Lang::Sv
        .number(x as f64, 0)
        .replace('\u{a0}', " ")
}

/// `n` weekdays of work a week: `1 weekday a week`, `5 weekdays a week`.
fn weekdays(n: u32) -> String {
    format!("{n} weekday{} a week", if n == 1 { "" } else { "s" })
}

/// The `vardsim new` option of a profession.
fn option_of(profession: &str) -> &'static str {
    match profession {
        "doctor" => "doctors",
        "district_nurse" => "nurses",
        "physiotherapist" => "physiotherapists",
        _ => "counsellors",
    }
}

/// The Markdown table of a file's columns (for `docs/import.md`).
pub fn columns_table(specs: &[ColumnSpec]) -> String {
    let mut s =
        String::from("| Column | Also read as | Required | What it holds |\n|---|---|---|---|\n");
    for c in specs {
        let aliases: Vec<String> = c.aliases.iter().map(|a| format!("`{a}`")).collect();
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            c.key,
            aliases.join(", "),
            if c.required { "yes" } else { "no" },
            c.doc
        ));
    }
    s
}

/// `text` with the tables between `<!-- generated:columns FILE -->` and
/// `<!-- generated:end -->` rewritten from the code (FILE: `units.csv` or
/// `staff.csv`).
pub fn regenerate_column_tables(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    const START: &str = "<!-- generated:columns ";
    const END: &str = "<!-- generated:end -->";
    while let Some(at) = rest.find(START) {
        let Some(close) = rest[at..].find("-->").map(|c| at + c + 3) else {
            break;
        };
        let file = rest[at + START.len()..close - 3].trim();
        let Some(end) = rest[close..].find(END).map(|e| close + e) else {
            break;
        };
        out.push_str(&rest[..close]);
        out.push('\n');
        match file {
            "units.csv" => out.push_str(&columns_table(&UNIT_COLUMNS)),
            "staff.csv" => out.push_str(&columns_table(&STAFF_COLUMNS)),
            "figures.csv" => out.push_str(&columns_table(&FIGURE_COLUMNS)),
            "schedules.csv" => out.push_str(&columns_table(&SCHEDULE_COLUMNS)),
            "mobile_teams.csv" => out.push_str(&columns_table(&TEAM_COLUMNS)),
            _ => out.push_str(&rest[close..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
