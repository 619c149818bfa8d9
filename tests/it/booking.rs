//! Appointment books on hand-computable cases: the earliest eligible slot,
//! profession-neutral versus doctors-only booking, whether the triage call
//! counts as the medical assessment, and the no-show curve.

use super::*;
use vardsim::model::flows::booking::lead_bucket;
use vardsim::model::simulate;

/// One call every Monday at 08:00, called back at 08:00 (5-minute triage),
/// then booked. Nurse visit slots Monday–Friday 09:00–10:00; doctor slots
/// only on Fridays 10:00–11:00; physiotherapist slots 08:00–09:00 daily,
/// but physiotherapists may not assess this case.
const BOOKING: &str = r#"
name = "booking"
[simulation]
horizon_days = 35
warmup_days = 7
[units.vc.phone]
hours = [{ days = "mon-fri", start = "08:00", end = "09:00" }]
callback_slot_minutes = 10
triage_minutes = { dist = "constant", value = 5 }
[units.vc.demand.phone]
weekly_times = ["mon 08:00"]
[units.vc.booking]
no_show = [0, 0, 0, 0]
cancellation = [0, 0, 0, 0]
[units.vc.staff.nurse]
count = 1
shifts = [
  { days = "mon-fri", start = "08:00", end = "09:00", activity = "telephone" },
  { days = "mon-fri", start = "09:00", end = "10:00", activity = "visits", slot_minutes = 20 },
]
[units.vc.staff.doctor]
count = 1
shifts = [{ days = "fri", start = "10:00", end = "11:00", activity = "visits", slot_minutes = 20 }]
[units.vc.staff.physiotherapist]
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "09:00", activity = "visits", slot_minutes = 20 }]
[categories.any]
share = 1.0
urgency = "within_3_days"
assess = ["nurse", "doctor"]
service_minutes.nurse = { dist = "constant", value = 15 }
service_minutes.doctor = { dist = "constant", value = 20 }
"#;

#[test]
fn doctors_only_booking_takes_the_earliest_doctor_slot_even_if_late() {
    let s = parse(BOOKING, &[]);
    let rec = simulate(&s, 1, 0);
    let doctor = s.profession("doctor").unwrap();
    let visits: Vec<_> = rec
        .contacts
        .iter()
        .filter(|c| c.kind == vardsim::vocab::kinds::ContactKind::Visit)
        .collect();
    assert_eq!(visits.len(), 5, "one visit a week");
    for v in &visits {
        assert_eq!(v.profession, doctor);
        // Booked Monday, seen Friday 10:00: day 4 of the week.
        assert_eq!((v.start.day() % 7, v.start.second_of_day()), (4, 10 * 3600));
    }
    let r = run(&s, 2, 1);
    assert_eq!(metric(&r, "contact_same_day").mean, 1.0);
    assert_eq!(
        metric(&r, "assessment_within_3_days").mean,
        0.0,
        "Friday is day 4"
    );
    assert_eq!(metric(&r, "doctor_visit_within_7_days").mean, 1.0);
    assert_eq!(
        metric(&r, "days_to_assessment_mean").mean,
        4.0,
        "the nurse's call does not count; Friday's visit does"
    );
}

#[test]
fn profession_neutral_booking_takes_the_earliest_allowed_profession() {
    let s = parse(BOOKING, &["units.vc.booking.profession_neutral=true"]);
    let rec = simulate(&s, 1, 0);
    let nurse = s.profession("nurse").unwrap();
    let physio = s.profession("physiotherapist").unwrap();
    let mut visits = 0;
    for c in rec
        .contacts
        .iter()
        .filter(|c| c.kind == vardsim::vocab::kinds::ContactKind::Visit)
    {
        assert_ne!(
            c.profession, physio,
            "physiotherapists may not assess this case"
        );
        assert_eq!(c.profession, nurse);
        assert_eq!(
            c.start.second_of_day(),
            9 * 3600,
            "the nurse's 09:00 slot the same Monday"
        );
        visits += 1;
    }
    assert_eq!(visits, 5);
    let r = run(&s, 2, 1);
    assert_eq!(metric(&r, "assessment_within_3_days").mean, 1.0);
    assert_eq!(metric(&r, "doctor_visit_within_7_days").mean, 0.0);
}

