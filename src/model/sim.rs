//! The model's event loop: builds the arenas from a [`Scenario`], runs the
//! engine to the horizon and hands back the [`Records`].
//!
//! Flows are named in the registration list (`flows.rs`, which also holds
//! the event enum); this file holds what they share: the arenas, opening
//! and closing episodes, and contact recording.

use crate::engine::{Engine, PatientRng, RandomSource, SimTime, StreamKey};
use crate::model::flows::{booking::BookedPatient, desks::AtDesk, phone::OnCallBack};
use crate::model::linked::{InRun, split_groups};
use crate::model::records::{
    ContactRecord, ContactTallies, Episode, EpisodeTallies, NO_BAND, Records, RuleFirst,
    StaffLedger,
};
use crate::model::unit_facts::UnitFacts;
use crate::scenario::spec::Scenario;
use crate::vocab::ids::{AgeId, CategoryId, PatientId, ProfessionId, UnitId};
use crate::vocab::kinds::{Activity, Channel, ContactKind, EndState};

pub(crate) use crate::model::flows::Event;

/// Same-second order: openings and closings before everything else (so a
/// shift ending at closing time sees the desk closed).
pub(crate) const PRIORITY_CLOSE: u8 = 0;
pub(crate) const PRIORITY_NORMAL: u8 = 1;

/// The slot of a patient who has left the model.
const GONE: u32 = u32::MAX;

/// Patient ids per page of [`Slots`].
const PAGE: usize = 4096;

/// The arena slot of each patient id ever given ([`GONE`] once the patient
/// has left the model). Ids are never reused: events and queues may still
/// name a patient who left, and random streams hang on the patient's seed,
/// not on the slot. A field of its own, so that `model.episodes[model.
/// slots.of(p)]` borrows two fields, not the whole model.
///
/// Kept in pages of [`PAGE`] ids; a page is dropped once every patient of
/// it has left (a whole page then reads as gone), so the map holds the pages
/// of the patients in the model, not 4 bytes per patient of the year.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slots {
    /// Fixed-size pages: the index within a page needs no bounds check
    /// (`of` runs several times per event).
    pages: Vec<Option<Box<[u32; PAGE]>>>,
    /// Patients of each page still in the model.
    live: Vec<u32>,
    /// Ids given.
    len: usize,
}

impl Slots {
    /// Patient `p`'s arena slot (`p` must still be in the model).
    #[inline]
    pub fn of(&self, p: PatientId) -> usize {
        let i = p.index();
        match &self.pages[i / PAGE] {
            Some(page) => page[i % PAGE] as usize,
            None => unreachable!("patient {i} has left the model"),
        }
    }

    /// Patient `p`'s arena slot, or `None` once the patient has left.
    #[inline]
    pub fn get(&self, p: PatientId) -> Option<usize> {
        let s = *self.entry(p)?;
        (s != GONE).then_some(s as usize)
    }

    /// Where patient `p`'s slot is written ([`GONE`] once they left), if
    /// their page is still held: what [`Slots::get`] reads, and what the
    /// look-ahead prefetches.
    #[inline]
    fn entry(&self, p: PatientId) -> Option<&u32> {
        let i = p.index();
        Some(&self.pages[i / PAGE].as_ref()?[i % PAGE])
    }

    /// Ids given so far (the next id).
    fn len(&self) -> usize {
        self.len
    }

    /// Gives the next id, in arena slot `slot`.
    fn push(&mut self, slot: u32) {
        let i = self.len;
        if i.is_multiple_of(PAGE) {
            self.pages.push(Some(Box::new([GONE; PAGE])));
            self.live.push(0);
        }
        if let Some(page) = &mut self.pages[i / PAGE] {
            page[i % PAGE] = slot;
        }
        self.live[i / PAGE] += 1;
        self.len += 1;
    }

    /// Patient `p` (in the model) leaves; their page goes once it is empty
    /// and no later id can land in it.
    fn remove(&mut self, p: PatientId) {
        let i = p.index();
        let n = i / PAGE;
        if let Some(page) = &mut self.pages[n] {
            page[i % PAGE] = GONE;
        }
        self.live[n] -= 1;
        if self.live[n] == 0 && (n + 1) * PAGE <= self.len {
            self.pages[n] = None;
        }
    }

    /// Forgets every id (a new replication).
    fn clear(&mut self) {
        self.pages.clear();
        self.live.clear();
        self.len = 0;
    }
}

/// Guarantee rules whose firsts fit beside the episode in its cache line
/// (the built-in rules are three); a scenario with more keeps them all in
/// `ContactTallies::rule_first` instead.
const INLINE_RULES: usize = 6;

/// An episode in the patient arena, with its first counted contact per
/// guarantee rule, in one cache line: an [`Episode`] is 40 bytes, so in a
/// plain `Vec` half of them straddled two lines, and the rule firsts were a
/// line elsewhere; at 100 units and more an event's read of its patient's
/// episode misses the caches (docs/performance-history.md, fifth pass). Reads and
/// writes of the episode go through `Deref`; the history and the records
/// hold plain episodes.
#[derive(Clone, Debug)]
#[repr(align(64))]
pub(crate) struct HeldEpisode(pub Episode, [RuleFirst; INLINE_RULES]);

