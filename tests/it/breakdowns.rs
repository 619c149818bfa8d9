//! The breakdowns `docs/output.md` promises are written.

use std::collections::BTreeSet;

use super::*;

/// The default scenario, short: 5 weeks after the 8-week warm-up.
fn short(path: &str) -> (Scenario, RunResults) {
    let sc = load(path, &["simulation.horizon_days=91"]);
    let results = run(&sc, 2, 1);
    (sc, results)
}

/// The dimensions of the `by` bullet of `docs/output.md`'s `summary.json`
/// section: its backticked words outside parentheses (those name groups).
fn documented_dimensions() -> Vec<String> {
    let doc = std::fs::read_to_string(root().join("docs/output.md")).unwrap();
    let start = doc.find("- `by` is one of").expect("the `by` bullet");
    let rest = &doc[start + 2..];
    let bullet = &rest[..rest.find("\n- ").unwrap_or(rest.len())];
    let mut outside = String::new();
    let mut depth = 0;
    for c in bullet.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let dims: Vec<String> = outside
        .split('`')
        .skip(1)
        .step_by(2)
        .skip(1) // `by` itself
        .map(str::to_string)
        .collect();
    assert!(dims.len() >= 5, "parsed too few dimensions: {dims:?}");
    dims
}

fn written_dimensions(results: &RunResults) -> BTreeSet<String> {
    results
        .summary
        .breakdown
        .iter()
        .map(|b| b.by.key().to_string())
        .collect()
}

#[test]
fn every_guarantee_rule_is_broken_down_by_age() {
    let (sc, results) = short("scenarios/default.toml");
    assert!(!sc.rules.is_empty());
    for rule in &sc.rules {
        let groups: BTreeSet<&str> = results
            .summary
            .breakdown
            .iter()
            .filter(|b| b.metric == rule.key && b.by.key() == "age")
            .map(|b| b.group.as_str())
            .collect();
        let ages: BTreeSet<&str> = sc.age_groups.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(groups, ages, "{}: age groups", rule.key);
    }
}

#[test]
fn every_documented_breakdown_dimension_is_written_by_a_default_run() {
    // Mobile teams are not in the default scenario; their `team` breakdown
    // is checked on the preset that adds one to it.
    // Distance bands are not in it either: the rural preset gives them.
    const NEEDS_A_METHOD: [(&str, &str); 2] = [
        ("team", "scenarios/methods/mobile-team.toml"),
        ("distance", "scenarios/methods/rural-distance.toml"),
    ];
    let documented = documented_dimensions();
    let (_, default) = short("scenarios/default.toml");
    let written = written_dimensions(&default);
    for dim in &documented {
        match NEEDS_A_METHOD.iter().find(|(d, _)| d == dim) {
            None => assert!(
                written.contains(dim),
                "docs/output.md documents `by = \"{dim}\"`; a default run writes only {written:?}"
            ),
            Some((_, preset)) => {
                let (_, results) = short(preset);
                assert!(
                    written_dimensions(&results).contains(dim),
                    "{preset} writes no `by = \"{dim}\"`"
                );
            }
        }
    }
    // And every dimension written is documented.
    for dim in &written {
        assert!(
            documented.contains(dim),
            "`by = \"{dim}\"` is not in docs/output.md"
        );
    }
}

