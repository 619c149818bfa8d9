//! The command line: help, JSON output, and clear errors for bad scenarios.

use super::vardsim;

#[test]
fn help_shows_examples() {
    let out = vardsim(&["run", "--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Examples:") && text.contains("--set"),
        "{text}"
    );
}

#[test]
fn json_format_prints_only_the_summary() {
    let dir = std::env::temp_dir().join(format!("vardsim-cli-json-{}", std::process::id()));
    let out = vardsim(&[
        "run",
        "scenarios/validation/mmc.toml",
        "-r",
        "3",
        "--set",
        "simulation.horizon_days=100",
        "--name",
        "mmc",
        "--format",
        "json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["scenario"], "mmc");
    assert_eq!(v["replications"], 3);
    let m = &v["metrics"]["dropin_wait_minutes_mean"];
    assert_eq!(m["unit"], "minutes");
    assert!(m["ci95_low"].as_f64().unwrap() < m["mean"].as_f64().unwrap());
    for key in [
        "contact_same_day",
        "assessment_within_3_days",
        "doctor_visit_within_7_days",
        "days_to_assessment_mean",
        "dropin_wait_probability",
        "dropin_wait_over_30_min",
        "patients_arrived",
        "patients_lost",
        "utilization_nurse",
    ] {
        assert!(v["metrics"].get(key).is_some(), "missing {key}");
    }
    let csv = std::fs::read_to_string(dir.join("mmc/replications.csv")).unwrap();
    assert!(csv.starts_with("scenario,replication,metric,by,group,unit,value\n"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("mmc,2,patients_arrived,,,count,"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes `text` to a temporary scenario file, runs it, and returns
/// (exit code, stderr).
fn run_bad(name: &str, text: &str, extra: &[&str]) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("vardsim-bad-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "-r",
        "1",
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = vardsim(&args);
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        format!("{name}.toml"),
    )
}

#[track_caller]
fn assert_clear_error(
    name: &str,
    text: &str,
    extra: &[&str],
    line_col: &str,
    must_contain: &[&str],
) {
    let (code, stderr, file) = run_bad(name, text, extra);
    assert_eq!(code, 2, "{name}: exit code\n{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{name}: panic\n{stderr}"
    );
    let located = format!("{file}:{line_col}");
    assert!(
        stderr.contains(&located),
        "{name}: expected {located} in\n{stderr}"
    );
    for s in must_contain {
        assert!(stderr.contains(s), "{name}: expected {s:?} in\n{stderr}");
    }
}

const GOOD: &str = r#"name = "ok"
[units.vc.dropin]
hours = [{ days = "mon-fri", start = "08:00", end = "12:00" }]
[units.vc.demand.walk_in]
per_hour = 3.0
[units.vc.staff.nurse]
count = 1
shifts = [{ days = "mon-fri", start = "08:00", end = "12:00", activity = "dropin" }]
[categories.any]
share = 1.0
assess = ["nurse"]
service_minutes.nurse = { dist = "exponential", mean = 15 }
"#;

#[test]
fn the_good_scenario_runs() {
    let (code, stderr, _) = run_bad("good", GOOD, &[]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn toml_syntax_error_is_located() {
    let bad = GOOD.replace("per_hour = 3.0", "per_hour = = 3.0");
    assert_clear_error("syntax", &bad, &[], "5:", &[]);
}

#[test]
fn unknown_key_is_an_error_with_a_hint() {
    let bad = GOOD.replace("per_hour = 3.0", "per_hour = 3.0\nper_hours = 2.0");
    assert_clear_error("unknown", &bad, &[], "6:1", &["per_hours", "per_hour"]);
}

#[test]
fn wrong_type_names_what_was_expected() {
    let bad = GOOD.replace("count = 1", "count = \"one\"");
    assert_clear_error(
        "wrong-type",
        &bad,
        &[],
        "7:",
        &["units.vc.staff.nurse.count", "expected"],
    );
}

#[test]
fn negative_rate_is_rejected() {
    let bad = GOOD.replace("per_hour = 3.0", "per_hour = -3.0");
    assert_clear_error(
        "negative",
        &bad,
        &[],
        "5:",
        &["units.vc.demand.walk_in.per_hour", "from 0 to 10000"],
    );
}

#[test]
fn shift_ending_before_it_starts_is_rejected() {
    let bad = GOOD.replace(
        r#"shifts = [{ days = "mon-fri", start = "08:00", end = "12:00", activity = "dropin" }]"#,
        r#"shifts = [{ days = "mon-fri", start = "17:00", end = "08:00", activity = "dropin" }]"#,
    );
    assert_clear_error(
        "shift",
        &bad,
        &[],
        "8:",
        &["shifts[0].end", "after the start", "hint"],
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let bad = GOOD.replace("per_hour = 3.0", "per_hour = -3.0").replace(
        "08:00\", end = \"12:00\", activity",
        "13:00\", end = \"12:00\", activity",
    );
    let (code, stderr, _) = run_bad("many", &bad, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("2 problems"), "{stderr}");
}

#[test]
fn bad_set_is_reported_against_the_command_line() {
    let (code, stderr, _) = run_bad("set", GOOD, &["--set", "units.vc.staff.nurse.cuont=3"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--set") && stderr.contains("cuont"),
        "{stderr}"
    );
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = vardsim(&["run", "no/such/scenario.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no/such/scenario.toml") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn structural_and_semantic_problems_are_reported_together() {
    let bad = GOOD
        .replace("per_hour = 3.0", "per_hour = -3.0")
        .replace("count = 1", "count = 1\ncuont = 2");
    let (code, stderr, file) = run_bad("mixed", &bad, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("2 problems"), "{stderr}");
    assert!(
        stderr.contains(&format!("{file}:8:1")) && stderr.contains("did you mean `count`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("units.vc.demand.walk_in.per_hour"),
        "{stderr}"
    );
}

#[test]
fn a_closed_pipe_ends_a_command_quietly_never_a_panic() {
    // An audit's finding: `vardsim runs | head` and `vardsim completions
    // bash | head` panicked ("failed printing to stdout: Broken pipe").
    // The reading end is closed before the command starts, so every write
    // meets a closed pipe, on stdout and on stderr.
    let out = crate::temp("closed-pipe");
    let first = vardsim(&[
        "run",
        "scenarios/validation/mmc.toml",
        "--set",
        "simulation.horizon_days=40",
        "-r",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(first.status.success(), "{first:?}");
    let scenario = out.join("new.toml");
    let cases: [&[&str]; 4] = [
        &["runs", "--out", out.to_str().unwrap()],
        &["completions", "bash"],
        &["check", "scenarios/validation/mmc.toml"],
        &[
            "new",
            "--listed",
            "9000",
            "--doctors",
            "0",
            "-o",
            scenario.to_str().unwrap(),
        ],
    ];
    for args in cases {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let stderr_writer = writer.try_clone().unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_vardsim"))
            .current_dir(crate::root())
            .args(args)
            .stdout(writer)
            .stderr(stderr_writer)
            .status()
            .unwrap();
        assert_eq!(
            status.code(),
            Some(0),
            "vardsim {args:?} into a closed pipe"
        );
    }
    // `new` wrote its scenario although its warnings had nowhere to go.
    assert!(scenario.is_file());
}

#[test]
fn a_problem_after_a_dropped_array_element_names_its_own_element() {
    // An audit's finding: `shifts[0]` with a misspelt activity was dropped
    // before validation, so the bad end of `shifts[2]` was reported as
    // `shifts[1]` on line 7.
    let text = r#"extends = "builtin:default"
name = "sh"
[units.vc.staff.doctor]
count = 2
shifts = [
  { days = "mon-fri", start = "08:00", end = "09:00", activity = "visit" },
  { days = "mon-fri", start = "10:00", end = "11:00", activity = "admin" },
  { days = "mon-fri", start = "16:00", end = "15:00", activity = "admin" },
]
"#;
    assert_clear_error(
        "dropped-element",
        text,
        &[],
        "8:40",
        &[
            "units.vc.staff.doctor.shifts[2].end",
            "shifts[0].activity",
            "did you mean `visits`?",
        ],
    );
    let (_, stderr, _) = run_bad("dropped-element-2", text, &[]);
    assert!(!stderr.contains("shifts[1]"), "{stderr}");
}

#[test]
fn a_zero_is_not_called_missing_and_a_stand_in_starts_no_follow_on_problem() {
    // An audit's findings: `listed = 0` was reported as "missing", and a
    // refused `horizon_days` (read as 1 to check the rest) made warm-up
    // complain about "horizon_days (1)", a value the user never gave.
    let out = vardsim(&["check", "--set", "units.vc.listed=0"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("key `units.vc.listed`: expected at least 1 listed patient"),
        "{err}"
    );
    assert!(!err.contains("missing"), "{err}");
    assert!(!err.contains("add units.vc.listed"), "{err}");
    let out = vardsim(&["check", "--set", "simulation.horizon_days=60=3"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the scenario has 1 problem"), "{err}");
    assert!(!err.contains("warmup_days"), "{err}");
}

#[test]
fn every_missing_key_of_a_table_is_reported_at_once() {
    // An audit's finding: only the first missing key of each table was
    // reported (its table was then dropped), so a user fixed and reran
    // once per key.
    let text = r#"name = "miss"
[units.u]
listed = 100
[units.u.staff.doctor]
shifts = [{ days = "mon" }]
[categories.c]
urgency = "same_day"
"#;
    let (code, stderr, _) = run_bad("missing-keys", text, &[]);
    assert_eq!(code, 2, "{stderr}");
    for key in [
        "units.u.staff.doctor.count",
        "units.u.staff.doctor.shifts[0].start",
        "units.u.staff.doctor.shifts[0].end",
        "units.u.staff.doctor.shifts[0].activity",
        "categories.c.share",
        "categories.c.assess",
        "categories.c.service_minutes",
    ] {
        assert!(
            stderr.contains(&format!("key `{key}`: missing required key")),
            "{key}: {stderr}"
        );
    }
    // What only follows from a stand-in for a missing value is not said.
    assert!(!stderr.contains("positive share"), "{stderr}");
    assert!(stderr.contains("the scenario has 7 problems"), "{stderr}");
}

/// `builtin:default` names the built-in scenario on every command, as in
/// `extends`: `run` read it as a file name ("No such file or directory")
/// while compare, sweep, target and check took it.
#[test]
fn run_takes_builtin_default_as_the_other_commands_do() {
    let dir = super::temp("cli-builtin");
    let out = vardsim(&[
        "run",
        "builtin:default",
        "-r",
        "1",
        "--set",
        "simulation.horizon_days=100",
        "--name",
        "b",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = std::fs::read_to_string(dir.join("b/summary.json")).unwrap();
    assert!(summary.contains("\"scenario\": \"default\""), "{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}
