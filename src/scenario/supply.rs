//! Staff supply in checked form: the `[supply]` table (absence, summer
//! leave, public holidays) and the Swedish public holidays of a year.
//!
//! The model (`model/supply.rs`) turns this, each group's vacancies and hired
//! staff and each profession's absence rates into the days each staff member
//! works.
//!
//! ```
//! use vardsim::scenario::supply::closed_days;
//! // A run whose simulated day 56 is Monday 1 January 2024 (eight weeks of
//! // warm-up): Christmas 2023 is Monday 25 and Tuesday 26 December, days 49
//! // and 50; Good Friday 29 March and Easter Monday 1 April 2024 are days
//! // 144 and 147, a Friday and a Monday (day 0 a Monday).
//! let days = closed_days(2024, 56, 420);
//! assert!(days.contains(&49) && days.contains(&50) && !days.contains(&51));
//! assert!(days.contains(&144) && days.contains(&147));
//! assert_eq!((144 % 7, 147 % 7), (4, 0));
//! ```

pub use super::file::OnAbsence;

/// `[supply]` as the model reads it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Supply {
    /// Simulated days on which units are closed (public holidays and the
    /// eves treated as such, each on its real date: the warm-up's December
    /// is the year before's), sorted; empty when not modelled.
    pub closed: Vec<u32>,
    /// Draw unplanned and planned absence.
    pub absence: bool,
    /// Mean length of an unplanned spell, days.
    pub spell_days: f64,
    /// What happens to an absent member's booked patients.
    pub on_absence: OnAbsence,
    /// Weeks of summer leave per employed member (0 = none).
    pub summer_weeks: u32,
    /// Day of the year from which the first period's Monday is found.
    pub summer_start: u16,
    /// Periods taken in turn.
    pub summer_periods: u32,
}

/// Easter Sunday of `year` as (month 1–12, day) (the anonymous Gregorian
/// algorithm, Meeus/Jones/Butcher).
pub fn easter(year: i32) -> (u32, u32) {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    (month as u32, day as u32)
}

const MONTH_DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Day of the real year (0 = 1 January) of (month, day).
fn real_doy(year: i32, month: u32, day: u32) -> u32 {
    let before: u32 = MONTH_DAYS[..month as usize - 1].iter().sum();
    before + day - 1 + u32::from(month > 2 && is_leap(year))
}