const _: () = assert!(std::mem::size_of::<HeldEpisode>() == 64);

impl HeldEpisode {
    fn new(episode: Episode) -> Self {
        HeldEpisode(episode, [RuleFirst::NONE; INLINE_RULES])
    }
}

/// The firsts of the patient in `slot` (`held` is its episode), `n` rules.
#[inline]
fn firsts_of<'a>(
    held: &'a HeldEpisode,
    spill: &'a [RuleFirst],
    slot: usize,
    n: usize,
) -> &'a [RuleFirst] {
    if n <= INLINE_RULES {
        &held.1[..n]
    } else {
        &spill[slot * n..][..n]
    }
}

/// As [`firsts_of`], to write.
#[inline]
fn firsts_of_mut<'a>(
    held: &'a mut HeldEpisode,
    spill: &'a mut [RuleFirst],
    slot: usize,
    n: usize,
) -> &'a mut [RuleFirst] {
    if n <= INLINE_RULES {
        &mut held.1[..n]
    } else {
        &mut spill[slot * n..][..n]
    }
}

impl std::ops::Deref for HeldEpisode {
    type Target = Episode;
    #[inline]
    fn deref(&self) -> &Episode {
        &self.0
    }
}

impl std::ops::DerefMut for HeldEpisode {
    #[inline]
    fn deref_mut(&mut self) -> &mut Episode {
        &mut self.0
    }
}

/// Buffers of the patient arena, kept in [`Records`] only so that the next
/// replication reuses them.
#[derive(Clone, Debug, Default)]
pub(crate) struct ArenaScratch {
    episodes: Vec<HeldEpisode>,
    slot_of: Slots,
    free_slots: Vec<u32>,
    /// The last run's engine, cleared before reuse (`Engine::clear`): its
    /// heap, bucket ring and chunks keep their capacity.
    engine: Option<Engine<Event>>,
}

/// Tags for per-patient random streams.
pub(crate) const TAG_SERVICE: u64 = 1_000;
/// The hub's tags of patient groups and place: the distance band, a far
/// walk-in who telephones instead, digital exclusion. New tags, so that a
/// scenario without bands or exclusion draws exactly what it drew before.
pub(crate) const TAGS_GROUPS: std::ops::Range<u64> = 2_300..2_303;
const TAG_DISTANCE: u64 = TAGS_GROUPS.start;
pub(crate) const TAG_WALK_IN_TO_PHONE: u64 = TAGS_GROUPS.start + 1;
pub(crate) const TAG_DIGITAL: u64 = TAGS_GROUPS.start + 2;
/// A staff member. A call-back reads who they are and when their last
/// call ends, and adds to their time with patients; a booked visit and a
/// desk add to that time too. So the running sums live here, not in their
/// [`StaffLedger`] (a line of its own), until the run ends
/// ([`Model::finish`]), and `repr(C)` keeps those fields in the first of
/// the member's two cache lines (all but the remote pool's sum).
#[derive(Debug)]
#[repr(C, align(64))]
pub(crate) struct StaffMember {
    pub unit: UnitId,
    pub profession: ProfessionId,
    /// End of the staff member's current telephone call.
    pub free_at: SimTime,
    /// Time with patients so far, seconds, by [`Activity`] index (the
    /// ledger's `busy_s` once the run ends).
    pub busy_s: [u64; Activity::COUNT],
    /// Index of the staff group in the unit (for the shifts).
    pub group: usize,
    /// Index within the group (for the group's dated head counts).
    pub member: u32,
}

const _: () = assert!(std::mem::size_of::<StaffMember>() == 128);
// Every sum but the last (the remote pool's) ends within the first line.
const _: () =
    assert!(std::mem::offset_of!(StaffMember, busy_s) + Activity::Remote as usize * 8 <= 64);

impl StaffMember {
    /// Staff member `member` of group `group` of `unit`, not yet busy.
    pub fn new(unit: UnitId, profession: ProfessionId, group: usize, member: u32) -> Self {
        StaffMember {
            unit,
            profession,
            group,
            member,
            free_at: SimTime::ZERO,
            busy_s: [0; Activity::COUNT],
        }
    }
}

/// Per-patient state that is not part of the record: the patient's random
/// seed, and one part per flow that keeps something while the patient is in
/// it. Each part's fields are private to its flow, so a flow hands a patient
/// on by a named call (`flows::<flow>::…`), never by writing another's fields.
///
/// Aligned to a cache line and kept within one: an event for a patient
/// booked weeks ago finds their state out of the caches, and at 100 units
/// and more every separate per-patient array (booking's part was one) cost
/// a miss of its own per event (docs/performance-history.md, fifth pass).
#[derive(Clone, Copy, Debug)]
#[repr(align(64))]
pub(crate) struct PatientState {
    /// Seed of the patient's own random streams.
    pub seed: u64,
    /// Queueing at a desk (`flows/desks/`).
    pub at_desk: AtDesk,
    /// Waiting for a telephone call-back (`flows/phone/`).
    pub call_back: OnCallBack,
    /// Booked for a visit (`flows/booking/`).
    pub booked: BookedPatient,
}

// The patient arena is walked by every event: keep a patient in one cache line.
const _: () = assert!(std::mem::size_of::<PatientState>() == 64);

