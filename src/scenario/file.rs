//! The raw, serde form of a scenario file (format v1): exactly what the TOML
//! says, with every key optional where a default exists. [`super::validate`]
//! turns it into a checked [`super::Scenario`].
//!
//! This is the one place a key is written: its doc comment, its default and
//! its type (closed sets of values are enums, shared with the checked layer).
//! The JSON Schema (`vardsim schema`, `docs/scenario.schema.json`) and the key
//! tables of `docs/scenario.md` are generated from it; a test fails when the
//! committed copies are stale. A default that depends on presence (a key of a
//! built-in profession or rule, a key only some blocks take) is an `Option`
//! plus a `DEFAULT_…` constant that both the schema and
//! [`super::validate`] read; a default that names another key (`the key`,
//! `assess`) is text in `x-default`, for the docs.
//!
//! **Invariant:** every struct here denies unknown keys, so a misspelt key is
//! an error, never silently ignored.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::bounded::{
    BandKm, ContactsPerListed, ContinuityWaitDays, CostFactor, Crews, DayCv, DeadlineDays,
    ElsewherePerWeek, Factor, FormatVersion, HeadCount, HorizonDays, Km, LeadCurve, LeadDays,
    Listed, ListedShare, Month, PerHour, Probability, Profile, QueueLength, Sek, SekPerVisit,
    Share, SlotMinutes, SpeedKmh, SpellDays, SummerPeriods, SummerWeeks, TeamRate,
    ThresholdMinutes, Thresholds, VisitsPerListed, WarmupDays, Weight, Year,
};
use super::dist_spec::DistSpec;
use super::spec::{AtClosing, DayCount, TriageOutcome};
use super::written::{Clock, Days, FolderName, MonthDay, ProfessionKeys, WeeklyTime};
use crate::engine::Weekday;
use crate::vocab::kinds::{Activity, Channel, ContactKind, Urgency};
use crate::vocab::slot::SlotType;

/// Adds `x-order`, the keys of `T` in the order the code declares them, to
/// its schema: JSON objects sort their keys, and the docs tables keep the
/// code's order (serde's derive passes it to `deserialize_struct`).
fn key_order<T: for<'de> Deserialize<'de>>(schema: &mut schemars::Schema) {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    schema.insert("x-order".into(), serde_json::json!(fields));
}

/// A deserializer that only records the field names of the struct asked for.
struct FieldNames<'f>(&'f mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("only structs have field names"))
    }
    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("recorded"))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// A whole scenario file after `extends` and `--set` were applied.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct ScenarioFile {
    /// Scenario name; results go to `output/<name>/`, so it is one folder
    /// name: no slashes, no leading dot.
    pub name: FolderName,
    /// Free text for reports.
    #[serde(default)]
    pub description: String,
    /// The description in Swedish, for reports with `--lang sv`. A file
    /// (or `--set`) that writes its own `description` does not inherit it
    /// through `extends`.
    #[schemars(extend("x-default" = "the description"))]
    pub description_sv: Option<String>,
    /// Short English name of the scenario in chart legends, tables and
    /// reports (e.g. "Drop-in 08–12"). A file (or `--set`) with its own
    /// `name` does not inherit it through `extends`.
    #[schemars(extend("x-default" = "the name"))]
    pub label_en: Option<String>,
    /// Short Swedish name of the scenario in chart legends, tables and
    /// reports with `--lang sv` (e.g. "Drop-in 08–12"). A file (or
    /// `--set`) with its own `name` does not inherit it through `extends`.
    #[schemars(extend("x-default" = "the name"))]
    pub label_sv: Option<String>,
    /// Format version; only 1 exists.
    #[serde(default = "format_v1")]
    pub format_version: FormatVersion,
    /// Run length, warm-up and calendar.
    #[serde(default)]
    #[schemars(extend("x-default" = "every key at its default"))]
    pub simulation: SimulationFile,
    /// Professions added to or overriding the built-in ones.
    #[serde(default)]
    pub professions: BTreeMap<String, ProfessionFile>,
    /// Health centres.
    #[serde(default)]
    pub units: BTreeMap<String, UnitFile>,
    /// Case-mix categories.
    #[serde(default)]
    pub categories: BTreeMap<String, CategoryFile>,
    /// Age groups.
    #[serde(default)]
    #[schemars(extend("x-default" = "one group `all`"))]
    pub age_groups: BTreeMap<String, AgeGroupFile>,
    /// Guarantee rules added to or overriding the built-in ones.
    #[serde(default)]
    #[schemars(extend("x-default" = "the built-in rules"))]
    pub guarantee: BTreeMap<String, RuleFile>,
    /// Options for derived metrics.
    #[serde(default)]
    #[schemars(extend("x-default" = "every key at its default"))]
    pub metrics: MetricsFile,
    /// Mobile teams (`mobila team`) making home visits.
    #[serde(default)]
    pub mobile_teams: BTreeMap<String, MobileTeamFile>,
    /// Costs outside the health centre's staff: the emergency department.
    #[serde(default)]
    #[schemars(extend("x-default" = "every key at its default"))]
    pub costs: CostsFile,
    /// Staff supply: absence, summer leave and public holidays. Left out,
    /// every employed member works every week of the year.
    #[schemars(extend("x-default" = "none: full, stable rosters"))]
    pub supply: Option<SupplyFile>,
}

fn format_v1() -> FormatVersion {
    FormatVersion::new(1)
}

/// `[simulation]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct SimulationFile {
    /// Simulated days, warm-up included (at most ten years: longer runs
    /// answer no planning question and only grow memory).
    #[serde(default = "default_horizon")]
    pub horizon_days: HorizonDays,
    /// First days excluded from every metric (fewer than `horizon_days`):
    /// they run on the calendar days *before* the measured start
    /// (`start_month`, `start_weekday`), so a run of `warmup_days + 364`
    /// days measures 52 whole weeks from that date, every month included.
    #[serde(default = "default_warmup")]
    pub warmup_days: WarmupDays,
    /// Weekday of the first measured day, the day after the warm-up
    /// (`monday` … `sunday`, or `mon` … `sun`).
    #[serde(default = "default_weekday")]
    #[schemars(extend("x-type" = "weekday"))]
    pub start_weekday: WeekdayKey,
    /// Month whose first day is the first measured day, 1–12 (the warm-up
    /// runs on the days before it; the simulated year has 365 days).
    #[serde(default = "january")]
    pub start_month: Month,
    /// Scenarios run with the same seed and the same key share random
    /// numbers, so comparisons between them are paired (common random
    /// numbers). Change it only to get independent streams.
    #[serde(default = "default_crn_key")]
    pub crn_key: String,
}

fn default_horizon() -> HorizonDays {
    HorizonDays::new(365)
}
fn default_warmup() -> WarmupDays {
    WarmupDays::new(28)
}
fn january() -> Month {
    Month::new(1)
}
fn default_weekday() -> WeekdayKey {
    WeekdayKey(Weekday::Monday)
}
fn default_crn_key() -> String {
    "vardsim".into()
}

impl Default for SimulationFile {
    fn default() -> Self {
        SimulationFile {
            horizon_days: default_horizon(),
            warmup_days: default_warmup(),
            start_weekday: default_weekday(),
            start_month: january(),
            crn_key: default_crn_key(),
        }
    }
}

