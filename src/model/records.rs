//! What a replication leaves behind: one [`Episode`] per patient, one
//! [`ContactRecord`] per contact with staff, time ledgers per staff member
//! and per drop-in. The `metrics` module derives every number from these.

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
    /// First contact with a licensed profession (a medical assessment in the
    /// law's sense; which kinds count is up to each guarantee rule).
    pub first_assessment: Option<(SimTime, ProfessionId, ContactKind)>,
    /// First visit (at the unit or at home) with a doctor.
    pub first_doctor_visit: SimTime,
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
}

/// Everything one replication recorded. What each flow leaves besides
/// episodes, contacts and staff and desk ledgers is in `flows`.
#[derive(Clone, Debug, Default)]
pub struct Records {
    /// One per patient, in arrival order.
    pub episodes: Vec<Episode>,
    /// One per contact, in time order.
    pub contacts: Vec<ContactRecord>,
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
    /// Pristine appointment books, reused by the next replication when it
    /// would build them from the same inputs.
    pub(crate) book_cache: BookCache,
}

/// Appointment books as built, before any booking, with a key of the inputs
/// they were built from (staff, visit blocks, calendar, horizon, rules).
#[derive(Clone, Debug, Default)]
pub(crate) struct BookCache {
    pub key: u64,
    pub books: Vec<crate::model::book::AppointmentBook>,
}
