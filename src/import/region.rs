//! A region's units and staff as read from its CSV files, checked row by
//! row: every unusable row is a located problem, and all are reported.

use std::collections::BTreeMap;

use super::hours::{Block, parse_hours};
use super::mobile::Team;
use super::table::{ColumnSpec, Problem, Table, parse_number, parse_yes_no};
use super::template::Templates;
use crate::report::lang::Bilingual;
use crate::scenario::written::MonthDay;
use crate::vocab::kinds::Activity;

/// Largest listed count of one unit that `import` and `new` write: a
/// health centre is far smaller (Sweden's largest list some 40 000), and a
/// unit of the default's demand this size still fits one replication's
/// limits (arrivals, head counts; at 1.54 M it no longer does). A larger
/// population is several units.
pub const MAX_UNIT_LISTED: u32 = 1_000_000;
/// Largest FTE of one staff row.
const MAX_FTE: f64 = 1000.0;

/// The columns of `units.csv`.
pub const UNIT_COLUMNS: [ColumnSpec; 15] = [
    ColumnSpec {
        key: "key",
        aliases: &["nyckel", "id", "enhet_id"],
        required: true,
        doc: "the unit's key in the scenario: lower-case letters, digits and `_`",
    },
    ColumnSpec {
        key: "name",
        aliases: &["namn", "enhet", "vårdcentral", "hälsocentral"],
        required: true,
        doc: "the unit's name as shown in reports",
    },
    ColumnSpec {
        key: "listed",
        aliases: &["listade", "listade_patienter", "antal_listade"],
        required: true,
        doc: "listed patients, a whole number from 1 to 1 000 000 (one health centre; a larger population is several rows)",
    },
    ColumnSpec {
        key: "web_booking",
        aliases: &["webbtidbok", "webbokning"],
        required: false,
        doc: "whether patients can book times on the web: yes/no (ja/nej); default yes, as the default unit",
    },
    ColumnSpec {
        key: "share_65_plus",
        aliases: &["andel_65_plus", "andel_65+", "65+", "andel_65_år_och_äldre"],
        required: false,
        doc: "share of the listed aged 65 or over, e.g. 0,24 or 24 %; default Sweden's 20,3 % (SCB 2024), as the default unit",
    },
    ColumnSpec {
        key: "phone_hours",
        aliases: &["telefontider", "telefontid", "telefon_öppet"],
        required: false,
        doc: "when the telephone line is open, e.g. `mon-fri 08:00-12:00 13:00-16:00` (groups separated by `/`); default the default unit's mon-fri 08:00-16:00",
    },
    ColumnSpec {
        key: "dropin_hours",
        aliases: &["dropin_tider", "drop_in_tider", "öppen_mottagning"],
        required: false,
        doc: "when the drop-in is open, written as `phone_hours`; default the default unit's mon-fri 08:00-11:00",
    },
    ColumnSpec {
        key: "profession_neutral",
        aliases: &["professionsneutral", "professionsneutral_bokning"],
        required: false,
        doc: "yes/no: triaged patients are booked with the first free licensed profession, not only doctors; default no, as the default unit",
    },
    ColumnSpec {
        key: "remote_doctor",
        aliases: &["fjärrläkare", "distansläkare", "virtuellt_akutrum"],
        required: false,
        doc: "the unit whose shared remote doctor sees this unit's acute drop-in patients by video (virtual emergency room); that unit needs staff with a `remote` block",
    },
    ColumnSpec {
        key: "mobile_team",
        aliases: &["mobilt_team"],
        required: false,
        doc: "the mobile team (mobile_teams.csv) that visits this unit's frail elderly at home",
    },
    ColumnSpec {
        key: "x_km",
        aliases: &["öst_km", "x"],
        required: false,
        doc: "the unit's position, km east of any fixed point of the region (with `y_km`): its mobile team's travel",
    },
    ColumnSpec {
        key: "y_km",
        aliases: &["nord_km", "y"],
        required: false,
        doc: "the unit's position, km north of the same point",
    },
    ColumnSpec {
        key: "radius_km",
        aliases: &["radie_km", "upptagningsradie_km"],
        required: false,
        doc: "the radius of its catchment, km: homes at its centre and four points at this distance (default 0: all at the centre)",
    },
    ColumnSpec {
        key: "distance_bands",
        aliases: &["avståndsband", "avstånd"],
        required: false,
        doc: "its patients over distance bands to the unit (rural units): each band's upper bound in km and share, nearest first, e.g. `10 km 50 % / 30 km 30 % / 60 km 20 %`; written as `[units.<u>.distance_bands]` (results by `distance` band)",
    },
    ColumnSpec {
        key: "rural",
        aliases: &["landsbygd", "glesbygd"],
        required: false,
        doc: "yes for a rural unit (default no): without its own distance_bands its patients get `methods/rural-distance.toml`'s bands (0–10, 10–30, 30–60 km holding 50, 30, 20 %; far walk-ins telephoning 0, 25, 50 %: assumptions)",
    },
];
const U_KEY: usize = 0;
const U_NAME: usize = 1;
const U_LISTED: usize = 2;
const U_WEB: usize = 3;
const U_OLD: usize = 4;
const U_PHONE_HOURS: usize = 5;
const U_DROPIN_HOURS: usize = 6;
const U_NEUTRAL: usize = 7;
const U_REMOTE: usize = 8;
const U_TEAM: usize = 9;
const U_X: usize = 10;
const U_Y: usize = 11;
const U_RADIUS: usize = 12;
const U_DISTANCE: usize = 13;
const U_RURAL: usize = 14;

