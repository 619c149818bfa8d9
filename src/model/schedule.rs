//! Weekly time blocks (shifts, opening hours) and the concrete periods they
//! produce over a run.
//!
//! A scenario writes schedules as weekly blocks ("mon-fri 08:00–17:00"); the
//! model needs the concrete, merged periods on the run's timeline. Adjacent
//! blocks merge, so a 24/7 schedule is one period and causes no events at
//! midnight.

use crate::engine::{Calendar, SimTime};
use crate::vocab::week::WeeklyBlock;

/// Sorted, disjoint, non-adjacent half-open periods `[start, end)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Periods(Vec<(SimTime, SimTime)>);

impl Periods {
    /// The periods the weekly `blocks` produce from day 0 up to `horizon`
    /// (periods are cut at the horizon).
    pub fn from_weekly(blocks: &[WeeklyBlock], calendar: &Calendar, horizon: SimTime) -> Self {
        Self::from_weekly_on(blocks, calendar, horizon, |_| true)
    }

    /// As [`Self::from_weekly`], on the days `works(day)` says only (a staff
    /// member's dated head counts: away on holiday).
    pub fn from_weekly_on(
        blocks: &[WeeklyBlock],
        calendar: &Calendar,
        horizon: SimTime,
        works: impl Fn(u64) -> bool,
    ) -> Self {
        let days = horizon.day() + 1;
        // Blocks by start: a day's periods (a block ends by midnight) then
        // come in order, and `merged` finds the whole list sorted at once.
        let mut blocks = blocks.to_vec();
        blocks.sort_unstable_by_key(|b| (b.start_s, b.end_s));
        // Each weekday's blocks, picked once (a run has hundreds of days);
        // the weekday advances by one a day, no division per day.
        let on: [Vec<WeeklyBlock>; 7] = std::array::from_fn(|w| {
            let bit = 1u8 << w;
            blocks
                .iter()
                .filter(|b| b.days & bit != 0)
                .copied()
                .collect()
        });
        let per_week: usize = on.iter().map(Vec::len).sum();
        if per_week == 0 {
            // Nothing to lay out (a member without such shifts): no walk
            // over the days.
            return Periods::default();
        }
        let mut raw = Vec::with_capacity((days as usize / 7 + 1) * per_week);
        let mut weekday = calendar.weekday(0).index();
        for day in 0..days {
            // `works` only on days with blocks (a staff member's roster
            // lookup; weekends usually have none).
            if !on[weekday].is_empty() && works(day) {
                let midnight = SimTime::from_days(day);
                for b in &on[weekday] {
                    let start = midnight + b.start_s as u64;
                    let end = (midnight + b.end_s as u64).min(horizon);
                    if start < end {
                        raw.push((start, end));
                    }
                }
            }
            weekday = if weekday == 6 { 0 } else { weekday + 1 };
        }
        Self::merged(raw)
    }

    /// Sorts and merges overlapping or touching periods.
    pub fn merged(mut raw: Vec<(SimTime, SimTime)>) -> Self {
        // Usually sorted already (`from_weekly_on`); sorting a sorted list
        // would change nothing.
        if !raw.is_sorted() {
            raw.sort_unstable();
        }
        // Merged in place: each period joins the last kept one it overlaps
        // or touches.
        raw.dedup_by(|next, last| {
            let joins = next.0 <= last.1;
            if joins {
                last.1 = last.1.max(next.1);
            }
            joins
        });
        Periods(raw)
    }

    /// The periods, in order.
    pub fn as_slice(&self) -> &[(SimTime, SimTime)] {
        &self.0
    }

    /// Total length in seconds.
    pub fn total_seconds(&self) -> u64 {
        self.0.iter().map(|(s, e)| *e - *s).sum()
    }

    /// True if `t` lies in a period.
    pub fn contains(&self, t: SimTime) -> bool {
        let i = self.0.partition_point(|p| p.1 <= t);
        i < self.0.len() && self.0[i].0 <= t
    }

