//! The raw, serde form of a scenario file (format v1): exactly what the TOML
//! says, with every key optional where a default exists. [`super::validate`]
//! turns it into a checked [`super::Scenario`].
//!
//! **Invariant:** every struct here denies unknown keys, so a misspelt key is
//! an error, never silently ignored. Every key is documented in
//! `docs/scenario.md`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::dist_spec::DistSpec;

/// A whole scenario file after `extends` and `--set` were applied.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Scenario name; names the output folder.
    pub name: String,
    /// Free text shown in reports.
    #[serde(default)]
    pub description: String,
    /// Format version; only 1 exists.
    #[serde(default = "one")]
    pub format_version: u32,
    /// Run length, warm-up and calendar.
    #[serde(default)]
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
    /// Age groups (default: one group `all`).
    #[serde(default)]
    pub age_groups: BTreeMap<String, AgeGroupFile>,
    /// Guarantee rules added to or overriding the built-in `0`, `3` and `7`.
    #[serde(default)]
    pub guarantee: BTreeMap<String, RuleFile>,
    /// Options for derived metrics.
    #[serde(default)]
    pub metrics: MetricsFile,
    /// Mobile teams (`mobila team`) making home visits.
    #[serde(default)]
    pub mobile_teams: BTreeMap<String, MobileTeamFile>,
}

fn one() -> u32 {
    1
}

/// `[simulation]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationFile {
    /// Simulated days, warm-up included.
    #[serde(default = "default_horizon")]
    pub horizon_days: u32,
    /// Days at the start that no metric counts.
    #[serde(default = "default_warmup")]
    pub warmup_days: u32,
    /// Weekday of day 0.
    #[serde(default = "default_weekday")]
    pub start_weekday: String,
    /// Month of day 0, 1–12.
    #[serde(default = "one")]
    pub start_month: u32,
    /// Scenarios with the same key share random numbers.
    #[serde(default = "default_crn_key")]
    pub crn_key: String,
}

fn default_horizon() -> u32 {
    365
}
fn default_warmup() -> u32 {
    28
}
fn default_weekday() -> String {
    "monday".into()
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
            start_month: 1,
            crn_key: default_crn_key(),
        }
    }
}

/// `[professions.<key>]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfessionFile {
    /// Licensed health professional (counts for the 3-day rule); required for new professions.
    pub licensed: Option<bool>,
    /// English label.
    pub label_en: Option<String>,
    /// Swedish label.
    pub label_sv: Option<String>,
    /// Employer's cost per full-time year, SEK.
    pub cost_per_fte_year_sek: Option<f64>,
}

impl ProfessionFile {
    /// This profession's keys over `base`'s.
    pub fn over(self, base: &ProfessionFile) -> ProfessionFile {
        let b = base.clone();
        ProfessionFile {
            licensed: self.licensed.or(b.licensed),
            label_en: self.label_en.or(b.label_en),
            label_sv: self.label_sv.or(b.label_sv),
            cost_per_fte_year_sek: self.cost_per_fte_year_sek.or(b.cost_per_fte_year_sek),
        }
    }
}

/// `[units.<key>]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFile {
    /// Display name.
    pub name: Option<String>,
    /// Listed inhabitants (`listade patienter`).
    pub listed: Option<u32>,
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
    pub booking: BookingFile,
    /// Arrival streams by channel.
    #[serde(default)]
    pub demand: DemandFile,
}

/// `[units.<u>.staff.<key>]`: `count` identical staff members.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffGroupFile {
    /// Profession key; defaults to the group's key.
    pub profession: Option<String>,
    /// Number of staff members with this schedule.
    pub count: u32,
    /// Weekly shift blocks.
    #[serde(default)]
    pub shifts: Vec<ShiftFile>,
}

