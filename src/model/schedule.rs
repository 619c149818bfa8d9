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
        let week = WeekTemplate::new(blocks);
        let mut walk = WeeklyWalk::new(calendar, horizon);
        let per_week: usize = week.0.iter().map(Vec::len).sum();
        let mut periods = Vec::with_capacity((horizon.day() as usize / 7 + 1) * per_week);
        while let Some(p) = walk.next(&week, &works) {
            periods.push(p);
        }
        Periods(periods)
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

/// Weekly blocks by weekday, `(start, end)` seconds from midnight in
/// order: the template [`WeeklyWalk`] lays days out from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeekTemplate([Vec<(u32, u32)>; 7]);

impl WeekTemplate {
    /// Each weekday's `blocks`, picked once (a run has hundreds of days).
    pub fn new(blocks: &[WeeklyBlock]) -> Self {
        // By start: a day's periods (a block ends by midnight) then come in
        // order, so the walk merges them as it goes.
        let mut blocks = blocks.to_vec();
        blocks.sort_unstable_by_key(|b| (b.start_s, b.end_s));
        WeekTemplate(std::array::from_fn(|w| {
            let bit = 1u8 << w;
            blocks
                .iter()
                .filter(|b| b.days & bit != 0)
                .map(|b| (b.start_s, b.end_s))
                .collect()
        }))
    }

    /// Every day from midnight to midnight: one period from day 0 to the
    /// horizon (a desk that is always open).
    pub fn round_the_clock() -> Self {
        WeekTemplate(std::array::from_fn(|_| vec![(0, 86_400)]))
    }

    /// No block on any day.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }
}

/// The periods a [`WeekTemplate`] gives from day 0 up to a horizon (cut
/// there), merged where they overlap or touch as [`Periods::merged`]
/// merges them, laid out one at a time as a run reaches them: what holds
/// a staff member's periods without a list as long as the horizon (a
/// regional line's hundreds of nurses over ten years held ≈ 10 MB).
#[derive(Clone, Copy, Debug)]
pub struct WeeklyWalk {
    /// The day whose blocks come next, its weekday and the next block.
    day: u64,
    weekday: u8,
    block: u16,
    /// The horizon, seconds, and its day (the last with blocks).
    horizon: u64,
    last_day: u64,
    /// The period read ahead to see whether it joins the last one
    /// handed out (`start == u64::MAX`: none).
    ahead: (u64, u64),
}

impl WeeklyWalk {
    /// A walk from day 0 (on `calendar`'s weekday) to `horizon`.
    pub fn new(calendar: &Calendar, horizon: SimTime) -> Self {
        WeeklyWalk {
            day: 0,
            weekday: calendar.weekday(0).index() as u8,
            block: 0,
            horizon: horizon.0,
            last_day: horizon.day(),
            ahead: (u64::MAX, 0),
        }
    }

    /// The next block's period on a day `works(day)` allows (asked only on
    /// days with blocks: a staff member's roster lookup).
    fn next_block(
        &mut self,
        week: &WeekTemplate,
        works: &impl Fn(u64) -> bool,
    ) -> Option<(u64, u64)> {
        if week.is_empty() {
            return None; // no walk over the days
        }
        while self.day <= self.last_day {
            let blocks = &week.0[self.weekday as usize];
            if self.block == 0 && !blocks.is_empty() && !works(self.day) {
                self.block = blocks.len() as u16;
            }
            if let Some(&(start_s, end_s)) = blocks.get(self.block as usize) {
                self.block += 1;
                let midnight = SimTime::from_days(self.day).0;
                let (start, end) = (
                    midnight + start_s as u64,
                    (midnight + end_s as u64).min(self.horizon),
                );
                if start < end {
                    return Some((start, end));
                }
                continue;
            }
            self.day += 1;
            self.weekday = if self.weekday == 6 {
                0
            } else {
                self.weekday + 1
            };
            self.block = 0;
        }
        None
    }

    /// The next period, `None` once the horizon is reached.
    pub fn next(
        &mut self,
        week: &WeekTemplate,
        works: &impl Fn(u64) -> bool,
    ) -> Option<(SimTime, SimTime)> {
        let mut period = match std::mem::replace(&mut self.ahead, (u64::MAX, 0)) {
            (u64::MAX, _) => self.next_block(week, works)?,
            ahead => ahead,
        };
        // A period joins the one before it when it starts by its end.
        while let Some(next) = self.next_block(week, works) {
            if next.0 > period.1 {
                self.ahead = next;
                break;
            }
            period.1 = period.1.max(next.1);
        }
        Some((SimTime(period.0), SimTime(period.1)))
    }
}

/// A schedule's periods taken one at a time, the current one kept: what
/// a desk's opening hours and a post's duty hold instead of a list for
/// the horizon (a regional provider's 50 nurses held ≈ 400 kB a year).
#[derive(Clone, Copy, Debug)]
pub struct PeriodCursor {
    walk: WeeklyWalk,
    current: Option<(SimTime, SimTime)>,
}

impl PeriodCursor {
    /// At the first period `week` gives up to `horizon` on the days
    /// `works` allows.
    pub fn start(
        week: &WeekTemplate,
        calendar: &Calendar,
        horizon: SimTime,
        works: &impl Fn(u64) -> bool,
    ) -> Self {
        let mut walk = WeeklyWalk::new(calendar, horizon);
        let current = walk.next(week, works);
        PeriodCursor { walk, current }
    }

    /// The current period (`None`: none left).
    pub fn current(&self) -> Option<(SimTime, SimTime)> {
        self.current
    }

    /// On to the next period (`week` and `works` as at the start).
    pub fn advance(&mut self, week: &WeekTemplate, works: &impl Fn(u64) -> bool) {
        self.current = self.walk.next(week, works);
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
