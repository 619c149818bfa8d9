//! A region's mobile teams (`mobile_teams.csv`): one row per team, its base
//! unit and its cars; the units it serves name it in `units.csv`
//! (`mobile_team`), with their coordinates or the team with a mean
//! distance per leg.

use super::region::parse_share;
use super::table::{ColumnSpec, Problem, Table};

/// The columns of `mobile_teams.csv`.
pub const TEAM_COLUMNS: [ColumnSpec; 12] = [
    ColumnSpec {
        key: "team",
        aliases: &["team_id", "nyckel", "mobilt_team"],
        required: true,
        doc: "the team's key, as units.csv's `mobile_team` names it (lower-case letters, digits and `_`)",
    },
    ColumnSpec {
        key: "name",
        aliases: &["namn"],
        required: false,
        doc: "the team's name in reports (default: its key)",
    },
    ColumnSpec {
        key: "base",
        aliases: &["bas", "hemenhet", "enhet"],
        required: true,
        doc: "the unit it belongs to (its staff cost and utilisation count there); coordinates are measured from it",
    },
    ColumnSpec {
        key: "crews",
        aliases: &["bilar", "antal_team"],
        required: false,
        doc: "crews (cars) working at once, each a doctor and a district nurse; default 1",
    },
    ColumnSpec {
        key: "speed_kmh",
        aliases: &["hastighet_kmh", "km_per_timme"],
        required: false,
        doc: "mean road speed, km/h; default 50 (methods/mobile-team.toml)",
    },
    ColumnSpec {
        key: "winding",
        aliases: &["vägfaktor", "slingrighet"],
        required: false,
        doc: "road distance ÷ straight-line distance; default 1.0",
    },
    ColumnSpec {
        key: "winter_slowdown",
        aliases: &["vinterfaktor"],
        required: false,
        doc: "travel time factor in winter months; default 1.2",
    },
    ColumnSpec {
        key: "winter_months",
        aliases: &["vintermånader"],
        required: false,
        doc: "the winter months as numbers, e.g. `11 12 1 2 3`; default December–March",
    },
    ColumnSpec {
        key: "distance_km",
        aliases: &["avstånd_km"],
        required: false,
        doc: "mean road km per leg (gamma, sd 0.6 × mean), for teams whose units have no coordinates",
    },
    ColumnSpec {
        key: "home_care_per_day",
        aliases: &["hemtjänst_per_dag"],
        required: false,
        doc: "same-day requests from municipal home care per weekday; default the preset's 1.5 per 9 000 listed served",
    },
    ColumnSpec {
        key: "planned_per_week",
        aliases: &["planerade_per_vecka"],
        required: false,
        doc: "planned home visits per week; default the preset's 10 per 9 000 listed served",
    },
    ColumnSpec {
        key: "frail_share",
        aliases: &["andel_sköra"],
        required: false,
        doc: "share of the triaged frail elderly sent to a team instead of a booked visit (one value for the region); default the preset's 0.5",
    },
];
const T_KEY: usize = 0;
const T_NAME: usize = 1;
const T_BASE: usize = 2;
const T_CREWS: usize = 3;
const T_SPEED: usize = 4;
const T_WINDING: usize = 5;
const T_WINTER: usize = 6;
const T_WINTER_MONTHS: usize = 7;
const T_DISTANCE: usize = 8;
const T_HOME_CARE: usize = 9;
const T_PLANNED: usize = 10;
const T_FRAIL: usize = 11;

/// One mobile team, checked.
#[derive(Clone, Debug)]
pub struct Team {
    /// Where it came from (`mobile_teams.csv:3`).
    pub source: String,
    /// Key in the scenario.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Base unit's key.
    pub base: String,
    /// Crews at once.
    pub crews: u32,
    /// Road speed, km/h.
    pub speed_kmh: f64,
    /// Road ÷ straight-line distance.
    pub winding: f64,
    /// Winter travel-time factor.
    pub winter_slowdown: f64,
    /// Winter months (1–12).
    pub winter_months: Vec<u8>,
    /// Mean road km per leg, when the units have no coordinates.
    pub distance_km: Option<f64>,
    /// Home-care requests per weekday, if given.
    pub home_care_per_day: Option<f64>,
    /// Planned visits per week, if given.
    pub planned_per_week: Option<f64>,
    /// Share of triaged frail elderly to the teams, if given.
    pub frail_share: Option<f64>,
}

