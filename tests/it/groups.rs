//! Patient groups and place (issue 13 item 3): every guarantee rule and the
//! waits by age group, category and distance band add up to the totals;
//! digital exclusion and far walk-ins move first contacts to the telephone
//! by their shares, from the patients' own streams (the arrivals stay the
//! same); bad distance bands are located problems.

use vardsim::experiment::{self, RunConfig};
use vardsim::model::records::{Episode, Moved, NO_BAND};
use vardsim::model::simulate;
use vardsim::scenario::{Problem, ScenarioError};
use vardsim::vocab::kinds::Channel;

use super::*;

const RURAL: &str = "scenarios/methods/rural-distance.toml";
const DIGITAL: &str = "scenarios/methods/digital-exclusion.toml";

/// New contacts after the warm-up (the episodes the metrics count).
fn new_contacts<'a>(
    rec: &'a vardsim::model::Records,
    sc: &Scenario,
) -> impl Iterator<Item = &'a Episode> {
    let from = vardsim::engine::SimTime::from_days(sc.warmup_days as u64);
    rec.episodes
        .iter()
        .filter(move |e| !e.follow_up && e.arrived >= from)
}

/// `|p̂ − p|` within four standard errors of a binomial share over `n`
/// (a 99.99 % interval: with a fixed seed the test is deterministic, the
/// bound says how far chance could take it).
#[track_caller]
fn assert_share(what: &str, hits: f64, n: f64, p: f64) {
    assert!(n >= 50.0, "{what}: too few patients ({n})");
    let tolerance = 4.0 * (p * (1.0 - p) / n).sqrt();
    let found = hits / n;
    assert!(
        (found - p).abs() <= tolerance,
        "{what}: {found:.4} of {n}, expected {p} ± {tolerance:.4}"
    );
}

#[test]
fn every_rule_breakdown_adds_up_to_the_rule() {
    for (path, sets) in [
        (RURAL, vec!["simulation.horizon_days=150"]),
        (DIGITAL, vec!["simulation.horizon_days=150"]),
    ] {
        let sc = load(path, &sets);
        let rec = simulate(&sc, 5, 0);
        let et = &rec.episode_tallies;
        let n_of = |v: &[vardsim::model::records::Sum]| -> (f64, f64) {
            v.iter().fold((0.0, 0.0), |(s, n), x| (s + x.sum, n + x.n))
        };
        for (rule, t) in sc.rules.iter().zip(&et.rules) {
            let (all, legal_all) = (t.all(), t.legal());
            assert!(all.n > 100.0, "{path} {}: too few episodes", rule.key);
            // Unit, channel, category, age and distance band partition the
            // rule's episodes (the units of these scenarios all give bands);
            // profession (index 3) counts only episodes with a counted contact.
            for (dim, (groups, legal)) in t.groups().iter().zip(&t.legal_groups()).enumerate() {
                if dim == 3 {
                    let (_, n) = n_of(groups);
                    assert!(n <= all.n, "{path} {}: profession", rule.key);
                    continue;
                }
                if dim == 5 && sc.distance_bands.is_empty() {
                    assert!(groups.is_empty());
                    continue;
                }
                assert_eq!(
                    n_of(groups),
                    (all.sum, all.n),
                    "{path} {} breakdown {dim}: met and counted add up",
                    rule.key
                );
                assert_eq!(
                    n_of(legal),
                    (legal_all.sum, legal_all.n),
                    "{path} {}{} breakdown {dim}",
                    rule.key,
                    vardsim::metrics::EXCLUDING_PATIENT_CHOSEN
                );
            }
        }
        // Arrivals and the waits by patient group.
        assert_eq!(et.by_age.iter().sum::<u64>(), et.arrived, "{path}: by age");
        if !sc.distance_bands.is_empty() {
            assert_eq!(et.by_distance.iter().sum::<u64>(), et.arrived);
        }
        for (total, by) in [
            (et.to_assessment.sum(), &et.assessment_by_group),
            (et.to_doctor.sum(), &et.doctor_by_group),
        ] {
            assert!(total.n > 0.0);
            for (g, groups) in by.iter().enumerate() {
                if g == 2 && sc.distance_bands.is_empty() {
                    continue;
                }
                let groups: Vec<_> = groups.iter().map(|d| d.sum()).collect();
                assert_eq!(n_of(&groups), (total.sum, total.n), "{path}: group {g}");
            }
        }
    }
}

