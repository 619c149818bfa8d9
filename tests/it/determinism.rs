//! Same scenario + seed ⇒ byte-identical outputs, whatever the thread count.

use std::process::Command;

use super::*;

fn run_cli(out: &Path, threads: &str) -> (Vec<u8>, Vec<u8>) {
    let status = Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .args([
            "run",
            "-r",
            "6",
            "--seed",
            "42",
            "--threads",
            threads,
            "--format",
            "json",
            "--out",
        ])
        .arg(out)
        .output()
        .expect("run vardsim");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let summary = std::fs::read(out.join("default/summary.json")).unwrap();
    assert_eq!(
        summary, status.stdout,
        "--format json prints summary.json exactly"
    );
    (
        summary,
        std::fs::read(out.join("default/replications.csv")).unwrap(),
    )
}

#[test]
fn outputs_do_not_depend_on_threads_or_repetition() {
    let base = std::env::temp_dir().join(format!("vardsim-determinism-{}", std::process::id()));
    let a = run_cli(&base.join("a"), "1");
    let b = run_cli(&base.join("b"), "2");
    let c = run_cli(&base.join("c"), "2");
    assert_eq!(a, b, "threads 1 vs 2");
    assert_eq!(b, c, "two runs");
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn same_crn_key_shares_arrivals_across_scenarios() {
    // A staffing change must not change who arrives when (common random numbers).
    let a = vardsim::model::simulate(
        &load(
            "scenarios/validation/mmc.toml",
            &["simulation.horizon_days=60"],
        ),
        1,
        0,
    );
    let b = vardsim::model::simulate(
        &load(
            "scenarios/validation/mmc.toml",
            &[
                "simulation.horizon_days=60",
                "units.desk.staff.nurse.count=5",
            ],
        ),
        1,
        0,
    );
    let times =
        |r: &vardsim::model::Records| r.episodes.iter().map(|e| e.arrived).collect::<Vec<_>>();
    assert_eq!(times(&a), times(&b));
    // …and each patient's service time is the same, whoever sees them when.
    let mut da: Vec<_> = a
        .contacts
        .iter()
        .map(|c| (c.patient, c.duration_s))
        .collect();
    let mut db: Vec<_> = b
        .contacts
        .iter()
        .map(|c| (c.patient, c.duration_s))
        .collect();
    da.sort();
    db.sort();
    let n = da.len().min(db.len()) - 10;
    assert_eq!(da[..n], db[..n]);
}

#[test]
fn reused_buffers_and_cached_books_change_nothing() {
    // A worker's spare records carry the last replication's buffers, its
    // pristine appointment books and its arrival streams' layouts; a
    // replication run with them equals one run fresh — also when the spare
    // comes from another scenario (other staff: the same layouts; other
    // demand or horizon: other layouts).
    use vardsim::model::{Records, simulate, simulate_reusing};
    let a = load("scenarios/default.toml", &["simulation.horizon_days=60"]);
    let b = load(
        "scenarios/default.toml",
        &[
            "simulation.horizon_days=60",
            "units.vc.staff.doctor.count=3",
        ],
    );
    let c = load(
        "scenarios/default.toml",
        &[
            "simulation.horizon_days=60",
            "units.vc.demand.contacts_per_listed_year=3.3",
        ],
    );
    let d = load("scenarios/default.toml", &["simulation.horizon_days=70"]);
    let fresh = |s, r| format!("{:?}", simulate(s, 5, r));
    let mut spare = Records::default();
    for (s, r) in [
        (&a, 0),
        (&a, 1),
        (&b, 0),
        (&c, 0),
        (&a, 2),
        (&d, 0),
        (&b, 1),
    ] {
        let rec = simulate_reusing(s, 5, r, std::mem::take(&mut spare));
        let got = format!("{rec:?}");
        spare = rec;
        // The cache itself differs (it is the spare's); compare the results.
        let cut = |t: &str| t[..t.find("book_cache").unwrap_or(t.len())].to_string();
        assert!(cut(&got) == cut(&fresh(s, r)), "replication {r} differs");
    }
}

#[test]
fn tallied_runs_equal_runs_that_keep_every_contact() {
    // The experiment runner keeps no contacts, only the tallies the metrics
    // read; a run that keeps them must give the same records otherwise and
    // the same metrics, and its tallies must agree with its contacts.
    use vardsim::metrics::compute;
    use vardsim::model::{Records, simulate, simulate_tallied};
    use vardsim::vocab::kinds::{Activity, ContactKind, EndState};
    for (path, sets) in [
        ("scenarios/default.toml", vec!["simulation.horizon_days=90"]),
        (
            "scenarios/regions/jamtland-harjedalen.toml",
            vec!["simulation.horizon_days=70"],
        ),
    ] {
        let s = load(path, &sets);
        let kept = simulate(&s, 3, 1);
        let tallied = simulate_tallied(&s, 3, 1, Records::default());
        assert!(!kept.contacts.is_empty(), "{path}: no contacts kept");
        assert!(tallied.contacts.is_empty(), "{path}: contacts kept");
        assert_eq!(compute(&s, &kept), compute(&s, &tallied), "{path}");
        assert_eq!(
            format!("{:?}", kept.tallies),
            format!("{:?}", tallied.tallies),
            "{path}"
        );
        // The tallies against a pass over the kept contacts.
        let from = kept.observed_from;
        let visits = kept
            .contacts
            .iter()
            .filter(|c| {
                c.start >= from && matches!(c.kind, ContactKind::Visit | ContactKind::HomeVisit)
            })
            .count() as u64;
        assert_eq!(kept.tallies.visits.iter().sum::<u64>(), visits, "{path}");
        for a in Activity::ALL {
            let waits: Vec<u64> = kept
                .contacts
                .iter()
                // A drop-in's fast triage has no wait of its own (the
                // visit's counts from the same first queue).
                .filter(|c| {
                    c.activity == a && c.requested >= from && c.kind != ContactKind::DropInTriage
                })
                .map(|c| c.wait_s())
                .collect();
            let t = kept.tallies.wait[a as usize];
            assert_eq!(t.n, waits.len() as u64, "{path} {a:?}");
            assert_eq!(t.total, waits.iter().sum::<u64>(), "{path} {a:?}");
        }
        let waiting: u64 = kept.tallies.phone_waiting.hours_of_week().iter().sum();
        let by_contact: u64 = kept
            .contacts
            .iter()
            .filter(|c| c.activity == Activity::Telephone)
            .map(|c| {
                c.start
                    .min(kept.observed_to)
                    .saturating_since(c.requested.max(from))
            })
            .sum();
        assert_eq!(waiting, by_contact, "{path}");
        // Episodes leave the model as they end, into tallies: the same in
        // both runs, equal to a pass over the kept episodes, and the arena
        // held only a fraction of the patients at any time.
        assert!(tallied.episodes.is_empty(), "{path}: episodes kept");
        assert_eq!(
            format!("{:?}", kept.episode_tallies),
            format!("{:?}", tallied.episode_tallies),
            "{path}"
        );
        let new: Vec<_> = kept
            .episodes
            .iter()
            .filter(|e| e.arrived >= from && !e.follow_up)
            .collect();
        let t = &kept.episode_tallies;
        assert_eq!(t.arrived, new.len() as u64, "{path}");
        for state in EndState::ALL {
            let n = new.iter().filter(|e| e.end == state).count();
            assert_eq!(t.states[state as usize], n as u64, "{path} {state:?}");
        }
        assert!(
            tallied.most_patients_held_at_most() * 4 < kept.episodes.len(),
            "{path}: {} held of {}",
            tallied.most_patients_held_at_most(),
            kept.episodes.len()
        );
    }
}

#[test]
fn rule_firsts_beyond_the_episodes_line_tally_the_same() {
    // Up to six guarantee rules keep each patient's first counted contact
    // beside the episode, in its cache line (`model::sim::HeldEpisode`); a
    // scenario with more keeps them in a table of their own. Four more
    // rules (seven in all) must leave the built-in three's tallies, and the
    // continuity counts that read the first contact's rule, as they were.
    use vardsim::model::{Records, simulate_tallied};
    let text = "extends = \"builtin:default\"\nname = \"rules\"\n";
    let mut more = String::from(text);
    for (i, days) in [0, 1, 4, 10].iter().enumerate() {
        more += &format!(
            "[guarantee.extra{i}]\ndeadline_days = {days}\ncontact_kinds = [\"any\"]\nprofessions = [\"any\"]\n"
        );
    }
    let sets = ["simulation.horizon_days=120"];
    let (few, many) = (parse(text, &sets), parse(&more, &sets));
    assert_eq!((few.rules.len(), many.rules.len()), (3, 7));
    let a = simulate_tallied(&few, 5, 1, Records::default());
    let b = simulate_tallied(&many, 5, 1, Records::default());
    for (i, rule) in few.rules.iter().enumerate() {
        let j = many.rules.iter().position(|r| r.key == rule.key).unwrap();
        let (ta, tb) = (&a.episode_tallies.rules[i], &b.episode_tallies.rules[j]);
        assert!(ta.all().n > 1000.0, "{}: too few episodes", rule.key);
        assert_eq!(format!("{ta:?}"), format!("{tb:?}"), "{}", rule.key);
    }
    assert!(a.flows.booking.continuity.on);
    assert_eq!(
        format!("{:?}", a.flows.booking.continuity),
        format!("{:?}", b.flows.booking.continuity)
    );
}
