//! The validated scenario: what the model runs.
//!
//! **Invariant:** a [`Scenario`] is only made by [`super::Scenario::load`] (or
//! [`super::Scenario::from_toml`]), which checked every value: rates are
//! within their bounds, shifts end after they start, every referenced profession
//! and category exists, and every profession that may assess a category has a
//! service time for it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::{Calendar, SimTime};
use crate::vocab::dist::Distribution;
use crate::vocab::ids::{CategoryId, ProfessionId, ProfessionSet, UnitId};
use crate::vocab::kinds::{Activity, Channel, ContactKindSet, Urgency};
use crate::vocab::slot::{ReleaseRules, SlotType};
use crate::vocab::week::WeeklyBlock;

/// A checked scenario.
#[derive(Clone, Debug, serde::Serialize)]
#[non_exhaustive]
pub struct Scenario {
    /// Name; names the output folder.
    pub name: String,
    /// Free text.
    pub description: String,
    /// The description in Swedish, if the scenario gives one. Not part of
    /// what runs (nor of the scenario's fingerprint).
    #[serde(skip)]
    pub description_sv: Option<String>,
    /// Label in English reports, if the scenario gives one. Not part of
    /// what runs (nor of the scenario's fingerprint).
    #[serde(skip)]
    pub label_en: Option<String>,
    /// Label in Swedish reports, if the scenario gives one.
    #[serde(skip)]
    pub label_sv: Option<String>,
    /// Simulated days including warm-up.
    pub horizon_days: u32,
    /// Days excluded from every metric.
    pub warmup_days: u32,
    /// Weekday and month of day 0.
    pub calendar: Calendar,
    /// Common-random-numbers key.
    pub crn_key: String,
    /// Professions; [`ProfessionId`] indexes this.
    pub professions: Vec<Profession>,
    /// Health centres.
    pub units: Vec<Unit>,
    /// Case mix; [`CategoryId`] indexes this.
    pub categories: Vec<Category>,
    /// Age groups; `AgeId` indexes this.
    pub age_groups: Vec<AgeGroup>,
    /// Per channel: cumulative weights of age groups (share × channel weight).
    pub age_cumulative: [Vec<f64>; Channel::COUNT],
    /// Distance bands of every unit that gives them, nearest first (empty:
    /// no unit does, and no `distance` breakdown is written).
    pub distance_bands: Vec<DistanceBand>,
    /// Per age group: cumulative weights of categories (share × category weight).
    pub category_cumulative: Vec<Vec<f64>>,
    /// Guarantee rules, in key order.
    pub rules: Vec<GuaranteeRule>,
    /// Thresholds for `dropin_wait_over_<N>_min`, minutes.
    pub dropin_wait_thresholds_minutes: Vec<u32>,
    /// Mobile teams, in key order.
    pub mobile_teams: Vec<MobileTeam>,
    /// Costs outside the units' staff.
    pub costs: Costs,
    /// Staff supply (`[supply]`); `None`: full, stable rosters.
    pub supply: Option<super::supply::Supply>,
    /// What the scenario says that can be meant but probably is not (a staff
    /// group without shifts), located; printed as `warning:` lines and kept
    /// in `assumptions.json`. Not part of what runs.
    #[serde(skip)]
    pub warnings: Vec<super::Problem>,
}

impl Scenario {
    /// End of the run.
    pub fn horizon(&self) -> SimTime {
        SimTime::from_days(self.horizon_days as u64)
    }
    /// End of the warm-up.
    pub fn warmup_end(&self) -> SimTime {
        SimTime::from_days(self.warmup_days as u64)
    }
    /// The profession with key `key`.
    pub fn profession(&self, key: &str) -> Option<ProfessionId> {
        self.professions
            .iter()
            .position(|p| p.key == key)
            .map(|i| ProfessionId(i as u8))
    }
}

/// A profession.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Profession {
    /// Key, e.g. `nurse`.
    pub key: String,
    /// Licensed health professional.
    pub licensed: bool,
    /// English label.
    pub label_en: String,
    /// Swedish label.
    pub label_sv: String,
    /// SEK per full-time year.
    pub cost_per_fte_year_sek: f64,
    /// Share of working time on sick leave.
    pub sick_leave_share: f64,
    /// Share of working time caring for a sick child.
    pub child_care_share: f64,
    /// Share of working time on planned absence.
    pub planned_absence_share: f64,
    /// A hired member's cost over an employed one's.
    pub hired_cost_factor: f64,
}

