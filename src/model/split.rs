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
//! - The answers go, as they are given (by their end), into an
//!   [`AnswerSpool`]: blocks of a temporary file, chained per served unit,
//!   so that memory holds a block per unit, not the year's answers (a
//!   Stockholm-size provider gives ≈ 650 000 a year; issue 17, item 1).
//! - A served unit's run reads its answers back a day ahead of its clock
//!   and puts each one's end into its engine ([`Model::feed_answers`]). The
//!   `n`-th e-service request waits for the `n`-th answer; when it ends,
//!   the contact is recorded (nothing happened to the patient meanwhile:
//!   the inbox has no patience, and a contact's figures do not depend on
//!   when it is recorded) and the patient is routed as after a triage
//!   (`phone::route_after_triage`). An answer still under way at the
//!   horizon has its contact recorded as the run ends.
//!
//! The arrival events a provider's run repeats, and the answers a unit's
//! run is given, are *echoes*: handled, but counted once (by the unit's and
//! the provider's run).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::engine::{Engine, SimTime};
use crate::model::flows::{Event, desks};
use crate::model::records::ContactRecord;
use crate::model::sim::Model;
use crate::spill::{BLOCK_BYTES, Blocks};
use crate::vocab::ids::{PatientId, ProfessionId, UnitId};
use crate::vocab::kinds::{Activity, ContactKind};

/// A provider's answer to one e-service request, in 32 bytes (a region's
/// provider gives hundreds of thousands a year): its contact without the
/// patient and unit (the unit's run names them), times in seconds (a run's
/// times fit 32 bits: a horizon is at most 3 660 days, `HorizonDays`).
#[derive(Clone, Copy, Debug, PartialEq)]
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

/// An [`Answer`]'s size in a block of the spool.
const ANSWER_BYTES: usize = 32;

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

    /// Its 32 bytes in a block (little-endian).
    fn to_bytes(self) -> [u8; ANSWER_BYTES] {
        let mut b = [0u8; ANSWER_BYTES];
        for (i, x) in [
            self.ordinal,
            self.requested_s,
            self.start_s,
            self.duration_s,
            self.end_s,
        ]
        .into_iter()
        .enumerate()
        {
            b[4 * i..4 * i + 4].copy_from_slice(&x.to_le_bytes());
        }
        b[20] = self.activity as u8;
        b[21] = self.kind as u8;
        b[22] = self.profession.0;
        b[24..32].copy_from_slice(&self.order.to_le_bytes());
        b
    }

    /// The answer [`Answer::to_bytes`] wrote.
    fn from_bytes(b: &[u8]) -> Self {
        let word = |i: usize| u32::from_le_bytes(b[4 * i..4 * i + 4].try_into().expect("4 bytes"));
        Answer {
            ordinal: word(0),
            requested_s: word(1),
            start_s: word(2),
            duration_s: word(3),
            end_s: word(4),
            activity: Activity::ALL[b[20] as usize],
            kind: ContactKind::ALL[b[21] as usize],
            profession: ProfessionId(b[22]),
            order: u64::from_le_bytes(b[24..32].try_into().expect("8 bytes")),
        }
    }
}

/// A block of the spool: a header (the unit's next block, the answers in
/// this one) and [`PER_BLOCK`] answers.
const PER_BLOCK: usize = BLOCK_BYTES / ANSWER_BYTES - 1;
/// No block: the end of a unit's chain, or a unit without answers.
const NO_BLOCK: u32 = u32::MAX;

/// The providers' answers on their way to the served units' runs, in
/// blocks (`spill.rs`: a temporary file), each served unit's chained in
/// the order they were given.
#[derive(Debug)]
pub(crate) struct AnswerSpool {
    blocks: Blocks,
    /// Per served unit, its first block ([`NO_BLOCK`] until its provider's
    /// run has ended, or when it had no answer).
    first: Mutex<Vec<u32>>,
}