#[test]
fn counting_the_triage_call_as_assessment_is_a_rule_setting() {
    let counted = "guarantee.assessment_within_3_days.contact_kinds=[\"visit\", \"triage_call\"]";
    let r = run(&parse(BOOKING, &[counted]), 2, 1);
    assert_eq!(
        metric(&r, "assessment_within_3_days").mean,
        1.0,
        "the call on day 0 counts"
    );
    let r = run(&parse(BOOKING, &[]), 2, 1);
    assert_eq!(
        metric(&r, "assessment_within_3_days").mean,
        0.0,
        "only the Friday visit counts"
    );
}

#[test]
fn working_days_rule_counts_only_weekdays() {
    // Call Friday 08:00, visit next Wednesday (day 5 in calendar days, 3 working days).
    let text = BOOKING
        .replace(
            "weekly_times = [\"mon 08:00\"]",
            "weekly_times = [\"fri 08:00\"]",
        )
        .replace(
            "days = \"fri\", start = \"10:00\"",
            "days = \"wed\", start = \"10:00\"",
        );
    let r = run(&parse(&text, &[]), 2, 1);
    assert_eq!(metric(&r, "assessment_within_3_days").mean, 0.0);
    let working = "guarantee.assessment_within_3_days.count_days=working";
    let r = run(&parse(&text, &[working]), 2, 1);
    assert_eq!(metric(&r, "assessment_within_3_days").mean, 1.0);
}

#[test]
fn no_shows_follow_the_lead_time_curve() {
    // Lead times by design: nurse slots every afternoon (same day), physio
    // slots on Tuesdays only (0–6 days ahead), a psychologist with far too
    // few slots (a backlog: more than a week ahead). Exaggerated no-show
    // rates make the check tight.
    let text = r#"
name = "no-shows"
[simulation]
horizon_days = 400
warmup_days = 28
[units.vc.phone]
hours = [{ days = "mon-fri", start = "08:00", end = "12:00" }]
triage_minutes = { dist = "constant", value = 5 }
[units.vc.demand.phone]
per_hour = 2.0
[units.vc.booking]
profession_neutral = true
no_show = [0.05, 0.15, 0.25, 0.40]
rebook_after_no_show = 0.5
[units.vc.staff.nurse]
count = 5
shifts = [
  { days = "mon-fri", start = "08:00", end = "12:00", activity = "telephone" },
  { days = "mon-fri", start = "13:00", end = "16:00", activity = "visits", slot_minutes = 20 },
]
[units.vc.staff.physiotherapist]
count = 2
shifts = [{ days = "tue", start = "08:00", end = "16:00", activity = "visits", slot_minutes = 30 }]
[units.vc.staff.psychologist]
count = 1
shifts = [{ days = "wed", start = "13:00", end = "14:00", activity = "visits", slot_minutes = 20 }]
[categories.today]
share = 0.4
assess = ["nurse"]
service_minutes.nurse = { dist = "constant", value = 15 }
[categories.tuesday]
share = 0.3
assess = ["physiotherapist"]
service_minutes.physiotherapist = { dist = "constant", value = 25 }
[categories.backlog]
share = 0.3
assess = ["psychologist"]
service_minutes.psychologist = { dist = "constant", value = 15 }
"#;
    let s = parse(text, &[]);
    let curve = [0.05, 0.15, 0.25, 0.40];
    let (mut attended, mut missed) = ([0u64; 4], [0u64; 4]);
    for rep in 0..4 {
        let rec = simulate(&s, 3, rep);
        for b in 0..4 {
            attended[b] += rec.flows.booking.ledger.attended[b];
            missed[b] += rec.flows.booking.ledger.no_shows[b];
        }
    }
    for b in 0..4 {
        let n = (attended[b] + missed[b]) as f64;
        assert!(n > 300.0, "bucket {b}: only {n} visits");
        let rate = missed[b] as f64 / n;
        let se = (curve[b] * (1.0 - curve[b]) / n).sqrt();
        assert!(
            (rate - curve[b]).abs() < 4.0 * se,
            "bucket {b}: rate {rate} vs {} (n = {n})",
            curve[b]
        );
    }
    assert_eq!(lead_bucket(3, 3), 0);
    assert_eq!(lead_bucket(3, 11), 3);
}

