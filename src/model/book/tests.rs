use proptest::prelude::*;

use super::*;

const RULES: ReleaseRules = ReleaseRules {
    acute_days: 0,
    short_notice_days: 3,
    regular_days: 28,
    web_days: 14,
    follow_up_days: 60,
};

fn at(day: u64, hour: u64, minute: u64) -> SimTime {
    SimTime::from_days(day) + hour * 3600 + minute * 60
}

fn set(ps: &[u8]) -> ProfessionSet {
    let mut s = ProfessionSet::EMPTY;
    for &p in ps {
        s.insert(ProfessionId(p));
    }
    s
}

const STAFF_BOOKABLE: SlotTypeSet =
    SlotTypeSet::of(&[SlotType::Acute, SlotType::ShortNotice, SlotType::Regular]);

fn small_book() -> AppointmentBook {
    let mut b = AppointmentBookBuilder::default();
    // Doctor (profession 0), staff 0: day 0 09:00 regular, day 1 08:00 acute, day 5 08:00 short notice.
    b.add_slot(
        StaffId(0),
        ProfessionId(0),
        at(0, 9, 0),
        1200,
        SlotType::Regular,
    );
    b.add_slot(
        StaffId(0),
        ProfessionId(0),
        at(1, 8, 0),
        1200,
        SlotType::Acute,
    );
    b.add_slot(
        StaffId(0),
        ProfessionId(0),
        at(5, 8, 0),
        1200,
        SlotType::ShortNotice,
    );
    // Nurse (profession 1), staff 1: day 0 08:30 regular, day 0 10:00 web.
    b.add_slot(
        StaffId(1),
        ProfessionId(1),
        at(0, 8, 30),
        1200,
        SlotType::Regular,
    );
    b.add_slot(
        StaffId(1),
        ProfessionId(1),
        at(0, 10, 0),
        1200,
        SlotType::Web,
    );
    b.build(RULES)
}

#[test]
fn earliest_across_professions_and_only_allowed_ones() {
    let book = small_book();
    let now = at(0, 7, 0);
    let far = SimTime::from_days(30);
    let both = book
        .earliest_free(now, now, far, set(&[0, 1]), STAFF_BOOKABLE)
        .unwrap();
    assert_eq!(book.slot(both).start, at(0, 8, 30));
    let doctor = book
        .earliest_free(now, now, far, set(&[0]), STAFF_BOOKABLE)
        .unwrap();
    assert_eq!(book.slot(doctor).start, at(0, 9, 0));
    assert_eq!(book.slot(doctor).profession, ProfessionId(0));
    // Web slots only for web types.
    let web = book
        .earliest_free(
            now,
            now,
            far,
            set(&[0, 1]),
            SlotTypeSet::of(&[SlotType::Web]),
        )
        .unwrap();
    assert_eq!(book.slot(web).start, at(0, 10, 0));
}

#[test]
fn release_rules_and_until() {
    let book = small_book();
    let far = SimTime::from_days(30);
    // The acute slot on day 1 is invisible on day 0 and visible on day 1.
    let acute = SlotTypeSet::of(&[SlotType::Acute]);
    assert!(
        book.earliest_free(at(0, 12, 0), at(0, 12, 0), far, set(&[0]), acute)
            .is_none()
    );
    assert!(
        book.earliest_free(at(1, 7, 0), at(1, 7, 0), far, set(&[0]), acute)
            .is_some()
    );
    // Short notice on day 5: bookable from day 2, not day 1.
    let short = SlotTypeSet::of(&[SlotType::ShortNotice]);
    assert!(
        book.earliest_free(at(1, 7, 0), at(1, 7, 0), far, set(&[0]), short)
            .is_none()
    );
    assert!(
        book.earliest_free(at(2, 7, 0), at(2, 7, 0), far, set(&[0]), short)
            .is_some()
    );
    // `until` is exclusive.
    let now = at(0, 7, 0);
    assert!(
        book.earliest_free(now, now, at(0, 8, 30), set(&[1]), STAFF_BOOKABLE)
            .is_none()
    );
    assert!(
        book.earliest_free(now, now, at(0, 8, 31), set(&[1]), STAFF_BOOKABLE)
            .is_some()
    );
}

