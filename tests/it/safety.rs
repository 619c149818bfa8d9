//! Output safety: a run folder is all-or-nothing (a failure part-way keeps
//! the previous complete run; concurrent writers never mix), `merge` refuses
//! shards of different scenario contents and leaves nothing when it fails,
//! scenario files are read with a size bound, and sweep fingerprints come
//! from the scenario's content, not from how it was written.

use std::path::Path;
use std::process::{Command, Output};

use vardsim::experiment::sweep;

use super::*;

fn vardsim_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vardsim"));
    cmd.current_dir(root()).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run vardsim")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Entries of `dir` (names), sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const MMC: [&str; 6] = [
    "scenarios/validation/mmc.toml",
    "--set",
    "simulation.horizon_days=60",
    "--name",
    "mmc",
    "--threads=1",
];

fn run_mmc(out: &str, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = vec!["run"];
    args.extend(MMC);
    args.extend(["--out", out]);
    args.extend(extra);
    vardsim_env(&args, env)
}

#[test]
fn a_failure_between_files_keeps_the_previous_complete_run() {
    let dir = temp("fail");
    let out = dir.to_str().unwrap();
    let first = run_mmc(out, &["-r", "2", "--seed", "1"], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let folder = dir.join("mmc");
    let summary = std::fs::read(folder.join("summary.json")).unwrap();
    let csv = std::fs::read(folder.join("replications.csv")).unwrap();
    // The second run fails after its first, second, third file: its new
    // summary.json must never sit beside the old replications.csv.
    for writes in ["0", "1", "2", "3"] {
        let failed = run_mmc(
            out,
            &["-r", "3", "--seed", "2", "--report"],
            &[("VARDSIM_FAIL_AFTER_WRITES", writes)],
        );
        assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
        assert!(
            stderr(&failed).contains("injected failure"),
            "{}",
            stderr(&failed)
        );
        assert_eq!(std::fs::read(folder.join("summary.json")).unwrap(), summary);
        assert_eq!(std::fs::read(folder.join("replications.csv")).unwrap(), csv);
        assert_eq!(entries(&dir), ["mmc"], "nothing left beside the run");
    }
    // A run that completes replaces the previous one whole.
    let second = run_mmc(out, &["-r", "3", "--seed", "2"], &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_ne!(std::fs::read(folder.join("summary.json")).unwrap(), summary);
    assert_eq!(entries(&dir), ["mmc"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn concurrent_runs_into_one_folder_never_leave_a_mixed_folder() {
    let dir = temp("concurrent");
    let out = dir.to_str().unwrap().to_string();
    for trial in 0..4 {
        let handles: Vec<_> = ["2", "3"]
            .into_iter()
            .map(|r| {
                let out = out.clone();
                std::thread::spawn(move || run_mmc(&out, &["-r", r], &[]))
            })
            .collect();
        let results: Vec<Output> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        for r in &results {
            assert!(
                r.status.success() || stderr(r).contains("being written by another vardsim"),
                "trial {trial}: {}",
                stderr(r)
            );
        }
        // Whatever won, summary.json and replications.csv are one run's.
        let folder = dir.join("mmc");
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
        let csv = std::fs::read_to_string(folder.join("replications.csv")).unwrap();
        let reps = summary["replications"].as_u64().unwrap();
        let max_rep = csv
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(1)?.parse::<u64>().ok())
            .max()
            .unwrap();
        assert_eq!(max_rep + 1, reps, "trial {trial}: a mixed folder");
        assert_eq!(entries(&dir), ["mmc"]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scenario file that extends mmc (so shards read it by path).
fn write_scenario(path: &Path, per_hour: &str) {
    let mmc = root().join("scenarios/validation/mmc.toml");
    std::fs::write(
        path,
        format!(
            "extends = {:?}\n[simulation]\nhorizon_days = 40\n[units.desk.demand.walk_in]\nper_hour = {per_hour}\n",
            mmc.display().to_string()
        ),
    )
    .unwrap();
}

#[test]
fn merge_refuses_shards_run_from_two_versions_of_one_file_and_leaves_nothing() {
    let dir = temp("merge");
    let file = dir.join("s.toml");
    let shard = |k: &str, out: &Path| {
        vardsim(&[
            "sweep",
            file.to_str().unwrap(),
            "--grid",
            "units.desk.staff.nurse.count=3,4",
            "--name",
            "g",
            "-r",
            "2",
            "-t",
            "1",
            "--shard",
            k,
            "--out",
            out.to_str().unwrap(),
        ])
    };
    write_scenario(&file, "2.4");
    let one = shard("1/2", &dir.join("a"));
    assert!(one.status.success(), "{}", stderr(&one));
    // The file is edited between the shards: same path, other content.
    write_scenario(&file, "2.0");
    let two = shard("2/2", &dir.join("b"));
    assert!(two.status.success(), "{}", stderr(&two));
    let merged = dir.join("merged");
    let out = vardsim(&[
        "merge",
        dir.join("a/g").to_str().unwrap(),
        dir.join("b/g").to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("b/g/plan.json") && err.contains("different versions of"),
        "{err}"
    );
    assert!(!merged.join("g").exists(), "a refused merge writes nothing");
    // Same content again: the shards merge.
    write_scenario(&file, "2.4");
    let two = shard("2/2", &dir.join("c"));
    assert!(two.status.success(), "{}", stderr(&two));
    let out = vardsim(&[
        "merge",
        dir.join("a/g").to_str().unwrap(),
        dir.join("c/g").to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(entries(&merged), ["g"]);
    // A merge that fails part-way (injected) leaves the folder as it was.
    let before = std::fs::read(merged.join("g/sweep.csv")).unwrap();
    let failed = vardsim_env(
        &[
            "merge",
            dir.join("a/g").to_str().unwrap(),
            dir.join("c/g").to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
            "--csv-sep",
            ";",
        ],
        &[("VARDSIM_FAIL_AFTER_WRITES", "2")],
    );
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert_eq!(std::fs::read(merged.join("g/sweep.csv")).unwrap(), before);
    assert_eq!(entries(&merged), ["g"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_huge_scenario_file_fails_at_once() {
    let dir = temp("huge");
    let file = dir.join("big.toml");
    // 5 MiB of comments: valid TOML, but no scenario is that large.
    std::fs::write(&file, "# padding\n".repeat(520_000)).unwrap();
    let out = vardsim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("larger than 4 MiB"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_point_fingerprint_is_the_scenario_content_not_its_text() {
    let rule = sweep::Replications::Fixed(2);
    let a = parse(
        "extends = \"builtin:default\"\nname = \"x\"\n[simulation]\nhorizon_days = 30\nwarmup_days = 1\n",
        &[],
    );
    // Same content written differently: other order, a comment, spacing.
    let b = parse(
        "# same\nextends='builtin:default'\n[simulation]\nwarmup_days=1\nhorizon_days   = 30\n",
        &["name=x"],
    );
    assert_eq!(
        sweep::fingerprint(&a, 1, &rule),
        sweep::fingerprint(&b, 1, &rule)
    );
    let c = parse(
        "extends = \"builtin:default\"\nname = \"x\"\n[simulation]\nhorizon_days = 31\nwarmup_days = 1\n",
        &[],
    );
    assert_ne!(
        sweep::fingerprint(&a, 1, &rule),
        sweep::fingerprint(&c, 1, &rule)
    );
    assert_ne!(
        sweep::fingerprint(&a, 1, &rule),
        sweep::fingerprint(&a, 2, &rule)
    );
    assert_ne!(
        sweep::fingerprint(&a, 1, &rule),
        sweep::fingerprint(&a, 1, &sweep::Replications::Fixed(3))
    );
}

fn sweep_mmc(out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "sweep",
        "scenarios/validation/mmc.toml",
        "--set",
        "simulation.horizon_days=40",
        "--grid",
        "units.desk.staff.nurse.count=3,4",
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
}

#[test]
fn the_hint_for_a_corrupt_point_file_works() {
    let dir = temp("corrupt");
    let out = dir.to_str().unwrap();
    let first = sweep_mmc(out, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    std::fs::write(dir.join("g/points/000001.json"), "{ not json").unwrap();
    let refused = sweep_mmc(out, &["--resume"]);
    assert_eq!(refused.status.code(), Some(2));
    let err = stderr(&refused);
    assert!(
        err.contains("000001.json") && err.contains("--fresh"),
        "{err}"
    );
    // What the hint says does work: --fresh, or deleting the file and --resume.
    let fresh = sweep_mmc(out, &["--fresh"]);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    std::fs::remove_file(dir.join("g/points/000001.json")).unwrap();
    let resumed = sweep_mmc(out, &["--resume"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_sweep_into_the_same_folder_is_refused_while_the_first_runs() {
    let dir = temp("sweeplock");
    let out = dir.to_str().unwrap();
    // The lock as a running sweep holds it.
    let held = vardsim::report::FolderLock::take(&dir, "g").unwrap();
    let refused = sweep_mmc(out, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("being written by another vardsim"),
        "{}",
        stderr(&refused)
    );
    assert!(
        !dir.join("g").exists(),
        "nothing written by the refused sweep"
    );
    drop(held);
    let ran = sweep_mmc(out, &[]);
    assert!(ran.status.success(), "{}", stderr(&ran));
    assert!(
        !dir.join(".g.lock").exists(),
        "the lock goes with the sweep"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Waits until `path` exists (or the child has ended).
fn wait_for(child: &mut std::process::Child, path: &Path) {
    let start = std::time::Instant::now();
    while !path.exists() && child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed().as_secs() < 60,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Ctrl-C and SIGTERM stop a `run` cleanly (exit 130, a message saying
/// nothing was written); SIGKILL cannot be caught, but its leftovers are
/// cleared by the next run. In every case the previous complete run stays.
#[test]
fn a_run_stopped_by_a_signal_keeps_the_previous_run_and_leaves_nothing_behind() {
    let dir = temp("signal");
    let out = dir.to_str().unwrap();
    let first = run_mmc(out, &["-r", "2", "--seed", "1"], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let summary = std::fs::read(dir.join("mmc/summary.json")).unwrap();
    for (signal, code) in [("-INT", Some(130)), ("-TERM", Some(130)), ("-KILL", None)] {
        let mut args = vec!["run"];
        args.extend(MMC);
        args.extend(["--out", out, "-r", "100000", "--seed", "2"]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_vardsim"))
            .current_dir(root())
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The run has begun writing its folder when it holds the lock.
        wait_for(&mut child, &dir.join(".mmc.lock"));
        std::thread::sleep(std::time::Duration::from_millis(100));
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), code, "{signal}");
        if code.is_some() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            assert!(
                err.contains("interrupted: nothing was written"),
                "{signal}: {err}"
            );
            assert_eq!(entries(&dir), ["mmc"], "{signal}: litter left");
        }
        assert_eq!(
            std::fs::read(dir.join("mmc/summary.json")).unwrap(),
            summary
        );
    }
    // After the SIGKILL the lock and the unfinished folder are the dead
    // writer's: the next run takes over and cleans up.
    let next = run_mmc(out, &["-r", "2", "--seed", "1"], &[]);
    assert!(next.status.success(), "{}", stderr(&next));
    assert_eq!(entries(&dir), ["mmc"]);
    assert_eq!(
        std::fs::read(dir.join("mmc/summary.json")).unwrap(),
        summary
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A signal that arrives once the replications are done, while the files
/// are written, still stops `run` and `compare`: the message promised
/// "stopping", so the previous folder stays and the exit code is 130 (an
/// audit found the new results swapped in and exit code 0).
#[test]
fn a_signal_while_the_files_are_written_still_keeps_the_previous_run() {
    let dir = temp("signal-writing");
    let out = dir.to_str().unwrap();
    let first = run_mmc(out, &["-r", "2", "--seed", "1"], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let summary = std::fs::read(dir.join("mmc/summary.json")).unwrap();
    for command in ["run", "compare"] {
        let mut args = vec![command];
        if command == "compare" {
            args.push("scenarios/validation/mmc.toml");
        }
        args.extend(MMC);
        // The report's charts and the event log make the writing take a
        // while after the replications (a few milliseconds each).
        args.extend([
            "--out", out, "-r", "2", "--seed", "2", "--report", "--force",
        ]);
        if command == "run" {
            args.push("--event-log");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_vardsim"))
            .current_dir(root())
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // assumptions.json is the first file written after the replications.
        let staged = dir.join(format!(".mmc.tmp-{}", child.id()));
        wait_for(&mut child, &staged.join("assumptions.json"));
        let sent = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(130), "{command}: {err}");
        assert!(err.contains("interrupted: nothing was written"), "{err}");
        assert_eq!(entries(&dir), ["mmc"], "{command}: litter left");
        assert_eq!(
            std::fs::read(dir.join("mmc/summary.json")).unwrap(),
            summary,
            "{command}: the previous run was replaced"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_where_the_results_folder_would_go_is_refused_and_kept() {
    // An audit's finding: the swap moved the user's file aside to a hidden
    // name and then failed to delete it as a folder.
    let dir = temp("file-in-place");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mmc"), b"my notes").unwrap();
    let out = dir.to_str().unwrap();
    for force in [false, true] {
        let extra: &[&str] = if force {
            &["-r", "2", "--force"]
        } else {
            &["-r", "2"]
        };
        let refused = run_mmc(out, extra, &[]);
        assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
        assert!(
            stderr(&refused).contains("is a file, not a folder"),
            "{}",
            stderr(&refused)
        );
        assert_eq!(entries(&dir), ["mmc"], "nothing moved, nothing left behind");
        assert_eq!(std::fs::read(dir.join("mmc")).unwrap(), b"my notes");
    }
    // A sweep and a merge the same.
    let sweep = sweep_mmc(out, &["--name", "mmc"]);
    assert_eq!(sweep.status.code(), Some(2), "{}", stderr(&sweep));
    assert_eq!(std::fs::read(dir.join("mmc")).unwrap(), b"my notes");
}

#[test]
fn a_sweep_never_writes_into_a_folder_of_other_files() {
    let dir = temp("sweep-foreign");
    let folder = dir.join("g");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("sweep.csv"), b"my precious data").unwrap();
    let out = dir.to_str().unwrap();
    let refused = sweep_mmc(out, &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("not a vardsim sweep's"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(entries(&folder), ["sweep.csv"]);
    assert_eq!(
        std::fs::read(folder.join("sweep.csv")).unwrap(),
        b"my precious data"
    );
    // Its own folder, empty or a sweep's, is written as before.
    std::fs::remove_file(folder.join("sweep.csv")).unwrap();
    let first = sweep_mmc(out, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let again = sweep_mmc(out, &["--resume"]);
    assert!(again.status.success(), "{}", stderr(&again));
}

/// A `points` or `charts` folder inside a results folder that is a symbolic
/// link to elsewhere is refused: a sweep wrote its point files through it,
/// and a report's charts (and the deletion of the files its report.json
/// lists) went through it, outside the output folder (an audit's finding).
#[cfg(unix)]
#[test]
fn a_linked_points_or_charts_folder_is_never_written_through() {
    let dir = temp("linked-sub");
    let out = dir.to_str().unwrap();
    let victim = dir.join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("keep.txt"), b"mine").unwrap();
    // A sweep folder whose points/ is a link.
    std::fs::create_dir_all(dir.join("g")).unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("g/points")).unwrap();
    let sweep = sweep_mmc(out, &[]);
    assert_eq!(sweep.status.code(), Some(2), "{}", stderr(&sweep));
    assert!(
        stderr(&sweep).contains("is a symbolic link"),
        "{}",
        stderr(&sweep)
    );
    assert_eq!(entries(&victim), ["keep.txt"]);
    // A run folder whose charts/ is a link, with a report.json naming a
    // file behind it: `vardsim report` neither writes nor deletes there.
    let run = run_mmc(out, &["-r", "2"], &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    std::os::unix::fs::symlink(&victim, dir.join("mmc/charts")).unwrap();
    std::fs::write(
        dir.join("mmc/report.json"),
        r#"{"schema_version": 1, "lang": "en", "target": null, "files": ["charts/keep.txt"]}"#,
    )
    .unwrap();
    let report = vardsim(&["report", dir.join("mmc").to_str().unwrap()]);
    assert_eq!(report.status.code(), Some(2), "{}", stderr(&report));
    assert!(
        stderr(&report).contains("is a symbolic link"),
        "{}",
        stderr(&report)
    );
    assert_eq!(entries(&victim), ["keep.txt"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `vardsim report DIR` takes the folder's lock as the writers do: while a
/// run (or sweep) writes DIR it is refused, instead of writing charts into
/// a folder that the run then swaps out or into (an audit's finding).
#[test]
fn a_report_waits_its_turn_while_the_folder_is_being_written() {
    let dir = temp("report-lock");
    let out = dir.to_str().unwrap();
    let run = run_mmc(out, &["-r", "2"], &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let held = vardsim::report::FolderLock::take(&dir, "mmc").unwrap();
    let report = vardsim(&["report", dir.join("mmc").to_str().unwrap()]);
    assert_eq!(report.status.code(), Some(2), "{}", stderr(&report));
    assert!(
        stderr(&report).contains("being written by another vardsim"),
        "{}",
        stderr(&report)
    );
    assert!(!dir.join("mmc/report.html").exists(), "nothing written");
    drop(held);
    let report = vardsim(&["report", dir.join("mmc").to_str().unwrap()]);
    assert!(report.status.success(), "{}", stderr(&report));
    assert!(dir.join("mmc/report.html").is_file());
    assert!(
        !dir.join(".mmc.lock").exists(),
        "the lock goes with the report"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A results file that vardsim did not write as it is (cut off, edited)
/// is named with what to do about it, not only the parser's complaint (an
/// audit's finding: the message had no hint).
#[test]
fn a_damaged_summary_is_named_with_a_hint() {
    let dir = temp("damaged-summary");
    let out = dir.to_str().unwrap();
    let run = run_mmc(out, &["-r", "2"], &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let summary = dir.join("mmc/summary.json");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, &text[..text.len() / 2]).unwrap();
    let report = vardsim(&["report", dir.join("mmc").to_str().unwrap()]);
    assert_eq!(report.status.code(), Some(2), "{}", stderr(&report));
    let err = stderr(&report);
    assert!(err.contains("summary.json"), "{err}");
    assert!(
        err.contains("hint: the file is not as vardsim wrote it"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
