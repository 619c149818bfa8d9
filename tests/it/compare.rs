//! Paired comparison (`vardsim compare`): the difference's CI is that of
//! per-replication differences, which common random numbers make tight.

use std::process::Command;

use super::*;
use vardsim::experiment::compare;

#[test]
fn paired_difference_matches_erlang_c_and_is_exact_against_itself() {
    let base = run(&load("scenarios/validation/mmc.toml", &[]), 10, 1);
    let four = run(
        &load(
            "scenarios/validation/mmc.toml",
            &["units.desk.staff.nurse.count=4"],
        ),
        10,
        1,
    );
    let same = run(&load("scenarios/validation/mmc.toml", &[]), 10, 1);
    let c = compare(&[base, four, same]);
    let wait = &c.metrics["dropin_wait_minutes_mean"];
    // Erlang C: 10.76 − 64.72 minutes.
    let exact = 0.2870 / 1.6 * 60.0 - 0.6472 / 0.6 * 60.0;
    assert_in_ci("difference in mean wait", &wait.differences[0], exact);
    assert_eq!(wait.differences[1].mean, 0.0);
    assert_eq!(
        wait.differences[1].half_width(),
        0.0,
        "a scenario paired with itself differs by exactly 0"
    );
}

#[test]
fn common_random_numbers_make_the_paired_ci_far_tighter_than_unpaired() {
    // A 5 % demand change: each replication's noise is shared by both scenarios.
    let a = run(
        &load(
            "scenarios/validation/mmc.toml",
            &["simulation.horizon_days=730"],
        ),
        10,
        4,
    );
    let b = run(
        &load(
            "scenarios/validation/mmc.toml",
            &[
                "simulation.horizon_days=730",
                "units.desk.demand.walk_in.per_hour=2.28",
            ],
        ),
        10,
        4,
    );
    let key = "dropin_wait_minutes_mean";
    let (xa, xb) = (per_replication(&a, key), per_replication(&b, key));
    let var = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64
    };
    let diffs: Vec<f64> = xb.iter().zip(&xa).map(|(b, a)| b - a).collect();
    let (paired, unpaired) = (var(&diffs), var(&xa) + var(&xb));
    assert!(
        paired < 0.25 * unpaired,
        "paired variance {paired} vs unpaired {unpaired}"
    );
    let c = compare(&[a, b]);
    assert!(
        c.metrics[key].differences[0].ci95_high < 0.0,
        "less demand, shorter waits"
    );
}

