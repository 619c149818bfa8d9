//! Non-homogeneous Poisson arrivals with a piecewise-constant rate.
//!
//! The rate is `per_hour × weekday × hour × month` inside the channel's open
//! periods and zero outside. Before the run, the rate is laid out on the
//! timeline as constant pieces (hours with equal rates merged, cut at opening
//! and closing). Arrival times are then exact by inversion: draw one unit
//! exponential and walk forward through the pieces until the integrated rate
//! reaches it. One unit exponential per arrival keeps streams aligned across
//! scenarios.

use std::sync::Arc;

use crate::engine::{Calendar, RandomSource, SimTime, Stream};
use crate::model::schedule::Periods;
use crate::scenario::spec::{ArrivalSpec, Rate};
use crate::vocab::week::WeeklyBlock;

/// A piece of constant rate: `[start, end)` in seconds, rate per second.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Piece {
    start: f64,
    end: f64,
    rate: f64,
}

/// One arrival stream's state. Its pieces are laid out as the walk reaches
/// them ([`Pieces`]), not for the whole run: its memory does not grow with
/// the horizon.
#[derive(Clone, Debug)]
pub struct ArrivalProcess {
    /// The piece the walk is in (`None` once no open hour is left).
    piece: Option<Piece>,
    /// The pieces after it.
    rest: Pieces,
    /// Deterministic arrival times (for `Rate::Weekly`), in order.
    fixed: Arc<[SimTime]>,
    /// The next of `fixed`.
    cursor: usize,
    /// Continuous clock of the process, seconds.
    t: f64,
}

/// The part of an arrival stream that depends on the scenario only: its
/// rate per unit of weight, its profile and its open hours (or, for a
/// weekly list, its times). A worker lays it out once and reuses it for its
/// later replications (`flows/demand`); each replication multiplies in its
/// own drawn day factors ([`ArrivalProcess::from_layout`]). Its size does
/// not depend on the horizon, but for one flag a day (`holiday`).
#[derive(Clone, Debug)]
pub struct ArrivalLayout {
    /// The rate per second at weight 1: `per_hour / 3600`, or a per-year
    /// total over the year's weighted seconds.
    per_second: f64,
    /// The weights by weekday, hour and month.
    weekday: [f64; 7],
    hour: [f64; 24],
    month: [f64; 12],
    /// When the stream is open.
    open: Open,
    calendar: Calendar,
    /// `holiday[d]`: day `d` a public holiday the units are closed.
    holiday: Vec<bool>,
    /// A holiday's demand a Saturday's (channels open round the clock,
    /// `flows::demand`), else none.
    open_saturday: bool,
    /// Deterministic arrival times (`Rate::Weekly`), in order.
    fixed: Arc<[SimTime]>,
}

impl Default for ArrivalLayout {
    fn default() -> Self {
        ArrivalLayout {
            per_second: 0.0,
            weekday: [1.0; 7],
            hour: [1.0; 24],
            month: [1.0; 12],
            open: Open::Periods(Arc::new(Periods::default())),
            calendar: Calendar::default(),
            holiday: Vec::new(),
            open_saturday: false,
            fixed: Arc::from([]),
        }
    }
}

/// When a stream is open.
#[derive(Clone, Debug)]
pub enum Open {
    /// The same hours every week until `until`: each weekday's open
    /// periods, seconds from midnight, in order and apart (a block ends by
    /// midnight), laid out a day at a time.
    Weekly {
        days: Arc<[Vec<(u64, u64)>; 7]>,
        until: SimTime,
    },
    /// Periods laid out beforehand (a mobile team's duty).
    Periods(Arc<Periods>),
}