/// Web bookers at 07:00 on Mondays; the doctor has regular slots 08:00–09:00
/// and three slots released to the web 10:00–11:00.
const WEB: &str = r#"
name = "web"
[simulation]
horizon_days = 35
warmup_days = 7
[units.vc.phone]
hours = [{ days = "mon-fri", start = "08:00", end = "09:00" }]
callback_slot_minutes = 10
triage_minutes = { dist = "constant", value = 5 }
[units.vc.demand.web_booking]
weekly_times = ["mon 07:00", "mon 07:00", "mon 07:00", "mon 07:00", "mon 07:00"]
[units.vc.booking]
no_show = [0, 0, 0, 0]
cancellation = [0, 0, 0, 0]
web_horizon_days = 0
[units.vc.staff.nurse]
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "09:00", activity = "telephone" }]
[units.vc.staff.doctor]
count = 1
shifts = [
  { days = "mon", start = "08:00", end = "09:00", activity = "visits", slot_minutes = 20 },
  { days = "mon", start = "10:00", end = "11:00", activity = "visits", slot_minutes = 20, slot_type = "web" },
]
[categories.any]
share = 1.0
assess = ["doctor"]
service_minutes.doctor = { dist = "constant", value = 15 }
"#;

#[test]
fn web_patients_book_only_released_slots_and_phone_when_none_is_left() {
    let s = parse(WEB, &[]);
    let rec = simulate(&s, 1, 0);
    use vardsim::vocab::kinds::{Channel, ContactKind};
    let mut web_visits = 0;
    for c in rec.contacts.iter().filter(|c| c.kind == ContactKind::Visit) {
        let ep = &rec.episodes[c.patient.index()];
        if ep.channel == Channel::WebBooking && ep.first_staff_contact == c.start {
            // Booked on the web directly: only the released 10:00–11:00 slots.
            assert!(
                (10 * 3600..11 * 3600).contains(&c.start.second_of_day()),
                "web visit at {}",
                c.start
            );
            web_visits += 1;
        }
    }
    assert_eq!(web_visits, 15, "three web slots a week for five weeks");
    let r = run(&s, 2, 1);
    assert_eq!(
        metric(&r, "web_bookings_switched_to_phone").mean,
        8.0,
        "two a week phone instead"
    );
    assert_eq!(
        metric(&r, "phone_calls").mean,
        0.0,
        "switchers are web-booking episodes, not new calls"
    );
}

#[test]
fn every_visit_can_create_a_follow_up_outside_the_guarantee() {
    let text = BOOKING.replace(
        "service_minutes.doctor = { dist = \"constant\", value = 20 }",
        "service_minutes.doctor = { dist = \"constant\", value = 20 }\nfollow_up_share = 1.0\nfollow_up_days = { dist = \"constant\", value = 7 }",
    );
    let s = parse(&text, &["units.vc.booking.profession_neutral=true"]);
    let rec = simulate(&s, 1, 0);
    let follow_ups: Vec<_> = rec
        .episodes
        .iter()
        .enumerate()
        .filter(|(_, e)| e.follow_up)
        .collect();
    assert!(follow_ups.len() >= 4);
    let nurse = s.profession("nurse").unwrap();
    for (i, ep) in &follow_ups {
        let Some(visit) = rec.contacts.iter().find(|c| c.patient.index() == *i) else {
            continue; // due after the horizon
        };
        // A week after the visit that created it, with the same profession.
        assert_eq!(visit.start.day(), ep.arrived.day() + 7);
        assert_eq!(visit.profession, nurse);
    }
    let r = run(&s, 2, 1);
    assert_eq!(
        metric(&r, "assessment_within_3_days").mean,
        1.0,
        "follow-ups are outside the guarantee"
    );
    assert_eq!(
        metric(&r, "patients_arrived").mean,
        4.0,
        "follow-ups are not new contacts"
    );
    assert!(metric(&r, "follow_ups").mean >= 4.0);
}