/// The model: arenas indexed by the ids in [`crate::vocab::ids`].
pub(crate) struct Model<'s> {
    pub sc: &'s Scenario,
    /// What events read of each unit's scenario, a few cache lines a unit
    /// (`model/unit_facts.rs`).
    pub facts: Vec<UnitFacts<'s>>,
    pub warmup: SimTime,
    pub horizon: SimTime,
    pub doctor: Option<ProfessionId>,
    /// Episodes of the patients in the model, by arena slot
    /// ([`Model::slot`]): a slot is reused once its patient has left.
    pub episodes: Vec<HeldEpisode>,
    /// Per-patient scratch, by arena slot.
    pub patients: Vec<PatientState>,
    /// Arena slot of each patient id ever given.
    pub slots: Slots,
    /// Slots free for the next patient.
    free_slots: Vec<u32>,
    /// Patients whose episode ended in the event being handled: they leave
    /// the model after it ([`Model::leave`]).
    ended: Vec<PatientId>,
    /// Every episode by id, written as each leaves — only when asked to
    /// keep the contacts ([`simulate`]).
    history: Vec<Episode>,
    /// What the metrics need from the episodes, added as each leaves.
    episode_tallies: EpisodeTallies,
    pub contacts: Vec<ContactRecord>,
    /// Keep every contact in `contacts` (else only the tallies).
    keep_contacts: bool,
    /// What the metrics need from the contacts, added to as they happen.
    pub tallies: ContactTallies,
    pub staff: Vec<StaffMember>,
    pub ledgers: Vec<StaffLedger>,
    /// Desks and their staff posts: drop-in, e-service, hold queue, remote
    /// doctor (`flows/desks/`).
    pub desks: crate::model::flows::desks::Desks,
    /// Arrival streams, one per unit and channel with demand (`flows/demand/`).
    pub demand: crate::model::flows::demand::Demand,
    /// Telephone call-back times (`flows/phone/`).
    pub phone: crate::model::flows::phone::PhoneLines,
    /// Appointment books, booked visits and access samples (`flows/booking/`).
    pub booking: crate::model::flows::booking::Booking,
    /// Mobile teams, their crews and request streams (`flows/mobile/`).
    pub mobile: crate::model::flows::mobile::MobileTeams,
    /// The days each unit staff member works (`model/supply.rs`).
    pub supply: crate::model::supply::Roster,
    /// The units and mobile teams this run simulates: all, or one linked
    /// group's (`model/linked.rs`). Each flow's `init` builds only theirs.
    pub in_run: InRun,
    /// A split provider's stand-ins, or the answers a unit's run awaits
    /// (`model/split.rs`).
    pub split: crate::model::split::SplitState,
}

/// Runs one replication of `scenario` and returns what it recorded, with
/// every contact kept in [`Records::contacts`].
pub fn simulate(scenario: &Scenario, seed: u64, replication: u32) -> Records {
    simulate_reusing(scenario, seed, replication, Records::default())
}

/// As [`simulate`], reusing the buffers of `spare` (the records of an earlier
/// replication, which are cleared): a worker running many replications then
/// allocates, and faults in fresh memory pages, only once. The result does
/// not depend on `spare`.
pub fn simulate_reusing(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    spare: Records,
) -> Records {
    run(scenario, seed, replication, spare, true)
}

/// As [`simulate_reusing`], without keeping the contacts: they go into
/// [`Records::tallies`] only, which is all the metrics read, so memory
/// grows with the patients, not with every contact they had.
///
/// Each linked group of units (`model/linked.rs`) runs on its own engine
/// and model, one after the other, and their records are added up in
/// group order (`model/merge.rs`): the records, and so the metrics, are
/// those of one engine running the whole region
/// ([`simulate_tallied_joint`]), at the cost of a region the size of its
/// largest group.
pub fn simulate_tallied(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    spare: Records,
) -> Records {
    simulate_tallied_spread(scenario, seed, replication, spare, 1)
}

/// As [`simulate_tallied`], running up to `lanes` linked groups at once on
/// the current rayon pool, the largest first; what the experiment runner
/// uses, with the threads its replications leave spare. The records are
/// the same whatever `lanes` (they are added up in group order), and
/// memory grows with the groups running at once, not with all of them:
/// each lane reuses one set of buffers, kept in the records for the next
/// replication.
pub fn simulate_tallied_spread(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    spare: Records,
    lanes: usize,
) -> Records {
    tallied_in_groups(scenario, (seed, replication), spare, lanes, true)
}

/// As [`simulate_tallied_spread`], for a replication that no other follows
/// on these buffers (`-r 1`, the last a run starts): each linked group's
/// appointment books are dropped as the group ends instead of being kept
/// for a next replication, so memory holds the largest group's books, not
/// the region's (74 MB of a Stockholm-year's 114; thirty-sixth pass).
pub fn simulate_tallied_once(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    spare: Records,
    lanes: usize,
) -> Records {
    tallied_in_groups(scenario, (seed, replication), spare, lanes, false)
}

