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
//! A `Post` is one staff member's duty at one desk, with its own duty
//! periods: a nurse on the drop-in in the morning and on e-service in the
//! afternoon has two posts.

use std::collections::VecDeque;

mod ledger;
pub mod metrics;

pub use ledger::DeskLedger;

use crate::engine::{Engine, PatientRng, SimTime, StreamKey};
use crate::model::flows::{Event, booking, phone};
use crate::model::records::{ContactRecord, Sum};
use crate::model::schedule::{PeriodCursor, WeekTemplate, WeeklyWalk};
use crate::model::sim::{
    Model, PRIORITY_CLOSE, PRIORITY_NORMAL, PatientState, TAG_SERVICE, observed,
};
use crate::scenario::spec::{AtClosing, DropInSpec};
use crate::vocab::dist::Distribution;
use crate::vocab::ids::{PatientId, ProfessionId, ProfessionSet, StaffId, UnitId};
use crate::vocab::kinds::{Activity, ContactKind, EndState, Urgency};

/// What happens at desks: `Event::Desk(what, id)`, the id a post, a desk
/// or a patient as each says.
#[derive(Clone, Copy, Debug)]
pub(crate) enum DeskEvent {
    /// A post finishes with the patient it is serving (id: the post).
    ServiceEnd,
    /// A waiting patient's patience runs out (id: the patient).
    Renege,
    /// A post's duty period starts (id: the post).
    PostStart,
    /// A post's duty period ends (id: the post).
    PostEnd,
    /// A desk opens (id: the desk).
    Open,
    /// A desk closes (id: the desk).
    Close,
    /// A walk-in has filled in the drop-in's health form (id: the patient).
    Registered,
    /// A provider's answer, run apart, ends (id: its place in the run's
    /// awaited answers, `model/split.rs`).
    Answered,
}

/// This flow's per-patient random-stream tags (see `flows::TAG_BLOCKS`;
/// the numbers are the ones they always had): patience, e-service answer,
/// drop-in registration, fast triage, remote examination. Service times
/// use the hub's `TAG_SERVICE + profession`, shared with booked visits.
pub const TAGS: [std::ops::Range<u64>; 3] = [1..2, 4..5, 7..10];
const TAG_PATIENCE: u64 = 1;
const TAG_ESERVICE: u64 = 4;
const TAG_REGISTRATION: u64 = 7;
const TAG_FAST_TRIAGE: u64 = 8;
const TAG_REMOTE_EXAM: u64 = 9;

/// Every desk and post: `Model::desks`.
#[derive(Default)]
pub(crate) struct Desks {
    desks: Vec<Desk>,
    posts: Vec<Post>,
    /// Per unit: its desks by [`DeskKind`] (the first added of a kind), so
    /// that finding a unit's desk does not scan every desk in the region.
    by_unit: Vec<[Option<DeskId>; DeskKind::COUNT]>,
    /// Per unit: the range of its desks in `desks` (a unit's are added together).
    unit_desks: Vec<std::ops::Range<usize>>,
    /// The weeks of the desks' opening hours and the posts' duty, by the
    /// index a desk or post keeps (its periods are walked as reached).
    weeks: Vec<WeekTemplate>,
}

/// What the desks keep per patient (a part of the model's `PatientState`
/// that only this flow reads or writes).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AtDesk {
    /// In a desk's queue right now.
    waiting: bool,
    /// The desk whose queue the patient is (or was last) in.
    desk: u16,
    /// When the patient joined that queue.
    joined_at: SimTime,
    /// Triaged already (by telephone, or by the drop-in's fast triage).
    triaged: bool,
    /// A renege is scheduled at `joined_at` plus the patient's patience
    /// (their first join queued them).
    renege_set: bool,
}

impl Model<'_> {
    /// Is patient `p` in a desk's queue right now? False for a patient who
    /// has left the model: a renege event or a lazily removed queue entry
    /// may name one.
    #[inline]
    pub(crate) fn waiting_at_desk(&self, p: PatientId) -> bool {
        self.slots
            .get(p)
            .is_some_and(|s| self.patients[s].at_desk.waiting)
    }

    /// Patient `p` may leave the model: not in a desk's queue (the queue
    /// holds their id until they reach its front).
    pub(crate) fn may_leave_desks(&self, slot: usize) -> bool {
        !self.patients[slot].at_desk.waiting
    }
}

/// Builds the desks of every unit and the posts of staff on duty there.
pub(crate) fn init(model: &mut Model<'_>, _key: &StreamKey<'_>, engine: &mut Engine<Event>) {
    model.init_desks(engine);
}

/// Handles one of this flow's events.
#[inline]
pub(crate) fn handle(model: &mut Model<'_>, engine: &mut Engine<Event>, event: DeskEvent, id: u32) {
    match event {
        DeskEvent::ServiceEnd => model.desk_service_end(engine, PostId(id)),
        DeskEvent::Renege => model.desk_renege(engine, PatientId(id)),
        DeskEvent::PostStart => model.post_start(engine, PostId(id)),
        DeskEvent::PostEnd => model.post_end(engine, PostId(id)),
        DeskEvent::Open => model.desk_open(engine, DeskId(id as u16)),
        DeskEvent::Close => model.desk_close(engine, DeskId(id as u16)),
        DeskEvent::Answered => model.answer_ends(engine, id),
        DeskEvent::Registered => {
            let p = PatientId(id);
            let unit = model.episodes[model.slots.of(p)].unit;
            let d = model.desk_of(unit, DeskKind::DropIn);
            model.dropin_enter(engine, d.expect("registered at a drop-in"), p);
        }
    }
}

/// Handoff: a walk-in at unit `u`'s drop-in.
pub(crate) fn walk_in(model: &mut Model<'_>, engine: &mut Engine<Event>, u: UnitId, p: PatientId) {
    match model.desk_of(u, DeskKind::DropIn) {
        Some(d) => model.walk_in(engine, d, p),
        None => unreachable!("validated: walk-in demand needs a drop-in"),
    }
}

/// Handoff: a new e-service request of unit `u`'s patient, to the inbox
/// that answers for `u` (a shared inbox's host).
pub(crate) fn eservice_request(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    u: UnitId,
    p: PatientId,
) {
    if model.in_run.answered_apart(u.index()) {
        // The provider ran first (`model/split.rs`).
        return model.await_answer(engine, u, p);
    }
    let inbox = model.facts[u.index()].eservice_inbox;
    match model.desk_of(inbox, DeskKind::EService) {
        Some(d) => model.desk_arrive(engine, d, p),
        None => unreachable!("validated: e-service demand needs an inbox"),
    }
}

