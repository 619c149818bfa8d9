//! Regions of many units sharing resources: a regional telephone line and a
//! digital provider answer for several units, whose own services then take
//! over (booking in the caller's unit); results per unit.

use super::*;
use vardsim::model::simulate;
use vardsim::vocab::kinds::ContactKind;

/// A hub whose telephone nurse and e-service nurse answer for itself and
/// for `by`; call-back capacity 08:00–09:00 in 10-minute times = 6 calls.
fn region(calls_hub: usize, calls_by: usize) -> Scenario {
    let times = |n: usize| vec!["\"mon 07:30\""; n].join(", ");
    let text = format!(
        r#"
name = "region"
[simulation]
horizon_days = 1
warmup_days = 0

[units.hub.phone]
hours = [{{ days = "mon", start = "07:00", end = "17:00" }}]
callback_slot_minutes = 10
triage_minutes = {{ dist = "constant", value = 10 }}
[units.hub.eservice]
answer_minutes = {{ dist = "constant", value = 30 }}
[units.hub.demand.phone]
weekly_times = [{}]
[units.hub.staff.nurse]
count = 1
shifts = [
  {{ days = "mon", start = "08:00", end = "09:00", activity = "telephone" }},
  {{ days = "mon", start = "13:00", end = "14:00", activity = "eservice" }},
]

[units.by.phone]
hours = [{{ days = "mon", start = "07:00", end = "17:00" }}]
answered_by = "hub"
[units.by.eservice]
answered_by = "hub"
[units.by.demand.phone]
weekly_times = [{}]
[units.by.demand.eservice]
weekly_times = ["mon 07:00", "mon 07:05"]
[units.by.staff.doctor]
count = 1
shifts = [
  {{ days = "mon", start = "10:00", end = "12:00", activity = "visits", slot_minutes = 15, slot_type = "acute" }},
  {{ days = "mon", start = "14:00", end = "15:00", activity = "visits", slot_minutes = 15, slot_type = "acute" }},
]

[categories.acute]
share = 1.0
urgency = "same_day"
assess = ["doctor"]
service_minutes.doctor = {{ dist = "constant", value = 15 }}
self_care_resolves = 0.0
after_triage = {{ book = 1.0 }}
"#,
        times(calls_hub),
        times(calls_by)
    );
    parse(&text, &[])
}

#[test]
fn a_shared_line_answers_for_both_units_from_one_capacity() {
    // 3 + 3 callers fill the hub's six call-back times exactly.
    let s = region(3, 3);
    let rec = simulate(&s, 1, 0);
    let by = s.units.iter().position(|u| u.key == "by").unwrap();
    let calls: Vec<_> = rec
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::TriageCall)
        .collect();
    assert_eq!(calls.len(), 6);
    assert!(calls.iter().all(|c| c.start.second_of_day() < 9 * 3600));
    // Each call is recorded for the caller's own unit.
    assert_eq!(calls.iter().filter(|c| c.unit.index() == by).count(), 3);
    let r = run(&s, 2, 1);
    assert_eq!(metric(&r, "contact_same_day").mean, 1.0);

    // One caller more (from either unit) and one call fails the same day.
    for (h, b) in [(4, 3), (3, 4)] {
        let r = run(&region(h, b), 2, 1);
        let same_day = metric(&r, "contact_same_day").mean;
        assert!((same_day - 6.0 / 7.0).abs() < 1e-9, "{h}+{b}: {same_day}");
    }
}

#[test]
fn after_the_shared_line_the_callers_own_unit_books_them() {
    let s = region(0, 3);
    let rec = simulate(&s, 1, 0);
    let by = s.units.iter().position(|u| u.key == "by").unwrap();
    let visits: Vec<_> = rec
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::Visit)
        .collect();
    // Three from the phone, two from e-service requests, all in by's book.
    assert_eq!(visits.len(), 5);
    assert!(visits.iter().all(|c| c.unit.index() == by));
    // The hub's nurse answered the e-service requests in her 13:00 block.
    let answers: Vec<_> = rec
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::EService)
        .map(|c| c.start.second_of_day() / 60)
        .collect();
    assert_eq!(answers, [13 * 60, 13 * 60 + 30]);
}

#[test]
fn a_unit_cannot_answer_for_itself_or_name_a_missing_unit() {
    let text = r#"
name = "bad"
[units.a.phone]
hours = [{ days = "mon", start = "08:00", end = "17:00" }]
answered_by = "a"
[units.a.eservice]
answered_by = "nowhere"
[units.a.demand.phone]
per_hour = 1
[categories.x]
share = 1.0
assess = ["nurse"]
service_minutes.nurse = { dist = "constant", value = 5 }
"#;
    let err = vardsim::scenario::Scenario::from_toml("bad.toml", text, &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("units.a.phone.answered_by"), "{err}");
    assert!(err.contains("unknown unit \"nowhere\""), "{err}");
}