/// [`simulate_tallied_spread`], keeping the groups' books or not.
fn tallied_in_groups(
    scenario: &Scenario,
    (seed, replication): (u64, u32),
    spare: Records,
    lanes: usize,
    keep_books: bool,
) -> Records {
    let (groups, apart) = split_groups(scenario);
    if groups.len() == 1 {
        return run(scenario, seed, replication, spare, false);
    }
    let key = StreamKey {
        seed,
        scenario: &scenario.crn_key,
        replication,
    };
    // The e-service providers that run apart go first: their answers are
    // their units' input (`model/split.rs`).
    let mut first: Vec<Option<Records>> = groups.iter().map(|_| None).collect();
    // A temporary file only when a provider runs apart.
    let spool = apart
        .contains(&true)
        .then(|| std::sync::Arc::new(crate::model::split::AnswerSpool::new(scenario.units.len())));
    for (g, group) in groups.iter().enumerate() {
        if let Some(spool) = spool
            .as_ref()
            .filter(|_| group.units.iter().any(|u| apart[u.index()]))
        {
            let in_run = InRun::provider(scenario, group, spool.clone());
            first[g] = Some(run_in(scenario, &key, in_run, Records::default(), false));
        }
    }
    let first = std::sync::Mutex::new(first);
    crate::model::merge::run_groups(
        scenario,
        &groups,
        lanes,
        keep_books,
        spare,
        |in_run, spare| {
            let done = groups
                .iter()
                .position(|g| in_run.unit(g.units[0].index()))
                .and_then(|g| first.lock().unwrap_or_else(|e| e.into_inner())[g].take());
            match done {
                Some(rec) => rec,
                None => {
                    let in_run = match &spool {
                        Some(spool) => in_run.answered_by(scenario, &apart, spool.clone()),
                        None => in_run,
                    };
                    run_in(scenario, &key, in_run, spare, false)
                }
            }
        },
    )
}

/// As [`simulate_tallied`], every unit on one engine (what the split run
/// must equal; for tests and measurements).
#[doc(hidden)]
pub fn simulate_tallied_joint(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    spare: Records,
) -> Records {
    run(scenario, seed, replication, spare, false)
}

fn run(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    spare: Records,
    keep_contacts: bool,
) -> Records {
    let key = StreamKey {
        seed,
        scenario: &scenario.crn_key,
        replication,
    };
    run_in(scenario, &key, InRun::all(scenario), spare, keep_contacts)
}

/// One engine and model for the units and teams of `in_run`.
fn run_in(
    scenario: &Scenario,
    key: &StreamKey<'_>,
    in_run: InRun,
    mut spare: Records,
    keep_contacts: bool,
) -> Records {
    let started = std::time::Instant::now();
    let mut engine = match spare.scratch.engine.take() {
        Some(mut engine) => {
            engine.clear();
            engine
        }
        None => Engine::new(),
    };
    let mut model = Model::new(scenario, key, &mut engine, spare, keep_contacts, in_run);
    let horizon = model.horizon;
    // A served unit's run reads its provider's answers a day ahead
    // (`model/split.rs`); any other runs to the horizon at once.
    let window = if model.split.feeds() {
        SimTime::DAY
    } else {
        horizon.0.max(1)
    };
    let mut until = 0;
    loop {
        until = u64::min(until + window, horizon.0);
        model.feed_answers(&mut engine, SimTime(until));
        engine.run_until(SimTime(until), |eng, ev| {
            model.look_ahead(eng);
            crate::model::flows::handle(&mut model, eng, ev);
            if !model.ended.is_empty() {
                model.leave();
            }
        });
        if until == horizon.0 {
            break;
        }
    }
    let mut records = model.finish(engine.events_processed());
    records.scratch.engine = Some(engine);
    if let [run] = &mut records.model_runs[..] {
        run.seconds = started.elapsed().as_secs_f64();
    }
    records
}

impl Model<'_> {
    /// The periods `blocks` of staff member `s`'s group give them on the
    /// days they are not off, also on days of absence (not known when the
    /// appointment book is made): the times the book offers. (Telephone
    /// and desk duty walk the days they work as they reach them:
    /// `schedule::WeeklyWalk`.)
    pub(crate) fn book_periods(
        &self,
        s: usize,
        blocks: &[crate::vocab::week::WeeklyBlock],
    ) -> crate::model::schedule::Periods {
        crate::model::schedule::Periods::from_weekly_on(
            blocks,
            &self.sc.calendar,
            self.horizon,
            |day| !self.supply.off(s, day),
        )
    }
}

/// Asks the processor to bring the cache line of `r` in, without waiting
/// for it (a hint: no effect on results; nothing where the target has no
/// such instruction).
#[inline(always)]
fn prefetch<T>(r: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: a prefetch reads nothing the program sees and cannot
        // fault; the pointer comes from a live reference anyway.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((r as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = r;
}

/// How many events ahead the look-ahead fetches a patient's slot: their
/// arena lines are fetched one event ahead, from the slot read then.
const SLOT_AHEAD: usize = 2;

/// The look-ahead starts once the patient arena holds this many slots (two
/// lines each: 1 MiB, a core's second-level cache on the machines measured):
/// below it a patient's lines are still in the caches and the look-ahead's
/// reads only cost (M/M/3 ≈ 50 instructions a customer, a health centre's
/// year no faster), above it the misses it hides are most of an event's
/// time (a region's telephone-line group holds 180 000 patients).
const LOOK_AHEAD_FROM: usize = 8192;