/// Reads every row of a `mobile_teams.csv` table; `units` are the unit
/// keys of units.csv (a base must be one of them).
pub fn read_teams(table: &Table, units: &[&str]) -> Result<Vec<Team>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut teams: Vec<Team> = Vec::new();
    for (line, row) in &table.rows {
        let line = *line;
        let key = table.text(row, T_KEY).unwrap_or("").to_string();
        let key_ok = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_ok {
            problems.push(table.problem(
                line,
                T_KEY,
                format!("expected a key of lower-case letters, digits and `_`, found `{key}`"),
                "e.g. `norr`",
            ));
        } else if teams.iter().any(|t| t.key == key) {
            problems.push(table.problem(
                line,
                T_KEY,
                format!("team `{key}` again"),
                "give each team one row",
            ));
        }
        let base = table.text(row, T_BASE).unwrap_or("").to_string();
        if !units.contains(&base.as_str()) {
            problems.push(table.problem(
                line,
                T_BASE,
                format!("no unit `{base}` in units.csv"),
                &format!("the units are {}", units.join(", ")),
            ));
        }
        let mut number = |col: usize, lo: f64, hi: f64, default: f64| -> f64 {
            match table.number(line, row, col) {
                Ok(Some(v)) if (lo..=hi).contains(&v) => v,
                Ok(Some(v)) => {
                    problems.push(table.problem(
                        line,
                        col,
                        format!("expected {lo} to {hi}, found {v}"),
                        "",
                    ));
                    default
                }
                Ok(None) => default,
                Err(p) => {
                    problems.push(p);
                    default
                }
            }
        };
        let crews = number(T_CREWS, 1.0, 100.0, 1.0);
        let speed_kmh = number(T_SPEED, 5.0, 150.0, 50.0);
        let winding = number(T_WINDING, 1.0, 3.0, 1.0);
        let winter_slowdown = number(T_WINTER, 1.0, 3.0, 1.2);
        let distance = number(T_DISTANCE, 0.0, 500.0, -1.0);
        let home_care = number(T_HOME_CARE, 0.0, 1000.0, -1.0);
        let planned = number(T_PLANNED, 0.0, 10000.0, -1.0);
        let frail_share = table.text(row, T_FRAIL).and_then(|t| {
            let v = parse_share(t);
            if v.is_none() {
                problems.push(table.problem(
                    line,
                    T_FRAIL,
                    format!("expected a share of 0 to 1 or a percentage, found `{t}`"),
                    "e.g. 0,25 or 25 %",
                ));
            }
            v
        });
        if crews.fract() != 0.0 {
            problems.push(table.problem(
                line,
                T_CREWS,
                format!("expected a whole number of crews, found {crews}"),
                "",
            ));
        }
        let winter_months = match table.text(row, T_WINTER_MONTHS) {
            None => vec![12, 1, 2, 3],
            Some(t) => {
                let months: Option<Vec<u8>> = t
                    .split([' ', ',', ';'])
                    .filter(|w| !w.is_empty())
                    .map(|w| w.parse::<u8>().ok().filter(|m| (1..=12).contains(m)))
                    .collect();
                months.unwrap_or_else(|| {
                    problems.push(table.problem(
                        line,
                        T_WINTER_MONTHS,
                        format!("expected month numbers 1–12, found `{t}`"),
                        "e.g. 11 12 1 2 3",
                    ));
                    Vec::new()
                })
            }
        };
        let given = |v: f64| (v >= 0.0).then_some(v);
        teams.push(Team {
            source: format!("{}:{line}", table.file),
            name: table.text(row, T_NAME).unwrap_or(&key).to_string(),
            key,
            base,
            crews: crews as u32,
            speed_kmh,
            winding,
            winter_slowdown,
            winter_months,
            distance_km: given(distance),
            home_care_per_day: given(home_care),
            planned_per_week: given(planned),
            frail_share,
        });
    }
    let shares: Vec<(f64, &Team)> = teams
        .iter()
        .filter_map(|t| t.frail_share.map(|s| (s, t)))
        .collect();
    if let Some((first, _)) = shares.first()
        && let Some((_, other)) = shares.iter().find(|(s, _)| s != first)
    {
        let line = other.source.rsplit(':').next().and_then(|l| l.parse().ok());
        problems.push(table.problem(
            line.unwrap_or(0),
            T_FRAIL,
            "a different frail_share: the case mix is one for the region".into(),
            &format!("give {first} on every row, or on one row only"),
        ));
    }
    if problems.is_empty() {
        Ok(teams)
    } else {
        Err(problems)
    }
}