/// Days from 1 January 1970 to 1 January of `year` (proleptic Gregorian).
fn new_year_day(year: i32) -> i64 {
    let leaps_before = |y: i64| (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
    let y = i64::from(year);
    365 * (y - 1970) + leaps_before(y) - leaps_before(1970)
}

/// Weekday (0 = Monday) of (year, month, day) (Sakamoto).
fn weekday(year: i32, month: u32, day: u32) -> u32 {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let sunday0 = (y + y / 4 - y / 100 + y / 400 + T[month as usize - 1] + day as i32) % 7;
    ((sunday0 + 6) % 7) as u32
}

/// Weekday (0 = Monday) of 1 January of `year`.
pub fn new_year_weekday(year: i32) -> u32 {
    weekday(year, 1, 1)
}

/// The simulated days `0..=days` on which Swedish health centres close,
/// in a run whose simulated day `jan1` is 1 January of `year`: each day is
/// its real date counted from there, so a holiday falls on its real weekday
/// (in a leap year too), the warm-up's Christmas is the year before's and a
/// second year has its own Easter. Sorted.
pub fn closed_days(year: i32, jan1: u64, days: u64) -> Vec<u32> {
    // The real day (from 1970) of simulated day 0, and of the last.
    let origin = new_year_day(year) - jan1 as i64;
    let last = origin + days as i64;
    let mut out = Vec::new();
    let mut y = year - (jan1 / 365) as i32 - 1;
    while new_year_day(y) <= last {
        let first = new_year_day(y);
        for doy in holidays(y) {
            let d = first + i64::from(doy);
            if (origin..=last).contains(&d) {
                out.push((d - origin) as u32);
            }
        }
        y += 1;
    }
    out
}

/// The days of `year` (0 = 1 January, 29 February counted) on which
/// Swedish health centres close: the public holidays of lag (1989:253) om
/// allmänna helgdagar that fall on weekdays matter, all are listed — New
/// Year's Day, Epiphany, Good Friday, Easter Sunday and Monday, 1 May,
/// Ascension Day, 6 June, Midsummer Day, All Saints' Day, Christmas Day,
/// Boxing Day — plus Midsummer, Christmas and New Year's Eve, which the
/// collective agreements treat as holidays. Sorted.
fn holidays(year: i32) -> Vec<u32> {
    let (em, ed) = easter(year);
    let easter_doy = real_doy(year, em, ed);
    let mut real = vec![
        real_doy(year, 1, 1),
        real_doy(year, 1, 6),
        easter_doy - 2,
        easter_doy,
        easter_doy + 1,
        easter_doy + 39,
        real_doy(year, 5, 1),
        real_doy(year, 6, 6),
        real_doy(year, 12, 24),
        real_doy(year, 12, 25),
        real_doy(year, 12, 26),
        real_doy(year, 12, 31),
    ];
    // Midsummer Eve: the Friday 19–25 June; Midsummer Day the Saturday after.
    let midsummer_eve = (19..=25).find(|&d| weekday(year, 6, d) == 4).unwrap_or(19);
    real.push(real_doy(year, 6, midsummer_eve));
    real.push(real_doy(year, 6, midsummer_eve) + 1);
    // All Saints' Day: the Saturday 31 October – 6 November.
    let all_saints = (31..=37)
        .map(|d| if d <= 31 { (10, d) } else { (11, d - 31) })
        .find(|&(m, d)| weekday(year, m, d) == 5)
        .unwrap_or((11, 1));
    real.push(real_doy(year, all_saints.0, all_saints.1));
    real.sort_unstable();
    real.dedup();
    real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_of_known_years() {
        assert_eq!(easter(2024), (3, 31));
        assert_eq!(easter(2025), (4, 20));
        assert_eq!(easter(2026), (4, 5));
        assert_eq!(easter(2019), (4, 21));
        assert_eq!(easter(2038), (4, 25)); // the latest possible date
        assert_eq!(easter(2285), (3, 22)); // the earliest
    }

    #[test]
    fn swedish_holidays_2025() {
        // 2025: Good Friday 18 April, Easter Monday 21 April, Ascension
        // 29 May, Midsummer Eve 20 June, All Saints' Day 1 November.
        let d = holidays(2025);
        let doy = |m: u32, day: u32| real_doy(2025, m, day);
        for (m, day) in [
            (1, 1),
            (1, 6),
            (4, 18),
            (4, 21),
            (5, 1),
            (5, 29),
            (6, 6),
            (6, 20),
            (6, 21),
            (11, 1),
            (12, 24),
            (12, 25),
            (12, 26),
            (12, 31),
        ] {
            assert!(d.contains(&doy(m, day)), "{m}-{day} missing");
        }
        assert_eq!(d.len(), 15);
        assert_eq!(new_year_weekday(2024), 0); // a Monday
        assert_eq!(new_year_weekday(2025), 2); // a Wednesday
    }

    #[test]
    fn every_closed_day_falls_on_its_real_weekday_warm_up_and_later_years_included() {
        // Audits' findings: in 2024 (the default's year, a leap year) Good
        // Friday fell on a Thursday and Easter Monday on a Sunday of the
        // simulated year; once the weekdays were kept, the warm-up's
        // Christmas was 2024's (Tuesday to Thursday) instead of 2023's
        // (Monday and Tuesday). Each simulated day is now its real date.
        for (year, jan1) in [(2024, 56), (2025, 56), (2028, 0), (2029, 300)] {
            let days = 3 * 366;
            let closed = closed_days(year, jan1, days);
            assert!(closed.windows(2).all(|w| w[0] < w[1]), "sorted");
            // Simulated day 0's real weekday: 1 January's, `jan1` days back.
            let day0 = (new_year_weekday(year) as i64 - jan1 as i64).rem_euclid(7);
            let mut expected = Vec::new();
            for y in year - 2..=year + 4 {
                for doy in holidays(y) {
                    let sim = new_year_day(y) + i64::from(doy) - new_year_day(year) + jan1 as i64;
                    if (0..=days as i64).contains(&sim) {
                        expected.push(sim as u32);
                        // The weekday the real calendar gives that date.
                        let (m, d) = date_of(y, doy);
                        assert_eq!(
                            (day0 + sim) % 7,
                            i64::from(weekday(y, m, d)),
                            "{y}-{m}-{d} on simulated day {sim}"
                        );
                    }
                }
            }
            assert_eq!(closed, expected, "{year}");
        }
        // The default's calendar: eight weeks of warm-up before Monday
        // 1 January 2024. Christmas 2023 is Monday 25 and Tuesday 26
        // December (Christmas and New Year's Eve are Sundays); 2024's Good
        // Friday and Easter Monday a Friday and a Monday; 2024's Christmas
        // Eve a Tuesday and New Year's Eve the year's 366th day.
        let closed = closed_days(2024, 56, 430);
        for sim in [49, 50, 56, 56 + 5, 56 + 88, 56 + 91, 56 + 358, 56 + 365] {
            assert!(closed.contains(&sim), "{sim}");
        }
        assert!(
            !closed.contains(&51),
            "27 December 2023 was a Wednesday at work"
        );
    }

    /// (month, day) of day `doy` (0 = 1 January) of `year`.
    fn date_of(year: i32, doy: u32) -> (u32, u32) {
        let mut left = doy;
        for (m, &len) in MONTH_DAYS.iter().enumerate() {
            let len = len + u32::from(m == 1 && is_leap(year));
            if left < len {
                return (m as u32 + 1, left + 1);
            }
            left -= len;
        }
        unreachable!("a day of the year")
    }
}
