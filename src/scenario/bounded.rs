//! Numbers with a range, as the raw serde layer reads them: each numeric key
//! of a scenario has one of these types, so its bound is written once, next
//! to the key, and checked while reading (before anything is allocated).
//!
//! A type's `Deserialize` refuses a value outside its range with a
//! [`Refusal`] (what was expected, with the bound; what was found; a hint),
//! and its `JsonSchema` carries `minimum` and `maximum`, so the bound shows in
//! `docs/scenario.schema.json` and in the key tables of `docs/scenario.md`.
//! [`super::validate`] keeps only checks that need more than one key.
//!
//! ```
//! use vardsim::scenario::bounded::Share;
//! let ok: Share = serde_json::from_str("0.07").unwrap();
//! assert_eq!(ok.get(), 0.07);
//! let err = serde_json::from_str::<Share>("7").unwrap_err().to_string();
//! assert!(err.contains("expected a share (a fraction) from 0 to 1, found 7"));
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a value was refused by its type: carried through serde's
/// `Error::custom` as text. Plain `{}` is the message for people (what any
/// deserializer shows); the alternate form `{:#}` is a marked encoding that the
/// scenario loader's deserializer decodes back into this struct, so that no
/// code reads meaning out of message wording.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// What the key takes, with its bound: `a share (a fraction) from 0 to 1`.
    pub expected: String,
    /// What was written: `7`.
    pub found: String,
    /// How to write it right.
    pub hint: Option<String>,
    /// A value inside the bound, to stand in for the refused one so that the
    /// rest of its table is still checked; `None` when there is none.
    pub inside: Option<Inside>,
    /// A number's bound `(min, max)`, so that a hint's example for the key
    /// lies inside it (a probability's is not `2.5`); `None` for the rest.
    pub bounds: Option<(f64, f64)>,
}

/// A value a type accepts, standing in for a refused one.
#[derive(Debug, Clone, PartialEq)]
pub enum Inside {
    /// A number (written as an integer when the refused one was).
    Number(f64),
    /// A string, e.g. `"00:00"` for a refused clock time.
    Text(String),
}

/// Starts and separates the fields of the encoding (never in our texts).
const MARK: char = '\u{1}';
/// Names the encoding after the first mark.
const TAG: &str = "vardsim-refusal";

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            // `n` or `t` says which kind of stand-in follows.
            let inside = match &self.inside {
                None => String::new(),
                Some(Inside::Number(x)) => format!("n{x}"),
                Some(Inside::Text(t)) => format!("t{t}"),
            };
            let hint = self.hint.as_deref().unwrap_or("");
            // `min;max` (Display of f64 reads back exactly), or nothing.
            let bounds = match self.bounds {
                Some((min, max)) => format!("{min};{max}"),
                None => String::new(),
            };
            write!(
                f,
                "{MARK}{TAG}{MARK}{}{MARK}{}{MARK}{hint}{MARK}{inside}{MARK}{bounds}",
                self.expected, self.found
            )
        } else {
            write!(f, "expected {}, found {}", self.expected, self.found)?;
            match &self.hint {
                Some(h) => write!(f, " ({h})"),
                None => Ok(()),
            }
        }
    }
}

impl Refusal {
    /// The refusal encoded by `{:#}`, if `text` is one.
    pub fn decode(text: &str) -> Option<Refusal> {
        let rest = text
            .strip_prefix(MARK)?
            .strip_prefix(TAG)?
            .strip_prefix(MARK)?;
        let mut parts = rest.split(MARK);
        let expected = parts.next()?.to_string();
        let found = parts.next()?.to_string();
        let hint = Some(parts.next()?)
            .filter(|h| !h.is_empty())
            .map(str::to_string);
        let inside = parts.next()?;
        let inside = if inside.is_empty() {
            None
        } else if let Some(x) = inside.strip_prefix('n') {
            Some(Inside::Number(x.parse().ok()?))
        } else {
            Some(Inside::Text(inside.strip_prefix('t')?.to_string()))
        };
        let bounds = match parts.next()? {
            "" => None,
            b => {
                let (min, max) = b.split_once(';')?;
                Some((min.parse().ok()?, max.parse().ok()?))
            }
        };
        parts.next().is_none().then_some(Refusal {
            expected,
            found,
            hint,
            inside,
            bounds,
        })
    }