/// The columns of `staff.csv`.
pub const STAFF_COLUMNS: [ColumnSpec; 12] = [
    ColumnSpec {
        key: "unit",
        aliases: &["enhet", "enhet_id", "nyckel"],
        required: true,
        doc: "the unit's key, as in units.csv",
    },
    ColumnSpec {
        key: "profession",
        aliases: &["yrke", "yrkesgrupp"],
        required: true,
        doc: "a profession key or its English or Swedish name (e.g. doctor, läkare, distriktssköterska)",
    },
    ColumnSpec {
        key: "fte",
        aliases: &["årsarbetare", "heltider", "tjänster"],
        required: false,
        doc: "full-time equivalents, e.g. 4,6 (or give heads and percent)",
    },
    ColumnSpec {
        key: "heads",
        aliases: &["antal", "personer"],
        required: false,
        doc: "number of staff (with percent)",
    },
    ColumnSpec {
        key: "percent",
        aliases: &["procent", "tjänstgöringsgrad", "sysselsättningsgrad"],
        required: false,
        doc: "their percentage of full time, `50` or `50 %` (with heads; default 100): more than 1 and at most 100 (`0,5` or `1` could be a share and is refused)",
    },
    ColumnSpec {
        key: "template",
        aliases: &["mall", "schema", "schemamall"],
        required: false,
        doc: "the weekly schedule: the name of one of the default unit's staff groups",
    },
    ColumnSpec {
        key: "group",
        aliases: &["grupp"],
        required: false,
        doc: "the staff group's key in the scenario (default: the template's name)",
    },
    ColumnSpec {
        key: "vacant",
        aliases: &["vakanser", "vakant", "vakanta", "vakanta_tjänster"],
        required: false,
        doc: "unfilled full-time posts among the row's FTE (whole posts; nobody works them)",
    },
    ColumnSpec {
        key: "hired",
        aliases: &["inhyrda", "hyrpersonal", "bemanning", "hyrläkare"],
        required: false,
        doc: "hired staff (`hyrläkare`, `bemanningssjuksköterska`) working the row's week on top, in heads",
    },
    ColumnSpec {
        key: "hired_from",
        aliases: &["inhyrda_från", "hyrd_från", "bemanning_från"],
        required: false,
        doc: "first day of the hired cover, `MM-DD` or `YYYY-MM-DD` (with hired_to; both empty: the whole year)",
    },
    ColumnSpec {
        key: "hired_to",
        aliases: &["inhyrda_till", "hyrd_till", "bemanning_till"],
        required: false,
        doc: "last day of the hired cover (inclusive; before hired_from: the cover wraps the year end)",
    },
    ColumnSpec {
        key: "cover",
        aliases: &["vikarie", "vikarier", "ersättare"],
        required: false,
        doc: "yes when a stand-in works the row's leave and absence (`cover = true`), no when nobody does; empty: as the row's template (the default's telephone and drop-in nurses have a stand-in)",
    },
];
const S_UNIT: usize = 0;
const S_PROFESSION: usize = 1;
const S_FTE: usize = 2;
const S_HEADS: usize = 3;
const S_PERCENT: usize = 4;
const S_TEMPLATE: usize = 5;
const S_GROUP: usize = 6;
const S_VACANT: usize = 7;
const S_HIRED: usize = 8;
const S_HIRED_FROM: usize = 9;
const S_HIRED_TO: usize = 10;
const S_COVER: usize = 11;

