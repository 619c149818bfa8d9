//! Units that share nothing run apart (issue 17 item 2): the partition of a
//! region into linked groups (`model/linked.rs`), and a replication run
//! group by group on engines of their own giving the records and metrics
//! of one engine running the whole region.

use vardsim::metrics::compute;
use vardsim::model::linked::{LinkedGroup, linked_groups, split_groups};
use vardsim::model::{Records, simulate_tallied, simulate_tallied_joint, simulate_tallied_spread};
use vardsim::vocab::ids::UnitId;

use super::*;
use crate::stockholm::stockholm_prefix;

/// Group `units` (by key) of `sc`, teams by index.
fn group(sc: &Scenario, units: &[&str], teams: &[usize]) -> LinkedGroup {
    let mut units: Vec<UnitId> = units
        .iter()
        .map(|k| {
            let i = sc.units.iter().position(|u| u.key == *k).expect(k);
            UnitId(i as u16)
        })
        .collect();
    units.sort();
    LinkedGroup {
        units,
        teams: teams.to_vec(),
    }
}

/// A mobile team based at vc003 serving vc003 and vc005, and a remote
/// doctor pool at vc006 for vc009's drop-in: links besides the shared line
/// and inbox.
const TEAM: &str = r#"
[mobile_teams.team]
base = "vc003"
serves = ["vc003", "vc005"]
crews = 1
crew = { doctor = 1, district_nurse = 1 }
shifts = [{ days = "mon-fri", start = "08:00", end = "16:30" }]
visit_minutes = { dist = "lognormal", mean = 40, sd = 15 }
travel = { distance_km = { dist = "gamma", mean = 10, sd = 6 }, speed_kmh = 50 }
planned_visits_per_week = 10
home_care_requests_per_day = 1
category = "frail_elderly"

[units.vc006.remote_doctor]
exam_minutes = { dist = "constant", value = 15 }

[units.vc006.staff.remote]
profession = "doctor"
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "16:00", activity = "remote" }]
"#;

/// The Stockholm prefix of ten units with the team and the remote pool.
fn linked_region_text() -> String {
    stockholm_prefix(10, TEAM).replacen(
        "[units.vc009.dropin]\n",
        "[units.vc009.dropin]\nremote_doctor = \"vc006\"\n",
        1,
    )
}

/// [`linked_region_text`], parsed with `sets`.
fn linked_region(sets: &[&str]) -> Scenario {
    parse(&linked_region_text(), sets)
}

#[test]
fn units_are_linked_by_line_inbox_remote_doctor_and_mobile_team() {
    let sc = linked_region(&[]);
    let groups = linked_groups(&sc);
    // Units in key order (the hosts first). The line answers vc004 and
    // vc008, the provider every even unit; the team links vc005 to its
    // base vc003; vc009's drop-in sends to vc006.
    let keys = |g: &LinkedGroup| -> Vec<&str> {
        g.units
            .iter()
            .map(|u| sc.units[u.index()].key.as_str())
            .collect()
    };
    let listed: Vec<(Vec<&str>, Vec<usize>)> =
        groups.iter().map(|g| (keys(g), g.teams.clone())).collect();
    assert_eq!(
        listed,
        vec![
            (
                vec![
                    "digital_provider",
                    "regional_line",
                    "vc002",
                    "vc004",
                    "vc006",
                    "vc008",
                    "vc009",
                    "vc010",
                ],
                vec![]
            ),
            (vec!["vc001"], vec![]),
            (vec!["vc003", "vc005"], vec![0]),
            (vec!["vc007"], vec![]),
        ],
        "{listed:?}"
    );
    assert_eq!(groups[2], group(&sc, &["vc003", "vc005"], &[0]));
    // Every unit in exactly one group.
    let mut all: Vec<UnitId> = groups.iter().flat_map(|g| g.units.clone()).collect();
    all.sort();
    assert_eq!(
        all,
        (0..sc.units.len() as u16).map(UnitId).collect::<Vec<_>>()
    );
}