impl Open {
    /// The hours of `blocks` every week until `until`
    /// ([`Periods::from_weekly`]'s periods, a day at a time).
    pub fn weekly(blocks: &[WeeklyBlock], until: SimTime) -> Self {
        let days = std::array::from_fn(|w| {
            let bit = 1u8 << w;
            let raw = blocks
                .iter()
                .filter(|b| b.days & bit != 0)
                .map(|b| (SimTime(b.start_s as u64), SimTime(b.end_s as u64)))
                .filter(|(s, e)| s < e)
                .collect();
            Periods::merged(raw)
                .as_slice()
                .iter()
                .map(|&(s, e)| (s.0, e.0))
                .collect()
        });
        Open::Weekly {
            days: Arc::new(days),
            until,
        }
    }
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
        open: Open,
        year: &Periods,
        calendar: &Calendar,
        holiday: &[bool],
        open_saturday: bool,
    ) -> Self {
        let mut layout = ArrivalLayout {
            weekday: spec.weekday,
            hour: spec.hour,
            month: spec.month,
            calendar: *calendar,
            holiday: holiday.to_vec(),
            open_saturday,
            ..ArrivalLayout::default()
        };
        layout.per_second = match &spec.rate {
            Rate::Weekly(times) => {
                // The week of day 0 starts on the Monday on or before it.
                let offset = calendar.weekday(0).index() as u64 * SimTime::DAY;
                let end = match &open {
                    Open::Weekly { days, until } => (0..=until.day())
                        .rev()
                        .find_map(|d| {
                            // The last period that starts before `until`.
                            let midnight = d * SimTime::DAY;
                            days[calendar.weekday(d).index()]
                                .iter()
                                .rev()
                                .find(|&&(s, _)| midnight + s < until.0)
                                .map(|&(_, e)| (midnight + e).min(until.0))
                        })
                        .unwrap_or(0),
                    Open::Periods(p) => p.as_slice().last().map_or(0, |p| p.1.0),
                };
                // Bounded: an empty list of times must not loop for ever.
                let weeks = (end + offset) / SimTime::WEEK + 1;
                layout.fixed = (0..=weeks)
                    .flat_map(|week: u64| {
                        times
                            .iter()
                            .map(move |&t| (week * SimTime::WEEK + t).checked_sub(offset))
                    })
                    .flatten()
                    .take_while(|&t| t < end)
                    .map(SimTime)
                    .collect();
                0.0
            }
            Rate::PerHour(r) => r / 3600.0,
            &Rate::PerYear(total) => {
                let mut day_of = day_of(calendar);
                let mut weighted_seconds = 0.0;
                for_each_hour_piece(
                    year.as_slice().iter().map(|&(s, e)| (s.0, e.0)),
                    |start, end| {
                        let hour = start / SimTime::HOUR;
                        let (weekday, month) = day_of(hour / 24);
                        weighted_seconds += spec.weight(weekday, (hour % 24) as usize, month)
                            * (end - start) as f64;
                    },
                );
                if weighted_seconds > 0.0 {
                    total / weighted_seconds
                } else {
                    0.0
                }
            }
        };
        if layout.fixed.is_empty() {
            layout.open = open;
        }
        layout
    }

    /// The weight of the open hour starting at `t` on a day of `weekday`
    /// and `month` (a holiday's as the layout says).
    #[inline]
    fn weight(&self, hour: u64, weekday: usize, month: usize) -> f64 {
        let h = (hour % 24) as usize;
        let at = |weekday: usize| self.weekday[weekday] * self.hour[h] * self.month[month];
        match self.holiday.get((hour / 24) as usize) {
            Some(true) if self.open_saturday => at(crate::engine::Weekday::Saturday.index()),
            Some(true) => 0.0,
            _ => at(weekday),
        }
    }
}

/// A day's weekday and month, worked out once per day rather than per
/// hour piece (a round-the-clock channel has 24 a day).
fn day_of(calendar: &Calendar) -> impl FnMut(u64) -> (usize, usize) + '_ {
    let mut last = (u64::MAX, 0, 0);
    move |day: u64| {
        if last.0 != day {
            last = (day, calendar.weekday(day).index(), calendar.month(day));
        }
        (last.1, last.2)
    }
}

