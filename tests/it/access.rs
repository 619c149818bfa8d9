//! The access flow on small hand-computable scenarios: telephone call-back
//! capacity and triage routing.

use super::*;

/// One nurse on the telephone 08:00–09:00 on weekdays with 10-minute
/// call-back times: six call-backs a day. `calls` calls come every Monday.
fn callback_scenario(calls: usize, extra: &str) -> String {
    let times: Vec<String> = (0..calls).map(|i| format!("\"mon 08:{i:02}\"")).collect();
    format!(
        r#"
name = "callback"
[simulation]
horizon_days = 35
warmup_days = 7
[units.vc.phone]
hours = [{{ days = "mon-fri", start = "08:00", end = "09:00" }}]
callback_slot_minutes = 10
triage_minutes = {{ dist = "constant", value = 5 }}
[units.vc.demand.phone]
weekly_times = [{}]
[units.vc.staff.nurse]
count = 1
shifts = [{{ days = "mon-fri", start = "08:00", end = "09:00", activity = "telephone" }}]
[categories.any]
share = 1.0
assess = ["nurse"]
service_minutes.nurse = {{ dist = "constant", value = 15 }}
self_care_resolves = 1.0
{extra}
"#,
        times.join(", ")
    )
}

#[test]
fn call_back_capacity_exactly_filled_gives_everyone_a_same_day_call() {
    let r = run(&parse(&callback_scenario(6, ""), &[]), 2, 1);
    assert_eq!(metric(&r, "contact_same_day").mean, 1.0);
    assert_eq!(metric(&r, "phone_called_back_same_day").mean, 1.0);
    assert_eq!(
        metric(&r, "phone_calls").mean,
        24.0,
        "four observed Mondays × 6"
    );
    // Calls at 08:00…08:05 are called back at 08:00, 08:10, …, 08:50:
    // delays 0, 9, 18, 27, 36, 45 minutes.
    assert!((metric(&r, "callback_delay_minutes_mean").mean - 22.5).abs() < 1e-9);
    assert_eq!(metric(&r, "patients_self_care").mean, 24.0);
}

#[test]
fn one_call_more_than_capacity_fails_the_same_day_rule() {
    let r = run(&parse(&callback_scenario(7, ""), &[]), 2, 1);
    // The seventh caller each Monday is called back on Tuesday at 08:00.
    assert!((metric(&r, "contact_same_day").mean - 6.0 / 7.0).abs() < 1e-12);
    assert!((metric(&r, "phone_called_back_same_day").mean - 6.0 / 7.0).abs() < 1e-12);
}

#[test]
fn long_calls_push_later_call_backs() {
    // 15-minute calls in 10-minute times: call-backs start at 08:00, 08:15, 08:30, …
    let text = callback_scenario(4, "").replace("value = 5 }", "value = 15 }");
    let s = parse(&text, &[]);
    let rec = vardsim::model::simulate(&s, 1, 0);
    let starts: Vec<u64> = rec
        .contacts
        .iter()
        .take(4)
        .map(|c| c.start.second_of_day() / 60)
        .collect();
    assert_eq!(starts, vec![8 * 60, 8 * 60 + 15, 8 * 60 + 30, 8 * 60 + 45]);
}

#[test]
fn triage_routes_by_the_category_weights() {
    // Half resolve by self-care; of the rest, 3 in 4 go to the emergency department.
    let mut text = callback_scenario(6, "after_triage = { book = 1, emergency = 3 }");
    text = text.replace("self_care_resolves = 1.0", "self_care_resolves = 0.5");
    text = text.replace("horizon_days = 35", "horizon_days = 1407");
    let r = run(&parse(&text, &[]), 4, 1);
    let n = metric(&r, "patients_arrived").mean;
    let self_care = metric(&r, "patients_self_care").mean / n;
    let emergency = metric(&r, "patients_emergency_dept").mean / n;
    // 4 × 200 weeks × 6 calls = 4 800 patients: binomial sd of a share ≈ 0.007.
    assert!(
        (self_care - 0.5).abs() < 0.03,
        "self-care share {self_care}"
    );
    assert!(
        (emergency - 0.375).abs() < 0.03,
        "emergency share {emergency}"
    );
}

#[test]
fn eservice_requests_wait_for_the_next_eservice_shift() {
    // Requests at 18:00 on Mondays; one nurse answers 08:00–09:00 on weekdays
    // (10 minutes each): the answer comes 14 h later, Tuesday 08:00, and the
    // patient is then routed like after triage (here: self-care).
    let text = r#"
name = "eservice"
[simulation]
horizon_days = 35
warmup_days = 7
[units.vc.eservice]
answer_minutes = { dist = "constant", value = 10 }
[units.vc.demand.eservice]
weekly_times = ["mon 18:00", "mon 18:00"]
[units.vc.staff.nurse]
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "09:00", activity = "eservice" }]
[categories.any]
share = 1.0
assess = ["nurse"]
service_minutes.nurse = { dist = "constant", value = 15 }
self_care_resolves = 1.0
"#;
    let r = run(&parse(text, &[]), 2, 1);
    // First answered at 08:00 (14 h), second at 08:10.
    assert!((metric(&r, "eservice_response_minutes_mean").mean - (14.0 * 60.0 + 5.0)).abs() < 1e-9);
    assert_eq!(metric(&r, "eservice_requests").mean, 8.0);
    assert_eq!(metric(&r, "patients_self_care").mean, 8.0);
    // The built-in "0" rule measures telephone accessibility only; measured on
    // the e-service channel instead, nobody had contact the same day.
    assert!(metric(&r, "contact_same_day").mean.is_nan());
    let r2 = run(
        &parse(
            text,
            &["guarantee.contact_same_day.channels=[\"eservice\"]"],
        ),
        2,
        1,
    );
    assert_eq!(
        metric(&r2, "contact_same_day").mean,
        0.0,
        "answered the next day"
    );
    // 2 × 10 min of answers in 5 × 60 min of e-service time a week.
    assert!((metric(&r, "utilization_nurse").mean - 20.0 / 300.0).abs() < 1e-12);
}
