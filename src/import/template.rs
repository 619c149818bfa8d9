//! The calibrated default unit as a template: its tables (demand, telephone,
//! e-service, drop-in, booking) and its staff groups' weeks, read from the
//! text of the built-in default scenario so that their comments (the source
//! of every value) come along into the generated scenario.

use crate::scenario::builtin::DEFAULT_SCENARIO;
use crate::scenario::written::{parse_clock, parse_days};

/// The default's unit key, replaced by each imported unit's key.
const DEFAULT_UNIT: &str = "vc";
/// Listed patients of the default unit: staff per listed scale from it.
pub const DEFAULT_LISTED: f64 = 9000.0;

/// One staff group of the default unit.
#[derive(Clone, Debug)]
pub struct Template {
    /// The group's key in the default (`doctor`, `nurse_phone`, …).
    pub name: String,
    /// Its profession.
    pub profession: String,
    /// Heads in the default unit (for scaling to a unit without staff rows).
    pub count: f64,
    /// The comment above the group in the default.
    pub comment: Vec<String>,
    /// The lines inside its `shifts = [ … ]`, comments included.
    pub shifts: Vec<String>,
    /// Its `dated = [ … ]` line (dated head counts), if any.
    pub dated: Option<String>,
    /// Its `hired = [ … ]` line (hired staff by date), if any.
    pub hired: Option<String>,
    /// `cover = true`: a stand-in works its members' leave and absence.
    pub cover: bool,
    /// Its `summer_cover` share (the part of the summer leave a stand-in
    /// works), if given.
    pub summer_cover: Option<String>,
    /// Where a week read from the region's files came from
    /// (`schedules.csv, lines 2–4`); `None` for the default's groups.
    pub from: Option<String>,
}

impl Template {
    /// How it is named in a group's comment: the default's group, or the
    /// region's own week with its file and lines.
    pub fn described(&self, lang: crate::report::Lang) -> String {
        match (&self.from, lang) {
            (Some(from), crate::report::Lang::En) => {
                format!("the week `{}` from the region's {from}", self.name)
            }
            (Some(from), crate::report::Lang::Sv) => {
                format!("veckan `{}` från regionens {from}", self.name)
            }
            (None, crate::report::Lang::En) => {
                format!("the week of the default's `{}` group", self.name)
            }
            (None, crate::report::Lang::Sv) => {
                format!("veckan för standardvårdcentralens grupp `{}`", self.name)
            }
        }
    }

    /// The days that hold some of its week's blocks (a mask, bit 0 =
    /// Monday): the only days a part-time post of it is any use on.
    pub fn works(&self) -> u8 {
        (0..7)
            .filter(|d| week_hours(&self.shifts, 1 << d) > 0.0)
            .fold(0, |mask, d| mask | (1 << d))
    }
}

/// Hours a week of shift lines (`{ days = …, start = …, end = … }`) on the
/// weekdays of `mask`.
pub fn week_hours(lines: &[String], mask: u8) -> f64 {
    lines
        .iter()
        .filter_map(|l| {
            // In an array, as in the scenario: its comma and comment read.
            let table = format!("x = [\n{l}\n]").parse::<toml::Table>().ok()?;
            let block = table.get("x")?.as_array()?.first()?.as_table()?;
            let field = |k: &str| block.get(k).and_then(toml::Value::as_str);
            let days = parse_days(field("days")?)? & mask;
            let (start, end) = (parse_clock(field("start")?)?, parse_clock(field("end")?)?);
            Some(f64::from(days.count_ones()) * f64::from(end.saturating_sub(start)) / 3600.0)
        })
        .sum()
}

/// The default unit: its tables' text and its staff groups.
#[derive(Clone, Debug)]
pub struct Templates {
    /// The default file's lines before its first unit (name, simulation).
    pub head: Vec<String>,
    /// The unit's tables (from `[units.vc]` to its staff), key `vc`.
    pub unit: Vec<String>,
    /// Staff groups, in the default's order.
    list: Vec<Template>,
    /// Schedules from the region's files (`schedules.csv`), found first.
    extra: Vec<Template>,
    /// Everything after the unit (case mix, age groups).
    pub tail: Vec<String>,
}