    /// The refusal of `x` (written `found`) outside `min ..= max`; the
    /// nearest bound stands in for it, except that a fraction stands in as 0,
    /// which switches nothing on (a follow-up share of 1 would ask for
    /// `follow_up_days`: a problem the user did not make).
    fn range(found: String, x: f64, min: f64, max: f64, what: &str, hint: &str) -> Refusal {
        let expected = if min == max {
            format!("{what} {}", number(min))
        } else {
            format!("{what} from {} to {}", number(min), number(max))
        };
        Refusal {
            expected,
            found,
            hint: Some(hint.to_string()),
            inside: Some(Inside::Number(if x.is_nan() || max <= 1.0 {
                min
            } else {
                x.clamp(min, max)
            })),
            bounds: Some((min, max)),
        }
    }
}

/// A number for a message: huge ones in exponent form (`1e308`), not 309 digits.
pub fn number(x: f64) -> String {
    if x.is_finite() && x.abs() < 1e9 {
        x.to_string()
    } else {
        format!("{x:e}")
    }
}

/// Whether `min ≤ x ≤ max` (in a const).
const fn within(x: f64, min: f64, max: f64) -> bool {
    x >= min && x <= max
}

/// A whole number `MIN ..= MAX`: read as an integer (any size TOML holds, so
/// that `-1` or `4294967296` get the bound, not a type's range), kept as `u32`.
macro_rules! bounded_int {
    ($(
        $(#[$doc:meta])*
        $name:ident: [$min:expr, $max:expr], $what:literal, $hint:literal;
    )*) => {$(
        $(#[$doc])*
        #[doc = concat!("\n\nFrom ", stringify!($min), " to ", stringify!($max), ".")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// The smallest value.
            pub const MIN: u32 = $min;
            /// The largest value.
            pub const MAX: u32 = $max;
            /// `x`, which must be in range (checked at compile time in a const).
            pub const fn new(x: u32) -> Self {
                assert!(within(x as f64, $min as f64, $max as f64), "out of range");
                $name(x)
            }
            /// The number.
            pub const fn get(self) -> u32 {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let x = i64::deserialize(d)?;
                if ($min..=$max).contains(&x) {
                    Ok($name(x as u32))
                } else {
                    let r = Refusal::range(x.to_string(), x as f64, $min as f64, $max as f64, $what, $hint);
                    Err(serde::de::Error::custom(r))
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u32(self.0)
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "integer",
                    "minimum": $min,
                    "maximum": $max,
                })
            }
        }
    )*};
}