/// A weekday as scenarios write it: `monday` … `sunday` or `mon` … `sun`
/// (any case); a newtype so that the engine's [`Weekday`] stays free of serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekdayKey(pub Weekday);

/// Full weekday keys, for the "expected one of" list.
const WEEKDAY_KEYS: [&str; 7] = {
    let mut keys = [""; 7];
    let mut i = 0;
    while i < 7 {
        keys[i] = Weekday::ALL[i].key();
        i += 1;
    }
    keys
};

impl<'de> Deserialize<'de> for WeekdayKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        Weekday::parse(&key)
            .map(WeekdayKey)
            .ok_or_else(|| serde::de::Error::unknown_variant(&key, &WEEKDAY_KEYS))
    }
}

impl Serialize for WeekdayKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.key())
    }
}

impl JsonSchema for WeekdayKey {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Weekday".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let short = WEEKDAY_KEYS.iter().map(|k| &k[..3]);
        let keys: Vec<&str> = WEEKDAY_KEYS.iter().copied().chain(short).collect();
        schemars::json_schema!({ "type": "string", "enum": keys })
    }
}

/// `[professions.<key>]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct ProfessionFile {
    /// Licensed health professional (`legitimerad`): counts as a medical
    /// assessment.
    #[schemars(extend("x-default" = "required for a new profession"))]
    pub licensed: Option<bool>,
    /// English label for reports.
    #[schemars(extend("x-default" = "the key"))]
    pub label_en: Option<String>,
    /// Swedish label for reports.
    #[schemars(extend("x-default" = "the key"))]
    pub label_sv: Option<String>,
    /// Employer's cost per full-time year, SEK. The built-in
    /// professions' are monthly salary × 12 × 1.45 (on-costs), with assumed
    /// salaries.
    #[schemars(extend("default" = DEFAULT_COST_PER_FTE_YEAR_SEK))]
    pub cost_per_fte_year_sek: Option<Sek>,
    /// Share of working time away on sick leave (drawn as spells, by day and
    /// staff member, when `[supply] absence = true`). With
    /// `child_care_share` and `planned_absence_share`, at most 1 in all.
    #[schemars(extend("default" = 0.0))]
    pub sick_leave_share: Option<Share>,
    /// Share of working time away caring for a sick child (`vård av barn`),
    /// drawn like sick leave.
    #[schemars(extend("default" = 0.0))]
    pub child_care_share: Option<Share>,
    /// Share of working time away on planned absence (courses,
    /// compensatory leave): known in advance, so its times are never offered.
    #[schemars(extend("default" = 0.0))]
    pub planned_absence_share: Option<Share>,
    /// Cost of a hired member (`hyrläkare`, `bemanningssjuksköterska`) over
    /// an employed one's `cost_per_fte_year_sek`.
    #[schemars(extend("default" = 1.0))]
    pub hired_cost_factor: Option<CostFactor>,
}

/// Cost of a new profession that names none.
pub const DEFAULT_COST_PER_FTE_YEAR_SEK: Sek = Sek::new(0.0);

impl ProfessionFile {
    /// This profession's keys over `base`'s.
    pub fn over(self, base: &ProfessionFile) -> ProfessionFile {
        let b = base.clone();
        ProfessionFile {
            licensed: self.licensed.or(b.licensed),
            label_en: self.label_en.or(b.label_en),
            label_sv: self.label_sv.or(b.label_sv),
            cost_per_fte_year_sek: self.cost_per_fte_year_sek.or(b.cost_per_fte_year_sek),
            sick_leave_share: self.sick_leave_share.or(b.sick_leave_share),
            child_care_share: self.child_care_share.or(b.child_care_share),
            planned_absence_share: self.planned_absence_share.or(b.planned_absence_share),
            hired_cost_factor: self.hired_cost_factor.or(b.hired_cost_factor),
        }
    }
}

/// `[units.<key>]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct UnitFile {
    /// Display name.
    #[schemars(extend("x-default" = "the key"))]
    pub name: Option<String>,
    /// Listed inhabitants (`listade patienter`); needed for
    /// `demand.contacts_per_listed_year` (the bound is above the largest
    /// region, Stockholm's ≈ 2.4 M, split over units).
    pub listed: Option<Listed>,
    /// Staff groups by key.
    #[serde(default)]
    pub staff: BTreeMap<String, StaffGroupFile>,
    /// The walk-in desk, if the unit has one.
    pub dropin: Option<DropInFile>,
    /// The telephone line, if the unit takes calls.
    pub phone: Option<PhoneFile>,
    /// The 1177 e-service inbox, if the unit answers written requests.
    pub eservice: Option<EServiceFile>,
    /// A shared remote doctor pool hosted by this unit.
    pub remote_doctor: Option<RemotePoolFile>,
    /// Booking rules for the unit's appointment book.
    #[serde(default)]
    #[schemars(extend("x-default" = "every key at its default"))]
    pub booking: BookingFile,
    /// Arrival streams by channel.
    #[serde(default)]
    #[schemars(extend("x-default" = "every key at its default"))]
    pub demand: DemandFile,
    /// Planned visits the unit calls patients to (`kallelse`), by key.
    #[serde(default)]
    pub planned: BTreeMap<String, PlannedFile>,
    /// Continuity of care: named clinicians of the listed patients. Without
    /// it (in every unit) no patient has one and no continuity metric is
    /// written.
    pub continuity: Option<ContinuityFile>,
    /// How far the unit's patients live from it (rural units): each
    /// patient draws a band, and every guarantee rule and the waits come
    /// out by `distance` band. Without it, the unit's patients have no band.
    pub distance_bands: Option<DistanceBandsFile>,
}

/// `[units.<u>.continuity]`: which listed patients have a named doctor
/// (`fast läkarkontakt`) and a named contact (`fast vårdkontakt`). Each new
/// contact belongs to one of the unit's `listed` patients (drawn from the
/// patient's own random numbers, within their age group), so a patient
/// comes back during the year; booking then prefers the named clinician
/// within the category's `continuity_wait_days`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct ContinuityFile {
    /// Share of the listed patients with a named doctor. The named patients
    /// are shared among the unit's employed doctors with visit times, by
    /// their weekly visit hours (a doctor's list size follows); hired
    /// doctors and vacant posts are nobody's named doctor.
    #[serde(default = "no_listed")]
    pub named_doctor_share: ListedShare,
    /// Share of the listed patients with a named contact of
    /// `named_contact_profession` (a nurse as `fast vårdkontakt`), shared
    /// the same way; asked for when the case is booked with that profession
    /// and the patient has no named doctor who may treat it.
    #[serde(default = "no_listed")]
    pub named_contact_share: ListedShare,
    /// Profession of the named contacts.
    #[serde(default = "district_nurse")]
    #[schemars(extend("x-type" = "profession key"))]
    pub named_contact_profession: String,
}

fn no_listed() -> ListedShare {
    ListedShare::new(0.0)
}
fn no_wait() -> ContinuityWaitDays {
    ContinuityWaitDays::new(0)
}
fn district_nurse() -> String {
    "district_nurse".to_string()
}

