//! Never overwrite silently (issue 15): a run of a modified scenario gets
//! its own folder, a folder holding another scenario's results is refused
//! without `--force`, `report` keeps the language the folder was made in
//! and removes its own old files, a new sweep grid does not replace an
//! old sweep's points, and `vardsim runs` lists what the output folder holds.

use std::process::Output;

use super::*;

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The mmc scenario, 60 days, into `out`, with more arguments.
fn mmc(out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "scenarios/validation/mmc.toml",
        "-r",
        "2",
        "-t",
        "1",
        "--set",
        "simulation.horizon_days=60",
        "--out",
        out,
    ];
    args.extend(extra);
    vardsim(&args)
}

#[test]
fn a_modified_scenario_gets_its_own_folder_and_another_scenarios_folder_is_refused() {
    let dir = temp_path("variant");
    let out = dir.to_str().unwrap();
    ok(&mmc(out, &[]));
    let base = dir.join("mmc+simulation.horizon_days=60");
    assert!(base.join("summary.json").is_file());
    // The finding: a --set variant wrote over the base's folder.
    let text = ok(&mmc(out, &["--set", "units.desk.staff.nurse.count=4"]));
    let variant = dir.join("mmc+simulation.horizon_days=60+desk.staff.nurse.count=4");
    assert!(text.contains("desk.staff.nurse.count=4"), "{text}");
    assert!(variant.join("summary.json").is_file());
    assert!(base.join("summary.json").is_file());
    // The same scenario again (another seed) replaces its own folder.
    ok(&mmc(out, &["--seed", "2"]));
    // Into a folder of another scenario's results: refused, nothing changed.
    let before = std::fs::read(base.join("summary.json")).unwrap();
    let refused = mmc(
        out,
        &[
            "--set",
            "units.desk.staff.nurse.count=5",
            "--name",
            "mmc+simulation.horizon_days=60",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("another scenario") && err.contains("--force") && err.contains("--name"),
        "{err}"
    );
    assert_eq!(std::fs::read(base.join("summary.json")).unwrap(), before);
    // With --force it is replaced.
    ok(&mmc(
        out,
        &[
            "--set",
            "units.desk.staff.nurse.count=5",
            "--name",
            "mmc+simulation.horizon_days=60",
            "--force",
        ],
    ));
    assert_ne!(std::fs::read(base.join("summary.json")).unwrap(), before);
    // A folder of other files is not vardsim's to replace.
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::write(dir.join("notes/plan.docx"), b"mine").unwrap();
    let refused = mmc(out, &["--name", "notes"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("not vardsim results"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(std::fs::read(dir.join("notes/plan.docx")).unwrap(), b"mine");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_keeps_the_folders_language_and_removes_its_own_old_files() {
    let dir = temp_path("lang");
    let out = dir.to_str().unwrap();
    ok(&mmc(out, &["--name", "m", "--report", "--lang", "sv"]));
    let folder = dir.join("m");
    let html = || std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(html().contains("lang=\"sv\""));
    // Issue 15: no context on the image. Every chart's foot says what was
    // run and what the interval means.
    for svg in files_below(&folder.join("charts"), "svg") {
        let text = std::fs::read_to_string(&svg).unwrap();
        // The scenario by its Swedish label (`label_sv`), not its file name.
        assert!(
            text.contains("M/M/3-kö (validering) · 2 körningar · slumpfrö 1 · vardsim "),
            "{svg:?}"
        );
        assert!(!text.contains("mmc · 2 körningar"), "{svg:?}");
        // A heatmap has no interval drawn: its foot says what a cell is.
        let heatmap = svg.to_string_lossy().contains("weekday_hour");
        let caption = if heatmap {
            "Varje ruta: medelvärdet över körningarna (inget intervall ritas)"
        } else {
            "bara simuleringens slumpvariation"
        };
        assert!(text.contains(caption), "{svg:?}");
    }
    // The finding: `report` without --lang replaced the Swedish report with English.
    let text = ok(&vardsim(&["report", folder.to_str().unwrap()]));
    assert!(text.contains("på svenska"), "{text}");
    assert!(html().contains("lang=\"sv\""));
    // An old report's chart that the new report does not draw goes.
    let stale = folder.join("charts/old_chart.png");
    std::fs::write(&stale, b"old").unwrap();
    let record = folder.join("report.json");
    let mut r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    r["files"]
        .as_array_mut()
        .unwrap()
        .push("charts/old_chart.png".into());
    std::fs::write(&record, r.to_string()).unwrap();
    ok(&vardsim(&[
        "report",
        folder.to_str().unwrap(),
        "--lang",
        "en",
    ]));
    assert!(!stale.exists());
    assert!(html().contains("lang=\"en\""));
    // A folder made in Swedish without a report: `report` is Swedish too.
    ok(&mmc(out, &["--name", "m2", "--lang", "sv"]));
    let text = ok(&vardsim(&["report", dir.join("m2").to_str().unwrap()]));
    assert!(text.contains("på svenska"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_new_sweep_grid_does_not_replace_an_old_sweeps_points_silently() {
    let dir = temp_path("sweep");
    let out = dir.to_str().unwrap();
    let sweep = |grid: &str, extra: &[&str]| {
        let mut args = vec![
            "sweep",
            "scenarios/validation/mmc.toml",
            "--set",
            "simulation.horizon_days=40",
            "--grid",
            grid,
            "--name",
            "g",
            "-r",
            "2",
            "-t",
            "1",
            "--out",
            out,
        ];
        args.extend(extra);
        vardsim(&args)
    };
    ok(&sweep("units.desk.staff.nurse.count=3,4", &["--report"]));
    assert!(dir.join("g/report.html").is_file());
    let refused = sweep("units.desk.staff.nurse.count=5,6", &[]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("another sweep") && err.contains("--fresh"),
        "{err}"
    );
    assert!(dir.join("g/report.html").is_file(), "nothing changed");
    // Started over: the old points and the old report are gone.
    ok(&sweep("units.desk.staff.nurse.count=5,6", &["--fresh"]));
    assert!(!dir.join("g/report.html").exists());
    let points = files_below(&dir.join("g/points"), "json");
    assert_eq!(points.len(), 2, "{points:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn runs_lists_earlier_runs_with_scenario_date_and_headline_figures() {
    let dir = temp_path("index");
    let out = dir.to_str().unwrap();
    ok(&vardsim(&[
        "run",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=100",
        "--name",
        "today",
        "--out",
        out,
    ]));
    ok(&mmc(out, &["--name", "queue"]));
    ok(&vardsim(&[
        "sweep",
        "scenarios/validation/mmc.toml",
        "--set",
        "simulation.horizon_days=40",
        "--grid",
        "units.desk.staff.nurse.count=3,4",
        "-r",
        "2",
        "--name",
        "grid",
        "--out",
        out,
    ]));
    // A calibration's fit table (a new user's finding: `runs` said "no
    // runs" beside the calibration folder `calibrate` had just written).
    std::fs::write(dir.join("figures.csv"), "unit;month;calls\nvc;1;2000\n").unwrap();
    ok(&vardsim(&[
        "calibrate",
        "--figures",
        dir.join("figures.csv").to_str().unwrap(),
        "-r",
        "1",
        "--name",
        "fit",
        "--out",
        dir.join("fit.toml").to_str().unwrap(),
        "--report-dir",
        out,
    ]));
    let text = ok(&vardsim(&["runs", "--out", out]));
    let fit = text
        .lines()
        .find(|l| l.starts_with("fit-calibration "))
        .expect(&text);
    assert!(
        fit.contains(" calibration ") && fit.contains("1 figure: 1 fitted, 0 at bound, 0 compared"),
        "{fit}"
    );
    // `report` on it says what it is and what draws its charts.
    let report = vardsim(&["report", dir.join("fit-calibration").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&report.stderr);
    assert!(!report.status.success(), "{err}");
    assert!(
        err.contains("it holds a calibration's fit")
            && err.contains("hint: run the calibrated scenario with --report for its charts: `vardsim run fit.toml --report`"),
        "{err}"
    );
    // A sweep's replications as a number, not its rule's JSON (an audit's finding).
    let grid = text.lines().find(|l| l.starts_with("grid ")).expect(&text);
    assert!(grid.contains(" sweep ") && !grid.contains('{'), "{grid}");
    assert!(grid.split_whitespace().any(|w| w == "2"), "{grid}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("folder") && lines[0].contains("headline"),
        "{text}"
    );
    let today = lines.iter().find(|l| l.starts_with("today ")).expect(&text);
    assert!(
        today.contains("default") && today.contains(" run "),
        "{today}"
    );
    assert!(today.contains("same day") && today.contains('%'), "{today}");
    let date = vardsim::report::runs::utc_date(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    assert!(today.contains(&date), "{today}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("queue ") && l.contains("mmc"))
    );
    let sv = ok(&vardsim(&["runs", "--out", out, "--lang", "sv"]));
    assert!(sv.contains("samma dag") && sv.contains("körning"), "{sv}");
    assert!(
        sv.contains(" kalibrering ") && sv.contains("1 mått: 1 anpassade"),
        "{sv}"
    );
    let empty = ok(&vardsim(&[
        "runs",
        "--out",
        dir.join("none").to_str().unwrap(),
    ]));
    assert!(empty.contains("no runs"), "{empty}");
    assert!(empty.contains("(no such folder)"), "{empty}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn warnings_speak_the_language_of_the_run_and_the_files_keep_english() {
    // An audit's finding: a Swedish run printed `warning: the group has no
    // shifts`, and its Swedish report `Varning: 19806 new contacts … are
    // still in the system`; the folder line said `wrote`.
    let dir = temp_path("warnings-sv");
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("s.toml");
    std::fs::write(
        &scenario,
        "extends = \"builtin:default\"\nname = \"x\"\n[units.vc.staff.locum]\nprofession = \"doctor\"\ncount = 2\n",
    )
    .unwrap();
    // No telephone nurses: callers pile up (the results' own warning).
    let run = vardsim(&[
        "run",
        scenario.to_str().unwrap(),
        "-r",
        "2",
        "--set",
        "units.vc.staff.nurse_phone.count=0",
        "--set",
        "units.vc.staff.nurse_morning_phone.count=0",
        "--name",
        "x",
        "--report",
        "--lang",
        "sv",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let text = ok(&run);
    let stderr = String::from_utf8_lossy(&run.stderr);
    for said in [
        "varning: ",
        "nyckel `units.vc.staff.locum.shifts`: gruppen har inga pass",
        "\n      tips: lägg till t.ex. shifts",
        "nya kontakter (ankomsterna under",
        "är kvar i systemet",
    ] {
        assert!(stderr.contains(said), "{said}:\n{stderr}");
    }
    for english in [
        "warning:",
        "the group has no shifts",
        "new contacts",
        "hint:",
    ] {
        assert!(!stderr.contains(english), "{english}:\n{stderr}");
    }
    assert!(
        text.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("skrev ")),
        "{text}"
    );
    let folder = dir.join("x");
    let read = |f: &str| std::fs::read_to_string(folder.join(f)).unwrap();
    let report = read("report.md");
    assert!(
        report.contains("Varning: ") && report.contains("är kvar i systemet"),
        "{report}"
    );
    assert!(!report.contains("still in the system"), "{report}");
    // The scenario's own warning is in the report too, with its hint.
    assert!(
        report.contains("Varning om scenariot: ")
            && report.contains("gruppen har inga pass: dess personal arbetar aldrig — tips: "),
        "{report}"
    );
    // The files are for scripts: English, as they always were.
    assert!(read("summary.json").contains("are still in the system when the run ends"));
    assert!(read("assumptions.json").contains("the group has no shifts"));
    // The same folder reported in English says it in English.
    let en = dir.join("en");
    let said = ok(&vardsim(&[
        "report",
        folder.to_str().unwrap(),
        "--lang",
        "en",
        "--out",
        en.to_str().unwrap(),
    ]));
    assert!(said.starts_with("wrote "), "{said}");
    let report = std::fs::read_to_string(en.join("report.md")).unwrap();
    assert!(
        report.contains("Warning: ") && report.contains("still in the system"),
        "{report}"
    );
    assert!(
        report.contains("Scenario warning: ") && report.contains("the group has no shifts"),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn runs_names_the_folders_whose_results_cannot_be_read() {
    // An audit's finding: a damaged summary.json, or a sweep stopped before
    // its sweep.json, was simply not listed, without a word.
    let dir = temp_path("runs-unreadable");
    let out = dir.to_str().unwrap();
    ok(&mmc(out, &[]));
    let damaged = dir.join("damaged");
    std::fs::create_dir_all(&damaged).unwrap();
    std::fs::write(damaged.join("summary.json"), "{\"scenario\": ").unwrap();
    let stopped = dir.join("stopped");
    std::fs::create_dir_all(&stopped).unwrap();
    std::fs::write(stopped.join("plan.json"), "{}").unwrap();
    // A folder of the user's own is no vardsim run: not named.
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    let text = ok(&vardsim(&["runs", "--out", out]));
    assert!(text.contains("mmc+simulation.horizon_days=60"), "{text}");
    assert!(text.contains("not listed: damaged: "), "{text}");
    assert!(text.contains("summary.json"), "{text}");
    assert!(
        text.contains("not listed: stopped: ") && text.contains("--resume"),
        "{text}"
    );
    assert!(!text.contains("notes"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
