//! Desks: queues served by whoever is on duty for them. The drop-in
//! (`öppen mottagning`) is a desk; later flows add the 1177 e-service inbox
//! and the telephone hold queue as desks of other kinds.
//!
//! Patients queue by urgency, then arrival; the first free staff member
//! whose profession may see them does. Opening hours bound arrivals; at
//! closing, waiting patients are either still seen (staff work overtime) or
//! sent away, as the scenario says. Patients balk at a long queue and renege
//! when their patience runs out. Removal of reneged patients is lazy: they
//! are skipped when they reach the front, and `waiting` counts only live
//! entries.
//!
//! A [`Post`] is one staff member's duty at one desk, with its own duty
//! periods: a nurse on the drop-in in the morning and on e-service in the
//! afternoon has two posts.

use std::collections::VecDeque;

use crate::engine::{Engine, PatientRng, SimTime};
use crate::model::dist::Distribution;
use crate::model::ids::{PatientId, ProfessionId, StaffId, UnitId};
use crate::model::kinds::{Activity, ContactKind, EndState, Urgency};
use crate::model::records::{ContactRecord, DeskLedger};
use crate::model::schedule::Periods;
use crate::model::sim::{
    Event, Model, PRIORITY_CLOSE, PRIORITY_NORMAL, TAG_ESERVICE, TAG_PATIENCE, TAG_SERVICE,
    TAG_TRIAGE_CALL, observed,
};
use crate::scenario::spec::AtClosing;

/// Index into the model's desks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DeskId(pub u16);

/// Index into the model's posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct PostId(pub u32);

/// What a desk is for: decides who may serve, how long it takes and what
/// follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeskKind {
    /// The walk-in desk: a visit with a profession that may assess the category.
    DropIn,
    /// The 1177 e-service inbox: a written answer by whoever is on e-service
    /// duty, then routing as after triage. Always open.
    EService,
    /// The telephone hold queue (units without call-back): the nurse on
    /// telephone duty answers and triages; callers hang up when their
    /// patience runs out.
    PhoneQueue,
}

impl DeskKind {
    /// The staff activity that serves this desk.
    pub(crate) fn activity(self) -> Activity {
        match self {
            DeskKind::DropIn => Activity::DropIn,
            DeskKind::EService => Activity::EService,
            DeskKind::PhoneQueue => Activity::Telephone,
        }
    }
}

/// A queue with opening hours and staff posts.
#[derive(Debug)]
pub(crate) struct Desk {
    pub kind: DeskKind,
    pub unit: UnitId,
    open: bool,
    hours: Periods,
    cursor: usize,
    at_closing: AtClosing,
    balk_at: Option<u32>,
    patience_minutes: Option<Distribution>,
    /// One queue per urgency level.
    queues: [VecDeque<PatientId>; Urgency::COUNT],
    /// Live patients in the queues.
    waiting: u32,
    /// Posts on duty with nobody to see.
    idle: Vec<PostId>,
    last_change: SimTime,
    ledger: DeskLedger,
}

impl Desk {
    /// Open now.
    pub(crate) fn is_open(&self) -> bool {
        self.open
    }

    /// Adds the queue-length integral up to `now`, then applies `delta`.
    fn change_waiting(&mut self, now: SimTime, warmup: SimTime, delta: i32) {
        self.ledger.queue_area +=
            self.waiting as f64 * observed(self.last_change, now, warmup) as f64;
        self.last_change = now;
        self.waiting = (self.waiting as i32 + delta) as u32;
    }

    /// Final integrals at the end of the run.
    pub(crate) fn close_books(&mut self, horizon: SimTime, warmup: SimTime) -> DeskLedger {
        self.change_waiting(horizon, warmup, 0);
        self.ledger
    }
}

/// One staff member's duty at one desk.
#[derive(Debug)]
pub(crate) struct Post {
    pub staff: StaffId,
    pub desk: DeskId,
    pub profession: ProfessionId,
    /// Duty periods at this desk.
    duty: Periods,
    cursor: usize,
    on_duty: bool,
    /// End of the current (or last) scheduled duty period.
    scheduled_end: SimTime,
    pub serving: Option<PatientId>,
    busy_since: SimTime,
}