/// A lock that a panic in another lane does not poison for good (the
/// panic itself reaches the caller).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl AnswerSpool {
    /// An empty spool for `units` units.
    pub(crate) fn new(units: usize) -> Self {
        Self::in_blocks(units, Blocks::new())
    }

    fn in_blocks(units: usize, blocks: Blocks) -> Self {
        AnswerSpool {
            blocks,
            first: Mutex::new(vec![NO_BLOCK; units]),
        }
    }

    /// Writes `answers` as block `b`, followed by block `next`.
    fn write(&self, b: u32, next: u32, answers: &[Answer]) {
        debug_assert!(answers.len() <= PER_BLOCK);
        let mut block = [0u8; BLOCK_BYTES];
        block[0..4].copy_from_slice(&next.to_le_bytes());
        block[4..8].copy_from_slice(&(answers.len() as u32).to_le_bytes());
        for (i, a) in answers.iter().enumerate() {
            let at = ANSWER_BYTES * (i + 1);
            block[at..at + ANSWER_BYTES].copy_from_slice(&a.to_bytes());
        }
        self.blocks.write(b, &block);
    }

    /// Adds answer `a` to the chain being written in `w` (begun when
    /// `None`), writing its block when full.
    fn give(&self, w: &mut Option<Writing>, a: Answer) {
        let w = w.get_or_insert_with(|| {
            let first = self.blocks.number();
            Writing {
                first,
                at: first,
                answers: Vec::with_capacity(PER_BLOCK),
            }
        });
        w.answers.push(a);
        if w.answers.len() == PER_BLOCK {
            let next = self.blocks.number();
            self.write(w.at, next, &w.answers);
            w.answers.clear();
            w.at = next;
        }
    }

    /// Ends unit `u`'s chain `w`: its last block written, its first
    /// handed to the units' runs.
    fn end_chain(&self, u: usize, w: Writing) {
        self.write(w.at, NO_BLOCK, &w.answers);
        lock(&self.first)[u] = w.first;
    }

    /// Reads block `b` into `answers`; returns the next block.
    fn read(&self, b: u32, answers: &mut Vec<Answer>) -> u32 {
        let mut block = [0u8; BLOCK_BYTES];
        self.blocks.read(b, &mut block);
        let word = |i: usize| u32::from_le_bytes(block[i..i + 4].try_into().expect("4 bytes"));
        let (next, len) = (word(0), word(4) as usize);
        answers.clear();
        answers.extend(
            block[ANSWER_BYTES..ANSWER_BYTES * (len + 1)]
                .chunks_exact(ANSWER_BYTES)
                .map(Answer::from_bytes),
        );
        next
    }
}

/// A provider's run: the answers being given to one served unit, a block
/// at a time.
#[derive(Debug)]
struct Writing {
    /// The unit's first block, and the one `answers` will be written as.
    first: u32,
    at: u32,
    answers: Vec<Answer>,
}

/// A served unit's run: its answers being read back, a block at a time.
#[derive(Debug)]
struct Reading {
    unit: UnitId,
    /// The next block to read ([`NO_BLOCK`]: none).
    next: u32,
    /// The block read, and how far it has been taken.
    answers: Vec<Answer>,
    taken: usize,
}

impl Reading {
    /// The next answer, reading its block when the last one is taken.
    fn peek(&mut self, spool: &AnswerSpool) -> Option<Answer> {
        if self.taken == self.answers.len() {
            if self.next == NO_BLOCK {
                return None;
            }
            self.next = spool.read(self.next, &mut self.answers);
            self.taken = 0;
        }
        self.answers.get(self.taken).copied()
    }
}

/// A served unit's requests waiting for their answers: the patient of
/// each request number from the oldest still waiting on.
#[derive(Debug, Default)]
struct Waiting {
    /// The request number of `patients[0]`.
    oldest: u32,
    /// [`ANSWERED`] where the answer has ended.
    patients: VecDeque<PatientId>,
}

/// [`Waiting::patients`] entry of a request answered.
const ANSWERED: PatientId = PatientId(u32::MAX);

impl Waiting {
    /// Request number `n` is patient `p`'s.
    fn push(&mut self, n: u32, p: PatientId) {
        debug_assert_eq!(n, self.oldest + self.patients.len() as u32);
        self.patients.push_back(p);
    }

