//! What a replication leaves behind: one [`Episode`] per patient, the
//! [`ContactTallies`] that every contact with staff adds to as it is
//! recorded, time ledgers per staff member and per drop-in. The `metrics`
//! module derives every number from these. The contacts themselves
//! ([`ContactRecord`]) are kept only when asked for
//! ([`crate::model::simulate`] keeps them, the experiment runner does not).

use crate::engine::SimTime;
use crate::scenario::spec::{DayCount, GuaranteeRule, Scenario};
use crate::vocab::ids::{AgeId, CategoryId, PatientId, ProfessionId, UnitId};
use crate::vocab::kinds::{Activity, Channel, ContactKind, EndState};

/// A patient's episode: from first contact to how it ended.
#[derive(Clone, Debug)]
pub struct Episode {
    /// Unit the patient belongs to.
    pub unit: UnitId,
    /// Channel of the first contact.
    pub channel: Channel,
    /// Case-mix category.
    pub category: CategoryId,
    /// Age group.
    pub age: AgeId,
    /// Distance band (index in `Scenario::distance_bands`), [`NO_BAND`]
    /// when the unit gives none.
    pub distance: u8,
    /// The patient's first contact went to the telephone instead of the
    /// channel its arrival stream drew, and why.
    pub moved: Option<Moved>,
    /// A planned follow-up visit created by an earlier visit (`återbesök`):
    /// outside the guarantee and not a new contact.
    pub follow_up: bool,
    /// Time of first contact (seeking care).
    pub arrived: SimTime,
    /// How it ended.
    pub end: EndState,
    /// When it ended ([`SimTime::NEVER`] while in the system).
    pub ended: SimTime,
    /// First contact with any staff member.
    pub first_staff_contact: SimTime,
    /// The day the patient chose a later time than offered (`patientvald
    /// väntan`), if they did: a rule's miss is theirs only when they chose
    /// while the rule was still open (`EpisodeTallies::add_new`).
    pub patient_chosen_on: Option<u16>,
    /// Sent to the emergency department because the mobile team was full
    /// (avoidable): a miss, even for rules that leave out emergency referrals.
    pub avoidable_emergency: bool,
}

/// No distance band: the patient's unit gives none.
pub const NO_BAND: u8 = u8::MAX;

/// Why a patient's first contact went to the telephone instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moved {
    /// The patient uses no digital channel (`age_groups.<a>.digital_excluded_share`).
    DigitalExcluded,
    /// The patient lives far from the drop-in and called
    /// (`units.<u>.distance_bands.walk_in_to_phone`).
    FarWalkIn,
}

/// One contact between a patient and a staff member (a flat row; see
/// `docs/output.md` for the field reference).
#[derive(Clone, Copy, Debug)]
pub struct ContactRecord {
    /// Patient.
    pub patient: PatientId,
    /// Unit where it happened.
    pub unit: UnitId,
    /// What the staff member was doing.
    pub activity: Activity,
    /// Kind of contact (counts for guarantee rules).
    pub kind: ContactKind,
    /// Profession of the staff member.
    pub profession: ProfessionId,
    /// When the patient started waiting for this contact (queue entry).
    pub requested: SimTime,
    /// When the contact began.
    pub start: SimTime,
    /// Length in seconds.
    pub duration_s: u32,
}

impl ContactRecord {
    /// Seconds the patient waited for this contact.
    pub fn wait_s(&self) -> u64 {
        self.start.saturating_since(self.requested)
    }
}

/// Time a staff member spent, counted after the warm-up only.
#[derive(Clone, Copy, Debug, Default)]
pub struct StaffLedger {
    /// Unit.
    pub unit: u16,
    /// Profession.
    pub profession: u8,
    /// Scheduled time on duty (all activities), seconds.
    pub duty_s: u64,
    /// Time with patients, seconds, by [`Activity`] index.
    pub busy_s: [u64; Activity::COUNT],
    /// Time worked past the scheduled end (seeing patients at closing), seconds.
    pub overtime_s: u64,
    /// Scheduled time paid but not worked, seconds: the member's summer
    /// leave, public holidays and absence, and a stand-in's time for them
    /// (`supply::Roster::paid_not_worked`, `stand_in_on`); in the cost, not in the
    /// utilisation.
    pub paid_leave_s: u64,
    /// Hired staff (`hyrläkare`, `bemanningssjuksköterska`): paid time costs
    /// the profession's `hired_cost_factor` times more.
    pub hired: bool,
}

/// A running sum and count for a mean, added to in the order contacts are
/// recorded (the order the stored contacts had, so means are bit-identical
/// to a pass over them).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sum {
    /// Σ x.
    pub sum: f64,
    /// Number of values.
    pub n: f64,
}

impl Sum {
    /// Adds `x`.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1.0;
    }
}

/// Whole numbers (seconds, days) and how many values, for a mean.
/// Integers, so the sum is exact in any order: a region split into linked
/// groups (`model/linked.rs`) adds its groups' sums and gets the sum of one
/// pass, and the episode tallies add their days in the order episodes end.
/// (Summing minutes as floats depended on the order contacts came in.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WholeSum {
    /// Σ values.
    pub total: u64,
    /// Number of values.
    pub n: u64,
}

/// Whole seconds waited and how many waits, for a mean in minutes.
pub type SecondsSum = WholeSum;

/// Whole days and how many values, for a mean in days.
pub type DaysSum = WholeSum;

impl WholeSum {
    /// Adds `x`.
    #[inline]
    pub fn add(&mut self, x: u64) {
        self.total += x;
        self.n += 1;
    }

    /// The sum of `self` and `other`.
    fn absorb(&mut self, other: &WholeSum) {
        self.total += other.total;
        self.n += other.n;
    }

    /// Σ minutes, of a sum of seconds (Σ seconds / 60).
    pub fn minutes(&self) -> f64 {
        self.total as f64 / 60.0
    }

    /// As a [`Sum`] (exact: whole numbers far below 2^53), of a sum of days
    /// or of 0/1 outcomes.
    pub fn sum(self) -> Sum {
        Sum {
            sum: self.total as f64,
            n: self.n as f64,
        }
    }
}

/// The first contact of an episode that a guarantee rule counts: its day
/// ([`RuleFirst::NONE`] when none yet) and the staff member's profession.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleFirst {
    /// Day of the contact (a horizon is at most 3 660 days).
    pub day: u16,
    /// Profession index.
    pub profession: u8,
    /// Always 0: the padding byte made a field, so that a new patient's
    /// row of [`RuleFirst::NONE`]s is written as whole words (with a padding
    /// byte it took two stores a rule).
    pad: u8,
}

impl RuleFirst {
    /// No counted contact.
    pub const NONE: RuleFirst = RuleFirst::new(u16::MAX, 0);

    /// A counted contact on `day` by a member of `profession`.
    pub const fn new(day: u16, profession: u8) -> Self {
        RuleFirst {
            day,
            profession,
            pad: 0,
        }
    }
}

/// What the metrics need from the contacts, accumulated while the
/// replication runs: fixed-size arrays indexed by activity, unit, profession
/// and category (named only when the metrics are written), plus one
/// [`RuleFirst`] per episode and guarantee rule.
#[derive(Clone, Debug, Default)]
pub struct ContactTallies {
    /// Seconds waited, contacts requested after the warm-up, by activity
    /// (the sum over units of `wait_by_unit`, added up as the run ends).
    pub wait: [SecondsSum; Activity::COUNT],
    /// The same by unit where the contact happened (`[unit][activity]`).
    pub wait_by_unit: Vec<[SecondsSum; Activity::COUNT]>,
    /// Drop-in contacts requested after the warm-up: 1 if the patient
    /// waited at all (counted in integers; read with [`WholeSum::sum`]).
    pub dropin_waited: WholeSum,
    /// Drop-in: 1 if the wait was over each of the scenario's thresholds.
    pub dropin_over: Vec<WholeSum>,
    /// Drop-in seconds waited by profession.
    pub dropin_by_profession: Vec<SecondsSum>,
    /// Drop-in seconds waited by the patient's category.
    pub dropin_by_category: Vec<SecondsSum>,
    /// Remote examinations requested after the warm-up: seconds from first
    /// contact to the examination, overall and by unit.
    pub remote_to_exam: SecondsSum,
    /// The same by unit.
    pub remote_to_exam_by_unit: Vec<SecondsSum>,
    /// Visits (kind `visit`) started after the warm-up, by profession.
    pub visits: Vec<u64>,
    /// Telephone contacts: seconds between the call and the call-back within
    /// the observed period, in each hour of the week ([`HourlyArea`]).
    pub phone_waiting: HourlyArea,
    /// Per patient in the model × guarantee rule (`slot * rules + rule`,
    /// by arena slot; folded into [`EpisodeTallies`] as each leaves) —
    /// only for a scenario with more rules than fit beside the episode in
    /// the arena (`model::sim::HeldEpisode`, which holds them otherwise).
    pub rule_first: Vec<RuleFirst>,
}