/// A health centre.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Unit {
    /// Key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Staff groups.
    pub staff: Vec<StaffGroup>,
    /// Listed inhabitants.
    pub listed: u32,
    /// The walk-in desk.
    pub dropin: Option<DropInSpec>,
    /// The telephone line.
    pub phone: Option<PhoneSpec>,
    /// The e-service inbox: time to answer one request, minutes.
    pub eservice_answer_minutes: Option<Distribution>,
    /// A shared remote doctor pool hosted here.
    pub remote_pool: Option<RemotePoolSpec>,
    /// The unit whose telephone nurses answer this unit's calls (itself
    /// when `None`).
    pub phone_host: Option<usize>,
    /// The unit that answers this unit's e-service requests.
    pub eservice_host: Option<usize>,
    /// Booking rules.
    pub booking: BookingSpec,
    /// Coefficient of variation of the day-level demand factor.
    pub day_cv: f64,
    /// Arrival streams, one per channel with demand.
    pub arrivals: Vec<ArrivalSpec>,
    /// Planned visits the unit books itself (`kallelse`), in key order.
    pub planned: Vec<PlannedSpec>,
    /// Named clinicians of the listed patients (`[units.<u>.continuity]`).
    pub continuity: Option<ContinuitySpec>,
    /// How far its patients live (`[units.<u>.distance_bands]`).
    pub distance: Option<UnitDistance>,
}

/// Continuity of care in a unit: the shares of its listed patients with a
/// named doctor and with a named contact.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct ContinuitySpec {
    /// Share of the listed patients with a named doctor.
    pub named_doctor_share: f64,
    /// Share of the listed patients with a named contact.
    pub named_contact_share: f64,
    /// Profession of the named contacts.
    pub named_contact: ProfessionId,
}

/// A stream of planned visits a unit books itself (`[units.<u>.planned.<key>]`).
#[derive(Clone, Debug, serde::Serialize)]
pub struct PlannedSpec {
    /// Key within the unit.
    pub key: String,
    /// Case-mix category.
    pub category: CategoryId,
    /// Whose book takes the visits.
    pub profession: ProfessionId,
    /// Expected bookings per 365-day year (visits per listed × listed).
    pub per_year: f64,
    /// Days from the booking to the earliest day of the visit.
    pub lead_days: Distribution,
}

/// `count` staff members of one profession with one weekly schedule.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StaffGroup {
    /// Key within the unit.
    pub key: String,
    /// Profession.
    pub profession: ProfessionId,
    /// Head count.
    pub count: u32,
    /// Weekly blocks with their activity.
    pub shifts: Vec<(WeeklyBlock, Activity)>,
    /// The `visits` blocks with their slot length (seconds) and slot type.
    pub visit_slots: Vec<(WeeklyBlock, u32, SlotType)>,
    /// Dated head counts: (first day of year, last day of year inclusive,
    /// members at work); a range with last < first wraps the year end.
    pub dated: Vec<(u16, u16, u32)>,
    /// Unfilled posts among `count`.
    pub vacant: u32,
    /// Hired staff: (first day of year, last day inclusive, members), as `dated`.
    pub hired: Vec<(u16, u16, u32)>,
    /// A stand-in works employed members' shifts while they are on leave
    /// or absent (`cover`).
    pub cover: bool,
    /// Of a covered member's summer-leave days, the share a stand-in
    /// works (`summer_cover`; 1 when not given).
    pub summer_cover: f64,
}

impl StaffGroup {
    /// Whether member `member` (0-based within the group) works on day of
    /// year `doy`: members beyond a dated head count are away.
    pub fn works_on(&self, member: u32, doy: u64) -> bool {
        let doy = doy as u16;
        self.dated
            .iter()
            .find(|&&(from, to, _)| in_range(from, to, doy))
            .is_none_or(|&(_, _, count)| member < count)
    }

