//! Little's law and conservation: every patient who arrives ends in exactly
//! one recorded state.

use super::*;
use vardsim::model::simulate;
use vardsim::vocab::kinds::EndState;

#[test]
fn littles_law_holds_in_every_replication() {
    // L (time-average queue) = λ × W (mean wait), with λ per minute.
    let r = run(&load("scenarios/validation/mmc.toml", &[]), 10, 11);
    let l = per_replication(&r, "dropin_queue_length_mean");
    let per_day = per_replication(&r, "dropin_arrivals_per_day");
    let w = per_replication(&r, "dropin_wait_minutes_mean");
    for i in 0..l.len() {
        let lambda_w = per_day[i] / (24.0 * 60.0) * w[i];
        // Only edge effects (patients waiting across the warm-up and the
        // horizon) separate the two; they are far below 1 %.
        assert!(
            (l[i] - lambda_w).abs() / l[i] < 0.01,
            "replication {i}: L = {} but λW = {lambda_w}",
            l[i]
        );
    }
}

/// Scenarios exercising every way out: balking, reneging, sending away.
fn lossy_variants() -> Vec<vardsim::scenario::Scenario> {
    vec![
        load("scenarios/default.toml", &[]),
        // Booking that waits for the named clinician, follow-ups too.
        load("scenarios/methods/continuity-first.toml", &[]),
        load(
            "scenarios/default.toml",
            &["units.vc.dropin.at_closing=\"send_away\""],
        ),
        load(
            "scenarios/validation/mmc.toml",
            &[
                "simulation.horizon_days=200",
                "units.desk.dropin.balk_at_queue_length=4",
                "units.desk.dropin.patience_minutes={ dist = \"exponential\", mean = 45 }",
                "units.desk.staff.nurse.count=2",
            ],
        ),
    ]
}

#[test]
fn arrived_equals_completed_plus_lost_plus_in_system() {
    for scenario in lossy_variants() {
        let r = run(&scenario, 4, 2);
        let get = |k| per_replication(&r, k);
        let (arrived, completed, lost, inside) = (
            get("patients_arrived"),
            get("patients_completed"),
            get("patients_lost"),
            get("patients_in_system_at_end"),
        );
        let (balked, reneged, sent) = (
            get("patients_balked"),
            get("patients_reneged"),
            get("patients_sent_away"),
        );
        let (self_care, emergency, no_show, cancelled) = (
            get("patients_self_care"),
            get("patients_emergency_dept"),
            get("patients_no_show"),
            get("patients_cancelled"),
        );
        let went_elsewhere = get("patients_went_elsewhere");
        for i in 0..arrived.len() {
            assert_eq!(
                arrived[i],
                completed[i]
                    + lost[i]
                    + inside[i]
                    + self_care[i]
                    + emergency[i]
                    + no_show[i]
                    + cancelled[i]
                    + went_elsewhere[i],
                "{}: replication {i}",
                scenario.name
            );
            assert_eq!(
                lost[i],
                balked[i] + reneged[i] + sent[i] + get("patients_overflow")[i],
                "{}: replication {i}",
                scenario.name
            );
        }
        assert!(
            get("patients_lost").iter().sum::<f64>() > 0.0,
            "{}: expected some losses",
            scenario.name
        );
    }
}

#[test]
fn every_episode_is_closed_consistently() {
    for scenario in lossy_variants() {
        let rec = simulate(&scenario, 9, 0);
        let mut served = vec![0u32; rec.episodes.len()];
        let mut visits = vec![0u32; rec.episodes.len()];
        for c in &rec.contacts {
            served[c.patient.index()] += 1;
            if c.kind == vardsim::vocab::kinds::ContactKind::Visit {
                visits[c.patient.index()] += 1;
            }
            assert!(c.start >= c.requested);
        }
        for (i, ep) in rec.episodes.iter().enumerate() {
            match ep.end {
                EndState::Completed => {
                    assert!(served[i] >= 1, "completed patients were seen");
                    assert!(ep.ended >= ep.first_staff_contact);
                }
                EndState::SelfCare | EndState::EmergencyDept => {
                    assert!(
                        ep.first_staff_contact <= ep.ended,
                        "triaged before being routed"
                    );
                }
                EndState::NoShow | EndState::Cancelled => assert!(ep.ended >= ep.arrived),
                EndState::Balked | EndState::Reneged | EndState::SentAway | EndState::Overflow => {
                    assert_eq!(visits[i], 0, "lost patients never had a visit");
                    assert!(ep.ended >= ep.arrived);
                }
                EndState::WentElsewhere => {
                    assert_eq!(visits[i], 0, "who went elsewhere had no visit here");
                    assert!(ep.ended >= ep.arrived);
                }
                EndState::InSystem => assert_eq!(ep.ended, vardsim::engine::SimTime::NEVER),
            }
        }
    }
}
