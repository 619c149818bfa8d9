//! Calendar helpers: which weekday, week and month a simulated day falls in.
//!
//! The simulated year has no leap days: months have their usual lengths
//! (February 28 days). The measured period starts on the first day of
//! `start_month`, a `start_weekday` (Monday unless the scenario says
//! otherwise); a warm-up of `lead` days runs before it, on the calendar days
//! before that date (a warm-up of 56 days before 1 January runs from
//! 6 November), so every day of the run has its true weekday and month.

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
    /// Lower-case Swedish name (`måndag`), for sentences of Swedish output.
    pub const fn swedish(self) -> &'static str {
        [
            "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
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
    /// Weekday of the first measured day (day `lead`).
    start_weekday: Weekday,
    /// Month whose first day is the first measured day, 0 = January.
    start_month: usize,
    /// Days before the measured period (the warm-up).
    lead: u64,
}

/// The day of year (0 = 1 January) of each month's first day.
const MONTH_FIRST: [u64; 12] = {
    let mut first = [0; 12];
    let mut m = 1;
    while m < 12 {
        first[m] = first[m - 1] + MONTH_DAYS[m - 1];
        m += 1;
    }
    first
};

/// The month of each day of the year: read by every arrival piece and
/// every episode's tallies, so a table rather than a walk over the months.
const MONTH_OF_DAY: [u8; 365] = {
    let mut month = [0; 365];
    let (mut m, mut d) = (0, 0);
    while d < 365 {
        if m < 11 && d as u64 >= MONTH_FIRST[m + 1] {
            m += 1;
        }
        month[d] = m as u8;
        d += 1;
    }
    month
};

/// The month (0 = January) of day of year `doy` (< 365) and the day of
/// year its first day has.
fn month_of(doy: u64) -> (usize, u64) {
    let m = MONTH_OF_DAY[doy as usize] as usize;
    (m, MONTH_FIRST[m])
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
        Self::with_lead(start_weekday, start_month, 0)
    }
    /// A calendar whose day `lead` is `start_weekday` and the first day of
    /// month `start_month` (0 = January): the `lead` days of a warm-up run
    /// on the calendar days before it.
    pub fn with_lead(start_weekday: Weekday, start_month: usize, lead: u64) -> Self {
        Calendar {
            start_weekday,
            start_month: start_month % 12,
            lead,
        }
    }
    /// The weekday of the first measured day (day [`Self::lead`]).
    pub fn start_weekday(&self) -> Weekday {
        self.start_weekday
    }
    /// The month (0 = January) whose first day is the first measured day.
    pub fn start_month(&self) -> usize {
        self.start_month
    }
    /// Days before the first measured day (the warm-up).
    pub fn lead(&self) -> u64 {
        self.lead
    }
    /// Day of the 365-day year (0 = 1 January) of day `day`.
    pub fn day_of_year(&self, day: u64) -> u64 {
        let first = MONTH_FIRST[self.start_month];
        (first + day % 365 + 365 - self.lead % 365) % 365
    }
    /// The weekday of day `day`.
    pub fn weekday(&self, day: u64) -> Weekday {
        Weekday::from_index(
            self.start_weekday.index() + 7 - (self.lead % 7) as usize + (day % 7) as usize,
        )
    }
    /// The weekday at time `t`.
    pub fn weekday_at(&self, t: SimTime) -> Weekday {
        self.weekday(t.day())
    }
    /// The week number counted from the start of the run: days before the
    /// first Monday are week 0.
    pub fn week(&self, day: u64) -> u64 {
        (day + self.weekday(0).index() as u64) / 7
    }
    /// The month (0 = January) of day `day`, in a 365-day year.
    pub fn month(&self, day: u64) -> usize {
        month_of(self.day_of_year(day)).0
    }
    /// First day index (> `day`) on which the month changes, i.e. the day
    /// after the last day of `day`'s month.
    pub fn next_month_start(&self, day: u64) -> u64 {
        let doy = self.day_of_year(day);
        let (m, first) = month_of(doy);
        day + (first + MONTH_DAYS[m] - doy)
    }
    /// True on Monday–Friday (public holidays are the scenario's:
    /// `Scenario::is_working_day`).
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

    /// The month tables agree with a walk over the month lengths.
    #[test]
    fn month_tables_match_the_month_lengths() {
        let mut first = 0;
        for (m, &len) in MONTH_DAYS.iter().enumerate() {
            for doy in first..first + len {
                assert_eq!(month_of(doy), (m, first), "day of year {doy}");
            }
            first += len;
        }
        assert_eq!(first, 365);
    }

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
    fn a_warm_up_runs_on_the_days_before_the_measured_start() {
        // 56 days before Monday 1 January: Monday 6 November.
        let c = Calendar::with_lead(Weekday::Monday, 0, 56);
        assert_eq!(c.weekday(0), Weekday::Monday);
        assert_eq!(c.month(0), 10);
        assert_eq!(c.day_of_year(0), 365 - 56);
        assert_eq!(c.month(24), 10); // 30 November
        assert_eq!(c.month(25), 11); // 1 December
        assert_eq!(c.next_month_start(0), 25);
        assert_eq!(c.next_month_start(25), 56);
        assert_eq!(c.month(56), 0);
        assert_eq!(c.day_of_year(56), 0);
        assert_eq!(c.weekday(56), Weekday::Monday);
        assert_eq!(c.month(56 + 31), 1);
        assert_eq!(c.month(56 + 364), 11);
        // A lead that is no whole number of weeks shifts day 0's weekday.
        let c = Calendar::with_lead(Weekday::Monday, 6, 10);
        assert_eq!(c.weekday(10), Weekday::Monday);
        assert_eq!(c.weekday(0), Weekday::Friday);
        assert_eq!(c.month(9), 5);
        assert_eq!(c.month(10), 6);
        // Every day: the month changes exactly where next_month_start says.
        for lead in [0, 3, 56, 400] {
            let c = Calendar::with_lead(Weekday::Wednesday, 3, lead);
            let mut next = c.next_month_start(0);
            for d in 1..800 {
                if d == next {
                    assert_ne!(c.month(d), c.month(d - 1), "lead {lead} day {d}");
                    next = c.next_month_start(d);
                } else {
                    assert_eq!(c.month(d), c.month(d - 1), "lead {lead} day {d}");
                }
                assert_eq!(c.weekday(d).index(), (c.weekday(d - 1).index() + 1) % 7);
            }
        }
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