#[test]
fn booking_hides_a_slot_and_release_restores_it() {
    let mut book = small_book();
    let now = at(0, 7, 0);
    let far = SimTime::from_days(30);
    let first = book
        .earliest_free(now, now, far, set(&[0, 1]), STAFF_BOOKABLE)
        .unwrap();
    book.book(first);
    assert!(!book.is_free(first));
    assert_eq!(book.free_count(ProfessionId(1), SlotType::Regular, 0), 0);
    let second = book
        .earliest_free(now, now, far, set(&[0, 1]), STAFF_BOOKABLE)
        .unwrap();
    assert_eq!(book.slot(second).start, at(0, 9, 0));
    book.release(first);
    assert_eq!(
        book.earliest_free(now, now, far, set(&[0, 1]), STAFF_BOOKABLE),
        Some(first)
    );
}

#[test]
fn nth_free_is_the_third_next_available() {
    let book = small_book();
    let now = at(0, 7, 0);
    let third = book
        .nth_free(
            now,
            3,
            set(&[0, 1]),
            SlotTypeSet::of(&[SlotType::Regular, SlotType::Web]),
        )
        .unwrap();
    assert_eq!(book.slot(third).start, at(0, 10, 0));
    assert!(
        book.nth_free(
            now,
            4,
            set(&[0, 1]),
            SlotTypeSet::of(&[SlotType::Regular, SlotType::Web])
        )
        .is_none()
    );
}
/// The rules, written as a scan over every slot laid out.
fn naive(
    book: &AppointmentBook,
    now: SimTime,
    from: SimTime,
    until: SimTime,
    ps: ProfessionSet,
    ts: SlotTypeSet,
) -> Vec<SlotId> {
    let mut v: Vec<SlotId> = book
        .slot_ids()
        .filter(|&id| {
            let s = book.slot(id);
            book.is_free(id)
                && s.start >= from
                && s.start < until
                && ps.contains(s.profession)
                && ts.contains(s.kind)
                && s.start.day() <= now.day() + RULES.days(s.kind) as u64
        })
        .collect();
    v.sort_by_key(|&id| {
        let s = book.slot(id);
        (s.start, s.profession, s.kind, s.staff, id)
    });
    v
}

/// Weekly runs from generated numbers: (staff, profession, weekdays,
/// start quarter, length in quarters, slot length in 10 minutes, type).
fn weekly_runs(runs: &[(u32, u8, u8, u32, u32, u32, usize)]) -> Vec<WeeklyRun> {
    runs.iter()
        .map(|&(staff, prof, days, start_q, len_q, slot_q, kind)| {
            let start_s = start_q * 900;
            WeeklyRun {
                staff: StaffId(staff),
                profession: ProfessionId(prof),
                block: WeeklyBlock {
                    days,
                    start_s,
                    end_s: (start_s + len_q * 900).min(86_400),
                },
                slot_s: slot_q * 600,
                kind: SlotType::ALL[kind],
            }
        })
        .filter(WeeklyRun::laid_out_by_day)
        .collect()
}