/// Handoff: a caller to line `u`; returns false when `u` has no hold queue
/// (its line calls back).
pub(crate) fn hold_queue(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    u: UnitId,
    p: PatientId,
) -> bool {
    match model.desk_of(u, DeskKind::PhoneQueue) {
        Some(d) => {
            model.desk_arrive(engine, d, p);
            true
        }
        None => false,
    }
}

/// Handoff: triage referred patient `p` to their unit's drop-in; returns
/// false when it is closed (or there is none), and the patient is not taken.
pub(crate) fn dropin_after_triage(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    p: PatientId,
) -> bool {
    let s = model.slots.of(p);
    let unit = model.episodes[s].unit;
    match model.desk_of(unit, DeskKind::DropIn) {
        Some(d) if model.desks.desks[d.0 as usize].is_open() => {
            // Triaged on the telephone already: no fast triage again.
            model.patients[s].at_desk.triaged = true;
            model.walk_in(engine, d, p);
            true
        }
        _ => false,
    }
}

/// End of the run: staff time of posts still busy, and the desks' ledgers.
pub(crate) fn finish(model: &mut Model<'_>) -> Vec<DeskLedger> {
    model.close_posts();
    let (horizon, warmup) = (model.horizon, model.warmup);
    model
        .desks
        .desks
        .iter_mut()
        .map(|d| d.close_books(horizon, warmup))
        .collect()
}

/// Index into the model's desks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DeskId(pub u16);

/// Index into the model's posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct PostId(pub u32);

/// An idle post at a desk, with its profession and since when it is idle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Idle {
    since: SimTime,
    post: PostId,
    profession: ProfessionId,
}

impl Idle {
    /// Its place in its desk's idle list.
    fn key(&self) -> (SimTime, PostId) {
        (self.since, self.post)
    }
}

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
    /// A shared remote doctor pool (`virtuellt akutrum`): acute patients of
    /// several units examined by video; a local drop-in staff member of the
    /// patient's unit assists, so an examination needs both.
    RemoteDoctor,
}

impl DeskKind {
    /// Number of kinds (the width of `Desks::by_unit`).
    const COUNT: usize = 4;

    /// The staff activity that serves this desk.
    pub(crate) fn activity(self) -> Activity {
        match self {
            DeskKind::DropIn => Activity::DropIn,
            DeskKind::EService => Activity::EService,
            DeskKind::PhoneQueue => Activity::Telephone,
            DeskKind::RemoteDoctor => Activity::Remote,
        }
    }
}

/// A queue with opening hours and staff posts.
#[derive(Debug)]
pub(crate) struct Desk {
    pub kind: DeskKind,
    pub unit: UnitId,
    open: bool,
    /// Opening hours: the week in `Desks::weeks`, the current period.
    week: u32,
    hours: PeriodCursor,
    at_closing: AtClosing,
    balk_at: Option<u32>,
    patience_minutes: Option<Distribution>,
    /// Queue levels, served in order: level 0 awaits fast triage (drop-ins
    /// with a triage step), then one level per urgency.
    queues: [VecDeque<PatientId>; LEVELS],
    /// Live patients in the queues.
    waiting: u32,
    /// Posts on duty with nobody to see, longest idle first (ties: the
    /// lower post first), each with what ranks it: a search for the post
    /// that takes a patient stops at the first that may
    /// ([`Model::idle_slot_for`]) and reads no post (a regional line or
    /// digital provider has dozens).
    idle: Vec<Idle>,
    /// Professions with a post here (who could ever serve).
    staffed: ProfessionSet,
    /// The posts at this desk.
    posts: Vec<PostId>,
    /// Who may see patients here (drop-in `professions`; everyone elsewhere).
    serve: ProfessionSet,
    /// Drop-ins with a fast-triage step, and who does it.
    fast_triage: Option<ProfessionSet>,
    /// Drop-ins: the remote doctor pool acute patients go to.
    remote: Option<DeskId>,
    last_change: SimTime,
    /// Patients at the desk (waiting or being served) and when that last changed.
    in_system: u32,
    system_since: SimTime,
    ledger: DeskLedger,
}

/// Who has just become free for a remote examination.
#[derive(Clone, Copy)]
enum Helper {
    /// A remote doctor (this post of the pool).
    Doctor(PostId),
    /// A drop-in staff member of this unit (this post).
    Assistant(UnitId, PostId),
}

/// A number of seconds as `f64`: the same value as `x as f64` (exact
/// below 2^53, and rounded alike up to 2^63; a run's seconds are far
/// fewer), converted from `i64`, one instruction on x86-64 where `u64`
/// takes a branch and several.
#[inline(always)]
fn seconds_f64(x: u64) -> f64 {
    debug_assert!(x < 1 << 63);
    x as i64 as f64
}

/// Queue levels: fast triage, then the urgency levels.
const LEVELS: usize = Urgency::COUNT + 1;

/// What decides who may serve at a desk (a copy of the desk's fields, so
/// that a scan of its queue can hold it beside the queue).
#[derive(Clone, Copy)]
struct WhoServes {
    kind: DeskKind,
    fast_triage: Option<ProfessionSet>,
    serve: ProfessionSet,
}

impl WhoServes {
    /// The professions that may serve `patient` here; `assess`: who may
    /// assess their category.
    #[inline(always)]
    fn of(self, patient: &PatientState, assess: impl FnOnce() -> ProfessionSet) -> ProfessionSet {
        match self.kind {
            DeskKind::DropIn => match self.fast_triage {
                Some(by) if !patient.at_desk.triaged => by,
                _ => self.serve.intersect(assess()),
            },
            DeskKind::RemoteDoctor => assess(),
            DeskKind::EService | DeskKind::PhoneQueue => ProfessionSet::ALL,
        }
    }
}

impl Desk {
    /// Who may serve here.
    fn who_serves(&self) -> WhoServes {
        WhoServes {
            kind: self.kind,
            fast_triage: self.fast_triage,
            serve: self.serve,
        }
    }

    /// Open now.
    pub(crate) fn is_open(&self) -> bool {
        self.open
    }

    /// `e` becomes idle (since now, the latest): at the end of the idle
    /// list, but before the posts idle since the same second with a
    /// higher number, which keeps the list's order.
    #[inline]
    fn make_idle(&mut self, e: Idle) {
        let later = (self.idle.iter().rev())
            .take_while(|x| x.key() > e.key())
            .count();
        self.idle.insert(self.idle.len() - later, e);
    }

    /// `post` is no longer idle here (if it was).
    fn leave_idle(&mut self, post: PostId) {
        if let Some(i) = self.idle.iter().position(|e| e.post == post) {
            self.idle.remove(i);
        }
    }

    /// Adds the queue-length integral up to `now`, then applies `delta`.
    fn change_waiting(&mut self, now: SimTime, warmup: SimTime, delta: i32) {
        self.ledger.queue_area +=
            self.waiting as f64 * seconds_f64(observed(self.last_change, now, warmup));
        self.last_change = now;
        self.waiting = (self.waiting as i32 + delta) as u32;
    }