#[test]
fn units_sharing_nothing_are_groups_of_one_and_continuity_links_all() {
    // The default and its presets: one unit, one group.
    let sc = load("scenarios/default.toml", &[]);
    assert_eq!(linked_groups(&sc).len(), 1);
    // Jämtland's units keep continuity of care: its region-wide indexes
    // are float sums over every unit, so all run together.
    let sc = load("scenarios/regions/jamtland-harjedalen.toml", &[]);
    assert!(sc.units.len() > 20);
    assert_eq!(linked_groups(&sc).len(), 1);
    // The full Stockholm region: the line's and the provider's units (every
    // second unit) and the two hosts are one group, the other 100 units one
    // group each.
    let sc = load("scenarios/regions/stockholm.toml", &[]);
    let groups = linked_groups(&sc);
    assert_eq!(groups.len(), 101);
    assert_eq!(groups[0].units.len(), 102);
    assert!(groups[1..].iter().all(|g| g.units.len() == 1));
    // Run split (`model/split.rs`): the provider apart, the line with its
    // 50 units (every fourth), the other 150 units alone.
    let (runs, apart) = split_groups(&sc);
    let provider = sc.units.iter().position(|u| u.key == "digital_provider");
    let apart_units: Vec<usize> = (0..sc.units.len()).filter(|&u| apart[u]).collect();
    assert_eq!(apart_units, vec![provider.unwrap()]);
    assert_eq!(runs.len(), 1 + 1 + 150);
    let mut sizes: Vec<usize> = runs.iter().map(|g| g.units.len()).collect();
    sizes.sort();
    assert_eq!(sizes[sizes.len() - 1], 51);
    assert_eq!(sizes[sizes.len() - 2], 1);
    // One unit, or continuity: nothing apart.
    for path in [
        "scenarios/default.toml",
        "scenarios/regions/jamtland-harjedalen.toml",
    ] {
        let sc = load(path, &[]);
        let (runs, apart) = split_groups(&sc);
        assert_eq!((runs.len(), apart.iter().any(|&a| a)), (1, false), "{path}");
    }
}

/// The overall value of `metric` in `m`.
fn overall(m: &vardsim::metrics::ReplicationMetrics, metric: &str) -> f64 {
    m.observations
        .iter()
        .find(|o| o.metric == metric && o.by.is_none())
        .unwrap_or_else(|| panic!("{metric}"))
        .value
}

/// Records of a split run and of a joint run are the same (ledgers and
/// tallies), and so are their metrics, bit for bit, and counts of events.
fn assert_split_equals_joint(sc: &Scenario, seed: u64, replication: u32) {
    let split = simulate_tallied(sc, seed, replication, Records::default());
    let joint = simulate_tallied_joint(sc, seed, replication, Records::default());
    assert_eq!(split.events, joint.events);
    assert_eq!(format!("{:?}", split.staff), format!("{:?}", joint.staff));
    assert_eq!(
        format!("{:?}", split.flows),
        format!("{:?}", joint.flows),
        "flow ledgers"
    );
    assert_eq!(
        format!("{:?}", split.episode_tallies),
        format!("{:?}", joint.episode_tallies)
    );
    let (a, b) = (compute(sc, &split), compute(sc, &joint));
    assert_eq!(a.events, b.events);
    assert!(a.observations.len() > 100);
    assert!(overall(&a, "eservice_requests") > 0.0);
    // Bit for bit, NaN included (NaN != NaN for `PartialEq`).
    let bits = |m: &vardsim::metrics::ReplicationMetrics| -> Vec<(String, u64)> {
        m.observations
            .iter()
            .map(|o| (format!("{o:?}"), o.value.to_bits()))
            .collect()
    };
    assert_eq!(bits(&a), bits(&b));
}

#[test]
fn a_region_run_group_by_group_equals_one_engine() {
    let sc = linked_region(&["simulation.horizon_days=120", "simulation.warmup_days=28"]);
    assert_eq!(linked_groups(&sc).len(), 4);
    // The digital provider runs apart, first, and the five units it
    // answers take its answers in their own runs (`model/split.rs`).
    let (runs, apart) = split_groups(&sc);
    assert_eq!(runs.len(), 8);
    assert_eq!(runs[0], group(&sc, &["digital_provider"], &[]));
    assert_eq!(apart.iter().filter(|&&a| a).count(), 1);
    assert!(runs.contains(&group(&sc, &["regional_line", "vc004", "vc008"], &[])));
    for r in 0..2 {
        assert_split_equals_joint(&sc, 11, r);
    }
    // Every link was used: the team visited, the pool examined.
    let m = compute(&sc, &simulate_tallied(&sc, 11, 0, Records::default()));
    assert!(overall(&m, "mobile_requests") > 0.0);
    assert!(overall(&m, "remote_doctor_exams") > 0.0);
}

