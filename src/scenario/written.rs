//! Text keys with a form, as the raw serde layer reads them: day lists
//! (`"mon-fri"`), clock times (`"08:30"`), weekly times (`"mon 08:00"`) and
//! lists that must not be empty. Like [`super::bounded`], each type checks
//! its form while reading and refuses a wrong value with a [`Refusal`]
//! (expected, found, hint, and a value that stands in so that the rest of
//! the table is still checked); its `JsonSchema` carries a `pattern` or
//! `minItems`. [`super::validate`] keeps only checks across keys (a block's
//! end after its start, overlapping blocks) and references.
//!
//! ```
//! use vardsim::scenario::written::{Clock, Days};
//! let d: Days = serde_json::from_str("\"mon-fri\"").unwrap();
//! assert_eq!(d.mask(), 0x1f);
//! let c: Clock = serde_json::from_str("\"08:30\"").unwrap();
//! assert_eq!(c.seconds(), 8 * 3600 + 30 * 60);
//! let err = serde_json::from_str::<Days>("\"fri-mon\"").unwrap_err().to_string();
//! assert!(err.contains("expected days like \"mon-fri\", found \"fri-mon\""));
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::bounded::{Inside, Refusal};
use super::source::{MAX_NAME_BYTES, NAME_HINT, check_file_name};
use crate::engine::Weekday;

/// A days spec → weekday bit mask (bit 0 = Monday): `all` (or `daily`),
/// `weekdays`, `weekend`, a range `mon-fri`, a list `mon,wed,fri`, one day
/// `sat`, or a list of ranges; full or three-letter names, any case.
pub fn parse_days(s: &str) -> Option<u8> {
    let s = s.trim().to_ascii_lowercase();
    match s.as_str() {
        "all" | "daily" => return Some(0x7f),
        "weekdays" => return Some(0x1f),
        "weekend" => return Some(0x60),
        _ => {}
    }
    let mut mask = 0u8;
    for part in s.split(',') {
        let part = part.trim();
        if let Some((a, b)) = part.split_once('-') {
            let (a, b) = (Weekday::parse(a)?.index(), Weekday::parse(b)?.index());
            if b < a {
                return None;
            }
            for d in a..=b {
                mask |= 1 << d;
            }
        } else {
            mask |= 1 << Weekday::parse(part)?.index();
        }
    }
    (mask != 0).then_some(mask)
}

/// `HH:MM` → seconds since midnight; `24:00` allowed.
pub fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 3600 + m * 60)
}

/// `<weekday> HH:MM` → seconds since Monday 00:00 (`24:00` is not a time
/// of a day here: it would be the next day's `00:00`).
pub fn parse_weekly_time(s: &str) -> Option<u64> {
    let (d, c) = s.trim().split_once(' ')?;
    let (d, c) = (Weekday::parse(d)?, parse_clock(c)?);
    (c < 86_400).then(|| d.index() as u64 * 86_400 + u64::from(c))
}

/// `word` with each letter as a class of both cases, for a JSON Schema
/// `pattern` (ECMA-262 has no case-insensitive flag inside the pattern).
fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A weekday's name, full or three letters, any case.
fn day_pattern() -> String {
    let names: Vec<String> = Weekday::ALL
        .iter()
        .map(|d| {
            let key = d.key();
            format!("{}({})?", any_case(&key[..3]), any_case(&key[3..]))
        })
        .collect();
    format!("({})", names.join("|"))
}

/// A clock time `HH:MM`, `24:00` included when `midnight_end`.
fn clock_pattern(midnight_end: bool) -> String {
    let day = r"\+?0*([01]?[0-9]|2[0-3]):\+?0*[0-5]?[0-9]";
    if midnight_end {
        format!(r"({day}|\+?0*24:\+?0*0)")
    } else {
        format!("({day})")
    }
}

/// Weekdays a block is on, e.g. `"mon-fri"`; kept with its text for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Days {
    mask: u8,
    text: String,
}