#[test]
fn hold_queue_callers_wait_on_the_line_and_hang_up() {
    // One nurse answers; the second caller waits 4 minutes and hangs up after 2.
    let text = r#"
name = "hold"
[simulation]
horizon_days = 35
warmup_days = 7
[units.vc.phone]
mode = "hold_queue"
hours = [{ days = "mon-fri", start = "08:00", end = "09:00" }]
triage_minutes = { dist = "constant", value = 5 }
patience_minutes = { dist = "constant", value = 2 }
[units.vc.demand.phone]
weekly_times = ["mon 08:00", "mon 08:01", "mon 08:30"]
[units.vc.staff.nurse]
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "09:00", activity = "telephone" }]
[categories.any]
share = 1.0
assess = ["nurse"]
service_minutes.nurse = { dist = "constant", value = 15 }
self_care_resolves = 1.0
"#;
    let r = run(&parse(text, &[]), 2, 1);
    assert_eq!(metric(&r, "phone_calls").mean, 12.0);
    assert_eq!(metric(&r, "phone_abandoned").mean, 4.0);
    assert_eq!(metric(&r, "patients_self_care").mean, 8.0);
    assert!((metric(&r, "contact_same_day").mean - 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn a_hold_queue_answers_callers_in_the_order_they_called() {
    // A caller's urgency is known only once the nurse has triaged them: the
    // line answers first come, first served, whatever their category. One
    // nurse, 10-minute calls, six callers a minute apart every Monday.
    let text = r#"
name = "hold-order"
[simulation]
horizon_days = 35
warmup_days = 0
[units.vc.phone]
mode = "hold_queue"
hours = [{ days = "mon-fri", start = "08:00", end = "12:00" }]
triage_minutes = { dist = "constant", value = 10 }
[units.vc.demand.phone]
weekly_times = ["mon 08:00", "mon 08:01", "mon 08:02", "mon 08:03", "mon 08:04", "mon 08:05"]
[units.vc.staff.nurse]
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "12:00", activity = "telephone" }]
[categories.acute]
share = 1.0
urgency = "same_day"
assess = ["nurse"]
service_minutes.nurse = { dist = "constant", value = 15 }
self_care_resolves = 1.0
[categories.routine]
share = 1.0
urgency = "within_2_weeks"
assess = ["nurse"]
service_minutes.nurse = { dist = "constant", value = 15 }
self_care_resolves = 1.0
"#;
    let s = parse(text, &[]);
    let rec = simulate(&s, 4, 0);
    let mut calls: Vec<_> = rec
        .contacts
        .iter()
        .filter(|c| c.kind == vardsim::vocab::kinds::ContactKind::TriageCall)
        .map(|c| (c.start, c.requested, c.patient))
        .collect();
    assert_eq!(calls.len(), 30);
    let urgencies: std::collections::BTreeSet<_> = rec
        .episodes
        .iter()
        .map(|e| s.categories[e.category.index()].urgency)
        .collect();
    assert_eq!(urgencies.len(), 2, "both urgencies call");
    calls.sort();
    for w in calls.windows(2) {
        assert!(
            w[0].1 < w[1].1,
            "a later caller was answered first: {:?} before {:?}",
            w[0],
            w[1]
        );
    }
}

#[test]
fn cancellations_free_the_slot_for_the_next_patient() {
    // Everyone cancels: every booked doctor slot goes back to the book.
    let s = parse(BOOKING, &["units.vc.booking.cancellation=[1, 1, 1, 1]"]);
    let r = run(&s, 2, 1);
    assert_eq!(metric(&r, "patients_cancelled").mean, 4.0);
    assert_eq!(metric(&r, "cancellation_rate").mean, 1.0);
    let rec = simulate(&s, 1, 0);
    let unit_book_visits = rec
        .contacts
        .iter()
        .filter(|c| c.kind == vardsim::vocab::kinds::ContactKind::Visit)
        .count();
    assert_eq!(unit_book_visits, 0);
}

