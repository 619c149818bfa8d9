//! The profession-neutral drop-in (`lättakut`) on hand-computable days:
//! registration, fast triage, the first free competent professional by
//! urgency, the doctor-only variant, the closing policies, and the shared
//! remote doctor pool (`virtuellt akutrum`).

use super::*;
use vardsim::engine::SimTime;
use vardsim::model::{Records, simulate};
use vardsim::scenario::Scenario;
use vardsim::vocab::kinds::{ContactKind, EndState};

/// One Monday; walk-ins at fixed times; constant durations.
fn desk(extra: &str, arrivals: &[&str]) -> Scenario {
    parse(&desk_text_with(extra, "", arrivals), &[])
}

fn hm(t: SimTime) -> String {
    let s = t.second_of_day();
    format!("{:02}:{:02}", s / 3600, s / 60 % 60)
}

/// Per patient (in arrival order), their contacts as (kind, profession key, start).
fn contacts(s: &Scenario, rec: &Records) -> Vec<Vec<(ContactKind, String, String)>> {
    let mut out = vec![Vec::new(); rec.episodes.len()];
    for c in &rec.contacts {
        let prof = s.professions[c.profession.index()].key.clone();
        out[c.patient.index()].push((c.kind, prof, hm(c.start)));
    }
    out
}

#[test]
fn an_idle_drop_in_sees_a_walk_in_at_once_after_registration() {
    let s = desk(
        "[units.vc.dropin.registration_minutes]\ndist = \"constant\"\nvalue = 7",
        &["09:00"],
    );
    let rec = simulate(&s, 1, 0);
    assert_eq!(rec.episodes.len(), 1);
    let c = &rec.contacts[0];
    // The health form takes 7 minutes; then nobody waits.
    assert_eq!(hm(c.start), "09:07");
    assert_eq!(c.wait_s(), 0);
    assert_eq!(rec.episodes[0].end, EndState::Completed);
}

#[test]
fn fast_triage_then_the_most_urgent_goes_first_to_a_competent_professional() {
    // Three arrive at 09:00 with the nurse busy until 09:20 with an 08:40
    // arrival. Fast triage (5 min, by the nurse) comes first for everyone;
    // then visits by urgency.
    let s = desk(
        "[units.vc.dropin.triage_minutes]\ndist = \"constant\"\nvalue = 5",
        &["08:40", "09:00", "09:00", "09:00"],
    );
    let rec = simulate(&s, 3, 0);
    let by_patient = contacts(&s, &rec);
    // Every patient: a fast triage, then a visit.
    for (p, cs) in by_patient.iter().enumerate() {
        let kinds: Vec<ContactKind> = cs.iter().map(|c| c.0).collect();
        assert_eq!(
            kinds,
            [ContactKind::DropInTriage, ContactKind::Visit],
            "patient {p}: {cs:?}"
        );
    }
    // Patient 0: triage 08:40–08:45, visit 08:45–09:05. The three 09:00
    // arrivals wait until 09:05, then triage one after another (09:05,
    // 09:10, 09:15) before any visit, since triage comes first.
    assert_eq!(by_patient[0][0].2, "08:40");
    assert_eq!(by_patient[0][1].2, "08:45");
    let mut triage_starts: Vec<&str> = by_patient[1..].iter().map(|c| c[0].2.as_str()).collect();
    triage_starts.sort();
    assert_eq!(triage_starts, ["09:05", "09:10", "09:15"]);
    // Visits from 09:20 in urgency order: same-day cases before routine ones.
    let urgency = |p: usize| s.categories[rec.episodes[p].category.index()].urgency;
    let mut visits: Vec<(String, usize)> =
        (1..4).map(|p| (by_patient[p][1].2.clone(), p)).collect();
    visits.sort();
    assert_eq!(visits[0].0, "09:20");
    for w in visits.windows(2) {
        assert!(
            urgency(w[0].1) <= urgency(w[1].1),
            "a less urgent case went first: {visits:?} {:?} {by_patient:?}",
            (0..4).map(urgency).collect::<Vec<_>>()
        );
    }
    // The visit's wait counts from arrival at the desk, triage included.
    let visit = rec
        .contacts
        .iter()
        .find(|c| c.kind == ContactKind::Visit && c.patient.index() == visits[0].1)
        .unwrap();
    assert_eq!(hm(visit.requested), "09:00");
}