    /// Employed members (`count - vacant`): arena members `0..employed`.
    pub fn employed(&self) -> u32 {
        self.count.saturating_sub(self.vacant)
    }

    /// Hired members at most at once (arena members after the employed).
    pub fn hired_max(&self) -> u32 {
        self.hired.iter().map(|h| h.2).max().unwrap_or(0)
    }

    /// Whether hired member `h` (0-based) works on day of year `doy`.
    pub fn hired_on(&self, h: u32, doy: u64) -> bool {
        let doy = doy as u16;
        self.hired
            .iter()
            .any(|&(from, to, n)| h < n && in_range(from, to, doy))
    }
}

/// Whether day of year `doy` lies in `from..=to` (wrapping the year end
/// when `to < from`).
fn in_range(from: u16, to: u16, doy: u16) -> bool {
    if from <= to {
        (from..=to).contains(&doy)
    } else {
        doy >= from || doy <= to
    }
}

/// How a unit books visits.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BookingSpec {
    /// Search every profession that may assess the case, not only doctors.
    pub profession_neutral: bool,
    /// Book the earliest slot after the urgency window when the window is full
    /// (false: the patient overflows, recorded as turned away).
    pub book_late: bool,
    /// Release rules of the book.
    pub rules: ReleaseRules,
    /// No-show probability: same day, next day, 2–7 days, more than 7 days.
    pub no_show: [f64; 4],
    /// Probability of booking again after a no-show.
    pub rebook_after_no_show: f64,
    /// Cancellation probability by lead time (as `no_show`).
    pub cancellation: [f64; 4],
    /// Probability that a web-booking patient looks for a doctor first.
    pub web_prefer_doctor: f64,
    /// Share of triaged patients who choose a later time themselves.
    pub patient_chosen_share: f64,
    /// Days later they want it.
    pub patient_chosen_days: Distribution,
    /// Unbooked web slots of today go to staff booking for urgent cases.
    pub release_web_on_day: bool,
    /// Unbooked web slots go to staff booking for everyone this many days
    /// before their day (0: never before the day).
    pub web_return_days: u32,
}

/// The telephone line with call-back.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PhoneSpec {
    /// When calls are taken.
    pub hours: Vec<WeeklyBlock>,
    /// Hold queue (callers wait on the line) instead of call-back.
    pub hold_queue: bool,
    /// Hold queue: how long a caller waits before hanging up, minutes.
    pub patience_minutes: Option<Distribution>,
    /// Call-back time length, seconds.
    pub callback_slot_s: u64,
    /// Triage call length, minutes.
    pub triage_minutes: Distribution,
}

/// Where a patient goes after triage (telephone or e-service).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TriageOutcome {
    /// Self-care advice resolves it.
    SelfCare,
    /// A booked visit inside the urgency window (until the appointment-book
    /// flow lands: the patient stays in the system, waiting for a booking).
    Book,
    /// Referred to the unit's drop-in.
    DropIn,
    /// Referred to the emergency department.
    Emergency,
    /// A booked video visit (counts as `video` for guarantee rules).
    Video,
    /// A home visit by the mobile team serving the unit (booked if none does).
    Mobile,
}

impl TriageOutcome {
    /// Outcomes a scenario can weight in `after_triage`, in the order their
    /// weights are stacked for the patient's one uniform draw. The
    /// emergency department comes last: a variant that moves patients
    /// between the other outcomes (booked → mobile team) but keeps the
    /// emergency weight and the total sends the same patients there
    /// (common random numbers). An outcome of weight 0 takes no part of the
    /// draw, so its place changes nothing for categories without it.
    pub const ROUTED: [TriageOutcome; 5] = [
        TriageOutcome::Book,
        TriageOutcome::DropIn,
        TriageOutcome::Video,
        TriageOutcome::Mobile,
        TriageOutcome::Emergency,
    ];
    /// Key in scenario files.
    pub const fn key(self) -> &'static str {
        match self {
            TriageOutcome::SelfCare => "self_care",
            TriageOutcome::Book => "book",
            TriageOutcome::DropIn => "dropin",
            TriageOutcome::Emergency => "emergency",
            TriageOutcome::Video => "video",
            TriageOutcome::Mobile => "mobile",
        }
    }
}