/// `n` generated runs' numbers for [`weekly_runs`].
fn run_numbers(
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = Vec<(u32, u8, u8, u32, u32, u32, usize)>> {
    prop::collection::vec(
        (
            0u32..4,
            0u8..3,
            1u8..128,
            0u32..96,
            1u32..97,
            1u32..5,
            0usize..5,
        ),
        n,
    )
}

/// Every slot laid out, field for field, with whether it is free.
fn laid(book: &AppointmentBook) -> Vec<(Slot, bool)> {
    book.slot_ids()
        .map(|id| (book.slot(id), book.is_free(id)))
        .collect()
}

proptest! {
    // A fixed seed keeps the test deterministic (the standard for every
    // statistical or generated test here).
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_201),
        ..ProptestConfig::default()
    })]
    /// The book's slots are in the order of a stable sort of the slots
    /// added by (day, profession, type, start, staff), whatever order they
    /// came in and with two books in one builder.
    #[test]
    fn slots_are_in_stable_sort_order(
        slots in prop::collection::vec((0u32..4, 0u8..3, 0u64..20, 0u64..16, 0usize..5, 1u32..4), 0..300),
        split in 0usize..300,
    ) {
        let mut b = AppointmentBookBuilder::default();
        let (first, second) = slots.split_at(split.min(slots.len()));
        for part in [first, second] {
            let mut want: Vec<_> = part
                .iter()
                .map(|&(staff, prof, day, quarter, kind, len)| {
                    let start = at(day, 8, quarter * 15);
                    b.add_slot(StaffId(staff), ProfessionId(prof), start, len * 300, SlotType::ALL[kind]);
                    (ProfessionId(prof), SlotType::ALL[kind], start, StaffId(staff), len * 300)
                })
                .collect();
            want.sort_by_key(|w| (w.2.day(), w.0, w.1, w.2, w.3));
            let mut book = b.take_book(RULES);
            book.start(|_, _| false);
            let got: Vec<_> = book
                .slot_ids()
                .map(|id| {
                    let s = book.slot(id);
                    (s.profession, s.kind, s.start, s.staff, s.length_s)
                })
                .collect();
            prop_assert_eq!(got, want);
        }
    }

    /// Days of more than 64 slots in a group keep a count, not bits: the
    /// search, the counts and `is_free` agree with a scan (and `is_free`
    /// with the bookings made) on days of up to 768 slots, 64 included,
    /// after bookings and releases.
    #[test]
    fn index_agrees_with_a_scan_on_long_days(
        staff_n in 1u32..48,
        quarters in 1u64..17,
        ops in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 0..400),
        queries in prop::collection::vec((0u64..3, 0u64..24, 0u64..4, 1u8..4, 0u64..72), 1..20),
    ) {
        let mut b = AppointmentBookBuilder::default();
        for staff in 0..staff_n {
            let kind = if staff % 3 == 0 { SlotType::ShortNotice } else { SlotType::Regular };
            for day in 0..3 {
                for quarter in 0..quarters {
                    b.add_slot(StaffId(staff), ProfessionId((staff % 2) as u8), at(day, 8, quarter * 15), 900, kind);
                }
            }
        }
        let mut book = b.build(RULES);
        let ids: Vec<SlotId> = book.slot_ids().collect();
        // Which slots are free, kept beside the book: `is_free` reads a
        // short day's entry and a long day's bitset, and must agree.
        let mut free = vec![true; ids.len()];
        for (i, to_free) in &ops {
            let k = i.index(ids.len());
            let id = ids[k];
            prop_assert_eq!(book.is_free(id), free[k]);
            if *to_free {
                book.release(id);
                free[k] = true;
            } else if book.is_free(id) {
                prop_assert_eq!(book.book(id), book.slot(id).start);
                free[k] = false;
            }
        }
        for (k, &f) in free.iter().enumerate() {
            prop_assert_eq!(book.is_free(ids[k]), f);
        }
        for prof in 0..2u8 {
            for kind in [SlotType::ShortNotice, SlotType::Regular] {
                for day in 0..3 {
                    let want = ids
                        .iter()
                        .filter(|&&id| {
                            let s = book.slot(id);
                            book.is_free(id) && s.profession.0 == prof && s.kind == kind && s.start.day() == day
                        })
                        .count() as u32;
                    prop_assert_eq!(book.free_count(ProfessionId(prof), kind, day), want);
                }
            }
        }
        for &(day, hour, span, pmask, later_h) in &queries {
            let now = at(day, hour.min(23), 0);
            let until = now + span * SimTime::DAY;
            let ps = ProfessionSet(pmask as u64);
            for from in [now, now + later_h * SimTime::HOUR] {
                let expect = naive(&book, now, from, until, ps, STAFF_BOOKABLE);
                let got = book.earliest_free(now, from, until, ps, STAFF_BOOKABLE);
                prop_assert_eq!(got, expect.first().copied());
            }
        }
    }

    /// A weekly book laid out from weekday templates is the book of the
    /// same runs cut into slots period by period (`Periods::from_weekly_on`,
    /// as the booking flow did) and laid out day by day, slot for slot,
    /// with days off, a horizon ending mid-week, blocks ending at midnight,
    /// overlapping blocks of one member, and two books in one builder.
    #[test]
    fn weekly_book_is_the_sorted_book(
        runs in run_numbers(0..12),
        off in prop::collection::vec(any::<u64>(), 4),
        horizon_days in 1u64..40,
        weekday in 0usize..7,
        lead in 0u64..10,
    ) {
        use crate::engine::{Calendar, Weekday};
        use crate::model::schedule::Periods;
        let calendar = Calendar::with_lead(Weekday::ALL[weekday], 0, lead);
        let horizon = SimTime::from_days(horizon_days);
        let runs = weekly_runs(&runs);
        let is_off = |s: StaffId, day: u64| day < 64 && off[s.0 as usize] >> day & 1 == 1;
        let mut b = AppointmentBookBuilder::default();
        for half in [&runs[..runs.len() / 2], &runs[..]] {
            for r in half {
                let periods = Periods::from_weekly_on(&[r.block], &calendar, horizon, |d| !is_off(r.staff, d));
                for &(start, end) in periods.as_slice() {
                    let mut t = start;
                    while t + r.slot_s as u64 <= end {
                        b.add_slot(r.staff, r.profession, t, r.slot_s, r.kind);
                        t += r.slot_s as u64;
                    }
                }
            }
            let mut want = b.take_book(RULES);
            let mut got = b.take_weekly_book(half, RULES, &calendar, horizon, is_off);
            prop_assert_eq!(got.is_empty(), want.is_empty());
            want.start(is_off);
            got.start(is_off);
            for day in 0..horizon_days {
                want.roll(day, day, is_off);
                got.roll(day, day, is_off);
                prop_assert_eq!(laid(&got), laid(&want));
            }
        }
    }

    #[test]
    fn index_agrees_with_a_scan(
        slots in prop::collection::vec((0u32..3, 0u8..3, 0u64..20, 0u64..16, 0usize..5), 0..200),
        booked in prop::collection::vec(any::<bool>(), 200),
        mut queries in prop::collection::vec((0u64..22, 0u64..24, 0u64..25, 0u8..8, 1u8..32, 1usize..5, 0u64..72), 1..20),
    ) {
        let mut b = AppointmentBookBuilder::default();
        for &(staff, prof, day, quarter, kind) in &slots {
            b.add_slot(StaffId(staff), ProfessionId(prof), at(day, 8, quarter * 15), 900, SlotType::ALL[kind]);
        }
        let mut book = b.build(RULES);
        let ids: Vec<SlotId> = book.slot_ids().collect();
        for (&id, &is_booked) in ids.iter().zip(&booked) {
            if is_booked {
                book.book(id);
            }
        }
        // The book rolls forward only: the queries in time order.
        queries.sort_by_key(|q| (q.0, q.1));
        for &(day, hour, span, pmask, tmask, n, later_h) in &queries {
            let now = at(day, hour.min(23), 0);
            book.roll(now.day(), now.day(), |_, _| false);
            let until = now + span * SimTime::DAY;
            let ps = ProfessionSet(pmask as u64);
            let ts = SlotTypeSet(tmask);
            // The very slot, ties included (lowest profession, type, staff),
            // from now and from a later time.
            for from in [now, now + later_h * SimTime::HOUR] {
                let expect = naive(&book, now, from, until, ps, ts);
                let got = book.earliest_free(now, from, until, ps, ts);
                prop_assert_eq!(got, expect.first().copied());
            }
            let all = naive(&book, now, now, SimTime::NEVER, ps, ts);
            let nth = book.nth_free(now, n, ps, ts).map(|s| book.slot(s).start);
            prop_assert_eq!(nth, all.get(n - 1).map(|&id| book.slot(id).start));
        }
    }

    /// A book rolled day by day answers every query as the same book laid
    /// out over the whole horizon at once (as books were before they
    /// rolled), slot id for slot id, as bookings, releases and follow-ups
    /// booked further ahead than the release rules move both; days off and
    /// planned absence come in as days are laid out.
    #[test]
    fn a_rolled_book_answers_as_the_whole_book(
        runs in run_numbers(1..10),
        off in prop::collection::vec(any::<u64>(), 4),
        horizon_days in 1u64..200,
        weekday in 0usize..7,
        max_lead in 0u64..150,
        ops in prop::collection::vec(
            (0u64..3, 0u64..24, 0u8..8, 1u8..32, 1usize..5, 0u64..40, 0u64..150, any::<prop::sample::Index>()),
            1..60,
        ),
    ) {
        use crate::engine::{Calendar, Weekday};
        let calendar = Calendar::with_lead(Weekday::ALL[weekday], 0, 0);
        let horizon = SimTime::from_days(horizon_days);
        let runs = weekly_runs(&runs);
        let is_off = |s: StaffId, day: u64| off[s.0 as usize] >> (day % 64) & 1 == 1;
        let mut b = AppointmentBookBuilder::default();
        let mut whole = b.take_weekly_book(&runs, RULES, &calendar, horizon, is_off);
        whole.reserve_days_ahead(None);
        whole.start(is_off);
        whole.roll(0, horizon_days, is_off);
        let mut rolled = b.take_weekly_book(&runs, RULES, &calendar, horizon, is_off);
        rolled.reserve_days_ahead(Some(max_lead));
        rolled.start(is_off);
        // Slot ids are places in each book's ring: the two books' answers
        // are compared as slots, and each books its own id.
        let slots = |book: &AppointmentBook, ids: Vec<SlotId>| -> Vec<Slot> {
            ids.into_iter().map(|id| book.slot(id)).collect()
        };
        let both = |r: Option<SlotId>, w: Option<SlotId>| -> Option<(SlotId, SlotId)> { r.zip(w) };
        let mut held: Vec<(SlotId, SlotId)> = Vec::new();
        let mut ever: Vec<(SlotId, SlotId)> = Vec::new();
        let mut day = 0;
        for &(skip, hour, pmask, tmask, n, later_d, lead, pick) in &ops {
            day += skip;
            let now = at(day, hour.min(23), 0);
            rolled.roll(now.day(), now.day(), is_off);
            // A slot whose day is gone stays gone: its place in the ring
            // may hold a later day by now, which must not change.
            if let Some(i) = ever.iter().position(|&(_, w)| whole.slot(w).start.day() < now.day()) {
                rolled.release(ever.swap_remove(i).0);
            }
            let ps = ProfessionSet(pmask as u64);
            let ts = SlotTypeSet(tmask);
            let until = now + (later_d + 1) * SimTime::DAY;
            let from = now + later_d * SimTime::HOUR;
            let found = whole.earliest_free(now, from, until, ps, ts);
            let rolled_found = rolled.earliest_free(now, from, until, ps, ts);
            prop_assert_eq!(rolled_found.map(|id| rolled.slot(id)), found.map(|id| whole.slot(id)));
            prop_assert_eq!(
                rolled.nth_free(now, n, ps, ts).map(|id| rolled.slot(id)),
                whole.nth_free(now, n, ps, ts).map(|id| whole.slot(id))
            );
            for staff in 0..4 {
                for prof in 0..3 {
                    let (s, p) = (StaffId(staff), ProfessionId(prof));
                    prop_assert_eq!(
                        rolled.earliest_free_of(s, p, now, from, until, ts).map(|id| rolled.slot(id)),
                        whole.earliest_free_of(s, p, now, from, until, ts).map(|id| whole.slot(id))
                    );
                    prop_assert_eq!(
                        slots(&rolled, rolled.slots_of(s, p, now.day())),
                        slots(&whole, whole.slots_of(s, p, now.day()))
                    );
                }
            }
            for prof in 0..3 {
                for kind in SlotType::ALL {
                    for d in now.day()..now.day() + 61 {
                        let p = ProfessionId(prof);
                        prop_assert_eq!(rolled.free_count(p, kind, d), whole.free_count(p, kind, d));
                    }
                }
            }
            if let Some((r, w)) = both(rolled_found, found) {
                prop_assert_eq!(rolled.hold(r, 7), whole.hold(w, 7));
                held.push((r, w));
                ever.push((r, w));
            }
            // A follow-up from `lead` days on: released by its own day.
            let released_by = now + (lead % (max_lead + 1)) * SimTime::DAY;
            rolled.roll(now.day(), released_by.day(), is_off);
            let follow = whole.earliest_free(released_by, released_by, SimTime::NEVER, ps, ts);
            let rolled_follow = rolled.earliest_free(released_by, released_by, SimTime::NEVER, ps, ts);
            prop_assert_eq!(rolled_follow.map(|id| rolled.slot(id)), follow.map(|id| whole.slot(id)));
            if let Some((r, w)) = both(rolled_follow, follow) {
                prop_assert_eq!(rolled.hold(r, 8), whole.hold(w, 8));
                held.push((r, w));
                ever.push((r, w));
            }
            // A cancellation of a booked time still ahead.
            held.retain(|&(_, w)| whole.slot(w).start >= now);
            if !held.is_empty() {
                let (r, w) = held.swap_remove(pick.index(held.len()));
                rolled.release(r);
                whole.release(w);
                prop_assert!(rolled.is_free(r) && whole.is_free(w));
                prop_assert_eq!(rolled.holder(r), whole.holder(w));
            }
        }
    }
}

