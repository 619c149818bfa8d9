//! What a replication leaves behind: one [`Episode`] per patient, the
//! [`ContactTallies`] that every contact with staff adds to as it is
//! recorded, time ledgers per staff member and per drop-in. The `metrics`
//! module derives every number from these. The contacts themselves
//! ([`ContactRecord`]) are kept only when asked for
//! ([`crate::model::simulate`] keeps them, the experiment runner does not).

use crate::engine::SimTime;
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
    /// The patient chose a later time than offered (`patientvald väntan`).
    pub patient_chosen: bool,
    /// Sent to the emergency department because the mobile team was full
    /// (avoidable): a miss, even for rules that leave out emergency referrals.
    pub avoidable_emergency: bool,
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

/// The first contact of an episode that a guarantee rule counts: its day
/// ([`RuleFirst::NONE`] when none yet) and the staff member's profession.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleFirst {
    /// Day of the contact (a horizon is at most 3 660 days).
    pub day: u16,
    /// Profession index.
    pub profession: u8,
}

impl RuleFirst {
    /// No counted contact.
    pub const NONE: RuleFirst = RuleFirst {
        day: u16::MAX,
        profession: 0,
    };
}

/// What the metrics need from the contacts, accumulated while the
/// replication runs: fixed-size arrays indexed by activity, unit, profession
/// and category (named only when the metrics are written), plus one
/// [`RuleFirst`] per episode and guarantee rule.
#[derive(Clone, Debug, Default)]
pub struct ContactTallies {
    /// Minutes waited, contacts requested after the warm-up, by activity.
    pub wait: [Sum; Activity::COUNT],
    /// The same by unit where the contact happened (`[unit][activity]`).
    pub wait_by_unit: Vec<[Sum; Activity::COUNT]>,
    /// Drop-in contacts requested after the warm-up: 1 if the patient waited at all.
    pub dropin_waited: Sum,
    /// Drop-in: 1 if the wait was over each of the scenario's thresholds.
    pub dropin_over: Vec<Sum>,
    /// Drop-in minutes waited by profession.
    pub dropin_by_profession: Vec<Sum>,
    /// Drop-in minutes waited by the patient's category.
    pub dropin_by_category: Vec<Sum>,
    /// Remote examinations requested after the warm-up: minutes from first
    /// contact to the examination, overall and by unit.
    pub remote_to_exam: Sum,
    /// The same by unit.
    pub remote_to_exam_by_unit: Vec<Sum>,
    /// Visits (kind `visit`) started after the warm-up, by profession.
    pub visits: Vec<u64>,
    /// Telephone contacts: seconds between the call and the call-back within
    /// the observed period, in each hour of the run ([`HourlyArea`]).
    pub phone_waiting: HourlyArea,
    /// Per episode × guarantee rule (`episode * rules + rule`).
    pub rule_first: Vec<RuleFirst>,
}

impl ContactTallies {
    /// Empties the tallies for a run with `units`, `professions`,
    /// `categories` and `thresholds` drop-in thresholds, ending at `to`
    /// (keeps the buffers).
    pub(crate) fn reset(
        &mut self,
        units: usize,
        professions: usize,
        categories: usize,
        thresholds: usize,
        to: SimTime,
    ) {
        let rule_first = std::mem::take(&mut self.rule_first);
        let phone_waiting = std::mem::take(&mut self.phone_waiting);
        *self = ContactTallies {
            wait_by_unit: vec![Default::default(); units],
            dropin_over: vec![Sum::default(); thresholds],
            dropin_by_profession: vec![Sum::default(); professions],
            dropin_by_category: vec![Sum::default(); categories],
            remote_to_exam_by_unit: vec![Sum::default(); units],
            visits: vec![0; professions],
            phone_waiting,
            rule_first,
            ..Default::default()
        };
        self.rule_first.clear();
        self.phone_waiting.reset(to);
    }
}