    /// The index of the first period that ends after `t` (a cursor start).
    pub fn first_ending_after(&self, t: SimTime) -> usize {
        self.0.partition_point(|p| p.1 <= t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_DAYS: u8 = 0x7f;

    /// `from_weekly_on` as it was written before it picked each weekday's
    /// blocks once and merged in place: what it must still equal.
    fn reference(
        blocks: &[WeeklyBlock],
        calendar: &Calendar,
        horizon: SimTime,
        works: impl Fn(u64) -> bool,
    ) -> Vec<(SimTime, SimTime)> {
        let mut raw = Vec::new();
        for day in (0..horizon.day() + 1).filter(|&d| works(d)) {
            let bit = 1u8 << calendar.weekday(day).index();
            for b in blocks.iter().filter(|b| b.days & bit != 0) {
                let start = SimTime::from_days(day) + b.start_s as u64;
                let end = (SimTime::from_days(day) + b.end_s as u64).min(horizon);
                if start < end {
                    raw.push((start, end));
                }
            }
        }
        raw.sort_unstable();
        let mut out: Vec<(SimTime, SimTime)> = Vec::new();
        for (s, e) in raw {
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        out
    }

    /// Overlapping, touching and out-of-order blocks, blocks to midnight
    /// and from it, a horizon inside a block and days off: the periods are
    /// the reference's.
    #[test]
    fn periods_equal_the_reference_construction() {
        let b = |days: u8, from_h: u32, to_h: u32| WeeklyBlock {
            days,
            start_s: from_h * 3600,
            end_s: to_h * 3600,
        };
        let sets = [
            vec![
                b(0x1f, 13, 16),
                b(0x1f, 8, 12),
                b(0x01, 10, 14),
                b(0x1f, 12, 13),
            ],
            vec![b(0x7f, 20, 24), b(0x7f, 0, 4), b(0x60, 4, 20)],
            vec![b(0x7f, 0, 24)],
            vec![b(0x2a, 9, 10), b(0x2a, 9, 10), b(0x10, 22, 24)],
            vec![],
        ];
        let calendar = Calendar::default();
        for blocks in &sets {
            for horizon in [SimTime::from_days(40), SimTime::from_days(40) + 11 * 3600] {
                for works in [|_: u64| true, |d: u64| d % 3 != 1, |d: u64| d > 37] {
                    let got = Periods::from_weekly_on(blocks, &calendar, horizon, works);
                    let want = reference(blocks, &calendar, horizon, works);
                    assert_eq!(got.as_slice(), want.as_slice(), "{blocks:?} to {horizon:?}");
                }
            }
        }
        let unsorted = vec![
            (SimTime(50), SimTime(60)),
            (SimTime(10), SimTime(20)),
            (SimTime(20), SimTime(30)),
            (SimTime(55), SimTime(58)),
        ];
        assert_eq!(
            Periods::merged(unsorted).as_slice(),
            &[(SimTime(10), SimTime(30)), (SimTime(50), SimTime(60))]
        );
    }

    #[test]
    fn round_the_clock_is_one_period() {
        let b = [WeeklyBlock {
            days: ALL_DAYS,
            start_s: 0,
            end_s: 86_400,
        }];
        let p = Periods::from_weekly(&b, &Calendar::default(), SimTime::from_days(10));
        assert_eq!(p.as_slice(), &[(SimTime::ZERO, SimTime::from_days(10))]);
    }

    #[test]
    fn weekdays_office_hours() {
        let b = [
            WeeklyBlock {
                days: 0x1f,
                start_s: 8 * 3600,
                end_s: 12 * 3600,
            },
            WeeklyBlock {
                days: 0x1f,
                start_s: 12 * 3600,
                end_s: 17 * 3600,
            },
        ];
        let p = Periods::from_weekly(&b, &Calendar::default(), SimTime::from_days(7));
        assert_eq!(p.as_slice().len(), 5);
        assert_eq!(p.total_seconds(), 5 * 9 * 3600);
        assert!(p.contains(SimTime::from_hours(8)));
        assert!(!p.contains(SimTime::from_hours(17)));
        assert!(!p.contains(SimTime::from_days(5) + 9 * 3600));
    }
}