impl ContactTallies {
    /// Empties the tallies for a run with `units`, `professions`,
    /// `categories` and `thresholds` drop-in thresholds (keeps the
    /// buffers).
    pub(crate) fn reset(
        &mut self,
        units: usize,
        professions: usize,
        categories: usize,
        thresholds: usize,
    ) {
        let rule_first = std::mem::take(&mut self.rule_first);
        *self = ContactTallies {
            wait_by_unit: vec![Default::default(); units],
            dropin_over: vec![WholeSum::default(); thresholds],
            dropin_by_profession: vec![SecondsSum::default(); professions],
            dropin_by_category: vec![SecondsSum::default(); categories],
            remote_to_exam_by_unit: vec![SecondsSum::default(); units],
            visits: vec![0; professions],
            rule_first,
            ..Default::default()
        };
        self.rule_first.clear();
    }
}

impl ContactTallies {
    /// Adds up what is read as sums of other tallies as a run ends: the
    /// waits by activity, from the waits by unit (one add a contact fewer;
    /// whole seconds, so the same sums).
    pub(crate) fn settle(&mut self) {
        self.wait = Default::default();
        for unit in &self.wait_by_unit {
            for (a, w) in self.wait.iter_mut().zip(unit) {
                a.absorb(w);
            }
        }
    }

    /// Adds the tallies of `other`, a run of other units (a linked group,
    /// `model/linked.rs`) of the same scenario. Exact: every sum is of
    /// whole numbers. The per-patient `rule_first` is scratch of a run
    /// under way and is not added.
    pub(crate) fn absorb(&mut self, other: &ContactTallies) {
        let add = |a: &mut [SecondsSum], b: &[SecondsSum]| {
            a.iter_mut().zip(b).for_each(|(a, b)| a.absorb(b));
        };
        add(&mut self.wait, &other.wait);
        for (a, b) in self.wait_by_unit.iter_mut().zip(&other.wait_by_unit) {
            add(a, b);
        }
        self.dropin_waited.absorb(&other.dropin_waited);
        add(&mut self.dropin_over, &other.dropin_over);
        add(&mut self.dropin_by_profession, &other.dropin_by_profession);
        add(&mut self.dropin_by_category, &other.dropin_by_category);
        self.remote_to_exam.absorb(&other.remote_to_exam);
        add(
            &mut self.remote_to_exam_by_unit,
            &other.remote_to_exam_by_unit,
        );
        for (a, b) in self.visits.iter_mut().zip(&other.visits) {
            *a += b;
        }
        self.phone_waiting.absorb(&other.phone_waiting);
    }
}

/// Hours in a week.
const WEEK_HOURS: usize = 168;

/// Seconds of intervals falling in each hour of the week, counted from the
/// run's start (the metrics' weekday-hours turned by the first day's
/// weekday): an interval adds its two partial hours directly and its whole
/// hours as a range in a difference array, so a wait of days costs the
/// same as a wait of minutes. Fixed size, whatever the horizon (an array
/// by hour of the run was 1.4 MB at ten years). Integer seconds: the
/// totals are exact in any order.
#[derive(Clone, Debug)]
pub struct HourlyArea {
    /// Seconds in the first and last (partial) hour of each interval, by
    /// hour of the week.
    partial: [u64; WEEK_HOURS],
    /// Whole hours covered, less whole weeks: +1 where a run of whole
    /// hours starts, -1 after it, over two weeks (a run that passes the
    /// week's last hour goes on into the second).
    whole: [i64; 2 * WEEK_HOURS],
    /// Whole weeks of whole hours: each covers every hour of the week.
    weeks: u64,
}

impl Default for HourlyArea {
    fn default() -> Self {
        HourlyArea {
            partial: [0; WEEK_HOURS],
            whole: [0; 2 * WEEK_HOURS],
            weeks: 0,
        }
    }
}

impl HourlyArea {
    /// Adds the intervals of `other` (a run of the same start).
    fn absorb(&mut self, other: &HourlyArea) {
        for (a, b) in self.partial.iter_mut().zip(&other.partial) {
            *a += b;
        }
        for (a, b) in self.whole.iter_mut().zip(&other.whole) {
            *a += b;
        }
        self.weeks += other.weeks;
    }

    /// Adds `[from, to)` (nothing when empty).
    pub fn add(&mut self, from: SimTime, to: SimTime) {
        let (t, end) = (from.0, to.0);
        if t >= end {
            return;
        }
        let (h0, h1) = (t / SimTime::HOUR, (end - 1) / SimTime::HOUR);
        let of = |h: u64| (h % WEEK_HOURS as u64) as usize;
        if h0 == h1 {
            self.partial[of(h0)] += end - t;
            return;
        }
        self.partial[of(h0)] += (h0 + 1) * SimTime::HOUR - t;
        self.partial[of(h1)] += end - h1 * SimTime::HOUR;
        let whole = h1 - h0 - 1;
        self.weeks += whole / WEEK_HOURS as u64;
        let rest = (whole % WEEK_HOURS as u64) as usize;
        if rest > 0 {
            let first = of(h0 + 1);
            self.whole[first] += 1;
            self.whole[first + rest] -= 1;
        }
    }

    /// Seconds in each hour of the week, counted from the run's start
    /// (hour `h` of the run is `h % 168`).
    pub fn hours_of_week(&self) -> [u64; WEEK_HOURS] {
        let mut covered = [self.weeks; WEEK_HOURS];
        let mut covering = 0i64;
        for (i, w) in self.whole.iter().enumerate() {
            covering += w;
            covered[i % WEEK_HOURS] += covering as u64;
        }
        std::array::from_fn(|i| self.partial[i] + covered[i] * SimTime::HOUR)
    }
}