/// A finite number `MIN ..= MAX`.
macro_rules! bounded_num {
    ($(
        $(#[$doc:meta])*
        $name:ident: [$min:expr, $max:expr], $what:literal, $hint:literal;
    )*) => {$(
        $(#[$doc])*
        #[doc = concat!("\n\nFrom ", stringify!($min), " to ", stringify!($max), ".")]
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
        pub struct $name(f64);

        impl $name {
            /// The smallest value.
            pub const MIN: f64 = $min;
            /// The largest value.
            pub const MAX: f64 = $max;
            /// `x`, which must be in range (checked at compile time in a const).
            pub const fn new(x: f64) -> Self {
                assert!(within(x, $min, $max), "out of range");
                $name(x)
            }
            /// The number.
            pub const fn get(self) -> f64 {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let x = f64::deserialize(d)?;
                if x.is_finite() && ($min..=$max).contains(&x) {
                    Ok($name(x))
                } else {
                    let r = Refusal::range(number(x), x, $min, $max, $what, $hint);
                    Err(serde::de::Error::custom(r))
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_f64(self.0)
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "number",
                    "minimum": $min,
                    "maximum": $max,
                })
            }
        }
    )*};
}

bounded_int! {
    /// The scenario format's version: only 1 exists.
    FormatVersion: [1, 1], "format version", "this vardsim reads scenario format v1";
    /// A run length in days: ten years at most.
    HorizonDays: [1, 3660], "a number of days",
        "ten years at most: a run of one to a few years answers planning questions; use more replications for precision";
    /// Warm-up days (fewer than the horizon, checked by `validate`).
    WarmupDays: [0, 3659], "a number of days",
        "the warm-up ends before the horizon (at most 3 660 days); metrics count only the days after it";
    /// A month of the year.
    Month: [1, 12], "a month", "1 is January, 12 December";
    /// Listed inhabitants of one unit: above the largest region (Stockholm's
    /// ≈ 2.4 M) split over units.
    Listed: [0, 2000000], "listed inhabitants",
        "one unit is one health centre (≈ 9 000 listed); split a region into units";
    /// Staff members with one schedule (a group, or one profession in a
    /// crew): a health centre has tens.
    HeadCount: [0, 1000], "a head count",
        "staff members sharing one weekly schedule; a health centre has tens";
    /// Crews of one mobile team.
    Crews: [1, 100], "a number of crews", "a crew is one vehicle; a region's team has a few";
    /// Patients already waiting at which a walk-in leaves.
    QueueLength: [0, 10000], "a queue length",
        "patients already waiting; leave the key out for no limit";
    /// How many days ahead a kind of slot can be booked: a year at most.
    LeadDays: [0, 365], "a number of days ahead",
        "a book opens at most a year ahead; regular books open two to eight weeks ahead";
    /// A guarantee rule's deadline in days: a year at most.
    DeadlineDays: [0, 365], "a number of days",
        "care-guarantee deadlines are days after the first contact: 0, 3, 7, 90";
    /// A wait threshold in minutes: a day at most.
    ThresholdMinutes: [0, 1440], "a number of minutes",
        "a drop-in wait threshold, e.g. 30 or 60";
    /// A calendar year (public holidays, Easter).
    Year: [1900, 2200], "a year", "the calendar year of the first measured day, e.g. 2024";
    /// Weeks of consecutive summer leave: the law gives four in June–August.
    SummerWeeks: [0, 8], "a number of weeks",
        "semesterlagen gives four consecutive weeks in June–August; 0 = no summer leave";
    /// Extra days a patient waits for their named clinician.
    ContinuityWaitDays: [0, 90], "a number of days",
        "extra days a patient waits for their named clinician's time over the earliest one; 0 = no preference";
    /// Summer leave periods that staff take in turn.
    SummerPeriods: [1, 6], "a number of periods",
        "units split the summer in two or three periods that staff take in turn";
}

bounded_num! {
    /// A fraction of a whole: 7 % is 0.07.
    Share: [0.0, 1.0], "a share (a fraction)", "shares are fractions of the unit's contacts: 7 % is 0.07";
    /// A probability.
    Probability: [0.0, 1.0], "a probability", "a probability is a fraction: 7 % is 0.07";
    /// Share of patients who decline an offered first time and go
    /// elsewhere, per week of the offered wait.
    ElsewherePerWeek: [0.0, 1.0], "a share of patients per week of offered wait (a fraction)",
        "0.1 sends a tenth of those offered a time a week away elsewhere, a fifth of those offered two weeks";
    /// A fraction of a unit's listed patients.
    ListedShare: [0.0, 1.0], "a share of the listed patients (a fraction)",
        "about 3 in 10 Swedes have a named GP: 0.3";
    /// A relative weight: only ratios matter.
    Weight: [0.0, 1e6], "a relative weight",
        "weights are relative: only their ratios matter, e.g. 1 and 3";
    /// A profile's multiplier (profiles may hold counts, not only factors).
    Multiplier: [0.0, 1e6], "a multiplier", "profile values multiply the rate; 1 is no change";
    /// New contacts per listed inhabitant and year.
    ContactsPerListed: [0.0, 50.0], "contacts per listed inhabitant and year",
        "Sweden's average is about 3 contacts per listed inhabitant and year";
    /// Planned visits per listed inhabitant and year.
    VisitsPerListed: [0.0, 50.0], "visits per listed inhabitant and year",
        "Sweden has about 4.6 primary-care visits per inhabitant and year, all professions and kinds together";
    /// Coefficient of variation of the day factor.
    DayCv: [0.0, 5.0], "a coefficient of variation",
        "real daily counts vary by 0.1–0.3 around their mean";
    /// Arrivals per open hour of one channel: above any unit's busiest line
    /// (a whole region's 1177 line takes some hundreds).
    PerHour: [0.0, 10000.0], "a rate (patients per open hour)",
        "a rate is an average count per hour, e.g. per_hour = 2.4";
    /// A mobile team's requests per duty day or visits per week.
    TeamRate: [0.0, 10000.0], "a rate",
        "a mobile team makes some visits a day per crew; a region's team a few hundred a week";
    /// A slot's length in minutes: a day at most.
    SlotMinutes: [1.0, 1440.0], "a number of minutes",
        "a slot lasts from a minute to a day; 10–30 minutes is usual";
    /// An employer's cost per full-time year, SEK.
    Sek: [0.0, 1e8], "an amount in SEK per full-time year",
        "a doctor costs about 1.5 million SEK a year with on-costs";
    /// An amount in SEK per visit or admission.
    SekPerVisit: [0.0, 1e7], "an amount in SEK per visit",
        "an emergency department visit costs some thousand SEK, an admission some tens of thousands";
    /// Mean length of an unplanned absence (a sick spell), working days.
    SpellDays: [1.0, 60.0], "a number of days",
        "short sick spells last a few days; long-term sick leave is a vacancy";
    /// A hired staff member's cost over an employed one's.
    CostFactor: [1.0, 10.0], "a cost factor",
        "1 = the employed cost; a hired doctor costs 1.5–2 times an employed one";
    /// An average road speed, km/h.
    SpeedKmh: [1.0, 200.0], "a speed in km/h", "an average road speed, e.g. speed_kmh = 60";
    /// A travel-time factor (detour, winter).
    Factor: [1.0, 10.0], "a factor", "1 = no detour or slowdown; 1.3 = 30 % longer";
    /// A distribution's parameter: its magnitude is bounded here, its sign
    /// and the relations between parameters by the distribution.
    DistParam: [-1e6, 1e6], "a distribution parameter",
        "minutes for durations (1 000 000 is about two years), days for intervals, km for distances";
    /// The upper bound of a distance band from a unit to its patients' homes, km.
    BandKm: [0.1, 2000.0], "a distance in km",
        "a band's upper bound in km from the unit, e.g. upper_km = [10, 30, 80]";
    /// Kilometres east or north of a mobile team's base: Sweden is about
    /// 1 600 km long.
    Km: [-2000.0, 2000.0], "a distance in km from the base",
        "places are km east (x) and north (y) of the base, negative west or south";
}

/// Probabilities by lead time: same day, next day, 2–7 days, more than 7 days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeadCurve(pub [Probability; 4]);

impl LeadCurve {
    /// The four probabilities.
    pub fn get(&self) -> [f64; 4] {
        self.0.map(Probability::get)
    }
}

impl Serialize for LeadCurve {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for LeadCurve {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let values = Vec::<Probability>::deserialize(d)?;
        let n = values.len();
        <[Probability; 4]>::try_from(values).map(LeadCurve).map_err(|_| {
            let r = Refusal {
                expected: "4 probabilities".into(),
                found: n.to_string(),
                hint: Some("same day, next day, 2–7 days, more than 7 days: e.g. [0.019, 0.05, 0.068, 0.085]".into()),
                inside: None,
                bounds: None,
            };
            serde::de::Error::custom(r)
        })
    }
}

impl JsonSchema for LeadCurve {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LeadCurve".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let item = g.subschema_for::<Probability>();
        schemars::json_schema!({ "type": "array", "items": item, "minItems": 4, "maxItems": 4 })
    }
}