/// A stream's pieces of constant rate, laid out one at a time: the open
/// periods cut at every hour, each hour's rate `per_second × weight ×
/// factor` (multiplied left to right, as when the pieces were laid out for
/// the whole run), hours of equal rates merged.
#[derive(Clone, Debug)]
struct Pieces {
    layout: Arc<ArrivalLayout>,
    /// The day factors (1 where missing).
    day_factor: Arc<[f64]>,
    /// The next open period: `(day, index)` in a weekly layout's day (day
    /// `u64::MAX` once none is left), or the index in laid-out periods.
    next_period: (u64, usize),
    /// The rest of the period being cut, `[from, to)` in seconds.
    cut: (u64, u64),
    /// The day of `cut`'s hour, its weekday and month.
    day: (u64, usize, usize),
    /// The piece being merged: hours of equal rates after the last piece
    /// handed out.
    merging: Option<Piece>,
}

impl Pieces {
    fn new(layout: Arc<ArrivalLayout>, day_factor: Arc<[f64]>) -> Self {
        Pieces {
            layout,
            day_factor,
            next_period: (0, 0),
            cut: (0, 0),
            day: (u64::MAX, 0, 0),
            merging: None,
        }
    }

    /// The next open period, `[start, end)` in seconds.
    fn period(&mut self) -> Option<(u64, u64)> {
        match &self.layout.open {
            Open::Periods(periods) => {
                let (_, i) = self.next_period;
                let &(s, e) = periods.as_slice().get(i)?;
                self.next_period.1 = i + 1;
                Some((s.0, e.0))
            }
            Open::Weekly { days, until } => loop {
                let (day, i) = self.next_period;
                let midnight = day.checked_mul(SimTime::DAY)?;
                if midnight >= until.0 {
                    return None;
                }
                let weekday = self.layout.calendar.weekday(day).index();
                match days[weekday].get(i) {
                    Some(&(s, e)) if midnight + s < until.0 => {
                        self.next_period.1 = i + 1;
                        return Some((midnight + s, (midnight + e).min(until.0)));
                    }
                    _ => self.next_period = (day + 1, 0),
                }
            },
        }
    }

    /// The next open hour piece, `(start, end, rate)`: to the hour's end,
    /// or on over the day's next hours while the hour profile's weight is
    /// the same (the rate is then the same, so the pieces merged are the
    /// same; a flat profile takes a step a period, not an hour).
    #[inline]
    fn hour(&mut self) -> Option<(u64, u64, f64)> {
        if self.cut.0 >= self.cut.1 {
            self.cut = self.period()?;
        }
        let (t, to) = self.cut;
        let hour = t / SimTime::HOUR;
        let mut end = to.min((hour + 1) * SimTime::HOUR);
        let flat_until = to.min((hour / 24 + 1) * SimTime::DAY);
        let weights = &self.layout.hour;
        while end < flat_until
            && weights[(end / SimTime::HOUR % 24) as usize] == weights[(hour % 24) as usize]
        {
            end = flat_until.min(end + SimTime::HOUR);
        }
        self.cut.0 = end;
        let day = hour / 24;
        if self.day.0 != day {
            let cal = &self.layout.calendar;
            self.day = (day, cal.weekday(day).index(), cal.month(day));
        }
        let layout = &*self.layout;
        let rate = layout.per_second * layout.weight(hour, self.day.1, self.day.2);
        let factor = self
            .day_factor
            .get((t / SimTime::DAY) as usize)
            .copied()
            .unwrap_or(1.0);
        Some((t, end, rate * factor))
    }

    /// The next piece, or `None` when no open hour is left.
    fn next_piece(&mut self) -> Option<Piece> {
        while let Some((start, end, rate)) = self.hour() {
            let (start, end) = (start as f64, end as f64);
            match &mut self.merging {
                Some(last) if last.end == start && last.rate == rate => last.end = end,
                _ if rate > 0.0 => {
                    let done = self.merging.replace(Piece { start, end, rate });
                    if done.is_some() {
                        return done;
                    }
                }
                _ => {}
            }
        }
        self.merging.take()
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
        let open = Open::Periods(Arc::new(open.clone()));
        let layout = ArrivalLayout::new(spec, open, year, calendar, holiday, open_saturday);
        Self::from_layout(&Arc::new(layout), &Arc::from(day_factor))
    }