/// What the metrics need from the episodes, added as each episode leaves
/// the model (or when the run ends, for those still in it): counts in
/// fixed-size arrays indexed by end state, category, channel, unit, age,
/// profession, rule, week, month and weekday-hour. Every value added is a
/// whole number (a count, a 0/1 outcome, whole days), so the sums are
/// exact in any order: the metrics are bit-identical to a pass over stored
/// episodes in arrival order, whatever order episodes end in.
#[derive(Clone, Debug)]
pub struct EpisodeTallies {
    /// New contacts (not follow-ups) that arrived after the warm-up.
    pub arrived: u64,
    /// The same by end state (`EndState as usize`).
    pub states: [u64; EndState::ALL.len()],
    /// The same by category (like the three below, the marginal of
    /// `cells`, filled in by `EpisodeTallies::settle` as the run ends).
    pub by_category: Vec<u64>,
    /// The same by channel.
    pub by_channel: [u64; Channel::COUNT],
    /// The same by age group.
    pub by_age: Vec<u64>,
    /// The same by distance band (patients of units with bands).
    pub by_distance: Vec<u64>,
    /// New contacts moved from a digital channel to the telephone
    /// (digital exclusion), by age group.
    pub digital_excluded_by_age: Vec<u64>,
    /// New contacts who telephoned instead of walking in from afar, by
    /// distance band.
    pub far_walk_in_by_distance: Vec<u64>,
    /// One per guarantee rule, in the scenario's order.
    pub rules: Vec<RuleTally>,
    /// Days to the first contact the `assessment_within_3_days` rule counts.
    pub to_assessment: DaysSum,
    /// The same in the official buckets (0, 1, 2, 3, 4–7, 8+ days).
    pub assessment_days: [u64; 6],
    /// The same by profession of that contact.
    pub assessment_by_profession: Vec<DaysSum>,
    /// The buckets by profession (`None` for a profession with none).
    pub assessment_days_by_profession: Vec<Option<[u64; 6]>>,
    /// Days to assessment by category, age group and distance band
    /// (`GROUP_CATEGORY`, `GROUP_AGE`, `GROUP_DISTANCE`).
    pub assessment_by_group: [Vec<DaysSum>; 3],
    /// Days to a doctor's visit by the same groups.
    pub doctor_by_group: [Vec<DaysSum>; 3],
    /// Days to the first contact `doctor_visit_within_7_days` counts.
    pub to_doctor: DaysSum,
    /// The same by day (0–7, 8+).
    pub doctor_days: [u64; 9],
    /// New contacts arriving inside the observed window, by weekday × hour.
    pub arrivals_by_weekday_hour: [u64; 168],
    /// Their number.
    pub arrivals_observed: u64,
    /// What the slices count per episode (`flows::fold_episode`).
    pub flows: crate::model::flows::FlowEpisodeTallies,
    /// Per day of the run (and a week past it) and rule, what an episode
    /// arriving on that day reads of the rule ([`RuleDay`]), worked out
    /// once: a working-day rule walks the calendar, and every episode asks
    /// per rule. Day-major (`day * rules + rule`): an episode finds its
    /// day's row once for all its rules.
    rule_days: Vec<RuleDay>,
    /// Each day's weekday, month and week of the measured year, worked out
    /// once rather than per episode.
    days: Vec<DayFacts>,
    /// The same new contacts by [`PatientCells`] (category, channel, age
    /// group, distance band): one add an episode instead of one a group.
    cells: Vec<u64>,
    patient: PatientCells,
    /// Per (category, channel), `category * Channel::COUNT + channel`, the
    /// rules whose scope they leave the episode in ([`in_scope_by_kind`]),
    /// each with what an episode reads of it:
    /// `scope_rules[scope_at[kind]..scope_at[kind + 1]]`, so an episode
    /// visits only those, and reads one list.
    scope_at: Vec<u32>,
    scope_rules: Vec<ScopeRule>,
    /// The first measured day and the day the run ends, as the tables were
    /// made for.
    from_day: u64,
    horizon_day: u64,
    /// The days to assessment and to a doctor ([`RuleRole`]) as counts by
    /// patient group, profession and day, read into the sums and buckets
    /// above by `settle`: one count an episode where it added to eleven
    /// sums and buckets.
    role_days: [RoleDays; 2],
    /// Per (contact kind, profession), `kind * professions + profession`:
    /// the guarantee rules that count such a contact, one bit a rule, so
    /// that a contact visits only those (a scenario has at most
    /// [`MAX_RULES`](crate::scenario::spec::MAX_RULES) rules).
    counting: Vec<u64>,
    n_professions: usize,
    /// Where the counts of every rule's tally are (one layout for all).
    layout: RuleLayout,
}

/// Days from an episode's first contact to the first contact of a rule
/// with a [`RuleRole`], counted by (patient group, profession, day):
/// `counts[(group * professions + profession) * DAY_SLOTS + min(days, 8)]`,
/// the patient group being (category, age group, distance band or none)
/// ([`PatientCells::group_of`]). Whole numbers: the sums are exact however
/// they are added up.
#[derive(Clone, Debug, Default)]
struct RoleDays {
    counts: Vec<u64>,
    /// Σ days of the episodes in the last slot (8 days or more), by
    /// (group, profession).
    late: Vec<u64>,
}

/// Days counted one by one in [`RoleDays`] (0–7), then 8 or more.
const DAY_SLOTS: usize = 9;

impl RoleDays {
    fn new(groups: usize, professions: usize) -> Self {
        RoleDays {
            counts: vec![0; groups * professions * DAY_SLOTS],
            late: vec![0; groups * professions],
        }
    }

    /// Adds `days` for the episode of group-and-profession index `i`.
    #[inline]
    fn add(&mut self, i: usize, days: u64) {
        if days as usize >= DAY_SLOTS - 1 {
            self.counts[i * DAY_SLOTS + DAY_SLOTS - 1] += 1;
            self.late[i] += days;
        } else {
            self.counts[i * DAY_SLOTS + days as usize] += 1;
        }
    }

    /// Adds `other`'s counts.
    fn absorb(&mut self, other: &RoleDays) {
        add_each(&mut self.counts, &other.counts);
        add_each(&mut self.late, &other.late);
    }

    /// Calls `f(group, profession, day slot, count, Σ days)` for each
    /// non-empty count.
    fn each(&self, professions: usize, mut f: impl FnMut(usize, usize, usize, WholeSum)) {
        for (i, slots) in self.counts.chunks_exact(DAY_SLOTS).enumerate() {
            for (d, &n) in slots.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let total = if d == DAY_SLOTS - 1 {
                    self.late[i]
                } else {
                    d as u64 * n
                };
                f(i / professions, i % professions, d, WholeSum { total, n });
            }
        }
    }
}

/// What [`EpisodeTallies::add`] reads of a guarantee rule, in a few bytes.
#[derive(Clone, Copy, Debug)]
struct RuleFacts {
    only_needing_assessment: bool,
    exclude_patient_chosen: bool,
    /// Which day buckets it feeds ([`RuleRole`]), found by key once rather
    /// than by a string comparison per episode.
    role: RuleRole,
}

/// A rule in the scope of an episode's (category, channel), with what
/// [`EpisodeTallies::add`] reads of it.
#[derive(Clone, Copy, Debug)]
struct ScopeRule {
    rule: u16,
    facts: RuleFacts,
}

/// What a guarantee rule's first counted contact feeds besides the rule's
/// own tally: the days to assessment (the "3" rule) or to a doctor (the
/// old "7" rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RuleRole {
    Assessment = 0,
    Doctor = 1,
    Other = 2,
}

impl RuleRole {
    fn of(rule: &GuaranteeRule) -> Self {
        match rule.key.as_str() {
            "assessment_within_3_days" => RuleRole::Assessment,
            "doctor_visit_within_7_days" => RuleRole::Doctor,
            _ => RuleRole::Other,
        }
    }
}

/// A day as the episodes arriving on it are tallied.
#[derive(Clone, Copy, Debug)]
struct DayFacts {
    /// The day's first weekday-hour slot (`weekday * 24`, 0 = Monday's).
    weekday_hours: u8,
    /// Month (0 = January).
    month: u8,
    /// Week of the measured year ([`week_of_year`]).
    week: u8,
}

impl DayFacts {
    /// Day `day` of a run whose measured part begins on day `from_day`.
    /// Never inlined: it fills the table, once per day, not per episode.
    #[cold]
    #[inline(never)]
    fn of(sc: &Scenario, from_day: u64, day: u64) -> Self {
        let into_year = day.saturating_sub(from_day) % 365;
        DayFacts {
            weekday_hours: (sc.calendar.weekday(day).index() * 24) as u8,
            month: sc.calendar.month(day) as u8,
            week: week_of_year(into_year) as u8,
        }
    }
}

/// A day as one rule reads it for the episodes arriving on it.
#[derive(Clone, Copy, Debug)]
struct RuleDay {
    /// [`last_ok_day`] (`u32::MAX` past it: never reached by a run).
    last_ok: u32,
    /// The day's week of the measured year is whole: it begins after the
    /// warm-up and its last day's deadline passed before the run's end
    /// (a week cut by either would hold only some weekdays, and compliance
    /// depends on the weekday: a Friday's 3 days include the weekend).
    whole_week: bool,
    /// The rule's own count (packed as in [`RuleTally`]) of the episodes
    /// that arrived on the day, read into the rule's weeks and months by
    /// `EpisodeTallies::settle`: one add an episode where it added to
    /// both, and the day's row is read by the episode anyway.
    count: u64,
}

impl RuleDay {
    /// Day `day` for `rule`, in a run measured over the days
    /// `[from_day, horizon_day)`. Never inlined, like [`DayFacts::of`].
    #[cold]
    #[inline(never)]
    fn of(sc: &Scenario, rule: &GuaranteeRule, from_day: u64, horizon_day: u64, day: u64) -> Self {
        let into_year = day.saturating_sub(from_day) % 365;
        let week_start = day - into_year % 7;
        RuleDay {
            last_ok: u32::try_from(last_ok_day(rule, day, sc)).unwrap_or(u32::MAX),
            whole_week: week_start >= from_day
                && last_ok_day(rule, week_start + 6, sc) < horizon_day,
            count: 0,
        }
    }
}