impl Model<'_> {
    /// Prefetches what the next events read first: in a region's linked
    /// group a patient booked weeks ago has left the caches by their visit,
    /// and their slot, episode and state were three misses in a row, each
    /// waiting on the one before (the map gives the slot, the slot the
    /// lines). The slot of the event two ahead is fetched now, so that one
    /// event ahead it can be read and the patient's lines fetched while
    /// this event runs. Only a hint: the results are the same without it.
    #[inline]
    fn look_ahead(&self, engine: &Engine<Event>) {
        if self.patients.len() < LOOK_AHEAD_FROM {
            return;
        }
        if let Some(p) = engine
            .upcoming(SLOT_AHEAD)
            .and_then(crate::model::flows::patient_of)
            && let Some(entry) = self.slots.entry(p)
        {
            prefetch(entry);
        }
        if let Some(p) = engine.upcoming(1).and_then(crate::model::flows::patient_of)
            && let Some(s) = self.slots.get(p)
        {
            if let Some(e) = self.episodes.get(s) {
                prefetch(e);
            }
            if let Some(ps) = self.patients.get(s) {
                prefetch(ps);
            }
        }
    }
}

/// Seconds of `[from, to)` after `warmup`.
#[inline]
pub(crate) fn observed(from: SimTime, to: SimTime, warmup: SimTime) -> u64 {
    to.saturating_since(from.max(warmup))
}

impl<'s> Model<'s> {
    fn new(
        sc: &'s Scenario,
        key: &StreamKey<'_>,
        engine: &mut Engine<Event>,
        spare: Records,
        keep_contacts: bool,
        in_run: InRun,
    ) -> Self {
        let split = crate::model::split::SplitState::new(&in_run, sc.units.len());
        let Records {
            episodes: mut history,
            mut contacts,
            mut tallies,
            mut episode_tallies,
            flows,
            mut patients,
            scratch,
            book_cache,
            arrival_layouts,
            ..
        } = spare;
        let ArenaScratch {
            mut episodes,
            mut slot_of,
            mut free_slots,
            ..
        } = scratch;
        history.clear();
        episodes.clear();
        slot_of.clear();
        free_slots.clear();
        contacts.clear();
        patients.clear();
        episode_tallies.reset(sc);
        let horizon = sc.horizon();
        tallies.reset(
            sc.units.len(),
            sc.professions.len(),
            sc.categories.len(),
            sc.dropin_wait_thresholds_minutes.len(),
        );
        let mut members = Vec::new();
        for (u, unit) in sc.units.iter().enumerate() {
            if !in_run.unit(u) {
                continue;
            }
            for (group, g) in unit.staff.iter().enumerate() {
                members.extend((0..crate::model::supply::group_members(g)).map(|m| (u, group, m)));
            }
        }
        let supply = crate::model::supply::Roster::build(sc, key, &members);
        let mut staff = Vec::with_capacity(members.len());
        let mut ledgers = Vec::with_capacity(members.len());
        let (mut duty_s, mut paid_leave_s) = (0, 0);
        for (s, &(u, group, member)) in members.iter().enumerate() {
            let g = &sc.units[u].staff[group];
            // Members of a group differ only by their days: without dated
            // absences, staff supply or hired staff the first one's paid
            // time is every member's.
            let alike = g.dated.is_empty() && sc.supply.is_none() && g.hired.is_empty();
            if member == 0 || !alike {
                let blocks: Vec<_> = g.shifts.iter().map(|(b, _)| *b).collect();
                // Seconds of the member's shifts after the warm-up on the
                // days `on` says: one walk of the week for the time worked
                // and for the time paid beyond it.
                let shift_s = |on: &dyn Fn(u64) -> bool| -> u64 {
                    crate::model::schedule::Periods::from_weekly_on(
                        &blocks,
                        &sc.calendar,
                        horizon,
                        on,
                    )
                    .as_slice()
                    .iter()
                    .map(|&(s, e)| observed(s, e, sc.warmup_end()))
                    .sum()
                };
                duty_s = shift_s(&|day| supply.works(s, day));
                // Leave and a stand-in's time are paid too (the staff cost).
                paid_leave_s = shift_s(&|day| supply.paid_not_worked(s, day))
                    + shift_s(&|day| supply.stand_in_on(s, day));
            }
            staff.push(StaffMember::new(
                UnitId(u as u16),
                g.profession,
                group,
                member,
            ));
            ledgers.push(StaffLedger {
                unit: u as u16,
                profession: g.profession.0,
                duty_s,
                paid_leave_s,
                hired: member >= g.employed(),
                ..StaffLedger::default()
            });
        }
        let mut model = Model {
            sc,
            facts: UnitFacts::of_all(sc),
            warmup: sc.warmup_end(),
            horizon,
            doctor: sc.profession("doctor"),
            episodes,
            patients,
            slots: slot_of,
            free_slots,
            ended: Vec::new(),
            history,
            episode_tallies,
            contacts,
            keep_contacts,
            tallies,
            staff,
            ledgers,
            desks: Default::default(),
            demand: crate::model::flows::demand::Demand::reusing(arrival_layouts),
            phone: Default::default(),
            mobile: Default::default(),
            booking: crate::model::flows::booking::Booking::reusing(flows.booking, book_cache),
            supply,
            in_run,
            split,
        };
        crate::model::flows::init(&mut model, key, engine);
        model
    }