/// One unit from `units.csv`.
#[derive(Clone, Debug)]
pub struct Unit {
    /// Where it came from (`units.csv:4`).
    pub source: String,
    /// Key in the scenario.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Listed patients.
    pub listed: u32,
    /// Web booking offered.
    pub web_booking: bool,
    /// Share of the listed aged 65 or over, if given.
    pub share_65_plus: Option<f64>,
    /// The telephone line's hours, if given.
    pub phone_hours: Option<Vec<Block>>,
    /// The drop-in's hours, if given.
    pub dropin_hours: Option<Vec<Block>>,
    /// Profession-neutral booking, if given.
    pub profession_neutral: Option<bool>,
    /// The unit hosting the remote doctor of this unit's drop-in.
    pub remote_doctor: Option<String>,
    /// The mobile team serving the unit.
    pub mobile_team: Option<String>,
    /// Position, km east and north of the region's fixed point.
    pub position: Option<(f64, f64)>,
    /// Catchment radius, km.
    pub radius_km: f64,
    /// Distance bands: each band's upper bound (km) and share, nearest first.
    pub distance_bands: Option<Vec<(f64, f64)>>,
    /// A rural unit (`rural`): the preset's bands when it gives none.
    pub rural: bool,
}

/// Distance bands written `10 km 50 % / 30 km 30 % / 60 km 20 %`: each
/// band's upper bound in km and its share (a fraction or a percentage),
/// nearest first, separated by `/`.
fn parse_bands(t: &str) -> Result<Vec<(f64, f64)>, String> {
    let mut bands: Vec<(f64, f64)> = Vec::new();
    for part in t.split('/') {
        let part = part.trim();
        let (upper, share) = part
            .split_once("km")
            .ok_or_else(|| format!("a band `{part}` without `km`"))?;
        let upper = parse_number(upper.trim())
            .filter(|&u| (0.1..=2000.0).contains(&u))
            .ok_or_else(|| {
                format!(
                    "a band's upper bound `{}` is not 0.1–2 000 km",
                    upper.trim()
                )
            })?;
        let share = parse_share(share.trim()).ok_or_else(|| {
            format!(
                "a band's share `{}` is not a share of 0 to 1 or a percentage",
                share.trim()
            )
        })?;
        if bands.last().is_some_and(|&(before, _)| upper <= before) {
            return Err("upper bounds must increase".into());
        }
        bands.push((upper, share));
    }
    if bands.iter().map(|b| b.1).sum::<f64>() <= 0.0 {
        return Err("no band has a positive share".into());
    }
    Ok(bands)
}

/// One staff row from `staff.csv`.
#[derive(Clone, Debug)]
pub struct Staff {
    /// Where it came from (`staff.csv:7`).
    pub source: String,
    /// The unit's key.
    pub unit: String,
    /// Profession key.
    pub profession: String,
    /// Full-time equivalents.
    pub fte: f64,
    /// The default unit's staff group whose week it works.
    pub template: String,
    /// The group key in the scenario, if given.
    pub group: Option<String>,
    /// Unfilled full-time posts among `fte` (`vacant` in the scenario).
    pub vacant: u32,
    /// Hired staff working the row's week on top of it, if any.
    pub hired: Option<HiredCover>,
    /// A stand-in for the row's leave and absence (`cover`), if the row
    /// says; otherwise its template decides.
    pub cover: Option<bool>,
}

/// Hired cover of one staff row: heads between two dates of the year.
#[derive(Clone, Debug, PartialEq)]
pub struct HiredCover {
    /// Hired heads.
    pub count: u32,
    /// First day.
    pub from: MonthDay,
    /// Last day (inclusive; before `from`: across the year end).
    pub to: MonthDay,
}