// `after_triage` keys: the routed outcomes (not `self_care`, which
// `self_care_resolves` decides), listed in the order they always were.
crate::vocab::keys::scenario_keys!(
    TriageOutcome,
    [
        TriageOutcome::Book,
        TriageOutcome::DropIn,
        TriageOutcome::Emergency,
        TriageOutcome::Video,
        TriageOutcome::Mobile,
    ]
);

/// What happens to waiting drop-in patients at closing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AtClosing {
    /// Staff on the desk stay until everyone waiting is seen (the time past
    /// their shift is recorded as overtime); a patient none of the staff
    /// still at work may see (the drop-in's doctor gone or away) leaves with
    /// a booked time in hand.
    SeeAll,
    /// Patients still waiting are sent away (recorded as lost).
    SendAway,
    /// Patients still waiting leave with a booked time in hand (booked as
    /// after triage).
    Book,
    /// Patients still waiting are promised a call-back (the unit's line must
    /// be in `callback` mode).
    CallBack,
}

/// A drop-in desk.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DropInSpec {
    /// Weekly opening hours.
    pub hours: Vec<WeeklyBlock>,
    /// Closing policy.
    pub at_closing: AtClosing,
    /// Balk when this many already wait.
    pub balk_at_queue_length: Option<u32>,
    /// Patience, minutes.
    pub patience_minutes: Option<Distribution>,
    /// Professions who may see drop-in patients (all when not restricted).
    pub professions: ProfessionSet,
    /// Patient's registration time (digital health form), minutes.
    pub registration_minutes: Option<Distribution>,
    /// Fast triage before the visit, minutes.
    pub triage_minutes: Option<Distribution>,
    /// Professions who do the fast triage.
    pub triage_by: ProfessionSet,
    /// Unit hosting the remote doctor pool this drop-in sends acute patients to.
    pub remote_doctor: Option<usize>,
    /// Per urgency level (queue priority), each profession's rank when
    /// several posts are free: lower takes the patient first.
    pub prefer_rank: [Vec<u8>; crate::vocab::kinds::Urgency::COUNT],
}

/// A shared remote (video) doctor pool.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RemotePoolSpec {
    /// One examination, minutes.
    pub exam_minutes: Distribution,
}

/// How a channel's arrival rate is given.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum Rate {
    /// Patients per hour (times the profiles).
    PerHour(f64),
    /// Expected contacts per 365-day year, spread over the channel's open
    /// hours in proportion to the profiles.
    PerYear(f64),
    /// Exactly these arrivals every week: seconds since Monday 00:00, sorted
    /// (deterministic demand, for planned flows and hand-checkable tests).
    Weekly(Vec<u64>),
}

/// A channel's non-homogeneous Poisson arrivals: `base × weekday × hour × month`
/// while the channel is open, times the unit's day factor.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ArrivalSpec {
    /// Channel.
    pub channel: Channel,
    /// Base rate.
    pub rate: Rate,
    /// Monday … Sunday multipliers.
    pub weekday: [f64; 7],
    /// Hour 0 … 23 multipliers.
    pub hour: [f64; 24],
    /// January … December multipliers.
    pub month: [f64; 12],
}

impl ArrivalSpec {
    /// Whether the stream can bring anyone: a positive rate (or weekly
    /// times) and some weekday, hour and month with a positive weight.
    pub fn brings_patients(&self) -> bool {
        let rate = match &self.rate {
            Rate::PerHour(r) | Rate::PerYear(r) => *r > 0.0,
            Rate::Weekly(times) => !times.is_empty(),
        };
        let some = |w: &[f64]| w.iter().any(|x| *x > 0.0);
        rate && some(&self.weekday) && some(&self.hour) && some(&self.month)
    }

    /// The profile weight at (weekday, hour, month).
    #[inline]
    pub fn weight(&self, weekday: usize, hour: usize, month: usize) -> f64 {
        self.weekday[weekday] * self.hour[hour] * self.month[month]
    }
}