#[test]
fn video_visits_are_booked_and_counted_as_video() {
    let text = BOOKING.replace(
        "service_minutes.doctor = { dist = \"constant\", value = 20 }",
        "service_minutes.doctor = { dist = \"constant\", value = 20 }\nafter_triage = { video = 1 }",
    );
    let s = parse(&text, &["units.vc.booking.profession_neutral=true"]);
    let rec = simulate(&s, 1, 0);
    use vardsim::vocab::kinds::ContactKind;
    assert!(rec.contacts.iter().any(|c| c.kind == ContactKind::Video));
    assert!(!rec.contacts.iter().any(|c| c.kind == ContactKind::Visit));
    // The built-in "3" rule counts video; a rule counting only physical visits does not.
    assert_eq!(metric(&run(&s, 2, 1), "assessment_within_3_days").mean, 1.0);
    let physical = parse(
        &text,
        &[
            "units.vc.booking.profession_neutral=true",
            "guarantee.assessment_within_3_days.contact_kinds=[\"visit\"]",
        ],
    );
    assert_eq!(
        metric(&run(&physical, 2, 1), "assessment_within_3_days").mean,
        0.0
    );
}

#[test]
fn booked_visits_go_to_professions_that_may_treat() {
    // Nurses may assess but only doctors may treat: even profession-neutral
    // booking waits for Friday's doctor.
    let text = BOOKING.replace(
        "assess = [\"nurse\", \"doctor\"]",
        "assess = [\"nurse\", \"doctor\"]\ntreat = [\"doctor\"]",
    );
    let s = parse(&text, &["units.vc.booking.profession_neutral=true"]);
    let doctor = s.profession("doctor").unwrap();
    let rec = simulate(&s, 1, 0);
    let visits: Vec<_> = rec
        .contacts
        .iter()
        .filter(|c| c.kind == vardsim::vocab::kinds::ContactKind::Visit)
        .collect();
    assert_eq!(visits.len(), 5);
    assert!(visits.iter().all(|v| v.profession == doctor));
}

#[test]
fn web_bookers_only_take_times_of_professions_that_may_treat_them() {
    // Half the web bookers need a counsellor, who releases no web times:
    // they never take the doctor's, and phone instead.
    let text = format!(
        "{WEB}\n[categories.talk]\nshare = 1.0\nassess = [\"counsellor\"]\nservice_minutes.counsellor = {{ dist = \"constant\", value = 45 }}\n"
    );
    let s = parse(&text, &[]);
    let talk = s.categories.iter().position(|c| c.key == "talk").unwrap();
    let rec = simulate(&s, 1, 0);
    use vardsim::vocab::kinds::{Channel, ContactKind};
    let mut web_visits = 0;
    for c in rec.contacts.iter().filter(|c| c.kind == ContactKind::Visit) {
        let ep = &rec.episodes[c.patient.index()];
        if ep.channel == Channel::WebBooking && ep.first_staff_contact == c.start {
            assert_ne!(
                ep.category.index(),
                talk,
                "a counselling case took a doctor's web time"
            );
            web_visits += 1;
        }
    }
    assert!(web_visits > 0);
}

