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
        let mut raw = Vec::new();
        for day in (0..days).filter(|&d| works(d)) {
            let bit = 1u8 << calendar.weekday(day).index();
            for b in blocks.iter().filter(|b| b.days & bit != 0) {
                let start = SimTime::from_days(day) + b.start_s as u64;
                let end = (SimTime::from_days(day) + b.end_s as u64).min(horizon);
                if start < end {
                    raw.push((start, end));
                }
            }
        }
        Self::merged(raw)
    }

    /// Sorts and merges overlapping or touching periods.
    pub fn merged(mut raw: Vec<(SimTime, SimTime)>) -> Self {
        raw.sort_unstable();
        let mut out: Vec<(SimTime, SimTime)> = Vec::with_capacity(raw.len());
        for (s, e) in raw {
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        Periods(out)
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
