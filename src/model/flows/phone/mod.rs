//! The telephone line with call-back (`återuppringning`) and the nurse's
//! triage call.
//!
//! Call-back capacity is the unit's call-back times: every telephone shift
//! block is cut into times of `callback_slot_minutes`, one per nurse, as the
//! common call-back systems do. A caller gets the next free time. Because
//! callers come in time order and each takes the earliest free time at or
//! after their call, the times handed out never go backwards: one cursor
//! per unit is the whole index, and the times are laid out a day at a time
//! as the cursor reaches them (`callbacks.rs`). When today's times are gone
//! the next one is tomorrow's, and the "0" rule fails for that caller.
//!
//! At the call-back time the nurse calls (later, if their previous call ran
//! over) and triages; the outcome routes the patient (`triage.rs`). A line
//! with a hold queue (`mode = "hold_queue"`) is a desk (`flows/desks/`) whose
//! answered calls are triage calls of this flow (`triage_call_minutes`,
//! `route_after_triage`).

mod callbacks;
mod ledger;
pub mod metrics;
mod triage;

pub use ledger::PhoneLedger;

use crate::engine::{Engine, PatientRng, SimTime, StreamKey};
use crate::model::flows::{Event, desks};
use crate::model::records::ContactRecord;
use crate::model::schedule::WeekTemplate;
use crate::model::sim::{Model, PRIORITY_NORMAL, observed};
use crate::vocab::ids::{PatientId, StaffId, UnitId};
use crate::vocab::kinds::{Activity, ContactKind};
use callbacks::CallBackBook;

/// What happens on the telephone: `Event::Phone(what, patient)`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum PhoneEvent {
    /// A nurse calls the patient back.
    CallBack,
    /// The patient's triage call ends.
    TriageDone,
}

/// This flow's block of per-patient random-stream tags (see
/// `flows::TAG_BLOCKS`): the triage call's length, the triage outcome.
pub const TAGS: std::ops::Range<u64> = 2..4;
const TAG_TRIAGE_CALL: u64 = TAGS.start;
const TAG_TRIAGE_OUTCOME: u64 = TAGS.start + 1;

/// Every unit's telephone call-back times: `Model::phone`.
#[derive(Debug, Default)]
pub(crate) struct PhoneLines {
    /// Per unit: call-back times.
    callbacks: Vec<CallBackBook>,
    /// Where triage sent patients to the emergency department.
    ledger: PhoneLedger,
}

/// What the telephone keeps per patient waiting for a call-back (a part of
/// the model's `PatientState` that only this flow reads or writes).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OnCallBack {
    /// The staff member assigned to call the patient back.
    staff: u32,
    /// When the patient asked to be called back.
    asked_at: SimTime,
}

/// Builds every unit's call-back book from its staff's telephone shifts.
pub(crate) fn init(model: &mut Model<'_>, _key: &StreamKey<'_>, _engine: &mut Engine<Event>) {
    model.init_phone();
}

/// End of the run: the triage ledger.
pub(crate) fn finish(model: &mut Model<'_>) -> PhoneLedger {
    model.phone.ledger
}

/// Handles one of this flow's events.
#[inline]
pub(crate) fn handle(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    event: PhoneEvent,
    p: PatientId,
) {
    match event {
        PhoneEvent::CallBack => model.call_back(engine, p),
        PhoneEvent::TriageDone => model.after_triage(engine, p),
    }
}

/// Handoff: patient `p` calls unit `u` now (a new contact by telephone, or
/// a web booker who found no time).
pub(crate) fn call(model: &mut Model<'_>, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
    model.phone_call(engine, u, p);
}

/// Handoff: a triage (a call from the hold queue, an answered e-service
/// request) has ended; route patient `p` by its outcome.
pub(crate) fn route_after_triage(model: &mut Model<'_>, engine: &mut Engine<Event>, p: PatientId) {
    model.after_triage(engine, p);
}

/// Minutes of the triage call of the patient with `seed` on unit `line`'s
/// telephone line (the answering unit's: a shared line's host).
pub(crate) fn triage_call_minutes(model: &Model<'_>, line: UnitId, seed: u64) -> f64 {
    let dist = model.facts[line.index()]
        .triage_minutes
        .expect("validated: phone demand and hold queues need a telephone line");
    dist.sample(&mut PatientRng::new(seed, TAG_TRIAGE_CALL))
}