impl Days {
    /// The weekday bit mask (bit 0 = Monday); never 0.
    pub fn mask(&self) -> u8 {
        self.mask
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match parse_days(&text) {
            Some(mask) => Ok(Days { mask, text }),
            None => Err(serde::de::Error::custom(Refusal {
                expected: "days like \"mon-fri\"".into(),
                found: format!("{text:?}"),
                hint: Some(
                    "use all, weekdays, weekend, a range mon-fri, or a list mon,wed,fri".into(),
                ),
                inside: Some(Inside::Text("all".into())),
                bounds: None,
            })),
        }
    }
}

impl Serialize for Days {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl JsonSchema for Days {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Days".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // The form; that a range runs forward (`mon-fri`, not `fri-mon`) is
        // beyond a pattern and checked while reading.
        let day = day_pattern();
        let part = format!(r"{day}(\s*-\s*{day})?");
        let named = ["all", "daily", "weekdays", "weekend"]
            .map(any_case)
            .join("|");
        let pattern = format!(r"^\s*({named}|{part}(\s*,\s*{part})*)\s*$");
        schemars::json_schema!({ "type": "string", "pattern": pattern, "x-type": "days" })
    }
}

/// A time of day, `"08:30"`, as seconds since midnight (`"24:00"` is 86 400,
/// the end of a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Clock(u32);

impl Clock {
    /// Seconds since midnight, 0 ..= 86 400.
    pub fn seconds(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 3600, self.0 % 3600 / 60)
    }
}

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_clock(&text).map(Clock).ok_or_else(|| {
            serde::de::Error::custom(Refusal {
                expected: "a time of day HH:MM (00:00–24:00)".into(),
                found: format!("{text:?}"),
                hint: Some("write times as \"08:00\" or \"17:30\"".into()),
                inside: Some(Inside::Text("00:00".into())),
                bounds: None,
            })
        })
    }
}

impl Serialize for Clock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Clock {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Clock".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let pattern = format!(r"^\s*{}\s*$", clock_pattern(true));
        schemars::json_schema!({ "type": "string", "pattern": pattern, "x-type": "HH:MM" })
    }
}

/// A calendar date without a year, `"07-01"` (1 July), as the day of the
/// simulated 365-day year (0 = 1 January; there is no 29 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay(u16);

/// Days of the months of the simulated year.
const MONTH_LENGTHS: [u16; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

impl MonthDay {
    /// Day of the year, 0 = 1 January … 364 = 31 December.
    pub fn day_of_year(self) -> u16 {
        self.0
    }
    /// `"MM-DD"` (no 02-29), or `None`.
    pub fn parse(text: &str) -> Option<Self> {
        parse_month_day(text).map(MonthDay)
    }
    /// The date of day of the year `doy` (below 365).
    pub const fn from_day_of_year(doy: u16) -> Self {
        assert!(doy < 365, "a 365-day year");
        MonthDay(doy)
    }
}

/// `"MM-DD"` to the day of the year.
fn parse_month_day(text: &str) -> Option<u16> {
    let (m, d) = text.trim().split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (m, d): (usize, u16) = (m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || d == 0 || d > MONTH_LENGTHS[m - 1] {
        return None;
    }
    Some(MONTH_LENGTHS[..m - 1].iter().sum::<u16>() + d - 1)
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (mut m, mut d) = (0, self.0);
        while d >= MONTH_LENGTHS[m] {
            d -= MONTH_LENGTHS[m];
            m += 1;
        }
        write!(f, "{:02}-{:02}", m + 1, d + 1)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_month_day(&text).map(MonthDay).ok_or_else(|| {
            serde::de::Error::custom(Refusal {
                expected: "a date MM-DD (01-01–12-31, no 02-29)".into(),
                found: format!("{text:?}"),
                hint: Some("write dates as \"07-01\" for 1 July".into()),
                inside: Some(Inside::Text("01-01".into())),
                bounds: None,
            })
        })
    }
}

impl Serialize for MonthDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for MonthDay {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MonthDay".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": r"^\s*(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\s*$",
            "x-type": "MM-DD"
        })
    }
}