/// A region's units and staff, checked.
#[derive(Clone, Debug, Default)]
pub struct Region {
    /// Units in file order.
    pub units: Vec<Unit>,
    /// Staff rows in file order.
    pub staff: Vec<Staff>,
    /// Mobile teams in file order.
    pub teams: Vec<Team>,
    /// The scenario's label in reports, if given.
    pub label: Option<String>,
    /// Values fitted by `vardsim calibrate`: (table header, key, the line
    /// with its fit comment), written into the units' tables.
    pub fitted: Vec<(String, String, String)>,
    /// What the files could have meant otherwise, located: printed, and
    /// written at the top of the scenario.
    pub warnings: Vec<Bilingual>,
}

/// A share written `0,24` or `24 %` (0–1). A plain number above 1 is
/// refused rather than guessed to be a percentage.
pub fn parse_share(t: &str) -> Option<f64> {
    let (number, scale) = match t.trim().strip_suffix('%') {
        Some(n) => (n, 100.0),
        None => (t, 1.0),
    };
    parse_number(number)
        .map(|v| v / scale)
        .filter(|v| (0.0..=1.0).contains(v))
}

/// Whether `key` is usable as a scenario key.
fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `key` made usable: lower case, å/ä → a, ö → o, other characters → `_`.
pub fn suggest_key(key: &str) -> String {
    let s: String = key
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => c,
            _ => '_',
        })
        .collect();
    s.trim_matches('_').to_string()
}