/// One guarantee rule's outcomes over the episodes in its scope whose
/// deadline passed before the run's end, as the scenario counts it and under
/// the legal definition (patient-chosen waits left out).
///
/// Kept as two disjoint parts, episodes without and with a patient-chosen
/// wait, each added once: the legal definition is the first part, the
/// rule's own count both (or the first only when the rule leaves out
/// patient-chosen waits).
///
/// Every outcome is 0 or 1, so each count is an integer: one `u64` per
/// count, the episodes counted in its high 32 bits and those that met the
/// rule in its low 32 (met ≤ counted, and fewer episodes than the engine's
/// 32-bit patient ids), so an episode adds `1 << 32 | met` with one
/// addition. Read as [`Sum`]s (`met as f64`, `counted as f64`: exact), they
/// are the same numbers as sums of `f64` 0/1 values in any order.
#[derive(Clone, Debug, Default)]
pub struct RuleTally {
    /// The counts, laid out as [`RuleLayout`] says: per part, the part's
    /// count and its breakdowns; then the weekly and monthly counts.
    counts: Vec<u64>,
    /// Where each count is.
    layout: RuleLayout,
}

/// The joint cells of an episode's patient groups: one cell per (category,
/// channel, age group, distance band or none), so that an episode adds one
/// count where it added one per group; the groups' counts are the cells'
/// marginals, summed when read (exact: whole numbers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PatientCells {
    ages: usize,
    /// Distance bands; a cell's band index `bands` is "none".
    bands: usize,
    categories: usize,
}

impl PatientCells {
    fn new(sc: &Scenario) -> Self {
        PatientCells {
            ages: sc.age_groups.len(),
            bands: sc.distance_bands.len(),
            categories: sc.categories.len(),
        }
    }
    fn len(&self) -> usize {
        self.categories * Channel::COUNT * self.ages * (self.bands + 1)
    }
    /// Episode `ep`'s distance band index in a cell (`bands`: none).
    #[inline]
    fn band_of(&self, ep: &Episode) -> usize {
        if ep.distance == NO_BAND {
            self.bands
        } else {
            ep.distance as usize
        }
    }
    /// Episode `ep`'s cell.
    #[inline]
    fn of(&self, ep: &Episode) -> usize {
        ((ep.category.index() * Channel::COUNT + ep.channel as usize) * self.ages + ep.age.index())
            * (self.bands + 1)
            + self.band_of(ep)
    }
    /// Number of patient groups ([`Self::group_of`]).
    fn groups(&self) -> usize {
        self.categories * self.ages * (self.bands + 1)
    }
    /// Episode `ep`'s patient group: its cell without the channel.
    #[inline]
    fn group_of(&self, ep: &Episode) -> usize {
        (ep.category.index() * self.ages + ep.age.index()) * (self.bands + 1) + self.band_of(ep)
    }
    /// Group `g`'s category, age group and distance band (`None`: none).
    fn parts_of_group(&self, g: usize) -> (usize, usize, Option<usize>) {
        let band = g % (self.bands + 1);
        let rest = g / (self.bands + 1);
        (
            rest / self.ages,
            rest % self.ages,
            (band < self.bands).then_some(band),
        )
    }
    /// The sums of `cells` (one value per cell) by channel, category, age
    /// group and distance band (cells without a band in none).
    fn marginals(&self, cells: &[u64]) -> [Vec<u64>; 4] {
        let mut m = [
            vec![0; Channel::COUNT],
            vec![0; self.categories],
            vec![0; self.ages],
            vec![0; self.bands],
        ];
        let mut i = 0;
        for c in 0..self.categories {
            for ch in 0..Channel::COUNT {
                for a in 0..self.ages {
                    for b in 0..=self.bands {
                        let x = cells[i];
                        i += 1;
                        m[0][ch] += x;
                        m[1][c] += x;
                        m[2][a] += x;
                        if b < self.bands {
                            m[3][b] += x;
                        }
                    }
                }
            }
        }
        m
    }
}

/// Where the counts of a [`RuleTally`] are: part `p` (0 = without a
/// patient-chosen wait, 1 = with) begins at `p * part`; within a part a
/// slot left empty (the part's own count is the sum of its units'), then
/// one count per unit, the joint
/// [`PatientCells`] at `cells` (channel, category, age and distance band:
/// marginals read when written) and one count per profession at
/// `professions`; after both parts, the 52 weeks (whole weeks only) and
/// the 12 months of the rule's own count.
#[derive(Clone, Copy, Debug, Default)]
struct RuleLayout {
    units: usize,
    n_professions: usize,
    patient: PatientCells,
    cells: usize,
    professions: usize,
    part: usize,
}

impl RuleLayout {
    fn new(sc: &Scenario) -> Self {
        let patient = PatientCells::new(sc);
        let units = sc.units.len();
        let cells = 1 + units;
        let professions = cells + patient.len();
        RuleLayout {
            units,
            n_professions: sc.professions.len(),
            patient,
            cells,
            professions,
            part: professions + sc.professions.len(),
        }
    }
    fn weeks(&self) -> usize {
        2 * self.part
    }
    fn months(&self) -> usize {
        2 * self.part + 52
    }
    fn len(&self) -> usize {
        2 * self.part + 52 + 12
    }
}

/// One episode counted (high half of a [`RuleTally`] count).
const COUNTED: u64 = 1 << 32;

/// A packed count as a [`Sum`] of 0/1 values.
fn sum_of(count: u64) -> Sum {
    Sum {
        sum: (count & (COUNTED - 1)) as f64,
        n: (count >> 32) as f64,
    }
}

impl Sum {
    /// The sum of two disjoint parts (exact: both hold whole numbers).
    pub(crate) fn plus(self, other: Sum) -> Sum {
        Sum {
            sum: self.sum + other.sum,
            n: self.n + other.n,
        }
    }
}

impl RuleTally {
    /// An empty tally for a rule of `sc`.
    fn new(layout: RuleLayout) -> Self {
        RuleTally {
            counts: vec![0; layout.len()],
            layout,
        }
    }
    /// The part of episodes without (`chosen` false) or with a
    /// patient-chosen wait: its count and its breakdowns.
    fn part(&self, chosen: bool) -> (Sum, [Vec<Sum>; 6]) {
        let l = &self.layout;
        let base = if chosen { l.part } else { 0 };
        let sums = |c: &[u64]| -> Vec<Sum> { c.iter().map(|&c| sum_of(c)).collect() };
        let cells = &self.counts[base + l.cells..base + l.professions];
        let [channel, category, age, distance] = l.patient.marginals(cells);
        let mut groups: [Vec<Sum>; 6] = Default::default();
        groups[RULE_UNIT] = sums(&self.counts[base + 1..base + 1 + l.units]);
        groups[RULE_CHANNEL] = sums(&channel);
        groups[RULE_CATEGORY] = sums(&category);
        groups[RULE_PROFESSION] =
            sums(&self.counts[base + l.professions..base + l.professions + l.n_professions]);
        groups[RULE_AGE] = sums(&age);
        groups[RULE_DISTANCE] = sums(&distance);
        (sum_of(self.own(base)), groups)
    }
    /// The count of the part at `base`: the sum of its units' counts
    /// (each episode adds to one unit; the packed halves sum apart, each
    /// below 2^32), added up when read rather than once an episode.
    fn own(&self, base: usize) -> u64 {
        self.counts[base + 1..base + 1 + self.layout.units]
            .iter()
            .sum()
    }
    /// Met or not, as the rule counts.
    pub fn all(&self) -> Sum {
        self.legal().plus(self.part(true).0)
    }
    /// Its breakdowns (`RULE_BREAKDOWNS`).
    pub fn groups(&self) -> [Vec<Sum>; 6] {
        let (a, b) = (self.part(false).1, self.part(true).1);
        std::array::from_fn(|g| a[g].iter().zip(&b[g]).map(|(x, y)| x.plus(*y)).collect())
    }
    /// Met under the legal definition (patient-chosen waits left out).
    pub fn legal(&self) -> Sum {
        sum_of(self.own(0))
    }
    /// Its breakdowns.
    pub fn legal_groups(&self) -> [Vec<Sum>; 6] {
        self.part(false).1
    }
    /// Missed with a patient-chosen wait (1) or not (0), over the episodes
    /// the rule counts.
    pub fn missed_chosen(&self) -> Sum {
        let chosen = self.part(true).0;
        Sum {
            sum: chosen.n - chosen.sum,
            n: self.all().n,
        }
    }
    /// The rule's own count by week of the year (whole weeks only).
    pub fn weekly(&self) -> Vec<Sum> {
        let at = self.layout.weeks();
        self.counts[at..at + 52]
            .iter()
            .map(|&c| sum_of(c))
            .collect()
    }
    /// The same by month.
    pub fn monthly(&self) -> [Sum; 12] {
        let at = self.layout.months();
        std::array::from_fn(|m| sum_of(self.counts[at + m]))
    }
}