    /// The process of `layout` with each day `d`'s rate multiplied by
    /// `day_factor[d]` (1 where missing).
    pub fn from_layout(layout: &Arc<ArrivalLayout>, day_factor: &Arc<[f64]>) -> Self {
        let mut rest = Pieces::new(Arc::clone(layout), Arc::clone(day_factor));
        let piece = if layout.fixed.is_empty() {
            rest.next_piece()
        } else {
            None
        };
        ArrivalProcess {
            piece,
            rest,
            fixed: Arc::clone(&layout.fixed),
            cursor: 0,
            t: 0.0,
        }
    }

    /// Expected number of arrivals over the whole run (a walk over every
    /// piece).
    #[cfg(test)]
    fn expected_count(&self) -> f64 {
        let mut rest = self.rest.clone();
        let pieces = std::iter::successors(self.piece, |_| rest.next_piece());
        self.fixed.len() as f64 + pieces.map(|p| p.rate * (p.end - p.start)).sum::<f64>()
    }

    /// The next arrival time (rounded down to the second, so that it stays
    /// inside the open period), or `None` when no open period is left.
    #[inline]
    pub fn next(&mut self, rng: &mut Stream) -> Option<SimTime> {
        let mut need = rng.exp1();
        if !self.fixed.is_empty() {
            let t = self.fixed.get(self.cursor).copied();
            self.cursor += 1;
            return t;
        }
        // The clock in a local, stored once; `from` by a plain
        // comparison (`f64::max` also handles NaN, which never occurs here:
        // the same value, fewer instructions).
        let mut t = self.t;
        while let Some(p) = self.piece {
            let from = if p.start > t { p.start } else { t };
            let capacity = p.rate * (p.end - from);
            if capacity >= need {
                t = from + need / p.rate;
                self.t = t;
                // `t` is finite and in `[0, 2^63)`: through `i64` the same
                // truncation, fewer instructions than `f64 as u64`.
                return Some(SimTime(t as i64 as u64));
            }
            need -= capacity;
            t = p.end;
            self.piece = self.rest.next_piece();
        }
        self.t = t;
        None
    }
}