/// Reads units (and staff) into a region; every problem in both files.
/// `staff_unreadable`: a staff file was given but did not read (its own
/// problems are reported), so nothing is checked against its rows.
pub fn read_region(
    units: &Table,
    staff: Option<&Table>,
    staff_unreadable: bool,
    templates: &Templates,
) -> Result<Region, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut region = Region::default();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    // Names already given, as reports compare them: (line, key) of the first.
    let mut names: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for (line, row) in &units.rows {
        let line = *line;
        let mut bad = |p: Problem| problems.push(p);
        let key = units.text(row, U_KEY).unwrap_or("");
        if !is_key(key) {
            let suggested = suggest_key(key);
            let hint = format!(
                "e.g. `{}`",
                if suggested.is_empty() {
                    "unit"
                } else {
                    &suggested
                }
            );
            bad(units.problem(
                line,
                U_KEY,
                format!("expected a key of lower-case letters, digits and `_`, found `{key}`"),
                &hint,
            ));
        } else if let Some(first) = seen.insert(key.to_string(), line) {
            bad(units.problem(
                line,
                U_KEY,
                format!("unit `{key}` again (first on line {first})"),
                "give each unit one row",
            ));
        }
        let name = units.text(row, U_NAME).unwrap_or("");
        if name.is_empty() {
            bad(units.problem(
                line,
                U_NAME,
                "expected the unit's name, found an empty field".into(),
                "",
            ));
        } else if let Some((first, earlier)) = names.get(&name.to_lowercase()).cloned() {
            // Two units of one name read alike in every report, chart and
            // table that names units: legal (two keys), rarely meant.
            region.warnings.push(Bilingual::new(
                format!(
                    "{}:{line}: unit `{key}` has the name `{name}` of unit `{earlier}` (line {first}): reports, charts and tables show the two alike\n  hint: give each unit its own name (e.g. with its place), or delete the row if it repeats the unit",
                    units.file
                ),
                format!(
                    "{}:{line}: enheten `{key}` har samma namn `{name}` som enheten `{earlier}` (rad {first}): rapporter, diagram och tabeller visar de två lika\n  tips: ge varje enhet ett eget namn (t.ex. med orten), eller ta bort raden om den upprepar enheten",
                    units.file
                ),
            ));
        } else {
            names.insert(name.to_lowercase(), (line, key.to_string()));
        }
        let listed = match units.whole_number(line, row, U_LISTED) {
            Ok(Some(v)) if (1.0..=f64::from(MAX_UNIT_LISTED)).contains(&v) && v.fract() == 0.0 => {
                v as u32
            }
            Ok(v) => {
                let found = v.map_or("an empty field".into(), |v| format!("{v}"));
                bad(units.problem(line, U_LISTED, format!("expected a whole number of listed patients from 1 to 1 000 000 (one health centre), found {found}"), "a larger population is several units, one row each"));
                0
            }
            Err(p) => {
                bad(p);
                0
            }
        };
        let web_booking = yes_no(units, line, row, U_WEB)
            .unwrap_or_else(|p| {
                bad(p);
                None
            })
            .unwrap_or(true);
        let share_65_plus = units.text(row, U_OLD).and_then(|t| {
            let share = parse_share(t);
            if share.is_none() {
                bad(units.problem(
                    line,
                    U_OLD,
                    format!("expected a share of 0 to 1 or a percentage, found `{t}`"),
                    "e.g. 0,24 or 24 %",
                ));
            }
            share
        });
        let mut hours = |col: usize| {
            units.text(row, col).and_then(|t| match parse_hours(t) {
                Ok(b) => Some(b),
                Err(e) => {
                    problems.push(units.problem(
                        line,
                        col,
                        format!("expected opening hours: {e}"),
                        "e.g. mon-fri 08:00-12:00 13:00-16:00 (groups separated by `/`)",
                    ));
                    None
                }
            })
        };
        let phone_hours = hours(U_PHONE_HOURS);
        let dropin_hours = hours(U_DROPIN_HOURS);
        let mut bad = |p: Problem| problems.push(p);
        let profession_neutral = units
            .text(row, U_NEUTRAL)
            .and_then(|t| match parse_yes_no(t) {
                Some(v) => Some(v),
                None => {
                    bad(units.problem(
                        line,
                        U_NEUTRAL,
                        format!("expected yes or no (ja/nej), found `{t}`"),
                        "",
                    ));
                    None
                }
            });
        let mut coordinate = |col: usize| match units.number(line, row, col) {
            Ok(Some(v)) if v.abs() <= 2000.0 => Some(v),
            Ok(Some(v)) => {
                bad(units.problem(
                    line,
                    col,
                    format!("expected at most 2 000 km from the region's fixed point, found {v}"),
                    "",
                ));
                None
            }
            Ok(None) => None,
            Err(p) => {
                bad(p);
                None
            }
        };
        let (x, y) = (coordinate(U_X), coordinate(U_Y));
        let radius_km = coordinate(U_RADIUS).unwrap_or(0.0);
        if x.is_some() != y.is_some() {
            bad(units.problem(
                line,
                if x.is_some() { U_X } else { U_Y },
                "a position needs both `x_km` and `y_km`".into(),
                "",
            ));
        }
        if radius_km < 0.0 {
            bad(units.problem(
                line,
                U_RADIUS,
                format!("expected a radius of 0 or more km, found {radius_km}"),
                "",
            ));
        }
        let distance_bands = units.text(row, U_DISTANCE).and_then(|t| match parse_bands(t) {
            Ok(b) => Some(b),
            Err(e) => {
                bad(units.problem(
                    line,
                    U_DISTANCE,
                    format!("expected distance bands: {e}, found `{t}`"),
                    "e.g. 10 km 50 % / 30 km 30 % / 60 km 20 % (upper bound and share of each band, nearest first)",
                ));
                None
            }
        });
        let rural = yes_no(units, line, row, U_RURAL)
            .unwrap_or_else(|p| {
                bad(p);
                None
            })
            .unwrap_or(false);
        region.units.push(Unit {
            distance_bands,
            rural,
            source: format!("{}:{line}", units.file),
            key: key.to_string(),
            name: name.to_string(),
            listed,
            web_booking,
            share_65_plus,
            phone_hours,
            dropin_hours,
            profession_neutral,
            remote_doctor: units.text(row, U_REMOTE).map(str::to_string),
            mobile_team: units.text(row, U_TEAM).map(str::to_string),
            position: x.zip(y),
            radius_km,
        });
    }
    if units.rows.is_empty() {
        problems.push(Problem {
            file: units.file.clone(),
            line: 0,
            column: None,
            key: None,
            message: "no units: expected one row per unit after the header".into(),
            hint: None,
        });
    }
    if let Some(staff) = staff {
        let professions = crate::scenario::builtin::professions();
        // Each row's fields (trailing empty ones dropped) by first line: an
        // export that repeats a row doubles the staff.
        let mut rows_seen: BTreeMap<&[String], u64> = BTreeMap::new();
        for (line, row) in &staff.rows {
            let line = *line;
            let filled = row.len() - row.iter().rev().take_while(|f| f.is_empty()).count();
            if let Some(&first) = rows_seen.get(&row[..filled]) {
                problems.push(Problem {
                    file: staff.file.clone(),
                    line,
                    column: None,
                    key: None,
                    message: format!(
                        "the same row as line {first} (`{}`): the staff would be counted twice",
                        row[..filled].join(";")
                    ),
                    hint: Some(format!(
                        "delete one of lines {first} and {line}; two groups with the same week each need their own `group` key"
                    )),
                });
                continue;
            }
            rows_seen.insert(&row[..filled], line);
            let mut bad = |p: Problem| problems.push(p);
            let unit = staff.text(row, S_UNIT).unwrap_or("");
            if !seen.contains_key(unit) {
                let known: Vec<&str> = seen.keys().map(String::as_str).collect();
                let hint = format!("the units of {} are {}", units.file, known.join(", "));
                bad(staff.problem(
                    line,
                    S_UNIT,
                    format!("no unit `{unit}` in {}", units.file),
                    &hint,
                ));
            }
            let written = staff.text(row, S_PROFESSION).unwrap_or("");
            let wanted = written.to_lowercase();
            let profession = professions.iter().find(|(k, p)| {
                **k == wanted
                    || p.label_en
                        .as_deref()
                        .is_some_and(|l| l.to_lowercase() == wanted)
                    || p.label_sv
                        .as_deref()
                        .is_some_and(|l| l.to_lowercase() == wanted)
            });
            let profession = match profession {
                Some((k, _)) => k.clone(),
                None => {
                    let known: Vec<&str> = professions.keys().map(String::as_str).collect();
                    bad(staff.problem(
                        line,
                        S_PROFESSION,
                        format!("unknown profession `{written}`"),
                        &format!(
                            "one of {} (or their English or Swedish names)",
                            known.join(", ")
                        ),
                    ));
                    String::new()
                }
            };
            let fte = staff_fte(staff, line, row).unwrap_or_else(|p| {
                bad(p);
                0.0
            });
            let template = match staff.text(row, S_TEMPLATE) {
                Some(t) => t.to_string(),
                None if templates.get(&profession).is_some() => profession.clone(),
                None if profession.is_empty() => String::new(),
                None => {
                    bad(staff.problem(
                        line,
                        S_TEMPLATE,
                        format!("a `{profession}` needs a schedule template"),
                        &format!(
                            "add a column `template` with one of {}",
                            templates.names().join(", ")
                        ),
                    ));
                    String::new()
                }
            };
            if !template.is_empty() && templates.get(&template).is_none() {
                bad(staff.problem(
                    line,
                    S_TEMPLATE,
                    format!("unknown template `{template}`"),
                    &format!(
                        "one of {} (the default unit's staff groups)",
                        templates.names().join(", ")
                    ),
                ));
            }
            let group = staff.text(row, S_GROUP).map(str::to_string);
            if let Some(g) = group.as_deref().filter(|g| !is_key(g)) {
                bad(staff.problem(
                    line,
                    S_GROUP,
                    format!("expected a key of lower-case letters, digits and `_`, found `{g}`"),
                    &format!("e.g. `{}`", suggest_key(g)),
                ));
            }
            let vacant = staff_vacant(staff, line, row, fte).unwrap_or_else(|p| {
                bad(p);
                0
            });
            let hired = staff_hired(staff, line, row).unwrap_or_else(|ps| {
                ps.into_iter().for_each(&mut bad);
                None
            });
            let cover = yes_no(staff, line, row, S_COVER).unwrap_or_else(|p| {
                bad(p);
                None
            });
            region.staff.push(Staff {
                cover,
                source: format!("{}:{line}", staff.file),
                unit: unit.to_string(),
                profession,
                fte,
                template,
                group,
                vacant,
                hired,
            });
        }
    }
    region.warnings.extend(same_group_twice(&region.staff));
    // A remote doctor's host must be a unit with staff on `remote` duty
    // (unknowable when the staff file did not read: its problems are said).
    for (unit, (line, _)) in region.units.iter().zip(&units.rows) {
        let Some(host) = unit.remote_doctor.as_ref().filter(|_| !staff_unreadable) else {
            continue;
        };
        let on_duty = region.staff.iter().any(|s| {
            &s.unit == host
                && templates.get(&s.template).is_some_and(|t| {
                    t.shifts
                        .iter()
                        .any(|l| l.contains(&format!("activity = \"{}\"", Activity::Remote.key())))
                })
        });
        let message = if !seen.contains_key(host) {
            format!("no unit `{host}` in {}", units.file)
        } else if !on_duty {
            format!("unit `{host}` has no staff on remote duty")
        } else {
            continue;
        };
        problems.push(units.problem(
            *line,
            U_REMOTE,
            message,
            "give the host a staff row whose template (schedules.csv) has a `remote` block",
        ));
    }
    if problems.is_empty() {
        Ok(region)
    } else {
        Err(problems)
    }
}