/// `[units.<u>.distance_bands]`: the unit's patients over distance bands
/// to the unit, nearest first. The first band starts at 0 km, each next one
/// at the previous band's upper bound.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct DistanceBandsFile {
    /// Upper bound of each band, km from the unit, increasing; the band is
    /// named `<lower>-<upper>` (e.g. `10-30`).
    pub upper_km: Vec<BandKm>,
    /// Relative share of the unit's patients in each band, one per band.
    pub shares: Vec<Weight>,
    /// Share of each band's walk-in patients who telephone instead of
    /// coming to the drop-in (a long trip for an unknown wait); one per band,
    /// absent: nobody (distance then changes no behaviour). Needs the
    /// unit's telephone line. An assumption to set per region: no source in
    /// the seeds gives it.
    #[serde(default)]
    pub walk_in_to_phone: Vec<Share>,
}

/// `[units.<u>.planned.<key>]`: planned visits the unit books itself
/// (`kallelse`: chronic-care check-ups, annual controls, sample taking).
/// They are not new contacts: no call, no triage, outside the guarantee
/// (recorded as planned follow-ups), but they take the profession's
/// `follow_up` or `regular` slots like every other visit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct PlannedFile {
    /// Case-mix category of the visits (service time for `profession`; the
    /// age group is drawn from the age groups' `share × category_weight`).
    #[schemars(extend("x-type" = "category key"))]
    pub category: String,
    /// Profession whose book takes the visits; the category must have a
    /// service time for it.
    #[schemars(extend("x-type" = "profession key"))]
    pub profession: String,
    /// Visits per listed inhabitant and year (needs the unit's `listed`): a
    /// Poisson stream of bookings over weekdays 08–16, the time the unit
    /// books them.
    pub visits_per_listed_year: VisitsPerListed,
    /// Days from the booking to the earliest day of the visit (the first
    /// free slot from then on).
    pub lead_days: DistSpec,
}

/// `[units.<u>.staff.<group>]`: `count` identical staff members sharing one
/// weekly schedule.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct StaffGroupFile {
    /// Profession key.
    #[schemars(extend("x-type" = "profession key", "x-default" = "the group key"))]
    pub profession: Option<String>,
    /// Head count: staff members with this schedule (a health centre has
    /// tens).
    pub count: HeadCount,
    /// Weekly schedule.
    #[serde(default)]
    #[schemars(extend("default" = []))]
    pub shifts: Vec<ShiftFile>,
    /// Members away between two dates, e.g. the summer holidays:
    /// `[{ from = "06-29", to = "08-09", away = 2 }]`. Away members are not
    /// paid and not on duty on those days; the others keep the weekly
    /// schedule. Given as members away rather than members at work, so that
    /// it still holds when `count` changes (`--set`, a sweep); more away than
    /// the group has means none work. Dates are inclusive and may wrap the
    /// year end (`from = "12-22", to = "01-06"`); ranges must not overlap.
    #[serde(default)]
    #[schemars(extend("default" = []))]
    pub dated: Vec<DatedCountFile>,
    /// Unfilled posts among `count`: the group's last `vacant` members never
    /// work (only `count - vacant` are employed).
    #[serde(default = "no_one")]
    #[schemars(extend("default" = 0))]
    pub vacant: HeadCount,
    /// Hired staff (`hyrläkare`, `bemanningssjuksköterska`) working the
    /// group's shifts between two dates, in addition to its employed members:
    /// `[{ from = "01-08", to = "03-29", count = 1 }]`. They cost the
    /// profession's `hired_cost_factor` times an employed member, take no
    /// leave and are nobody's named clinician. Dates are inclusive and may
    /// wrap the year end; ranges must not overlap (two hired at once:
    /// `count = 2`).
    #[serde(default)]
    #[schemars(extend("default" = []))]
    pub hired: Vec<HiredFile>,
    /// With `[supply]`: a stand-in (`vikarie` from the unit's or region's
    /// pool) works an employed member's shifts while they are on summer
    /// leave or absent (planned or unplanned), at an employed member's
    /// cost on top of the member's own paid leave, so the group's head
    /// count at work stays the weekly schedule's
    /// (public holidays still close it). For groups a unit never leaves
    /// unstaffed, such as the telephone line; the absence is still counted
    /// in the supply metrics.
    #[serde(default)]
    #[schemars(extend("default" = false))]
    pub cover: bool,
    /// With `cover = true`: the chance that a stand-in is found for a day
    /// of an employed member's summer leave, drawn day by day from the
    /// member's own stream; on the other leave days the member's shifts are
    /// not worked (known in advance, like planned absence). Summer
    /// stand-ins are scarce (everyone else is on leave too), so a unit's
    /// call-back line can run short in summer although it is never left
    /// unstaffed when someone is off sick.
    #[schemars(extend("x-default" = "1 (the stand-in works the whole leave)"))]
    pub summer_cover: Option<Share>,
}

fn no_one() -> HeadCount {
    HeadCount::new(0)
}

fn no_share() -> Share {
    Share::new(0.0)
}

/// Hired staff of a group between two dates (`hired`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct HiredFile {
    /// First day, `MM-DD`.
    pub from: MonthDay,
    /// Last day, `MM-DD` (inclusive; before `from`: the range wraps the year end).
    pub to: MonthDay,
    /// Hired members working on these days.
    pub count: HeadCount,
}

/// `[supply]`: what takes staff away from their weekly schedule. Each
/// profession's absence rates are keys of `[professions.<p>]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct SupplyFile {
    /// The calendar year of the first measured day: public holidays and
    /// Easter are computed for it (and the next years of a longer run).
    #[serde(default = "default_year")]
    #[schemars(extend("default" = 2024))]
    pub year: Year,
    /// Units are closed on Swedish public holidays (`helgdagar`: New Year,
    /// Epiphany, Good Friday, Easter Monday, 1 May, Ascension, 6 June,
    /// Christmas and Boxing Day) and on the eves the agreements treat as
    /// holidays (Midsummer, Christmas and New Year's Eve).
    #[serde(default = "yes")]
    #[schemars(extend("default" = true))]
    pub public_holidays: bool,
    /// Draw unplanned absence (sick leave, care of a sick child) and planned
    /// absence (courses, compensatory leave) at each profession's rates.
    #[serde(default = "yes")]
    #[schemars(extend("default" = true))]
    pub absence: bool,
    /// Mean length of a spell of unplanned absence, days.
    #[serde(default = "default_spell_days")]
    #[schemars(extend("default" = 3.0))]
    pub spell_days: SpellDays,
    /// What happens to an absent member's booked patients on the morning of
    /// the day: `colleague` (moved to a free time of a colleague of the same
    /// profession that day, else rebooked) or `rebook` (booked again from
    /// that morning, as a new booking).
    #[serde(default)]
    pub on_absence: OnAbsence,
    /// Weeks of consecutive summer leave each employed member takes
    /// (semesterlagen 12 §: four weeks in June–August); 0 = none.
    #[serde(default = "default_summer_weeks")]
    #[schemars(extend("default" = 4))]
    pub summer_weeks: SummerWeeks,
    /// The first period starts on the Monday on or after this date.
    #[serde(default = "default_summer_start")]
    #[schemars(extend("default" = "06-22"))]
    pub summer_start: MonthDay,
    /// Consecutive periods of `summer_weeks` weeks: member `k` of the `g`-th
    /// staff group of a unit takes period `(k + g) mod periods`, so each
    /// group keeps about `1 - 1/periods` of its staff through the summer.
    #[serde(default = "default_summer_periods")]
    #[schemars(extend("default" = 2))]
    pub summer_periods: SummerPeriods,
}