    /// Adds the number-in-system integral up to `now`, then applies `delta`.
    fn change_in_system(&mut self, now: SimTime, warmup: SimTime, delta: i32) {
        self.ledger.system_area +=
            self.in_system as f64 * seconds_f64(observed(self.system_since, now, warmup));
        self.system_since = now;
        self.in_system = (self.in_system as i32 + delta) as u32;
    }

    /// Final integrals at the end of the run.
    fn close_books(&mut self, horizon: SimTime, warmup: SimTime) -> DeskLedger {
        self.change_waiting(horizon, warmup, 0);
        self.change_in_system(horizon, warmup, 0);
        self.ledger
    }
}

/// One staff member's duty at one desk.
#[derive(Debug)]
pub(crate) struct Post {
    pub staff: StaffId,
    pub desk: DeskId,
    pub profession: ProfessionId,
    /// Duty at this desk: the group's week in `Desks::weeks`, the current
    /// period (on the days the member works).
    week: u32,
    duty: PeriodCursor,
    on_duty: bool,
    /// End of the current (or last) scheduled duty period.
    scheduled_end: SimTime,
    /// The patient being served, and their arena slot (theirs until the
    /// service ends: a patient in service neither reneges nor leaves).
    pub serving: Option<(PatientId, u32)>,
    busy_since: SimTime,
    /// Remote doctor posts: the local post assisting the examination.
    partner: Option<PostId>,
}