/// The book's storage is bounded by how far ahead searches reach, not by
/// the horizon: ten years rolled day by day, every day's free slots
/// booked and follow-ups booked 84 days ahead, hold the same number of
/// slots as one year: a page for each day of a ring of 147 days (84 days
/// of lead + 60 of release + today, to whole weeks), each its weekday's
/// length.
#[test]
fn a_book_holds_the_days_ahead_not_the_horizon() {
    use crate::engine::{Calendar, Weekday};
    let calendar = Calendar::with_lead(Weekday::Monday, 0, 0);
    let runs = weekly_runs(&[
        (0, 0, 0b1_1111, 32, 32, 2, 2),
        (1, 0, 0b1_1111, 32, 16, 2, 4),
        (2, 1, 0b0_1111, 36, 16, 3, 2),
    ]);
    let capacity = |days: u64| {
        let mut b = AppointmentBookBuilder::default();
        let mut book =
            b.take_weekly_book(&runs, RULES, &calendar, SimTime::from_days(days), |_, _| {
                false
            });
        book.reserve_days_ahead(Some(84));
        book.start(|_, _| false);
        let mut capacities = Vec::new();
        let all = SlotTypeSet::of(&SlotType::ALL);
        for day in 0..days {
            let now = SimTime::from_days(day);
            book.roll(day, day + 84, |_, _| false);
            while let Some(id) = book.earliest_free(now, now, now + SimTime::DAY, set(&[0, 1]), all)
            {
                book.hold(id, 1);
            }
            let later = now + 84 * SimTime::DAY;
            if let Some(id) = book.earliest_free(later, later, SimTime::NEVER, set(&[0]), all) {
                book.hold(id, 2);
            }
            capacities.push(book.capacity());
        }
        capacities
    };
    let year = capacity(365);
    let decade = capacity(3650);
    // The ring: the 145 days a search reaches (today, 84 days to the
    // follow-up's lead, its 60 days of release), to whole weeks: 21. Each
    // place's page is its weekday's template: Monday to Thursday 44 slots,
    // Friday 36 (the third run works Monday to Thursday), the weekend none.
    let (mon_thu, fri) = (
        32 * 900 / 1200 + 16 * 900 / 1200 + 16 * 900 / 1800_usize,
        32 * 900 / 1200 + 16 * 900 / 1200_usize,
    );
    let ring = 21 * (4 * mon_thu + fri);
    assert!(year.iter().all(|&c| c == ring), "{:?}", &year[..3]);
    assert!(decade.iter().all(|&c| c == ring));
}

