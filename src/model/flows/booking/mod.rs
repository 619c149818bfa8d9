//! Booked visits: searching the unit's appointment book inside the case's
//! urgency window, the visit itself, no-shows (more likely the longer the
//! lead time) and rebooking; plus the daily "third next available" sample.
//!
//! `profession_neutral = true` searches every profession that may treat the
//! category (`treat`, by default those who may assess); false searches
//! doctors only (the old way; a category no doctor may treat keeps its own
//! list). When nothing is free inside the
//! window, the patient gets the earliest slot after it (`book_late`) or is
//! turned away (`overflow`).

pub mod continuity;
pub mod continuity_metrics;
mod ledger;
pub mod metrics;

pub use continuity::{ContinuityRecords, Ratio};
pub use ledger::{AccessSample, BookingLedger, BookingRecords, lead_bucket};

use rand::Rng as _;

use crate::engine::{Engine, PatientRng, RandomSource, SimTime, StreamKey};
use crate::model::book::{AppointmentBook, AppointmentBookBuilder, Slot, SlotId, WeeklyRun};
use crate::model::flows::Event;
use crate::model::records::{BookCache, ContactRecord};
use crate::model::sim::{Model, PRIORITY_NORMAL, TAG_SERVICE, observed};
use crate::vocab::ids::{PatientId, ProfessionId, ProfessionSet, StaffId, UnitId};
use crate::vocab::kinds::{Activity, ContactKind, EndState, Urgency};
use crate::vocab::slot::{SlotType, SlotTypeSet};

/// What happens to booked visits: `Event::Booking(what, patient)`; the daily
/// sample has no patient (its id is 0).
#[derive(Clone, Copy, Debug)]
pub(crate) enum BookingEvent {
    /// The time of the patient's booked visit.
    Visit,
    /// The patient cancels their booked visit.
    Cancel,
    /// The daily access sample of a unit's book (08:00; the id: the unit).
    DailySample,
    /// A staff member (the id) is away today, unplanned (07:00): their
    /// times are taken out and their patients moved or rebooked.
    StaffAway,
}

/// This flow's per-patient random-stream tags (see `flows::TAG_BLOCKS`;
/// the numbers are the ones they always had): web choice, follow-up,
/// patient-chosen wait, going elsewhere, and no-show and cancellation by
/// attempt.
pub const TAGS: [std::ops::Range<u64>; 4] = [5..7, 10..12, 100..200, 200..300];
const TAG_WEB: u64 = 5;
const TAG_FOLLOW_UP: u64 = 6;
const TAG_PATIENT_CHOICE: u64 = 10;
const TAG_ELSEWHERE: u64 = 11;
/// No-show draws use `TAG_NO_SHOW + attempt`.
const TAG_NO_SHOW: u64 = 100;
/// Cancellation draws use `TAG_CANCEL + attempt`.
const TAG_CANCEL: u64 = 200;

/// Every unit's appointment book and what booking has recorded:
/// `Model::booking`.
#[derive(Default)]
pub(crate) struct Booking {
    /// Per unit.
    books: Vec<AppointmentBook>,
    /// Attended, missed and cancelled visits.
    ledger: BookingLedger,
    /// Daily third-next-available samples.
    access: Vec<AccessSample>,
    /// Books as built, for the next replication.
    cache: BookCache,
    /// Listed patients, their named clinicians and visits.
    continuity: continuity::Continuity,
    /// The guarantee rule whose first counted contact is the episode's
    /// first contact (see [`first_contact_rule`]); continuity's profession
    /// breakdown reads it.
    first_contact_rule: Option<usize>,
    /// Daily access-sample events handled.
    daily_samples: u64,
    /// Continuity is on and some category's `continuity_wait_days` is above
    /// 0: a booking may wait for the named clinician (else
    /// `Model::prefer_named` has nothing to do all run).
    waits_for_named: bool,
}

/// What booking keeps per patient between booking and visit (a part of the
/// model's `PatientState`, in the patient's cache line, that only this flow
/// reads or writes).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BookedPatient {
    /// The booked slot.
    slot: u32,
    /// The booked slot's start (seconds: a book's starts fit 32 bits,
    /// `model/book.rs`), staff member and profession, copied when it is
    /// taken: the visit weeks later reads them here, not from the book,
    /// where the slot is out of every cache by then.
    start_s: u32,
    staff: u32,
    profession: u8,
    /// Booked visits so far (for no-show and cancellation draws).
    attempts: u8,
    /// The booked visit is by video.
    video: bool,
    /// When the visit was booked, seconds (before the horizon: 32 bits).
    booked_at_s: u32,
    /// The listed patient this is, plus one (0: not drawn yet).
    listed: u32,
}

impl BookedPatient {
    /// Holds slot `id` (`slot`): what the visit will read.
    fn hold(&mut self, id: SlotId, slot: &Slot) {
        self.slot = id.0;
        self.start_s = slot.start.0 as u32;
        self.staff = slot.staff.0;
        self.profession = slot.profession.0;
    }

    /// The held slot's start.
    fn start(&self) -> SimTime {
        SimTime(self.start_s as u64)
    }

    /// When the held slot was booked.
    fn booked_at(&self) -> SimTime {
        SimTime(self.booked_at_s as u64)
    }
}

impl Booking {
    /// Empty state reusing an earlier replication's buffers and book cache.
    pub(crate) fn reusing(spare: BookingRecords, cache: BookCache) -> Self {
        let BookingRecords { mut access, .. } = spare;
        access.clear();
        Booking {
            access,
            cache,
            ..Booking::default()
        }
    }
}

/// For tests: patients still waiting for a visit whose slot's copy (start,
/// staff, profession) differs from their book's slot, with the two.
#[cfg(test)]
pub(crate) fn held_copies_that_differ(model: &Model<'_>) -> Vec<(BookedPatient, Slot)> {
    let mut differ = Vec::new();
    for book in &model.booking.books {
        for (slot, p) in book.held() {
            let Some(ps) = model.slots.get(PatientId(p)) else {
                continue;
            };
            let booked = model.patients[ps].booked;
            if booked.slot != slot.0 || model.episodes[ps].end != EndState::InSystem {
                continue;
            }
            let held = book.slot(slot);
            let copy = (booked.start(), booked.staff, booked.profession);
            if copy != (held.start, held.staff.0, held.profession.0) {
                differ.push((booked, held));
            }
        }
    }
    differ
}