/// Staff rows of one unit that write the same group key (the same
/// `group`, or the same template without one): each becomes its own group,
/// the later with `_2` added, which is two groups if meant so, or a row
/// written twice with a change.
fn same_group_twice(staff: &[Staff]) -> Vec<Bilingual> {
    let mut first: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut warnings = Vec::new();
    for s in staff {
        let key = s.group.as_deref().unwrap_or(&s.template);
        if key.is_empty() {
            continue;
        }
        match first.get(&(s.unit.as_str(), key)) {
            Some(earlier) => warnings.push(Bilingual::new(
                format!(
                    "{}: unit `{}`'s group `{key}` again (first at {earlier}): both are written, as two groups \
                     (the later's key numbered)\n  hint: if the later row replaces the earlier, delete the earlier; \
                     two groups: give each its own `group` key",
                    s.source, s.unit
                ),
                format!(
                    "{}: enheten `{}`s grupp `{key}` igen (först på {earlier}): båda skrivs, som två grupper \
                     (den senares nyckel numrerad)\n  tips: om den senare raden ersätter den tidigare, ta bort den tidigare; \
                     två grupper: ge var och en en egen nyckel i `group`",
                    s.source, s.unit
                ),
            )),
            None => {
                first.insert((s.unit.as_str(), key), s.source.as_str());
            }
        }
    }
    warnings
}