#[test]
fn a_restarted_book_is_the_book_as_started() {
    // Workers start their books again between replications instead of
    // copying a pristine one: the start must leave nothing of the last run
    // behind.
    let built = format!("{:?}", small_book());
    let mut book = small_book();
    let now = at(0, 7, 0);
    let far = SimTime::from_days(30);
    while let Some(s) = book.earliest_free(now, now, far, set(&[0, 1]), STAFF_BOOKABLE) {
        book.hold(s, 3);
    }
    assert_ne!(format!("{book:?}"), built);
    book.start(|_, _| false);
    assert_eq!(format!("{book:?}"), built);
}

#[test]
fn a_book_without_slots_holds_no_pages() {
    use crate::engine::{Calendar, Weekday};
    let calendar = Calendar::with_lead(Weekday::Monday, 0, 0);
    let mut b = AppointmentBookBuilder::default();
    let mut book = b.take_weekly_book(&[], RULES, &calendar, SimTime::from_days(365), |_, _| false);
    book.reserve_days_ahead(Some(84));
    book.start(|_, _| false);
    for day in 0..365 {
        book.roll(day, day + 84, |_, _| false);
        let now = SimTime::from_days(day);
        let all = SlotTypeSet::of(&SlotType::ALL);
        assert_eq!(
            book.earliest_free(now, now, SimTime::NEVER, set(&[0, 1]), all),
            None
        );
    }
    assert!(book.is_empty());
    assert_eq!(book.capacity(), 0);
    assert!(book.layout.is_none() && book.slots.is_empty());
}