impl Model<'_> {
    /// Every unit's call-back book, from its staff's telephone weeks.
    fn init_phone(&mut self) {
        let staff_of = self.staff_by_unit();
        for (u, unit) in self.sc.units.iter().enumerate() {
            let mut book = CallBackBook::default();
            if let Some(phone) = unit.phone.as_ref().filter(|p| !p.hold_queue) {
                // Each staff group's telephone week, once.
                let mut week_of_group = vec![None; unit.staff.len()];
                let mut weeks = Vec::new();
                let mut nurses = Vec::new();
                for &s in &staff_of[u] {
                    let group = self.staff[s].group;
                    let week = *week_of_group[group].get_or_insert_with(|| {
                        let blocks: Vec<_> = unit.staff[group]
                            .shifts
                            .iter()
                            .filter(|(_, a)| *a == Activity::Telephone)
                            .map(|(b, _)| *b)
                            .collect();
                        weeks.push(WeekTemplate::new(&blocks));
                        weeks.len() - 1
                    });
                    // Members without telephone shifts give no times.
                    if !weeks[week].is_empty() {
                        nurses.push((s, week));
                    }
                }
                let supply = &self.supply;
                book = CallBackBook::new(
                    phone.callback_slot_s,
                    weeks,
                    &nurses,
                    (&self.sc.calendar, self.horizon),
                    |s, day| supply.works(s, day),
                );
            }
            self.phone.callbacks.push(book);
        }
    }

    /// Patient `p` calls unit `u` now: give them the next free call-back time.
    fn phone_call(&mut self, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
        // A shared line: the host unit's nurses answer.
        let u = self.facts[u.index()].phone_line;
        if desks::hold_queue(self, engine, u, p) {
            return;
        }
        let now = engine.now();
        // No time left before the horizon: the caller is still waiting when the run ends.
        let supply = &self.supply;
        let works = |s, day| supply.works(s, day);
        let Some((t, staff)) = self.phone.callbacks[u.index()].take_from(now, works) else {
            return;
        };
        let call_back = &mut self.patients[self.slots.of(p)].call_back;
        call_back.staff = staff.0;
        call_back.asked_at = now;
        // The line's event: its nurse calls (the host's, for a shared line).
        engine.schedule_from(
            t,
            PRIORITY_NORMAL,
            u.0,
            Event::Phone(PhoneEvent::CallBack, p),
        );
    }

    /// The nurse calls patient `p` back (or as soon as their previous call ends).
    fn call_back(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        let now = engine.now();
        let ps = self.slots.of(p);
        let staff = StaffId(self.patients[ps].call_back.staff);
        let (free_at, line) = {
            let m = &self.staff[staff.index()];
            (m.free_at, m.unit)
        };
        if free_at > now {
            engine.schedule_from(
                free_at,
                PRIORITY_NORMAL,
                line.0,
                Event::Phone(PhoneEvent::CallBack, p),
            );
            return;
        }
        let profession = self.staff[staff.index()].profession;
        let unit = self.episodes[ps].unit;
        // The answering unit's line sets the call length (a shared line's host).
        let minutes = triage_call_minutes(self, line, self.patients[ps].seed);
        let duration = SimTime::from_seconds_f64(minutes * 60.0).0;
        let end = now + duration;
        let requested = self.patients[ps].call_back.asked_at;
        self.record_contact_at(
            ps,
            ContactRecord {
                patient: p,
                unit,
                activity: Activity::Telephone,
                kind: ContactKind::TriageCall,
                profession,
                requested,
                start: now,
                duration_s: duration.min(u32::MAX as u64) as u32,
            },
        );
        self.staff[staff.index()].free_at = end;
        self.staff[staff.index()].busy_s[Activity::Telephone as usize] +=
            observed(now, end, self.warmup);
        engine.schedule_from(
            end,
            PRIORITY_NORMAL,
            line.0,
            Event::Phone(PhoneEvent::TriageDone, p),
        );
    }
}