#[test]
fn compare_command_prints_json_with_differences() {
    let dir = std::env::temp_dir().join(format!("vardsim-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let variant = dir.join("four.toml");
    let base = root().join("scenarios/validation/mmc.toml");
    std::fs::write(
        &variant,
        format!(
            "extends = {:?}\nname = \"four\"\n[units.desk.staff.nurse]\ncount = 4\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .args([
            "compare",
            base.to_str().unwrap(),
            variant.to_str().unwrap(),
            "-r",
            "3",
            "--set",
            "simulation.horizon_days=120",
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.join("out"))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["base"], "mmc");
    assert_eq!(v["variants"][0], "four");
    let d = &v["metrics"]["utilization_nurse"]["differences"]["four"];
    assert!(d["mean"].as_f64().unwrap() < -0.1, "{d}");
}

#[test]
fn counts_over_periods_of_different_lengths_are_not_called_per_year() {
    let dir = temp("periods");
    std::fs::write(
        dir.join("short.toml"),
        "extends = \"builtin:default\"\nname = \"short\"\n[simulation]\nhorizon_days = 120\nwarmup_days = 28\n",
    )
    .unwrap();
    for (lang, said, not_said, report_says) in [
        (
            "en",
            "counts are totals of each scenario's measured period (364, 92 days), not per year",
            "counts per year",
            "measured periods of different lengths (364, 92 days)",
        ),
        (
            "sv",
            "antal är summor över varje scenarios mätta period (364, 92 dagar), inte per år",
            "antal per år",
            "perioder av olika längd (364, 92 dagar)",
        ),
    ] {
        let out = vardsim_in(
            &dir,
            &[
                "compare",
                "builtin:default",
                "short.toml",
                "-r",
                "2",
                "--report",
                "--lang",
                lang,
                "--name",
                lang,
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let table = String::from_utf8_lossy(&out.stdout);
        let first = table.lines().next().unwrap();
        assert!(first.contains(said), "{first}");
        assert!(!first.contains(not_said), "{first}");
        let report =
            std::fs::read_to_string(dir.join("output").join(lang).join("report.md")).unwrap();
        assert!(report.contains(report_says), "{report}");
    }
    // The same period: per year, as before.
    let out = vardsim_in(
        &dir,
        &[
            "compare",
            "builtin:default",
            "builtin:default",
            "-r",
            "2",
            "--name",
            "same",
        ],
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table
            .lines()
            .next()
            .unwrap()
            .contains("counts per year, scaled from 364 measured days"),
        "{table}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn staff_cost_follows_paid_hours_and_cost_per_fte_year() {
    // Three nurses round the clock for a 365-day year, in FTE-years of
    // 40 h × 52 weeks; a nurse costs 45 000 SEK a month × 12 × 1.45 on-costs.
    let r = run(
        &load(
            "scenarios/validation/mmc.toml",
            &["simulation.horizon_days=400"],
        ),
        2,
        1,
    );
    let fte = 3.0 * 24.0 * 365.0 / (40.0 * 52.0);
    let expected = fte * 45_000.0 * 12.0 * 1.45;
    let cost = metric(&r, "staff_cost_sek_per_year").mean;
    assert!(
        (cost - expected).abs() < 1e-6 * expected,
        "{cost} vs {expected}"
    );
    // Overridable per profession.
    let cheap = run(
        &load(
            "scenarios/validation/mmc.toml",
            &[
                "simulation.horizon_days=400",
                "professions.nurse.cost_per_fte_year_sek=500000",
            ],
        ),
        2,
        1,
    );
    let cost = metric(&cheap, "staff_cost_sek_per_year").mean;
    assert!((cost - fte * 500_000.0).abs() < 1e-3, "{cost}");
    // Every arrival is assessed at the desk the same day here, so the cost per
    // compliant episode is the observed cost over the patients.
    let per = metric(&cheap, "cost_per_compliant_episode_sek").mean;
    assert!(per > 0.0 && per.is_finite());
}

#[test]
fn metrics_only_a_variant_has_are_compared_too() {
    // The base has no mobile team: its column is empty, the variant's is not.
    let sets = ["simulation.horizon_days=90"];
    let a = run(&load("scenarios/default.toml", &sets), 2, 1);
    let b = run(&load("scenarios/methods/mobile-team.toml", &sets), 2, 1);
    let c = compare(&[a, b]);
    let m = &c.metrics["mobile_requests"];
    assert!(m.estimates[0].mean.is_nan());
    assert!(m.estimates[1].mean > 0.0);
    assert!(
        m.differences[0].mean.is_nan(),
        "no difference without a base value"
    );
}

/// A user's finding: the compare report gave every difference and its CI
/// but no verdict, so a planning group had to work out which variant is
/// better, on what, and whether the simulation can tell at all. "In short"
/// says it per variant, from the paired differences' CIs as the table
/// writes them.
#[test]
fn the_compare_report_says_in_short_what_each_variant_does_better_or_worse() {
    let dir = temp("verdict");
    std::fs::write(
        dir.join("fewer.toml"),
        "extends = \"builtin:default\"\nname = \"fewer\"\nlabel_en = \"Fewer doctors\"\n[units.vc.staff.doctor]\ncount = 3\n",
    )
    .unwrap();
    let triage = root().join("scenarios/methods/triage-counts.toml");
    let out = vardsim_in(
        &dir,
        &[
            "compare",
            "builtin:default",
            "fewer.toml",
            triage.to_str().unwrap(),
            "-r",
            "4",
            "--set",
            "simulation.horizon_days=120",
            "--report",
            "--name",
            "v",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("output/v");
    let report = std::fs::read_to_string(folder.join("report.md")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("comparison.json")).unwrap())
            .unwrap();
    let short = report
        .split("### In short\n\n")
        .nth(1)
        .expect("an In short section")
        .split("\n## ")
        .next()
        .unwrap();
    let paragraph = |label: &str| {
        short
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label} in {short}"))
            .to_string()
    };
    // The clause each rule is in, worked out from comparison.json.
    let rules = [
        ("contact_same_day", "Contact the same day"),
        (
            "assessment_within_3_days",
            "Medical assessment within 3 days",
        ),
    ];
    for (variant, label) in [
        ("fewer", "Fewer doctors against"),
        (
            "triage-counts",
            "Telephone triage counts as assessment (definition only) against",
        ),
    ] {
        let text = paragraph(label);
        for (key, rule) in rules {
            let d = &json["metrics"][key]["differences"][variant];
            let tenths = |k: &str| (d[k].as_f64().unwrap() * 1000.0).round();
            let clause = if tenths("ci95_low") > 0.0 {
                "better on"
            } else if tenths("ci95_high") < 0.0 {
                "worse on"
            } else {
                "no clear difference on"
            };
            let part = text
                .split("; ")
                .find(|p| p.contains(clause))
                .unwrap_or_else(|| panic!("{clause} in {text}"));
            assert!(part.contains(rule), "{rule} under {clause}: {text}");
        }
    }
    // The case covers each verdict: fewer doctors assess fewer within
    // three days and cost less; counting triage raises "3" by definition.
    let fewer = paragraph("Fewer doctors against");
    let worse = fewer.split("; ").find(|p| p.contains("worse on")).unwrap();
    assert!(
        worse.contains("Medical assessment within 3 days −"),
        "{fewer}"
    );
    assert!(fewer.contains("Staff cost per year (SEK) −"), "{fewer}");
    let triage = paragraph("Telephone triage counts");
    assert!(
        triage.contains("better on Medical assessment within 3 days"),
        "{triage}"
    );
    assert!(triage.contains("the same staff cost"), "{triage}");
    assert!(short.contains("wholly above or below zero"), "{short}");
    let _ = std::fs::remove_dir_all(&dir);
}