#[test]
fn a_triaged_patients_drop_in_wait_is_the_wait_for_the_visit_counted_once() {
    // One nurse triages (5 min) and sees (20 min); two urgent walk-ins at
    // 09:00. Triage 09:00-09:05 and 09:05-09:10, visits 09:10-09:30 and
    // 09:30-09:50: waits for the visit (from joining at 09:00) 10 and 30
    // minutes. The fast triage's own waits (0 and 5) are part of those,
    // not waits of their own (docs/output.md: from joining the queue to
    // being seen, among patients seen).
    let s = parse(
        &desk_text_with(
            "[units.vc.dropin.triage_minutes]\ndist = \"constant\"\nvalue = 5",
            "",
            &["09:00", "09:00"],
        ),
        &["categories.routine.share=0"],
    );
    let rec = simulate(&s, 1, 0);
    let visits: Vec<(String, String)> = rec
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::Visit)
        .map(|c| (hm(c.requested), hm(c.start)))
        .collect();
    assert_eq!(
        visits,
        [
            ("09:00".into(), "09:10".into()),
            ("09:00".into(), "09:30".into())
        ]
    );
    let m = vardsim::metrics::compute(&s, &rec);
    let get = |metric: &str| {
        m.observations
            .iter()
            .find(|o| o.metric == metric && o.by.is_none())
            .map(|o| o.value)
            .unwrap_or_else(|| panic!("no {metric}"))
    };
    assert_eq!(get("dropin_wait_minutes_mean"), 20.0);
    assert_eq!(get("dropin_wait_probability"), 1.0);
    assert_eq!(get("dropin_wait_over_30_min"), 0.0);
    assert_eq!(get("dropin_wait_incl_left_minutes_mean"), 20.0);
    let nurse = m
        .observations
        .iter()
        .find(|o| o.metric == "dropin_wait_minutes_mean" && o.group == "nurse")
        .expect("by profession");
    assert_eq!(nurse.value, 20.0);
}

#[test]
fn the_doctor_only_drop_in_never_lets_a_nurse_see_patients_and_books_the_rest() {
    // A GP and a nurse on the drop-in; wounds only a nurse may assess, and
    // the nurse also has bookable time in the afternoon.
    let staff = r#"
[units.vc.staff.gp]
profession = "doctor"
count = 1
shifts = [{ days = "mon", start = "08:00", end = "12:00", activity = "dropin" }]
[units.vc.staff.nurse_pm]
profession = "nurse"
count = 1
shifts = [{ days = "mon", start = "13:00", end = "16:00", activity = "visits", slot_minutes = 20 }]
[units.vc.booking]
profession_neutral = true
[categories.wound]
share = 1.0
urgency = "within_3_days"
assess = ["nurse"]
service_minutes.nurse = { dist = "constant", value = 15 }
"#;
    let times = [
        "08:00", "08:05", "08:10", "08:15", "08:20", "08:25", "08:30", "08:35",
    ];
    let neutral = parse(&desk_text_with(staff, "", &times), &[]);
    let doctor_only = parse(
        &desk_text_with(staff, "professions = [\"doctor\"]", &times),
        &[],
    );
    for (s, nurse_at_dropin) in [(&neutral, true), (&doctor_only, false)] {
        let nurse = s.profession("nurse").unwrap();
        let rec = simulate(s, 5, 0);
        let nurse_dropin = rec
            .contacts
            .iter()
            .filter(|c| {
                c.profession == nurse && c.activity == vardsim::vocab::kinds::Activity::DropIn
            })
            .count();
        assert_eq!(nurse_dropin > 0, nurse_at_dropin, "{}", s.name);
        assert!(rec.episodes.iter().all(|e| e.end == EndState::Completed));
        // At the doctor-only drop-in, wounds leave with a nurse's time in the afternoon.
        let wound = s.categories.iter().position(|c| c.key == "wound").unwrap();
        let wounds = rec
            .episodes
            .iter()
            .filter(|e| e.category.index() == wound)
            .count();
        let booked_pm = rec
            .contacts
            .iter()
            .filter(|c| c.activity == vardsim::vocab::kinds::Activity::Visits)
            .count();
        if !nurse_at_dropin {
            assert!(wounds > 0, "the case mix draws some wounds");
            assert_eq!(booked_pm, wounds);
        }
    }
}

