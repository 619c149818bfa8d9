//! The walk-in desk (`drop-in`, `öppen mottagning`): patients queue by
//! urgency, then arrival, and the first free staff member whose profession
//! may assess them sees them.
//!
//! Opening hours bound arrivals; at closing, waiting patients are either
//! still seen (staff work overtime) or sent away, as the scenario says.
//! Patients balk at a long queue and renege when their patience runs out.
//! Removal of reneged patients from the queue is lazy: they are skipped when
//! they reach the front, and `waiting` counts only live entries.

use std::collections::VecDeque;

use crate::engine::{Engine, PatientRng, SimTime};
use crate::model::ids::{AgeId, CategoryId, PatientId, StaffId, UnitId};
use crate::model::kinds::{Activity, Channel, ContactKind, EndState, Urgency};
use crate::model::records::{ContactRecord, DropInLedger, Episode};
use crate::model::schedule::Periods;
use crate::model::sim::{
    Event, Model, PRIORITY_CLOSE, PRIORITY_NORMAL, PatientState, TAG_PATIENCE, TAG_SERVICE,
    observed,
};
use crate::scenario::spec::AtClosing;

/// One unit's drop-in desk.
#[derive(Debug)]
pub(crate) struct DropIn {
    open: bool,
    hours: Periods,
    cursor: usize,
    /// One queue per urgency level.
    queues: [VecDeque<PatientId>; Urgency::COUNT],
    /// Live patients in the queues.
    waiting: u32,
    /// Staff on drop-in duty with nobody to see.
    idle: Vec<StaffId>,
    last_change: SimTime,
    ledger: DropInLedger,
}

impl DropIn {
    /// Adds the queue-length integral up to `now`, then applies `delta`.
    fn change_waiting(&mut self, now: SimTime, warmup: SimTime, delta: i32) {
        self.ledger.queue_area +=
            self.waiting as f64 * observed(self.last_change, now, warmup) as f64;
        self.last_change = now;
        self.waiting = (self.waiting as i32 + delta) as u32;
    }

    /// Final integrals at the end of the run.
    pub(crate) fn close_books(&mut self, horizon: SimTime, warmup: SimTime) -> DropInLedger {
        self.change_waiting(horizon, warmup, 0);
        self.ledger
    }
}