/// An age group: its share and how it shifts channel choice and case mix.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AgeGroup {
    /// Key, e.g. `80+`.
    pub key: String,
    /// Share of contacts.
    pub share: f64,
    /// Propensity per channel, indexed by `Channel as usize`.
    pub channel_weight: [f64; Channel::COUNT],
    /// Weight per category.
    pub category_weight: Vec<f64>,
    /// Share of the group's patients who use no digital channel: their
    /// e-service requests and web bookings are telephone calls.
    pub digital_excluded_share: f64,
}

/// A distance band of the scenario (the union of its units' bands).
#[derive(Clone, Debug, serde::Serialize)]
pub struct DistanceBand {
    /// Name, `<lower>-<upper>` in km (e.g. `10-30`).
    pub key: String,
    /// Lower and upper bound, km.
    pub lower_km: f64,
    /// Upper bound, km.
    pub upper_km: f64,
}

/// How far a unit's patients live from it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct UnitDistance {
    /// Each band's index in [`Scenario::distance_bands`], nearest first.
    pub bands: Vec<u8>,
    /// Cumulative shares of the bands (for a draw).
    pub cumulative: Vec<f64>,
    /// Share of each band's walk-ins who telephone instead.
    pub walk_in_to_phone: Vec<f64>,
}

/// Costs outside the units' staff: the emergency department.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Costs {
    /// SEK per emergency department visit.
    pub emergency_visit_sek: f64,
    /// Share of those visits admitted (0 when the scenario gives none).
    pub emergency_admitted_share: f64,
    /// SEK per admission, on top of the visit.
    pub emergency_admission_sek: f64,
    /// Whether the scenario gives an admitted share (its metrics are
    /// written only then).
    pub admissions: bool,
}

/// A case-mix category.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Category {
    /// Key.
    pub key: String,
    /// Relative share.
    pub share: f64,
    /// Urgency and queue priority.
    pub urgency: Urgency,
    /// Inside the care guarantee.
    pub inside_guarantee: bool,
    /// Who may assess.
    pub assess: ProfessionSet,
    /// Who may treat it in a booked visit after triage.
    pub treat: ProfessionSet,
    /// Service time in minutes, by profession index (None = may not assess).
    pub service_minutes: Vec<Option<Distribution>>,
    /// Probability that self-care advice at triage resolves the contact.
    pub self_care_resolves: f64,
    /// Cumulative weights over [`TriageOutcome::ROUTED`] for the others.
    pub after_triage_cumulative: [f64; TriageOutcome::ROUTED.len()],
    /// Of the emergency referrals from triage, the share a mobile team's
    /// home visit can replace.
    pub emergency_home_visit_share: f64,
    /// Probability that a visit creates a follow-up visit.
    pub follow_up_share: f64,
    /// Days from the visit to the follow-up.
    pub follow_up_days: Option<Distribution>,
    /// Extra days a patient waits for their named clinician.
    pub continuity_wait_days: u32,
    /// Probability per week of offered wait that a patient declines a
    /// staff-booked first time and goes elsewhere.
    pub elsewhere_per_week: f64,
}

impl Category {
    /// The service-time distribution for profession `p`.
    pub fn service(&self, p: ProfessionId) -> Option<&Distribution> {
        self.service_minutes.get(p.index()).and_then(|d| d.as_ref())
    }
}

/// Calendar or working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// Every day counts (as SKR counts).
    Calendar,
    /// Monday–Friday count (Saturday and Sunday are skipped, and so are the
    /// public holidays when `supply.public_holidays` closes the units).
    Working,
}

/// The most enabled guarantee rules a scenario may have: the model tables,
/// per (contact kind, profession), the rules that count such a contact as
/// one bit a rule in a `u64`.
pub const MAX_RULES: usize = 64;