/// The drop-in wait thresholds: each one adds a metric to every
/// replication, so at most [`Thresholds::MAX`].
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds(pub Vec<ThresholdMinutes>);

impl Thresholds {
    /// Most thresholds.
    pub const MAX: usize = 20;
}

impl Serialize for Thresholds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Thresholds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let values = Vec::<ThresholdMinutes>::deserialize(d)?;
        if values.len() <= Self::MAX {
            return Ok(Thresholds(values));
        }
        Err(serde::de::Error::custom(Refusal {
            expected: format!("at most {} thresholds", Self::MAX),
            found: values.len().to_string(),
            hint: Some("each threshold adds a metric to every replication, e.g. [30, 60]".into()),
            inside: None,
            bounds: None,
        }))
    }
}

impl JsonSchema for Thresholds {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Thresholds".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let item = g.subschema_for::<ThresholdMinutes>();
        schemars::json_schema!({ "type": "array", "items": item, "maxItems": Self::MAX })
    }
}

/// `N` multipliers: 7 weekdays (Monday first), 24 hours or 12 months.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile<const N: usize>(pub [Multiplier; N]);

impl<const N: usize> Profile<N> {
    /// The multipliers.
    pub fn get(&self) -> [f64; N] {
        self.0.map(Multiplier::get)
    }
}

