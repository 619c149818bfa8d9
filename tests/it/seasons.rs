//! A year that is a year (issue 12): the warm-up runs before the measured
//! calendar year, every month is measured, and staff head counts can change
//! by date (summer holidays).

use super::*;
use vardsim::metrics::By;

/// (group, estimate) of `metric` broken down by `by`.
fn groups(results: &RunResults, metric: &str, by: By) -> Vec<(String, Estimate)> {
    results
        .summary
        .breakdown
        .iter()
        .filter(|b| b.metric == metric && b.by == by)
        .map(|b| (b.group.clone(), b.estimate))
        .collect()
}

#[test]
fn every_month_and_week_of_the_year_is_measured_and_summer_is_worse() {
    // Before: the 8-week warm-up took the first weeks of the simulated
    // year, so weeks 01–08 (January–February, the influenza peak) were
    // never measured, and with the same staff all year the weekly "0" and
    // "3" were best in July–August (demand dips, staff did not).
    let sc = load("scenarios/default.toml", &[]);
    assert_eq!(sc.calendar.lead(), 56);
    assert_eq!(sc.calendar.month(sc.warmup_days as u64), 0);
    // 40 replications: enough for the summer dip below to be a check.
    let results = run(&sc, 40, 1);
    for rule in ["contact_same_day", "assessment_within_3_days"] {
        let months = groups(&results, rule, By::Month);
        let names: Vec<&str> = months.iter().map(|(g, _)| g.as_str()).collect();
        assert_eq!(
            names,
            [
                "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"
            ]
        );
    }
    assert_eq!(groups(&results, "contact_same_day", By::Week).len(), 52);
    // Summer leave (the `[supply]` rule, three periods from 3 June): "3" in
    // June–August is below the months outside summer (January–May and
    // October–December; September's nurses' books still work off the
    // summer, docs/calibration.md § Seasons). By how much no published monthly "3" series says
    // (docs/calibration.md § Known gaps), so the test keeps the direction
    // the finding above is about: summer no longer the best. The dip is
    // about 1 point: 1.0 ± 0.4 (100 replications, seed 1; 1.2 ± 0.7 in
    // these 40), mostly June's (78 % against 80–84 %); the therapists'
    // patients go elsewhere more in July–August, so fewer of their long
    // waits count (docs/calibration.md § Seasons). It was sized at 2
    // points when the public holidays of a leap year fell a weekday early:
    // Midsummer Day (a Saturday) closed a Friday of June, All Saints' Day
    // a Friday of November, Easter Monday a Sunday, so June had one more
    // closed weekday and November one more than they have (the same run:
    // 2.1 ± 0.5, June 76 %). A replication's dip varies by about 2 points,
    // so 40 replications put zero three standard errors below it.
    let months = groups(&results, "assessment_within_3_days", By::Month);
    let summer = (months[5].1.mean + months[6].1.mean + months[7].1.mean) / 3.0;
    let rest: Vec<f64> = months
        .iter()
        .enumerate()
        .filter(|(m, _)| !(5..=8).contains(m))
        .map(|(_, (_, e))| e.mean)
        .collect();
    let rest = rest.iter().sum::<f64>() / rest.len() as f64;
    assert!(summer < rest, "June–August {summer} vs other months {rest}");
}

#[test]
fn a_dated_head_count_leaves_members_away_between_its_dates() {
    let sc = parse(
        r#"
name = "dated"
[simulation]
horizon_days = 28
warmup_days = 7
start_month = 7
[units.vc.staff.doctor]
count = 3
dated = [{ from = "07-08", to = "07-14", away = 2 }, { from = "12-30", to = "01-02", away = 1 }]
shifts = [{ days = "mon-fri", start = "08:00", end = "16:00", activity = "visits" }]
[categories.acute]
share = 1.0
assess = ["doctor"]
service_minutes.doctor = { dist = "constant", value = 20 }
"#,
        &[],
    );
    let g = &sc.units[0].staff[0];
    let doy = |m: usize, d: u64| -> u64 {
        [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][m - 1] + d - 1
    };
    assert!(g.works_on(2, doy(7, 7)));
    assert!(!g.works_on(1, doy(7, 8)) && g.works_on(0, doy(7, 8)));
    assert!(!g.works_on(2, doy(7, 14)) && g.works_on(2, doy(7, 15)));
    // A range across the year end.
    assert!(!g.works_on(2, doy(12, 31)) && !g.works_on(2, doy(1, 2)) && g.works_on(1, doy(1, 1)));
    // Paid time: the week 8–14 July has one doctor instead of three.
    let results = run(&sc, 1, 1);
    let cost = metric(&results, "staff_cost_sek_per_year").mean;
    let full = {
        let sc = parse(
            r#"
name = "dated"
[simulation]
horizon_days = 28
warmup_days = 7
start_month = 7
[units.vc.staff.doctor]
count = 3
shifts = [{ days = "mon-fri", start = "08:00", end = "16:00", activity = "visits" }]
[categories.acute]
share = 1.0
assess = ["doctor"]
service_minutes.doctor = { dist = "constant", value = 20 }
"#,
            &[],
        );
        metric(&run(&sc, 1, 1), "staff_cost_sek_per_year").mean
    };
    // 21 measured days from 1 July: 15 working days × 3 doctors in full,
    // 5 of them with one doctor instead: 45 → 35 doctor-days.
    assert!((cost / full - 35.0 / 45.0).abs() < 1e-9, "{cost} / {full}");
}

#[test]
fn more_away_than_the_group_has_means_none_work_and_overlaps_are_refused() {
    let text = r#"
name = "dated"
[units.vc.staff.doctor]
count = 2
dated = [{ from = "07-01", to = "07-31", away = 3 }, { from = "07-15", to = "08-15", away = 1 }]
shifts = [{ days = "mon-fri", start = "08:00", end = "16:00", activity = "visits" }]
[categories.acute]
share = 1.0
assess = ["doctor"]
service_minutes.doctor = { dist = "constant", value = 20 }
"#;
    let err = vardsim::scenario::Scenario::from_toml("s.toml", text, &[])
        .expect_err("refused")
        .to_string();
    assert!(err.contains("dated[1]") && err.contains("overlap"), "{err}");
    assert!(!err.contains("dated[0]"), "{err}");
    // Without the overlap it loads, and in July nobody works.
    let ok = text.replace("07-15", "08-01");
    let sc = vardsim::scenario::Scenario::from_toml("s.toml", &ok, &[]).unwrap();
    let g = &sc.units[0].staff[0];
    assert!(!g.works_on(0, 181 + 9) && g.works_on(0, 181 + 31 + 20));
    // The default loads whatever the number of doctors (found when
    // `--set units.vc.staff.doctor.count=2` was refused by its dated
    // summer head counts, since replaced by the `[supply]` rule).
    for n in ["1", "2", "8"] {
        super::load(
            "scenarios/default.toml",
            &[&format!("units.vc.staff.doctor.count={n}")],
        );
    }
    let bad_date = text.replace("08-15", "02-30");
    let err = vardsim::scenario::Scenario::from_toml("s.toml", &bad_date, &[])
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("dated[1].to") && err.contains("MM-DD"),
        "{err}"
    );
}
