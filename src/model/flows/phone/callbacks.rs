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
//! twenty-second pass). Now the book keeps each nurse's periods (one per
//! shift and day) and lays out one window — a day from the earliest time
//! not laid out yet — when the last one is used up. Windows partition
//! time, so taking them in turn gives the order of one sort of every time.

use crate::engine::SimTime;
use crate::model::schedule::Periods;
use crate::vocab::ids::StaffId;

/// Length of a window, seconds.
const WINDOW_S: u64 = 86_400;

/// A nurse with no times left.
const DONE: u64 = u64::MAX;

/// One unit's call-back times (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct CallBackBook {
    /// Length of a call-back time, seconds.
    slot: u64,
    /// The nurses with telephone shifts, in staff order.
    nurses: Vec<Nurse>,
    /// Every nurse's periods, `[start, end)` in seconds (a horizon is at
    /// most 3 660 days, < 2^32 s), a nurse's together and in time order.
    periods: Vec<(u32, u32)>,
    /// The current window's times, `time << 32 | staff`, in order.
    times: Vec<u64>,
    /// First time of the window not yet handed out or passed.
    cursor: usize,
}

/// Where a nurse's times have been laid out to.
#[derive(Clone, Copy, Debug)]
struct Nurse {
    staff: u32,
    /// The next time to lay out ([`DONE`] when none is left).
    next: u64,
    /// The period `next` is in, and one past the nurse's last period.
    period: u32,
    end: u32,
}

impl CallBackBook {
    /// The book of times of `slot_s` seconds cut from each nurse's periods:
    /// `nurses` is (staff index, their telephone periods), in staff order.
    pub(crate) fn new(slot_s: u64, nurses: &[(usize, Periods)]) -> Self {
        let mut book = CallBackBook {
            slot: slot_s,
            ..CallBackBook::default()
        };
        if slot_s == 0 {
            return book; // no times of no length
        }
        for (s, p) in nurses {
            let first = book.periods.len() as u32;
            book.periods.extend(
                p.as_slice()
                    .iter()
                    .map(|&(start, end)| (start.0 as u32, end.0 as u32)),
            );
            let mut nurse = Nurse {
                staff: *s as u32,
                next: DONE,
                period: first,
                end: book.periods.len() as u32,
            };
            start_period(&book.periods, slot_s, &mut nurse);
            book.nurses.push(nurse);
        }
        book
    }

    /// Hands out the first time at or after `now` (the times before it are
    /// passed), or `None` when no time is left before the horizon.
    #[inline]
    pub(crate) fn take_from(&mut self, now: SimTime) -> Option<(SimTime, StaffId)> {
        loop {
            while let Some(&k) = self.times.get(self.cursor) {
                self.cursor += 1;
                if k >> 32 >= now.0 {
                    return Some((SimTime(k >> 32), StaffId(k as u32)));
                }
            }
            if !self.lay_out() {
                return None;
            }
        }
    }

    /// Lays out the next window, a day from the earliest time not laid out
    /// yet; false when no time is left.
    #[inline(never)]
    fn lay_out(&mut self) -> bool {
        let Some(from) = self.nurses.iter().map(|n| n.next).min() else {
            return false;
        };
        if from == DONE {
            return false;
        }
        let to = from + WINDOW_S;
        let CallBackBook {
            slot,
            nurses,
            periods,
            times,
            cursor,
        } = self;
        let slot = *slot;
        times.clear();
        *cursor = 0;
        for n in nurses.iter_mut() {
            while n.next < to {
                times.push((n.next << 32) | n.staff as u64);
                n.next += slot;
                if n.next + slot > periods[n.period as usize].1 as u64 {
                    n.period += 1;
                    start_period(periods, slot, n);
                }
            }
        }
        // A time and its staff member are the whole key, so any sort gives
        // this order. (The stable sort, which merges the nurses' runs, cost
        // more here: a scratch buffer per window.)
        times.sort_unstable();
        true
    }
}

/// Moves `n` to the first time of its period `n.period` or a later one
/// long enough for a time of `slot` seconds; [`DONE`] when none is left.
fn start_period(periods: &[(u32, u32)], slot: u64, n: &mut Nurse) {
    while n.period < n.end {
        let (start, end) = periods[n.period as usize];
        if start as u64 + slot <= end as u64 {
            n.next = start as u64;
            return;
        }
        n.period += 1;
    }
    n.next = DONE;
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn windows_hand_out_the_times_of_one_sort() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(22);
        for case in 0..300 {
            let slot = [1u64, 60, 600, 900, 7_200][case % 5];
            let members = rng.random_range(0..6usize);
            let nurses: Vec<(usize, Periods)> = (0..members)
                .map(|i| {
                    // Periods of any length (shorter than a slot, across
                    // midnight, days apart), overlapping other nurses'.
                    let mut raw = Vec::new();
                    let mut t = rng.random_range(0..200_000u64);
                    for _ in 0..rng.random_range(0..12) {
                        let len = rng.random_range(0..40_000u64);
                        raw.push((SimTime(t), SimTime(t + len)));
                        t += len + rng.random_range(1..300_000u64);
                    }
                    (i * 3 + rng.random_range(0..3usize), Periods::merged(raw))
                })
                .collect();
            let want = all_times(slot, &nurses);
            let mut book = CallBackBook::new(slot, &nurses);
            let (mut cursor, mut now) = (0, 0u64);
            loop {
                let old = take_old(&want, &mut cursor, now);
                let new = book.take_from(SimTime(now)).map(|(t, s)| (t.0, s.index()));
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
    fn no_nurses_or_no_length_give_no_times() {
        assert_eq!(CallBackBook::new(600, &[]).take_from(SimTime(0)), None);
        let p = Periods::merged(vec![(SimTime(0), SimTime(3_600))]);
        assert_eq!(CallBackBook::new(0, &[(0, p)]).take_from(SimTime(0)), None);
    }
}
