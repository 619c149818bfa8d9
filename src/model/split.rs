//! An e-service provider's group split (docs/performance-history.md, twenty-third
//! pass): a unit answering other units' 1177 inboxes (`eservice_host`) and
//! linked to nothing else runs on its own engine *first*, on its served
//! units' e-service arrival streams alone, and each served unit then runs
//! with the provider's answers put into its own engine.
//!
//! Exact because the provider's input is exogenous: a request comes only
//! from a served unit's e-service arrival stream (its time, age group,
//! category and seed are the stream's draws; nothing a unit does later
//! reaches the inbox), and because events are ordered by emitter
//! (`engine/queue.rs`): the provider's run orders the served units'
//! arrivals against its own events as the whole region's run does, and an
//! answer put into a unit's engine with the order word its end had in the
//! provider's run (`Engine::schedule_ordered`) runs in the same place
//! among the unit's events as in the whole region's run.
//!
//! - In the provider's run a served unit's request is a *stand-in*: a
//!   patient that joins the inbox, is answered, and leaves without an
//!   episode of its own (the unit's run keeps the episode). Its answer is
//!   the contact (recorded by the unit's run) and, when it ends before the
//!   horizon, the end's time and order word.
//! - In a served unit's run the `n`-th e-service request takes the `n`-th
//!   request's answer: the contact is recorded at once (nothing else
//!   happens to the patient while they wait for the inbox: it has no
//!   patience), and the end is scheduled, where the patient is routed as
//!   after a triage (`phone::route_after_triage`).
//!
//! The arrival events a provider's run repeats, and the answers a unit's
//! run is given, are *echoes*: handled, but counted once (by the unit's and
//! the provider's run).

use crate::engine::{Engine, SimTime};
use crate::model::flows::{Event, desks};
use crate::model::records::ContactRecord;
use crate::model::sim::Model;
use crate::vocab::ids::{PatientId, ProfessionId, UnitId};
use crate::vocab::kinds::{Activity, ContactKind};

/// A provider's answer to one e-service request, in 32 bytes (a region's
/// provider gives hundreds of thousands a year, all held until its units
/// have run): its contact without the patient and unit (the unit's run
/// names them), times in seconds (a run's times fit 32 bits: a horizon is
/// at most 3 660 days, `HorizonDays`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Answer {
    /// The request's place among its unit's e-service requests.
    ordinal: u32,
    /// The contact's queue entry, start and length, seconds.
    requested_s: u32,
    start_s: u32,
    duration_s: u32,
    /// The answer's end, seconds ([`NOT_ENDED`]: not by the horizon).
    end_s: u32,
    activity: Activity,
    kind: ContactKind,
    profession: ProfessionId,
    /// The end's order word (its place among events of its time).
    order: u64,
}

// Held by the hundred thousand: its size is part of its design.
const _: () = assert!(std::mem::size_of::<Answer>() == 32);

/// [`Answer::end_s`] of an answer still under way at the horizon.
const NOT_ENDED: u32 = u32::MAX;

/// `t` in the 32 bits of an [`Answer`]'s times.
fn seconds(t: SimTime) -> u32 {
    u32::try_from(t.0).expect("a run's times fit 32 bits (horizons are at most 3 660 days)")
}

impl Answer {
    /// The answer to request `ordinal` with `contact`, ended at `end`.
    fn new(ordinal: u32, contact: &ContactRecord, end: Option<(SimTime, u64)>) -> Self {
        let (end_s, order) = end.map_or((NOT_ENDED, 0), |(at, order)| {
            let at = seconds(at);
            debug_assert_ne!(at, NOT_ENDED, "an end before the horizon");
            (at, order)
        });
        Answer {
            ordinal,
            requested_s: seconds(contact.requested),
            start_s: seconds(contact.start),
            duration_s: contact.duration_s,
            end_s,
            activity: contact.activity,
            kind: contact.kind,
            profession: contact.profession,
            order,
        }
    }

    /// Its contact, for patient `patient` of unit `unit`.
    fn contact(&self, patient: PatientId, unit: UnitId) -> ContactRecord {
        ContactRecord {
            patient,
            unit,
            activity: self.activity,
            kind: self.kind,
            profession: self.profession,
            requested: SimTime(self.requested_s as u64),
            start: SimTime(self.start_s as u64),
            duration_s: self.duration_s,
        }
    }

    /// Its end's time and order word, if it ended by the horizon.
    fn end(&self) -> Option<(SimTime, u64)> {
        (self.end_s != NOT_ENDED).then_some((SimTime(self.end_s as u64), self.order))
    }
}

/// Every provider's answers, by served unit, in request order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Answers {
    by_unit: Vec<Vec<Answer>>,
}

impl Answers {
    /// Adds `other`'s answers (another provider's: its units are others).
    pub(crate) fn absorb(&mut self, other: Answers) {
        if self.by_unit.len() < other.by_unit.len() {
            self.by_unit.resize_with(other.by_unit.len(), Vec::new);
        }
        for (mine, theirs) in self.by_unit.iter_mut().zip(other.by_unit) {
            debug_assert!(mine.is_empty() || theirs.is_empty());
            if mine.is_empty() {
                *mine = theirs;
            }
        }
    }