/// Calls `f(start, end)` for the periods cut at every hour boundary.
fn for_each_hour_piece(periods: impl Iterator<Item = (u64, u64)>, mut f: impl FnMut(u64, u64)) {
    for (ps, pe) in periods {
        let mut t = ps;
        while t < pe {
            let end = pe.min((t / SimTime::HOUR + 1) * SimTime::HOUR);
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

    /// The pieces laid out a day at a time from weekly hours are those of
    /// the whole run's periods laid out at once, hour pieces of equal rates
    /// merged (the layout before issue 17 kept them all): blocks that touch
    /// and overlap off the hour, a horizon inside a block, holidays, day
    /// factors that repeat (merging across days) and change.
    #[test]
    fn weekly_pieces_laid_out_a_day_at_a_time_are_the_whole_runs() {
        let cal = Calendar::default();
        let horizon = SimTime::from_days(35) + 10 * SimTime::HOUR + 1_234; // a Monday
        let blocks = [
            WeeklyBlock {
                days: 0x1f,
                start_s: 8 * 3600 + 900,
                end_s: 12 * 3600 + 1_800,
            },
            WeeklyBlock {
                days: 0x0f,
                start_s: 12 * 3600 + 1_800,
                end_s: 15 * 3600 + 600,
            },
            WeeklyBlock {
                days: 0x41,
                start_s: 11 * 3600,
                end_s: 86_400,
            },
            WeeklyBlock {
                days: 0x40,
                start_s: 0,
                end_s: 3_600,
            },
        ];
        let mut s = spec(2.0);
        s.weekday[2] = 1.3;
        s.hour[9] = 0.7;
        // Two hours of the same weight in the afternoon, and a run of equal
        // weights either side: an hour's piece runs on over equal weights
        // only (`Pieces::hour`).
        s.hour[13] = 0.7;
        s.hour[14] = 0.7;
        s.month[1] = 1.1;
        let factors: Vec<f64> = (0..45).map(|d| [1.0, 1.0, 0.8, 1.25][d % 4]).collect();
        let mut holiday = vec![false; 41];
        holiday[3] = true;
        holiday[13] = true;
        let periods = Periods::from_weekly(&blocks, &cal, horizon);
        for open_saturday in [false, true] {
            // The old layout: every hour piece of the run, then merged.
            let mut want: Vec<Piece> = Vec::new();
            let mut day_of = day_of(&cal);
            let hours = periods.as_slice().iter().map(|&(a, b)| (a.0, b.0));
            for_each_hour_piece(hours, |t, end| {
                let hour = t / SimTime::HOUR;
                let (weekday, month) = day_of(hour / 24);
                let weekday = match holiday.get((hour / 24) as usize) {
                    Some(true) if open_saturday => 5,
                    Some(true) => usize::MAX,
                    _ => weekday,
                };
                let weight = if weekday == usize::MAX {
                    0.0
                } else {
                    s.weight(weekday, (hour % 24) as usize, month)
                };
                let rate = 2.0 / 3600.0 * weight * factors[(t / SimTime::DAY) as usize];
                match want.last_mut() {
                    Some(last) if last.end == t as f64 && last.rate == rate => {
                        last.end = end as f64
                    }
                    _ if rate > 0.0 => want.push(Piece {
                        start: t as f64,
                        end: end as f64,
                        rate,
                    }),
                    _ => {}
                }
            });
            assert!(want.len() > 80);
            let factors: Arc<[f64]> = factors.clone().into();
            for open in [
                Open::weekly(&blocks, horizon),
                Open::Periods(Arc::new(periods.clone())),
            ] {
                let layout = ArrivalLayout::new(&s, open, &periods, &cal, &holiday, open_saturday);
                let p = ArrivalProcess::from_layout(&Arc::new(layout), &factors);
                let mut rest = p.rest.clone();
                let got: Vec<Piece> =
                    std::iter::successors(p.piece, |_| rest.next_piece()).collect();
                assert_eq!(got, want, "open on Saturdays: {open_saturday}");
            }
        }
    }

    /// A weekly list of times ends where the whole run's last open period
    /// ends, whether the weekly hours are laid out a day at a time or at
    /// once: horizons inside a block, between two blocks of a day, on a
    /// closed day.
    #[test]
    fn weekly_times_end_with_the_last_open_period() {
        let cal = Calendar::default();
        let blocks = [
            WeeklyBlock {
                days: 0x1f,
                start_s: 8 * 3600,
                end_s: 9 * 3600,
            },
            WeeklyBlock {
                days: 0x0f,
                start_s: 11 * 3600,
                end_s: 12 * 3600,
            },
        ];
        let mut s = spec(1.0);
        // Every 20 minutes of the week.
        s.rate = Rate::Weekly((0..7 * 72).map(|i| i * 1_200).collect());
        for horizon in [
            SimTime::from_days(14) + 8 * SimTime::HOUR + 1_000, // in a block
            SimTime::from_days(15) + 10 * SimTime::HOUR,        // between two
            SimTime::from_days(19) + 3 * SimTime::HOUR,         // a Saturday
        ] {
            let periods = Periods::from_weekly(&blocks, &cal, horizon);
            let times = |open| ArrivalLayout::new(&s, open, &periods, &cal, &[], false).fixed;
            let want = times(Open::Periods(Arc::new(periods.clone())));
            assert!(!want.is_empty());
            assert_eq!(times(Open::weekly(&blocks, horizon)), want, "{horizon}");
        }
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
        assert!(p.piece.is_some());
        assert_eq!(p.rest.clone().next_piece(), None);
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