impl Templates {
    /// Reads the built-in default.
    pub fn from_default() -> Templates {
        Templates::parse(DEFAULT_SCENARIO.1)
    }

    /// Reads a scenario text laid out like the default (one unit, its staff
    /// groups last, then the case mix).
    fn parse(text: &str) -> Templates {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let unit_header = format!("[units.{DEFAULT_UNIT}]");
        let staff_prefix = format!("[units.{DEFAULT_UNIT}.staff.");
        let find =
            |p: &dyn Fn(&str) -> bool| lines.iter().position(|l| p(l)).unwrap_or(lines.len());
        let unit_at = find(&|l| l.trim() == unit_header);
        let staff_at = find(&|l| l.starts_with(&staff_prefix));
        let tail_at = find(&|l| l.starts_with("[categories."));
        // Comments directly above a header belong to it.
        let comment_start = |at: usize| {
            let mut s = at;
            while s > 0 && lines[s - 1].starts_with('#') {
                s -= 1;
            }
            s
        };
        let unit_end = comment_start(staff_at);
        let tail_start = comment_start(tail_at);
        let mut list = Vec::new();
        let mut i = staff_at;
        while i < tail_start {
            let Some(name) = lines[i]
                .strip_prefix(&staff_prefix)
                .and_then(|r| r.strip_suffix(']'))
            else {
                i += 1;
                continue;
            };
            let comment = lines[comment_start(i)..i].to_vec();
            let mut t = Template {
                name: name.to_string(),
                profession: name.to_string(),
                count: 1.0,
                comment,
                shifts: Vec::new(),
                dated: None,
                hired: None,
                cover: false,
                summer_cover: None,
                from: None,
            };
            i += 1;
            while i < tail_start && !lines[i].starts_with('[') {
                let l = lines[i].trim();
                if let Some(v) = l.strip_prefix("profession = ") {
                    t.profession = v.trim_matches('"').to_string();
                } else if let Some(v) = l.strip_prefix("count = ") {
                    t.count = v
                        .split('#')
                        .next()
                        .unwrap_or("1")
                        .trim()
                        .parse()
                        .unwrap_or(1.0);
                } else if l.starts_with("dated = [") {
                    t.dated = Some(l.to_string());
                } else if l.starts_with("hired = [") {
                    t.hired = Some(l.to_string());
                } else if l.split('#').next().map(str::trim) == Some("cover = true") {
                    t.cover = true;
                } else if let Some(v) = l.strip_prefix("summer_cover = ") {
                    t.summer_cover = v.split('#').next().map(|v| v.trim().to_string());
                } else if l.starts_with("shifts = [") {
                    i += 1;
                    while i < tail_start && lines[i].trim() != "]" {
                        t.shifts.push(lines[i].clone());
                        i += 1;
                    }
                }
                i += 1;
            }
            list.push(t);
        }
        Templates {
            head: lines[..unit_at].to_vec(),
            unit: lines[unit_at..unit_end].to_vec(),
            list,
            extra: Vec::new(),
            tail: lines[tail_start..].to_vec(),
        }
    }

    /// The template named `name`.
    pub fn get(&self, name: &str) -> Option<&Template> {
        let find = |l: &'_ [Template]| l.iter().position(|t| t.name == name);
        find(&self.extra)
            .map(|i| &self.extra[i])
            .or_else(|| find(&self.list).map(|i| &self.list[i]))
    }

    /// Adds a schedule read from the region's files; it replaces a
    /// default group of the same name.
    pub fn add(&mut self, t: Template) {
        self.extra.retain(|o| o.name != t.name);
        self.extra.push(t);
    }