#[test]
fn the_metrics_write_every_group_and_their_arrivals_add_up() {
    let sc = load(RURAL, &["simulation.horizon_days=120"]);
    let r = run(&sc, 2, 3);
    let bands: Vec<&str> = sc.distance_bands.iter().map(|b| b.key.as_str()).collect();
    assert_eq!(bands, ["0-10", "10-30", "30-60"]);
    for rule in &sc.rules {
        for key in [
            rule.key.clone(),
            format!("{}{}", rule.key, vardsim::metrics::EXCLUDING_PATIENT_CHOSEN),
        ] {
            for (by, n) in [("age", sc.age_groups.len()), ("distance", bands.len())] {
                let groups = r
                    .summary
                    .breakdown
                    .iter()
                    .filter(|b| b.metric == key && b.by.key() == by)
                    .count();
                assert_eq!(groups, n, "{key} by {by}");
            }
        }
    }
    for metric in ["days_to_assessment_mean", "days_to_doctor_visit_mean"] {
        for by in ["category", "age", "distance"] {
            assert!(
                r.summary
                    .breakdown
                    .iter()
                    .any(|b| b.metric == metric && b.by.key() == by),
                "{metric} by {by}"
            );
        }
    }
    for rep in &r.replications {
        let arrived = rep
            .observations
            .iter()
            .find(|o| o.metric == "patients_arrived" && o.by.is_none())
            .unwrap()
            .value;
        for by in ["age", "distance", "category", "channel"] {
            let sum: f64 = rep
                .observations
                .iter()
                .filter(|o| o.metric == "patients_arrived" && o.by.is_some_and(|b| b.key() == by))
                .map(|o| o.value)
                .sum();
            assert_eq!(sum, arrived, "patients_arrived by {by}");
        }
    }
    // The default scenario gives no bands: no distance rows, no moved
    // contacts.
    let default = run(
        &load("scenarios/default.toml", &["simulation.horizon_days=91"]),
        1,
        3,
    );
    assert!(
        default
            .summary
            .breakdown
            .iter()
            .all(|b| b.by.key() != "distance")
    );
    assert!(default.summary.get("patients_digital_excluded").is_none());
    assert!(
        default
            .summary
            .get("patients_far_walk_in_to_phone")
            .is_none()
    );
}

#[test]
fn digital_exclusion_moves_eservice_and_web_contacts_to_the_phone_by_the_share() {
    // The default's whole year: the 80+ seldom use digital channels (about
    // a hundred such contacts a year).
    let sc = load(DIGITAL, &[]);
    let base = load("scenarios/default.toml", &[]);
    assert_eq!(sc.crn_key, base.crn_key, "the two share arrivals");
    let rec = simulate(&sc, 11, 0);
    let rec0 = simulate(&base, 11, 0);
    // Per age group: of the patients whose arrival stream was digital, the
    // share moved to the phone.
    for (a, group) in sc.age_groups.iter().enumerate() {
        let (mut moved, mut stayed) = (0.0, 0.0);
        for e in new_contacts(&rec, &sc).filter(|e| e.age.index() == a) {
            match (e.moved, e.channel) {
                (Some(Moved::DigitalExcluded), ch) => {
                    assert_eq!(ch, Channel::Phone);
                    moved += 1.0;
                }
                (None, Channel::EService | Channel::WebBooking) => stayed += 1.0,
                _ => {}
            }
        }
        assert_share(
            &format!("age group {}", group.key),
            moved,
            moved + stayed,
            group.digital_excluded_share,
        );
    }
    // The same patients arrive (common random numbers): each one's time,
    // age and category, and its channel before the move.
    let origin = |e: &Episode| {
        let ch = match (e.moved, e.channel) {
            (Some(Moved::DigitalExcluded), _) | (_, Channel::WebBooking) => Channel::EService,
            (_, ch) => ch,
        };
        (e.arrived, e.unit, e.age, e.category, ch as u8)
    };
    let mut a: Vec<_> = new_contacts(&rec, &sc).map(origin).collect();
    let mut b: Vec<_> = new_contacts(&rec0, &base).map(origin).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "the same arrivals with and without digital exclusion");
    // The metric counts the moves, by age group.
    let et = &rec.episode_tallies;
    let moved: u64 = et.digital_excluded_by_age.iter().sum();
    assert!(moved > 0);
    assert_eq!(
        et.by_channel[Channel::Phone as usize]
            - rec0.episode_tallies.by_channel[Channel::Phone as usize],
        moved,
        "the telephone takes exactly the moved contacts"
    );
}

