//! A sweep of a region on a real Slurm cluster: a private single-node
//! cluster (`scripts/slurm/local-cluster.sh`) runs the documented job-array
//! script (`scripts/slurm/sweep-array.sh`) in three shards, the merge job it
//! submits combines them, and the merged files must be byte-identical to one
//! `vardsim sweep` on one machine. Needs Debian's `slurm-wlm` and `munge`
//! and root, so it is ignored by `cargo test`; `.ci/run` installs them and
//! runs it: `cargo test --test it cluster -- --ignored`. docs/cluster.md
//! shows the same commands (the first test checks that it does).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::root;

/// The region sweep: Jämtland Härjedalen (27 health centres, 132 800 listed)
/// with Odensala's doctors and telephone nurses varied, 6 points of two
/// half-year replications each.
const SWEEP: &str = "scenarios/regions/jamtland-harjedalen.toml";
const SWEEP_ARGS: &str = "--name jamtland-odensala \
    --grid units.odensala.staff.doctor.count=4..6 \
    --grid units.odensala.staff.nurse_phone.count=2,3 \
    --set simulation.horizon_days=182 -r 2";
const NAME: &str = "jamtland-odensala";
const SHARDS: u32 = 3;
/// The whole run takes about 20 s on two busy cores.
const TIMEOUT: Duration = Duration::from_secs(600);

#[test]
fn cluster_docs_show_the_commands_the_test_runs() {
    let docs = std::fs::read_to_string(root().join("docs/cluster.md")).unwrap();
    let docs = docs.replace("\\\n", " ");
    let docs = docs.split_whitespace().collect::<Vec<_>>().join(" ");
    for command in [
        format!("SWEEP={SWEEP}"),
        format!("SWEEP_ARGS=\"{SWEEP_ARGS}\""),
        format!("--array=1-{SHARDS} --cpus-per-task=1"),
        "scripts/slurm/local-cluster.sh start".into(),
        "scripts/slurm/local-cluster.sh stop".into(),
        format!("vardsim sweep {SWEEP} {SWEEP_ARGS} --threads 1"),
    ] {
        let command = command.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            docs.contains(&command),
            "docs/cluster.md does not show `{command}`"
        );
    }
}

/// Stops the cluster however the test ends.
struct Cluster {
    dir: PathBuf,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(root().join("scripts/slurm/local-cluster.sh"))
            .arg("stop")
            .arg(&self.dir)
            .output();
    }
}

#[track_caller]
fn ok(what: &str, out: std::io::Result<Output>) -> String {
    let out = out.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file below `dir`, as (relative path, bytes), sorted.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, into: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, into);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                into.push((path.strip_prefix(base).unwrap().to_path_buf(), bytes));
            }
        }
    }
    let mut all = Vec::new();
    walk(dir, dir, &mut all);
    all.sort();
    all
}

/// Each job's output file, for a failure message.
fn logs(dir: &Path) -> String {
    let mut text = String::new();
    for (name, bytes) in files(dir) {
        if name.extension().is_some_and(|e| e == "out") {
            let body = String::from_utf8_lossy(&bytes);
            text += &format!("--- {}\n{body}\n", name.display());
        }
    }
    text
}

#[test]
#[ignore = "needs Slurm (apt-get install -y slurm-wlm munge) and root; .ci/run runs it"]
fn region_sweep_on_a_slurm_job_array_merges_into_exactly_one_run() {
    let missing: Vec<&str> = ["sbatch", "squeue", "slurmctld", "slurmd", "munged"]
        .into_iter()
        .filter(|p| {
            !Command::new("sh")
                .args(["-c", &format!("command -v {p}")])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "Slurm is not installed here ({} not found): apt-get install -y slurm-wlm munge, \
         or run .ci/run, which installs them",
        missing.join(", ")
    );
    let started = Instant::now();
    let work = std::env::temp_dir().join(format!("vardsim-cluster-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let cluster = Cluster {
        dir: work.join("slurm"),
    };
    let conf = cluster.dir.join("slurm.conf");

    // scripts/slurm/local-cluster.sh start DIR
    ok(
        "local-cluster.sh start",
        Command::new(root().join("scripts/slurm/local-cluster.sh"))
            .arg("start")
            .arg(&cluster.dir)
            .output(),
    );

    // SWEEP=… SWEEP_ARGS="…" OUT=… VARDSIM=… sbatch --array=1-3 --cpus-per-task=1 …
    let bin = env!("CARGO_BIN_EXE_vardsim");
    let out = work.join("cluster");
    let array_job = ok(
        "sbatch",
        Command::new("sbatch")
            .current_dir(root())
            .env("SLURM_CONF", &conf)
            .env("SWEEP", SWEEP)
            .env("SWEEP_ARGS", SWEEP_ARGS)
            .env("OUT", &out)
            .env("VARDSIM", bin)
            .arg("--parsable")
            .arg(format!("--array=1-{SHARDS}"))
            .arg("--cpus-per-task=1")
            .arg(format!("--output={}/slurm-%A_%a.out", work.display()))
            .arg("scripts/slurm/sweep-array.sh")
            .output(),
    );
    assert!(!array_job.trim().is_empty(), "sbatch printed no job id");

    // Wait until the array and the merge job it submits have left the queue.
    loop {
        let queue = ok(
            "squeue",
            Command::new("squeue")
                .env("SLURM_CONF", &conf)
                .args(["-h", "-o", "%i %j %T %r"])
                .output(),
        );
        if queue.trim().is_empty() {
            break;
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "jobs still queued after {TIMEOUT:?}:\n{queue}\n{}\nsee {}",
            logs(&work),
            cluster.dir.display()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let merged = out.join("merged").join(NAME);
    assert!(
        merged.join("sweep.csv").is_file(),
        "no merged sweep in {}; the jobs wrote:\n{}",
        merged.display(),
        logs(&work)
    );
    // Each shard ran a third of the points.
    for k in 1..=SHARDS {
        let points = out.join(format!("shard-{k}")).join(NAME).join("points");
        let count = std::fs::read_dir(&points).map(|d| d.count()).unwrap_or(0);
        assert_eq!(
            count, 2,
            "shard {k} of {SHARDS} ran {count} points, not 2 of 6"
        );
    }

    // vardsim sweep SWEEP SWEEP_ARGS --threads 1 --out WHOLE: one machine.
    let whole = work.join("whole");
    ok(
        "vardsim sweep",
        Command::new(bin)
            .current_dir(root())
            .arg("sweep")
            .arg(SWEEP)
            .args(SWEEP_ARGS.split_whitespace())
            .args(["--threads", "1", "--out"])
            .arg(&whole)
            .output(),
    );
    let (a, b) = (files(&whole.join(NAME)), files(&merged));
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&a),
        names(&b),
        "the same files on one machine and merged"
    );
    assert_eq!(
        a.len(),
        6 + 4,
        "6 points, plan.json, sweep.csv, sweep.json, sweep.xlsx: {:?}",
        names(&a)
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{} differs between one machine and the merged shards",
            name.display()
        );
    }
    drop(cluster);
    eprintln!(
        "cluster sweep, merge and single-machine run: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&work);
}
