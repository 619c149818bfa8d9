//! Non-homogeneous Poisson arrivals with a piecewise-constant rate.
//!
//! The rate is `per_hour × weekday × hour × month` inside the channel's open
//! periods and zero outside. Before the run, the rate is laid out on the
//! timeline as constant pieces (hours with equal rates merged, cut at opening
//! and closing). Arrival times are then exact by inversion: draw one unit
//! exponential and walk forward through the pieces until the integrated rate
//! reaches it. One unit exponential per arrival keeps streams aligned across
//! scenarios.

use crate::engine::{Calendar, RandomSource, SimTime, Stream};
use crate::model::schedule::Periods;
use crate::scenario::spec::{ArrivalSpec, Rate};

/// A piece of constant rate: `[start, end)` in seconds, rate per second.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Piece {
    start: f64,
    end: f64,
    rate: f64,
}

/// One arrival stream's state.
#[derive(Debug)]
pub struct ArrivalProcess {
    pieces: Vec<Piece>,
    /// Deterministic arrival times (for `Rate::Weekly`), in order.
    fixed: Vec<SimTime>,
    /// First piece that may still hold arrivals.
    cursor: usize,
    /// Continuous clock of the process, seconds.
    t: f64,
}

/// The part of an arrival stream that depends on the scenario only: its
/// rate per unit of weight and each open hour's weight (or, for a weekly
/// list, its times). A worker lays it out once and reuses it for its later
/// replications (`flows/demand`); each replication multiplies in its own
/// drawn day factors ([`ArrivalProcess::from_layout`]).
#[derive(Clone, Debug, Default)]
pub struct ArrivalLayout {
    /// The open periods cut at every hour, each with its weight.
    hours: Vec<HourWeight>,
    /// Deterministic arrival times (`Rate::Weekly`), in order.
    fixed: Vec<SimTime>,
}

/// An open piece of one hour: `[start, end)` in seconds and its rate at
/// day factor 1, in the forms [`ArrivalProcess::from_layout`] reads them
/// (it runs every replication; the layout once).
#[derive(Clone, Copy, Debug)]
struct HourWeight {
    start: f64,
    end: f64,
    /// `per_second × weight`: the product the rate starts from.
    rate: f64,
    /// The day the piece is in (its day factor's index).
    day: u32,
}

impl ArrivalLayout {
    /// The layout of rate `spec` while `open`. A per-year rate is spread
    /// over `year`: the channel's open periods over one 365-day year. On a
    /// day `d` with `holiday[d]` (a public holiday the units are closed)
    /// demand is a Saturday's: the Saturday weight where the channel is
    /// open on Saturdays (`open_saturday`), else none — as at a weekend,
    /// that demand goes elsewhere (1177, the emergency department) or to
    /// another day, and the year's total is not spread over the other days.
    pub fn new(
        spec: &ArrivalSpec,
        open: &Periods,
        year: &Periods,
        calendar: &Calendar,
        holiday: &[bool],
        open_saturday: bool,
    ) -> Self {
        // A day's weekday and month, worked out once per day rather than
        // per hour piece (a round-the-clock channel has 24 a day).
        let day_of = {
            let mut last = (u64::MAX, 0, 0);
            move |day: u64| {
                if last.0 != day {
                    last = (day, calendar.weekday(day).index(), calendar.month(day));
                }
                (last.1, last.2)
            }
        };
        let mut year_day = day_of; // a copy: each loop keeps its own last day
        let mut weight_at = |hour: u64| {
            let (weekday, month) = year_day(hour / 24);
            spec.weight(weekday, (hour % 24) as usize, month)
        };
        let per_second = match &spec.rate {
            Rate::Weekly(times) => {
                // The week of day 0 starts on the Monday on or before it.
                let offset = calendar.weekday(0).index() as u64 * SimTime::DAY;
                let end = open.as_slice().last().map_or(0, |p| p.1.0);
                // Bounded: an empty list of times must not loop for ever.
                let weeks = (end + offset) / SimTime::WEEK + 1;
                let fixed = (0..=weeks)
                    .flat_map(|week: u64| {
                        times
                            .iter()
                            .map(move |&t| (week * SimTime::WEEK + t).checked_sub(offset))
                    })
                    .flatten()
                    .take_while(|&t| t < end)
                    .map(SimTime)
                    .collect();
                return ArrivalLayout {
                    hours: Vec::new(),
                    fixed,
                };
            }
            Rate::PerHour(r) => r / 3600.0,
            &Rate::PerYear(total) => {
                let mut weighted_seconds = 0.0;
                for_each_hour_piece(year, |start, end| {
                    weighted_seconds += weight_at(start / SimTime::HOUR) * (end - start) as f64;
                });
                if weighted_seconds > 0.0 {
                    total / weighted_seconds
                } else {
                    0.0
                }
            }
        };
        let mut open_day = day_of;
        let mut hours = Vec::new();
        for_each_hour_piece(open, |t, end| {
            let hour = t / SimTime::HOUR;
            let day = (hour / 24) as usize;
            let weight = match holiday.get(day) {
                Some(true) if open_saturday => spec.weight(
                    crate::engine::Weekday::Saturday.index(),
                    (hour % 24) as usize,
                    open_day(hour / 24).1,
                ),
                Some(true) => 0.0,
                _ => {
                    let (weekday, month) = open_day(hour / 24);
                    spec.weight(weekday, (hour % 24) as usize, month)
                }
            };
            hours.push(HourWeight {
                start: t as f64,
                end: end as f64,
                rate: per_second * weight,
                day: (t / SimTime::DAY) as u32,
            });
        });
        ArrivalLayout {
            hours,
            fixed: Vec::new(),
        }
    }
}

