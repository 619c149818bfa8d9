//! The built-in default scenario keeps reproducing the national figures it
//! was calibrated to (docs/calibration.md). A change to the model that moves
//! them out of range must come with a new calibration.

use super::*;
use vardsim::metrics::By;

/// The estimate of `metric` for `group` of breakdown `by`.
fn group(r: &RunResults, metric: &str, by: By, group: &str) -> Estimate {
    r.summary
        .breakdown
        .iter()
        .find(|b| b.metric == metric && b.by == by && b.group == group)
        .unwrap_or_else(|| panic!("no {metric} by {by:?} {group}"))
        .estimate
}

#[test]
fn default_scenario_stays_calibrated() {
    // The calibration table's run (docs/calibration.md): 20 replications,
    // seed 1, so that the doctors' and nurses' "3" are known to about ±1.3
    // and ±0.6 points.
    let r = run(
        &vardsim::scenario::Scenario::load(None, &[]).unwrap(),
        20,
        1,
    );
    let same_day = metric(&r, "contact_same_day");
    // Published: 86–92 % called back the same day (2013–2018); the CI must overlap it.
    assert!(
        same_day.ci95_high >= 0.86 && same_day.ci95_low <= 0.92,
        "{same_day:?}"
    );
    // Published: 81–87 % within 3 days (Jan–Aug 2019; 63–85 % by region in
    // January); the model sits at the low end, its CI must overlap the
    // range (the therapists about an eighth of the episodes assessed, as the
    // published figures by profession imply: docs/calibration.md).
    let three = metric(&r, "assessment_within_3_days");
    assert!(
        three.ci95_high >= 0.81 && three.ci95_low <= 0.87,
        "{three:?}"
    );
    // … 85 % for doctors and 86 % for nurses (Aug 2019): each mean within
    // 2 points (the table's "a little" high or low), and a 95 % CI narrow
    // enough (under 3 points wide) for that to be a check. Before calib5
    // they were 87.2 % and 88.9 % (docs/calibration.md § Doctors' and
    // district nurses' "3").
    for (p, published) in [("doctor", 0.85), ("district_nurse", 0.86)] {
        let e = group(&r, "assessment_within_3_days", By::Profession, p);
        assert!((e.mean - published).abs() <= 0.02, "{p}: {e:?}");
        assert!(e.ci95_high - e.ci95_low < 0.03, "{p}: {e:?}");
    }
    // … and 40–58 % for physiotherapists, psychologists, occupational
    // therapists and counsellors (patients offered a far-off time go
    // elsewhere, `elsewhere_per_week`); the CI must overlap the range.
    for p in ["physiotherapist", "psychologist", "counsellor"] {
        let e = group(&r, "assessment_within_3_days", By::Profession, p);
        assert!(e.ci95_high >= 0.40 && e.ci95_low <= 0.58, "{p}: {e:?}");
    }
    // Old 7-day rule: about 66 % of doctor visits on the day of contact and
    // 11 % at 8+ days (the model: fewer on day 0 and, since six doctor posts
    // carry the absence, fewer at 8+ days, about 4 %: documented gaps in
    // docs/calibration.md).
    let day0 = group(&r, "days_to_doctor_visit", By::Days, "0");
    assert!((0.50..=0.72).contains(&day0.mean), "{day0:?}");
    let late = group(&r, "days_to_doctor_visit", By::Days, "8+");
    assert!((0.02..=0.18).contains(&late.mean), "{late:?}");
    // The whole workload: 4.4–4.8 visits per listed inhabitant and year, of
    // which doctors ≈1.5, about 35 % (SKL 2019; Socialstyrelsen 2018).
    let observed_days = 420.0 - 56.0;
    let per_listed = |visits: f64| visits * 365.0 / observed_days / 9000.0;
    let total = per_listed(metric(&r, "visits").mean);
    let doctor_visits = per_listed(group(&r, "visits", By::Profession, "doctor").mean);
    assert!((4.2..=4.9).contains(&total), "{total} visits per listed");
    assert!((1.3..=1.7).contains(&doctor_visits), "{doctor_visits}");
    assert!(
        (0.30..=0.40).contains(&(doctor_visits / total)),
        "doctor share {}",
        doctor_visits / total
    );
    // Every profession of a typical centre sees patients, and admin time is
    // paid but not bookable: doctors' time with patients stays well below
    // their paid time.
    for p in [
        "district_nurse",
        "assistant_nurse",
        "physiotherapist",
        "psychologist",
        "counsellor",
    ] {
        assert!(
            per_listed(group(&r, "visits", By::Profession, p).mean) > 0.1,
            "{p}"
        );
    }
    assert!(metric(&r, "utilization_doctor").mean < 0.6);
    // Self-care advice at triage: 40–50 % (Fam Pract 1989; Wahlberg 1999).
    let self_care = metric(&r, "patients_self_care").mean / metric(&r, "patients_arrived").mean;
    assert!((0.40..=0.50).contains(&self_care), "self-care {self_care}");
    // The books are in steady state: no trend warning.
    assert!(
        r.summary.warnings(r.measured_days).is_empty(),
        "{:?}",
        r.summary.warnings(r.measured_days)
    );
}

