//! Calendar helpers: which weekday, week and month a simulated day falls in.
//!
//! The simulated year has no leap days: day 0 is the first day of
//! `start_month`, months have their usual lengths (February 28 days), and the
//! weekday of day 0 is configurable (Monday unless the scenario says otherwise).

use super::SimTime;

/// A day of the week, Monday first (ISO 8601, as in Sweden).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[allow(missing_docs)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// All weekdays, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
    /// 0 = Monday … 6 = Sunday.
    pub const fn index(self) -> usize {
        self as usize
    }
    /// The weekday with index `i mod 7`.
    pub const fn from_index(i: usize) -> Weekday {
        Self::ALL[i % 7]
    }
    /// Saturday or Sunday.
    pub const fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
    /// Lower-case English name, as used in scenario files (`monday`).
    pub const fn key(self) -> &'static str {
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ][self as usize]
    }
    /// Parses a full or three-letter English name (`monday`, `mon`).
    pub fn parse(s: &str) -> Option<Weekday> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|d| d.key() == s || (s.len() == 3 && d.key().starts_with(&s)))
    }
}

const MONTH_DAYS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Maps simulated days to weekdays, ISO-like weeks and months.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Calendar {
    start_weekday: Weekday,
    /// Month of day 0, 0 = January.
    start_month: usize,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::new(Weekday::Monday, 0)
    }
}

impl Calendar {
    /// A calendar whose day 0 is `start_weekday` and the first day of month
    /// `start_month` (0 = January).
    pub fn new(start_weekday: Weekday, start_month: usize) -> Self {
        Calendar {
            start_weekday,
            start_month: start_month % 12,
        }
    }
    /// The weekday of day 0.
    pub fn start_weekday(&self) -> Weekday {
        self.start_weekday
    }
    /// The month (0 = January) of day 0.
    pub fn start_month(&self) -> usize {
        self.start_month
    }
    /// The weekday of day `day`.
    pub fn weekday(&self, day: u64) -> Weekday {
        Weekday::from_index(self.start_weekday.index() + (day % 7) as usize)
    }
    /// The weekday at time `t`.
    pub fn weekday_at(&self, t: SimTime) -> Weekday {
        self.weekday(t.day())
    }
    /// The week number counted from the start of the run: days before the
    /// first Monday are week 0.
    pub fn week(&self, day: u64) -> u64 {
        (day + self.start_weekday.index() as u64) / 7
    }
    /// The month (0 = January) of day `day`, in a 365-day year.
    pub fn month(&self, day: u64) -> usize {
        let mut m = self.start_month;
        let mut d = day % 365;
        // Walk from the start month; at most 12 steps.
        loop {
            if d < MONTH_DAYS[m] {
                return m;
            }
            d -= MONTH_DAYS[m];
            m = (m + 1) % 12;
        }
    }
    /// First day index (≥ `day`) on which the month changes, i.e. the day
    /// after the last day of `day`'s month.
    pub fn next_month_start(&self, day: u64) -> u64 {
        let mut m = self.start_month;
        let year = day / 365;
        let mut d = day % 365;
        let mut start = 0u64;
        loop {
            if d < MONTH_DAYS[m] {
                return year * 365 + start + MONTH_DAYS[m];
            }
            d -= MONTH_DAYS[m];
            start += MONTH_DAYS[m];
            m = (m + 1) % 12;
        }
    }
    /// True on Monday–Friday (working days; public holidays are not modelled).
    pub fn is_working_day(&self, day: u64) -> bool {
        !self.weekday(day).is_weekend()
    }
    /// Working days strictly after `from` up to and including `to`
    /// (0 when `to <= from`): "day 0" is the contact day itself.
    pub fn working_days_between(&self, from: u64, to: u64) -> u64 {
        if to <= from {
            return 0;
        }
        let n = to - from;
        let full_weeks = n / 7;
        let mut count = full_weeks * 5;
        for d in (from + 1 + full_weeks * 7)..=to {
            if self.is_working_day(d) {
                count += 1;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_months() {
        let c = Calendar::default();
        assert_eq!(c.weekday(0), Weekday::Monday);
        assert_eq!(c.weekday(6), Weekday::Sunday);
        assert_eq!(c.weekday(7), Weekday::Monday);
        assert_eq!(c.month(0), 0);
        assert_eq!(c.month(30), 0);
        assert_eq!(c.month(31), 1);
        assert_eq!(c.month(58), 1);
        assert_eq!(c.month(59), 2);
        assert_eq!(c.month(364), 11);
        assert_eq!(c.month(365), 0);
        assert_eq!(c.next_month_start(0), 31);
        assert_eq!(c.next_month_start(31), 59);
        assert_eq!(c.next_month_start(364), 365);
        let aug = Calendar::new(Weekday::Thursday, 7);
        assert_eq!(aug.month(0), 7);
        assert_eq!(aug.month(31), 8);
        assert_eq!(aug.weekday(3), Weekday::Sunday);
        assert_eq!(aug.week(3), 0);
        assert_eq!(aug.week(4), 1);
    }

    #[test]
    fn working_days() {
        let c = Calendar::default();
        // Friday (day 4) to Monday (day 7): one working day (Monday).
        assert_eq!(c.working_days_between(4, 7), 1);
        assert_eq!(c.working_days_between(0, 0), 0);
        assert_eq!(c.working_days_between(0, 14), 10);
        assert_eq!(c.working_days_between(2, 5), 2);
        for from in 0..14 {
            for to in from..40 {
                let slow = (from + 1..=to).filter(|&d| c.is_working_day(d)).count() as u64;
                assert_eq!(c.working_days_between(from, to), slow, "{from}..{to}");
            }
        }
    }

    #[test]
    fn weekday_parse() {
        assert_eq!(Weekday::parse("Mon"), Some(Weekday::Monday));
        assert_eq!(Weekday::parse("sunday"), Some(Weekday::Sunday));
        assert_eq!(Weekday::parse("mo"), None);
    }
}
