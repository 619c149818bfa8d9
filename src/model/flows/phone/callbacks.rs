//! A unit's call-back times, laid out a window at a time as callers reach
//! them.
//!
//! The times are every telephone shift period of every nurse cut into
//! times of `callback_slot_minutes`, in (time, staff) order; a caller takes
//! the first at or after their call, and callers come in time order, so the
//! times are read once, front to back. Laid out for the whole horizon
//! before the first event (8 bytes a time, ≈ 24 000 a unit-year, and a
//! regional line's host holds every nurse of the units it answers), they
//! were written, sorted and copied in the model's setup and then read
//! weeks later, long out of the caches: at 100 Stockholm units that setup
//! cost the digital provider's group about a tenth of its last-level cache
//! misses and grew faster than the region (docs/performance-history.md,
//! twenty-second pass). The book lays out one window — a day from the
//! earliest time not laid out yet — when the last one is used up, and
//! each nurse's periods come from their group's week as the windows reach
//! them ([`WeeklyWalk`]), so the book holds a day's times and a walk per
//! nurse, not their periods of the horizon (a regional line's 254 nurses
//! held ≈ 1 MB a year of them; thirty-sixth pass). Windows partition time,
//! so taking them in turn gives the order of one sort of every time.

use crate::engine::{Calendar, SimTime};
use crate::model::schedule::{WeekTemplate, WeeklyWalk};
use crate::vocab::ids::StaffId;

/// Length of a window, seconds.
const WINDOW_S: u64 = 86_400;

/// Minutes in a window.
const MINUTES: usize = (WINDOW_S / 60) as usize;

/// A nurse with no times left.
const DONE: u64 = u64::MAX;

/// One unit's call-back times (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct CallBackBook {
    /// Length of a call-back time, seconds.
    slot: u64,
    /// The telephone weeks of the nurses' staff groups.
    weeks: Vec<WeekTemplate>,
    /// The nurses with telephone shifts, in staff order.
    nurses: Vec<Nurse>,
    /// The current window's times, `time << 32 | staff`, in order.
    times: Vec<u64>,
    /// First time of the window not yet handed out or passed.
    cursor: usize,
    /// The sort's scratch: the times in order, and the count of times per
    /// minute of the window ([`sort_by_minute`]).
    sorted: Vec<u64>,
    per_minute: Vec<u32>,
}

/// Where a nurse's times have been laid out to.
#[derive(Clone, Copy, Debug)]
struct Nurse {
    staff: u32,
    /// Their group's week in [`CallBackBook::weeks`].
    week: u32,
    /// The next time to lay out ([`DONE`] when none is left), and the end
    /// of its period.
    next: u64,
    period_end: u64,
    /// Their periods after that one.
    walk: WeeklyWalk,
}

impl CallBackBook {
    /// The book of times of `slot_s` seconds cut from each nurse's periods
    /// up to `horizon`: `nurses` is (staff index, their week in `weeks`),
    /// in staff order; `works(staff, day)` says whether they work that day.
    pub(crate) fn new(
        slot_s: u64,
        weeks: Vec<WeekTemplate>,
        nurses: &[(usize, usize)],
        (calendar, horizon): (&Calendar, SimTime),
        works: impl Fn(usize, u64) -> bool,
    ) -> Self {
        let mut book = CallBackBook {
            slot: slot_s,
            weeks,
            ..CallBackBook::default()
        };
        if slot_s == 0 {
            return book; // no times of no length
        }
        for &(s, week) in nurses {
            let mut nurse = Nurse {
                staff: s as u32,
                week: week as u32,
                next: DONE,
                period_end: 0,
                walk: WeeklyWalk::new(calendar, horizon),
            };
            start_period(&book.weeks, slot_s, &mut nurse, &works);
            book.nurses.push(nurse);
        }
        book
    }

    /// Hands out the first time at or after `now` (the times before it are
    /// passed), or `None` when no time is left before the horizon;
    /// `works(staff, day)` as given to [`CallBackBook::new`].
    #[inline]
    pub(crate) fn take_from(
        &mut self,
        now: SimTime,
        works: impl Fn(usize, u64) -> bool,
    ) -> Option<(SimTime, StaffId)> {
        loop {
            while let Some(&k) = self.times.get(self.cursor) {
                self.cursor += 1;
                if k >> 32 >= now.0 {
                    return Some((SimTime(k >> 32), StaffId(k as u32)));
                }
            }
            if !self.lay_out(&works) {
                return None;
            }
        }
    }