/// The first guarantee rule (key order) that counts every contact kind by
/// every profession: its first counted contact is the episode's first
/// contact (the built-in `contact_same_day`). `None` when no rule does: the
/// continuity metrics then have no profession breakdown.
pub(crate) fn first_contact_rule(sc: &crate::scenario::spec::Scenario) -> Option<usize> {
    sc.rules.iter().position(|r| {
        ContactKind::ALL.iter().all(|&k| r.kinds.contains(k))
            && (0..sc.professions.len()).all(|i| r.professions.contains(ProfessionId(i as u8)))
    })
}

/// Builds every unit's appointment book and schedules the first daily
/// access sample.
pub(crate) fn init(model: &mut Model<'_>, _key: &StreamKey<'_>, engine: &mut Engine<Event>) {
    model.init_books(engine);
    model.init_continuity();
}

/// Handles one of this flow's events.
#[inline]
pub(crate) fn handle(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    event: BookingEvent,
    p: PatientId,
) {
    match event {
        BookingEvent::Visit => model.visit(engine, p),
        BookingEvent::Cancel => model.cancel(engine, p),
        BookingEvent::DailySample => model.daily_sample(engine, p.0 as usize),
        BookingEvent::StaffAway => model.staff_away(engine, p.0 as usize),
    }
}

/// Handoff: patient `p` needs a visit (after triage, a mobile team that
/// serves no one there, a drop-in closing with `at_closing = "book"`):
/// book one now, inside the urgency window if possible.
pub(crate) fn book(model: &mut Model<'_>, engine: &mut Engine<Event>, p: PatientId) {
    model.book_visit(engine, p);
}

/// Handoff: as [`book`], a visit by video (triage outcome `video`).
pub(crate) fn book_video(model: &mut Model<'_>, engine: &mut Engine<Event>, p: PatientId) {
    let slot = model.slots.of(p);
    model.patients[slot].booked.video = true;
    model.book_visit(engine, p);
}

/// Handoff: a new contact through web booking picks a released web slot.
pub(crate) fn web_book(model: &mut Model<'_>, engine: &mut Engine<Event>, p: PatientId) {
    model.web_book(engine, p);
}

/// Handoff: the unit books planned patient `p` (`kallelse`, recorded as a
/// planned follow-up, outside the guarantee) with `profession`, from
/// `lead_days` days on.
pub(crate) fn book_planned(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    p: PatientId,
    profession: ProfessionId,
    lead_days: f64,
) {
    let ps = model.slots.of(p);
    model.episodes[ps].follow_up = true;
    let from = SimTime::from_days(engine.now().day() + whole_days_at_least_one(lead_days));
    model.book_follow_up(engine, p, ps, profession, from, None);
}

/// End of the run: the ledger and samples, and the book cache for the next
/// replication.
pub(crate) fn finish(model: &mut Model<'_>) -> (BookingRecords, BookCache) {
    let mut b = std::mem::take(&mut model.booking);
    // The used books go back to the worker, to be reset by its next replication.
    b.cache.books = std::mem::take(&mut b.books);
    (
        BookingRecords {
            ledger: b.ledger,
            access: b.access,
            continuity: b.continuity.finish(),
            daily_samples: b.daily_samples,
        },
        b.cache,
    )
}

/// Slot types staff book for triaged patients, by urgency: acute and
/// short-notice slots are kept for cases that must be seen within 3 days,
/// as units reserve them; less urgent cases wait for regular slots.
fn staff_bookable(urgency: Urgency) -> SlotTypeSet {
    match urgency {
        Urgency::SameDay | Urgency::Within3Days => {
            SlotTypeSet::of(&[SlotType::Acute, SlotType::ShortNotice, SlotType::Regular])
        }
        Urgency::Within2Weeks | Urgency::Planned => SlotTypeSet::of(&[SlotType::Regular]),
    }
}
/// Slot types the access measure counts (acute slots are released on the day).
const ACCESS_TYPES: SlotTypeSet = SlotTypeSet::of(&[SlotType::ShortNotice, SlotType::Regular]);
/// Slot types the access measure counts for a profession with no access
/// types: its planned follow-up slots.
const PLANNED_TYPES: SlotTypeSet = SlotTypeSet::of(&[SlotType::FollowUp]);

/// A drawn lead time in whole days, at least 1: `days` rounded half away
/// from zero, as `days.round().max(1.0) as u64` gives for every `f64`
/// (test). Written out because `f64::round` is a call into soft-float code
/// on baseline x86-64 (no SSE4.1 `roundsd`), for every planned visit and
/// follow-up; the truncating conversion is one instruction.
fn whole_days_at_least_one(days: f64) -> u64 {
    // Below 1 and NaN: 0, then 1; from 2^64 on: `u64::MAX`. The part
    // after the point is exact (a float minus its truncation is).
    let whole = days as u64;
    let up = days - whole as f64 >= 0.5;
    whole.saturating_add(up as u64).max(1)
}

/// How many days ahead of the booking a follow-up or a planned visit
/// looks for times from, at most: the longest upper end of the scenario's
/// lead-time distributions, or `None` when one has no upper end (a book's
/// ring then holds the whole horizon).
fn booked_ahead_days(sc: &crate::scenario::spec::Scenario) -> Option<u64> {
    let follow_ups = sc
        .categories
        .iter()
        .filter_map(|c| c.follow_up_days.as_ref());
    let planned = sc
        .units
        .iter()
        .flat_map(|u| u.planned.iter().map(|p| &p.lead_days));
    follow_ups
        .chain(planned)
        .map(|d| d.upper_bound().map(whole_days_at_least_one))
        .try_fold(0, |most, days| Some(most.max(days?)))
}

/// Whether staff member `s` has no times in the books on `day`: a day off
/// (known in advance), or planned absence when the scenario has absence
/// (its times taken out before anyone books).
fn book_off(supply: &crate::model::supply::Roster, absence: bool, s: StaffId, day: u64) -> bool {
    let s = s.0 as usize;
    supply.off(s, day) || (absence && supply.planned(s, day))
}