/// The `desk` scenario text with `line` added to `[units.vc.dropin]`.
fn desk_text_with(extra: &str, line: &str, arrivals: &[&str]) -> String {
    let times: Vec<String> = arrivals.iter().map(|t| format!("\"mon {t}\"")).collect();
    format!(
        r#"
name = "dropin"
[simulation]
horizon_days = 1
warmup_days = 0
[units.vc.dropin]
hours = [{{ days = "mon", start = "08:00", end = "12:00" }}]
{line}
[units.vc.demand.walk_in]
weekly_times = [{}]
[units.vc.staff.nurse]
count = 1
shifts = [{{ days = "mon", start = "08:00", end = "12:00", activity = "dropin" }}]
[categories.acute]
share = 0.5
urgency = "same_day"
assess = ["nurse", "doctor"]
service_minutes.nurse = {{ dist = "constant", value = 20 }}
service_minutes.doctor = {{ dist = "constant", value = 10 }}
[categories.routine]
share = 0.5
urgency = "within_2_weeks"
assess = ["nurse", "doctor"]
service_minutes.nurse = {{ dist = "constant", value = 20 }}
service_minutes.doctor = {{ dist = "constant", value = 10 }}
{extra}
"#,
        times.join(", ")
    )
}

#[test]
fn at_closing_the_waiting_get_a_booked_time_or_a_call_back() {
    // Twelve walk-ins at 11:00 for one nurse (20 min each) and closing at
    // 12:00: three are seen before noon, nine wait at closing.
    let times = ["11:00"; 12];
    let doctor = r#"
[units.vc.staff.doctor]
count = 1
shifts = [{ days = "mon", start = "13:00", end = "17:00", activity = "visits", slot_minutes = 20 }]
[units.vc.staff.phone_nurse]
profession = "nurse"
count = 1
shifts = [{ days = "mon", start = "13:00", end = "17:00", activity = "telephone" }]
[units.vc.phone]
hours = [{ days = "mon", start = "08:00", end = "17:00" }]
mode = "callback"
callback_slot_minutes = 10
triage_minutes = { dist = "constant", value = 5 }
[units.vc.booking]
profession_neutral = true
"#;
    let run_with = |policy: &str| {
        let s = parse(
            &desk_text_with(doctor, &format!("at_closing = \"{policy}\""), &times),
            &["simulation.horizon_days=2"],
        );
        let rec = simulate(&s, 2, 0);
        let seen_by_noon = rec
            .contacts
            .iter()
            .filter(|c| c.kind == ContactKind::Visit && c.start.second_of_day() < 12 * 3600)
            .count();
        (s, rec, seen_by_noon)
    };
    let (_, rec, seen) = run_with("send_away");
    assert_eq!(seen, 3);
    let sent = rec
        .episodes
        .iter()
        .filter(|e| e.end == EndState::SentAway)
        .count();
    assert_eq!(sent, 9);

    let (_, rec, seen) = run_with("book");
    assert_eq!(seen, 3);
    assert!(rec.episodes.iter().all(|e| e.end != EndState::SentAway));
    // The nine leave with a time: visits after 12:00, nobody lost.
    let later = rec
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::Visit && c.start.second_of_day() >= 12 * 3600)
        .count();
    assert_eq!(later, 9);

    let (_, rec, _) = run_with("call_back");
    // The nine are called back from 13:00, one call-back time every 10 minutes.
    let mut calls: Vec<String> = rec
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::TriageCall)
        .map(|c| hm(c.start))
        .collect();
    calls.sort();
    assert_eq!(calls.len(), 9, "{calls:?}");
    assert_eq!(calls[0], "13:00");
    assert_eq!(calls[8], "14:20");
}