/// A guarantee rule: the first contact of a counted kind with a counted
/// profession must happen within `deadline_days` of the first contact's day.
#[derive(Clone, Debug, serde::Serialize)]
pub struct GuaranteeRule {
    /// Key = metric key.
    pub key: String,
    /// Deadline.
    pub deadline_days: u32,
    /// How days are counted.
    pub count_days: DayCount,
    /// Contact kinds that count.
    pub kinds: ContactKindSet,
    /// Professions that count.
    pub professions: ProfessionSet,
    /// Only episodes inside the guarantee (true) or all.
    pub guarantee_only: bool,
    /// Channels measured, indexed by `Channel as usize`.
    pub channels: [bool; Channel::COUNT],
    /// Leave out episodes that needed no assessment (self-care, emergency
    /// referral, no-show without rebooking, cancellation).
    pub only_needing_assessment: bool,
    /// Leave out episodes with a patient-chosen later time.
    pub exclude_patient_chosen: bool,
    /// English label.
    pub label_en: String,
    /// Swedish label.
    pub label_sv: String,
}

/// Used by the model: categories by id.
impl Scenario {
    /// Category `c`.
    pub fn category(&self, c: CategoryId) -> &Category {
        &self.categories[c.index()]
    }

    /// Is simulated day `day` a public holiday the units are closed
    /// (`[supply] public_holidays`)? Never when holidays are not modelled.
    pub fn closed_on(&self, day: u64) -> bool {
        self.supply
            .as_ref()
            .is_some_and(|s| u32::try_from(day).is_ok_and(|d| s.closed.binary_search(&d).is_ok()))
    }

    /// Is simulated day `day` a working day: Monday to Friday, and not a
    /// public holiday the units are closed (`3 vardagar` skips both).
    pub fn is_working_day(&self, day: u64) -> bool {
        self.calendar.is_working_day(day) && !self.closed_on(day)
    }
}

/// A mobile team (`mobilt team`): crews that drive from the base to
/// patients' homes during the team's shifts.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MobileTeam {
    /// Key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Unit the crews belong to.
    pub base: UnitId,
    /// Units whose patients the team visits.
    pub serves: Vec<UnitId>,
    /// Crews working in parallel.
    pub crews: u32,
    /// Head count per crew, by profession.
    pub crew: Vec<(ProfessionId, u32)>,
    /// The profession recorded on the home visit: a doctor if the crew has
    /// one, else its costliest licensed profession, else its first.
    pub lead: ProfessionId,
    /// Weekly duty hours.
    pub shifts: Vec<WeeklyBlock>,
    /// Home visit length, minutes.
    pub visit_minutes: Distribution,
    /// Travel.
    pub travel: Travel,
    /// Same-day requests from municipal home care per duty day.
    pub home_care_requests_per_day: f64,
    /// Planned visits per week.
    pub planned_visits_per_week: f64,
    /// Category of home-care and planned requests.
    pub category: Option<CategoryId>,
}

/// How long a mobile crew drives: a leg's road distance ÷ speed, times the
/// winter slowdown in winter months.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Travel {
    /// Road distance of each leg, km (`None`: places mode).
    pub distance_km: Option<Distribution>,
    /// Places (places mode); the base is at (0, 0).
    pub places: Vec<Place>,
    /// Cumulative place weights.
    pub place_cumulative: Vec<f64>,
    /// km/h.
    pub speed_kmh: f64,
    /// Road distance ÷ straight-line (or drawn) distance.
    pub winding: f64,
    /// Multiplier on travel time in winter months.
    pub winter_slowdown: f64,
    /// Winter months, indexed 0 = January.
    pub winter_months: [bool; 12],
}

impl Travel {
    /// Seconds to drive `km` (before winding) in month `month` (0 = January).
    pub fn seconds(&self, km: f64, month: usize) -> f64 {
        let winter = if self.winter_months[month % 12] {
            self.winter_slowdown
        } else {
            1.0
        };
        km * self.winding / self.speed_kmh * 3600.0 * winter
    }
    /// Straight-line km between places `a` and `b` (`None` = the base).
    pub fn km_between(&self, a: Option<usize>, b: Option<usize>) -> f64 {
        let xy =
            |p: Option<usize>| p.map_or((0.0, 0.0), |i| (self.places[i].x_km, self.places[i].y_km));
        let ((ax, ay), (bx, by)) = (xy(a), xy(b));
        (ax - bx).hypot(ay - by)
    }
}

/// A place a mobile team drives to.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Place {
    /// Name.
    pub name: String,
    /// East of the base, km.
    pub x_km: f64,
    /// North of the base, km.
    pub y_km: f64,
}