/// The end of the urgency window for a case seen on `day`.
fn window_end(urgency: Urgency, day: u64) -> SimTime {
    let days = match urgency {
        Urgency::SameDay => 1,
        Urgency::Within3Days => 4,
        Urgency::Within2Weeks => 15,
        Urgency::Planned => 91,
    };
    SimTime::from_days(day + days)
}

impl Model<'_> {
    /// Builds every unit's appointment book from its staff's visit blocks and
    /// schedules the first daily access sample.
    fn init_books(&mut self, engine: &mut Engine<Event>) {
        let key = self.books_key();
        if self.booking.cache.key == key && self.booking.cache.books.len() == self.sc.units.len() {
            // Same inputs as the last replication's: reset its books, don't
            // rebuild (and keep no second copy: a region's books are large).
            self.booking.books = std::mem::take(&mut self.booking.cache.books);
        } else {
            self.booking.cache.books.clear();
            self.build_books();
            self.booking.cache.key = key;
        }
        // Every book from day 0, all free, planned absence taken out, its
        // ring as long as follow-ups and planned visits book ahead.
        let absence = self.planned_absence();
        let supply = &self.supply;
        let ahead = booked_ahead_days(self.sc);
        for book in &mut self.booking.books {
            book.reserve_days_ahead(ahead);
            book.start(|s, day| book_off(supply, absence, s, day));
        }
        // Each book's own sample event (the unit's emitter): a unit's
        // sample keeps its place among its own events, and before a later
        // unit's, whatever else runs beside it (`model/linked.rs`).
        for (u, book) in self.booking.books.iter().enumerate() {
            if !book.is_empty() {
                engine.schedule_from(
                    SimTime::from_hours(8),
                    PRIORITY_NORMAL,
                    u as u16,
                    Event::Booking(BookingEvent::DailySample, PatientId(u as u32)),
                );
            }
        }
        self.init_absence(engine);
    }

    /// Whether planned absence takes staff members' times out of the books.
    fn planned_absence(&self) -> bool {
        self.sc.supply.as_ref().is_some_and(|s| s.absence)
    }

    /// Rolls unit `u`'s book to `today` for a search for times released
    /// by day `released_by` (see [`AppointmentBook::roll`]): the book lays
    /// out the days it reads as it reaches them.
    #[inline]
    fn roll_book(&mut self, u: usize, today: u64, released_by: u64) {
        let (sc, supply) = (self.sc, &self.supply);
        // (Absence is looked up only when a day is laid out.)
        let absence = || sc.supply.as_ref().is_some_and(|s| s.absence);
        self.booking.books[u].roll(today, released_by, |s, day| {
            book_off(supply, absence(), s, day)
        });
    }

    /// Staff supply in the books: planned absence (known in advance) is
    /// taken out as the books lay out their days ([`book_off`]); each day
    /// of unplanned absence gets its morning event.
    fn init_absence(&mut self, engine: &mut Engine<Event>) {
        if !self.planned_absence() {
            return;
        }
        for s in 0..self.staff.len() {
            let m = &self.staff[s];
            let u = m.unit.index();
            if m.group >= self.sc.units[u].staff.len()
                || self.sc.units[u].staff[m.group].visit_slots.is_empty()
            {
                continue;
            }
            for day in self.supply.absent_days(s, true) {
                engine.schedule_from(
                    SimTime::from_days(day) + 7 * SimTime::HOUR,
                    PRIORITY_NORMAL,
                    u as u16,
                    Event::Booking(BookingEvent::StaffAway, PatientId(s as u32)),
                );
            }
        }
    }

    /// Staff member `s` is away today (unplanned): their free times are
    /// taken, and each booked patient is moved to a colleague's free time
    /// today or booked again (`on_absence`).
    fn staff_away(&mut self, engine: &mut Engine<Event>, s: usize) {
        let now = engine.now();
        let m = &self.staff[s];
        let (u, profession) = (m.unit.index(), m.profession);
        let colleague = self
            .sc
            .supply
            .as_ref()
            .is_some_and(|x| x.on_absence == crate::scenario::supply::OnAbsence::Colleague);
        self.roll_book(u, now.day(), now.day());
        let slots = self.booking.books[u].slots_of(StaffId(s as u32), profession, now.day());
        let mut displaced = Vec::new();
        for slot in slots {
            let book = &mut self.booking.books[u];
            if book.is_free(slot) {
                book.book(slot);
                continue;
            }
            let Some(p) = book.holder(slot) else {
                continue;
            };
            // Only a patient still holding this time (not one who cancelled
            // or was moved earlier) and still waiting for it.
            let held = self.slots.get(PatientId(p)).is_some_and(|ps| {
                self.patients[ps].booked.slot == slot.0
                    && self.episodes[ps].end == EndState::InSystem
            });
            if held && book.slot(slot).start >= now {
                displaced.push((PatientId(p), slot));
            }
        }
        for (p, old) in displaced {
            if now >= self.warmup {
                self.booking.ledger.displaced += 1;
            }
            let start = self.booking.books[u].slot(old).start;
            let end_of_day = SimTime::from_days(now.day() + 1);
            let mut only = ProfessionSet::EMPTY;
            only.insert(profession);
            let moved = colleague
                .then(|| {
                    self.booking.books[u].earliest_free(
                        now,
                        start,
                        end_of_day,
                        only,
                        SlotTypeSet::of(&SlotType::ALL),
                    )
                })
                .flatten();
            match moved {
                Some(slot) => {
                    // The same visit with a colleague: the patient's pending
                    // visit or cancellation keeps its draws.
                    let held = self.booking.books[u].hold(slot, p.0);
                    let ps = self.slots.of(p);
                    self.patients[ps].booked.hold(slot, &held);
                    let new_start = held.start;
                    if new_start != start {
                        engine.schedule_from(
                            new_start,
                            PRIORITY_NORMAL,
                            u as u16,
                            Event::Booking(BookingEvent::Visit, p),
                        );
                    }
                }
                None => {
                    // Booked again (its own draws): a new patient as a new
                    // booking; a planned follow-up or visit as what it is —
                    // the same profession, in follow-up or regular times
                    // from today on, its clinician preferred — not as a new
                    // contact (which could move a nurse's planned check-up
                    // to a doctor, or draw a patient-chosen later time).
                    let ps = self.slots.of(p);
                    let b = &mut self.patients[ps].booked;
                    b.attempts = b.attempts.saturating_add(1);
                    if self.episodes[ps].follow_up {
                        let away = Some(StaffId(s as u32));
                        self.book_follow_up(engine, p, ps, profession, now, away);
                    } else {
                        self.book_visit(engine, p);
                    }
                }
            }
        }
    }

    /// A fingerprint (FNV-1a) of everything the books are built from: the
    /// calendar, the horizon, and per unit its release rules and its staff's
    /// professions and visit blocks in arena order.
    fn books_key(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |x: u64| {
            for b in x.to_le_bytes() {
                h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(self.horizon.0);
        eat(self.sc.calendar.weekday(0).index() as u64);
        eat(self.sc.calendar.month(0) as u64);
        eat(self.sc.calendar.day_of_year(0));
        let staff_of = self.staff_by_unit();
        for (u, unit) in self.sc.units.iter().enumerate() {
            // A linked group's books are its units' only (`model/linked.rs`).
            eat(self.in_run.unit(u) as u64);
            let r = unit.booking.rules;
            for d in [
                r.acute_days,
                r.short_notice_days,
                r.regular_days,
                r.web_days,
                r.follow_up_days,
            ] {
                eat(d as u64);
            }
            for &s in &staff_of[u] {
                let m = &self.staff[s];
                if m.group >= unit.staff.len() {
                    continue;
                }
                eat(s as u64);
                eat(m.profession.0 as u64);
                for &(block, slot_s, kind) in &unit.staff[m.group].visit_slots {
                    eat(block.days as u64);
                    eat(block.start_s as u64);
                    eat(block.end_s as u64);
                    eat(slot_s as u64);
                    eat(kind as u64);
                }
                // Days off known in advance (dated head counts, summer
                // leave, holidays, vacancies, hired staff's contracts).
                eat(m.member as u64);
                for &w in self.supply.off_words(s) {
                    eat(w);
                }
            }
            eat(u64::MAX); // unit separator
        }
        h
    }

    /// Builds every unit's appointment book from its staff's visit blocks:
    /// from weekday templates (`take_weekly_book`, no sort of the slots)
    /// unless a block's slots run on across midnight.
    fn build_books(&mut self) {
        self.booking.books.clear();
        let staff_of = self.staff_by_unit();
        let mut builder = AppointmentBookBuilder::default();
        let mut runs = Vec::new();
        let mut books = Vec::with_capacity(self.sc.units.len());
        for (u, unit) in self.sc.units.iter().enumerate() {
            runs.clear();
            for &s in &staff_of[u] {
                let m = &self.staff[s];
                runs.extend(unit.staff[m.group].visit_slots.iter().map(
                    |&(block, slot_s, kind)| WeeklyRun {
                        staff: StaffId(s as u32),
                        profession: m.profession,
                        block,
                        slot_s,
                        kind,
                    },
                ));
            }
            let book = if runs.iter().all(WeeklyRun::laid_out_by_day) {
                let supply = &self.supply;
                builder.take_weekly_book(
                    &runs,
                    unit.booking.rules,
                    &self.sc.calendar,
                    self.horizon,
                    |s, day| supply.off(s.0 as usize, day),
                )
            } else {
                for r in &runs {
                    let s = r.staff.0 as usize;
                    for &(start, end) in self.book_periods(s, &[r.block]).as_slice() {
                        let mut t = start;
                        while t + r.slot_s as u64 <= end {
                            builder.add_slot(r.staff, r.profession, t, r.slot_s, r.kind);
                            t += r.slot_s as u64;
                        }
                    }
                }
                builder.take_book(unit.booking.rules)
            };
            books.push(book);
        }
        self.booking.books = books;
    }

    /// Gives the listed patients their named clinicians (when the scenario
    /// has continuity): each staff member's weekly visit hours weigh their
    /// list; hired members and members outside the units' groups get none.
    fn init_continuity(&mut self) {
        if self.sc.units.iter().all(|u| u.continuity.is_none()) {
            self.booking.continuity = continuity::Continuity::default();
            self.booking.waits_for_named = false;
            return;
        }
        let staff: Vec<_> = self
            .staff
            .iter()
            .map(|m| {
                let g = self.sc.units[m.unit.index()].staff.get(m.group);
                let hours = g.map_or(0.0, |g| {
                    g.visit_slots
                        .iter()
                        .map(|(b, _, _)| {
                            b.days.count_ones() as f64 * (b.end_s - b.start_s) as f64 / 3600.0
                        })
                        .sum()
                });
                let employed = g.is_some_and(|g| m.member < g.employed());
                (m.unit, m.profession, hours, employed)
            })
            .collect();
        self.booking.continuity = continuity::Continuity::build(self.sc, self.doctor, &staff);
        self.booking.first_contact_rule = first_contact_rule(self.sc);
        self.booking.waits_for_named = self.booking.continuity.on()
            && self
                .sc
                .categories
                .iter()
                .any(|c| c.continuity_wait_days > 0);
    }

    /// The listed patient that the patient in arena slot `ps` is, drawn on
    /// first use ([`continuity::NOBODY`] in a unit without listed patients).
    #[inline]
    fn listed_of(&mut self, ps: usize) -> u32 {
        let known = self.patients[ps].booked.listed;
        if known != 0 {
            return known - 1;
        }
        self.draw_listed(ps)
    }

    /// [`Self::listed_of`]'s first use: the draw (out of line, so the
    /// known case stays a read in its callers).
    #[inline(never)]
    fn draw_listed(&mut self, ps: usize) -> u32 {
        let ep = &self.episodes[ps];
        let listed = self
            .booking
            .continuity
            .draw(self.patients[ps].seed, ep.unit, ep.age);
        if listed != continuity::NOBODY {
            self.patients[ps].booked.listed = listed + 1;
        }
        listed
    }

    /// Continuity: the patient in arena slot `ps` was found `found`; within the category's
    /// `continuity_wait_days` they take their clinician's earliest free
    /// time instead (`clinician`, a follow-up's, or else the named doctor
    /// when `professions` has doctors, else the named contact). Counts the
    /// booking and the extra wait after the warm-up.
    #[inline]
    fn prefer_named(
        &mut self,
        now: SimTime,
        ps: usize,
        found: SlotId,
        professions: ProfessionSet,
        types: SlotTypeSet,
        clinician: Option<StaffId>,
    ) -> SlotId {
        // Fixed for the run: without a tolerance anywhere every booking
        // keeps what it found, at the cost of a load and a branch.
        if !self.booking.waits_for_named {
            return found;
        }
        self.prefer_named_within_tolerance(now, ps, found, (professions, types), clinician)
    }

    /// [`Self::prefer_named`] in a run where some category waits for its
    /// named clinician; `searched`: the professions and slot types that
    /// found `found`.
    fn prefer_named_within_tolerance(
        &mut self,
        now: SimTime,
        ps: usize,
        found: SlotId,
        searched: (ProfessionSet, SlotTypeSet),
        clinician: Option<StaffId>,
    ) -> SlotId {
        let (professions, types) = searched;
        // `waits_for_named` holds only with continuity on.
        debug_assert!(self.booking.continuity.on());
        let (unit, category, age) = {
            let ep = &self.episodes[ps];
            (ep.unit, ep.category, ep.age)
        };
        let tolerance = self.sc.category(category).continuity_wait_days;
        if tolerance == 0 {
            return found;
        }
        let wanted = match clinician {
            Some(c) => Some(c),
            None => {
                let listed = self.listed_of(ps);
                self.booking
                    .continuity
                    .named(listed)
                    .into_iter()
                    .filter(|&s| s != continuity::NOBODY)
                    .map(StaffId)
                    .find(|s| professions.contains(self.staff[s.index()].profession))
            }
        };
        let Some(wanted) = wanted else {
            return found;
        };
        let book = &self.booking.books[unit.index()];
        let earliest = book.slot(found);
        let take = if earliest.staff == wanted {
            found
        } else {
            let until = SimTime::from_days(earliest.start.day() + tolerance as u64 + 1);
            let profession = self.staff[wanted.index()].profession;
            book.earliest_free_of(wanted, profession, now, earliest.start, until, types)
                .unwrap_or(found)
        };
        if now >= self.warmup {
            let extra = SimTime(book.slot(take).start.0.saturating_sub(earliest.start.0));
            let groups = continuity::PatientGroups {
                unit: unit.index(),
                category: category.index(),
                age: age.index(),
            };
            self.booking.continuity.asked(extra, groups);
        }
        take
    }

    /// Counts a visit after the warm-up of the patient in arena slot `ps`
    /// with `staff` for continuity.
    fn count_continuity(&mut self, ps: usize, staff: StaffId, profession: ProfessionId) {
        let listed = self.listed_of(ps);
        if listed == continuity::NOBODY {
            return;
        }
        let ep = &self.episodes[ps];
        let first = self
            .booking
            .first_contact_rule
            .map(|r| self.rule_firsts(ps)[r])
            .filter(|f| f.day != crate::model::records::RuleFirst::NONE.day)
            .map(|f| f.profession as usize);
        let groups = continuity::PatientGroups {
            unit: ep.unit.index(),
            category: ep.category.index(),
            age: ep.age.index(),
        };
        let by_doctor = Some(profession) == self.doctor;
        self.booking
            .continuity
            .visit(listed, staff, by_doctor, groups, first);
    }

    /// Who may be booked for the patient in arena slot `ps`.
    fn bookable_professions(&self, ps: usize) -> ProfessionSet {
        let ep = &self.episodes[ps];
        let treat = self.sc.category(ep.category).treat;
        if self.facts[ep.unit.index()].profession_neutral {
            return treat;
        }
        match self.doctor {
            Some(d) if treat.contains(d) => {
                let mut only = ProfessionSet::EMPTY;
                only.insert(d);
                only
            }
            _ => treat,
        }
    }

    /// Books a visit for triaged patient `p` now, inside the urgency window
    /// if possible.
    fn book_visit(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        let now = engine.now();
        let ps = self.slots.of(p);
        let ep = &self.episodes[ps];
        let unit = ep.unit;
        let urgency = self.sc.category(ep.category).urgency;
        let professions = self.bookable_professions(ps);
        self.roll_book(unit.index(), now.day(), now.day());
        let book = &self.booking.books[unit.index()];
        let types = staff_bookable(urgency);
        // Some patients want a later time (holiday, work): they get the
        // earliest slot from the day they name, whatever the window. The
        // day is the stream's second draw, read (and so drawn) only when
        // the patient chooses; an acute (same-day) case does not wait by
        // choice (its stream is not drawn: it is the booking's own).
        let facts = &self.facts[unit.index()];
        let later_days = (urgency != Urgency::SameDay)
            .then(|| {
                let mut rng = PatientRng::new(self.patients[ps].seed, TAG_PATIENT_CHOICE);
                rng.bernoulli(facts.patient_chosen_share)
                    .then(|| facts.patient_chosen_days.sample(&mut rng).max(0.0) as u64)
            })
            .flatten()
            .unwrap_or(0);
        if later_days > 0 {
            let from = SimTime::from_days(now.day() + later_days);
            if let Some(slot) = book.earliest_free(now, from, SimTime::NEVER, professions, types) {
                // From the day they chose, the named clinician's time
                // within the category's tolerance, as staff booking does.
                let slot = self.prefer_named(now, ps, slot, professions, types, None);
                // The day of the choice: a rule whose deadline had passed
                // by then was not missed by choice (horizons fit in u16).
                self.episodes[ps].patient_chosen_on = Some(now.day() as u16);
                self.take_slot(engine, p, ps, unit, slot);
                return;
            }
        }
        let mut slot =
            book.earliest_free(now, now, window_end(urgency, now.day()), professions, types);
        // Web slots still free today go to staff booking for cases that
        // cannot wait (units release unbooked web times on the day).
        if matches!(urgency, Urgency::SameDay | Urgency::Within3Days) && facts.release_web_on_day {
            // Only a web slot before the one found is taken: searched so.
            let today_end = SimTime::from_days(now.day() + 1);
            let until = slot.map_or(today_end, |s| today_end.min(book.slot(s).start));
            let web = SlotTypeSet::of(&[SlotType::Web]);
            if let Some(w) = book.earliest_free(now, now, until, professions, web)
                && slot.is_none_or(|s| book.slot(w).start < book.slot(s).start)
            {
                slot = Some(w);
            }
        }
        // Web slots still free `web_return_days` before their day are
        // staff's again, for every triaged patient: one is taken when it
        // comes before the slot found (inside the window, or after it when
        // the unit books late).
        let returned = (facts.web_return_days > 0)
            .then(|| {
                let end = SimTime::from_days(now.day() + facts.web_return_days as u64 + 1);
                let web = SlotTypeSet::of(&[SlotType::Web]);
                book.earliest_free(now, now, end, professions, web)
            })
            .flatten();
        let in_window = |w: SlotId| book.slot(w).start < window_end(urgency, now.day());
        let book_late = facts.book_late;
        if slot.is_none() && book_late {
            slot = book.earliest_free(now, now, SimTime::NEVER, professions, types);
        }
        if let Some(w) = returned
            && (book_late || in_window(w))
            && slot.is_none_or(|s| book.slot(w).start < book.slot(s).start)
        {
            slot = Some(w);
        }
        let slot = slot.map(|s| self.prefer_named(now, ps, s, professions, types, None));
        match slot {
            Some(slot) if self.goes_elsewhere(now, ps, slot) => {
                self.end_episode_at(p, ps, EndState::WentElsewhere, now)
            }
            Some(slot) => self.take_slot(engine, p, ps, unit, slot),
            None => {
                let until = if book_late {
                    SimTime::NEVER
                } else {
                    window_end(urgency, now.day())
                };
                if !self.search_cut_by_horizon(unit, now, until, types) {
                    self.end_episode_at(p, ps, EndState::Overflow, now)
                }
            }
        }
    }

    /// Did a search of `unit`'s book at `now` for `types` up to `until`
    /// stop at the end of the run rather than at the end of what the book
    /// releases? A patient it found no time for might have had one after
    /// the horizon: they stay in the system (`in_system_at_end`), not
    /// `overflow` or a web booker's call, just as a patient still waiting
    /// in a queue does. Without this, every run's last days turned away
    /// patients that a longer run books.
    fn search_cut_by_horizon(
        &self,
        unit: UnitId,
        now: SimTime,
        until: SimTime,
        types: SlotTypeSet,
    ) -> bool {
        let reach = self.sc.units[unit.index()].booking.rules.reach(types);
        let released_until = SimTime::from_days(now.day() + reach as u64 + 1);
        until.min(released_until) > self.horizon
    }

    /// Does the patient in arena slot `ps`, offered `slot` by staff booking now, decline it as
    /// too far off and go to another provider? The chance rises with the
    /// offered wait (the category's `elsewhere_per_week`): what keeps a
    /// long wait for a physiotherapist or therapist stable where patients
    /// may choose another (free choice of provider, HSL 7 kap. 3 §).
    fn goes_elsewhere(&self, now: SimTime, ps: usize, slot: SlotId) -> bool {
        let ep = &self.episodes[ps];
        let per_week = self.sc.category(ep.category).elsewhere_per_week;
        // Follow-ups and planned visits are never declined (after a staff
        // absence they are rebooked by `book_follow_up`, not here).
        if per_week == 0.0 || ep.follow_up {
            return false;
        }
        let start = self.booking.books[ep.unit.index()].slot(slot).start;
        let days = start.day().saturating_sub(now.day()) as f64;
        let chance = (per_week * days / 7.0).min(1.0);
        // The patient's own draw: the same patient declines the same offer
        // in every scenario. A rebooking (after a no-show or a staff
        // absence) compares the same draw with the new offer's chance, so a
        // patient who took one offer declines another only if it is further
        // off.
        PatientRng::new(self.patients[ps].seed, TAG_ELSEWHERE).bernoulli(chance)
    }

    /// A web-booking patient picks a released web slot: a doctor's first with
    /// probability `web_prefer_doctor`, else the earliest of anyone's. With
    /// nothing released they phone instead (with nothing released before
    /// the run's end, when the web times reach past it, they stay).
    fn web_book(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        let now = engine.now();
        let ps = self.slots.of(p);
        let unit = self.episodes[ps].unit;
        let mut rng = PatientRng::new(self.patients[ps].seed, TAG_WEB);
        let wants_doctor = rng.bernoulli(self.facts[unit.index()].web_prefer_doctor);
        self.roll_book(unit.index(), now.day(), now.day());
        let book = &self.booking.books[unit.index()];
        let web = SlotTypeSet::of(&[SlotType::Web]);
        // Web booking offers each profession's times for the needs it
        // treats: a patient picks among the professions that may treat them.
        let allowed = self.sc.category(self.episodes[ps].category).treat;
        // The doctors' times (when the patient wants a doctor and one has
        // any), else everyone's the patient may see; and who was searched.
        let doctors = match (wants_doctor, self.doctor) {
            (true, Some(d)) if allowed.contains(d) => {
                let mut only = ProfessionSet::EMPTY;
                only.insert(d);
                book.earliest_free(now, now, SimTime::NEVER, only, web)
                    .map(|s| (s, only))
            }
            _ => None,
        };
        let found = doctors.or_else(|| {
            book.earliest_free(now, now, SimTime::NEVER, allowed, web)
                .map(|s| (s, allowed))
        });
        // The named clinician's web time within the category's tolerance,
        // among the professions the patient looked at, as phone booking does.
        let slot = found.map(|(s, searched)| self.prefer_named(now, ps, s, searched, web, None));
        match slot {
            Some(slot) => self.take_slot(engine, p, ps, unit, slot),
            None if self.search_cut_by_horizon(unit, now, SimTime::NEVER, web) => {}
            None => {
                if now >= self.warmup {
                    self.booking.ledger.web_to_phone += 1;
                }
                if self.facts[unit.index()].has_phone {
                    crate::model::flows::phone::call(self, engine, unit, p);
                } else {
                    self.end_episode(p, EndState::Overflow, now);
                }
            }
        }
    }

    /// Books `slot` of `unit`'s book (the patient's unit, which every
    /// caller has read already) for `p` (in arena slot `ps`) and schedules
    /// the visit (or the cancellation).
    fn take_slot(
        &mut self,
        engine: &mut Engine<Event>,
        p: PatientId,
        ps: usize,
        unit: UnitId,
        slot: SlotId,
    ) {
        debug_assert_eq!(self.episodes[ps].unit, unit);
        let now = engine.now();
        let book = &mut self.booking.books[unit.index()];
        let held = book.hold(slot, p.0);
        let start = held.start;
        let patient = &mut self.patients[ps];
        let seed = patient.seed;
        let booked = &mut patient.booked;
        booked.hold(slot, &held);
        booked.booked_at_s = now.0 as u32;
        let bucket = lead_bucket(now.day(), start.day());
        let chance = self.facts[unit.index()].cancellation[bucket];
        // A chance of 0 is never met (a uniform is never below 0): not
        // drawn; the stream is this booking's own, so no other draw moves.
        if chance > 0.0
            && PatientRng::new(seed, TAG_CANCEL + booked.attempts as u64).bernoulli(chance)
        {
            // Cancelled halfway between booking and visit: the slot goes back to the book.
            let at = SimTime(now.0 + (start.0 - now.0) / 2);
            engine.schedule_from(
                at,
                PRIORITY_NORMAL,
                unit.0,
                Event::Booking(BookingEvent::Cancel, p),
            );
        } else {
            engine.schedule_from(
                start,
                PRIORITY_NORMAL,
                unit.0,
                Event::Booking(BookingEvent::Visit, p),
            );
        }
    }

    /// Patient `p` cancels their visit.
    fn cancel(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        let now = engine.now();
        // A patient rebooked after a staff absence may have ended already.
        let Some(ps) = self.slots.get(p) else {
            return;
        };
        if self.episodes[ps].end != EndState::InSystem {
            return;
        }
        let unit = self.episodes[ps].unit;
        let booked = &self.patients[ps].booked;
        let (start, booked_at) = (booked.start(), booked.booked_at());
        self.booking.books[unit.index()].release(SlotId(booked.slot));
        if booked_at >= self.warmup {
            self.booking.ledger.cancelled[lead_bucket(booked_at.day(), start.day())] += 1;
        }
        self.end_episode(p, EndState::Cancelled, now);
    }

    /// The time of patient `p`'s booked visit has come.
    fn visit(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        let now = engine.now();
        // A visit moved or rebooked after a staff absence leaves its old
        // event behind (its patient may have left the model since): only the
        // event at the patient's current time counts.
        let Some(ps) = self.slots.get(p) else {
            return;
        };
        let unit = self.episodes[ps].unit;
        let booked = &mut self.patients[ps].booked;
        if booked.start() != now || self.episodes[ps].end != EndState::InSystem {
            return;
        }
        let (staff, profession) = (StaffId(booked.staff), ProfessionId(booked.profession));
        let attempts = booked.attempts;
        let booked_at = booked.booked_at();
        booked.attempts = attempts.saturating_add(1);
        let facts = &self.facts[unit.index()];
        let seed = self.patients[ps].seed;
        let bucket = lead_bucket(booked_at.day(), now.day());
        // Each attempt draws from its own stream: the same patient no-shows
        // the same way in every scenario with the same lead time.
        let mut rng = PatientRng::new(seed, TAG_NO_SHOW + attempts as u64);
        let no_show = rng.bernoulli(facts.no_show[bucket]);
        let counted = booked_at >= self.warmup;
        if no_show {
            // The stream's second draw, read only after a no-show.
            let rebook = rng.bernoulli(facts.rebook_after_no_show);
            if counted {
                self.booking.ledger.no_shows[bucket] += 1;
            }
            if rebook && !self.episodes[ps].follow_up {
                self.book_visit(engine, p);
            } else {
                self.end_episode_at(p, ps, EndState::NoShow, now);
            }
            return;
        }
        if counted {
            self.booking.ledger.attended[bucket] += 1;
        }
        let duration = self.visit_minutes(ps, profession);
        let duration = SimTime::from_seconds_f64(duration * 60.0).0;
        self.record_contact_at(
            ps,
            ContactRecord {
                patient: p,
                unit,
                activity: Activity::Visits,
                kind: if self.patients[ps].booked.video {
                    ContactKind::Video
                } else {
                    ContactKind::Visit
                },
                profession,
                requested: booked_at,
                start: now,
                duration_s: duration.min(u32::MAX as u64) as u32,
            },
        );
        // After the contact: a planned visit's first contact is this one.
        if self.booking.continuity.on() && now >= self.warmup {
            self.count_continuity(ps, staff, profession);
        }
        self.staff[staff.index()].busy_s[Activity::Visits as usize] +=
            observed(now, now + duration, self.warmup);
        self.end_episode_at(p, ps, EndState::Completed, now + duration);
        self.maybe_follow_up(engine, ps, profession, staff);
    }

    /// A visit may create a planned follow-up (`återbesök`) with the same
    /// profession: a new episode outside the guarantee, booked into
    /// follow-up or regular slots from the chosen day on.
    fn maybe_follow_up(
        &mut self,
        engine: &mut Engine<Event>,
        ps: usize,
        profession: ProfessionId,
        clinician: StaffId,
    ) {
        let now = engine.now();
        let ep = &self.episodes[ps];
        let (unit, channel, category_id, age) = (ep.unit, ep.channel, ep.category, ep.age);
        let category = self.sc.category(category_id);
        // A share of 0 is never met: no stream drawn. The day and the new
        // patient's seed come after this stream's first draw, whether or not
        // they are used: drawn only when used.
        if category.follow_up_share <= 0.0 {
            return;
        }
        let mut rng = PatientRng::new(self.patients[ps].seed, TAG_FOLLOW_UP);
        if !rng.bernoulli(category.follow_up_share) {
            return;
        }
        let days = category
            .follow_up_days
            .as_ref()
            .map_or(0.0, |d| d.sample(&mut rng));
        let seed = rng.next_u64();
        // The visit's patient comes back (drawn now, before the slot is reused).
        let listed = if self.booking.continuity.on() {
            self.listed_of(ps)
        } else {
            continuity::NOBODY
        };
        let f = self.new_patient(unit, channel, category_id, age, now, seed);
        let fs = self.slots.of(f);
        self.episodes[fs].follow_up = true;
        if listed != continuity::NOBODY {
            self.patients[fs].booked.listed = listed + 1;
        }
        let from = SimTime::from_days(now.day() + whole_days_at_least_one(days));
        self.book_follow_up(engine, f, fs, profession, from, Some(clinician));
    }

    /// Books planned patient `f` (in arena slot `fs`: every caller has
    /// looked it up) with `profession` into the first free
    /// follow-up or regular slot from `from` on (no end: a planned visit
    /// waits as long as it must). The times open to it are those released
    /// by its own day, not today: a follow-up due beyond the book's horizon
    /// (a doctor's chronic-care control in 28–84 days against 42 days of
    /// released regular times) is booked as a recall list books it once its
    /// day's times are out — before, it found nothing and was lost.
    fn book_follow_up(
        &mut self,
        engine: &mut Engine<Event>,
        f: PatientId,
        fs: usize,
        profession: ProfessionId,
        from: SimTime,
        clinician: Option<StaffId>,
    ) {
        debug_assert_eq!(self.slots.get(f), Some(fs));
        let now = engine.now();
        let unit = self.episodes[fs].unit;
        let mut only = ProfessionSet::EMPTY;
        only.insert(profession);
        let types = SlotTypeSet::of(&[SlotType::FollowUp, SlotType::Regular]);
        let released_by = SimTime(from.0.max(now.0));
        self.roll_book(unit.index(), now.day(), released_by.day());
        let slot = self.booking.books[unit.index()].earliest_free(
            released_by,
            from,
            SimTime::NEVER,
            only,
            types,
        );
        match slot.map(|s| self.prefer_named(now, fs, s, only, types, clinician)) {
            Some(slot) => self.take_slot(engine, f, fs, unit, slot),
            // The times searched run past the run's end: it would be
            // booked after the run, so it stays in the system, not lost.
            None if self.search_cut_by_horizon(unit, released_by, SimTime::NEVER, types) => {}
            None => self.end_episode_at(f, fs, EndState::Overflow, now),
        }
    }

    /// Service time for the patient in arena slot `ps` with `profession`, minutes; a profession without
    /// its own time for the category (possible when doctors-only booking
    /// meets a category doctors may not assess) uses the category's first.
    fn visit_minutes(&self, ps: usize, profession: ProfessionId) -> f64 {
        let category = self.sc.category(self.episodes[ps].category);
        let dist = category
            .service(profession)
            .or_else(|| category.service_minutes.iter().flatten().next());
        let mut rng = PatientRng::new(self.patients[ps].seed, TAG_SERVICE + profession.0 as u64);
        dist.map_or(0.0, |d| d.sample(&mut rng))
    }

    /// Samples unit `u`'s book's third next available slot per profession
    /// (on working days at 08:00: Monday to Friday, not a public holiday
    /// the units are closed, as regions measure it), then schedules
    /// tomorrow's sample.
    fn daily_sample(&mut self, engine: &mut Engine<Event>, u: usize) {
        let now = engine.now();
        self.booking.daily_samples += 1;
        engine.schedule_from(
            now + SimTime::DAY,
            PRIORITY_NORMAL,
            u as u16,
            Event::Booking(BookingEvent::DailySample, PatientId(u as u32)),
        );
        if now < self.warmup || !self.sc.is_working_day(now.day()) {
            return;
        }
        self.roll_book(u, now.day(), now.day());
        let book = &self.booking.books[u];
        for p in 0..self.sc.professions.len() {
            let prof = ProfessionId(p as u8);
            // The slots new patients book (short-notice and regular);
            // a book of planned slots only (an assistant nurse's sample
            // taking) is measured on its follow-up slots, so that its
            // backlog too is seen (a book with none of these is not
            // sampled: its days left to the end would read as a
            // shrinking backlog).
            let staff = &self.sc.units[u].staff;
            let has = |types: SlotTypeSet| {
                staff.iter().any(|g| {
                    g.profession == prof
                        && g.count > 0
                        && g.visit_slots.iter().any(|v| types.contains(v.2))
                })
            };
            let types = if has(ACCESS_TYPES) {
                ACCESS_TYPES
            } else if has(PLANNED_TYPES) {
                PLANNED_TYPES
            } else {
                continue;
            };
            let mut set = ProfessionSet::EMPTY;
            set.insert(prof);
            let days = book
                .nth_free(now, 3, set, types)
                .map(|s| (book.slot(s).start.0 - now.0) as f32 / SimTime::DAY as f32);
            self.booking.access.push(AccessSample {
                unit: u as u16,
                profession: p as u8,
                day: now.day() as u32,
                days,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_days_are_the_rounded_days_at_least_one() {
        let rounded = |d: f64| d.round().max(1.0) as u64;
        let edges = [
            0.0,
            -0.0,
            0.499_999_999_999_999_94,
            0.5,
            1.5,
            2.5,
            -0.5,
            -3.7,
            1e15 + 0.5,
            4_503_599_627_370_495.5,
            9_007_199_254_740_993.0,
            18_446_744_073_709_551_615.0,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ];
        for d in edges {
            assert_eq!(whole_days_at_least_one(d), rounded(d), "{d}");
        }
        // Every range of magnitudes, both signs, from random bit patterns,
        // and the lead times a scenario draws (days with fractions).
        let mut rng = PatientRng::new(17, 0);
        for _ in 0..100_000 {
            let d = f64::from_bits(rng.next_u64());
            assert_eq!(whole_days_at_least_one(d), rounded(d), "{d}");
            let d = rng.uniform() * 200.0 - 10.0;
            assert_eq!(whole_days_at_least_one(d), rounded(d), "{d}");
        }
    }
}