    /// Each unit's staff members (arena indexes, in arena order): one pass
    /// over the staff, not one per unit (a region has thousands).
    pub(crate) fn staff_by_unit(&self) -> Vec<Vec<usize>> {
        let mut of = vec![Vec::new(); self.sc.units.len()];
        for (s, m) in self.staff.iter().enumerate() {
            of[m.unit.index()].push(s);
        }
        of
    }

    /// The distance band (index in `Scenario::distance_bands`) of the
    /// patient with `seed` at `unit`, drawn from the patient's own stream;
    /// [`NO_BAND`] when the unit gives no bands.
    #[inline]
    pub(crate) fn distance_band(&self, unit: UnitId, seed: u64) -> u8 {
        let facts = &self.facts[unit.index()];
        if facts.distance.is_none() {
            return NO_BAND;
        }
        let i = PatientRng::new(seed, TAG_DISTANCE).pick_cumulative(facts.band_cumulative);
        facts.band_of[i]
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
        let id = PatientId(self.slots.len() as u32);
        let episode = Episode {
            unit,
            channel,
            category,
            age,
            distance: self.distance_band(unit, seed),
            moved: None,
            follow_up: false,
            arrived: now,
            end: EndState::InSystem,
            ended: SimTime::NEVER,
            first_staff_contact: SimTime::NEVER,
            patient_chosen_on: None,
            avoidable_emergency: false,
        };
        let state = PatientState {
            seed,
            at_desk: AtDesk::default(),
            call_back: OnCallBack::default(),
            booked: BookedPatient::default(),
        };
        let n_rules = self.sc.rules.len();
        let slot = match self.free_slots.pop() {
            Some(slot) => {
                let i = slot as usize;
                self.episodes[i] = HeldEpisode::new(episode);
                self.patients[i] = state;
                if n_rules > INLINE_RULES {
                    self.tallies.rule_first[i * n_rules..][..n_rules].fill(RuleFirst::NONE);
                }
                slot
            }
            None => {
                self.episodes.push(HeldEpisode::new(episode));
                self.patients.push(state);
                if n_rules > INLINE_RULES {
                    self.tallies
                        .rule_first
                        .extend(self.sc.rules.iter().map(|_| RuleFirst::NONE));
                }
                (self.episodes.len() - 1) as u32
            }
        };
        self.slots.push(slot);
        if self.keep_contacts {
            self.history.push(self.episodes[slot as usize].0.clone());
        }
        id
    }

    /// The patients whose episode ended in the event just handled leave
    /// the model: their episode is added to the tallies and their slot is
    /// freed. One still in a desk's queue stays until the run ends.
    fn leave(&mut self) {
        let mut ended = std::mem::take(&mut self.ended);
        for &p in &ended {
            let Some(slot) = self.slots.get(p) else {
                continue; // ended twice in one event
            };
            if !self.may_leave_desks(slot) {
                continue;
            }
            self.fold(p, slot);
            self.slots.remove(p);
            self.free_slots.push(slot as u32);
        }
        ended.clear();
        self.ended = ended;
    }

    /// Adds the episode of patient `p` (in `slot`) to the episode tallies
    /// (and keeps it, when asked to).
    #[inline(always)]
    fn fold(&mut self, p: PatientId, slot: usize) {
        let n_rules = self.sc.rules.len();
        let ep = &self.episodes[slot];
        if !self.in_run.unit(ep.unit.index()) {
            return; // a stand-in: its unit's run keeps the episode (`model/split.rs`)
        }
        self.episode_tallies.add(
            self.sc,
            ep,
            firsts_of(ep, &self.tallies.rule_first, slot, n_rules),
            self.warmup,
            self.horizon,
        );
        if self.keep_contacts {
            self.history[p.index()] = ep.0.clone();
        }
    }

    /// The first counted contact per guarantee rule of the patient in
    /// arena `slot`.
    pub(crate) fn rule_firsts(&self, slot: usize) -> &[RuleFirst] {
        let n = self.sc.rules.len();
        firsts_of(&self.episodes[slot], &self.tallies.rule_first, slot, n)
    }

    /// Closes an episode in `state`.
    pub(crate) fn end_episode(&mut self, p: PatientId, state: EndState, now: SimTime) {
        self.end_episode_at(p, self.slots.of(p), state, now);
    }

    /// [`Self::end_episode`] for a patient whose arena slot `slot` the
    /// caller holds.
    pub(crate) fn end_episode_at(
        &mut self,
        p: PatientId,
        slot: usize,
        state: EndState,
        now: SimTime,
    ) {
        debug_assert_eq!(self.slots.get(p), Some(slot));
        let ep = &mut self.episodes[slot];
        ep.end = state;
        ep.ended = now;
        self.ended.push(p);
    }

    /// Records a contact: updates the episode's firsts and the tallies the
    /// metrics read (and keeps the contact if asked to).
    pub(crate) fn record_contact(&mut self, c: ContactRecord) {
        self.record_contact_at(self.slots.of(c.patient), c);
    }

    /// [`Self::record_contact`] for a patient whose arena slot the caller
    /// holds (the drop-in desks': one lookup fewer per contact).
    pub(crate) fn record_contact_at(&mut self, slot: usize, c: ContactRecord) {
        self.record_contact_inline(slot, c);
    }

