//! Who is seen first and by whom: urgency before arrival order (checked
//! against the non-preemptive priority M/M/1), professions' eligibility, and
//! the two closing policies.

use super::*;
use vardsim::metrics::By;
use vardsim::model::simulate;

const TWO_CLASSES: &str = r#"
name = "priority"
[simulation]
horizon_days = 3650
warmup_days = 30
[units.desk.dropin]
hours = [{ days = "all", start = "00:00", end = "24:00" }]
[units.desk.demand.walk_in]
per_hour = 0.6
[units.desk.staff.nurse]
count = 1
shifts = [{ days = "all", start = "00:00", end = "24:00", activity = "dropin" }]
[categories.urgent]
share = 0.5
urgency = "same_day"
assess = ["nurse"]
service_minutes.nurse = { dist = "exponential", mean = 60 }
[categories.routine]
share = 0.5
urgency = "within_2_weeks"
assess = ["nurse"]
service_minutes.nurse = { dist = "exponential", mean = 60 }
"#;

#[test]
fn urgent_patients_go_first_as_in_the_priority_queue_formula() {
    // Non-preemptive M/M/1 with two classes (Cobham 1954):
    // W0 = Σ λ_i E[S_i²] / 2, W_1 = W0 / (1 − ρ1), W_2 = W0 / ((1 − ρ1)(1 − ρ)).
    let r = run(&parse(TWO_CLASSES, &[]), 10, 7);
    let (l1, l2, es2) = (0.3, 0.3, 2.0); // per hour; E[S²] = 2/μ² h²
    let (rho1, rho) = (0.3, 0.6);
    let w0 = (l1 + l2) * es2 / 2.0;
    let exact = [
        ("urgent", w0 / (1.0 - rho1) * 60.0),
        ("routine", w0 / ((1.0 - rho1) * (1.0 - rho)) * 60.0),
    ];
    for (group, minutes) in exact {
        let e = r
            .summary
            .breakdown
            .iter()
            .find(|b| {
                b.metric == "dropin_wait_minutes_mean" && b.by == By::Category && b.group == group
            })
            .unwrap_or_else(|| panic!("no breakdown for {group}"))
            .estimate;
        assert_in_ci(group, &e, minutes);
    }
}

const DESK: &str = r#"
name = "desk"
[simulation]
horizon_days = 120
warmup_days = 7
[units.vc.dropin]
hours = [{ days = "mon-fri", start = "08:00", end = "12:00" }]
[units.vc.demand.walk_in]
per_hour = 5.0
[units.vc.staff.nurse]
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "12:00", activity = "dropin" }]
[units.vc.staff.doctor]
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "12:00", activity = "dropin" }]
[categories.doctor_only]
share = 0.4
assess = ["doctor"]
service_minutes.doctor = { dist = "exponential", mean = 20 }
[categories.either]
share = 0.6
assess = ["nurse", "doctor"]
service_minutes.nurse = { dist = "exponential", mean = 15 }
service_minutes.doctor = { dist = "constant", value = 20 }
"#;

#[test]
fn nobody_is_seen_by_a_profession_that_may_not_assess_them() {
    let s = parse(DESK, &[]);
    let nurse = s.profession("nurse").unwrap();
    let doctor_only = s
        .categories
        .iter()
        .position(|c| c.key == "doctor_only")
        .unwrap();
    let rec = simulate(&s, 1, 0);
    let mut checked = 0;
    for c in &rec.contacts {
        if rec.episodes[c.patient.index()].category.index() == doctor_only {
            assert_ne!(c.profession, nurse);
            checked += 1;
        }
    }
    assert!(checked > 100);
}

#[test]
fn see_all_works_overtime_and_send_away_sends_away() {
    // 5 patients an hour for a nurse and a doctor overloads the desk: a queue at noon.
    let see_all = run(&parse(DESK, &[]), 4, 1);
    assert!(metric(&see_all, "overtime_minutes_per_day").mean > 10.0);
    assert_eq!(metric(&see_all, "patients_sent_away").mean, 0.0);

    let s = parse(DESK, &["units.vc.dropin.at_closing=send_away"]);
    let send_away = run(&s, 4, 1);
    assert!(metric(&send_away, "patients_sent_away").mean > 10.0);
    let rec = simulate(&s, 1, 0);
    for c in &rec.contacts {
        assert!(
            c.start.second_of_day() < 12 * 3600,
            "seen after closing at {}",
            c.start
        );
    }
    // Only patients already with staff at noon are finished after closing.
    assert!(
        metric(&send_away, "overtime_minutes_per_day").mean
            < metric(&see_all, "overtime_minutes_per_day").mean
    );
}