    /// The answer to unit `u`'s request number `ordinal`, if it started.
    fn of(&self, u: UnitId, ordinal: u32) -> Option<&Answer> {
        let answers = self.by_unit.get(u.index())?;
        let i = answers.binary_search_by_key(&ordinal, |a| a.ordinal).ok()?;
        Some(&answers[i])
    }
}

/// A run's part of the split: the stand-ins of a provider's run, or the
/// answers a served unit's run is waiting for.
#[derive(Debug, Default)]
pub(crate) struct SplitState {
    /// Per served unit: its requests so far.
    requests: Vec<u32>,
    /// A provider's run: each patient's request number among its unit's
    /// (ids are dense; `u32::MAX`: not a stand-in).
    stand_ins: Vec<u32>,
    /// A provider's run: the contacts of the answers under way (no more
    /// than the inbox's posts).
    answering: Vec<ContactRecord>,
    /// A provider's run: the answers given, by unit.
    given: Answers,
    /// A unit's run: the patient of each answer put into the engine.
    awaited: Vec<PatientId>,
    /// Events handled here and counted by another run.
    pub echoes: u64,
}

impl SplitState {
    /// The next request number of unit `u`.
    fn next_request(&mut self, u: UnitId) -> u32 {
        if self.requests.len() <= u.index() {
            self.requests.resize(u.index() + 1, 0);
        }
        let n = self.requests[u.index()];
        self.requests[u.index()] += 1;
        n
    }
}

impl Model<'_> {
    /// A provider's run: stand-in `p` of unit `u`'s e-service arrival
    /// stream joins the inbox.
    pub(crate) fn stand_in_request(&mut self, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
        let n = self.split.next_request(u);
        let ids = &mut self.split.stand_ins;
        if ids.len() <= p.index() {
            ids.resize(p.index() + 1, u32::MAX);
        }
        ids[p.index()] = n;
        desks::eservice_request(self, engine, u, p);
    }

    /// A provider's run: the answer to stand-in `p` starts with `contact`.
    pub(crate) fn stand_in_answer_starts(&mut self, contact: ContactRecord) {
        self.split.answering.push(contact);
    }

    /// A provider's run: the answer to stand-in `p` (in arena slot `s`)
    /// ends now, the handled event; the stand-in leaves.
    pub(crate) fn stand_in_answered(&mut self, engine: &Engine<Event>, p: PatientId, s: usize) {
        let now = engine.now();
        let answering = &mut self.split.answering;
        let i = answering
            .iter()
            .position(|c| c.patient == p)
            .expect("an answer ends after it started");
        let contact = answering.swap_remove(i);
        self.give_answer(contact, Some((now, engine.handled_order())));
        self.end_episode_at(p, s, crate::vocab::kinds::EndState::Completed, now);
    }

    fn give_answer(&mut self, contact: ContactRecord, end: Option<(SimTime, u64)>) {
        let (u, ordinal) = (contact.unit, self.split.stand_ins[contact.patient.index()]);
        debug_assert_ne!(ordinal, u32::MAX, "a stand-in");
        let by_unit = &mut self.split.given.by_unit;
        if by_unit.len() <= u.index() {
            by_unit.resize_with(u.index() + 1, Vec::new);
        }
        by_unit[u.index()].push(Answer::new(ordinal, &contact, end));
    }

    /// A provider's run ends: its answers, those still under way at the
    /// horizon with their contact only.
    pub(crate) fn take_answers(&mut self) -> Answers {
        for contact in std::mem::take(&mut self.split.answering) {
            self.give_answer(contact, None);
        }
        let mut given = std::mem::take(&mut self.split.given);
        for answers in &mut given.by_unit {
            answers.sort_by_key(|a| a.ordinal);
        }
        given
    }

    /// A served unit's run: patient `p` of unit `u` sends an e-service
    /// request to a provider running apart. Their answer's contact is
    /// recorded now and its end scheduled in the place it had.
    pub(crate) fn await_answer(&mut self, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
        let n = self.split.next_request(u);
        let Some(answers) = self.in_run.answers() else {
            unreachable!("a unit answered apart runs with its provider's answers")
        };
        let Some(&answer) = answers.of(u, n) else {
            return; // not answered by the horizon: still waiting
        };
        self.record_contact(answer.contact(p, u));
        if let Some((at, order)) = answer.end() {
            let i = self.split.awaited.len() as u32;
            self.split.awaited.push(p);
            engine.schedule_ordered(at, order, Event::Desk(desks::DeskEvent::Answered, i));
        }
    }

    /// A served unit's run: the answer `i` put into the engine ends.
    pub(crate) fn answer_ends(&mut self, engine: &mut Engine<Event>, i: u32) {
        self.split.echoes += 1;
        let p = self.split.awaited[i as usize];
        crate::model::flows::phone::route_after_triage(self, engine, p);
    }
}