#[test]
fn same_day_contact_is_no_more_volatile_than_real_series() {
    // Issue 12's finding: single weeks of "0" swung from 24 % to 100 % and
    // the month-to-month change averaged 5.6 points, because the call-back
    // book ran at its day capacity and a busy day's calls took the next
    // day's times for weeks. Real monthly series move about ±4 points
    // (Jämtland Härjedalen 2016–2017: mean change 3.1 points).
    // 40 replications: a replication's mean change varies by about 1.3
    // points, so six (as before) knew the mean to ±1.1 (95 %) and the
    // 5-point bound below sat within it (4.7 over those six, 5.3 once the
    // leap-year holidays moved to their weekdays, 4.3–4.4 over 100 with
    // either calendar); forty know it to about ±0.4.
    let r = run(
        &vardsim::scenario::Scenario::load(None, &[]).unwrap(),
        40,
        1,
    );
    let mut monthly_change = Vec::new();
    let mut weekly_low = Vec::new();
    let mut summer_low = Vec::new();
    for rep in &r.replications {
        let series = |by: By| -> Vec<f64> {
            rep.observations
                .iter()
                .filter(|o| o.metric == "contact_same_day" && o.by == Some(by))
                .map(|o| o.value)
                .collect()
        };
        let months = series(By::Month);
        assert_eq!(months.len(), 12);
        let change: f64 = months.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / 11.0;
        monthly_change.push(change);
        // Outside the summer weeks (staff on summer leave): the summer dip
        // is meant (`same_day_contact_and_assessment_dip_in_the_summer`);
        // what this guards against is the year-round cascade.
        let leave = rep
            .observations
            .iter()
            .filter(|o| o.metric == "staff_summer_leave_share" && o.by == Some(By::Week))
            .map(|o| o.value)
            .collect::<Vec<f64>>();
        let weeks = series(By::Week);
        assert_eq!((weeks.len(), leave.len()), (52, 52));
        assert_eq!(leave.iter().filter(|&&l| l >= 0.05).count(), 12);
        weekly_low.push(
            weeks
                .iter()
                .zip(leave)
                .filter(|&(_, l)| l < 0.05)
                .fold(1.0, |low, (&w, _)| f64::min(low, w)),
        );
        summer_low.push(weeks.into_iter().fold(1.0, f64::min));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // 5 points since the summer dip (issue 12–13, `summer_cover`): a dip
    // is two month-to-month changes, as August's 79 % is in the published
    // series (changes of 6 and 5 points), and one unit's series moves more
    // than a region's aggregate (4.3 before the dip, 4.7 with it over six
    // replications; 4.35 ± 0.42 over these 40; docs/calibration.md).
    assert!(
        mean(&monthly_change) <= 0.05,
        "month-to-month change {monthly_change:?}"
    );
    assert!(mean(&weekly_low) >= 0.65, "weekly lows {weekly_low:?}");
    // The whole year, summer weeks included: a single week of one
    // replication reaches 47 % when days without a summer stand-in fall on
    // a Monday (docs/calibration.md), the mean of the lows stays above 55 %.
    assert!(mean(&summer_low) >= 0.55, "weekly lows {summer_low:?}");
}

#[test]
fn same_day_contact_and_assessment_dip_in_the_summer() {
    // Issue 12–13's finding: the model's "0" was best in July–August (95 %
    // against 92 % the rest of the year) because stand-ins kept the
    // call-back line at full strength through the summer leave while
    // demand fell 6–8 %. Published monthly "0" dips in August: Jämtland
    // Härjedalen 79 % against about 83 % in its other months, the regions
    // reporting monthly 88 % against about 89 % (vantetider.se Kontaktkort,
    // February 2016 – January 2017). Summer stand-ins now work half of the
    // telephone nurses' leave (`summer_cover`), so the line runs short.
    // 40 replications: a replication's "3" dip varies by about 2 points
    // (below), so six knew it to ±1.7 and forty to about ±0.7 (95 %).
    let r = run(
        &vardsim::scenario::Scenario::load(None, &[]).unwrap(),
        40,
        1,
    );
    let by_month = |rule: &str| -> Vec<f64> {
        (1..=12)
            .map(|m| group(&r, rule, By::Month, &format!("{m:02}")).mean)
            .collect()
    };
    for (rule, summer_months, least, most) in [
        // "0": July–August, where the published series dip, by one to about
        // eight points.
        ("contact_same_day", &[6, 7][..], 0.01, 0.08),
        // "3": the doctors' and nurses' summer leave (3 June – 25 August),
        // June–August; no published monthly series to size it, so only its
        // direction and a bound. Since calib5 the dip is mostly June's
        // (about 3 points; July–August about 0, 1.5 in calib4 and 5–8
        // before): the therapists' summer leave sends more of their new
        // patients elsewhere, so fewer of their long waits count in July and
        // August, and calib5's nurses' results time lowered their "3" in
        // the rest of the year (docs/calibration.md § Seasons). About 1
        // point in all (1.2 ± 0.8 here, 1.1 ± 0.4 over 100 replications):
        // the bound was 1 point while the public holidays of a leap year
        // fell a weekday early (Midsummer Day closed a Friday of June; 2.2
        // ± 0.5 over 100), and is the direction now, zero three standard
        // errors below the dip.
        ("assessment_within_3_days", &[5, 6, 7][..], 0.0, 0.20),
    ] {
        let months = by_month(rule);
        let summer =
            summer_months.iter().map(|&m| months[m]).sum::<f64>() / summer_months.len() as f64;
        let rest: Vec<f64> = months
            .iter()
            .enumerate()
            .filter(|(m, _)| !(5..=7).contains(m))
            .map(|(_, v)| *v)
            .collect();
        let rest = rest.iter().sum::<f64>() / rest.len() as f64;
        let dip = rest - summer;
        assert!(
            (least..=most).contains(&dip),
            "{rule}: months {summer_months:?} {summer:.3} against {rest:.3} the rest of the year (months {months:.3?})"
        );
    }
}

/// Issue 12: the therapists' long waits are steady because patients offered
/// a time far off go elsewhere (`elsewhere_per_week`). Without it the same
/// demand grows their backlog for ever (the trend check warns) and their
/// "3" depends on the run's length; with it the backlog is steady, the
/// waits long, and those patients are counted as their own outcome.
#[test]
fn therapists_long_waits_are_steady_because_patients_go_elsewhere() {
    let with = run(&vardsim::scenario::Scenario::load(None, &[]).unwrap(), 6, 1);
    let without = run(
        &vardsim::scenario::Scenario::load(
            None,
            &[
                "categories.rehab.elsewhere_per_week=0".to_string(),
                "categories.counselling.elsewhere_per_week=0".to_string(),
            ],
        )
        .unwrap(),
        6,
        1,
    );
    let growth = |r: &RunResults, p: &str| {
        group(r, "third_next_available_growth_days", By::Profession, p).mean
    };
    let three =
        |r: &RunResults, p: &str| group(r, "assessment_within_3_days", By::Profession, p).mean;
    for p in ["physiotherapist", "psychologist", "counsellor"] {
        assert!(growth(&with, p) < 1.0, "{p}: {}", growth(&with, p));
        assert!(growth(&without, p) > 5.0, "{p}: {}", growth(&without, p));
        assert!(
            (0.35..=0.62).contains(&three(&with, p)),
            "{p}: {}",
            three(&with, p)
        );
        assert!(three(&without, p) < 0.25, "{p}: {}", three(&without, p));
    }
    assert!(!without.summary.warnings(without.measured_days).is_empty());
    let went = metric(&with, "patients_went_elsewhere");
    assert!(went.ci95_low > 0.0, "{went:?}");
    assert_eq!(metric(&without, "patients_went_elsewhere").mean, 0.0);
}