#[test]
fn web_times_still_free_on_the_day_go_to_urgent_cases() {
    // The doctor's only times are web times Monday 10–11 and nobody books on
    // the web: same-day callers triaged at 08:00 get them when released on
    // the day, and overflow when not.
    let text = r#"
name = "release"
[simulation]
horizon_days = 1
warmup_days = 0
[units.vc.phone]
hours = [{ days = "mon", start = "07:00", end = "09:00" }]
callback_slot_minutes = 10
triage_minutes = { dist = "constant", value = 5 }
[units.vc.demand.phone]
weekly_times = ["mon 07:00", "mon 07:00"]
[units.vc.booking]
profession_neutral = true
[units.vc.staff.nurse]
count = 1
shifts = [{ days = "mon", start = "08:00", end = "09:00", activity = "telephone" }]
[units.vc.staff.doctor]
count = 1
shifts = [{ days = "mon", start = "10:00", end = "11:00", activity = "visits", slot_minutes = 20, slot_type = "web" }]
[categories.acute]
share = 1.0
urgency = "same_day"
assess = ["doctor"]
service_minutes.doctor = { dist = "constant", value = 15 }
self_care_resolves = 0.0
after_triage = { book = 1.0 }
"#;
    use vardsim::vocab::kinds::{ContactKind, EndState};
    let released = simulate(&parse(text, &[]), 1, 0);
    let starts: Vec<u64> = released
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::Visit)
        .map(|c| c.start.second_of_day() / 60)
        .collect();
    assert_eq!(starts, [600, 620]);
    // Kept for the web: turned away when the unit books nobody late ...
    let kept = simulate(
        &parse(
            text,
            &[
                "units.vc.booking.release_web_on_day=false",
                "units.vc.booking.when_full=\"overflow\"",
            ],
        ),
        1,
        0,
    );
    assert!(kept.contacts.iter().all(|c| c.kind != ContactKind::Visit));
    assert!(kept.episodes.iter().all(|e| e.end == EndState::Overflow));
    // ... and still in the system when it would book them after the
    // window: the run of one day ends before their time could come.
    let late = simulate(
        &parse(text, &["units.vc.booking.release_web_on_day=false"]),
        1,
        0,
    );
    assert!(late.episodes.iter().all(|e| e.end == EndState::InSystem));
}

#[test]
fn a_doctor_rule_leaves_out_cases_no_doctor_may_assess() {
    // The same weekly caller, but a case only a nurse may assess: booked with
    // the nurse on Monday. The old doctor rule has nothing to measure (no
    // defined value), while "3" counts the nurse's visit.
    let r = run(
        &parse(BOOKING, &["categories.any.assess=[\"nurse\"]"]),
        2,
        1,
    );
    assert_eq!(metric(&r, "assessment_within_3_days").mean, 1.0);
    assert!(metric(&r, "doctor_visit_within_7_days").mean.is_nan());
    // When doctors may assess it too, the rule measures it again.
    let r = run(&parse(BOOKING, &[]), 2, 1);
    assert!(!metric(&r, "doctor_visit_within_7_days").mean.is_nan());
}

/// A unit that books its own planned visits (`[units.<u>.planned]`) and has
/// no new contacts at all: 1 000 listed × 2.6 visits a year with a nurse
/// whose book has room for all of them.
const PLANNED_ONLY: &str = r#"
name = "planned-only"
[simulation]
horizon_days = 421
warmup_days = 56
[units.vc]
listed = 1000
[units.vc.booking]
no_show = [0, 0, 0, 0]
cancellation = [0, 0, 0, 0]
[units.vc.staff.nurse]
profession = "district_nurse"
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "16:00", activity = "visits", slot_minutes = 20, slot_type = "follow_up" }]
[units.vc.planned.check]
category = "check"
profession = "district_nurse"
visits_per_listed_year = 2.6
lead_days = { dist = "uniform", min = 7, max = 21 }
[categories.check]
share = 0.0
urgency = "planned"
inside_guarantee = false
assess = ["district_nurse"]
service_minutes.district_nurse = { dist = "constant", value = 15 }
[categories.other]
share = 1.0
assess = ["doctor"]
service_minutes.doctor = { dist = "constant", value = 15 }
"#;

#[test]
fn planned_visits_take_the_book_at_their_rate_and_are_not_new_contacts() {
    let r = run(&parse(PLANNED_ONLY, &[]), 4, 1);
    // 2 600 bookings a year over the measured 364 days (each visit is
    // recorded when it happens: the lead time shifts, it does not lose any).
    let visits = metric(&r, "visits").mean;
    let expected = 2600.0 * 364.0 / 365.0;
    assert!(
        (visits - expected).abs() < 0.05 * expected,
        "{visits} visits, expected ≈{expected}"
    );
    // Not new contacts: no arrivals, no guarantee episodes; follow-ups.
    assert_eq!(metric(&r, "patients_arrived").mean, 0.0);
    assert!(metric(&r, "follow_ups").mean > 0.9 * expected);
    // The rate scales with the listed population.
    let half = run(&parse(PLANNED_ONLY, &["units.vc.listed=500"]), 4, 1);
    let v = metric(&half, "visits").mean;
    assert!((v - expected / 2.0).abs() < 0.06 * expected / 2.0, "{v}");
    // And a unit without `planned` entries books none.
    let none = run(
        &parse(
            PLANNED_ONLY,
            &["units.vc.planned.check.visits_per_listed_year=0"],
        ),
        2,
        1,
    );
    assert_eq!(metric(&none, "visits").mean, 0.0);
}