/// A split provider's answer that ends in the second it was asked for (no
/// wait, a length that rounds to 0 s): the provider's key sorts before the
/// units it answers (units are in key order), so among that second's
/// events its end sorts before the request (by emitter), yet the whole
/// region's run handles it after, as it is scheduled while the request is
/// handled. A served unit's run, which reads its answers a day ahead,
/// must too.
#[test]
fn an_answer_that_ends_the_second_it_is_asked_for_comes_after_the_request() {
    let sc = parse(
        &stockholm_prefix(6, ""),
        &[
            "simulation.horizon_days=60",
            "simulation.warmup_days=14",
            // A thousandth of a minute: 0.06 s, 0 s once rounded.
            "units.digital_provider.eservice.answer_minutes={ dist = \"constant\", value = 0.001 }",
        ],
    );
    let (runs, apart) = split_groups(&sc);
    let provider = sc.units.iter().position(|u| u.key == "digital_provider");
    assert_eq!(provider, Some(0), "before the units it answers");
    assert!(apart[0]);
    assert!(runs.len() > 2);
    for r in 0..3 {
        assert_split_equals_joint(&sc, 5, r);
    }
}

#[test]
fn each_model_run_is_recorded_with_its_units_events_and_time() {
    // What the region bench splits a region's time by
    // (`Records::model_runs`): one run per group of `split_groups`, in its
    // order, with the group's units, the provider's run marked, its peak,
    // events and time.
    let sc = linked_region(&["simulation.horizon_days=60", "simulation.warmup_days=14"]);
    let (groups, apart) = split_groups(&sc);
    let split = simulate_tallied(&sc, 11, 0, Records::default());
    let runs = split.model_runs();
    assert_eq!(runs.len(), groups.len());
    for (run, g) in runs.iter().zip(&groups) {
        assert_eq!(run.units, g.units.len(), "{g:?}");
        assert_eq!(
            run.provider,
            g.units.iter().any(|u| apart[u.index()]),
            "{g:?}"
        );
        assert!(
            run.handled > 0 && run.most_held > 0 && run.seconds > 0.0,
            "{run:?}"
        );
    }
    assert_eq!(runs.iter().filter(|r| r.provider).count(), 1);
    // The provider's run handles its served units' e-service arrivals
    // again, and each served unit's run the answers: the runs handle more
    // events than the replication counts (each once).
    let handled: u64 = runs.iter().map(|r| r.handled).sum();
    assert!(handled > split.events, "{handled} {}", split.events);
    // One engine: one run of every unit, handling what it counts.
    let joint = simulate_tallied_joint(&sc, 11, 0, Records::default());
    let [one] = joint.model_runs() else {
        panic!("one engine, one run");
    };
    assert_eq!(
        (one.units, one.provider, one.handled),
        (sc.units.len(), false, joint.events)
    );
}

#[test]
fn a_worker_reusing_its_records_runs_groups_as_a_fresh_one() {
    // The experiment runner hands each replication the last one's records
    // (buffers and each group's books): the results do not depend on them.
    let sc = linked_region(&["simulation.horizon_days=90", "simulation.warmup_days=14"]);
    let mut spare = Records::default();
    for r in [0, 1, 0] {
        let reused = simulate_tallied(&sc, 5, r, std::mem::take(&mut spare));
        let fresh = simulate_tallied(&sc, 5, r, Records::default());
        assert_eq!(
            format!("{:?}", compute(&sc, &reused)),
            format!("{:?}", compute(&sc, &fresh)),
            "replication {r}"
        );
        spare = reused;
    }
}

#[test]
fn summaries_of_a_split_region_do_not_depend_on_threads() {
    let sc = linked_region(&["simulation.horizon_days=90", "simulation.warmup_days=14"]);
    let summary = |threads| {
        let config = RunConfig {
            seed: 3,
            replications: 3,
            threads: Some(threads),
        };
        let r = experiment::run(&sc, &config, &|| {}).expect("run");
        format!("{:?}", r.replications)
    };
    assert_eq!(summary(1), summary(2));
}