    /// Lays out the next window, a day from the earliest time not laid out
    /// yet; false when no time is left.
    #[inline(never)]
    fn lay_out(&mut self, works: &impl Fn(usize, u64) -> bool) -> bool {
        let Some(from) = self.nurses.iter().map(|n| n.next).min() else {
            return false;
        };
        if from == DONE {
            return false;
        }
        let to = from + WINDOW_S;
        let CallBackBook {
            slot,
            weeks,
            nurses,
            times,
            cursor,
            sorted,
            per_minute,
        } = self;
        let slot = *slot;
        times.clear();
        *cursor = 0;
        for n in nurses.iter_mut() {
            while n.next < to {
                times.push((n.next << 32) | n.staff as u64);
                n.next += slot;
                if n.next + slot > n.period_end {
                    start_period(weeks, slot, n, works);
                }
            }
        }
        sort_by_minute(times, sorted, per_minute, from);
        true
    }
}

/// Puts a window's `times` in (time, staff) order. The keys are `time <<
/// 32 | staff`, times in `[from, from + WINDOW_S)`, laid out nurse by
/// nurse in staff order and each nurse's in time order. A regional line's
/// day holds thousands (254 nurses), and a comparison sort of them cost
/// 2.6 % of its group's instructions, growing as `n log n` (fortieth
/// pass). From one time a minute on, a stable counting sort by the minute
/// of the window orders them in linear time: with clock-time shifts and
/// slots of whole minutes a minute holds at most one time per nurse, in
/// staff order already. A window the count leaves out of order (times off
/// the minute), or a smaller one, gets the comparison sort. The keys are
/// unique, so the order is that of any sort.
fn sort_by_minute(
    times: &mut Vec<u64>,
    sorted: &mut Vec<u64>,
    per_minute: &mut Vec<u32>,
    from: u64,
) {
    if times.len() < MINUTES {
        // Counting walks every minute of the window: a unit's own few
        // nurses lay out ≈ 200 times a day, sorted faster by comparison.
        times.sort_unstable();
        return;
    }
    count_by_minute(times, sorted, per_minute, from);
    if !times.is_sorted() {
        times.sort_unstable();
    }
}

/// [`sort_by_minute`]'s counting sort alone: `times` in the order of their
/// minute of the window, first come first within a minute.
fn count_by_minute(
    times: &mut Vec<u64>,
    sorted: &mut Vec<u64>,
    per_minute: &mut Vec<u32>,
    from: u64,
) {
    let minute = |k: u64| (((k >> 32) - from) / 60) as usize;
    per_minute.clear();
    per_minute.resize(MINUTES, 0);
    for &k in times.iter() {
        per_minute[minute(k)] += 1;
    }
    // Each minute's first place in the sorted times.
    let mut at = 0;
    for n in per_minute.iter_mut() {
        (*n, at) = (at, at + *n);
    }
    sorted.clear();
    sorted.resize(times.len(), 0);
    for &k in times.iter() {
        let m = &mut per_minute[minute(k)];
        sorted[*m as usize] = k;
        *m += 1;
    }
    std::mem::swap(times, sorted);
}