    /// The patient of request `n`, whose answer ends now.
    fn answer(&mut self, n: u32) -> PatientId {
        let i = (n - self.oldest) as usize;
        let p = std::mem::replace(&mut self.patients[i], ANSWERED);
        debug_assert_ne!(p, ANSWERED, "each request answered once");
        while self.patients.front() == Some(&ANSWERED) {
            self.patients.pop_front();
            self.oldest += 1;
        }
        p
    }

    /// The patient of request `n`, if it was made.
    fn patient(&self, n: u32) -> Option<PatientId> {
        let i = n.checked_sub(self.oldest)? as usize;
        self.patients.get(i).copied().filter(|&p| p != ANSWERED)
    }
}

/// A run's part of the split: the stand-ins of a provider's run, or the
/// answers a served unit's run is given.
#[derive(Debug, Default)]
pub(crate) struct SplitState {
    /// Per served unit: its requests so far.
    requests: Vec<u32>,
    /// Where the answers go (a provider's run) or come from (a unit's).
    spool: Option<Arc<AnswerSpool>>,
    /// A provider's run: the request number of the stand-in in each arena
    /// slot (`u32::MAX`: not a stand-in).
    stand_ins: Vec<u32>,
    /// A provider's run: the contacts of the answers under way (no more
    /// than the inbox's posts).
    answering: Vec<ContactRecord>,
    /// A provider's run: the answers being given, by served unit.
    writing: Vec<Option<Writing>>,
    /// A unit's run: each answered unit's answers being read back, and its
    /// requests waiting for them (by unit).
    reading: Vec<Reading>,
    waiting: Vec<Waiting>,
    /// A unit's run: the answers put into the engine, by the index their
    /// end event carries (slots reused).
    fed: Vec<(UnitId, Answer)>,
    free_fed: Vec<u32>,
    /// A unit's run: answers read that end in the second they were asked
    /// for, put into the engine when they are asked for (see
    /// [`Model::feed_answers`]).
    due_at_request: Vec<(UnitId, Answer)>,
    /// Events handled here and counted by another run.
    pub echoes: u64,
}

impl SplitState {
    /// The part of the split of a run of `in_run`'s units: a provider's,
    /// a served unit's or none.
    pub(crate) fn new(in_run: &crate::model::linked::InRun, units: usize) -> Self {
        let Some(spool) = in_run.spool() else {
            return SplitState::default();
        };
        let first = lock(&spool.first);
        let reading = (0..units)
            .filter(|&u| in_run.unit(u) && in_run.answered_apart(u))
            .map(|u| Reading {
                unit: UnitId(u as u16),
                next: first[u],
                answers: Vec::new(),
                taken: 0,
            })
            .collect();
        drop(first);
        SplitState {
            spool: Some(spool.clone()),
            reading,
            ..SplitState::default()
        }
    }

    /// The next request number of unit `u`.
    fn next_request(&mut self, u: UnitId) -> u32 {
        if self.requests.len() <= u.index() {
            self.requests.resize(u.index() + 1, 0);
        }
        let n = self.requests[u.index()];
        self.requests[u.index()] += 1;
        n
    }

    /// Unit `u`'s requests waiting for their answers.
    fn waiting(&mut self, u: UnitId) -> &mut Waiting {
        if self.waiting.len() <= u.index() {
            self.waiting.resize_with(u.index() + 1, Waiting::default);
        }
        &mut self.waiting[u.index()]
    }

    /// A served unit's run: its answers are read back from a spool.
    pub(crate) fn feeds(&self) -> bool {
        !self.reading.is_empty()
    }

    /// Puts answer `a` of unit `u` into the engine: its end in the place
    /// it had in the provider's run.
    fn feed(&mut self, engine: &mut Engine<Event>, u: UnitId, a: Answer) {
        let (at, order) = a.end().expect("an answer put into the engine ended");
        let i = match self.free_fed.pop() {
            Some(i) => {
                self.fed[i as usize] = (u, a);
                i
            }
            None => {
                self.fed.push((u, a));
                (self.fed.len() - 1) as u32
            }
        };
        engine.schedule_ordered(at, order, Event::Desk(desks::DeskEvent::Answered, i));
    }
}

