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

/// The rules, written as a scan over every slot.
fn naive(
    book: &AppointmentBook,
    now: SimTime,
    from: SimTime,
    until: SimTime,
    ps: ProfessionSet,
    ts: SlotTypeSet,
) -> Vec<usize> {
    let mut v: Vec<usize> = (0..book.len())
        .filter(|&i| {
            let s = book.slot(SlotId(i as u32));
            book.is_free(SlotId(i as u32))
                && s.start >= from
                && s.start < until
                && ps.contains(s.profession)
                && ts.contains(s.kind)
                && s.start.day() <= now.day() + RULES.days(s.kind) as u64
        })
        .collect();
    v.sort_by_key(|&i| {
        let s = book.slot(SlotId(i as u32));
        (s.start, s.profession, s.kind, s.staff, i)
    });
    v
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
    /// added by (profession, type, start, staff), whatever order they came
    /// in and with two books built in one builder.
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
            want.sort_by_key(|w| (w.0, w.1, w.2, w.3));
            let book = b.take_book(RULES);
            let got: Vec<_> = (0..book.len())
                .map(|i| {
                    let s = book.slot(SlotId(i as u32));
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
        // Which slots are free, kept beside the book: `is_free` reads a
        // short day's entry and a long day's bitset, and must agree.
        let mut free = vec![true; book.len()];
        for (i, to_free) in &ops {
            let k = i.index(book.len());
            let id = SlotId(k as u32);
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
            prop_assert_eq!(book.is_free(SlotId(k as u32)), f);
        }
        for prof in 0..2u8 {
            for kind in [SlotType::ShortNotice, SlotType::Regular] {
                for day in 0..3 {
                    let want = (0..book.len())
                        .map(|i| SlotId(i as u32))
                        .filter(|&id| {
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
                let got = book.earliest_free(now, from, until, ps, STAFF_BOOKABLE).map(|s| s.0 as usize);
                prop_assert_eq!(got, expect.first().copied());
            }
        }
    }

    /// A weekly book built from weekday templates is the book of the same
    /// runs cut into slots period by period (`Periods::from_weekly_on`, as
    /// the booking flow did) and sorted, field for field, with days off,
    /// a horizon ending mid-week, blocks ending at midnight, overlapping
    /// blocks of one member, and two books in one builder.
    #[test]
    fn weekly_book_is_the_sorted_book(
        runs in prop::collection::vec(
            (0u32..4, 0u8..3, 1u8..128, 0u32..96, 1u32..97, 1u32..5, 0usize..5),
            0..12,
        ),
        off in prop::collection::vec(any::<u64>(), 4),
        horizon_days in 1u64..40,
        weekday in 0usize..7,
        lead in 0u64..10,
    ) {
        use crate::engine::{Calendar, Weekday};
        use crate::model::schedule::Periods;
        let calendar = Calendar::with_lead(Weekday::ALL[weekday], 0, lead);
        let horizon = SimTime::from_days(horizon_days);
        let runs: Vec<WeeklyRun> = runs
            .iter()
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
            .collect();
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
            let want = b.take_book(RULES);
            let got = b.take_weekly_book(half, RULES, &calendar, horizon, is_off);
            prop_assert_eq!(&got.slots, &want.slots);
            prop_assert_eq!(&got.shapes, &want.shapes);
            prop_assert_eq!(got.prof_mask, want.prof_mask);
            prop_assert_eq!(got.groups.len(), want.groups.len());
            for (g, w) in got.groups.iter().zip(&want.groups) {
                let days = |x: &Group| x.days.iter().map(|d| (d.first, d.len, d.free)).collect::<Vec<_>>();
                prop_assert_eq!(days(g), days(w));
                prop_assert_eq!(&g.open_days, &w.open_days);
            }
            prop_assert_eq!(&got.free, &want.free);
        }
    }

    #[test]
    fn index_agrees_with_a_scan(
        slots in prop::collection::vec((0u32..3, 0u8..3, 0u64..20, 0u64..16, 0usize..5), 0..200),
        booked in prop::collection::vec(any::<bool>(), 200),
        queries in prop::collection::vec((0u64..22, 0u64..24, 0u64..25, 0u8..8, 1u8..32, 1usize..5, 0u64..72), 1..20),
    ) {
        let mut b = AppointmentBookBuilder::default();
        for &(staff, prof, day, quarter, kind) in &slots {
            b.add_slot(StaffId(staff), ProfessionId(prof), at(day, 8, quarter * 15), 900, SlotType::ALL[kind]);
        }
        let mut book = b.build(RULES);
        for (i, &is_booked) in booked.iter().enumerate().take(book.len()) {
            if is_booked {
                book.book(SlotId(i as u32));
            }
        }
        for &(day, hour, span, pmask, tmask, n, later_h) in &queries {
            let now = at(day, hour.min(23), 0);
            let until = now + span * SimTime::DAY;
            let ps = ProfessionSet(pmask as u64);
            let ts = SlotTypeSet(tmask);
            // The very slot, ties included (lowest profession, type, staff),
            // from now and from a later time.
            for from in [now, now + later_h * SimTime::HOUR] {
                let expect = naive(&book, now, from, until, ps, ts);
                let got = book.earliest_free(now, from, until, ps, ts).map(|s| s.0 as usize);
                prop_assert_eq!(got, expect.first().copied());
            }
            let all = naive(&book, now, now, SimTime::NEVER, ps, ts);
            let nth = book.nth_free(now, n, ps, ts).map(|s| book.slot(s).start);
            prop_assert_eq!(nth, all.get(n - 1).map(|&i| book.slot(SlotId(i as u32)).start));
        }
    }
}

#[test]
fn a_reset_book_is_the_book_as_built() {
    // Workers reset their books between replications instead of copying a
    // pristine one: the reset must leave nothing of the last run behind.
    let built = format!("{:?}", small_book());
    let mut book = small_book();
    let now = at(0, 7, 0);
    let far = SimTime::from_days(30);
    while let Some(s) = book.earliest_free(now, now, far, set(&[0, 1]), STAFF_BOOKABLE) {
        book.book(s);
    }
    assert_ne!(format!("{book:?}"), built);
    book.reset();
    assert_eq!(format!("{book:?}"), built);
}