fn default_year() -> Year {
    Year::new(2024)
}
fn default_spell_days() -> SpellDays {
    SpellDays::new(3.0)
}
fn default_summer_weeks() -> SummerWeeks {
    SummerWeeks::new(4)
}
fn default_summer_periods() -> SummerPeriods {
    SummerPeriods::new(2)
}
fn default_summer_start() -> MonthDay {
    MonthDay::from_day_of_year(172) // 22 June
}

/// What happens to an absent member's booked patients (`on_absence`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnAbsence {
    /// Moved to a colleague's free time the same day, else rebooked.
    #[default]
    Colleague,
    /// Booked again from the morning of the absence.
    Rebook,
}

/// Members of a staff group away between two dates (`dated`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct DatedCountFile {
    /// First day, `MM-DD`.
    pub from: MonthDay,
    /// Last day, `MM-DD` (inclusive; before `from`: the range wraps the year end).
    pub to: MonthDay,
    /// Members away on these days (holiday, courses).
    pub away: HeadCount,
}

/// One block of a weekly schedule, e.g.
/// `{ days = "mon-fri", start = "08:00", end = "12:00", activity = "dropin" }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct ShiftFile {
    /// `all`, `weekdays`, `weekend`, a range `mon-fri`, a list `mon,wed,fri`,
    /// or one day `sat`.
    pub days: Days,
    /// Start, `HH:MM`.
    pub start: Clock,
    /// End, `HH:MM` after `start` on the same day (`24:00` allowed; split a
    /// night shift into `22:00–24:00` and `00:00–06:00`).
    pub end: Clock,
    /// What the staff member does in this block: `dropin` (serves the
    /// drop-in desk), `telephone` (call-back times or the hold queue),
    /// `visits` (appointment-book slots), `eservice` (answers 1177
    /// requests), `remote` (on duty for the unit's shared remote doctor
    /// pool), `mobile` (paid time only: a mobile team's crews are defined in
    /// `[mobile_teams]`), `admin` (paid time without patients). All shifts
    /// count as paid time, the denominator of utilisation.
    pub activity: Activity,
    /// `visits` blocks only: length of one appointment slot, minutes.
    /// The block is cut into slots; slots never cross the block's end.
    #[schemars(extend("default" = DEFAULT_SLOT_MINUTES))]
    pub slot_minutes: Option<SlotMinutes>,
    /// `visits` blocks only: `acute` (bookable only on the day),
    /// `short_notice` (up to `booking.short_notice_days` ahead), `regular`
    /// (up to `booking.booking_horizon_days`), `web` (only patients booking
    /// on the web, up to `booking.web_horizon_days`), `follow_up` (planned
    /// follow-ups).
    #[schemars(extend("default" = DEFAULT_SLOT_TYPE))]
    pub slot_type: Option<SlotType>,
}

/// Slot length of a `visits` block that names none, minutes.
pub const DEFAULT_SLOT_MINUTES: SlotMinutes = SlotMinutes::new(20.0);
/// Slot type of a `visits` block that names none.
pub const DEFAULT_SLOT_TYPE: SlotType = SlotType::Regular;

/// An opening-hours block, e.g. `{ days = "mon-fri", start = "08:00", end = "17:00" }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct HoursFile {
    /// Days, as in shifts.
    pub days: Days,
    /// `HH:MM`.
    pub start: Clock,
    /// `HH:MM`, after `start` (`24:00` allowed).
    pub end: Clock,
}

/// `[units.<u>.phone]`: the telephone line with call-back (`återuppringning`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct PhoneFile {
    /// When calls are taken.
    pub hours: Vec<HoursFile>,
    /// How callers are served.
    #[serde(default)]
    pub mode: PhoneMode,
    /// Hold queue only: how long a caller waits on the line before hanging up.
    pub patience_minutes: Option<DistSpec>,
    /// Length of one call-back time in the nurses' telephone blocks, minutes.
    #[serde(default = "default_callback_slot")]
    pub callback_slot_minutes: SlotMinutes,
    /// The nurse's triage call, minutes; a call that runs over delays the
    /// next call-back. Default from the ESTEEM trial (Lancet 2014).
    #[serde(default = "esteem_triage_call")]
    pub triage_minutes: DistSpec,
    /// A shared line: the key of the unit whose telephone nurses answer this
    /// unit's calls (from the same call-back times as their own callers);
    /// `hours` still say when this unit's patients call, and triage routes
    /// them to this unit's own services.
    #[schemars(extend("x-type" = "unit key"))]
    pub answered_by: Option<String>,
}

/// How a telephone line serves callers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhoneMode {
    /// Each caller gets the next free call-back time, cut from the nurses'
    /// `telephone` shifts; when today's times are gone, one tomorrow (88–100 %
    /// of units work so).
    #[default]
    Callback,
    /// Callers wait on the line for a nurse on telephone duty and hang up
    /// after `patience_minutes`; they are answered first come, first served
    /// (their urgency is known only once the nurse has triaged them).
    HoldQueue,
}

fn default_callback_slot() -> SlotMinutes {
    SlotMinutes::new(10.0)
}
/// ESTEEM trial (Lancet 2014): nurse triage calls 6.6 (sd 3.8) min.
fn esteem_triage_call() -> DistSpec {
    DistSpec::lognormal(6.6, 3.8)
}

/// `[units.<u>.eservice]`: written requests through 1177 e-services, answered
/// by staff in their `eservice` shifts, first come first served within urgency.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct EServiceFile {
    /// Time to read and answer one request, minutes.
    #[schemars(extend("x-default" = "required unless `answered_by`"))]
    pub answer_minutes: Option<DistSpec>,
    /// A shared inbox (a regional digital provider): the key of the unit whose
    /// e-service staff answer this unit's requests; the answer routes to this
    /// unit's services.
    #[schemars(extend("x-type" = "unit key"))]
    pub answered_by: Option<String>,
}