    /// [`Self::record_contact_at`], inlined into the caller: the desks'
    /// service start, where every drop-in customer's contact is recorded,
    /// saves the call (the other flows call it out of line).
    #[inline(always)]
    pub(crate) fn record_contact_inline(&mut self, slot: usize, c: ContactRecord) {
        debug_assert_eq!(self.slots.get(c.patient), Some(slot));
        // The episode looked up once, for its first staff contact and its
        // firsts per rule.
        let n_rules = self.sc.rules.len();
        let ep = &mut self.episodes[slot];
        if ep.first_staff_contact == SimTime::NEVER {
            ep.first_staff_contact = c.start;
        }
        let (category, arrived) = (ep.category, ep.arrived);
        let firsts = firsts_of_mut(ep, &mut self.tallies.rule_first, slot, n_rules);
        let this = RuleFirst::new(c.start.day() as u16, c.profession.0);
        // Only the rules that count this kind and profession.
        let mut rules = self.episode_tallies.rules_counting(c.kind, c.profession);
        while rules != 0 {
            let first = &mut firsts[rules.trailing_zeros() as usize];
            rules &= rules - 1;
            if first.day == RuleFirst::NONE.day {
                *first = this;
            }
        }
        self.tally(&c, category, arrived);
        if self.keep_contacts {
            self.contacts.push(c);
        }
    }

    /// Adds contact `c` (of a patient of `category` who first came at
    /// `arrived`) to the contact tallies; the filters are the metrics'
    /// (docs/output.md).
    #[inline(always)]
    fn tally(&mut self, c: &ContactRecord, category: CategoryId, arrived: SimTime) {
        let t = &mut self.tallies;
        // A mobile team's home visit is a visit too (`hembesök`, counted in
        // the published visits): without it a team's visits read as fewer.
        if c.start >= self.warmup && matches!(c.kind, ContactKind::Visit | ContactKind::HomeVisit) {
            t.visits[c.profession.index()] += 1;
        }
        if c.activity == Activity::Telephone {
            t.phone_waiting
                .add(c.requested.max(self.warmup), c.start.min(self.horizon));
        }
        // A drop-in's fast triage is not a wait of its own: the visit's
        // wait counts from the same first queue (docs/output.md).
        if c.requested < self.warmup || c.kind == ContactKind::DropInTriage {
            return;
        }
        let a = c.activity as usize;
        // Whole seconds: exact sums in any order (`SecondsSum`); the sums
        // over units (`wait`) are added up as the run ends.
        let wait_s = c.wait_s();
        t.wait_by_unit[c.unit.index()][a].add(wait_s);
        match c.activity {
            Activity::DropIn => {
                // 0/1 outcomes in integers (the same sums as `f64` 0/1s);
                // `wait_s > 60 thr` is `wait_s / 60.0 > thr` for whole
                // seconds and minutes.
                t.dropin_waited.add(u64::from(wait_s > 0));
                for (acc, &thr) in t
                    .dropin_over
                    .iter_mut()
                    .zip(&self.sc.dropin_wait_thresholds_minutes)
                {
                    acc.add(u64::from(wait_s > u64::from(thr) * 60));
                }
                t.dropin_by_profession[c.profession.index()].add(wait_s);
                t.dropin_by_category[category.index()].add(wait_s);
            }
            Activity::Remote => {
                let to_exam = c.start.saturating_since(arrived);
                t.remote_to_exam.add(to_exam);
                t.remote_to_exam_by_unit[c.unit.index()].add(to_exam);
            }
            _ => {}
        }
    }