/// One block of a weekly schedule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftFile {
    /// `mon-fri`, `all`, `sat`, `mon,wed,fri`, `weekdays`, `weekend`.
    pub days: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`, `24:00` allowed.
    pub end: String,
    /// What the staff member does in this block.
    pub activity: String,
    /// For `visits` blocks: length of one appointment slot, minutes (default 20).
    pub slot_minutes: Option<f64>,
    /// For `visits` blocks: `acute`, `short_notice`, `regular` (default), `web` or `follow_up`.
    pub slot_type: Option<String>,
}

/// An opening-hours block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursFile {
    /// Days, as in shifts.
    pub days: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
}

/// `[units.<u>.phone]`: the telephone line with call-back (`återuppringning`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneFile {
    /// When the line takes calls.
    pub hours: Vec<HoursFile>,
    /// `callback` (default) or `hold_queue`.
    #[serde(default = "default_phone_mode")]
    pub mode: String,
    /// In a hold queue: how long a caller waits before hanging up.
    pub patience_minutes: Option<DistSpec>,
    /// Length of one call-back time in the nurses' telephone blocks, minutes.
    #[serde(default = "default_callback_slot")]
    pub callback_slot_minutes: f64,
    /// Length of the nurse's triage call, minutes.
    pub triage_minutes: Option<DistSpec>,
    /// Key of the unit whose telephone nurses answer this unit's calls (a
    /// shared regional line); triage then routes to this unit's services.
    pub answered_by: Option<String>,
}

fn default_phone_mode() -> String {
    "callback".into()
}
fn default_callback_slot() -> f64 {
    10.0
}

/// `[units.<u>.eservice]`: written requests through 1177 e-services, answered
/// by staff in their e-service shifts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EServiceFile {
    /// Time to read and answer one request, minutes (required unless
    /// another unit answers).
    pub answer_minutes: Option<DistSpec>,
    /// Key of the unit (e.g. a regional digital provider) that answers this
    /// unit's e-service requests.
    pub answered_by: Option<String>,
}

/// `[units.<u>.booking]`: how the appointment book is searched and used.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingFile {
    /// Search every profession that may assess the case (true) or doctors only (false).
    #[serde(default)]
    pub profession_neutral: bool,
    /// `book_late` (earliest slot after the window) or `overflow` (the patient is turned away).
    #[serde(default = "default_when_full")]
    pub when_full: String,
    /// How many days ahead short-notice slots can be booked.
    #[serde(default = "default_short_notice")]
    pub short_notice_days: u32,
    /// How many days ahead regular and follow-up slots can be booked.
    #[serde(default = "default_booking_horizon")]
    pub booking_horizon_days: u32,
    /// How many days ahead patients see web slots (`webbtidbok`).
    #[serde(default = "default_web_horizon")]
    pub web_horizon_days: u32,
    /// No-show probability by lead time: same day, next day, 2–7 days, more than 7 days.
    #[serde(default = "default_no_show")]
    pub no_show: Vec<f64>,
    /// Probability that a patient who did not show up books again.
    #[serde(default = "default_rebook")]
    pub rebook_after_no_show: f64,
    /// Cancellation probability by lead time (as `no_show`); a cancelled slot is free again.
    #[serde(default = "default_cancellation")]
    pub cancellation: Vec<f64>,
    /// Probability that a web-booking patient looks for a doctor's slot first.
    #[serde(default = "default_prefer_doctor")]
    pub web_prefer_doctor: f64,
    /// Share of patients booked after triage who choose a later time
    /// themselves (`patientvald väntan`).
    #[serde(default)]
    pub patient_chosen_share: f64,
    /// How many days later than now such patients want their visit.
    pub patient_chosen_days: Option<DistSpec>,
    /// Web slots still free on their day go to staff booking for urgent cases.
    #[serde(default = "yes")]
    pub release_web_on_day: bool,
}

/// Assumption: cancellations grow with lead time, as no-shows do.
fn default_cancellation() -> Vec<f64> {
    vec![0.0, 0.02, 0.04, 0.06]
}
/// Assumption (the seeds warn that self-bookers pick doctors).
fn default_prefer_doctor() -> f64 {
    0.7
}

fn default_when_full() -> String {
    "book_late".into()
}
fn default_short_notice() -> u32 {
    3
}
fn default_booking_horizon() -> u32 {
    28
}
fn default_web_horizon() -> u32 {
    14
}
/// NHS England appointments data (domain brief §5).
fn default_no_show() -> Vec<f64> {
    vec![0.019, 0.05, 0.068, 0.085]
}
fn default_rebook() -> f64 {
    0.5
}

impl Default for BookingFile {
    fn default() -> Self {
        BookingFile {
            profession_neutral: false,
            when_full: default_when_full(),
            short_notice_days: default_short_notice(),
            booking_horizon_days: default_booking_horizon(),
            web_horizon_days: default_web_horizon(),
            no_show: default_no_show(),
            rebook_after_no_show: default_rebook(),
            cancellation: default_cancellation(),
            web_prefer_doctor: default_prefer_doctor(),
            patient_chosen_share: 0.0,
            patient_chosen_days: None,
            release_web_on_day: true,
        }
    }
}

/// `[units.<u>.dropin]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropInFile {
    /// Opening hours.
    pub hours: Vec<HoursFile>,
    /// `see_all` or `send_away`.
    #[serde(default = "default_at_closing")]
    pub at_closing: String,
    /// Arrivals balk when this many already wait.
    pub balk_at_queue_length: Option<u32>,
    /// How long a waiting patient stays before leaving.
    pub patience_minutes: Option<DistSpec>,
    /// Professions who see drop-in patients (default: everyone on drop-in
    /// duty who may assess the case); `["doctor"]` is the doctor-only drop-in.
    pub professions: Option<Vec<String>>,
    /// The patient's own time for registration (a digital health form)
    /// before joining the queue, minutes.
    pub registration_minutes: Option<DistSpec>,
    /// Fast triage by staff on drop-in duty before the visit, minutes; then
    /// the patient waits for a competent professional by urgency.
    pub triage_minutes: Option<DistSpec>,
    /// Professions who do the fast triage (default: everyone on drop-in duty).
    pub triage_by: Option<Vec<String>>,
    /// Key of the unit whose shared remote doctor pool examines this unit's
    /// acute patients that no local professional may assess.
    pub remote_doctor: Option<String>,
}