/// A yes/no column (`ja`/`nej` too); `None` when empty.
fn yes_no(
    table: &Table,
    line: u64,
    row: &[String],
    column: usize,
) -> Result<Option<bool>, Problem> {
    let Some(t) = table.text(row, column) else {
        return Ok(None);
    };
    parse_yes_no(t).map(Some).ok_or_else(|| {
        table.problem(
            line,
            column,
            format!("expected yes or no, found `{t}`"),
            "ja/nej or yes/no",
        )
    })
}

/// A staff row's percentage of full time: `50`, `50 %` or `50,0 %`, more
/// than 1 and at most 100. `0,5` (a share of full time, or half a
/// percent?) and `1` (all of it, or one percent?) are refused as
/// ambiguous, as is more than full time.
fn staff_percent(staff: &Table, line: u64, row: &[String]) -> Result<Option<f64>, Problem> {
    let Some(text) = staff.text(row, S_PERCENT) else {
        return Ok(None);
    };
    let number = text.trim().trim_end_matches('%').trim();
    match parse_number(number) {
        Some(p) if p > 1.0 && p <= 100.0 => Ok(Some(p)),
        Some(p) if p > 0.0 && p <= 1.0 => Err(staff.problem(
            line,
            S_PERCENT,
            format!("found `{text}`: a share of full time, or {p} percent?"),
            &format!(
                "write the percentage of full time: {} for {text}",
                p * 100.0
            ),
        )),
        _ => Err(staff.problem(
            line,
            S_PERCENT,
            format!(
                "expected a percentage of full time, more than 1 and at most 100, found `{text}`"
            ),
            "100 is full time: 50 or 50 % for half time; more people go in `heads`",
        )),
    }
}

/// A staff row's FTE: `fte`, or `heads` × `percent` / 100.
fn staff_fte(staff: &Table, line: u64, row: &[String]) -> Result<f64, Problem> {
    let fte = staff.number(line, row, S_FTE)?;
    let heads = staff.whole_number(line, row, S_HEADS)?;
    let percent = staff_percent(staff, line, row)?;
    let value = match (fte, heads) {
        (Some(_), Some(_)) => {
            return Err(staff.problem(
                line,
                S_HEADS,
                "both `fte` and `heads` given".into(),
                "give fte, or heads and percent",
            ));
        }
        (Some(f), None) => f,
        (None, Some(h)) => h * percent.unwrap_or(100.0) / 100.0,
        (None, None) => {
            return Err(staff.problem(
                line,
                S_FTE,
                "expected the staff's FTE, found an empty field".into(),
                "give fte (e.g. 4,6), or heads and percent",
            ));
        }
    };
    if value > 0.0 && value <= MAX_FTE {
        Ok(value)
    } else {
        // A hint, as every other problem has: what a row of no staff (an
        // export's empty group, a post not filled) is written as instead.
        let hint = if value <= 0.0 {
            "a group with nobody in it is left out: delete the row; a post not filled is counted in `vacant` beside its FTE (`fte = 2`, `vacant = 1`)"
        } else {
            "one row is one staff group of one unit, in FTE: 4,6 is four full-time posts and one at 60 %"
        };
        Err(staff.problem(
            line,
            S_FTE,
            format!("expected more than 0 and at most {MAX_FTE} FTE, found {value}"),
            hint,
        ))
    }
}

