//! Simulated time: integer seconds since the start of day 0.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in simulated time, in whole seconds since 00:00 on day 0.
///
/// Integer time makes event ordering exact and runs reproducible: two events
/// scheduled for the same second are ordered by insertion (see [`crate::engine::Engine`]),
/// never by floating-point noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct SimTime(pub u64);

impl SimTime {
    /// Day 0, 00:00.
    pub const ZERO: SimTime = SimTime(0);
    /// A time after every event of any run; marks "never happened".
    pub const NEVER: SimTime = SimTime(u64::MAX);
    /// Seconds in a minute.
    pub const MINUTE: u64 = 60;
    /// Seconds in an hour.
    pub const HOUR: u64 = 3_600;
    /// Seconds in a day.
    pub const DAY: u64 = 86_400;
    /// Seconds in a week.
    pub const WEEK: u64 = 7 * 86_400;

    /// Whole seconds since day 0.
    pub const fn seconds(self) -> u64 {
        self.0
    }
    /// A time given in seconds.
    pub const fn from_seconds(s: u64) -> Self {
        SimTime(s)
    }
    /// A time given in whole minutes.
    pub const fn from_minutes(m: u64) -> Self {
        SimTime(m * Self::MINUTE)
    }
    /// A time given in whole hours.
    pub const fn from_hours(h: u64) -> Self {
        SimTime(h * Self::HOUR)
    }
    /// 00:00 on day `d`.
    pub const fn from_days(d: u64) -> Self {
        SimTime(d * Self::DAY)
    }
    /// Rounds a non-negative number of seconds to the nearest whole second;
    /// negative or NaN input gives 0 (durations are never negative).
    pub fn from_seconds_f64(s: f64) -> Self {
        if s.is_nan() || s <= 0.0 {
            SimTime(0)
        } else if s < 4.0e18 {
            // `+ 0.5` then truncation rounds half up; cheaper than
            // `f64::round`. Through `i64`: one instruction on x86-64, where
            // `f64 → u64` takes a branch and several (the same value below
            // 2^63).
            SimTime((s + 0.5) as i64 as u64)
        } else {
            // Beyond any horizon (a heavy tail's draw, or infinity):
            // saturates at "never" as before.
            SimTime((s + 0.5) as u64)
        }
    }
    /// The day index (0 = day 0).
    pub const fn day(self) -> u64 {
        self.0 / Self::DAY
    }
    /// Seconds since midnight.
    pub const fn second_of_day(self) -> u64 {
        self.0 % Self::DAY
    }
    /// The hour of the day, 0–23.
    pub const fn hour_of_day(self) -> u64 {
        self.second_of_day() / Self::HOUR
    }
    /// This time in minutes (fractional).
    pub fn as_minutes_f64(self) -> f64 {
        self.0 as f64 / 60.0
    }
    /// Difference `self - earlier`, or 0 if `earlier` is later.
    pub const fn saturating_since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl Add<u64> for SimTime {
    type Output = SimTime;
    fn add(self, secs: u64) -> SimTime {
        SimTime(self.0.saturating_add(secs))
    }
}

impl AddAssign<u64> for SimTime {
    fn add_assign(&mut self, secs: u64) {
        self.0 = self.0.saturating_add(secs);
    }
}

impl Sub for SimTime {
    type Output = u64;
    fn sub(self, rhs: SimTime) -> u64 {
        self.0 - rhs.0
    }
}

impl fmt::Display for SimTime {
    /// `day 12 08:30:00`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.second_of_day();
        write!(
            f,
            "day {} {:02}:{:02}:{:02}",
            self.day(),
            s / 3600,
            (s / 60) % 60,
            s % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::SimTime;

    /// Rounds half up, gives 0 for no time or nonsense, and reads a value
    /// beyond any horizon as it always did (through `u64`, saturating).
    #[test]
    fn seconds_from_f64_round_half_up_and_saturate() {
        let s = |x: f64| SimTime::from_seconds_f64(x).0;
        assert_eq!([s(0.4), s(0.5), s(59.49), s(59.5)], [0, 1, 59, 60]);
        assert_eq!([s(0.0), s(-3.0), s(f64::NAN)], [0, 0, 0]);
        assert_eq!(s(1.0e18), 1_000_000_000_000_000_000);
        // Either side of the switch from `i64` to `u64`, and past both.
        assert_eq!(s(3.9e18), 3_900_000_000_000_000_000);
        assert_eq!(s(1.0e19), 10_000_000_000_000_000_000);
        assert_eq!([s(1.0e20), s(f64::INFINITY)], [u64::MAX, u64::MAX]);
    }
}