/// `[units.<u>.booking]`: how the appointment book is searched and used.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct BookingFile {
    /// Search every profession that may treat the case (`treat`, default
    /// `assess`); `false` searches doctors only (the old way; a category no
    /// doctor may treat keeps its own list).
    #[serde(default)]
    pub profession_neutral: bool,
    /// What happens when nothing is free inside the urgency window.
    #[serde(default)]
    pub when_full: WhenFull,
    /// How many days ahead `short_notice` slots can be booked.
    #[serde(default = "default_short_notice")]
    pub short_notice_days: LeadDays,
    /// How many days ahead `regular` slots can be booked (`follow_up` slots:
    /// at least 90).
    #[serde(default = "default_booking_horizon")]
    pub booking_horizon_days: LeadDays,
    /// How many days ahead web bookers see `web` slots (`webbtidbok`).
    #[serde(default = "default_web_horizon")]
    pub web_horizon_days: LeadDays,
    /// No-show probability by lead time: same day, next day, 2–7 days, more
    /// than 7 days (NHS England appointments data).
    #[serde(default = "default_no_show")]
    pub no_show: LeadCurve,
    /// Probability that a patient who did not show up books again (a new
    /// booking, as after triage; a planned follow-up or check-up that was
    /// missed is not rebooked and ends as `no_show`).
    #[serde(default = "default_rebook")]
    pub rebook_after_no_show: Probability,
    /// Cancellation probability by lead time (as `no_show`; assumption:
    /// cancellations grow with lead time, as no-shows do); the patient
    /// cancels halfway to the visit and the slot is free again.
    #[serde(default = "default_cancellation")]
    pub cancellation: LeadCurve,
    /// Probability that a web booker first looks for a doctor's web slot
    /// (assumption: self-bookers pick doctors).
    #[serde(default = "default_prefer_doctor")]
    pub web_prefer_doctor: Probability,
    /// Of the patients booked after triage whose case can wait a day (not
    /// `same_day`), the share who name a later day themselves (`patientvald
    /// väntan`); they get the earliest slot from that day, whatever the window.
    /// Staff booking at the drop-in (closing, no one to assess) and a rebooking
    /// after a no-show draw the same way. A patient for whom the book releases
    /// no time from that day yet (the day past `booking_horizon_days`) is booked
    /// as if they had not chosen, and is no patient-chosen wait.
    #[serde(default = "never")]
    pub patient_chosen_share: Probability,
    /// How many days later than now such patients want their visit, whole
    /// days (a draw is rounded down; below 1, no later day is chosen)
    /// (assumption: a week to four weeks, a planned holiday or work).
    #[serde(default = "default_patient_chosen_days")]
    pub patient_chosen_days: DistSpec,
    /// Web slots still free on their own day are booked by staff for cases
    /// that cannot wait (`same_day`, `within_3_days`).
    #[serde(default = "yes")]
    pub release_web_on_day: bool,
    /// Web slots still free this many days before their day return to
    /// staff: from then on staff book them for every triaged patient, as if
    /// they were regular times (0: only the on-day rule above).
    #[serde(default = "no_days")]
    pub web_return_days: LeadDays,
}

fn no_days() -> LeadDays {
    LeadDays::new(0)
}

/// What a unit does when its book has nothing inside the urgency window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WhenFull {
    /// Book the earliest slot after the window.
    #[default]
    BookLate,
    /// Turn the patient away (recorded as `overflow`).
    Overflow,
}

/// A probability of 0: what a key left out does not do.
fn never() -> Probability {
    Probability::new(0.0)
}
fn never_elsewhere() -> ElsewherePerWeek {
    ElsewherePerWeek::new(0.0)
}
/// Probabilities by lead time.
const fn curve(p: [f64; 4]) -> LeadCurve {
    LeadCurve([
        Probability::new(p[0]),
        Probability::new(p[1]),
        Probability::new(p[2]),
        Probability::new(p[3]),
    ])
}
fn default_cancellation() -> LeadCurve {
    curve([0.0, 0.02, 0.04, 0.06])
}
fn default_prefer_doctor() -> Probability {
    Probability::new(0.7)
}
fn default_patient_chosen_days() -> DistSpec {
    DistSpec::uniform(7.0, 28.0)
}
fn default_short_notice() -> LeadDays {
    LeadDays::new(3)
}
fn default_booking_horizon() -> LeadDays {
    LeadDays::new(28)
}
fn default_web_horizon() -> LeadDays {
    LeadDays::new(14)
}
/// NHS England appointments data (domain brief §5).
fn default_no_show() -> LeadCurve {
    curve([0.019, 0.05, 0.068, 0.085])
}
fn default_rebook() -> Probability {
    Probability::new(0.5)
}

impl Default for BookingFile {
    fn default() -> Self {
        BookingFile {
            profession_neutral: false,
            when_full: WhenFull::default(),
            short_notice_days: default_short_notice(),
            booking_horizon_days: default_booking_horizon(),
            web_horizon_days: default_web_horizon(),
            no_show: default_no_show(),
            rebook_after_no_show: default_rebook(),
            cancellation: default_cancellation(),
            web_prefer_doctor: default_prefer_doctor(),
            patient_chosen_share: never(),
            patient_chosen_days: default_patient_chosen_days(),
            release_web_on_day: true,
            web_return_days: no_days(),
        }
    }
}

/// `[units.<u>.dropin]`: the walk-in desk.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct DropInFile {
    /// Opening hours; walk-ins arrive only while open.
    pub hours: Vec<HoursFile>,
    /// What happens to patients still waiting at closing.
    #[serde(default = "default_at_closing")]
    pub at_closing: AtClosing,
    /// A patient who would have to wait leaves at once if this many already
    /// wait (`0` = nobody waits: a loss system).
    pub balk_at_queue_length: Option<QueueLength>,
    /// How long a waiting patient stays before leaving (reneging); counted
    /// from the first queue, fast triage included.
    pub patience_minutes: Option<DistSpec>,
    /// Professions who see drop-in patients; `["doctor"]` is the doctor-only
    /// drop-in, the default the profession-neutral one (`lättakut`).
    #[schemars(extend("x-default" = "everyone on drop-in duty who may assess the case"))]
    pub professions: Option<ProfessionKeys>,
    /// The patient's own time for registration (a digital health form)
    /// before joining the queue, minutes.
    pub registration_minutes: Option<DistSpec>,
    /// A fast triage by staff on drop-in duty at arrival (contact kind
    /// `dropin_triage`), minutes; the triaged patient then waits for a
    /// competent professional by urgency.
    pub triage_minutes: Option<DistSpec>,
    /// Professions who do the fast triage (needs `triage_minutes`).
    #[schemars(extend("x-default" = "everyone on drop-in duty"))]
    pub triage_by: Option<ProfessionKeys>,
    /// Key of the unit whose shared remote doctor pool examines this unit's
    /// acute patients that no local professional may assess.
    #[schemars(extend("x-type" = "unit key"))]
    pub remote_doctor: Option<String>,
    /// Who takes an arriving (triaged) patient when several posts are free,
    /// per urgency level: professions in order of preference, e.g.
    /// `{ same_day = ["doctor"], within_3_days = ["district_nurse"] }`.
    /// Professions not listed come after those listed, in the built-in
    /// order of professions (doctor first); a level not given keeps the
    /// default's list. Within a profession the post idle longest takes the
    /// patient. Never the order of the staff groups' names.
    #[schemars(extend("x-type" = "urgency → list of profession keys", "x-default" = "`same_day = [\"doctor\"]`, every other level `[\"district_nurse\", \"nurse\"]`"))]
    pub prefer: Option<BTreeMap<Urgency, ProfessionKeys>>,
}

/// The drop-in's preference when `prefer` does not name an urgency level:
/// the urgent see a doctor first, everyone else a nurse first.
pub const DEFAULT_DROPIN_PREFER: [&[&str]; Urgency::COUNT] = [
    &["doctor"],
    &["district_nurse", "nurse"],
    &["district_nurse", "nurse"],
    &["district_nurse", "nurse"],
];

fn default_at_closing() -> AtClosing {
    AtClosing::SeeAll
}

/// `[units.<u>.remote_doctor]`: the unit hosts a shared remote (video)
/// doctor pool (`virtuellt akutrum`), staffed by its staff on `remote` duty.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct RemotePoolFile {
    /// Length of one video examination, minutes.
    pub exam_minutes: DistSpec,
}