    fn finish(mut self, handled: u64) -> Records {
        self.finish_answers();
        let (flows, book_cache) = crate::model::flows::finish(&mut self);
        let events = handled - self.split.echoes;
        // The flows' `finish` above added the time of work still going on.
        for (ledger, member) in self.ledgers.iter_mut().zip(&self.staff) {
            ledger.busy_s = member.busy_s;
        }
        // Layouts are kept for a run of every unit only: a region's linked
        // groups would each keep theirs (a round-the-clock stream's layout
        // is ≈ 240 kB), and a group's run is the region's cost, not a
        // model's setup.
        let all_units = (0..self.sc.units.len()).all(|u| self.in_run.unit(u));
        let arrival_layouts = if all_units {
            self.demand.take_layouts()
        } else {
            Vec::new()
        };
        // The patients still in the model (in the system when the run ends,
        // or ended but still named by a desk's queue).
        for id in 0..self.slots.len() {
            let p = PatientId(id as u32);
            if let Some(slot) = self.slots.get(p) {
                self.fold(p, slot);
            }
        }
        self.episode_tallies.settle();
        self.tallies.settle();
        let held = self.episodes.len();
        Records {
            episodes: self.history,
            contacts: self.contacts,
            tallies: self.tallies,
            episode_tallies: self.episode_tallies,
            scratch: ArenaScratch {
                episodes: self.episodes,
                slot_of: self.slots,
                free_slots: self.free_slots,
                engine: None,
            },
            staff: self.ledgers,
            observed_from: self.warmup,
            observed_to: self.horizon,
            events,
            flows,
            patients: self.patients,
            book_cache,
            group_books: Vec::new(),
            arrival_layouts,
            model_runs: vec![crate::model::records::ModelRun {
                units: self.in_run.units_simulated(),
                provider: self.in_run.has_stand_ins(),
                most_held: held,
                handled,
                seconds: 0.0, // timed by the caller, `run_in`
            }],
            lanes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario of one unit schedules every event from one emitter —
    /// its arrivals, desks, books, telephone, mobile team and the daily
    /// sample — so its events run in the engine's insertion order, as
    /// before events had emitters: its results did not change. A region
    /// uses one emitter per unit with events. (The engine counts emitters
    /// in builds with debug assertions, as the tests are.)
    #[test]
    #[cfg(debug_assertions)]
    fn a_single_units_events_all_come_from_one_emitter() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut paths = vec![
            root.join("default.toml"),
            root.join("doctor-short.toml"),
            root.join("validation/mmc.toml"),
        ];
        // Every shipped working-method preset.
        let methods = crate::serve::catalog::SHIPPED
            .iter()
            .filter(|(name, _, _)| name.starts_with("methods/"))
            .map(|(_, file, _)| root.join("..").join(file));
        paths.extend(methods);
        assert!(paths.len() > 10);
        let mut mobile = 0;
        for path in &paths {
            let sc = Scenario::load(Some(path), &[]).unwrap();
            assert_eq!(sc.units.len(), 1, "{}", path.display());
            mobile += sc.mobile_teams.len();
            let rec = run(&sc, 1, 0, Records::default(), false);
            assert!(rec.events > 0);
            let engine = rec.scratch.engine.as_ref().unwrap();
            assert_eq!(engine.emitters_used(), 1, "{}", path.display());
        }
        assert!(mobile > 0, "a preset with a mobile team is among them");
        let short = ["simulation.horizon_days=14", "simulation.warmup_days=7"].map(String::from);
        let region = Scenario::load(Some(&root.join("regions/stockholm.toml")), &short).unwrap();
        let groups = crate::model::linked::linked_groups(&region);
        let first = groups.iter().find(|g| g.units.len() > 2).unwrap();
        let key = StreamKey {
            seed: 1,
            scenario: &region.crn_key,
            replication: 0,
        };
        let rec = run_in(
            &region,
            &key,
            InRun::group(&region, first),
            Records::default(),
            false,
        );
        let engine = rec.scratch.engine.as_ref().unwrap();
        assert_eq!(engine.emitters_used(), first.units.len());
    }

    /// A booked patient's copy of their slot (what the visit reads instead
    /// of the book) is the book's slot after every event, with staff
    /// away and their patients moved to a colleague's time or rebooked.
    #[test]
    fn a_booked_patients_copy_of_their_slot_is_the_books() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let sets = [
            "supply.absence=true",
            "supply.on_absence=\"colleague\"",
            "simulation.horizon_days=120",
        ]
        .map(String::from);
        let sc = Scenario::load(Some(&root.join("methods/summer.toml")), &sets).unwrap();
        let key = StreamKey {
            seed: 3,
            scenario: &sc.crn_key,
            replication: 0,
        };
        let mut engine = Engine::new();
        let spare = Records::default();
        let mut model = Model::new(&sc, &key, &mut engine, spare, false, InRun::all(&sc));
        let (mut events, mut checked) = (0u64, 0u64);
        engine.run_until(model.horizon, |eng, ev| {
            crate::model::flows::handle(&mut model, eng, ev);
            if !model.ended.is_empty() {
                model.leave();
            }
            events += 1;
            if events.is_multiple_of(23) {
                let differ = crate::model::flows::booking::held_copies_that_differ(&model);
                assert!(differ.is_empty(), "after event {events}: {differ:?}");
                checked += 1;
            }
        });
        let rec = model.finish(engine.events_processed());
        let displaced = rec.flows.booking.ledger.displaced;
        assert!(
            checked > 1_000 && displaced > 0,
            "{checked} checks, {displaced} moved"
        );
    }

    /// A page of the id map goes once all its patients left and a later id
    /// exists; its ids then read as gone, and the others keep their slots.
    #[test]
    fn a_page_of_ids_goes_once_all_its_patients_left() {
        let mut slots = Slots::default();
        for i in 0..(2 * PAGE + 1) as u32 {
            slots.push(i % 7);
        }
        for i in 0..PAGE as u32 {
            if i != 5 {
                slots.remove(PatientId(i));
            }
        }
        assert!(slots.pages[0].is_some(), "patient 5 still holds page 0");
        assert_eq!(slots.get(PatientId(5)), Some(5));
        assert_eq!(slots.get(PatientId(4)), None);
        slots.remove(PatientId(5));
        assert!(slots.pages[0].is_none());
        assert_eq!(slots.get(PatientId(5)), None);
        assert_eq!(slots.of(PatientId(PAGE as u32 + 3)), (PAGE + 3) % 7);
        // The newest page stays while ids may still land in it.
        slots.remove(PatientId(2 * PAGE as u32));
        assert!(slots.pages[2].is_some());
        slots.push(1);
        assert_eq!(slots.len(), 2 * PAGE + 2);
        assert_eq!(slots.get(PatientId(2 * PAGE as u32 + 1)), Some(1));
    }
}