/// Two small units with a nurse each on the drop-in, sending doctor-only
/// acute cases to a remote doctor hosted by a third unit.
fn remote(arrivals_a: &[&str], arrivals_b: &[&str], doctors: u32) -> Scenario {
    let list = |ts: &[&str]| {
        ts.iter()
            .map(|t| format!("\"mon {t}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unit = |key: &str, ts: &[&str]| {
        format!(
            r#"
[units.{key}.dropin]
hours = [{{ days = "mon", start = "08:00", end = "16:00" }}]
remote_doctor = "hub"
[units.{key}.demand.walk_in]
weekly_times = [{}]
[units.{key}.staff.nurse]
count = 1
shifts = [{{ days = "mon", start = "08:00", end = "16:00", activity = "dropin" }}]
"#,
            list(ts)
        )
    };
    let text = format!(
        r#"
name = "remote"
[simulation]
horizon_days = 1
warmup_days = 0
{}
{}
[units.hub.remote_doctor]
exam_minutes = {{ dist = "constant", value = 15 }}
[units.hub.staff.remote]
profession = "doctor"
count = {doctors}
shifts = [{{ days = "mon", start = "08:00", end = "16:00", activity = "remote" }}]
[categories.chest_pain]
share = 0.5
urgency = "same_day"
assess = ["doctor"]
service_minutes.doctor = {{ dist = "constant", value = 15 }}
[categories.ear]
share = 0.5
urgency = "within_3_days"
assess = ["doctor"]
service_minutes.doctor = {{ dist = "constant", value = 15 }}
"#,
        unit("a", arrivals_a),
        unit("b", arrivals_b)
    );
    parse(&text, &[])
}

#[test]
fn the_remote_doctor_serves_the_units_in_urgency_order_with_a_local_assistant() {
    let s = remote(&["09:00", "09:01", "09:02"], &["09:01"], 1);
    let rec = simulate(&s, 4, 0);
    assert!(rec.episodes.iter().all(|e| e.end == EndState::Completed));
    let mut exams: Vec<(String, usize)> = rec
        .contacts
        .iter()
        .map(|c| {
            assert_eq!(c.kind, ContactKind::Video);
            (hm(c.start), c.patient.index())
        })
        .collect();
    exams.sort();
    // One doctor, 15-minute examinations back to back from 09:00.
    let starts: Vec<&str> = exams.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(starts, ["09:00", "09:15", "09:30", "09:45"]);
    // After the first, the waiting are taken most urgent first.
    let urgency = |p: usize| s.categories[rec.episodes[p].category.index()].urgency;
    for w in exams[1..].windows(2) {
        assert!(urgency(w[0].1) <= urgency(w[1].1), "{exams:?}");
    }
    // The local nurse is occupied during each examination of their unit's patient.
    let nurse_busy: u64 = rec
        .staff
        .iter()
        .filter(|l| s.professions[l.profession as usize].key == "nurse")
        .map(|l| l.busy_s.iter().sum::<u64>())
        .sum();
    assert_eq!(nurse_busy, 4 * 15 * 60);
}

#[test]
fn a_remote_examination_waits_for_the_local_assistant() {
    // Unit a's nurse is needed for both of a's patients: with two remote
    // doctors free, the second examination still waits for the nurse.
    let s = remote(&["09:00", "09:00"], &[], 2);
    let rec = simulate(&s, 1, 0);
    let mut starts: Vec<String> = rec.contacts.iter().map(|c| hm(c.start)).collect();
    starts.sort();
    assert_eq!(starts, ["09:00", "09:15"]);
    // Time to the doctor's assessment, per unit: 0 and 15 minutes.
    let m = vardsim::metrics::compute(&s, &rec);
    let get = |metric: &str, group: Option<&str>| {
        m.observations
            .iter()
            .find(|o| o.metric == metric && group.is_none_or(|g| o.group == g))
            .map(|o| o.value)
            .unwrap_or_else(|| panic!("no {metric}"))
    };
    assert_eq!(get("remote_doctor_exams", None), 2.0);
    assert_eq!(
        get("remote_doctor_time_to_assessment_minutes_mean", Some("a")),
        7.5
    );
    assert_eq!(get("remote_doctor_wait_minutes_mean", None), 7.5);
}

/// A drop-in with a doctor and a nurse on duty, the doctor's group named
/// `doctor_group`: walk-ins every 15 minutes of a Monday morning (the same
/// every week for four weeks), every other one urgent.
fn two_posts(doctor_group: &str) -> Scenario {
    let times: Vec<String> = (0..16)
        .map(|i| format!("{:02}:{:02}", 8 + i / 4, i % 4 * 15))
        .collect();
    let times: Vec<&str> = times.iter().map(String::as_str).collect();
    let doctor = format!(
        "[units.vc.staff.{doctor_group}]\nprofession = \"doctor\"\ncount = 1\n\
         shifts = [{{ days = \"mon\", start = \"08:00\", end = \"12:00\", activity = \"dropin\" }}]"
    );
    parse(
        &desk_text_with(&doctor, "", &times),
        &["simulation.horizon_days=28"],
    )
}

/// (profession key, start) of every drop-in visit, in order.
fn visits_by(s: &Scenario, rec: &Records) -> Vec<(String, u64)> {
    rec.contacts
        .iter()
        .filter(|c| c.kind == ContactKind::Visit)
        .map(|c| (s.professions[c.profession.index()].key.clone(), c.start.0))
        .collect()
}

#[test]
fn of_equal_free_posts_the_one_idle_longest_takes_the_walk_in() {
    // Three nurses, eight walk-ins half an hour apart, 20 minutes each:
    // every walk-in finds all three free. The one idle longest takes it
    // (at 08:00, all idle since the shift began, the first post), so the
    // three take turns: 3, 3 and 2 visits. Choosing by anything else
    // (the post's number alone, the list's order) gives one nurse all
    // eight or an uneven share.
    let times: Vec<String> = (0..8)
        .map(|i| format!("{:02}:{:02}", 8 + i / 2, i % 2 * 30))
        .collect();
    let times: Vec<&str> = times.iter().map(String::as_str).collect();
    let s = parse(
        &desk_text_with("", "", &times),
        &["units.vc.staff.nurse.count=3"],
    );
    let rec = simulate(&s, 1, 0);
    assert_eq!(visits_by(&s, &rec).len(), 8);
    let busy: Vec<u64> = rec
        .staff
        .iter()
        .map(|m| m.busy_s[vardsim::vocab::kinds::Activity::DropIn as usize])
        .collect();
    assert_eq!(busy, [3 * 1200, 3 * 1200, 2 * 1200]);
}

#[test]
fn renaming_a_staff_group_changes_nothing_at_the_drop_in() {
    // Issue 12: who took a walk-in when several posts were free was decided
    // by the alphabetical order of the staff groups' names ("doctor_desk"
    // before "nurse", "zz_doctor" after it), so renaming a group moved the
    // doctor's drop-in work (in the dropin-nurse-doctor preset, doctor
    // utilisation 0.49 → 0.74). Now it is the drop-in's preference per
    // urgency, then the post idle longest.
    let (a, b) = (two_posts("doctor_desk"), two_posts("zz_doctor"));
    let (ra, rb) = (simulate(&a, 5, 0), simulate(&b, 5, 0));
    let (va, vb) = (visits_by(&a, &ra), visits_by(&b, &rb));
    assert_eq!(va.len(), 16 * 4);
    assert_eq!(va, vb);
    let ma = run(&a, 3, 5);
    let mb = run(&b, 3, 5);
    assert_eq!(
        per_replication(&ma, "utilization_doctor"),
        per_replication(&mb, "utilization_doctor")
    );
}

#[test]
fn with_both_free_the_urgent_see_the_doctor_and_the_routine_the_nurse() {
    // One urgent and one routine walk-in, an hour apart, both posts idle
    // each time: the default preference (same_day → doctor first, other
    // levels → nurse first) decides.
    let s = two_posts("zz_doctor");
    let rec = simulate(&s, 2, 0);
    for c in rec.contacts.iter().filter(|c| c.kind == ContactKind::Visit) {
        let ep = &rec.episodes[c.patient.index()];
        let urgency = s.categories[ep.category.index()].urgency;
        // Only patients who found both posts free (nobody waited).
        if c.wait_s() > 0 {
            continue;
        }
        let who = &s.professions[c.profession.index()].key;
        let busy_other = rec.contacts.iter().any(|o| {
            o.kind == ContactKind::Visit
                && o.patient != c.patient
                && o.start <= c.start
                && o.start.0 + o.duration_s as u64 > c.start.0
        });
        if busy_other {
            continue;
        }
        match urgency {
            vardsim::vocab::kinds::Urgency::SameDay => assert_eq!(who, "doctor"),
            _ => assert_eq!(who, "nurse"),
        }
    }
    // A scenario's own preference turns it round.
    let text = desk_text_with(
        "[units.vc.staff.zz_doctor]\nprofession = \"doctor\"\ncount = 1\n\
         shifts = [{ days = \"mon\", start = \"08:00\", end = \"12:00\", activity = \"dropin\" }]",
        "prefer = { same_day = [\"nurse\"], within_2_weeks = [\"doctor\"] }",
        &["09:00"],
    );
    let s = parse(&text, &[]);
    let rec = simulate(&s, 2, 0);
    let urgency = s.categories[rec.episodes[0].category.index()].urgency;
    let who = &s.professions[rec.contacts[0].profession.index()].key;
    match urgency {
        vardsim::vocab::kinds::Urgency::SameDay => assert_eq!(who, "nurse"),
        _ => assert_eq!(who, "doctor"),
    }
}

#[test]
fn a_patient_back_from_fast_triage_keeps_the_patience_they_came_with() {
    // An audit's finding: a renege was scheduled only when a walk-in had to
    // queue for the fast triage, so one triaged at once waited for the
    // visit without limit (docs/scenario.md: patience "counted from the
    // first queue, fast triage included").
    let staff = r#"
[units.vc.staff.gp]
profession = "doctor"
count = 1
shifts = [{ days = "mon", start = "08:00", end = "12:00", activity = "dropin" }]
[units.vc.dropin.triage_minutes]
dist = "constant"
value = 5
[units.vc.dropin.patience_minutes]
dist = "constant"
value = 30
"#;
    let long_visits = [
        "categories.acute.service_minutes.doctor={ dist = \"constant\", value = 60 }",
        "categories.routine.service_minutes.doctor={ dist = \"constant\", value = 60 }",
    ];
    // The nurse triages, only the doctor sees visits. Both walk-ins are
    // triaged at once (08:00–08:05, 08:06–08:11); the doctor sees the
    // first from 08:05 to 09:05, so the second, whose patience ends at
    // 08:36, leaves then, unseen.
    let s = parse(
        &desk_text_with(staff, "professions = [\"doctor\"]", &["08:00", "08:06"]),
        &long_visits,
    );
    let rec = simulate(&s, 1, 0);
    let by_patient = contacts(&s, &rec);
    assert_eq!(by_patient[0].len(), 2, "{by_patient:?}");
    assert_eq!(
        by_patient[1],
        [(
            ContactKind::DropInTriage,
            "nurse".to_string(),
            "08:06".to_string()
        )]
    );
    assert_eq!(rec.episodes[1].end, EndState::Reneged);
    assert_eq!(hm(rec.episodes[1].ended), "08:36");

    // Patience that runs out during the triage: the patient leaves when
    // they would have to queue for the visit.
    let s = parse(
        &desk_text_with(
            &staff.replace("value = 30", "value = 3"),
            "professions = [\"doctor\"]",
            &["08:00", "08:06"],
        ),
        &long_visits,
    );
    let rec = simulate(&s, 1, 0);
    assert_eq!(rec.episodes[1].end, EndState::Reneged);
    assert_eq!(hm(rec.episodes[1].ended), "08:11");
    // The first was seen at once after triage: no queue, no renege.
    assert_eq!(rec.episodes[0].end, EndState::Completed);
}

#[test]
fn at_a_see_all_closing_a_patient_nobody_still_at_work_may_see_gets_a_booked_time() {
    // An audit's finding: at a `see_all` drop-in, a walk-in only the
    // drop-in's doctor may see waited, when the doctor had left (or was on
    // leave), until the doctor's next drop-in duty: weeks in a summer.
    let staff = r#"
[units.vc.staff.gp]
profession = "doctor"
count = 1
shifts = [
  { days = "mon", start = "08:00", end = "09:00", activity = "dropin" },
  { days = "mon", start = "13:00", end = "17:00", activity = "visits", slot_minutes = 20 },
]
"#;
    let sets = [
        "categories.acute.assess=[\"doctor\"]",
        "categories.routine.assess=[\"doctor\"]",
        "categories.acute.service_minutes.doctor={ dist = \"constant\", value = 50 }",
        "categories.routine.service_minutes.doctor={ dist = \"constant\", value = 50 }",
    ];
    // The doctor sees the 08:00 walk-in until 08:50 and the 08:10 one until
    // 09:40 (overtime past the 09:00 end of duty), then leaves; the nurse
    // on the drop-in until noon may see nobody. The 08:20 walk-in waits
    // until closing at 12:00, then gets the doctor's first time, 13:00.
    let s = parse(
        &desk_text_with(
            staff,
            "at_closing = \"see_all\"",
            &["08:00", "08:10", "08:20"],
        ),
        &sets,
    );
    let rec = simulate(&s, 1, 0);
    let by_patient = contacts(&s, &rec);
    assert_eq!(by_patient[0][0].2, "08:00");
    assert_eq!(by_patient[1][0].2, "08:50");
    assert_eq!(
        by_patient[2],
        [(
            ContactKind::Visit,
            "doctor".to_string(),
            "13:00".to_string()
        )],
        "{by_patient:?}"
    );
    let booked = rec
        .contacts
        .iter()
        .find(|c| c.patient.index() == 2)
        .unwrap();
    assert_eq!(booked.activity, vardsim::vocab::kinds::Activity::Visits);
    assert!(rec.episodes.iter().all(|e| e.end == EndState::Completed));
}