#[test]
fn distance_bands_are_drawn_by_their_shares_and_far_walk_ins_call() {
    let sc = load(RURAL, &[]);
    let rec = simulate(&sc, 13, 0);
    let unit = sc.units[0].distance.as_ref().expect("bands");
    let eps: Vec<&Episode> = new_contacts(&rec, &sc).collect();
    let n = eps.len() as f64;
    let total = unit.cumulative.last().unwrap();
    let mut lower = 0.0;
    for (i, &band) in unit.bands.iter().enumerate() {
        let share = (unit.cumulative[i] - lower) / total;
        lower = unit.cumulative[i];
        let key = &sc.distance_bands[band as usize].key;
        let hits = eps.iter().filter(|e| e.distance == band).count() as f64;
        assert_share(&format!("band {key}"), hits, n, share);
        // Of the band's patients drawn on the walk-in stream, the share
        // who telephoned instead.
        let (mut called, mut came) = (0.0, 0.0);
        for e in eps.iter().filter(|e| e.distance == band) {
            match (e.moved, e.channel) {
                (Some(Moved::FarWalkIn), Channel::Phone) => called += 1.0,
                (Some(Moved::FarWalkIn), ch) => panic!("moved to {ch:?}"),
                (None, Channel::WalkIn) => came += 1.0,
                _ => {}
            }
        }
        let p = unit.walk_in_to_phone[i];
        if p == 0.0 {
            assert_eq!(called, 0.0, "band {key}: nobody moves");
        } else {
            assert_share(&format!("walk-ins of band {key}"), called, called + came, p);
        }
    }
    assert!(eps.iter().all(|e| e.distance != NO_BAND));
    // Without the key nobody has a band.
    let default = load("scenarios/default.toml", &["simulation.horizon_days=70"]);
    let rec = simulate(&default, 13, 0);
    assert!(
        rec.episodes
            .iter()
            .all(|e| e.distance == NO_BAND && e.moved.is_none())
    );
}

#[test]
fn groups_do_not_depend_on_the_thread_count() {
    // Both at once: digital exclusion and distance bands with far walk-ins.
    let sc = load(
        DIGITAL,
        &[
            "simulation.horizon_days=100",
            "units.vc.distance_bands={ upper_km = [10, 40], shares = [0.6, 0.4], walk_in_to_phone = [0.0, 0.3] }",
        ],
    );
    let with = |threads| {
        let config = RunConfig {
            seed: 21,
            replications: 4,
            threads: Some(threads),
        };
        experiment::run(&sc, &config, &|| {}).expect("run")
    };
    let (a, b) = (with(1), with(2));
    assert!(a.summary.get("patients_digital_excluded").is_some());
    assert!(a.summary.get("patients_far_walk_in_to_phone").is_some());
    assert_eq!(a.replications.len(), b.replications.len());
    for (x, y) in a.replications.iter().zip(&b.replications) {
        assert_eq!(x.observations.len(), y.observations.len());
        for (o, p) in x.observations.iter().zip(&y.observations) {
            assert_eq!(
                (&o.metric, o.by, &o.group, o.value.to_bits()),
                (&p.metric, p.by, &p.group, p.value.to_bits())
            );
        }
    }
}

#[test]
fn conservation_holds_with_groups_and_moves() {
    for path in [RURAL, DIGITAL] {
        let sc = load(path, &["simulation.horizon_days=120"]);
        let r = run(&sc, 2, 4);
        let get = |k: &str| per_replication(&r, k);
        let arrived = get("patients_arrived");
        let states: Vec<Vec<f64>> = [
            "completed",
            "self_care",
            "emergency_dept",
            "balked",
            "reneged",
            "sent_away",
            "overflow",
            "no_show",
            "cancelled",
            "went_elsewhere",
            "in_system_at_end",
        ]
        .iter()
        .map(|s| get(&format!("patients_{s}")))
        .collect();
        for (i, a) in arrived.iter().enumerate() {
            let sum: f64 = states.iter().map(|s| s[i]).sum();
            assert_eq!(*a, sum, "{path}: replication {i}");
        }
    }
}

/// The problems of the default scenario with `extra` appended.
fn problems(extra: &str) -> (usize, Vec<Problem>) {
    let text = std::fs::read_to_string(root().join("scenarios/default.toml")).unwrap();
    let lines = text.lines().count();
    match vardsim::scenario::Scenario::from_toml("groups.toml", &format!("{text}\n{extra}"), &[]) {
        Ok(_) => panic!("expected problems"),
        Err(ScenarioError::Invalid { problems }) => (lines, problems),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn bad_distance_bands_and_exclusion_shares_are_located_all_at_once() {
    let (lines, p) = problems(
        r#"[units.vc.distance_bands]
upper_km = [30, 10]
shares = [0.5]
walk_in_to_phone = [0.0, 1.5]

[age_groups."90+"]
share = 0.01
digital_excluded_share = -0.2
"#,
    );
    let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    let all = text.join("\n");
    for (key, fragment) in [
        ("units.vc.distance_bands.upper_km", "increasing"),
        ("units.vc.distance_bands.shares", "expected 2 shares"),
        ("units.vc.distance_bands.walk_in_to_phone[1]", "share"),
        ("age_groups.90+.digital_excluded_share", "share"),
    ] {
        let found = p
            .iter()
            .find(|p| p.key.replace('"', "") == key)
            .unwrap_or_else(|| panic!("no problem at {key}:\n{all}"));
        assert!(
            found.to_string().contains(fragment),
            "{key}: {found} lacks {fragment:?}"
        );
        let at = found.location.as_ref().expect("located");
        assert!(
            at.line > lines,
            "{key}: line {} is in the appended text",
            at.line
        );
    }
}