/// Seconds of intervals falling in each hour of the run: an interval adds
/// its two partial hours directly and its whole hours as a range in a
/// difference array, so a wait of days costs the same as a wait of
/// minutes. Integer seconds: the totals are exact in any order.
#[derive(Clone, Debug, Default)]
pub struct HourlyArea {
    /// Seconds in the first and last (partial) hour of each interval, by
    /// hour of the run.
    partial: Vec<u64>,
    /// Whole hours covered: +1 where a run of whole hours starts, -1 after it.
    whole: Vec<i64>,
}

impl HourlyArea {
    fn reset(&mut self, to: SimTime) {
        let hours = (to.0 / SimTime::HOUR + 2) as usize;
        self.partial.clear();
        self.partial.resize(hours, 0);
        self.whole.clear();
        self.whole.resize(hours + 1, 0);
    }

    /// Adds `[from, to)` (nothing when empty; `to` at most the run's end).
    pub fn add(&mut self, from: SimTime, to: SimTime) {
        let (t, end) = (from.0, to.0);
        if t >= end {
            return;
        }
        let (h0, h1) = (t / SimTime::HOUR, (end - 1) / SimTime::HOUR);
        if h0 == h1 {
            self.partial[h0 as usize] += end - t;
            return;
        }
        self.partial[h0 as usize] += (h0 + 1) * SimTime::HOUR - t;
        self.partial[h1 as usize] += end - h1 * SimTime::HOUR;
        if h1 > h0 + 1 {
            self.whole[h0 as usize + 1] += 1;
            self.whole[h1 as usize] -= 1;
        }
    }

    /// Seconds in each hour of the run, `(hour start, seconds)`, for hours
    /// with any.
    pub fn hours(&self) -> impl Iterator<Item = (SimTime, u64)> + '_ {
        let mut covering = 0i64;
        self.partial.iter().enumerate().filter_map(move |(h, &p)| {
            covering += self.whole[h];
            let s = p + covering as u64 * SimTime::HOUR;
            (s > 0).then_some((SimTime(h as u64 * SimTime::HOUR), s))
        })
    }
}

/// Everything one replication recorded. What each flow leaves besides
/// episodes, contacts and staff and desk ledgers is in `flows`.
#[derive(Clone, Debug, Default)]
pub struct Records {
    /// One per patient, in arrival order.
    pub episodes: Vec<Episode>,
    /// One per contact, in time order — only when the run was asked to keep
    /// them ([`crate::model::simulate`]); empty from the experiment runner.
    /// The metrics read [`Records::tallies`], never these.
    pub contacts: Vec<ContactRecord>,
    /// What the metrics need from the contacts, accumulated as they happened.
    pub tallies: ContactTallies,
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
    /// The run's appointment books, reset and reused by the next
    /// replication when it would build them from the same inputs.
    pub(crate) book_cache: BookCache,
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
    fn hourly_area_equals_an_hour_by_hour_walk() {
        // The metrics once walked every waiting call hour by hour (36× the
        // CPU for 10× the demand when call-backs waited for days).
        let to = SimTime(10 * SimTime::DAY);
        let mut area = HourlyArea::default();
        area.reset(to);
        let mut naive = vec![0u64; (to.0 / SimTime::HOUR + 2) as usize];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let a = x % to.0;
            let b = (a + (x >> 20) % (3 * SimTime::DAY)).min(to.0);
            area.add(SimTime(a), SimTime(b));
            let mut t = a;
            while t < b {
                let stop = ((t / SimTime::HOUR + 1) * SimTime::HOUR).min(b);
                naive[(t / SimTime::HOUR) as usize] += stop - t;
                t = stop;
            }
        }
        let mut got = vec![0u64; naive.len()];
        for (h, s) in area.hours() {
            got[(h.0 / SimTime::HOUR) as usize] = s;
        }
        assert_eq!(got, naive);
        // Empty and reversed intervals add nothing.
        let before: Vec<_> = area.hours().collect();
        area.add(SimTime(500), SimTime(500));
        area.add(SimTime(900), SimTime(100));
        assert_eq!(area.hours().collect::<Vec<_>>(), before);
    }
}