#[test]
fn planned_visits_are_refused_with_located_reasons() {
    let bad = PLANNED_ONLY
        .replace("category = \"check\"", "category = \"chek\"")
        .replace(
            "[units.vc.planned.check]",
            "[units.vc.planned.doctor]\ncategory = \"check\"\nprofession = \"doctor\"\nvisits_per_listed_year = 1\nlead_days = { dist = \"constant\", value = 7 }\n[units.vc.planned.check]",
        )
        .replace("listed = 1000", "");
    let err = vardsim::scenario::Scenario::from_toml("bad.toml", &bad, &[])
        .expect_err("refused")
        .to_string();
    for want in [
        "units.vc.planned.check.category",
        "unknown category \"chek\"",
        "units.vc.planned.doctor.profession",
        "has no service time for \"doctor\"",
        "units.vc.planned.check.visits_per_listed_year",
        "listed inhabitants",
    ] {
        assert!(err.contains(want), "{want} missing in:\n{err}");
    }
}

#[test]
fn a_search_cut_short_by_the_end_of_the_run_keeps_the_patient_in_the_system() {
    // Thirty callers every Wednesday 08:00, six doctor times a day: each
    // week's callers fill Wednesday to Tuesday, so nobody is ever turned
    // away. The last week's callers find no time before the horizon only
    // because the run ends: they are in the system at its end, not
    // `overflow` (which had counted them as lost: an audit's finding).
    let text = r#"
name = "last-week"
[simulation]
horizon_days = 112
warmup_days = 14
[units.u.phone]
hours = [{ days = "mon-fri", start = "08:00", end = "16:00" }]
callback_slot_minutes = 10
triage_minutes = { dist = "constant", value = 5 }
[units.u.demand.phone]
weekly_times = ["wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00",
  "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00",
  "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00",
  "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00", "wed 08:00",
  "wed 08:00", "wed 08:00", "wed 08:00"]
[units.u.booking]
no_show = [0.0, 0.0, 0.0, 0.0]
cancellation = [0.0, 0.0, 0.0, 0.0]
patient_chosen_share = 0.0
[units.u.staff.nurse]
profession = "district_nurse"
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "12:00", activity = "telephone" }]
[units.u.staff.doctor]
count = 1
shifts = [{ days = "mon-fri", start = "13:00", end = "16:00", activity = "visits", slot_minutes = 30, slot_type = "regular" }]
[categories.acute]
share = 1.0
urgency = "same_day"
assess = ["doctor"]
service_minutes.doctor = { dist = "constant", value = 20 }
self_care_resolves = 0.0
after_triage = { book = 1.0 }
"#;
    use vardsim::vocab::kinds::EndState;
    let rec = simulate(&parse(text, &[]), 1, 0);
    let ends = |state| rec.episodes.iter().filter(|e| e.end == state).count();
    assert_eq!(ends(EndState::Overflow), 0, "nobody is turned away");
    // Day 112 is a Monday (day 0 a Monday): the callers of Wednesday day
    // 107 have taken Wednesday to Friday (18 times); 12 wait for Monday.
    assert_eq!(ends(EndState::InSystem), 12);
    // A book that does reach past the run's end but is full for the
    // times it releases still turns patients away: two days released,
    // thirty callers a week for eighteen times in two days.
    let short = simulate(
        &parse(
            text,
            &[
                "units.u.booking.booking_horizon_days=2",
                "units.u.booking.short_notice_days=2",
            ],
        ),
        1,
        0,
    );
    assert!(short.episodes.iter().any(|e| e.end == EndState::Overflow));
}
