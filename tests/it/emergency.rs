//! The emergency department as an outcome (issue 12): where patients are
//! sent there from, what the visits cost, and a mobile team that acts on the
//! default's own patients (common random numbers). The finding kept here:
//! the mobile-team preset used to *raise* emergency visits against the
//! default, because its same-day requests were patients the default did not
//! have; now its same-day requests include the default's frail patients
//! whom triage sends to the emergency department, and it sends fewer there
//! than the default (paired, with a CI clear of 0).

use super::*;
use vardsim::metrics::{By, mean_ci95};

/// A quarter after a four-week warm-up: long enough for the differences.
const SHORT: [&str; 2] = ["simulation.horizon_days=119", "simulation.warmup_days=28"];
const REPS: u32 = 5;
const SEED: u64 = 5;

/// Paired differences `variant − base` of `metric`, replication by replication.
fn paired(base: &RunResults, variant: &RunResults, metric: &str) -> Vec<f64> {
    per_replication(variant, metric)
        .iter()
        .zip(per_replication(base, metric))
        .map(|(v, b)| v - b)
        .collect()
}

/// The `source` group of `emergency_visits_per_year` in each replication.
fn source_per_replication(r: &RunResults, source: &str) -> Vec<f64> {
    r.replications
        .iter()
        .map(|rep| {
            rep.observations
                .iter()
                .find(|o| {
                    o.metric == "emergency_visits_per_year"
                        && o.by == Some(By::Source)
                        && o.group == source
                })
                .map_or(0.0, |o| o.value)
        })
        .collect()
}

fn by_source(r: &RunResults, source: &str) -> Option<f64> {
    r.summary
        .breakdown
        .iter()
        .find(|b| {
            b.metric == "emergency_visits_per_year" && b.by == By::Source && b.group == source
        })
        .map(|b| b.estimate.mean)
}

#[test]
fn a_mobile_team_avoids_emergency_visits_of_the_defaults_own_patients() {
    // A whole measured year: a quarter is too short for a CI clear of 0.
    // Ten replications: the effect is a few percent of the visits.
    let base = run(&load("scenarios/default.toml", &[]), 2 * REPS, SEED);
    let team = run(
        &load("scenarios/methods/mobile-team.toml", &[]),
        2 * REPS,
        SEED,
    );

    // Fewer emergency visits with the team, with a CI clear of 0.
    let d = mean_ci95(paired(&base, &team, "emergency_visits_per_year"));
    assert!(d.ci95_high < 0.0, "emergency visits: Δ {d:?}");

    // The same patients: triage sends the default's patients less those a
    // home visit can replace, and every visit avoided is one of those.
    let possible = per_replication(&base, "emergency_visits_home_visit_possible_per_year");
    let avoided = per_replication(&team, "emergency_visits_avoided_per_year");
    let base_all = per_replication(&base, "emergency_visits_per_year");
    let team_triage = source_per_replication(&team, "triage");
    for (i, (((a, p), b), t)) in avoided
        .iter()
        .zip(&possible)
        .zip(&base_all)
        .zip(&team_triage)
        .enumerate()
    {
        assert!(*a > 0.0 && *a <= p + 1e-6, "replication {i}: {a} of {p}");
        assert!(
            (t - (b - p)).abs() < 1e-6,
            "replication {i}: {t} vs {b} − {p}"
        );
    }
    assert_eq!(metric(&base, "emergency_visits_avoided_per_year").mean, 0.0);
    assert_eq!(
        metric(&team, "emergency_visits_home_visit_possible_per_year").mean,
        0.0
    );

    // Sources add up; the default has no team to send anyone.
    let total = metric(&team, "emergency_visits_per_year").mean;
    let parts = by_source(&team, "triage").unwrap() + by_source(&team, "mobile_team").unwrap();
    assert!((total - parts).abs() < 1e-6 * total, "{total} vs {parts}");
    assert_eq!(by_source(&base, "mobile_team"), None);

    // Costs: 5 000 SEK a visit in both; the net cost is the staff cost
    // less the visits avoided.
    let per_visit = |r: &RunResults| {
        metric(r, "emergency_cost_sek_per_year").mean / metric(r, "emergency_visits_per_year").mean
    };
    assert!((per_visit(&base) - 5_000.0).abs() < 1e-6);
    assert!((per_visit(&team) - 5_000.0).abs() < 1e-6);
    assert!(base.summary.get("emergency_admissions_per_year").is_none());
    let net = mean_ci95(paired(&base, &team, "cost_with_emergency_sek_per_year"));
    let staff = mean_ci95(paired(&base, &team, "staff_cost_sek_per_year"));
    let ed = mean_ci95(paired(&base, &team, "emergency_cost_sek_per_year"));
    assert!((net.mean - staff.mean - ed.mean).abs() < 1e-6 * staff.mean);
    assert!(ed.ci95_high < 0.0 && net.mean < staff.mean);
}

#[test]
fn admissions_are_counted_and_priced_when_a_scenario_gives_a_share() {
    let r = run(
        &load(
            "scenarios/default.toml",
            &[
                SHORT[0],
                SHORT[1],
                "costs.emergency_admitted_share=0.25",
                "costs.emergency_admission_sek=40000",
            ],
        ),
        2,
        SEED,
    );
    let visits = metric(&r, "emergency_visits_per_year").mean;
    let admissions = metric(&r, "emergency_admissions_per_year").mean;
    assert!(visits > 0.0 && (admissions - 0.25 * visits).abs() < 1e-6 * visits);
    let cost = metric(&r, "emergency_cost_sek_per_year").mean;
    assert!((cost - visits * (5_000.0 + 0.25 * 40_000.0)).abs() < 1e-6 * cost);
}

#[test]
fn triage_sends_the_same_patients_to_the_emergency_department_when_booked_ones_move() {
    // Moving booked frail patients to a mobile team (the weights stack with
    // the emergency department last) leaves the emergency referrals alone:
    // without the home-visit share, triage sends exactly the default's.
    let base = run(
        &load(
            "scenarios/default.toml",
            &[
                SHORT[0],
                SHORT[1],
                "categories.frail_elderly.emergency_home_visit_share=0",
            ],
        ),
        2,
        SEED,
    );
    let team = run(
        &load(
            "scenarios/methods/mobile-team.toml",
            &[
                SHORT[0],
                SHORT[1],
                "categories.frail_elderly.emergency_home_visit_share=0",
            ],
        ),
        2,
        SEED,
    );
    assert_eq!(
        source_per_replication(&base, "triage"),
        source_per_replication(&team, "triage")
    );
    assert!(metric(&team, "mobile_requests").mean > 0.0);
}

#[test]
fn scenarios_that_send_nobody_there_have_no_emergency_metrics() {
    let mmc = run(&load("scenarios/validation/mmc.toml", &[]), 1, 1);
    assert!(mmc.summary.get("emergency_visits_per_year").is_none());
}