impl Model<'_> {
    /// Builds the desks of every unit and the posts of staff on duty there.
    fn init_desks(&mut self, engine: &mut Engine<Event>) {
        self.desks.by_unit = vec![[None; DeskKind::COUNT]; self.sc.units.len()];
        for (u, unit) in self.sc.units.iter().enumerate() {
            let uid = UnitId(u as u16);
            let first_desk = self.desks.desks.len();
            if !self.in_run.unit(u) {
                // Another linked group's (`model/linked.rs`): no desks here.
                self.desks.unit_desks.push(first_desk..first_desk);
                continue;
            }
            if let Some(spec) = &unit.dropin {
                let hours = WeekTemplate::new(&spec.hours);
                let d = self.add_desk(
                    engine,
                    DeskKind::DropIn,
                    uid,
                    hours,
                    spec.at_closing,
                    spec.balk_at_queue_length,
                    spec.patience_minutes.clone(),
                );
                let desk = &mut self.desks.desks[d.0 as usize];
                desk.serve = spec.professions;
                desk.fast_triage = spec.triage_minutes.as_ref().map(|_| spec.triage_by);
            }
            if let Some(phone) = unit.phone.as_ref().filter(|p| p.hold_queue) {
                let hours = WeekTemplate::new(&phone.hours);
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
            if unit.remote_pool.is_some() {
                let always = WeekTemplate::round_the_clock();
                self.add_desk(
                    engine,
                    DeskKind::RemoteDoctor,
                    uid,
                    always,
                    AtClosing::SeeAll,
                    None,
                    None,
                );
            }
            if unit.eservice_answer_minutes.is_some() {
                let always = WeekTemplate::round_the_clock();
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
            self.desks
                .unit_desks
                .push(first_desk..self.desks.desks.len());
        }
        // Posts: every staff member's duty periods for each desk of their
        // unit; a group's week at a desk once (members share it).
        let mut week_of = std::collections::HashMap::new();
        for s in 0..self.staff.len() {
            let staff = StaffId(s as u32);
            let (unit, profession, group) = {
                let m = &self.staff[s];
                (m.unit, m.profession, m.group)
            };
            for d in self.desks.unit_desks[unit.index()].clone() {
                let kind = self.desks.desks[d].kind;
                let weeks = &mut self.desks.weeks;
                let &mut week = week_of
                    .entry((unit, group, kind as usize))
                    .or_insert_with(|| {
                        let blocks: Vec<_> = self.sc.units[unit.index()].staff[group]
                            .shifts
                            .iter()
                            .filter(|(_, a)| *a == kind.activity())
                            .map(|(b, _)| *b)
                            .collect();
                        weeks.push(WeekTemplate::new(&blocks));
                        weeks.len() as u32 - 1
                    });
                let template = &self.desks.weeks[week as usize];
                if template.is_empty() {
                    continue;
                }
                let supply = &self.supply;
                let duty = PeriodCursor::start(template, &self.sc.calendar, self.horizon, &|day| {
                    supply.works(s, day)
                });
                let id = PostId(self.desks.posts.len() as u32);
                if let Some((start, _)) = duty.current() {
                    engine.schedule_from(
                        start,
                        PRIORITY_CLOSE,
                        unit.0,
                        Event::Desk(DeskEvent::PostStart, id.0),
                    );
                }
                self.desks.posts.push(Post {
                    staff,
                    desk: DeskId(d as u16),
                    profession,
                    week,
                    duty,
                    on_duty: false,
                    scheduled_end: SimTime::ZERO,
                    serving: None,
                    busy_since: SimTime::ZERO,
                    partner: None,
                });
                self.desks.desks[d].staffed.insert(profession);
                self.desks.desks[d].posts.push(id);
            }
        }
        // Drop-ins sending acute patients to a remote doctor pool.
        for d in 0..self.desks.desks.len() {
            let desk = &self.desks.desks[d];
            if desk.kind != DeskKind::DropIn {
                continue;
            }
            let host = self.sc.units[desk.unit.index()]
                .dropin
                .as_ref()
                .and_then(|s| s.remote_doctor);
            self.desks.desks[d].remote =
                host.and_then(|h| self.desk_of(UnitId(h as u16), DeskKind::RemoteDoctor));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_desk(
        &mut self,
        engine: &mut Engine<Event>,
        kind: DeskKind,
        unit: UnitId,
        hours: WeekTemplate,
        at_closing: AtClosing,
        balk_at: Option<u32>,
        patience_minutes: Option<Distribution>,
    ) -> DeskId {
        let id = DeskId(self.desks.desks.len() as u16);
        self.desks.by_unit[unit.index()][kind as usize].get_or_insert(id);
        let (calendar, always) = (&self.sc.calendar, &|_| true);
        let cursor = PeriodCursor::start(&hours, calendar, self.horizon, always);
        if let Some((start, _)) = cursor.current() {
            engine.schedule_from(
                start,
                PRIORITY_CLOSE,
                unit.0,
                Event::Desk(DeskEvent::Open, id.0 as u32),
            );
        }
        // Open seconds of the whole run, from a walk of its own.
        let mut walk = WeeklyWalk::new(calendar, self.horizon);
        let mut open_s = 0;
        while let Some((s, e)) = walk.next(&hours, always) {
            open_s += observed(s, e, self.warmup);
        }
        self.desks.weeks.push(hours);
        let week = self.desks.weeks.len() as u32 - 1;
        self.desks.desks.push(Desk {
            kind,
            unit,
            open: false,
            week,
            hours: cursor,
            at_closing,
            balk_at,
            patience_minutes,
            queues: Default::default(),
            waiting: 0,
            idle: Vec::new(),
            staffed: ProfessionSet::EMPTY,
            posts: Vec::new(),
            serve: ProfessionSet::ALL,
            fast_triage: None,
            remote: None,
            last_change: SimTime::ZERO,
            in_system: 0,
            system_since: SimTime::ZERO,
            ledger: DeskLedger {
                unit: unit.0,
                activity: kind.activity(),
                queue_area: 0.0,
                open_s,
                system_area: 0.0,
                stays: 0,
                stay_minutes: Sum::default(),
                left_wait: Sum::default(),
                served_wait: Sum::default(),
            },
        });
        id
    }

    /// The desk of `kind` at unit `u`.
    pub(crate) fn desk_of(&self, u: UnitId, kind: DeskKind) -> Option<DeskId> {
        self.desks.by_unit.get(u.index())?[kind as usize]
    }

    /// The drop-in settings of the unit of desk `d` (drop-in desks only).
    fn dropin_spec(&self, d: DeskId) -> &DropInSpec {
        self.sc.units[self.desks.desks[d.0 as usize].unit.index()]
            .dropin
            .as_ref()
            .expect("a drop-in desk belongs to a unit with a drop-in")
    }

    /// Whether the patient in arena slot `s` at drop-in `d` still needs the
    /// fast triage step. (The helpers of this flow take the patient's slot,
    /// looked up once per event: the drop-in path looked it up ≈ 14 times
    /// per customer.)
    fn needs_fast_triage(&self, d: DeskId, s: usize) -> bool {
        self.desks.desks[d.0 as usize].fast_triage.is_some() && !self.patients[s].at_desk.triaged
    }

    /// May the staff at post `p` serve the patient in arena slot `s` at this desk?
    #[inline(always)]
    fn may_serve(&self, post: &Post, s: usize) -> bool {
        self.who_may_serve(post.desk, s).contains(post.profession)
    }

    /// The professions that may serve the patient in arena slot `s` at
    /// desk `d` (worked out once for a scan of the desk's idle posts).
    #[inline(always)]
    fn who_may_serve(&self, d: DeskId, s: usize) -> ProfessionSet {
        // Hot (every arrival and service end): desk fields, no scenario lookups.
        self.desks.desks[d.0 as usize]
            .who_serves()
            .of(&self.patients[s], || {
                self.sc.category(self.episodes[s].category).assess
            })
    }

    /// Patient `p` joins desk `d` now (its waiting clock starts).
    fn desk_arrive(&mut self, engine: &mut Engine<Event>, d: DeskId, p: PatientId) {
        let s = self.slots.of(p);
        self.patients[s].at_desk.joined_at = engine.now();
        self.desk_join(engine, d, p, s, true);
    }

    /// Patient `p` joins desk `d`, keeping the waiting clock it has: served
    /// at once by an idle post that may, otherwise queued by level. Only a
    /// `first` join may balk and starts the patience clock (a patient back
    /// from fast triage keeps the patience they came with). `s`: the
    /// patient's arena slot.
    fn desk_join(
        &mut self,
        engine: &mut Engine<Event>,
        d: DeskId,
        p: PatientId,
        s: usize,
        first: bool,
    ) {
        let now = engine.now();
        let kind = self.desks.desks[d.0 as usize].kind;
        if first {
            // No renege of this stay yet (one of an earlier desk's is void).
            self.patients[s].at_desk.renege_set = false;
        }
        // A patient back from the drop-in's fast triage goes on with the
        // stay begun at the drop-in; joining the remote pool is a new one.
        if first || kind == DeskKind::RemoteDoctor {
            self.stay_begin(d, now);
        }
        if kind == DeskKind::RemoteDoctor {
            // Needs a remote doctor and an assistant at the patient's unit.
            let pool = self.idle_post_for(d, s);
            let local = self.local_assistant(s);
            if let (Some(pool), Some(local)) = (pool, local) {
                self.remote_start(engine, pool, local, p);
                return;
            }
        } else if let Some(i) = self.idle_slot_for(d, s) {
            let post = self.desks.desks[d.0 as usize].idle.remove(i).post;
            self.desk_start(engine, post, p, s);
            return;
        }
        let desk = &mut self.desks.desks[d.0 as usize];
        // Would have to wait: balk if the queue is already long.
        if first && desk.balk_at.is_some_and(|n| desk.waiting >= n) {
            self.stay_end(d, s, now, true);
            self.end_episode(p, EndState::Balked, now);
            return;
        }
        let urgency = self.sc.category(self.episodes[s].category).urgency;
        let level = if self.needs_fast_triage(d, s) {
            0
        } else if kind == DeskKind::PhoneQueue {
            // A caller on hold is not triaged yet: nobody knows their
            // urgency, so the line answers first come, first served.
            1
        } else {
            1 + urgency.priority()
        };
        let desk = &mut self.desks.desks[d.0 as usize];
        desk.queues[level].push_back(p);
        desk.change_waiting(now, self.warmup, 1);
        let unit = desk.unit;
        let state = &mut self.patients[s];
        state.at_desk.waiting = true;
        state.at_desk.desk = d.0;
        // Patience runs from the first queue, fast triage included: a
        // patient back from triage keeps the deadline they came with. Their
        // first join's renege still comes if it lies ahead; one triaged at
        // once had none, and one whose patience ran out during triage
        // leaves now.
        if let Some(deadline) = self.patience_deadline(d, s) {
            let at = &mut self.patients[s].at_desk;
            if first || !(at.renege_set && deadline > now) {
                at.renege_set = true;
                engine.schedule_from(
                    deadline.max(now),
                    PRIORITY_NORMAL,
                    unit.0,
                    Event::Desk(DeskEvent::Renege, p.0),
                );
            }
        }
    }

    /// When the patient in arena slot `s` runs out of patience at desk `d`
    /// (none without a patience there): their patience drawn from their
    /// own stream, from their first queue there.
    fn patience_deadline(&self, d: DeskId, s: usize) -> Option<SimTime> {
        let patience = self.desks.desks[d.0 as usize].patience_minutes.as_ref()?;
        let state = &self.patients[s];
        let mut rng = PatientRng::new(state.seed, TAG_PATIENCE);
        let wait_s = SimTime::from_seconds_f64(patience.sample(&mut rng) * 60.0).0;
        Some(state.at_desk.joined_at + wait_s)
    }

    /// The staff at `post` starts serving patient `p`, in arena slot `s`.
    fn desk_start(&mut self, engine: &mut Engine<Event>, post: PostId, p: PatientId, s: usize) {
        let now = engine.now();
        let (profession, desk) = {
            let m = &self.desks.posts[post.0 as usize];
            (m.profession, m.desk)
        };
        let (kind, triage, answering) = {
            let d = &self.desks.desks[desk.0 as usize];
            (d.kind, d.fast_triage.is_some(), d.unit)
        };
        let ep = &self.episodes[s];
        let state = &self.patients[s];
        let (seed, joined) = (state.seed, state.at_desk.joined_at);
        let (minutes, contact) = match kind {
            // `needs_fast_triage`, with the desk read above.
            DeskKind::DropIn if triage && !state.at_desk.triaged => {
                let dist = self
                    .dropin_spec(desk)
                    .triage_minutes
                    .as_ref()
                    .expect("needs_fast_triage: there is a triage time");
                let mut rng = PatientRng::new(seed, TAG_FAST_TRIAGE);
                (dist.sample(&mut rng), ContactKind::DropInTriage)
            }
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
                // The desk's unit answers (a shared provider's for shared inboxes).
                let dist = self.sc.units[answering.index()]
                    .eservice_answer_minutes
                    .as_ref()
                    .expect("validated: an e-service desk has an answer time");
                let mut rng = PatientRng::new(seed, TAG_ESERVICE);
                (dist.sample(&mut rng), ContactKind::EService)
            }
            DeskKind::PhoneQueue => {
                let minutes = phone::triage_call_minutes(self, answering, seed);
                (minutes, ContactKind::TriageCall)
            }
            DeskKind::RemoteDoctor => unreachable!("remote examinations start in remote_start"),
        };
        let duration = SimTime::from_seconds_f64(minutes * 60.0).0;
        let unit = ep.unit;
        // The fast triage's wait is part of the visit's (from the same
        // first queue): one wait per patient seen.
        if contact != ContactKind::DropInTriage {
            self.served_wait(desk, joined, now);
        }
        let c = ContactRecord {
            patient: p,
            unit,
            activity: kind.activity(),
            kind: contact,
            profession,
            requested: joined,
            start: now,
            duration_s: duration.min(u32::MAX as u64) as u32,
        };
        if self.in_run.unit(unit.index()) {
            self.record_contact_inline(s, c);
        } else {
            // A stand-in: the unit's own run records it (`model/split.rs`).
            self.stand_in_answer_starts(c);
        }
        let m = &mut self.desks.posts[post.0 as usize];
        m.serving = Some((p, s as u32));
        m.busy_since = now;
        engine.schedule_from(
            now + duration,
            PRIORITY_NORMAL,
            answering.0,
            Event::Desk(DeskEvent::ServiceEnd, post.0),
        );
    }

    fn desk_service_end(&mut self, engine: &mut Engine<Event>, post: PostId) {
        let now = engine.now();
        let m = &mut self.desks.posts[post.0 as usize];
        let Some((p, s)) = m.serving.take() else {
            return;
        };
        let s = s as usize;
        debug_assert_eq!(self.slots.get(p), Some(s));
        let kind = self.desks.desks[m.desk.0 as usize].kind;
        self.staff[m.staff.index()].busy_s[kind.activity() as usize] +=
            observed(m.busy_since, now, self.warmup);
        // The assistant of a remote examination is free too.
        if let Some(local) = self.desks.posts[post.0 as usize].partner.take() {
            let l = &mut self.desks.posts[local.0 as usize];
            l.serving = None;
            self.staff[l.staff.index()].busy_s[Activity::DropIn as usize] +=
                observed(l.busy_since, now, self.warmup);
            self.post_free(engine, local);
        }
        let desk = self.desks.posts[post.0 as usize].desk;
        if kind == DeskKind::DropIn && self.needs_fast_triage(desk, s) {
            // Triaged: join the visit queue before this post looks for its
            // next patient, so that a just-triaged urgent case goes first.
            // The stay at this desk goes on only if someone here may see them.
            if self.dropin_local(desk, s).is_empty() {
                self.stay_end(desk, s, now, false);
            }
            self.patients[s].at_desk.triaged = true;
            self.dropin_route(engine, desk, p, s, false);
            self.post_free(engine, post);
            return;
        }
        self.stay_end(desk, s, now, false);
        self.post_free(engine, post);
        match kind {
            DeskKind::DropIn | DeskKind::RemoteDoctor => {
                self.end_episode_at(p, s, EndState::Completed, now)
            }
            DeskKind::EService if !self.in_run.unit(self.episodes[s].unit.index()) => {
                self.stand_in_answered(engine, p, s)
            }
            DeskKind::EService | DeskKind::PhoneQueue => phone::route_after_triage(self, engine, p),
        }
    }

    /// The idle post at desk `d` that takes the patient in arena slot `s`
    /// (see [`Self::idle_slot_for`]).
    fn idle_post_for(&self, d: DeskId, s: usize) -> Option<PostId> {
        self.idle_slot_for(d, s)
            .map(|i| self.desks.desks[d.0 as usize].idle[i].post)
    }

    /// Where in desk `d`'s idle list the post that takes the patient in
    /// arena slot `s` is (one scan, hot path): among those that may serve
    /// them, at a drop-in's visit the profession the drop-in prefers for
    /// their urgency, then the post idle longest, then the lowest number
    /// (ties only). Never the order of the staff groups' names.
    #[inline(always)]
    fn idle_slot_for(&self, d: DeskId, s: usize) -> Option<usize> {
        let desk = &self.desks.desks[d.0 as usize];
        let idle = &desk.idle;
        if idle.is_empty() {
            // Every post busy (a queue forms): nothing to rank.
            return None;
        }
        let rank: Option<&[u8]> = match desk.kind {
            DeskKind::DropIn if !self.needs_fast_triage(d, s) => {
                let urgency = self.sc.category(self.episodes[s].category).urgency;
                Some(&self.dropin_spec(d).prefer_rank[urgency.priority()])
            }
            _ => None,
        };
        let who = self.who_may_serve(d, s);
        debug_assert!(idle.is_sorted_by(|a, b| a.key() < b.key()));
        // The smallest (rank, idle since, post) wins. The list is in
        // (idle since, post) order, so the first post of each rank that may
        // serve is that rank's best, and one of rank 0 ends the search.
        let mut best: Option<(usize, u8)> = None;
        for (i, e) in idle.iter().enumerate() {
            if !who.contains(e.profession) {
                continue;
            }
            let r = rank.map_or(0, |r| r[e.profession.index()]);
            if best.is_none_or(|(_, b)| r < b) {
                best = Some((i, r));
                if r == 0 {
                    break;
                }
            }
        }
        best.map(|(i, _)| i)
    }

    /// An idle drop-in post at the unit of the patient in arena slot `s`
    /// to assist a remote examination.
    fn local_assistant(&self, s: usize) -> Option<PostId> {
        let d = self.desk_of(self.episodes[s].unit, DeskKind::DropIn)?;
        // The one idle longest (ties: the lower post).
        self.desks.desks[d.0 as usize].idle.first().map(|e| e.post)
    }

    /// A remote doctor at `pool` examines `p` by video, with `local` assisting.
    fn remote_start(
        &mut self,
        engine: &mut Engine<Event>,
        pool: PostId,
        local: PostId,
        p: PatientId,
    ) {
        let now = engine.now();
        let s = self.slots.of(p);
        for post in [pool, local] {
            let d = self.desks.posts[post.0 as usize].desk.0 as usize;
            self.desks.desks[d].leave_idle(post);
            let m = &mut self.desks.posts[post.0 as usize];
            m.serving = Some((p, s as u32));
            m.busy_since = now;
        }
        self.desks.posts[pool.0 as usize].partner = Some(local);
        let host = self.desks.desks[self.desks.posts[pool.0 as usize].desk.0 as usize].unit;
        let dist = &self.sc.units[host.index()]
            .remote_pool
            .as_ref()
            .expect("a remote desk belongs to a unit with a pool")
            .exam_minutes;
        let mut rng = PatientRng::new(self.patients[s].seed, TAG_REMOTE_EXAM);
        let duration = SimTime::from_seconds_f64(dist.sample(&mut rng) * 60.0).0;
        let joined = self.patients[s].at_desk.joined_at;
        self.served_wait(self.desks.posts[pool.0 as usize].desk, joined, now);
        self.record_contact_at(
            s,
            ContactRecord {
                patient: p,
                unit: self.episodes[s].unit,
                activity: Activity::Remote,
                kind: ContactKind::Video,
                profession: self.desks.posts[pool.0 as usize].profession,
                requested: joined,
                start: now,
                duration_s: duration.min(u32::MAX as u64) as u32,
            },
        );
        engine.schedule_from(
            now + duration,
            PRIORITY_NORMAL,
            host.0,
            Event::Desk(DeskEvent::ServiceEnd, pool.0),
        );
    }

    /// A walk-in (or a patient referred to the drop-in) reaches unit `u`'s
    /// drop-in: registration first, if the unit uses a digital health form.
    #[inline(always)]
    fn walk_in(&mut self, engine: &mut Engine<Event>, d: DeskId, p: PatientId) {
        let registration = self.dropin_spec(d).registration_minutes.as_ref();
        match registration {
            Some(dist) => {
                let mut rng =
                    PatientRng::new(self.patients[self.slots.of(p)].seed, TAG_REGISTRATION);
                let s = SimTime::from_seconds_f64(dist.sample(&mut rng) * 60.0).0;
                engine.schedule_from(
                    engine.now() + s,
                    PRIORITY_NORMAL,
                    self.desks.desks[d.0 as usize].unit.0,
                    Event::Desk(DeskEvent::Registered, p.0),
                );
            }
            None => self.dropin_enter(engine, d, p),
        }
    }

    /// Patient `p` has registered at drop-in `d` and joins it.
    #[inline(always)]
    fn dropin_enter(&mut self, engine: &mut Engine<Event>, d: DeskId, p: PatientId) {
        let s = self.slots.of(p);
        self.patients[s].at_desk.joined_at = engine.now();
        if !self.desks.desks[d.0 as usize].open
            && self.desks.desks[d.0 as usize].at_closing != AtClosing::SeeAll
        {
            // Registered after closing: the closing policy applies at once.
            self.turn_away_at_closing(engine, d, p);
        } else if self.needs_fast_triage(d, s) {
            self.desk_join(engine, d, p, s, true);
        } else {
            self.dropin_route(engine, d, p, s, true);
        }
    }

    /// Where a (triaged) drop-in patient goes: the local queue if someone
    /// here may see them; else the remote doctor pool for cases that cannot
    /// wait; else a booked time in hand. `s`: the patient's arena slot.
    #[inline(always)]
    fn dropin_route(
        &mut self,
        engine: &mut Engine<Event>,
        d: DeskId,
        p: PatientId,
        s: usize,
        first: bool,
    ) {
        let category = self.sc.category(self.episodes[s].category);
        let desk = &self.desks.desks[d.0 as usize];
        let local = self.dropin_local(d, s);
        if !local.is_empty() {
            self.desk_join(engine, d, p, s, first);
            return;
        }
        let urgent = matches!(category.urgency, Urgency::SameDay | Urgency::Within3Days);
        match desk.remote {
            Some(r)
                if urgent
                    && !category
                        .assess
                        .intersect(self.desks.desks[r.0 as usize].staffed)
                        .is_empty() =>
            {
                self.patients[s].at_desk.joined_at = engine.now();
                self.desk_join(engine, r, p, s, first);
            }
            _ => booking::book(self, engine, p),
        }
    }

    /// Who at drop-in `d` may see the patient in arena slot `s` (after any
    /// fast triage).
    fn dropin_local(&self, d: DeskId, s: usize) -> ProfessionSet {
        let category = self.sc.category(self.episodes[s].category);
        let desk = &self.desks.desks[d.0 as usize];
        category
            .assess
            .intersect(desk.staffed)
            .intersect(desk.serve)
    }

    /// Patient `p` begins a stay at desk `d` now.
    fn stay_begin(&mut self, d: DeskId, now: SimTime) {
        let warmup = self.warmup;
        let desk = &mut self.desks.desks[d.0 as usize];
        desk.change_in_system(now, warmup, 1);
        if now >= warmup {
            desk.ledger.stays += 1;
        }
    }

    /// The stay at desk `d` (begun at its `joined_at`) of the patient in
    /// arena slot `s` ends now; `left`: unserved (reneged or balked), so the
    /// wait is the stay.
    fn stay_end(&mut self, d: DeskId, s: usize, now: SimTime, left: bool) {
        let (warmup, joined) = (self.warmup, self.patients[s].at_desk.joined_at);
        let desk = &mut self.desks.desks[d.0 as usize];
        desk.change_in_system(now, warmup, -1);
        if joined >= warmup {
            let minutes = seconds_f64(now.saturating_since(joined)) / 60.0;
            desk.ledger.stay_minutes.add(minutes);
            if left {
                desk.ledger.left_wait.add(minutes);
            }
        }
    }

    /// A contact at desk `d` starts now for a patient who joined its queue
    /// at `joined`: their wait.
    fn served_wait(&mut self, d: DeskId, joined: SimTime, now: SimTime) {
        if joined >= self.warmup {
            self.desks.desks[d.0 as usize]
                .ledger
                .served_wait
                .add(seconds_f64(now.saturating_since(joined)) / 60.0);
        }
    }

    /// Applies drop-in `d`'s closing policy to patient `p` (no longer waiting).
    fn turn_away_at_closing(&mut self, engine: &mut Engine<Event>, d: DeskId, p: PatientId) {
        let now = engine.now();
        match self.desks.desks[d.0 as usize].at_closing {
            AtClosing::SeeAll => {}
            AtClosing::SendAway => self.end_episode(p, EndState::SentAway, now),
            AtClosing::Book => booking::book(self, engine, p),
            AtClosing::CallBack => {
                let unit = self.episodes[self.slots.of(p)].unit;
                phone::call(self, engine, unit, p);
            }
        }
    }

    /// `post` has nobody to serve: take the next patient, wait idle, or go home.
    fn post_free(&mut self, engine: &mut Engine<Event>, post: PostId) {
        let now = engine.now();
        let m = &self.desks.posts[post.0 as usize];
        let desk = &self.desks.desks[m.desk.0 as usize];
        // Off duty: keep going only to see the last patients after closing.
        let may_work = m.on_duty || (!desk.open && desk.at_closing == AtClosing::SeeAll);
        if may_work {
            let kind = desk.kind;
            match kind {
                // A remote doctor: the next patient whose unit has an assistant free.
                DeskKind::RemoteDoctor => {
                    let desk = m.desk;
                    if let Some((p, pool, local)) =
                        self.remote_take_next(desk, now, Helper::Doctor(post))
                    {
                        self.remote_start(engine, pool, local, p);
                        return;
                    }
                }
                // Local staff of a unit with a remote pool assist an
                // examination first: the acute case has waited for them.
                DeskKind::DropIn if desk.remote.is_some() => {
                    let remote = desk.remote.expect("checked");
                    let unit = desk.unit;
                    if let Some((p, pool, local)) =
                        self.remote_take_next(remote, now, Helper::Assistant(unit, post))
                    {
                        self.remote_start(engine, pool, local, p);
                        return;
                    }
                }
                _ => {}
            }
            // (A post's desk and its kind do not change.)
            if kind != DeskKind::RemoteDoctor
                && let Some((p, s)) = self.desk_take_next(post, now)
            {
                self.desk_start(engine, post, p, s);
                return;
            }
        }
        let m = &mut self.desks.posts[post.0 as usize];
        if m.on_duty {
            self.desks.desks[m.desk.0 as usize].make_idle(Idle {
                since: now,
                post,
                profession: m.profession,
            });
        } else if now > m.scheduled_end {
            self.ledgers[m.staff.index()].overtime_s += observed(m.scheduled_end, now, self.warmup);
        }
    }

    /// The next patient `post` may serve (and their arena slot): most
    /// urgent first, then first come.
    fn desk_take_next(&mut self, post: PostId, now: SimTime) -> Option<(PatientId, usize)> {
        let (d, profession) = {
            let m = &self.desks.posts[post.0 as usize];
            (m.desk.0 as usize, m.profession)
        };
        // The desk borrowed once beside the arena's fields (each access
        // through `self` looked the desk up and checked its index again).
        let (slots, episodes, sc, warmup) = (&self.slots, &self.episodes, self.sc, self.warmup);
        let patients = &mut self.patients;
        let desk = &mut self.desks.desks[d];
        if desk.waiting == 0 {
            return None;
        }
        let who = desk.who_serves();
        let may_serve = |patients: &[PatientState], s: usize| {
            who.of(&patients[s], || sc.category(episodes[s].category).assess)
                .contains(profession)
        };
        for level in 0..LEVELS {
            let queue = &mut desk.queues[level];
            // Drop entries of patients who reneged or were sent away; the
            // first still waiting is looked up once, for both tests.
            let front = loop {
                let Some(&front) = queue.front() else {
                    break None;
                };
                match slots.get(front) {
                    Some(s) if patients[s].at_desk.waiting => break Some(s),
                    _ => {
                        queue.pop_front();
                    }
                }
            };
            let Some(front) = front else { continue };
            let found = if may_serve(patients, front) {
                Some((0, front))
            } else {
                queue.iter().enumerate().skip(1).find_map(|(i, &p)| {
                    let s = slots.get(p)?;
                    (patients[s].at_desk.waiting && may_serve(patients, s)).then_some((i, s))
                })
            };
            if let Some((i, s)) = found {
                // Usually the front (first come): a pop, not a shift.
                let p = if i == 0 {
                    queue.pop_front()?
                } else {
                    queue.remove(i)?
                };
                desk.change_waiting(now, warmup, -1);
                patients[s].at_desk.waiting = false;
                return Some((p, s));
            }
        }
        None
    }

    fn post_start(&mut self, engine: &mut Engine<Event>, post: PostId) {
        let now = engine.now();
        let m = &mut self.desks.posts[post.0 as usize];
        let (_, end) = m.duty.current().expect("a post starts in a period");
        if m.serving.is_some() && now > m.scheduled_end {
            // Overtime from the last period ran into this one.
            self.ledgers[m.staff.index()].overtime_s += observed(m.scheduled_end, now, self.warmup);
        }
        m.on_duty = true;
        m.scheduled_end = end;
        engine.schedule_from(
            end,
            PRIORITY_NORMAL,
            self.desks.desks[m.desk.0 as usize].unit.0,
            Event::Desk(DeskEvent::PostEnd, post.0),
        );
        if m.serving.is_none() {
            self.post_free(engine, post);
        }
    }

    fn post_end(&mut self, engine: &mut Engine<Event>, post: PostId) {
        let (
            supply,
            Desks {
                posts,
                weeks,
                desks,
                ..
            },
        ) = (&self.supply, &mut self.desks);
        let m = &mut posts[post.0 as usize];
        m.on_duty = false;
        let s = m.staff.index();
        m.duty
            .advance(&weeks[m.week as usize], &|day| supply.works(s, day));
        if let Some((start, _)) = m.duty.current() {
            engine.schedule_from(
                start,
                PRIORITY_CLOSE,
                desks[m.desk.0 as usize].unit.0,
                Event::Desk(DeskEvent::PostStart, post.0),
            );
        }
        if m.serving.is_none() {
            desks[m.desk.0 as usize].leave_idle(post);
        }
    }

    fn desk_renege(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        if !self.waiting_at_desk(p) {
            return;
        }
        let now = engine.now();
        let s = self.slots.of(p);
        let d = self.patients[s].at_desk.desk as usize;
        // A renege of an earlier stay (a caller answered on hold and sent on
        // to the drop-in) is void: this stay's patience runs from its own
        // first queue.
        if self
            .patience_deadline(DeskId(d as u16), s)
            .is_some_and(|deadline| now < deadline)
        {
            return;
        }
        self.patients[s].at_desk.waiting = false;
        self.desks.desks[d].change_waiting(now, self.warmup, -1);
        self.stay_end(DeskId(d as u16), s, now, true);
        self.end_episode(p, EndState::Reneged, now);
    }

    fn desk_open(&mut self, engine: &mut Engine<Event>, d: DeskId) {
        let desk = &mut self.desks.desks[d.0 as usize];
        let (_, end) = desk.hours.current().expect("a desk opens in a period");
        desk.open = true;
        engine.schedule_from(
            end,
            PRIORITY_CLOSE,
            desk.unit.0,
            Event::Desk(DeskEvent::Close, d.0 as u32),
        );
    }

    fn desk_close(&mut self, engine: &mut Engine<Event>, d: DeskId) {
        let now = engine.now();
        let Desks { desks, weeks, .. } = &mut self.desks;
        let desk = &mut desks[d.0 as usize];
        desk.open = false;
        desk.hours.advance(&weeks[desk.week as usize], &|_| true);
        if let Some((start, _)) = desk.hours.current() {
            engine.schedule_from(
                start,
                PRIORITY_CLOSE,
                desk.unit.0,
                Event::Desk(DeskEvent::Open, d.0 as u32),
            );
        }
        if desk.at_closing == AtClosing::SeeAll {
            return self.book_those_nobody_stays_for(engine, d);
        }
        // Everyone still waiting here — and this unit's patients waiting for
        // the remote doctor — gets the closing policy.
        let unit = desk.unit;
        let mut leaving = Vec::new();
        for desk_id in std::iter::once(d).chain(desk.remote) {
            let queue_desk = &mut self.desks.desks[desk_id.0 as usize];
            for level in 0..LEVELS {
                let queue = std::mem::take(&mut queue_desk.queues[level]);
                for p in queue {
                    // A stale entry's patient may have left the model.
                    let slot = self.slots.get(p);
                    let waiting = slot.filter(|&s| self.patients[s].at_desk.waiting);
                    if let Some(s) = waiting.filter(|&s| self.episodes[s].unit == unit) {
                        self.patients[s].at_desk.waiting = false;
                        queue_desk.change_waiting(now, self.warmup, -1);
                        leaving.push((desk_id, p, s));
                    } else if waiting.is_some() {
                        queue_desk.queues[level].push_back(p);
                    }
                }
            }
        }
        for (queue_desk, p, s) in leaving {
            self.stay_end(queue_desk, s, now, false);
            self.turn_away_at_closing(engine, d, p);
        }
    }

    /// A `see_all` drop-in `d` closes: its staff still at work see everyone
    /// they may (overtime), but a patient whom none of them may see (the
    /// drop-in's doctor away today, or off duty since earlier) would wait
    /// for days; they leave with a booked time in hand instead, as a
    /// drop-in with nobody here to see them books (`dropin_route`).
    fn book_those_nobody_stays_for(&mut self, engine: &mut Engine<Event>, d: DeskId) {
        let now = engine.now();
        let desk = &self.desks.desks[d.0 as usize];
        if desk.waiting == 0 {
            return;
        }
        let mut staying = ProfessionSet::EMPTY;
        for &q in &desk.posts {
            let m = &self.desks.posts[q.0 as usize];
            if m.on_duty || m.serving.is_some() {
                staying.insert(m.profession);
            }
        }
        let mut leaving = Vec::new();
        for level in 0..LEVELS {
            for &p in &self.desks.desks[d.0 as usize].queues[level] {
                let waiting = self
                    .slots
                    .get(p)
                    .filter(|&s| self.patients[s].at_desk.waiting);
                if let Some(s) = waiting
                    && self.who_may_serve(d, s).intersect(staying).is_empty()
                {
                    leaving.push((p, s));
                }
            }
        }
        if leaving.is_empty() {
            return;
        }
        for queue in &mut self.desks.desks[d.0 as usize].queues {
            queue.retain(|q| !leaving.iter().any(|(p, _)| p == q));
        }
        for (p, s) in leaving {
            self.patients[s].at_desk.waiting = false;
            self.desks.desks[d.0 as usize].change_waiting(now, self.warmup, -1);
            self.stay_end(d, s, now, false);
            booking::book(self, engine, p);
        }
    }

    /// The next patient of remote desk `d` (most urgent, then first come)
    /// who can be examined now that `free` is free: for a remote doctor, a
    /// patient they may assess whose unit has an assistant free; for an
    /// assistant, a patient of their unit with a remote doctor free who may
    /// assess them. Removes the patient from the queue and returns the
    /// patient, the remote doctor's post and the assistant's.
    fn remote_take_next(
        &mut self,
        d: DeskId,
        now: SimTime,
        free: Helper,
    ) -> Option<(PatientId, PostId, PostId)> {
        if self.desks.desks[d.0 as usize].waiting == 0 {
            return None;
        }
        for level in 0..LEVELS {
            let found = self.desks.desks[d.0 as usize].queues[level]
                .iter()
                .enumerate()
                .find_map(|(i, &p)| {
                    let s = self.slots.get(p)?;
                    if !self.patients[s].at_desk.waiting {
                        return None;
                    }
                    // Both halves of the examination: a remote doctor who may
                    // assess the case and an assistant at the patient's unit.
                    let (pool, local) = match free {
                        Helper::Doctor(post) => (
                            self.may_serve(&self.desks.posts[post.0 as usize], s)
                                .then_some(post),
                            self.local_assistant(s),
                        ),
                        Helper::Assistant(unit, post) => (
                            self.idle_post_for(d, s),
                            (self.episodes[s].unit == unit).then_some(post),
                        ),
                    };
                    Some((i, p, s, pool?, local?))
                });
            if let Some((i, p, s, pool, local)) = found {
                let desk = &mut self.desks.desks[d.0 as usize];
                desk.queues[level].remove(i);
                desk.change_waiting(now, self.warmup, -1);
                self.patients[s].at_desk.waiting = false;
                return Some((p, pool, local));
            }
        }
        None
    }

    /// Staff time of posts still busy when the run ends.
    fn close_posts(&mut self) {
        let horizon = self.horizon;
        for m in &self.desks.posts {
            if m.serving.is_some() {
                let activity = self.desks.desks[m.desk.0 as usize].kind.activity();
                self.staff[m.staff.index()].busy_s[activity as usize] +=
                    observed(m.busy_since, horizon, self.warmup);
                if !m.on_duty && horizon > m.scheduled_end {
                    self.ledgers[m.staff.index()].overtime_s +=
                        observed(m.scheduled_end, horizon, self.warmup);
                }
            }
        }
    }
}