/// What a run leaves that does not depend on how it ran: the metrics, the
/// ledgers, the episode tallies, the event count and each group's peak.
fn results(sc: &Scenario, r: &Records) -> String {
    format!(
        "{:?} {:?} {:?} {:?} {} {:?}",
        compute(sc, r),
        r.staff,
        r.flows,
        r.episode_tallies,
        r.events,
        r.most_patients_held_by_group()
    )
}

#[test]
fn groups_in_parallel_equal_groups_in_turn() {
    // Up to 1, 2 and 4 groups at once on pools of 1, 2 and 4 threads, each
    // worker reusing its records (its lanes' buffers and each group's
    // books) across replications: the same records as one group at a time.
    let sc = linked_region(&["simulation.horizon_days=90", "simulation.warmup_days=14"]);
    let in_turn: Vec<String> = (0..2)
        .map(|r| results(&sc, &simulate_tallied(&sc, 9, r, Records::default())))
        .collect();
    for threads in [1, 2, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        for lanes in [1, 2, 4] {
            let mut spare = Records::default();
            for r in [0, 1, 0] {
                let rec = pool.install(|| {
                    simulate_tallied_spread(&sc, 9, r, std::mem::take(&mut spare), lanes)
                });
                assert!(
                    results(&sc, &rec) == in_turn[r as usize],
                    "threads {threads}, lanes {lanes}, replication {r}"
                );
                spare = rec;
            }
        }
    }
}

#[test]
fn groups_in_parallel_write_the_files_of_groups_in_turn() {
    // `run -r 1` leaves every thread but one spare: with 2 and 4 threads the
    // groups of the replication run 2 and 4 at once, with `-r 2` on 4
    // threads 2 at once per replication; summary.json and replications.csv
    // are byte-identical to one thread's, where they run one at a time.
    let dir = temp("parallel-groups");
    let file = dir.join("linked.toml");
    std::fs::write(&file, linked_region_text()).unwrap();
    let outputs = |reps: &str, threads: &str| {
        let out = dir.join(format!("out-{reps}-{threads}"));
        #[rustfmt::skip]
        let o = vardsim(&[
            "run", file.to_str().unwrap(), "-r", reps, "-t", threads, "--seed", "7",
            "--set", "simulation.horizon_days=70", "--set", "simulation.warmup_days=14",
            "-o", out.to_str().unwrap(), "--name", "linked", "-f", "json",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let read = |name: &str| std::fs::read(out.join("linked").join(name)).unwrap();
        (read("summary.json"), read("replications.csv"))
    };
    for reps in ["1", "2"] {
        let one = outputs(reps, "1");
        assert!(one.0.len() > 1000 && one.1.len() > 1000);
        for threads in ["2", "4"] {
            assert!(
                outputs(reps, threads) == one,
                "-r {reps}: -t {threads} differs from -t 1"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_split_run_gives_each_groups_peak_and_bounds_the_regions() {
    // The region holds at any time the sum of what its groups hold, so its
    // peak is at least each group's and at most their sum.
    let sc = linked_region(&["simulation.horizon_days=120", "simulation.warmup_days=28"]);
    let split = simulate_tallied(&sc, 11, 0, Records::default());
    let joint = simulate_tallied_joint(&sc, 11, 0, Records::default());
    let by_group = split.most_patients_held_by_group();
    assert_eq!(by_group.len(), split_groups(&sc).0.len());
    let [region] = joint.most_patients_held_by_group()[..] else {
        panic!("one engine, one peak");
    };
    assert_eq!(joint.most_patients_held_at_most(), region);
    assert!(
        by_group.iter().all(|&p| p > 0 && p <= region),
        "{by_group:?} {region}"
    );
    let sum: usize = by_group.iter().sum();
    assert_eq!(split.most_patients_held_at_most(), sum);
    assert!(sum >= region, "{by_group:?} {region}");
    // Each group's peak is its own run's, whichever lane ran it.
    let alone = simulate_tallied_spread(&sc, 11, 0, Records::default(), 4);
    assert_eq!(alone.most_patients_held_by_group(), by_group);
    // One group (the default): its peak, exactly.
    let one = load("scenarios/default.toml", &["simulation.horizon_days=60"]);
    let rec = simulate_tallied(&one, 1, 0, Records::default());
    assert_eq!(rec.most_patients_held_by_group().len(), 1);
    assert!(rec.most_patients_held_at_most() > 0);
}