/// Moves `n` to the first time of its next period long enough for a time
/// of `slot` seconds; [`DONE`] when none is left.
fn start_period(
    weeks: &[WeekTemplate],
    slot: u64,
    n: &mut Nurse,
    works: &impl Fn(usize, u64) -> bool,
) {
    let (week, staff) = (&weeks[n.week as usize], n.staff as usize);
    while let Some((start, end)) = n.walk.next(week, &|day| works(staff, day)) {
        if start.0 + slot <= end.0 {
            n.next = start.0;
            n.period_end = end.0;
            return;
        }
    }
    n.next = DONE;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schedule::Periods;
    use crate::vocab::week::WeeklyBlock;
    use rand::{RngExt, SeedableRng};

    /// The times laid out for the whole horizon at once, as the book was
    /// before it laid them out by window: what it must hand out.
    fn all_times(slot: u64, nurses: &[(usize, Periods)]) -> Vec<(u64, usize)> {
        let mut keys = Vec::new();
        for (s, p) in nurses {
            for &(start, end) in p.as_slice() {
                let mut t = start.0;
                while t + slot <= end.0 {
                    keys.push((t, *s));
                    t += slot;
                }
            }
        }
        keys.sort();
        keys
    }

    /// The old book's cursor: the first time at or after `now`.
    fn take_old(times: &[(u64, usize)], cursor: &mut usize, now: u64) -> Option<(u64, usize)> {
        while times.get(*cursor).is_some_and(|&(t, _)| t < now) {
            *cursor += 1;
        }
        let got = times.get(*cursor).copied();
        if got.is_some() {
            *cursor += 1;
        }
        got
    }

    /// Whether `staff` works on `day`: a fixed scatter of days off.
    fn works(staff: usize, day: u64) -> bool {
        !(day * 7 + staff as u64 * 13).is_multiple_of(11)
    }

    #[test]
    fn windows_hand_out_the_times_of_one_sort() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(22);
        let calendar = Calendar::default();
        for case in 0..300 {
            let slot = [1u64, 60, 600, 900, 7_200][case % 5];
            let horizon = SimTime(rng.random_range(0..40 * 86_400u64));
            // Groups' weeks: blocks of any length (shorter than a slot, to
            // and from midnight, touching and overlapping), some weekdays
            // without; members of a group share its week.
            let weeks: Vec<Vec<WeeklyBlock>> = (0..rng.random_range(1..4))
                .map(|_| {
                    (0..rng.random_range(0..5))
                        .map(|_| {
                            let start_s = rng.random_range(0..86_400u32);
                            WeeklyBlock {
                                days: rng.random_range(0..128u32) as u8,
                                start_s,
                                end_s: rng.random_range(start_s + 1..=86_400),
                            }
                        })
                        .collect()
                })
                .collect();
            let nurses: Vec<(usize, usize)> = (0..rng.random_range(0..6usize))
                .map(|i| {
                    (
                        i * 3 + rng.random_range(0..3usize),
                        rng.random_range(0..weeks.len()),
                    )
                })
                .collect();
            let periods: Vec<(usize, Periods)> = nurses
                .iter()
                .map(|&(s, w)| {
                    let p = Periods::from_weekly_on(&weeks[w], &calendar, horizon, |d| works(s, d));
                    (s, p)
                })
                .collect();
            let want = all_times(slot, &periods);
            let templates = weeks.iter().map(|b| WeekTemplate::new(b)).collect();
            let mut book = CallBackBook::new(slot, templates, &nurses, (&calendar, horizon), works);
            let (mut cursor, mut now) = (0, 0u64);
            loop {
                let old = take_old(&want, &mut cursor, now);
                let new = book
                    .take_from(SimTime(now), works)
                    .map(|(t, s)| (t.0, s.index()));
                assert_eq!(new, old, "case {case}, slot {slot}, now {now}");
                if old.is_none() {
                    break;
                }
                // Callers in time order: often several at once, sometimes
                // days apart.
                now += match rng.random_range(0..4) {
                    0 => 0,
                    1 => rng.random_range(0..600),
                    2 => rng.random_range(0..20_000),
                    _ => rng.random_range(0..400_000),
                };
            }
        }
    }

    #[test]
    fn a_window_of_whole_minutes_is_sorted_by_counting_alone() {
        // A regional line's day: nurses in staff order, each with clock-time
        // shifts cut into whole minutes (lengths of 5 to 20 minutes, starts
        // on the quarter hour), laid out nurse by nurse. Counting by minute
        // gives the order of a full sort without one; times a few seconds
        // off the minute need the comparison sort after it, and get it.
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(40);
        let (mut sorted, mut per_minute) = (Vec::new(), Vec::new());
        let mut counted_windows = 0;
        for case in 0..200 {
            let from = rng.random_range(0..400u64) * 86_400 + 7 * 3_600;
            let mut times = Vec::new();
            for staff in 0..rng.random_range(1..300u64) {
                let slot = rng.random_range(5..=20u64) * 60;
                let mut t = from + rng.random_range(0..8u64) * 900;
                let end = t + rng.random_range(1..10u64) * 3_600;
                while t < end.min(from + WINDOW_S) {
                    times.push(t << 32 | staff);
                    t += slot;
                }
            }
            let mut want = times.clone();
            want.sort_unstable();
            let mut counted = times.clone();
            count_by_minute(&mut counted, &mut sorted, &mut per_minute, from);
            assert_eq!(counted, want, "case {case}");
            // A second off the minute for some nurses' times.
            for k in times.iter_mut().filter(|k| (**k & 0xffff) % 7 == 3) {
                *k += 13 << 32;
            }
            let mut want = times.clone();
            want.sort_unstable();
            counted_windows += usize::from(times.len() >= MINUTES);
            sort_by_minute(&mut times, &mut sorted, &mut per_minute, from);
            assert_eq!(times, want, "case {case}, off the minute");
        }
        // Both of `sort_by_minute`'s ways were taken.
        assert!((20..=180).contains(&counted_windows), "{counted_windows}");
    }

    #[test]
    fn no_nurses_or_no_length_give_no_times() {
        let calendar = Calendar::default();
        let run = (&calendar, SimTime::from_days(7));
        let all = |_: usize, _: u64| true;
        let day = WeekTemplate::new(&[WeeklyBlock {
            days: 0x7f,
            start_s: 0,
            end_s: 3_600,
        }]);
        let mut none = CallBackBook::new(600, vec![day.clone()], &[], run, all);
        assert_eq!(none.take_from(SimTime(0), all), None);
        let mut no_length = CallBackBook::new(0, vec![day.clone()], &[(0, 0)], run, all);
        assert_eq!(no_length.take_from(SimTime(0), all), None);
        let mut one = CallBackBook::new(600, vec![day], &[(0, 0)], run, all);
        assert_eq!(
            one.take_from(SimTime(0), all),
            Some((SimTime(0), StaffId(0)))
        );
    }
}