/// `[units.<u>.remote_doctor]`: the unit hosts a shared remote (video)
/// doctor pool, staffed by its staff on `remote` duty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemotePoolFile {
    /// Length of one video examination, minutes.
    pub exam_minutes: DistSpec,
}

fn default_at_closing() -> String {
    "see_all".into()
}

/// `[units.<u>.demand]`: how many patients seek contact, and through which channel.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandFile {
    /// Contacts per listed inhabitant and year, all channels together.
    pub contacts_per_listed_year: Option<f64>,
    /// Coefficient of variation of the day-level demand factor (gamma, mean 1).
    #[serde(default)]
    pub day_cv: f64,
    /// Multipliers Monday … Sunday, for every channel of the unit.
    pub weekday_profile: Option<Vec<f64>>,
    /// Multipliers for hours 0 … 23, for every channel of the unit.
    pub hour_profile: Option<Vec<f64>>,
    /// Multipliers January … December, for every channel of the unit.
    pub month_profile: Option<Vec<f64>>,
    /// Telephone calls.
    pub phone: Option<ArrivalFile>,
    /// 1177 e-service requests.
    pub eservice: Option<ArrivalFile>,
    /// Web bookings.
    pub web_booking: Option<ArrivalFile>,
    /// Walk-in patients to the drop-in.
    pub walk_in: Option<ArrivalFile>,
}

/// One channel's arrivals: a non-homogeneous Poisson stream.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalFile {
    /// Base rate per hour while the channel is open (instead of `share`).
    pub per_hour: Option<f64>,
    /// Share of the unit's `contacts_per_listed_year` (instead of `per_hour`).
    pub share: Option<f64>,
    /// Exact arrival times repeated every week, e.g. `["mon 08:00", "tue 13:30"]`
    /// (instead of `per_hour` or `share`).
    pub weekly_times: Option<Vec<String>>,
    /// Multipliers Monday … Sunday (overrides the unit's).
    pub weekday_profile: Option<Vec<f64>>,
    /// Multipliers for hours 0 … 23 (overrides the unit's).
    pub hour_profile: Option<Vec<f64>>,
    /// Multipliers January … December (overrides the unit's).
    pub month_profile: Option<Vec<f64>>,
}

/// `[age_groups.<key>]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeGroupFile {
    /// Share of contacts.
    pub share: f64,
    /// Relative propensity to use each channel (default 1).
    #[serde(default)]
    pub channel_weight: BTreeMap<String, f64>,
    /// Relative weight of each category for this age group (default 1).
    #[serde(default)]
    pub category_weight: BTreeMap<String, f64>,
}

/// `[categories.<key>]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    /// Share of contacts, relative to the other categories.
    pub share: f64,
    /// `same_day`, `within_3_days`, `within_2_weeks`, `planned`.
    #[serde(default = "default_urgency")]
    pub urgency: String,
    /// Inside the care guarantee (new or worsened problems).
    #[serde(default = "yes")]
    pub inside_guarantee: bool,
    /// Professions that may assess this category.
    pub assess: Vec<String>,
    /// Professions that may treat it in a booked visit after triage (default: `assess`).
    pub treat: Option<Vec<String>>,
    /// Service time per profession, minutes.
    pub service_minutes: BTreeMap<String, DistSpec>,
    /// Probability that the nurse's self-care advice resolves the contact.
    #[serde(default)]
    pub self_care_resolves: f64,
    /// Where the rest go after triage: weights of `book`, `dropin`, `emergency`.
    pub after_triage: Option<BTreeMap<String, f64>>,
    /// Probability that a visit creates a planned follow-up visit (`återbesök`).
    #[serde(default)]
    pub follow_up_share: f64,
    /// Days from the visit to the follow-up.
    pub follow_up_days: Option<DistSpec>,
}