impl Model<'_> {
    pub(crate) fn init_dropins(&mut self, engine: &mut Engine<Event>) {
        for (u, unit) in self.sc.units.iter().enumerate() {
            let uid = UnitId(u as u16);
            let Some(spec) = &unit.dropin else {
                self.dropins.push(None);
                continue;
            };
            let hours = Periods::from_weekly(&spec.hours, &self.sc.calendar, self.horizon);
            if let Some(&(start, _)) = hours.as_slice().first() {
                engine.schedule_with_priority(start, PRIORITY_CLOSE, Event::DropInOpen(uid));
            }
            let open_s = hours
                .as_slice()
                .iter()
                .map(|&(s, e)| observed(s, e, self.warmup))
                .sum();
            self.dropins.push(Some(DropIn {
                open: false,
                hours,
                cursor: 0,
                queues: Default::default(),
                waiting: 0,
                idle: Vec::new(),
                last_change: SimTime::ZERO,
                ledger: DropInLedger {
                    queue_area: 0.0,
                    open_s,
                },
            }));
        }
    }

    /// Opens an episode.
    pub(crate) fn new_patient(
        &mut self,
        unit: UnitId,
        channel: Channel,
        category: CategoryId,
        age: AgeId,
        now: SimTime,
        seed: u64,
    ) -> PatientId {
        let id = PatientId(self.episodes.len() as u32);
        self.episodes.push(Episode {
            unit,
            channel,
            category,
            age,
            arrived: now,
            end: EndState::InSystem,
            ended: SimTime::NEVER,
            first_staff_contact: SimTime::NEVER,
            first_assessment: None,
            first_doctor_visit: SimTime::NEVER,
        });
        self.patients.push(PatientState {
            seed,
            waiting: false,
        });
        id
    }

    fn end_episode(&mut self, p: PatientId, state: EndState, now: SimTime) {
        let ep = &mut self.episodes[p.index()];
        ep.end = state;
        ep.ended = now;
    }

    /// Patient `p` joins unit `u`'s drop-in (walk-in now; referrals later).
    pub(crate) fn dropin_arrive(&mut self, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
        let now = engine.now();
        let spec = self.sc.units[u.index()]
            .dropin
            .as_ref()
            .expect("drop-in exists for walk-ins");
        let category = self.sc.category(self.episodes[p.index()].category);
        let desk = self.dropins[u.index()]
            .as_mut()
            .expect("drop-in exists for walk-ins");
        // The lowest-numbered idle staff member who may assess the patient.
        let pick = desk
            .idle
            .iter()
            .enumerate()
            .filter(|(_, s)| category.assess.contains(self.staff[s.index()].profession))
            .min_by_key(|(_, s)| **s)
            .map(|(i, _)| i);
        if let Some(i) = pick {
            let s = desk.idle.swap_remove(i);
            self.dropin_start(engine, s, p, now);
            return;
        }
        // Would have to wait: balk if the queue is already long.
        if spec.balk_at_queue_length.is_some_and(|n| desk.waiting >= n) {
            self.end_episode(p, EndState::Balked, now);
            return;
        }
        desk.queues[category.urgency.priority()].push_back(p);
        desk.change_waiting(now, self.warmup, 1);
        self.patients[p.index()].waiting = true;
        if let Some(patience) = &spec.patience_minutes {
            let mut rng = PatientRng::new(self.patients[p.index()].seed, TAG_PATIENCE);
            let wait_s = SimTime::from_seconds_f64(patience.sample(&mut rng) * 60.0).0;
            engine.schedule_with_priority(now + wait_s, PRIORITY_NORMAL, Event::Renege(p));
        }
    }

    /// Staff member `s` starts seeing patient `p`, who has waited since `requested`.
    fn dropin_start(
        &mut self,
        engine: &mut Engine<Event>,
        s: StaffId,
        p: PatientId,
        requested: SimTime,
    ) {
        let now = engine.now();
        let profession = self.staff[s.index()].profession;
        let ep = &self.episodes[p.index()];
        let dist = self
            .sc
            .category(ep.category)
            .service(profession)
            .expect("validated: every assessing profession has a service time");
        let mut rng = PatientRng::new(
            self.patients[p.index()].seed,
            TAG_SERVICE + profession.0 as u64,
        );
        let duration = SimTime::from_seconds_f64(dist.sample(&mut rng) * 60.0).0;
        let unit = ep.unit;
        self.record_contact(ContactRecord {
            patient: p,
            unit,
            activity: Activity::DropIn,
            kind: ContactKind::Visit,
            profession,
            requested,
            start: now,
            duration_s: duration.min(u32::MAX as u64) as u32,
        });
        let m = &mut self.staff[s.index()];
        m.serving = Some(p);
        m.busy_since = now;
        engine.schedule_with_priority(now + duration, PRIORITY_NORMAL, Event::ServiceEnd(s));
    }

    pub(crate) fn dropin_service_end(&mut self, engine: &mut Engine<Event>, s: StaffId) {
        let now = engine.now();
        let m = &mut self.staff[s.index()];
        let Some(p) = m.serving.take() else { return };
        self.ledgers[s.index()].busy_s[Activity::DropIn as usize] +=
            observed(m.busy_since, now, self.warmup);
        self.end_episode(p, EndState::Completed, now);
        self.dropin_staff_free(engine, s);
    }

    /// `s` has nobody to see: take the next patient, wait idle, or go home.
    pub(crate) fn dropin_staff_free(&mut self, engine: &mut Engine<Event>, s: StaffId) {
        let now = engine.now();
        let m = &self.staff[s.index()];
        let u = m.unit;
        let Some(desk) = self.dropins[u.index()].as_ref() else {
            return;
        };
        let see_all = self.sc.units[u.index()]
            .dropin
            .as_ref()
            .is_some_and(|d| d.at_closing == AtClosing::SeeAll);
        // Off duty: keep going only to see the last patients after closing.
        let may_work = m.on_duty || (!desk.open && see_all);
        if may_work {
            if let Some(p) = self.dropin_take_next(s, now) {
                let requested = self.episodes[p.index()].arrived;
                self.dropin_start(engine, s, p, requested);
                return;
            }
        }
        let m = &self.staff[s.index()];
        if m.on_duty {
            if let Some(d) = self.dropins[u.index()].as_mut() {
                d.idle.push(s);
            }
        } else if now > m.scheduled_end {
            self.ledgers[s.index()].overtime_s += observed(m.scheduled_end, now, self.warmup);
        }
    }

    /// The next patient `s` may see: most urgent first, then first come.
    fn dropin_take_next(&mut self, s: StaffId, now: SimTime) -> Option<PatientId> {
        let profession = self.staff[s.index()].profession;
        let u = self.staff[s.index()].unit;
        let warmup = self.warmup;
        let desk = self.dropins[u.index()].as_mut()?;
        if desk.waiting == 0 {
            return None;
        }
        for q in desk.queues.iter_mut() {
            // Drop entries of patients who reneged or were sent away.
            while q.front().is_some_and(|p| !self.patients[p.index()].waiting) {
                q.pop_front();
            }
            let found = q.iter().position(|p| {
                self.patients[p.index()].waiting
                    && self.sc.categories[self.episodes[p.index()].category.index()]
                        .assess
                        .contains(profession)
            });
            if let Some(i) = found {
                let p = q.remove(i)?;
                self.patients[p.index()].waiting = false;
                desk.change_waiting(now, warmup, -1);
                return Some(p);
            }
        }
        None
    }

    /// A staff member whose duty ended while idle leaves the desk.
    pub(crate) fn dropin_leave_idle(&mut self, s: StaffId) {
        let u = self.staff[s.index()].unit;
        if let Some(d) = self.dropins[u.index()].as_mut() {
            if let Some(i) = d.idle.iter().position(|&x| x == s) {
                d.idle.swap_remove(i);
            }
        }
    }

    pub(crate) fn dropin_renege(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        if !self.patients[p.index()].waiting {
            return;
        }
        let now = engine.now();
        self.patients[p.index()].waiting = false;
        let u = self.episodes[p.index()].unit;
        if let Some(d) = self.dropins[u.index()].as_mut() {
            d.change_waiting(now, self.warmup, -1);
        }
        self.end_episode(p, EndState::Reneged, now);
    }

    pub(crate) fn dropin_open(&mut self, engine: &mut Engine<Event>, u: UnitId) {
        let Some(d) = self.dropins[u.index()].as_mut() else {
            return;
        };
        let (_, end) = d.hours.as_slice()[d.cursor];
        d.open = true;
        engine.schedule_with_priority(end, PRIORITY_CLOSE, Event::DropInClose(u));
    }

    pub(crate) fn dropin_close(&mut self, engine: &mut Engine<Event>, u: UnitId) {
        let now = engine.now();
        let Some(d) = self.dropins[u.index()].as_mut() else {
            return;
        };
        d.open = false;
        d.cursor += 1;
        if let Some(&(start, _)) = d.hours.as_slice().get(d.cursor) {
            engine.schedule_with_priority(start, PRIORITY_CLOSE, Event::DropInOpen(u));
        }
        let send_away = self.sc.units[u.index()]
            .dropin
            .as_ref()
            .is_some_and(|s| s.at_closing == AtClosing::SendAway);
        if !send_away {
            return;
        }
        let mut sent = Vec::new();
        for q in d.queues.iter_mut() {
            sent.extend(q.drain(..).filter(|p| self.patients[p.index()].waiting));
        }
        let n = sent.len() as i32;
        d.change_waiting(now, self.warmup, -n);
        for p in sent {
            self.patients[p.index()].waiting = false;
            self.end_episode(p, EndState::SentAway, now);
        }
    }
}