/// Indexes of a rule tally's breakdowns, in the order `metrics::compute`
/// writes them.
pub(crate) const RULE_UNIT: usize = 0;
pub(crate) const RULE_CHANNEL: usize = 1;
pub(crate) const RULE_CATEGORY: usize = 2;
pub(crate) const RULE_PROFESSION: usize = 3;
pub(crate) const RULE_AGE: usize = 4;
pub(crate) const RULE_DISTANCE: usize = 5;

/// Indexes of the waits' breakdowns by patient group
/// ([`EpisodeTallies::assessment_by_group`]).
pub(crate) const GROUP_CATEGORY: usize = 0;
pub(crate) const GROUP_AGE: usize = 1;
pub(crate) const GROUP_DISTANCE: usize = 2;

/// Is episode `e` in the scope of `rule` (guarantee, channel, needing an
/// assessment), whatever the rule's patient-choice setting: the scope both
/// definitions share (the rule's own count also leaves out patient-chosen
/// waits when `exclude_patient_chosen`).
pub(crate) fn in_scope_any_choice(rule: &GuaranteeRule, e: &Episode, sc: &Scenario) -> bool {
    in_scope_by_kind(rule, e.category, e.channel, sc)
        && !(rule.only_needing_assessment && needed_no_assessment(e))
}

/// The part of a rule's scope that the episode's category and channel
/// decide (the same for every episode of them: tabled once per run).
fn in_scope_by_kind(
    rule: &GuaranteeRule,
    category: CategoryId,
    channel: Channel,
    sc: &Scenario,
) -> bool {
    let category = sc.category(category);
    (!rule.guarantee_only || category.inside_guarantee)
        // A rule for some professions (the old doctor rule) measures only
        // the cases one of them may assess: a nurse's wound dressing never
        // needed a doctor.
        && !category.assess.intersect(rule.professions).is_empty()
        && rule.channels[channel as usize]
}

/// The episode ended needing no assessment (self-care, emergency referral
/// that was not avoidable, no-show, cancelled, went elsewhere): left out of
/// rules with `only_needing_assessment`.
fn needed_no_assessment(e: &Episode) -> bool {
    !e.avoidable_emergency
        && matches!(
            e.end,
            EndState::SelfCare
                | EndState::EmergencyDept
                | EndState::NoShow
                | EndState::Cancelled
                | EndState::WentElsewhere
        )
}

/// The last day (index) on which a contact still meets `rule` for an episode
/// whose first contact was on day `day0`.
pub(crate) fn last_ok_day(rule: &GuaranteeRule, day0: u64, sc: &Scenario) -> u64 {
    match rule.count_days {
        DayCount::Calendar => day0 + rule.deadline_days as u64,
        DayCount::Working => {
            // Walk to the (deadline + 1)-th working day after day0; the day
            // before it is the last. A public holiday the units are closed
            // is no working day (`[supply] public_holidays`).
            let mut d = day0;
            let mut seen = 0;
            loop {
                d += 1;
                if sc.is_working_day(d) {
                    seen += 1;
                    if seen > rule.deadline_days {
                        return d - 1;
                    }
                }
            }
        }
    }
}

/// Week (0-based, group `01`–`52`) of the day `into_year` days after the
/// first measured day (mod 365); the 365th day joins the last week.
pub(crate) fn week_of_year(into_year: u64) -> usize {
    ((into_year / 7) as usize).min(51)
}

impl Default for EpisodeTallies {
    fn default() -> Self {
        EpisodeTallies {
            arrived: 0,
            states: Default::default(),
            by_category: Vec::new(),
            by_channel: Default::default(),
            by_age: Vec::new(),
            by_distance: Vec::new(),
            digital_excluded_by_age: Vec::new(),
            far_walk_in_by_distance: Vec::new(),
            assessment_by_group: Default::default(),
            doctor_by_group: Default::default(),
            rules: Vec::new(),
            to_assessment: DaysSum::default(),
            assessment_days: Default::default(),
            assessment_by_profession: Vec::new(),
            assessment_days_by_profession: Vec::new(),
            to_doctor: DaysSum::default(),
            doctor_days: Default::default(),
            arrivals_by_weekday_hour: [0; 168],
            arrivals_observed: 0,
            flows: Default::default(),
            rule_days: Vec::new(),
            days: Vec::new(),
            cells: Vec::new(),
            patient: PatientCells::default(),
            scope_at: Vec::new(),
            scope_rules: Vec::new(),
            from_day: 0,
            horizon_day: 0,
            role_days: Default::default(),
            counting: Vec::new(),
            n_professions: 0,
            layout: RuleLayout::default(),
        }
    }
}

impl EpisodeTallies {
    /// Empties the tallies for a run of `sc` (keeps the buffers).
    pub(crate) fn reset(&mut self, sc: &Scenario) {
        let (from_day, horizon_day) = (sc.warmup_end().day(), sc.horizon().day());
        // Every arrival day, and the last day of its week.
        let days = horizon_day + 8;
        let patient_groups = || -> [Vec<DaysSum>; 3] {
            [
                vec![DaysSum::default(); sc.categories.len()],
                vec![DaysSum::default(); sc.age_groups.len()],
                vec![DaysSum::default(); sc.distance_bands.len()],
            ]
        };
        *self = EpisodeTallies {
            by_category: vec![0; sc.categories.len()],
            by_age: vec![0; sc.age_groups.len()],
            by_distance: vec![0; sc.distance_bands.len()],
            digital_excluded_by_age: vec![0; sc.age_groups.len()],
            far_walk_in_by_distance: vec![0; sc.distance_bands.len()],
            assessment_by_group: patient_groups(),
            doctor_by_group: patient_groups(),
            rules: (0..sc.rules.len())
                .map(|_| RuleTally::new(RuleLayout::new(sc)))
                .collect(),
            assessment_by_profession: vec![DaysSum::default(); sc.professions.len()],
            assessment_days_by_profession: vec![None; sc.professions.len()],
            cells: vec![0; PatientCells::new(sc).len()],
            patient: PatientCells::new(sc),
            role_days: std::array::from_fn(|_| {
                RoleDays::new(PatientCells::new(sc).groups(), sc.professions.len())
            }),
            // At most `MAX_RULES` (64) rules: validation refuses more.
            counting: ContactKind::ALL
                .iter()
                .flat_map(|&kind| {
                    (0..sc.professions.len()).map(move |p| {
                        sc.rules.iter().enumerate().fold(0u64, |bits, (r, rule)| {
                            let counts = rule.kinds.contains(kind)
                                && rule.professions.contains(ProfessionId(p as u8));
                            bits | u64::from(counts) << r
                        })
                    })
                })
                .collect(),
            n_professions: sc.professions.len(),
            scope_at: Vec::new(),
            scope_rules: Vec::new(),
            from_day,
            horizon_day,
            layout: RuleLayout::new(sc),
            ..Default::default()
        };
        self.cover_days(sc, days as usize);
        // Category-major, channel within: the order of `kind` in `add`.
        self.scope_at.push(0);
        for c in 0..sc.categories.len() {
            for ch in Channel::ALL {
                for (r, rule) in sc.rules.iter().enumerate() {
                    if in_scope_by_kind(rule, CategoryId(c as u16), ch, sc) {
                        self.scope_rules.push(ScopeRule {
                            rule: r as u16,
                            facts: RuleFacts {
                                only_needing_assessment: rule.only_needing_assessment,
                                exclude_patient_chosen: rule.exclude_patient_chosen,
                                role: RuleRole::of(rule),
                            },
                        });
                    }
                }
                self.scope_at.push(self.scope_rules.len() as u32);
            }
        }
    }