/// One arrival of a fixed weekly timetable, `"mon 08:00"`, as seconds since
/// Monday 00:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WeeklyTime(u64);

impl WeeklyTime {
    /// Seconds since Monday 00:00, below a week.
    pub fn seconds(self) -> u64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for WeeklyTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_weekly_time(&text).map(WeeklyTime).ok_or_else(|| {
            serde::de::Error::custom(Refusal {
                expected: "\"<weekday> HH:MM\"".into(),
                found: format!("{text:?}"),
                hint: Some("e.g. weekly_times = [\"mon 08:00\", \"mon 08:05\"]".into()),
                inside: Some(Inside::Text("mon 00:00".into())),
                bounds: None,
            })
        })
    }
}

impl Serialize for WeeklyTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let day = Weekday::ALL[(self.0 / 86_400) as usize].key();
        let clock = Clock((self.0 % 86_400) as u32);
        s.collect_str(&format_args!("{} {clock}", &day[..3]))
    }
}

impl JsonSchema for WeeklyTime {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "WeeklyTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let pattern = format!(r"^\s*{} \s*{}\s*$", day_pattern(), clock_pattern(false));
        schemars::json_schema!({ "type": "string", "pattern": pattern, "x-type": "\"<weekday> HH:MM\"" })
    }
}

/// A scenario's name: it becomes the output folder `output/<name>/`, so it
/// must be one safe folder name ([`check_file_name`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderName(String);

impl FolderName {
    /// The name.
    pub fn get(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for FolderName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        match check_file_name(&name) {
            Ok(()) => Ok(FolderName(name)),
            Err(why) => {
                let mut shown: String = name.chars().take(60).collect();
                if shown.len() < name.len() {
                    shown.push('…');
                }
                Err(serde::de::Error::custom(Refusal {
                    expected: "a name that can be one folder name".into(),
                    found: format!("{shown:?}"),
                    hint: Some(format!("{why}; {NAME_HINT}")),
                    inside: Some(Inside::Text("scenario".into())),
                    bounds: None,
                }))
            }
        }
    }
}

impl Serialize for FolderName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl JsonSchema for FolderName {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FolderName".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // What a pattern can say: not empty or blank, no separator or
        // character a file system refuses, no leading dot; device names
        // and the trailing dot or space are checked while reading.
        schemars::json_schema!({
            "type": "string",
            "pattern": r#"^[^./\\:<>"|?*\u0000-\u001f\u007f][^/\\:<>"|?*\u0000-\u001f\u007f]*$"#,
            "minLength": 1,
            "maxLength": MAX_NAME_BYTES,
            "x-type": "folder name",
        })
    }
}

/// Profession keys, at least one (`["doctor"]`); which keys exist is a
/// reference, checked by [`super::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfessionKeys(pub Vec<String>);

impl ProfessionKeys {
    /// The keys, in the order written.
    pub fn get(&self) -> &[String] {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ProfessionKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let keys = Vec::<String>::deserialize(d)?;
        if keys.is_empty() {
            return Err(serde::de::Error::custom(Refusal {
                expected: "at least one profession".into(),
                found: "[]".into(),
                hint: Some("e.g. [\"doctor\"], or leave the key out for the default".into()),
                inside: None,
                bounds: None,
            }));
        }
        Ok(ProfessionKeys(keys))
    }
}

