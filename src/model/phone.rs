//! The telephone line with call-back (`återuppringning`) and the nurse's
//! triage call.
//!
//! Call-back capacity is laid out before the run as the unit's call-back
//! times: every telephone shift block is cut into times of
//! `callback_slot_minutes`, one per nurse, as the common call-back systems
//! do. A caller gets the next free time. Because callers come in time order
//! and each takes the earliest free time at or after their call, the times
//! handed out never go backwards: one cursor per unit is the whole index.
//! When today's times are gone the next one is tomorrow's, and the "0" rule
//! fails for that caller.
//!
//! At the call-back time the nurse calls (later, if their previous call ran
//! over) and triages; the outcome routes the patient (`triage.rs`).

use crate::engine::{Engine, PatientRng, SimTime};
use crate::model::desk::DeskKind;
use crate::model::records::ContactRecord;
use crate::model::schedule::Periods;
use crate::model::sim::{Event, Model, PRIORITY_NORMAL, TAG_TRIAGE_CALL, observed};
use crate::vocab::ids::{PatientId, StaffId, UnitId};
use crate::vocab::kinds::{Activity, ContactKind};

/// One unit's call-back times, in time order (then staff order).
#[derive(Debug, Default)]
pub(crate) struct CallBackBook {
    times: Vec<(SimTime, StaffId)>,
    /// First time not yet handed out or passed.
    cursor: usize,
}

impl Model<'_> {
    /// Lays out every unit's call-back times from its staff's telephone shifts.
    pub(crate) fn init_phone(&mut self) {
        for (u, unit) in self.sc.units.iter().enumerate() {
            let mut book = CallBackBook::default();
            if let Some(phone) = unit.phone.as_ref().filter(|p| !p.hold_queue) {
                for (s, m) in self.staff.iter().enumerate() {
                    if m.unit.index() != u {
                        continue;
                    }
                    let blocks: Vec<_> = unit.staff[m.group]
                        .shifts
                        .iter()
                        .filter(|(_, a)| *a == Activity::Telephone)
                        .map(|(b, _)| *b)
                        .collect();
                    for &(start, end) in
                        Periods::from_weekly(&blocks, &self.sc.calendar, self.horizon).as_slice()
                    {
                        let mut t = start;
                        while t + phone.callback_slot_s <= end {
                            book.times.push((t, StaffId(s as u32)));
                            t += phone.callback_slot_s;
                        }
                    }
                }
                book.times.sort_unstable();
            }
            self.callbacks.push(book);
        }
    }

    /// Patient `p` calls unit `u` now: give them the next free call-back time.
    pub(crate) fn phone_call(&mut self, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
        // A shared line: the host unit's nurses answer.
        let u = self.sc.units[u.index()]
            .phone_host
            .map_or(u, |h| UnitId(h as u16));
        if let Some(d) = self.desk_of(u, DeskKind::PhoneQueue) {
            self.desk_arrive(engine, d, p);
            return;
        }
        let now = engine.now();
        let book = &mut self.callbacks[u.index()];
        while book.times.get(book.cursor).is_some_and(|&(t, _)| t < now) {
            book.cursor += 1;
        }
        // No time left before the horizon: the caller is still waiting when the run ends.
        let Some(&(t, staff)) = book.times.get(book.cursor) else {
            return;
        };
        book.cursor += 1;
        self.patients[p.index()].staff = staff.0;
        self.patients[p.index()].queued_at = now;
        engine.schedule_with_priority(t, PRIORITY_NORMAL, Event::CallBack(p));
    }

    /// The nurse calls patient `p` back (or as soon as their previous call ends).
    pub(crate) fn call_back(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        let now = engine.now();
        let staff = StaffId(self.patients[p.index()].staff);
        let free_at = self.staff[staff.index()].free_at;
        if free_at > now {
            engine.schedule_with_priority(free_at, PRIORITY_NORMAL, Event::CallBack(p));
            return;
        }
        let profession = self.staff[staff.index()].profession;
        let unit = self.episodes[p.index()].unit;
        // The answering unit's line sets the call length (a shared line's host).
        let line = self.staff[staff.index()].unit;
        let dist = &self.sc.units[line.index()]
            .phone
            .as_ref()
            .expect("validated: phone demand needs a telephone line")
            .triage_minutes;
        let mut rng = PatientRng::new(self.patients[p.index()].seed, TAG_TRIAGE_CALL);
        let duration = SimTime::from_seconds_f64(dist.sample(&mut rng) * 60.0).0;
        let end = now + duration;
        self.record_contact(ContactRecord {
            patient: p,
            unit,
            activity: Activity::Telephone,
            kind: ContactKind::TriageCall,
            profession,
            requested: self.patients[p.index()].queued_at,
            start: now,
            duration_s: duration.min(u32::MAX as u64) as u32,
        });
        self.staff[staff.index()].free_at = end;
        self.ledgers[staff.index()].busy_s[Activity::Telephone as usize] +=
            observed(now, end, self.warmup);
        engine.schedule_with_priority(end, PRIORITY_NORMAL, Event::TriageDone(p));
    }
}