    /// Extends the day tables (`days`, `rule_days`) to the first `days`
    /// days of the run.
    #[cold]
    #[inline(never)]
    fn cover_days(&mut self, sc: &Scenario, days: usize) {
        let (from_day, horizon_day) = (self.from_day, self.horizon_day);
        let more = days.saturating_sub(self.days.len());
        self.days.reserve(more);
        self.rule_days.reserve(more * sc.rules.len());
        for d in self.days.len()..days {
            let d = d as u64;
            self.days.push(DayFacts::of(sc, from_day, d));
            let of = |rule| RuleDay::of(sc, rule, from_day, horizon_day, d);
            self.rule_days.extend(sc.rules.iter().map(of));
        }
    }

    /// Fills in the patient groups' counts (`by_category`, `by_channel`,
    /// `by_age`, `by_distance`) and the new contacts' numbers (`arrived`,
    /// `arrivals_observed`) from the joint cells and the weekday-hours,
    /// as a run ends (again after [`Self::absorb`]: it sums the cells too).
    pub(crate) fn settle(&mut self) {
        // Each new contact adds one to one cell, and to one weekday-hour
        // when it arrived inside the observed window: their sums, once.
        self.arrived = self.cells.iter().sum();
        self.arrivals_observed = self.arrivals_by_weekday_hour.iter().sum();
        self.settle_rule_days();
        let [channel, category, age, distance] = self.patient.marginals(&self.cells);
        self.by_channel.copy_from_slice(&channel);
        self.by_category = category;
        self.by_age = age;
        self.by_distance = distance;
        self.settle_role_days();
    }

    /// Adds each rule's counts by day of arrival ([`RuleDay::count`]) to
    /// its weeks (whole weeks only) and months, and empties them.
    fn settle_rule_days(&mut self) {
        let (n_rules, l) = (self.rules.len(), self.layout);
        if n_rules == 0 {
            return;
        }
        for (row, facts) in self.rule_days.chunks_exact_mut(n_rules).zip(&self.days) {
            for (rd, tally) in row.iter_mut().zip(&mut self.rules) {
                let x = std::mem::take(&mut rd.count);
                if rd.whole_week {
                    tally.counts[l.weeks() + facts.week as usize] += x;
                }
                tally.counts[l.months() + facts.month as usize] += x;
            }
        }
    }

    /// Reads the days to assessment and to a doctor out of their counts
    /// ([`RoleDays`]): the sums, the day buckets, and the same by
    /// profession and patient group.
    fn settle_role_days(&mut self) {
        let (patient, professions) = (self.patient, self.n_professions);
        let by_group = |s: &[Vec<DaysSum>; 3]| -> [Vec<DaysSum>; 3] {
            std::array::from_fn(|g| vec![DaysSum::default(); s[g].len()])
        };
        let add_to_groups = |groups: &mut [Vec<DaysSum>; 3], group: usize, x: WholeSum| {
            let (c, a, b) = patient.parts_of_group(group);
            groups[GROUP_CATEGORY][c].absorb(&x);
            groups[GROUP_AGE][a].absorb(&x);
            if let Some(b) = b {
                groups[GROUP_DISTANCE][b].absorb(&x);
            }
        };
        let [assessment, doctor] = &self.role_days;
        let mut to_assessment = DaysSum::default();
        let mut assessment_days = [0; 6];
        let mut by_profession = vec![DaysSum::default(); self.assessment_by_profession.len()];
        let mut days_by_profession = vec![None; self.assessment_days_by_profession.len()];
        let mut assessment_by_group = by_group(&self.assessment_by_group);
        assessment.each(professions, |group, prof, d, x| {
            // The official buckets: 0, 1, 2, 3, 4–7, 8+ days.
            let bucket = match d {
                0..=3 => d,
                4..=7 => 4,
                _ => 5,
            };
            to_assessment.absorb(&x);
            assessment_days[bucket] += x.n;
            let b: &mut Option<[u64; 6]> = &mut days_by_profession[prof];
            b.get_or_insert([0; 6])[bucket] += x.n;
            by_profession[prof].absorb(&x);
            add_to_groups(&mut assessment_by_group, group, x);
        });
        let mut to_doctor = DaysSum::default();
        let mut doctor_days = [0; 9];
        let mut doctor_by_group = by_group(&self.doctor_by_group);
        doctor.each(professions, |group, _, d, x| {
            to_doctor.absorb(&x);
            doctor_days[d] += x.n;
            add_to_groups(&mut doctor_by_group, group, x);
        });
        self.to_assessment = to_assessment;
        self.assessment_days = assessment_days;
        self.assessment_by_profession = by_profession;
        self.assessment_days_by_profession = days_by_profession;
        self.assessment_by_group = assessment_by_group;
        self.to_doctor = to_doctor;
        self.doctor_days = doctor_days;
        self.doctor_by_group = doctor_by_group;
    }

    /// The guarantee rules that count a contact of `kind` by a member of
    /// `profession`, one bit a rule.
    #[inline]
    pub(crate) fn rules_counting(&self, kind: ContactKind, profession: ProfessionId) -> u64 {
        self.counting[kind as usize * self.n_professions + profession.index()]
    }

    /// Adds episode `ep`, whose first counted contacts per rule are
    /// `firsts`, to the tallies of a run observed over `[from, to)`. The
    /// filters are the metrics' (docs/output.md). Inlined up to the filter
    /// of new contacts after the warm-up: the follow-ups and the warm-up's
    /// episodes (more than half of a default year's) then cost no call.
    #[inline(always)]
    pub(crate) fn add(
        &mut self,
        sc: &Scenario,
        ep: &Episode,
        firsts: &[RuleFirst],
        from: SimTime,
        to: SimTime,
    ) {
        crate::model::flows::fold_episode(&mut self.flows, ep, from, to);
        // New contacts after the warm-up; planned follow-ups are counted apart.
        if ep.arrived < from || ep.follow_up {
            return;
        }
        debug_assert_eq!((from.day(), to.day()), (self.from_day, self.horizon_day));
        debug_assert!(self.in_scope_lists_hold(sc, ep));
        let day = ep.arrived.day() as usize;
        if day >= self.days.len() {
            // Never in a run: the tables cover every day it can arrive on.
            self.cover_days(sc, day + 1);
        }
        self.add_new(ep, firsts, to);
    }

    /// Every rule of `ep`'s scope list that counts it is in its scope
    /// (checked in debug builds).
    fn in_scope_lists_hold(&self, sc: &Scenario, ep: &Episode) -> bool {
        let kind = ep.category.index() * Channel::COUNT + ep.channel as usize;
        let list =
            &self.scope_rules[self.scope_at[kind] as usize..self.scope_at[kind + 1] as usize];
        list.iter().all(|sr| {
            (sr.facts.only_needing_assessment && needed_no_assessment(ep))
                || in_scope_any_choice(&sc.rules[sr.rule as usize], ep, sc)
        })
    }