/// A slot id names its place in the ring of pages, which a later day
/// takes over: releasing a slot whose day is gone (a late cancellation)
/// leaves the later day's slot at the same place as it is.
#[test]
fn a_gone_slot_leaves_its_place_s_later_day_alone() {
    use crate::engine::{Calendar, Weekday};
    let calendar = Calendar::with_lead(Weekday::Monday, 0, 0);
    // One member, every day, four 30-minute regular slots from 08:00.
    let runs = weekly_runs(&[(0, 0, 0b111_1111, 32, 8, 3, 2)]);
    let mut b = AppointmentBookBuilder::default();
    let mut book = b.take_weekly_book(&runs, RULES, &calendar, SimTime::from_days(400), |_, _| {
        false
    });
    book.reserve_days_ahead(Some(0));
    book.start(|_, _| false);
    let regular = SlotTypeSet::of(&[SlotType::Regular]);
    let first = |book: &AppointmentBook, day: u64| {
        let now = SimTime::from_days(day);
        book.earliest_free(now, now, now + SimTime::DAY, set(&[0]), regular)
            .unwrap()
    };
    let gone = first(&book, 0);
    book.hold(gone, 1);
    // The ring: 61 days (60 of release and today), to whole weeks.
    let later_day = 63;
    book.roll(later_day, later_day, |_, _| false);
    let later = first(&book, later_day);
    assert_eq!(book.index(later), book.index(gone), "the same place");
    assert_ne!(later, gone);
    book.hold(later, 2);
    book.release(gone);
    assert!(!book.is_free(later));
    assert_eq!(book.holder(later), Some(2));
    assert_eq!(
        book.free_count(ProfessionId(0), SlotType::Regular, later_day),
        3
    );
}