/// `[units.<u>.demand]`: how many patients seek contact, and through which channel.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct DemandFile {
    /// New contacts per listed inhabitant and year, all channels (Sweden's
    /// average is about 3); channels take a `share` of it.
    pub contacts_per_listed_year: Option<ContactsPerListed>,
    /// Coefficient of variation of the day factor (gamma, mean 1): daily
    /// counts are over-dispersed like real ones (real days vary by
    /// 0.1–0.3).
    #[serde(default = "steady")]
    pub day_cv: DayCv,
    /// 7 multipliers Monday … Sunday, for every channel of the unit.
    #[schemars(extend("x-default" = "all 1"))]
    pub weekday_profile: Option<Profile<7>>,
    /// 24 multipliers for hours 00–01 … 23–24, for every channel of the unit.
    #[schemars(extend("x-default" = "all 1"))]
    pub hour_profile: Option<Profile<24>>,
    /// 12 multipliers January … December, for every channel of the unit.
    #[schemars(extend("x-default" = "all 1"))]
    pub month_profile: Option<Profile<12>>,
    /// Telephone calls (need `[units.<u>.phone]`), while the line is open.
    pub phone: Option<ArrivalFile>,
    /// 1177 e-service requests (need `[units.<u>.eservice]`), at any hour.
    pub eservice: Option<ArrivalFile>,
    /// Web bookings (use the book's `web` slots), at any hour.
    pub web_booking: Option<ArrivalFile>,
    /// Walk-in patients (need `[units.<u>.dropin]`), while it is open.
    pub walk_in: Option<ArrivalFile>,
}

/// No day-to-day variation beyond Poisson's.
fn steady() -> DayCv {
    DayCv::new(0.0)
}

impl Default for DemandFile {
    fn default() -> Self {
        DemandFile {
            contacts_per_listed_year: None,
            day_cv: steady(),
            weekday_profile: None,
            hour_profile: None,
            month_profile: None,
            phone: None,
            eservice: None,
            web_booking: None,
            walk_in: None,
        }
    }
}
/// Most expected arrivals of one replication (every unit, channel, planned
/// stream and mobile stream over the horizon), checked before the model
/// allocates: a year of the Stockholm-size region with the default's whole
/// workload (contacts and planned visits) expects about 14 million, a
/// 10-year run of a county region about 4 million. A patient still in the
/// system holds some hundred bytes per worker thread, so a replication whose
/// patients all queue forever peaks near 2 GB.
pub const MAX_ARRIVALS_PER_REPLICATION: f64 = 20_000_000.0;
/// Most appointment slots of one replication (every staff member's `visits`
/// blocks cut into slots over the horizon), checked before the books are
/// built: the default health centre has about 100 000 a year, a ten-year run
/// of a county region some millions; each slot is some tens of bytes per
/// worker thread.
pub const MAX_SLOTS_PER_REPLICATION: f64 = 20_000_000.0;

// Patients of one replication get 32-bit ids, and the guarantee rules'
// episode counts are packed two to a `u64` (`model/records.rs`), so a
// replication must have fewer than 2^32 patients. Each is an arrival or
// the follow-up of a booked visit (at most one per slot), so at most
// arrivals + slots; the check keeps a hundredfold margin for Poisson
// totals above their expectation.
const _: () =
    assert!((MAX_ARRIVALS_PER_REPLICATION + MAX_SLOTS_PER_REPLICATION) * 100.0 < u32::MAX as f64);

/// Keys of which a table holds exactly one ([`ArrivalFile`]'s rate,
/// [`TravelFile`]'s distances): a layer or `--set` that writes one of them
/// drops the others from the table below, so `{ per_hour = 5 }` over a
/// stream given as a `share` means a new rate, not two.
pub const ALTERNATIVE_KEYS: [&[&str]; 2] = [
    &["per_hour", "share", "weekly_times"],
    &["distance_km", "places"],
];

/// One channel's arrivals: a non-homogeneous Poisson stream; exactly one of
/// `per_hour`, `share` and `weekly_times`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct ArrivalFile {
    /// Base rate per open hour, times the profiles.
    pub per_hour: Option<PerHour>,
    /// Share of `contacts_per_listed_year × listed` (a fraction: 7 % is
    /// 0.07), spread over the channel's open hours of a 365-day year in
    /// proportion to the profiles.
    pub share: Option<Share>,
    /// Exactly these arrivals every week, e.g. `["mon 08:00", "tue 13:30"]`
    /// (deterministic demand for hand-checked cases).
    pub weekly_times: Option<Vec<WeeklyTime>>,
    /// Multipliers Monday … Sunday (overrides the unit's).
    #[schemars(extend("x-default" = "the unit's"))]
    pub weekday_profile: Option<Profile<7>>,
    /// Multipliers for hours 0 … 23 (overrides the unit's).
    #[schemars(extend("x-default" = "the unit's"))]
    pub hour_profile: Option<Profile<24>>,
    /// Multipliers January … December (overrides the unit's).
    #[schemars(extend("x-default" = "the unit's"))]
    pub month_profile: Option<Profile<12>>,
}

/// `[age_groups.<key>]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct AgeGroupFile {
    /// Share of contacts (relative: shares need not sum to 1).
    pub share: Weight,
    /// Relative propensity to use each channel (default 1 each; older
    /// patients use e-services less); `home_care` is accepted but unused
    /// (home-care requests draw their age group from their category).
    #[serde(default)]
    pub channel_weight: BTreeMap<Channel, Weight>,
    /// Relative weight of each category in this age group (default 1 each).
    #[serde(default)]
    #[schemars(extend("x-type" = "table of category key → {value}"))]
    pub category_weight: BTreeMap<String, Weight>,
    /// Share of this group's patients who cannot or will not use digital
    /// channels (`digitalt utanförskap`): their 1177 e-service requests and
    /// web bookings become telephone calls (drawn per patient). 0 by
    /// default: the seeds give no figure (`scenarios/methods/digital-exclusion.toml`
    /// has assumed ones).
    #[serde(default = "no_share")]
    pub digital_excluded_share: Share,
}