impl<const N: usize> Serialize for Profile<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0)
    }
}

impl<'de, const N: usize> Deserialize<'de> for Profile<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let values = Vec::<Multiplier>::deserialize(d)?;
        let n = values.len();
        <[Multiplier; N]>::try_from(values)
            .map(Profile)
            .map_err(|_| {
                let r = Refusal {
                    expected: format!("{N} multipliers"),
                    found: n.to_string(),
                    hint: Some(
                        match N {
                            7 => "one per weekday, Monday first",
                            24 => "one per hour, 00–01 first",
                            _ => "one per month, January first",
                        }
                        .into(),
                    ),
                    inside: None,
                    bounds: None,
                };
                serde::de::Error::custom(r)
            })
    }
}

impl<const N: usize> JsonSchema for Profile<N> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Profile{N}").into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let item = g.subschema_for::<Multiplier>();
        schemars::json_schema!({ "type": "array", "items": item, "minItems": N, "maxItems": N })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_survives_its_encoding() {
        let r = Refusal::range("7".into(), 7.0, 0.0, 1.0, "a share", "7 % is 0.07");
        assert_eq!(Refusal::decode(&format!("{r:#}")), Some(r.clone()));
        assert_eq!(
            r.to_string(),
            "expected a share from 0 to 1, found 7 (7 % is 0.07)"
        );
        assert_eq!(Refusal::decode(&r.to_string()), None);
        assert_eq!(Refusal::decode("invalid type: string"), None);
    }

    #[test]
    fn bounds_are_checked_while_reading() {
        assert_eq!(
            serde_json::from_str::<HorizonDays>("3660").unwrap().get(),
            3660
        );
        for bad in ["0", "3661", "-1", "4294967296"] {
            let e = serde_json::from_str::<HorizonDays>(bad)
                .unwrap_err()
                .to_string();
            assert!(e.contains(&format!("from 1 to 3660, found {bad}")), "{e}");
        }
        let e = serde_json::from_str::<LeadCurve>("[0.1, 0.2]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected 4 probabilities, found 2"), "{e}");
        assert!(serde_json::from_str::<Profile<7>>("[1,1,1,1,1,1,1]").is_ok());
    }
}
