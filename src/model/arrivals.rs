//! Non-homogeneous Poisson arrivals with a piecewise-constant rate.
//!
//! The rate is `per_hour × weekday × hour × month` inside the channel's open
//! periods and zero outside. Arrival times are exact by inversion: draw one
//! unit exponential, then walk forward through the constant-rate pieces
//! (hours, cut at opening and closing) until the integrated rate reaches it.
//! One random number per arrival keeps streams aligned across scenarios.

use crate::engine::{Calendar, SimTime, Stream};
use crate::model::schedule::Periods;
use crate::scenario::spec::ArrivalSpec;

/// One arrival stream's state.
#[derive(Debug)]
pub struct ArrivalProcess {
    spec: ArrivalSpec,
    open: Periods,
    calendar: Calendar,
    /// Index of the first open period that may still hold arrivals.
    cursor: usize,
    /// Continuous clock of the process, seconds.
    t: f64,
}

impl ArrivalProcess {
    /// A process with rate `spec` while `open`.
    pub fn new(spec: ArrivalSpec, open: Periods, calendar: Calendar) -> Self {
        ArrivalProcess {
            spec,
            open,
            calendar,
            cursor: 0,
            t: 0.0,
        }
    }

    /// The next arrival time (rounded down to the second, so that it stays
    /// inside the open period), or `None` when no open period is left.
    pub fn next(&mut self, rng: &mut Stream) -> Option<SimTime> {
        let mut need = rng.exp1();
        let periods = self.open.as_slice();
        while let Some(&(ps, pe)) = periods.get(self.cursor) {
            let (ps, pe) = (ps.0 as f64, pe.0 as f64);
            if self.t < ps {
                self.t = ps;
            }
            if self.t >= pe {
                self.cursor += 1;
                continue;
            }
            let hour_index = (self.t / 3600.0).floor();
            let seg_end = pe.min((hour_index + 1.0) * 3600.0);
            let day = (hour_index as u64) / 24;
            let rate = self.spec.rate_per_hour(
                self.calendar.weekday(day).index(),
                (hour_index as u64 % 24) as usize,
                self.calendar.month(day),
            ) / 3600.0;
            let capacity = rate * (seg_end - self.t);
            if capacity >= need && rate > 0.0 {
                self.t += need / rate;
                return Some(SimTime(self.t as u64));
            }
            need -= capacity;
            self.t = seg_end;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::StreamKey;
    use crate::model::schedule::WeeklyBlock;

    fn spec(per_hour: f64) -> ArrivalSpec {
        ArrivalSpec {
            per_hour,
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
        let mut p = ArrivalProcess::new(s, open.clone(), cal);
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
}