#[test]
fn the_flows_metric_tables_say_what_runs_write() {
    // Between them these runs have every working method: the default
    // (telephone, e-service, drop-in, booking), a mobile team, the
    // region's remote doctor pool, and a hold queue.
    let mut runs: Vec<RunResults> = [
        "scenarios/default.toml",
        "scenarios/methods/mobile-team.toml",
        "scenarios/regions/jamtland-harjedalen.toml",
        // Booking that waits for continuity (its waits' metrics).
        "scenarios/methods/continuity-first.toml",
    ]
    .iter()
    .map(|p| short(p).1)
    .collect();
    // No shipped scenario has a telephone hold queue: the default with one.
    let hold = load(
        "scenarios/default.toml",
        &[
            "simulation.horizon_days=91",
            "units.vc.phone.mode=\"hold_queue\"",
            "units.vc.phone.patience_minutes={ dist = \"exponential\", mean = 5 }",
            // Admissions are written only when a scenario gives a share.
            "costs.emergency_admitted_share=0.3",
            "costs.emergency_admission_sek=50000",
        ],
    );
    runs.push(run(&hold, 2, 1));
    // Staff supply (summer by rule, absence, hired cover) is the summer
    // preset's, absence switched on.
    runs.push(run(
        &load("scenarios/methods/summer.toml", &["supply.absence=true"]),
        1,
        1,
    ));
    for def in vardsim::metrics::metric_defs() {
        let mut written = false;
        let mut dims = BTreeSet::new();
        for o in runs.iter().flat_map(|r| &r.replications[0].observations) {
            if o.metric == def.key {
                written = true;
                assert_eq!(o.unit, def.unit, "{}: unit", def.key);
                dims.extend(o.by);
            }
        }
        assert!(written, "{} is in a table but no run writes it", def.key);
        let table: BTreeSet<_> = def.by.iter().copied().collect();
        assert_eq!(dims, table, "{}: breakdowns written vs. table", def.key);
    }
}

/// An audit's finding: the hours of the week were listed alphabetically
/// (`fri-00`, …, `mon-00`, …, `wed-23`) in `summary.json`,
/// `replications.csv` and `results.xlsx`, and distance bands by name
/// (`20-60` before `5-20`), where a planner reads a week from Monday 00 to
/// Sunday 23 and bands nearest first. Every file lists them so, from one
/// rule; the keys stay as they were.
#[test]
fn weekday_hours_run_monday_to_sunday_and_distance_bands_nearest_first_in_every_file() {
    let dir = temp_path("group-order");
    let out = vardsim(&[
        "run",
        "scenarios/methods/rural-distance.toml",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=91",
        "--set",
        "units.vc.distance_bands.upper_km=[5, 20, 60]",
        "--name",
        "order",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("order");
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    const DAY_LABELS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    // A week's hours as it runs, the whole week (the run has them all).
    let week: Vec<String> = (0..168)
        .map(|i| format!("{}-{:02}", DAYS[i / 24], i % 24))
        .collect();
    let week_labels: Vec<String> = (0..168)
        .map(|i| format!("{} {:02}", DAY_LABELS[i / 24], i % 24))
        .collect();
    let bands = ["0-5", "5-20", "20-60"];
    let rule = "assessment_within_3_days";

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("summary.json")).unwrap())
            .unwrap();
    let listed = |metric: &str, by: &str| -> Vec<String> {
        json["breakdown"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["metric"] == metric && b["by"] == by)
            .map(|b| b["group"].as_str().unwrap().to_string())
            .collect()
    };
    for metric in ["new_contacts_per_hour", "staff_on_duty"] {
        assert_eq!(
            listed(metric, "weekday_hour"),
            week,
            "summary.json {metric}"
        );
    }
    assert_eq!(listed(rule, "distance"), bands, "summary.json");

    let csv = std::fs::read_to_string(folder.join("replications.csv")).unwrap();
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let in_csv = |metric: &str, by: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| &r[1] == "0" && &r[2] == metric && &r[3] == by)
            .map(|r| r.get(4).unwrap())
            .collect()
    };
    assert_eq!(in_csv("new_contacts_per_hour", "weekday_hour"), week, "CSV");
    assert_eq!(in_csv(rule, "distance"), bands, "CSV");

    let book = folder.join("results.xlsx");
    assert_eq!(
        workbook_groups(&book, "By weekday and hour", "new_contacts_per_hour"),
        week_labels,
        "results.xlsx"
    );
    assert_eq!(
        workbook_groups(&book, "By distance (km)", rule),
        ["0–5", "5–20", "20–60"],
        "results.xlsx"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