    /// Every template's name, in the default's order.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.list.iter().map(|t| t.name.as_str()).collect();
        for t in &self.extra {
            if !names.contains(&t.name.as_str()) {
                names.push(&t.name);
            }
        }
        names
    }

    /// The default unit's staff groups (what a unit without staff rows gets).
    pub fn all(&self) -> &[Template] {
        &self.list
    }

    /// The default unit's tables for unit `key`.
    pub fn unit_tables(&self, key: &str) -> Vec<String> {
        let from = format!("[units.{DEFAULT_UNIT}");
        let to = format!("[units.{key}");
        self.unit
            .iter()
            .map(|l| l.replacen(&from, &to, 1))
            .collect()
    }
}

/// Weekday names by bit (bit 0 = Monday).
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A weekday mask as a days spec: runs of three or more as `a-b`.
pub fn days_spec(mask: u8) -> String {
    let mut parts = Vec::new();
    let mut d = 0;
    while d < 7 {
        if mask & (1 << d) == 0 {
            d += 1;
            continue;
        }
        let start = d;
        while d + 1 < 7 && mask & (1 << (d + 1)) != 0 {
            d += 1;
        }
        match d - start {
            0 => parts.push(DAYS[start].to_string()),
            1 => parts.push(format!("{},{}", DAYS[start], DAYS[d])),
            _ => parts.push(format!("{}-{}", DAYS[start], DAYS[d])),
        }
        d += 1;
    }
    parts.join(",")
}

/// The number of weekdays a part-time post of `fte` works: a fifth of a
/// post each, one to five.
pub fn part_time_weekdays(fte: f64) -> u32 {
    ((5.0 * fte).round() as u32).clamp(1, 5)
}

/// The weekdays a lone part-time post of `n` weekdays works: spread over
/// the week (wed; tue,thu; mon,wed,fri; mon-thu; mon-fri).
fn lone_post_days(n: u32) -> u8 {
    const SETS: [u8; 5] = [
        0b00100, // wed
        0b01010, // tue, thu
        0b10101, // mon, wed, fri
        0b01111, // mon-thu
        0b11111, // mon-fri
    ];
    SETS[n.clamp(1, 5) as usize - 1]
}

/// The weekdays in the order a post takes them among equals: mid-week
/// first, as the lone posts' patterns (wed, tue, thu, mon, fri).
const WEEKDAY_PREFERENCE: [usize; 5] = [2, 1, 3, 0, 4];

/// The `n` weekdays of a part-time post whose week has blocks on `works`
/// (a day without blocks is no use to it): the days fewest of its
/// profession's part-time posts at the unit already work (`covered`,
/// Monday first) before the others, so that several small posts cover
/// the week rather than all its Wednesday; ties as a lone post of `n`
/// days, so that one post alone keeps `lone_post_days`' pattern. A week
/// without weekday blocks gets that pattern (and its post no block).
pub fn part_time_days(n: u32, works: u8, covered: &[u32; 5]) -> u8 {
    let lone = lone_post_days(n);
    if works & 0x1f == 0 {
        return lone;
    }
    let mut days: Vec<usize> = (0..5).filter(|d| works & (1 << d) != 0).collect();
    days.sort_by_key(|&d| {
        (
            covered[d],
            lone & (1 << d) == 0,
            WEEKDAY_PREFERENCE.iter().position(|&p| p == d),
        )
    });
    days.iter()
        .take(n as usize)
        .fold(0, |mask, &d| mask | (1 << d))
}