impl Model<'_> {
    /// A provider's run: stand-in `p` of unit `u`'s e-service arrival
    /// stream joins the inbox.
    pub(crate) fn stand_in_request(&mut self, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
        let n = self.split.next_request(u);
        let s = self.slots.of(p);
        let ids = &mut self.split.stand_ins;
        if ids.len() <= s {
            ids.resize(s + 1, u32::MAX);
        }
        ids[s] = n;
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
        self.give_answer(s, contact, Some((now, engine.handled_order())));
        self.end_episode_at(p, s, crate::vocab::kinds::EndState::Completed, now);
    }

    /// A provider's run: the answer to the stand-in in arena slot `s` is
    /// given, into its unit's chain of blocks.
    fn give_answer(&mut self, s: usize, contact: ContactRecord, end: Option<(SimTime, u64)>) {
        let (u, ordinal) = (contact.unit, self.split.stand_ins[s]);
        debug_assert_ne!(ordinal, u32::MAX, "a stand-in");
        let split = &mut self.split;
        let spool = split.spool.as_ref().expect("a provider's run has a spool");
        if split.writing.len() <= u.index() {
            split.writing.resize_with(u.index() + 1, || None);
        }
        spool.give(
            &mut split.writing[u.index()],
            Answer::new(ordinal, &contact, end),
        );
    }

    /// A provider's run ends: the answers still under way at the horizon
    /// are given with their contact only, and each unit's last block is
    /// written and its chain handed to the spool.
    pub(crate) fn finish_answers(&mut self) {
        for contact in std::mem::take(&mut self.split.answering) {
            let s = self.slots.of(contact.patient);
            self.give_answer(s, contact, None);
        }
        let Some(spool) = self.split.spool.clone() else {
            return;
        };
        for (u, w) in self.split.writing.drain(..).enumerate() {
            if let Some(w) = w {
                spool.end_chain(u, w);
            }
        }
        // A unit's run: the answers that had not ended by the horizon
        // have their contact recorded now.
        for r in 0..self.split.reading.len() {
            let unit = self.split.reading[r].unit;
            while let Some(a) = self.split.reading[r].peek(&spool) {
                self.split.reading[r].taken += 1;
                debug_assert!(a.end().is_none(), "every end by the horizon was fed");
                if let Some(p) = self.split.waiting(unit).patient(a.ordinal) {
                    self.record_contact(a.contact(p, unit));
                }
            }
        }
    }

    /// A served unit's run: patient `p` of unit `u` sends an e-service
    /// request to a provider running apart, and waits for its answer.
    pub(crate) fn await_answer(&mut self, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
        let n = self.split.next_request(u);
        self.split.waiting(u).push(n, p);
        let due = &mut self.split.due_at_request;
        if let Some(i) = due.iter().position(|&(v, a)| v == u && a.ordinal == n) {
            let (_, a) = due.swap_remove(i);
            self.split.feed(engine, u, a);
        }
    }

    /// A served unit's run: the ends of the answers given by `until`
    /// are put into the engine, in the place they had in the provider's
    /// run. A run that [`SplitState::feeds`] calls it before running
    /// its engine up to `until`.
    ///
    /// An answer that ends in the second it was asked for waits for its
    /// request instead: the whole region's run schedules its end while
    /// the request is handled, so it comes after the request even where
    /// its order word sorts before it (a provider whose key sorts before
    /// the unit's).
    pub(crate) fn feed_answers(&mut self, engine: &mut Engine<Event>, until: SimTime) {
        let split = &mut self.split;
        let Some(spool) = split.spool.clone() else {
            return;
        };
        for r in 0..split.reading.len() {
            while let Some(a) = split.reading[r].peek(&spool) {
                let Some((at, _)) = a.end().filter(|&(at, _)| at <= until) else {
                    break;
                };
                split.reading[r].taken += 1;
                let u = split.reading[r].unit;
                if at.0 == u64::from(a.requested_s) {
                    split.due_at_request.push((u, a));
                } else {
                    split.feed(engine, u, a);
                }
            }
        }
    }

    /// A served unit's run: the answer `i` put into the engine ends; its
    /// contact is recorded and its patient routed.
    pub(crate) fn answer_ends(&mut self, engine: &mut Engine<Event>, i: u32) {
        self.split.echoes += 1;
        let (u, a) = self.split.fed[i as usize];
        self.split.free_fed.push(i);
        let p = self.split.waiting(u).answer(a.ordinal);
        self.record_contact(a.contact(p, u));
        crate::model::flows::phone::route_after_triage(self, engine, p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(ordinal: u32, end_s: u32) -> Answer {
        Answer {
            ordinal,
            requested_s: ordinal.wrapping_mul(7),
            start_s: ordinal.wrapping_mul(7).wrapping_add(3),
            duration_s: 300 + ordinal % 11,
            end_s,
            activity: Activity::ALL[ordinal as usize % Activity::ALL.len()],
            kind: ContactKind::ALL[ordinal as usize % ContactKind::ALL.len()],
            profession: ProfessionId((ordinal % 5) as u8),
            order: u64::MAX - u64::from(ordinal),
        }
    }

    #[test]
    fn an_answer_is_32_bytes_and_reads_back_as_written() {
        // Held by the hundred thousand before the spool, written by the
        // hundred thousand now: its size is part of its design.
        assert_eq!(std::mem::size_of::<Answer>(), ANSWER_BYTES);
        for n in [0, 1, 6, 1000, u32::MAX - 1] {
            let a = answer(n, if n % 2 == 0 { NOT_ENDED } else { n });
            assert_eq!(Answer::from_bytes(&a.to_bytes()), a);
        }
    }

    /// Three units' answers written interleaved, as a provider gives them
    /// (one unit with none, one with exactly a block's worth), read back
    /// per unit in the order given, from a file and from memory alike.
    #[test]
    fn each_units_answers_read_back_in_the_order_given() {
        let counts = [3 * PER_BLOCK + 5, 0, PER_BLOCK];
        for blocks in [Blocks::new(), Blocks::in_file(None)] {
            let in_file = blocks.in_a_file();
            let spool = AnswerSpool::in_blocks(counts.len(), blocks);
            let mut writing: Vec<Option<Writing>> = vec![None, None, None];
            let mut given: Vec<Vec<Answer>> = vec![Vec::new(); 3];
            let mut n = 0u32;
            while given.iter().zip(&counts).any(|(g, &c)| g.len() < c) {
                // Unit 0 twice as often as unit 2.
                let u = [0, 2, 0][n as usize % 3];
                n += 1;
                if given[u].len() == counts[u] {
                    continue;
                }
                let a = answer(given[u].len() as u32, n);
                given[u].push(a);
                spool.give(&mut writing[u], a);
            }
            for (u, w) in writing.into_iter().enumerate() {
                if let Some(w) = w {
                    spool.end_chain(u, w);
                }
            }
            for (u, expected) in given.iter().enumerate() {
                let mut r = Reading {
                    unit: UnitId(u as u16),
                    next: lock(&spool.first)[u],
                    answers: Vec::new(),
                    taken: 0,
                };
                let mut read = Vec::new();
                while let Some(a) = r.peek(&spool) {
                    r.taken += 1;
                    read.push(a);
                }
                assert_eq!(&read, expected, "unit {u}, in a file: {in_file}");
            }
        }
    }

    #[test]
    fn a_request_waits_for_its_own_answer_whatever_order_they_end_in() {
        let mut w = Waiting::default();
        for n in 0..5 {
            w.push(n, PatientId(100 + n));
        }
        assert_eq!(w.answer(2), PatientId(102));
        assert_eq!(w.patient(2), None);
        assert_eq!(w.answer(0), PatientId(100));
        assert_eq!((w.oldest, w.patients.len()), (1, 4));
        assert_eq!(w.answer(1), PatientId(101));
        // Requests 0 to 2 answered: only 3 and 4 are held.
        assert_eq!((w.oldest, w.patients.len()), (3, 2));
        assert_eq!(w.patient(4), Some(PatientId(104)));
        assert_eq!(w.patient(9), None);
    }
}