impl Model<'_> {
    /// Builds the desks of every unit and the posts of staff on duty there.
    pub(crate) fn init_desks(&mut self, engine: &mut Engine<Event>) {
        for (u, unit) in self.sc.units.iter().enumerate() {
            let uid = UnitId(u as u16);
            if let Some(spec) = &unit.dropin {
                let hours = Periods::from_weekly(&spec.hours, &self.sc.calendar, self.horizon);
                self.add_desk(
                    engine,
                    DeskKind::DropIn,
                    uid,
                    hours,
                    spec.at_closing,
                    spec.balk_at_queue_length,
                    spec.patience_minutes.clone(),
                );
            }
            if let Some(phone) = unit.phone.as_ref().filter(|p| p.hold_queue) {
                let hours = Periods::from_weekly(&phone.hours, &self.sc.calendar, self.horizon);
                self.add_desk(
                    engine,
                    DeskKind::PhoneQueue,
                    uid,
                    hours,
                    AtClosing::SeeAll,
                    None,
                    phone.patience_minutes.clone(),
                );
            }
            if unit.eservice_answer_minutes.is_some() {
                let always = Periods::merged(vec![(SimTime::ZERO, self.horizon)]);
                self.add_desk(
                    engine,
                    DeskKind::EService,
                    uid,
                    always,
                    AtClosing::SeeAll,
                    None,
                    None,
                );
            }
        }
        // Posts: every staff member's duty periods for each desk of their unit.
        for s in 0..self.staff.len() {
            let staff = StaffId(s as u32);
            let (unit, profession, group) = {
                let m = &self.staff[s];
                (m.unit, m.profession, m.group)
            };
            for d in 0..self.desks.len() {
                let desk = &self.desks[d];
                if desk.unit != unit {
                    continue;
                }
                let shifts = &self.sc.units[unit.index()].staff[group].shifts;
                let blocks: Vec<_> = shifts
                    .iter()
                    .filter(|(_, a)| *a == desk.kind.activity())
                    .map(|(b, _)| *b)
                    .collect();
                if blocks.is_empty() {
                    continue;
                }
                let duty = Periods::from_weekly(&blocks, &self.sc.calendar, self.horizon);
                let id = PostId(self.posts.len() as u32);
                if let Some(&(start, _)) = duty.as_slice().first() {
                    engine.schedule_with_priority(start, PRIORITY_NORMAL, Event::PostStart(id));
                }
                self.posts.push(Post {
                    staff,
                    desk: DeskId(d as u16),
                    profession,
                    duty,
                    cursor: 0,
                    on_duty: false,
                    scheduled_end: SimTime::ZERO,
                    serving: None,
                    busy_since: SimTime::ZERO,
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_desk(
        &mut self,
        engine: &mut Engine<Event>,
        kind: DeskKind,
        unit: UnitId,
        hours: Periods,
        at_closing: AtClosing,
        balk_at: Option<u32>,
        patience_minutes: Option<Distribution>,
    ) -> DeskId {
        let id = DeskId(self.desks.len() as u16);
        if let Some(&(start, _)) = hours.as_slice().first() {
            engine.schedule_with_priority(start, PRIORITY_CLOSE, Event::DeskOpen(id));
        }
        let open_s = hours
            .as_slice()
            .iter()
            .map(|&(s, e)| observed(s, e, self.warmup))
            .sum();
        self.desks.push(Desk {
            kind,
            unit,
            open: false,
            hours,
            cursor: 0,
            at_closing,
            balk_at,
            patience_minutes,
            queues: Default::default(),
            waiting: 0,
            idle: Vec::new(),
            last_change: SimTime::ZERO,
            ledger: DeskLedger {
                unit: unit.0,
                activity: kind.activity(),
                queue_area: 0.0,
                open_s,
            },
        });
        id
    }

    /// The desk of `kind` at unit `u`.
    pub(crate) fn desk_of(&self, u: UnitId, kind: DeskKind) -> Option<DeskId> {
        self.desks
            .iter()
            .position(|d| d.unit == u && d.kind == kind)
            .map(|i| DeskId(i as u16))
    }

    /// May the staff at post `p` serve patient `patient` at this desk?
    fn may_serve(&self, post: &Post, patient: PatientId) -> bool {
        match self.desks[post.desk.0 as usize].kind {
            DeskKind::DropIn => self
                .sc
                .category(self.episodes[patient.index()].category)
                .assess
                .contains(post.profession),
            DeskKind::EService | DeskKind::PhoneQueue => true,
        }
    }

    /// Patient `p` joins desk `d` now.
    pub(crate) fn desk_arrive(&mut self, engine: &mut Engine<Event>, d: DeskId, p: PatientId) {
        let now = engine.now();
        self.patients[p.index()].queued_at = now;
        // The lowest-numbered idle post whose staff may serve the patient.
        let desk = &self.desks[d.0 as usize];
        let pick = desk
            .idle
            .iter()
            .enumerate()
            .filter(|(_, post)| self.may_serve(&self.posts[post.0 as usize], p))
            .min_by_key(|(_, post)| **post)
            .map(|(i, _)| i);
        if let Some(i) = pick {
            let post = self.desks[d.0 as usize].idle.swap_remove(i);
            self.desk_start(engine, post, p);
            return;
        }
        let desk = &mut self.desks[d.0 as usize];
        // Would have to wait: balk if the queue is already long.
        if desk.balk_at.is_some_and(|n| desk.waiting >= n) {
            self.end_episode(p, EndState::Balked, now);
            return;
        }
        let urgency = self.sc.category(self.episodes[p.index()].category).urgency;
        desk.queues[urgency.priority()].push_back(p);
        desk.change_waiting(now, self.warmup, 1);
        let state = &mut self.patients[p.index()];
        state.waiting = true;
        state.desk = d.0;
        if let Some(patience) = &desk.patience_minutes {
            let mut rng = PatientRng::new(state.seed, TAG_PATIENCE);
            let wait_s = SimTime::from_seconds_f64(patience.sample(&mut rng) * 60.0).0;
            engine.schedule_with_priority(now + wait_s, PRIORITY_NORMAL, Event::Renege(p));
        }
    }

    /// The staff at `post` starts serving patient `p`.
    fn desk_start(&mut self, engine: &mut Engine<Event>, post: PostId, p: PatientId) {
        let now = engine.now();
        let (profession, desk) = {
            let m = &self.posts[post.0 as usize];
            (m.profession, m.desk)
        };
        let kind = self.desks[desk.0 as usize].kind;
        let ep = &self.episodes[p.index()];
        let seed = self.patients[p.index()].seed;
        let (minutes, contact) = match kind {
            DeskKind::DropIn => {
                let dist = self
                    .sc
                    .category(ep.category)
                    .service(profession)
                    .expect("validated: every assessing profession has a service time");
                let mut rng = PatientRng::new(seed, TAG_SERVICE + profession.0 as u64);
                (dist.sample(&mut rng), ContactKind::Visit)
            }
            DeskKind::EService => {
                let dist = self.sc.units[ep.unit.index()]
                    .eservice_answer_minutes
                    .as_ref()
                    .expect("validated: an e-service desk has an answer time");
                let mut rng = PatientRng::new(seed, TAG_ESERVICE);
                (dist.sample(&mut rng), ContactKind::EService)
            }
            DeskKind::PhoneQueue => {
                let dist = &self.sc.units[ep.unit.index()]
                    .phone
                    .as_ref()
                    .expect("validated: a phone queue belongs to a telephone line")
                    .triage_minutes;
                let mut rng = PatientRng::new(seed, TAG_TRIAGE_CALL);
                (dist.sample(&mut rng), ContactKind::TriageCall)
            }
        };
        let duration = SimTime::from_seconds_f64(minutes * 60.0).0;
        let unit = ep.unit;
        self.record_contact(ContactRecord {
            patient: p,
            unit,
            activity: kind.activity(),
            kind: contact,
            profession,
            requested: self.patients[p.index()].queued_at,
            start: now,
            duration_s: duration.min(u32::MAX as u64) as u32,
        });
        let m = &mut self.posts[post.0 as usize];
        m.serving = Some(p);
        m.busy_since = now;
        engine.schedule_with_priority(now + duration, PRIORITY_NORMAL, Event::ServiceEnd(post));
    }

    pub(crate) fn desk_service_end(&mut self, engine: &mut Engine<Event>, post: PostId) {
        let now = engine.now();
        let m = &mut self.posts[post.0 as usize];
        let Some(p) = m.serving.take() else { return };
        let kind = self.desks[m.desk.0 as usize].kind;
        self.ledgers[m.staff.index()].busy_s[kind.activity() as usize] +=
            observed(m.busy_since, now, self.warmup);
        self.post_free(engine, post);
        match kind {
            DeskKind::DropIn => self.end_episode(p, EndState::Completed, now),
            DeskKind::EService | DeskKind::PhoneQueue => self.after_triage(engine, p),
        }
    }

    /// `post` has nobody to serve: take the next patient, wait idle, or go home.
    fn post_free(&mut self, engine: &mut Engine<Event>, post: PostId) {
        let now = engine.now();
        let m = &self.posts[post.0 as usize];
        let desk = &self.desks[m.desk.0 as usize];
        // Off duty: keep going only to see the last patients after closing.
        let may_work = m.on_duty || (!desk.open && desk.at_closing == AtClosing::SeeAll);
        if may_work && let Some(p) = self.desk_take_next(post, now) {
            self.desk_start(engine, post, p);
            return;
        }
        let m = &self.posts[post.0 as usize];
        if m.on_duty {
            let d = m.desk.0 as usize;
            self.desks[d].idle.push(post);
        } else if now > m.scheduled_end {
            self.ledgers[m.staff.index()].overtime_s += observed(m.scheduled_end, now, self.warmup);
        }
    }

    /// The next patient `post` may serve: most urgent first, then first come.
    fn desk_take_next(&mut self, post: PostId, now: SimTime) -> Option<PatientId> {
        let d = self.posts[post.0 as usize].desk.0 as usize;
        if self.desks[d].waiting == 0 {
            return None;
        }
        for level in 0..Urgency::COUNT {
            // Drop entries of patients who reneged or were sent away.
            while let Some(&front) = self.desks[d].queues[level].front() {
                if self.patients[front.index()].waiting {
                    break;
                }
                self.desks[d].queues[level].pop_front();
            }
            let m = &self.posts[post.0 as usize];
            let found = self.desks[d].queues[level]
                .iter()
                .position(|&p| self.patients[p.index()].waiting && self.may_serve(m, p));
            if let Some(i) = found {
                let desk = &mut self.desks[d];
                let p = desk.queues[level].remove(i)?;
                desk.change_waiting(now, self.warmup, -1);
                self.patients[p.index()].waiting = false;
                return Some(p);
            }
        }
        None
    }

    pub(crate) fn post_start(&mut self, engine: &mut Engine<Event>, post: PostId) {
        let now = engine.now();
        let m = &mut self.posts[post.0 as usize];
        let (_, end) = m.duty.as_slice()[m.cursor];
        if m.serving.is_some() && now > m.scheduled_end {
            // Overtime from the last period ran into this one.
            self.ledgers[m.staff.index()].overtime_s += observed(m.scheduled_end, now, self.warmup);
        }
        m.on_duty = true;
        m.scheduled_end = end;
        engine.schedule_with_priority(end, PRIORITY_NORMAL, Event::PostEnd(post));
        if m.serving.is_none() {
            self.post_free(engine, post);
        }
    }

    pub(crate) fn post_end(&mut self, engine: &mut Engine<Event>, post: PostId) {
        let m = &mut self.posts[post.0 as usize];
        m.on_duty = false;
        m.cursor += 1;
        if let Some(&(start, _)) = m.duty.as_slice().get(m.cursor) {
            engine.schedule_with_priority(start, PRIORITY_NORMAL, Event::PostStart(post));
        }
        if m.serving.is_none() {
            let idle = &mut self.desks[m.desk.0 as usize].idle;
            if let Some(i) = idle.iter().position(|&x| x == post) {
                idle.swap_remove(i);
            }
        }
    }

    pub(crate) fn desk_renege(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        if !self.patients[p.index()].waiting {
            return;
        }
        let now = engine.now();
        self.patients[p.index()].waiting = false;
        let d = self.patients[p.index()].desk as usize;
        self.desks[d].change_waiting(now, self.warmup, -1);
        self.end_episode(p, EndState::Reneged, now);
    }

    pub(crate) fn desk_open(&mut self, engine: &mut Engine<Event>, d: DeskId) {
        let desk = &mut self.desks[d.0 as usize];
        let (_, end) = desk.hours.as_slice()[desk.cursor];
        desk.open = true;
        engine.schedule_with_priority(end, PRIORITY_CLOSE, Event::DeskClose(d));
    }

    pub(crate) fn desk_close(&mut self, engine: &mut Engine<Event>, d: DeskId) {
        let now = engine.now();
        let desk = &mut self.desks[d.0 as usize];
        desk.open = false;
        desk.cursor += 1;
        if let Some(&(start, _)) = desk.hours.as_slice().get(desk.cursor) {
            engine.schedule_with_priority(start, PRIORITY_CLOSE, Event::DeskOpen(d));
        }
        if desk.at_closing != AtClosing::SendAway {
            return;
        }
        for level in 0..Urgency::COUNT {
            while let Some(p) = self.desks[d.0 as usize].queues[level].pop_front() {
                if self.patients[p.index()].waiting {
                    self.patients[p.index()].waiting = false;
                    self.desks[d.0 as usize].change_waiting(now, self.warmup, -1);
                    self.end_episode(p, EndState::SentAway, now);
                }
            }
        }
    }

    /// Staff time of posts still busy when the run ends.
    pub(crate) fn close_posts(&mut self) {
        let horizon = self.horizon;
        for m in &self.posts {
            if m.serving.is_some() {
                let activity = self.desks[m.desk.0 as usize].kind.activity();
                let l = &mut self.ledgers[m.staff.index()];
                l.busy_s[activity as usize] += observed(m.busy_since, horizon, self.warmup);
                if !m.on_duty && horizon > m.scheduled_end {
                    l.overtime_s += observed(m.scheduled_end, horizon, self.warmup);
                }
            }
        }
    }
}