    /// [`Self::add`] for a new contact after the warm-up.
    #[inline(never)]
    fn add_new(&mut self, ep: &Episode, firsts: &[RuleFirst], to: SimTime) {
        let day = ep.arrived.day();
        let facts = self.days[day as usize];
        if ep.arrived < to {
            let hour = (ep.arrived.0 - day * SimTime::DAY) / SimTime::HOUR;
            self.arrivals_by_weekday_hour[facts.weekday_hours as usize + hour as usize] += 1;
        }
        self.states[ep.end as usize] += 1;
        let cell = self.patient.of(ep);
        self.cells[cell] += 1;
        match ep.moved {
            Some(Moved::DigitalExcluded) => self.digital_excluded_by_age[ep.age.index()] += 1,
            Some(Moved::FarWalkIn) if ep.distance != NO_BAND => {
                self.far_walk_in_by_distance[ep.distance as usize] += 1
            }
            _ => {}
        }
        let kind = ep.category.index() * Channel::COUNT + ep.channel as usize;
        let (from_i, to_i) = (
            self.scope_at[kind] as usize,
            self.scope_at[kind + 1] as usize,
        );
        if from_i == to_i {
            return;
        }
        // Where the episode's groups are in each rule's counts (the same
        // layout for every rule).
        let at = EpisodeAt::of(&self.layout, ep, cell);
        let n_rules = self.rules.len();
        let row = &mut self.rule_days[day as usize * n_rules..][..n_rules];
        let no_assessment = needed_no_assessment(ep);
        // The day of the choice; none is a day past every rule's last.
        let chosen_on = ep.patient_chosen_on.map_or(u64::MAX, u64::from);
        let horizon_day = self.horizon_day;
        let group = self.patient.group_of(ep) * self.n_professions;
        let (rules, role_days) = (&mut self.rules, &mut self.role_days);
        for &ScopeRule { rule, facts: f } in &self.scope_rules[from_i..to_i] {
            let r = rule as usize;
            if f.only_needing_assessment && no_assessment {
                continue;
            }
            let rd = &mut row[r];
            let last_ok = rd.last_ok as u64;
            let first = firsts[r];
            let found = first.day != RuleFirst::NONE.day;
            // A later time the patient chose is a patient-chosen wait for
            // this rule only if the rule was still open when they chose:
            // not met yet (by that day), and its deadline not yet passed.
            // A call-back the day after the call missed "0" before the
            // patient chose anything; one the same day met it.
            let chosen = chosen_on <= last_ok && !(found && u64::from(first.day) <= chosen_on);
            if chosen && f.exclude_patient_chosen {
                continue; // a patient-chosen wait the rule leaves out
            }
            // Counted unless its deadline is not over when the run ends
            // (censored; its days to assessment count all the same).
            if last_ok < horizon_day {
                let met = u64::from(found && first.day as u64 <= last_ok);
                let one = COUNTED | met;
                // A slice, not the `Vec`: its pointer and length stay in
                // registers (through `&mut Vec` each add reloaded them).
                let c = &mut rules[r].counts[..];
                // Each episode goes to one part (`RuleTally`).
                let base = if chosen { at.part } else { 0 };
                c[base + at.unit] += one;
                c[base + at.cell] += one;
                if found {
                    c[base + at.professions + first.profession as usize] += one;
                }
                rd.count += one;
            }
            // Days from first contact to the first contact that the "3" rule
            // (and the old "7" rule) counts: the official day buckets.
            if found && f.role != RuleRole::Other {
                let days = first.day as u64 - day;
                role_days[f.role as usize].add(group + first.profession as usize, days);
            }
        }
    }
}

/// Where an episode's groups are in a rule's counts ([`RuleLayout`]),
/// worked out once per episode for all its rules.
struct EpisodeAt {
    /// Its unit and its [`PatientCells`] cell (`cell`), within a part.
    unit: usize,
    cell: usize,
    /// Where the professions of a part begin, and the second part.
    professions: usize,
    part: usize,
}

impl EpisodeAt {
    fn of(l: &RuleLayout, ep: &Episode, cell: usize) -> Self {
        EpisodeAt {
            unit: 1 + ep.unit.index(),
            cell: l.cells + cell,
            professions: l.professions,
            part: l.part,
        }
    }
}

/// `a[i] += b[i]` for each `i`.
fn add_each(a: &mut [u64], b: &[u64]) {
    a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
}

/// `a[i] += b[i]` for each `i`.
fn add_days(a: &mut [DaysSum], b: &[DaysSum]) {
    a.iter_mut().zip(b).for_each(|(a, b)| a.absorb(b));
}

impl EpisodeTallies {
    /// Adds the tallies of `other`, a run of other units (a linked group,
    /// `model/linked.rs`) of the same scenario. Exact: every value added
    /// is a whole number. The tables made at reset stay as they are.
    pub(crate) fn absorb(&mut self, other: &EpisodeTallies) {
        self.arrived += other.arrived;
        add_each(&mut self.states, &other.states);
        add_each(&mut self.cells, &other.cells);
        add_each(&mut self.by_category, &other.by_category);
        add_each(&mut self.by_channel, &other.by_channel);
        add_each(&mut self.by_age, &other.by_age);
        add_each(&mut self.by_distance, &other.by_distance);
        add_each(
            &mut self.digital_excluded_by_age,
            &other.digital_excluded_by_age,
        );
        add_each(
            &mut self.far_walk_in_by_distance,
            &other.far_walk_in_by_distance,
        );
        for (a, b) in self.rules.iter_mut().zip(&other.rules) {
            // Counted and met add in their halves (fewer than 2^32 each).
            a.counts
                .iter_mut()
                .zip(&b.counts)
                .for_each(|(a, b)| *a += b);
        }
        self.to_assessment.absorb(&other.to_assessment);
        add_each(&mut self.assessment_days, &other.assessment_days);
        add_days(
            &mut self.assessment_by_profession,
            &other.assessment_by_profession,
        );
        for (a, b) in self
            .assessment_days_by_profession
            .iter_mut()
            .zip(&other.assessment_days_by_profession)
        {
            if let Some(b) = b {
                add_each(a.get_or_insert([0; 6]), b);
            }
        }
        for (a, b) in self
            .assessment_by_group
            .iter_mut()
            .zip(&other.assessment_by_group)
        {
            add_days(a, b);
        }
        for (a, b) in self.doctor_by_group.iter_mut().zip(&other.doctor_by_group) {
            add_days(a, b);
        }
        self.to_doctor.absorb(&other.to_doctor);
        add_each(&mut self.doctor_days, &other.doctor_days);
        add_each(
            &mut self.arrivals_by_weekday_hour,
            &other.arrivals_by_weekday_hour,
        );
        self.arrivals_observed += other.arrivals_observed;
        for (a, b) in self.role_days.iter_mut().zip(&other.role_days) {
            a.absorb(b);
        }
        crate::model::flows::absorb_episode_tallies(&mut self.flows, &other.flows);
    }
}

/// Everything one replication recorded. What each flow leaves besides
/// episodes, contacts and staff and desk ledgers is in `flows`.
#[derive(Clone, Debug, Default)]
pub struct Records {
    /// One per patient, in arrival order — only when the run was asked to
    /// keep them ([`crate::model::simulate`]); empty from the experiment
    /// runner. The metrics read [`Records::episode_tallies`], never these.
    pub episodes: Vec<Episode>,
    /// One per contact, in time order — only when the run was asked to keep
    /// them ([`crate::model::simulate`]); empty from the experiment runner.
    /// The metrics read [`Records::tallies`], never these.
    pub contacts: Vec<ContactRecord>,
    /// What the metrics need from the contacts, accumulated as they happened.
    pub tallies: ContactTallies,
    /// What the metrics need from the episodes, added as each ended.
    pub episode_tallies: EpisodeTallies,
    /// One per staff member.
    pub staff: Vec<StaffLedger>,
    /// Start of the observed window (end of warm-up).
    pub observed_from: SimTime,
    /// End of the run.
    pub observed_to: SimTime,
    /// What the flows of `model::flows` leave beyond episodes and
    /// contacts (their ledgers).
    pub flows: crate::model::flows::FlowRecords,
    /// Events the engine handled.
    pub events: u64,
    /// The model's per-patient scratch state, kept only so that its buffer
    /// can be reused by the next replication.
    pub(crate) patients: Vec<crate::model::sim::PatientState>,
    /// The rest of the patient arena, kept for the same reason.
    pub(crate) scratch: crate::model::sim::ArenaScratch,
    /// The run's appointment books, reset and reused by the next
    /// replication when it would build them from the same inputs.
    pub(crate) book_cache: BookCache,
    /// A run split into linked groups (`model/linked.rs`): each group's
    /// books, for the next replication, by group.
    pub(crate) group_books: Vec<BookCache>,
    /// The arrival streams' layouts (what depends on the scenario only),
    /// reused by the next replication when laid out from the same inputs.
    pub(crate) arrival_layouts: Vec<crate::model::flows::demand::KeptLayout>,
    /// Each model's run: one per linked group in group order, or one for
    /// a run on one engine.
    pub(crate) model_runs: Vec<ModelRun>,
    /// A run whose linked groups ran on several threads at once
    /// (`model/merge.rs`): the buffers of the lanes besides this one, for
    /// the next replication.
    pub(crate) lanes: Vec<Records>,
}