/// A shift line with its `days` limited to `mask`; `None` if no day is left.
pub fn limit_days(line: &str, mask: u8) -> Option<String> {
    let start = line.find("days = \"")? + "days = \"".len();
    let len = line[start..].find('"')?;
    let days = parse_days(&line[start..start + len])? & mask;
    (days != 0).then(|| {
        format!(
            "{}{}{}",
            &line[..start],
            days_spec(days),
            &line[start + len..]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_unit_reads_as_a_template() {
        let t = Templates::from_default();
        assert_eq!(
            t.names(),
            [
                "doctor",
                "nurse_phone",
                "nurse_monday",
                "nurse_morning_phone",
                "nurse_winter",
                "nurse_visits",
                "nurse_chronic",
                "nurse_dropin",
                "assistant_nurse",
                "physiotherapist",
                "counsellor",
                "psychologist",
            ]
        );
        let phone = t.get("nurse_phone").unwrap();
        assert_eq!(phone.profession, "district_nurse");
        assert_eq!(phone.count, 2.0);
        assert_eq!(phone.shifts.len(), 2);
        let doctor = t.get("doctor").unwrap();
        assert_eq!(doctor.count, 6.0);
        assert!(
            doctor.comment[0].starts_with("# Doctors"),
            "{:?}",
            doctor.comment
        );
        assert!(t.unit_tables("lit")[0] == "[units.lit]");
        assert!(t.tail[0].starts_with("# Case mix"), "{:?}", t.tail[0]);
        assert!(t.head.iter().any(|l| l.starts_with("[simulation]")));
    }

    #[test]
    fn part_time_weeks() {
        assert_eq!(days_spec(0x1f), "mon-fri");
        assert_eq!(days_spec(0b10101), "mon,wed,fri");
        assert_eq!(days_spec(0b01011), "mon,tue,thu");
        let l = r#"  { days = "mon-thu", start = "14:00", end = "15:00", activity = "visits" },"#;
        assert_eq!(
            limit_days(l, 0b10101).unwrap(),
            r#"  { days = "mon,wed", start = "14:00", end = "15:00", activity = "visits" },"#
        );
        assert_eq!(limit_days(r#"{ days = "fri" }"#, 0b00100), None);
        assert_eq!(part_time_weekdays(0.6), 3);
        assert_eq!(part_time_weekdays(0.05), 1);
        assert_eq!(part_time_weekdays(1.0), 5);
    }

    /// One part-time post alone keeps the documented pattern; several of
    /// one profession at a unit are spread, the least covered weekday
    /// first; a post only takes days its week has blocks on.
    #[test]
    fn part_time_posts_spread_over_the_weekdays() {
        let week = 0b11111;
        let none = [0; 5];
        let lone: Vec<String> = (1..=5)
            .map(|n| days_spec(part_time_days(n, week, &none)))
            .collect();
        assert_eq!(
            lone,
            ["wed", "tue,thu", "mon,wed,fri", "mon-thu", "mon-fri"]
        );
        // Five one-day posts in turn: Wednesday, then mid-week outwards.
        let mut covered = [0; 5];
        let mut chosen = Vec::new();
        for _ in 0..5 {
            let days = part_time_days(1, week, &covered);
            for (d, c) in covered.iter_mut().enumerate() {
                *c += u32::from((days >> d) & 1);
            }
            chosen.push(days_spec(days));
        }
        assert_eq!(chosen, ["wed", "tue", "thu", "mon", "fri"]);
        assert_eq!(covered, [1; 5]);
        // After a mon,wed,fri post a two-day post takes the other days;
        // after tue,thu a three-day post keeps its own.
        assert_eq!(part_time_days(2, week, &[1, 0, 1, 0, 1]), 0b01010);
        assert_eq!(part_time_days(3, week, &[0, 1, 0, 1, 0]), 0b10101);
        assert_eq!(part_time_days(2, week, &[0, 0, 1, 0, 0]), 0b01010);
        assert_eq!(part_time_days(4, week, &[0, 0, 1, 1, 0]), 0b10111);
        // Only the template's days: a Monday week gets Monday, a tue,thu
        // week two of its days at most, a weekend week the pattern.
        assert_eq!(part_time_days(1, 0b00001, &none), 0b00001);
        assert_eq!(part_time_days(3, 0b01010, &none), 0b01010);
        assert_eq!(part_time_days(1, 0b11001, &[1, 0, 0, 0, 0]), 0b01000);
        assert_eq!(part_time_days(1, 0b110_0000, &none), 0b00100);
    }
}
