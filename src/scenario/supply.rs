//! Staff supply in checked form: the `[supply]` table (absence, summer
//! leave, public holidays) and the Swedish public holidays of a year.
//!
//! The model (`model/supply.rs`) turns this, each group's vacancies and hired
//! staff and each profession's absence rates into the days each staff member
//! works.
//!
//! ```
//! use vardsim::scenario::supply::closed_days;
//! // 2024: Good Friday 29 March and Easter Monday 1 April: days 88 and 91
//! // of the model's 365-day year, a Friday and a Monday (day 0 is Monday
//! // 1 January; weekdays kept, so in a leap year the dates from March are
//! // one day later in the 365-day year).
//! let days = closed_days(2024);
//! assert!(days.contains(&88) && days.contains(&91));
//! assert_eq!((88 % 7, 91 % 7), (4, 0));
//! ```

pub use super::file::OnAbsence;

/// `[supply]` as the model reads it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Supply {
    /// Days of the 365-day year on which units are closed (public holidays
    /// and the eves treated as such), sorted; empty when not modelled.
    pub closed: Vec<u16>,
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

/// The real day of the year to the simulated 365-day year, keeping its
/// weekday: the simulated calendar runs by weekdays (`start_weekday`), and
/// a unit closed on Easter Monday must close on a Monday. In a leap year
/// the dates from March are one day later in the simulated year (it has
/// no 29 February) and 31 December is its last day. (Keeping month and
/// day instead put every later holiday one weekday early: Easter Monday
/// on a Sunday, so nobody closed for it.)
fn to_sim(doy: u32) -> u16 {
    doy.min(364) as u16
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

/// The days of `year` (as days of the simulated 365-day year) on which
/// Swedish health centres close: the public holidays of lag (1989:253) om
/// allmänna helgdagar that fall on weekdays matter, all are listed — New
/// Year's Day, Epiphany, Good Friday, Easter Sunday and Monday, 1 May,
/// Ascension Day, 6 June, Midsummer Day, All Saints' Day, Christmas Day,
/// Boxing Day — plus Midsummer, Christmas and New Year's Eve, which the
/// collective agreements treat as holidays. Sorted.
pub fn closed_days(year: i32) -> Vec<u16> {
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
    let mut out: Vec<u16> = real.into_iter().map(to_sim).collect();
    out.sort_unstable();
    out.dedup();
    out
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
        let d = closed_days(2025);
        let doy = |m: u32, day: u32| real_doy(2025, m, day) as u16;
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
    fn holidays_keep_their_weekdays_in_leap_years_too() {
        // An audit's finding: in 2024 (the default's year, a leap year)
        // Good Friday fell on a Thursday and Easter Monday on a Sunday of
        // the simulated year. Every real day of the year keeps its weekday
        // (the simulated year starting on 1 January's weekday), but the
        // 366th, which shares the year's last day.
        for year in [2024, 2025, 2028, 2029] {
            for month in 1..=12 {
                let length =
                    MONTH_DAYS[month as usize - 1] + u32::from(month == 2 && is_leap(year));
                for day in 1..=length {
                    let doy = real_doy(year, month, day);
                    if doy >= 365 {
                        continue; // a leap year's 31 December
                    }
                    let sim = u32::from(to_sim(doy));
                    assert_eq!(
                        (sim + new_year_weekday(year)) % 7,
                        weekday(year, month, day),
                        "{year}-{month}-{day}"
                    );
                }
            }
        }
        // 2024: Good Friday 29 March and Easter Monday 1 April (a Monday 1
        // January: day 0 a Monday), 25 December, and New Year's Eve on the
        // last day.
        let closed = closed_days(2024);
        for (sim, weekday) in [(88, 4), (91, 0), (359, 2)] {
            assert!(closed.contains(&sim), "{sim}");
            assert_eq!(sim % 7, weekday);
        }
        assert!(closed.contains(&364));
    }
}