/// A staff row's vacant posts: whole posts, at most its full-time heads
/// (a vacant post is one of the group's members who never works; a vacant
/// part of a post is written as a lower `fte`).
fn staff_vacant(staff: &Table, line: u64, row: &[String], fte: f64) -> Result<u32, Problem> {
    let Some(v) = staff.whole_number(line, row, S_VACANT)? else {
        return Ok(0);
    };
    let whole_heads = super::write::split_fte(fte).0;
    if v < 0.0 || v.fract() != 0.0 {
        return Err(staff.problem(
            line,
            S_VACANT,
            format!("expected whole unfilled posts (0, 1, 2, …), found {v}"),
            "a vacant part of a post: lower the row's fte by it instead",
        ));
    }
    if v > f64::from(whole_heads) {
        return Err(staff.problem(
            line,
            S_VACANT,
            format!("{v} vacant posts, but the row's {fte} FTE make {whole_heads} full-time posts"),
            "vacant posts are counted among the row's FTE: give the posts including the vacant ones",
        ));
    }
    Ok(v as u32)
}

/// A date of the hired cover: `MM-DD`, or `YYYY-MM-DD` (the year is the
/// simulated year's, so it is dropped).
fn cover_date(text: &str) -> Option<MonthDay> {
    let t = text.trim();
    let month_day = match t.len() {
        10 if t.as_bytes()[4] == b'-' && t[..4].bytes().all(|b| b.is_ascii_digit()) => &t[5..],
        _ => t,
    };
    MonthDay::parse(month_day)
}

/// A staff row's hired cover: `hired` heads, between `hired_from` and
/// `hired_to` (both or neither; neither is the whole year).
fn staff_hired(
    staff: &Table,
    line: u64,
    row: &[String],
) -> Result<Option<HiredCover>, Vec<Problem>> {
    let mut problems = Vec::new();
    let count = match staff.whole_number(line, row, S_HIRED) {
        Ok(Some(n)) if n >= 1.0 && n.fract() == 0.0 && n <= MAX_FTE => Some(n as u32),
        Ok(Some(0.0)) => None,
        Ok(Some(n)) => {
            problems.push(staff.problem(
                line,
                S_HIRED,
                format!("expected hired staff as whole heads (1, 2, …), found {n}"),
                "count the hired people, not their FTE",
            ));
            None
        }
        Ok(None) => None,
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let mut date = |spec: usize| {
        let text = staff.text(row, spec)?;
        let d = cover_date(text);
        if d.is_none() {
            problems.push(staff.problem(
                line,
                spec,
                format!("expected a date MM-DD or YYYY-MM-DD, found `{text}`"),
                "e.g. 01-08 or 2025-01-08 for 8 January",
            ));
        }
        Some(d)
    };
    let (from, to) = (date(S_HIRED_FROM), date(S_HIRED_TO));
    let whole_year = (
        MonthDay::from_day_of_year(0),
        MonthDay::from_day_of_year(364),
    );
    let dates = match (from, to) {
        (None, None) => Some(whole_year),
        (Some(Some(f)), Some(Some(t))) => Some((f, t)),
        (Some(_), None) | (None, Some(_)) => {
            let missing = if from.is_none() {
                S_HIRED_FROM
            } else {
                S_HIRED_TO
            };
            problems.push(staff.problem(
                line,
                missing,
                "the hired cover has one date but not the other".into(),
                "give both hired_from and hired_to, or neither for the whole year",
            ));
            None
        }
        _ => None,
    };
    if count.is_none() && (from.is_some() || to.is_some()) && problems.is_empty() {
        problems.push(staff.problem(
            line,
            S_HIRED,
            "dates of hired cover but no hired staff".into(),
            "give the hired heads in `hired`, or leave the dates empty",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(count
        .zip(dates)
        .map(|(count, (from, to))| HiredCover { count, from, to }))
}