impl ArrivalProcess {
    /// A process with rate `spec` while `open`, multiplied on each day `d`
    /// by `day_factor[d]` (1 where missing); `year`, `holiday` and
    /// `open_saturday` as for [`ArrivalLayout::new`].
    pub fn new(
        spec: &ArrivalSpec,
        open: &Periods,
        year: &Periods,
        calendar: &Calendar,
        day_factor: &[f64],
        holiday: &[bool],
        open_saturday: bool,
    ) -> Self {
        let layout = ArrivalLayout::new(spec, open, year, calendar, holiday, open_saturday);
        Self::from_layout(&layout, day_factor)
    }

    /// The process of `layout` with each day `d`'s rate multiplied by
    /// `day_factor[d]` (1 where missing): constant pieces, hours of equal
    /// rates merged.
    pub fn from_layout(layout: &ArrivalLayout, day_factor: &[f64]) -> Self {
        if layout.hours.is_empty() {
            return ArrivalProcess {
                pieces: Vec::new(),
                fixed: layout.fixed.clone(),
                cursor: 0,
                t: 0.0,
            };
        }
        let mut pieces: Vec<Piece> = Vec::new();
        for h in &layout.hours {
            let factor = day_factor.get(h.day as usize).copied().unwrap_or(1.0);
            // `per_second × weight × factor`, multiplied left to right as
            // before the product was kept.
            let rate = h.rate * factor;
            match pieces.last_mut() {
                Some(last) if last.end == h.start && last.rate == rate => last.end = h.end,
                _ if rate > 0.0 => pieces.push(Piece {
                    start: h.start,
                    end: h.end,
                    rate,
                }),
                _ => {}
            }
        }
        ArrivalProcess {
            pieces,
            fixed: Vec::new(),
            cursor: 0,
            t: 0.0,
        }
    }

    /// Expected number of arrivals over the whole run (for reserving memory).
    pub fn expected_count(&self) -> f64 {
        self.fixed.len() as f64
            + self
                .pieces
                .iter()
                .map(|p| p.rate * (p.end - p.start))
                .sum::<f64>()
    }

    /// The next arrival time (rounded down to the second, so that it stays
    /// inside the open period), or `None` when no open period is left.
    #[inline]
    pub fn next(&mut self, rng: &mut Stream) -> Option<SimTime> {
        let mut need = rng.exp1();
        if self.pieces.is_empty() {
            let t = self.fixed.get(self.cursor).copied();
            self.cursor += 1;
            return t;
        }
        // The clock and the cursor in locals, stored once; `from` by a plain
        // comparison (`f64::max` also handles NaN, which never occurs here:
        // the same value, fewer instructions).
        let (mut t, mut cursor) = (self.t, self.cursor);
        while let Some(p) = self.pieces.get(cursor) {
            let from = if p.start > t { p.start } else { t };
            let capacity = p.rate * (p.end - from);
            if capacity >= need {
                t = from + need / p.rate;
                (self.t, self.cursor) = (t, cursor);
                // `t` is finite and in `[0, 2^63)`: through `i64` the same
                // truncation, fewer instructions than `f64 as u64`.
                return Some(SimTime(t as i64 as u64));
            }
            need -= capacity;
            t = p.end;
            cursor += 1;
        }
        (self.t, self.cursor) = (t, cursor);
        None
    }
}