/// `[categories.<key>]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct CategoryFile {
    /// Relative share of patients (shares need not sum to 1).
    pub share: Weight,
    /// How soon the category must be seen; the drop-in's queue priority
    /// and the booking window (`same_day` the same day, `within_3_days` 3
    /// days, `within_2_weeks` 14 days, `planned` 90 days).
    #[serde(default = "default_urgency")]
    pub urgency: Urgency,
    /// New or worsened problem inside the care guarantee; follow-ups,
    /// certificates and renewals are outside.
    #[serde(default = "yes")]
    pub inside_guarantee: bool,
    /// Professions that may assess (see) this category.
    // Not `ProfessionKeys`: a required key refused while reading would drop
    // its whole category (and bring problems of its own), so emptiness is
    // checked by `validate`; the schema still says it.
    #[schemars(extend("x-type" = "non-empty array of profession keys", "minItems" = 1))]
    pub assess: Vec<String>,
    /// Professions that may treat it in a booked visit after triage (the
    /// booking search uses this list).
    #[schemars(extend("x-default" = "`assess`"))]
    pub treat: Option<ProfessionKeys>,
    /// Service time per profession, minutes; required for each `assess`
    /// (and `treat`) profession.
    #[schemars(extend("x-type" = "table of profession key → distribution"))]
    pub service_minutes: BTreeMap<String, DistSpec>,
    /// Probability that triage (phone, e-service) resolves the contact with
    /// self-care advice (`egenvårdsråd`).
    #[serde(default = "never")]
    pub self_care_resolves: Probability,
    /// Where the others go after triage, as weights: `book` (a visit, see
    /// booking), `dropin` (the unit's drop-in if it is open now, else
    /// booked), `emergency` (the emergency department; leaves the model),
    /// `video` (a booked video visit, counted as contact kind `video`),
    /// `mobile` (a home visit by the first mobile team, in key order, that
    /// `serves` the patient's unit; booked as `book` if none does). Weights
    /// that do not sum to 1 are used as relative weights, with a warning: a
    /// variant's table merges key by key with its base's, so write the
    /// outcomes to leave out as 0.
    #[serde(default = "book_after_triage")]
    pub after_triage: BTreeMap<TriageOutcome, Weight>,
    /// Of the patients triage sends to the emergency department (outcome
    /// `emergency`), the share whose acute need a mobile team's home visit
    /// can meet instead (frail patients at home). With a mobile team serving
    /// their unit they become its same-day requests; without one they go to
    /// the emergency department. Drawn from the patient's own random
    /// numbers, so a scenario with a team and one without concern the same
    /// patients.
    #[serde(default = "never")]
    pub emergency_home_visit_share: Probability,
    /// Probability that a visit creates a planned follow-up (`återbesök`)
    /// with the same profession: a new episode outside the guarantee.
    #[serde(default = "never")]
    pub follow_up_share: Probability,
    /// Days from the visit to the follow-up (booked into `follow_up` or
    /// `regular` slots).
    #[schemars(extend("x-default" = "required if `follow_up_share` > 0"))]
    pub follow_up_days: Option<DistSpec>,
    /// Continuity: how many days later than the earliest free time a
    /// patient takes their named clinician's (a named doctor or contact, or
    /// for a follow-up the clinician of the visit), patient by patient, in
    /// every booking: staff's, the web's (among the web times) and a later
    /// time the patient chose (from the chosen day); the extra days are
    /// reported apart from the guarantee (`continuity_extra_wait_days`). 0
    /// books the earliest time, as without continuity.
    #[serde(default = "no_wait")]
    pub continuity_wait_days: ContinuityWaitDays,
    /// Patients who go elsewhere when the first time offered is far off
    /// (another health centre or a private physiotherapist or therapist
    /// under free choice, HSL 7 kap. 3 §): a staff-booked first visit `d`
    /// days away is declined with probability `min(1, elsewhere_per_week ×
    /// d / 7)`, drawn from the patient's own random numbers. The episode
    /// ends as `went_elsewhere` (no visit, so rules with
    /// `only_needing_assessment` leave it out, like a cancellation).
    /// Follow-ups, web bookings and patient-chosen later times are never
    /// declined. 0 (the default): every offer is taken.
    #[serde(default = "never_elsewhere")]
    pub elsewhere_per_week: ElsewherePerWeek,
}

fn default_urgency() -> Urgency {
    Urgency::Within3Days
}
fn yes() -> bool {
    true
}
/// Every triaged patient who is not resolved is booked.
fn book_after_triage() -> BTreeMap<TriageOutcome, Weight> {
    BTreeMap::from([(TriageOutcome::Book, Weight::new(1.0))])
}

/// `[guarantee.<key>]`: a rule; its key is the metric's key in the outputs.
/// A table for a built-in rule's key changes only the keys it sets; the
/// defaults below are those of a new rule.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct RuleFile {
    /// Days allowed after the day of first contact (day 0).
    #[schemars(extend("x-default" = "required for a new rule"))]
    pub deadline_days: Option<DeadlineDays>,
    /// How days are counted.
    #[schemars(extend("default" = DEFAULT_COUNT_DAYS))]
    pub count_days: Option<DayCount>,
    /// Contact kinds that count (`dropin_triage` is the drop-in's fast
    /// triage; `any` counts every kind).
    #[schemars(extend("x-default" = "required for a new rule"))]
    pub contact_kinds: Option<Vec<KindChoice>>,
    /// Profession keys, `licensed` (every licensed profession) or `any`. The
    /// rule measures only categories that one of them may `assess` (the old
    /// doctor rule leaves out a nurse's wound dressing, which never needed a
    /// doctor).
    #[schemars(extend("x-type" = "array of profession keys", "x-default" = "required for a new rule"))]
    pub professions: Option<Vec<String>>,
    /// Which episodes the rule measures.
    #[schemars(extend("default" = DEFAULT_APPLIES_TO))]
    pub applies_to: Option<AppliesTo>,
    /// Channels of first contact that the rule measures (`home_care`:
    /// requests from municipal home care to a mobile team).
    #[schemars(extend("x-default" = "all"))]
    pub channels: Option<Vec<Channel>>,
    /// Leave out episodes that needed no assessment by the unit: resolved by
    /// self-care advice, referred to the emergency department by triage (not
    /// those a full mobile team had to send there: they count as misses),
    /// no-show without rebooking, cancelled, went elsewhere (declined a far-off first time).
    #[schemars(extend("default" = DEFAULT_ONLY_NEEDING_ASSESSMENT))]
    pub only_needing_assessment: Option<bool>,
    /// Leave out episodes whose patient chose a later time (`patientvald
    /// väntan`) while the rule was still open (not yet met by that day, its
    /// last day not passed; any other choice did not cause a miss), as the
    /// law does; the default (built-ins too) counts them, as published
    /// statistics do when the choice is not registered.
    #[schemars(extend("default" = DEFAULT_EXCLUDE_PATIENT_CHOSEN))]
    pub exclude_patient_chosen: Option<bool>,
    /// English label for reports.
    #[schemars(extend("x-default" = "the key"))]
    pub label_en: Option<String>,
    /// Swedish label for reports.
    #[schemars(extend("x-default" = "the key"))]
    pub label_sv: Option<String>,
    /// `false` drops a rule (a built-in one, say).
    #[schemars(extend("default" = DEFAULT_RULE_ENABLED))]
    pub enabled: Option<bool>,
}

/// How a new rule counts days: SKR counts calendar days.
pub const DEFAULT_COUNT_DAYS: DayCount = DayCount::Calendar;
/// Which episodes a new rule measures.
pub const DEFAULT_APPLIES_TO: AppliesTo = AppliesTo::Guarantee;
/// A new rule counts episodes that needed no assessment.
pub const DEFAULT_ONLY_NEEDING_ASSESSMENT: bool = false;
/// A new rule counts episodes with a patient-chosen later time.
pub const DEFAULT_EXCLUDE_PATIENT_CHOSEN: bool = false;
/// A rule is measured unless disabled.
pub const DEFAULT_RULE_ENABLED: bool = true;

/// Which episodes a guarantee rule measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    /// Only episodes inside the care guarantee.
    Guarantee,
    /// Every episode.
    All,
}

/// An entry of a rule's `contact_kinds`: a contact kind, or `any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindChoice {
    /// Every kind.
    Any,
    /// One kind.
    Kind(ContactKind),
}

/// `any` and every contact kind's key.
const KIND_CHOICE_KEYS: [&str; ContactKind::KEYS.len() + 1] = {
    let mut keys = ["any"; ContactKind::KEYS.len() + 1];
    let mut i = 0;
    while i < ContactKind::KEYS.len() {
        keys[i + 1] = ContactKind::KEYS[i];
        i += 1;
    }
    keys
};

impl<'de> Deserialize<'de> for KindChoice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        if key == "any" {
            return Ok(KindChoice::Any);
        }
        ContactKind::ALL
            .into_iter()
            .find(|k| k.key() == key)
            .map(KindChoice::Kind)
            .ok_or_else(|| serde::de::Error::unknown_variant(&key, &KIND_CHOICE_KEYS))
    }
}