fn default_urgency() -> String {
    "within_3_days".into()
}
fn yes() -> bool {
    true
}

/// `[guarantee.<key>]`: a rule; its key is the metric's key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Days allowed after the day of first contact (day 0).
    pub deadline_days: Option<u32>,
    /// `calendar` (default) or `working`.
    pub count_days: Option<String>,
    /// Contact kinds that count, or `["any"]`.
    pub contact_kinds: Option<Vec<String>>,
    /// Profession keys, `licensed` or `any`.
    pub professions: Option<Vec<String>>,
    /// `guarantee` (default: episodes inside the guarantee) or `all`.
    pub applies_to: Option<String>,
    /// Channels of first contact that the rule measures (default: all).
    pub channels: Option<Vec<String>>,
    /// Leave out episodes that needed no assessment by the unit: resolved by
    /// self-care advice, referred to the emergency department, or ended by
    /// the patient (no-show without rebooking, cancellation). Default false.
    pub only_needing_assessment: Option<bool>,
    /// Leave out episodes whose patient chose a later time themselves
    /// (`patientvald väntan`), as the law does. Default false: the published
    /// statistics count them unless registered.
    pub exclude_patient_chosen: Option<bool>,
    /// English label.
    pub label_en: Option<String>,
    /// Swedish label.
    pub label_sv: Option<String>,
    /// Set false to drop a rule (default true).
    pub enabled: Option<bool>,
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

/// `[metrics]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsFile {
    /// Thresholds for `dropin_wait_over_<N>_min`.
    #[serde(default = "default_thresholds")]
    pub dropin_wait_thresholds_minutes: Vec<u32>,
}

fn default_thresholds() -> Vec<u32> {
    vec![30]
}

impl Default for MetricsFile {
    fn default() -> Self {
        MetricsFile {
            dropin_wait_thresholds_minutes: default_thresholds(),
        }
    }
}

/// `[mobile_teams.<key>]`: crews that drive to patients' homes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MobileTeamFile {
    /// Display name.
    pub name: Option<String>,
    /// Unit the team belongs to (staff cost and utilisation are counted there).
    pub base: String,
    /// Units whose patients the team visits (default: the base).
    pub serves: Option<Vec<String>>,
    /// Crews working in parallel, one vehicle each.
    #[serde(default = "one")]
    pub crews: u32,
    /// Head count per crew, by profession key.
    pub crew: BTreeMap<String, u32>,
    /// Weekly duty hours of every crew.
    pub shifts: Vec<HoursFile>,
    /// Length of one home visit, minutes.
    pub visit_minutes: DistSpec,
    /// How travel time is computed.
    pub travel: TravelFile,
    /// Same-day requests from municipal home care per duty day.
    #[serde(default)]
    pub home_care_requests_per_day: f64,
    /// Planned home visits requested per week.
    #[serde(default)]
    pub planned_visits_per_week: f64,
    /// Case-mix category of the home-care and planned requests.
    pub category: Option<String>,
}

/// `[mobile_teams.<key>.travel]`: either a distance distribution or places.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelFile {
    /// Road distance of each leg, km (instead of `places`).
    pub distance_km: Option<DistSpec>,
    /// Places with coordinates, km from the base (instead of `distance_km`).
    pub places: Option<Vec<PlaceFile>>,
    /// Average road speed, km/h.
    pub speed_kmh: f64,
    /// Road distance ÷ distance (default 1).
    #[serde(default = "one_f")]
    pub winding: f64,
    /// Travel-time multiplier in winter months (default 1).
    #[serde(default = "one_f")]
    pub winter_slowdown: f64,
    /// Months (1–12) with the winter slowdown (default December–March).
    #[serde(default = "default_winter")]
    pub winter_months: Vec<u32>,
}

fn one_f() -> f64 {
    1.0
}
fn default_winter() -> Vec<u32> {
    vec![12, 1, 2, 3]
}

/// A place a mobile team drives to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceFile {
    /// Name, for people.
    pub name: Option<String>,
    /// East of the base, km.
    pub x_km: f64,
    /// North of the base, km.
    pub y_km: f64,
    /// Relative share of requests from here (default 1).
    #[serde(default = "one_f")]
    pub weight: f64,
}