impl Serialize for ProfessionKeys {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl JsonSchema for ProfessionKeys {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ProfessionKeys".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "array",
            "items": { "type": "string" },
            "minItems": 1,
            "x-type": "non-empty array of profession keys",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_days() {
        assert_eq!(parse_clock("08:30"), Some(8 * 3600 + 1800));
        assert_eq!(parse_clock("24:00"), Some(86_400));
        assert_eq!(parse_clock("24:30"), None);
        assert_eq!(parse_clock("8"), None);
        assert_eq!(parse_days("mon-fri"), Some(0x1f));
        assert_eq!(parse_days("sat,sun"), Some(0x60));
        assert_eq!(parse_days("mon, wed"), Some(0b101));
        assert_eq!(parse_days("fri-mon"), None);
        assert_eq!(parse_days("someday"), None);
        assert_eq!(
            parse_weekly_time("tue 13:30"),
            Some(86_400 + 13 * 3600 + 1800)
        );
        assert_eq!(parse_weekly_time("mon 24:00"), None);
    }

    #[test]
    fn forms_are_checked_while_reading() {
        let md = |t: &str| serde_json::from_str::<MonthDay>(t);
        assert_eq!(md("\"01-01\"").unwrap().day_of_year(), 0);
        assert_eq!(md("\"07-01\"").unwrap().day_of_year(), 181);
        assert_eq!(md("\"12-31\"").unwrap().day_of_year(), 364);
        assert_eq!(md("\"07-01\"").unwrap().to_string(), "07-01");
        for bad in ["\"02-29\"", "\"13-01\"", "\"7-1\"", "\"06-31\""] {
            assert!(md(bad).is_err(), "{bad}");
        }
        let e = serde_json::from_str::<Clock>("\"25:00\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("expected a time of day HH:MM (00:00–24:00), found \"25:00\""),
            "{e}"
        );
        let e = serde_json::from_str::<WeeklyTime>("\"monday\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("expected \"<weekday> HH:MM\", found \"monday\""),
            "{e}"
        );
        let e = serde_json::from_str::<ProfessionKeys>("[]")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("expected at least one profession, found []"),
            "{e}"
        );
        let t: WeeklyTime = serde_json::from_str("\"Tue 13:30\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"tue 13:30\"");
    }

    /// The schema's patterns accept exactly what the parsers accept, on a
    /// spread of written forms (the order of a range aside, which no
    /// pattern sees).
    #[test]
    fn patterns_agree_with_the_parsers() {
        // Checked by a JSON Schema validator, so with ECMA-262 semantics.
        struct Pattern(jsonschema::Validator);
        impl Pattern {
            fn is_match(&self, s: &str) -> bool {
                self.0.is_valid(&serde_json::json!(s))
            }
        }
        let pattern = |schema: schemars::Schema| {
            Pattern(jsonschema::validator_for(&schema.to_value()).expect("a valid schema"))
        };
        let mut g = schemars::SchemaGenerator::default();
        let days = pattern(Days::json_schema(&mut g));
        for s in [
            "mon-fri",
            "Mon-Fri",
            "sat,sun",
            "mon, wed",
            " all ",
            "daily",
            "weekdays",
            "weekend",
            "monday-friday",
            "mon-wed,fri",
            "someday",
            "",
            "mon,",
            "mo",
            "mon-",
            "monfri",
        ] {
            assert_eq!(days.is_match(s), parse_days(s).is_some(), "{s:?}");
        }
        let clock = pattern(Clock::json_schema(&mut g));
        for s in [
            "08:30", "8:30", "24:00", "24:30", "23:59", "00:00", "8", "08:60", "25:00", "08:",
            ":30", " 17:30 ", "7:5",
        ] {
            assert_eq!(clock.is_match(s), parse_clock(s).is_some(), "{s:?}");
        }
        let weekly = pattern(WeeklyTime::json_schema(&mut g));
        for s in [
            "mon 08:00",
            "Tue 13:30",
            "mon 24:00",
            "monday",
            "mon08:00",
            "sun 23:59",
        ] {
            assert_eq!(weekly.is_match(s), parse_weekly_time(s).is_some(), "{s:?}");
        }
    }
}