impl JsonSchema for KindChoice {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "KindChoice".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": KIND_CHOICE_KEYS })
    }
}

impl RuleFile {
    /// This rule's keys over `base`'s: a scenario may change one key of a
    /// built-in rule.
    pub fn over(self, base: &RuleFile) -> RuleFile {
        let b = base.clone();
        RuleFile {
            deadline_days: self.deadline_days.or(b.deadline_days),
            count_days: self.count_days.or(b.count_days),
            contact_kinds: self.contact_kinds.or(b.contact_kinds),
            professions: self.professions.or(b.professions),
            applies_to: self.applies_to.or(b.applies_to),
            channels: self.channels.or(b.channels),
            only_needing_assessment: self.only_needing_assessment.or(b.only_needing_assessment),
            exclude_patient_chosen: self.exclude_patient_chosen.or(b.exclude_patient_chosen),
            label_en: self.label_en.or(b.label_en),
            label_sv: self.label_sv.or(b.label_sv),
            enabled: self.enabled.or(b.enabled),
        }
    }
}

/// `[costs]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct CostsFile {
    /// Cost to the region of one emergency department visit
    /// (`akutbesök`), SEK. The default is an assumption of the order of
    /// the regions' cost-per-patient (KPP) figures for a visit without
    /// admission; put your region's own figure here.
    #[serde(default = "default_emergency_visit")]
    pub emergency_visit_sek: SekPerVisit,
    /// Share of emergency department visits that end in an admission
    /// (`inläggning`); give it with `emergency_admission_sek`.
    #[schemars(extend("x-default" = "none: admissions are not counted"))]
    pub emergency_admitted_share: Option<Probability>,
    /// Cost of one admission after an emergency department visit, SEK, on
    /// top of the visit's (required with `emergency_admitted_share`).
    #[schemars(extend("x-default" = "required with `emergency_admitted_share`"))]
    pub emergency_admission_sek: Option<SekPerVisit>,
}

/// Assumption (docs/scenario.md): a Swedish emergency department visit
/// without admission, SEK.
pub const DEFAULT_EMERGENCY_VISIT_SEK: f64 = 5_000.0;

fn default_emergency_visit() -> SekPerVisit {
    SekPerVisit::new(DEFAULT_EMERGENCY_VISIT_SEK)
}

impl Default for CostsFile {
    fn default() -> Self {
        CostsFile {
            emergency_visit_sek: default_emergency_visit(),
            emergency_admitted_share: None,
            emergency_admission_sek: None,
        }
    }
}

/// `[metrics]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct MetricsFile {
    /// One metric `dropin_wait_over_<N>_min` per threshold, minutes.
    #[serde(default = "default_thresholds")]
    pub dropin_wait_thresholds_minutes: Thresholds,
}

fn default_thresholds() -> Thresholds {
    Thresholds(vec![ThresholdMinutes::new(30)])
}

impl Default for MetricsFile {
    fn default() -> Self {
        MetricsFile {
            dropin_wait_thresholds_minutes: default_thresholds(),
        }
    }
}

/// `[mobile_teams.<key>]`: crews that drive from their base to patients' homes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct MobileTeamFile {
    /// Display name.
    #[schemars(extend("x-default" = "the key"))]
    pub name: Option<String>,
    /// Unit the crews belong to: their staff cost and utilisation count there.
    #[schemars(extend("x-type" = "unit key"))]
    pub base: String,
    /// Units whose triaged patients (`after_triage.mobile`) the team visits.
    #[schemars(extend("x-type" = "array of unit keys", "x-default" = "`[base]`"))]
    pub serves: Option<Vec<String>>,
    /// Crews working in parallel, one vehicle each.
    #[serde(default = "one_crew")]
    pub crews: Crews,
    /// Head count per crew by profession key, e.g. `{ doctor = 1,
    /// district_nurse = 1 }`. Every member is a staff member of `base` with
    /// the team's shifts as paid time; driving and visiting are their busy
    /// time (activity `mobile`). The home visit is recorded with the crew's
    /// doctor if it has one, else its licensed profession with the highest
    /// cost per FTE-year, else its first.
    #[schemars(extend("x-type" = "table of profession key → {value}"))]
    pub crew: BTreeMap<String, HeadCount>,
    /// Duty hours of every crew.
    // A plain `Vec` for the reason given at `CategoryFile::assess`.
    #[schemars(extend("minItems" = 1))]
    pub shifts: Vec<HoursFile>,
    /// Length of one home visit, minutes.
    pub visit_minutes: DistSpec,
    /// How travel time is computed.
    pub travel: TravelFile,
    /// Same-day requests from municipal home care (`hemtjänst`) per duty
    /// day: a Poisson stream over the duty hours (the rate per hour is this ×
    /// duty days per week ÷ duty hours per week); new contacts through
    /// channel `home_care`.
    #[serde(default = "no_requests")]
    pub home_care_requests_per_day: TeamRate,
    /// Planned home visits per week: a Poisson stream over the duty hours,
    /// urgency `planned`, recorded as planned follow-ups (outside the
    /// guarantee, not new contacts).
    #[serde(default = "no_requests")]
    pub planned_visits_per_week: TeamRate,
    /// Case-mix category of the home-care and planned requests (guarantee
    /// scope; the age group is drawn from the age groups' `share ×
    /// category_weight`).
    #[schemars(extend("x-type" = "category key", "x-default" = "required if either rate > 0"))]
    pub category: Option<String>,
}

fn one_crew() -> Crews {
    Crews::new(1)
}
fn no_requests() -> TeamRate {
    TeamRate::new(0.0)
}

/// `[mobile_teams.<key>.travel]`: exactly one of `distance_km` and `places`.
/// A leg takes distance × `winding` ÷ `speed_kmh`, times `winter_slowdown`
/// on days in `winter_months`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct TravelFile {
    /// Road distance of each leg, km; every leg (to a patient, between
    /// patients, back to base) is a fresh draw.
    pub distance_km: Option<DistSpec>,
    /// Places, km east and north of the base (at 0, 0); each request comes
    /// from a place drawn by `weight`; a leg is the straight-line distance ×
    /// `winding`.
    pub places: Option<Vec<PlaceFile>>,
    /// Average road speed, km/h.
    pub speed_kmh: SpeedKmh,
    /// Road distance ÷ straight-line distance (applies to `distance_km` too).
    #[serde(default = "no_factor")]
    pub winding: Factor,
    /// Travel-time multiplier in winter months.
    #[serde(default = "no_factor")]
    pub winter_slowdown: Factor,
    /// Months (1–12) with the winter slowdown (assumption).
    #[serde(default = "default_winter")]
    pub winter_months: Vec<Month>,
}

fn no_factor() -> Factor {
    Factor::new(1.0)
}
fn default_winter() -> Vec<Month> {
    [12, 1, 2, 3].map(Month::new).to_vec()
}

/// A place a mobile team drives to.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = key_order::<Self>)]
pub struct PlaceFile {
    /// Name, for people.
    #[schemars(extend("x-default" = "`place <i>`"))]
    pub name: Option<String>,
    /// East of the base, km.
    pub x_km: Km,
    /// North of the base, km.
    pub y_km: Km,
    /// Relative share of requests from here.
    #[serde(default = "unit_weight")]
    pub weight: Weight,
}

fn unit_weight() -> Weight {
    Weight::new(1.0)
}