/// One model's run within a replication: a linked group's
/// (`model/linked.rs`), or the whole scenario's on one engine. What the
/// region bench reads to show where a region's time goes
/// (`benches/region_scale.rs`); never an output, as its time differs from
/// run to run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ModelRun {
    /// Units simulated.
    pub units: usize,
    /// A split e-service provider's run (`model/split.rs`): its served
    /// units' requests ran here as stand-ins.
    pub provider: bool,
    /// The most patients held at once (the length of the patient arena,
    /// whose slots are reused as patients leave).
    pub most_held: usize,
    /// Events its engine handled, echoes included (a split provider's
    /// run handles its served units' e-service arrivals again, and a unit's
    /// run the provider's answers: [`Records::events`] counts each once).
    pub handled: u64,
    /// Seconds from building the model to its records (wall time of the
    /// thread that ran it).
    pub seconds: f64,
}

impl Records {
    /// Each model's run, in group order (one for a run on one engine).
    pub fn model_runs(&self) -> &[ModelRun] {
        &self.model_runs
    }

    /// The most patients each model of the run held at once, exactly: one
    /// entry per linked group (`model/linked.rs`) in group order, or one
    /// for a run on one engine.
    pub fn most_patients_held_by_group(&self) -> Vec<usize> {
        self.model_runs.iter().map(|r| r.most_held).collect()
    }

    /// At least the most patients held at once in the whole region: the
    /// sum of [`Self::most_patients_held_by_group`]. Exact for a run on one
    /// engine (one group); for a run split into linked groups an upper
    /// bound, since the groups' peaks need not come at the same time (the
    /// joint peak would need each group's count over time).
    pub fn most_patients_held_at_most(&self) -> usize {
        self.model_runs.iter().map(|r| r.most_held).sum()
    }
}

/// A replication's appointment books (reset to their state as built before
/// reuse), with a key of the inputs they were built from (staff, visit
/// blocks, calendar, horizon, rules).
#[derive(Clone, Debug, Default)]
pub(crate) struct BookCache {
    pub key: u64,
    pub books: Vec<crate::model::book::AppointmentBook>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_the_public_holidays_the_units_are_closed() {
        // A patient the day before a public holiday on a weekday: "3
        // vardagar" are the three weekdays after the holiday, one weekday
        // later than a Monday–Friday count that works the holiday.
        let working = ["guarantee.assessment_within_3_days.count_days=working".to_string()];
        let with = Scenario::load(None, &working).unwrap();
        let mut without_sets = working.to_vec();
        without_sets.push("supply.public_holidays=false".into());
        let without = Scenario::load(None, &without_sets).unwrap();
        let weekday = |d: u64| with.calendar.is_working_day(d);
        let holiday = (1..400)
            .find(|&d| {
                weekday(d)
                    && with.closed_on(d)
                    && weekday(d - 1)
                    && !with.closed_on(d - 1)
                    && (d + 1..d + 8).all(|x| !with.closed_on(x))
            })
            .expect("the default closes on a weekday holiday");
        let before = holiday - 1;
        // The n-th Monday–Friday after `before`; a rule of three working
        // days is met up to the day before the fourth.
        let nth_weekday = |n: usize| (before + 1..).filter(|&d| weekday(d)).nth(n - 1).unwrap();
        let rule = |sc: &Scenario| {
            sc.rules
                .iter()
                .find(|r| r.key == "assessment_within_3_days")
                .unwrap()
                .clone()
        };
        assert!(!with.is_working_day(holiday) && without.is_working_day(holiday));
        assert_eq!(last_ok_day(&rule(&with), before, &with), nth_weekday(5) - 1);
        assert_eq!(
            last_ok_day(&rule(&without), before, &without),
            nth_weekday(4) - 1
        );
    }

    #[test]
    fn role_days_read_at_settle_equal_the_sums_once_added_per_episode() {
        // The days to assessment and to a doctor were added to eleven sums
        // and buckets per episode; they are counted by (group, profession,
        // day) and read as the run ends. The same numbers, 8+ days included.
        let sc = Scenario::load(
            Some(std::path::Path::new(
                "scenarios/methods/rural-distance.toml",
            )),
            &[],
        )
        .unwrap();
        let mut t = EpisodeTallies::default();
        t.reset(&sc);
        let (cats, ages, bands) = (
            sc.categories.len(),
            sc.age_groups.len(),
            sc.distance_bands.len(),
        );
        let profs = sc.professions.len();
        assert!(cats > 1 && ages > 1 && bands > 0 && profs > 1);
        let groups = || -> [Vec<DaysSum>; 3] {
            [
                vec![DaysSum::default(); cats],
                vec![DaysSum::default(); ages],
                vec![DaysSum::default(); bands],
            ]
        };
        // The old per-episode adds, by role.
        let (mut to, mut days, mut by_group) = (
            [DaysSum::default(); 2],
            [[0u64; 9]; 2],
            [groups(), groups()],
        );
        let mut by_prof = vec![DaysSum::default(); profs];
        let mut buckets = [0u64; 6];
        let mut buckets_by_prof = vec![None; profs];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let (c, a, b) = (
                x as usize % cats,
                (x >> 8) as usize % ages,
                (x >> 16) as usize % (bands + 1),
            );
            let (prof, d, role) = (
                (x >> 24) as usize % profs,
                (x >> 32) % 20,
                (x >> 40) as usize % 2,
            );
            let ep = Episode {
                unit: UnitId(0),
                channel: Channel::WalkIn,
                category: CategoryId(c as u16),
                age: AgeId(a as u8),
                distance: if b < bands { b as u8 } else { NO_BAND },
                moved: None,
                follow_up: false,
                arrived: SimTime::ZERO,
                end: EndState::Completed,
                ended: SimTime::ZERO,
                first_staff_contact: SimTime::ZERO,
                patient_chosen_on: None,
                avoidable_emergency: false,
            };
            t.role_days[role].add(t.patient.group_of(&ep) * profs + prof, d);
            to[role].add(d);
            days[role][(d as usize).min(8)] += 1;
            by_group[role][GROUP_CATEGORY][c].add(d);
            by_group[role][GROUP_AGE][a].add(d);
            if b < bands {
                by_group[role][GROUP_DISTANCE][b].add(d);
            }
            if role == RuleRole::Assessment as usize {
                let bucket = [0, 1, 2, 3, 4, 4, 4, 4, 5][(d as usize).min(8)];
                buckets[bucket] += 1;
                buckets_by_prof[prof].get_or_insert([0u64; 6])[bucket] += 1;
                by_prof[prof].add(d);
            }
        }
        t.settle();
        assert!(days[0][8] > 0 && days[1][8] > 0, "some waits of 8+ days");
        assert_eq!(t.to_assessment, to[0]);
        assert_eq!(t.assessment_days, buckets);
        assert_eq!(t.assessment_by_profession, by_prof);
        assert_eq!(t.assessment_days_by_profession, buckets_by_prof);
        assert_eq!(t.assessment_by_group, by_group[0]);
        assert_eq!(t.to_doctor, to[1]);
        assert_eq!(t.doctor_days, days[1]);
        assert_eq!(t.doctor_by_group, by_group[1]);
    }

    #[test]
    fn hourly_area_equals_an_hour_by_hour_walk() {
        // The metrics once walked every waiting call hour by hour (36× the
        // CPU for 10× the demand when call-backs waited for days). Waits up
        // to three weeks: runs of whole hours that pass the week's end and
        // that cover whole weeks.
        let to = SimTime(40 * SimTime::DAY);
        let mut area = HourlyArea::default();
        let mut naive = [0u64; 168];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for i in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let a = x % to.0;
            let longest = if i % 4 == 0 { 21 } else { 3 } * SimTime::DAY;
            let b = (a + (x >> 20) % longest).min(to.0);
            area.add(SimTime(a), SimTime(b));
            let mut t = a;
            while t < b {
                let stop = ((t / SimTime::HOUR + 1) * SimTime::HOUR).min(b);
                naive[(t / SimTime::HOUR % 168) as usize] += stop - t;
                t = stop;
            }
        }
        assert_eq!(area.hours_of_week(), naive);
        // Empty and reversed intervals add nothing.
        area.add(SimTime(500), SimTime(500));
        area.add(SimTime(900), SimTime(100));
        assert_eq!(area.hours_of_week(), naive);
        // Two runs' areas add up.
        let mut twice = area.clone();
        twice.absorb(&area);
        assert_eq!(twice.hours_of_week(), naive.map(|s| 2 * s));
    }
}