/// Calls `f(start, end)` for the periods cut at every hour boundary.
fn for_each_hour_piece(periods: &Periods, mut f: impl FnMut(u64, u64)) {
    for &(ps, pe) in periods.as_slice() {
        let mut t = ps.0;
        while t < pe.0 {
            let end = pe.0.min((t / SimTime::HOUR + 1) * SimTime::HOUR);
            f(t, end);
            t = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::StreamKey;
    use crate::vocab::week::WeeklyBlock;

    fn spec(per_hour: f64) -> ArrivalSpec {
        ArrivalSpec {
            channel: crate::vocab::kinds::Channel::WalkIn,
            rate: Rate::PerHour(per_hour),
            weekday: [1.0; 7],
            hour: [1.0; 24],
            month: [1.0; 12],
        }
    }

    #[test]
    fn arrivals_only_while_open_and_at_the_right_rate() {
        let cal = Calendar::default();
        let horizon = SimTime::from_days(700);
        let open = Periods::from_weekly(
            &[WeeklyBlock {
                days: 0x1f,
                start_s: 8 * 3600,
                end_s: 12 * 3600,
            }],
            &cal,
            horizon,
        );
        let mut s = spec(3.0);
        s.weekday = [2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let mut p = ArrivalProcess::new(&s, &open, &open, &cal, &[], &[], false);
        assert!((p.expected_count() - 100.0 * (24.0 + 48.0)).abs() < 1e-6);
        let mut rng = StreamKey {
            seed: 1,
            scenario: "t",
            replication: 0,
        }
        .stream("a");
        let (mut monday, mut other) = (0u64, 0u64);
        while let Some(t) = p.next(&mut rng) {
            assert!(open.contains(t), "arrival at {t} outside opening hours");
            if cal.weekday_at(t).index() == 0 {
                monday += 1;
            } else {
                other += 1;
            }
        }
        // 100 weeks: Monday 4 h × 6/h = 24 per week; Tue–Fri 4 × 4 h × 3/h = 48 per week.
        let (m, o) = (monday as f64 / 100.0, other as f64 / 100.0);
        assert!(
            (m - 24.0).abs() < 4.0 * (24.0f64 / 100.0).sqrt(),
            "monday {m}"
        );
        assert!(
            (o - 48.0).abs() < 4.0 * (48.0f64 / 100.0).sqrt(),
            "other {o}"
        );
    }

    #[test]
    fn constant_round_the_clock_rate_is_one_piece() {
        let cal = Calendar::default();
        let open = Periods::from_weekly(
            &[WeeklyBlock {
                days: 0x7f,
                start_s: 0,
                end_s: 86_400,
            }],
            &cal,
            SimTime::from_days(30),
        );
        let p = ArrivalProcess::new(&spec(2.4), &open, &open, &cal, &[], &[], false);
        assert_eq!(p.pieces.len(), 1);
    }
}

#[cfg(test)]
mod per_year_tests {
    use super::*;
    use crate::vocab::kinds::Channel;
    use crate::vocab::week::WeeklyBlock;

    #[test]
    fn per_year_rate_spreads_the_total_over_open_hours_and_profiles() {
        let cal = Calendar::default();
        let blocks = [WeeklyBlock {
            days: 0x1f,
            start_s: 8 * 3600,
            end_s: 17 * 3600,
        }];
        let year = Periods::from_weekly(&blocks, &cal, SimTime::from_days(365));
        let mut spec = ArrivalSpec {
            channel: Channel::Phone,
            rate: Rate::PerYear(10_000.0),
            weekday: [1.56, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            hour: [1.0; 24],
            month: [1.0; 12],
        };
        spec.hour[8] = 2.0;
        spec.month[1] = 1.2;
        let p = ArrivalProcess::new(&spec, &year, &year, &cal, &[], &[], false);
        assert!((p.expected_count() - 10_000.0).abs() < 1e-6);
        // A day factor of 2 on day 0 adds exactly day 0's expected arrivals.
        let mut factor = vec![1.0; 365];
        factor[0] = 2.0;
        let q = ArrivalProcess::new(&spec, &year, &year, &cal, &factor, &[], false);
        let day0 = ArrivalProcess::new(
            &spec,
            &Periods::merged(vec![(SimTime::from_hours(8), SimTime::from_hours(17))]),
            &year,
            &cal,
            &[],
            &[],
            false,
        );
        assert!((q.expected_count() - 10_000.0 - day0.expected_count()).abs() < 1e-6);
        // A public holiday (issue 13): a channel closed on Saturdays gets no
        // demand that day, one open on Saturdays a Saturday's; the year's
        // total is not moved to other days.
        let mut holiday = vec![false; 365];
        holiday[0] = true;
        let closed = ArrivalProcess::new(&spec, &year, &year, &cal, &[], &holiday, false);
        assert!(
            (p.expected_count() - closed.expected_count() - day0.expected_count()).abs() < 1e-6
        );
        let saturday = ArrivalProcess::new(&spec, &year, &year, &cal, &[], &holiday, true);
        // Day 0 is a Monday (weight 1.56); as a holiday it has a Saturday's
        // weight (1.0) over the same open hours.
        let expected = p.expected_count() - day0.expected_count() * (1.0 - 1.0 / 1.56);
        assert!((saturday.expected_count() - expected).abs() < 1e-6);
    }
}
