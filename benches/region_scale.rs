//! A region-year at 25, 50, 100 and 200 health centres: time and peak
//! memory of one replication (simulation and metrics, one thread), and the
//! scaling exponent between the smallest and the largest region; then the
//! default health centre's year end to end.
//!
//! `cargo bench --bench region_scale` (not run by the tests: about a minute
//! of CPU a round, three rounds). The regions are the first N units of the Stockholm-size case,
//! written by `python3 scripts/regions/stockholm.py --units N FILE` (Python 3
//! needed); each size runs in a child process of this binary so that its
//! peak memory (`VmHWM` of `/proc/self/status`, Linux) is its own.
//! `VARDSIM_REGION_UNITS=25,50` picks other sizes, `VARDSIM_REGION_ROUNDS=1`
//! another number of rounds (each size's least CPU is reported, and the
//! exponent fitted over all sizes beside the two ends'). docs/performance.md
//! quotes the table.

use std::process::Command;
use std::time::Instant;
use vardsim::metrics::compute;
use vardsim::model::{Records, simulate_tallied};
use vardsim::scenario::Scenario;

const CHILD: &str = "VARDSIM_REGION_SCALE_CHILD";

/// Peak resident memory of this process so far, MB (0 where `/proc` is missing).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat`
/// (clock ticks of 1/100 s); wall seconds are noisy on a shared machine.
fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command's closing parenthesis; utime and
            // stime are fields 14 and 15 of the whole line.
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(f64::NAN)
}

/// In the child: one replication of the scenario at `path`, printed as
/// `wall cpu peak events`.
fn child(path: &str) {
    let scenario = Scenario::load(Some(std::path::Path::new(path)), &[])
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let (t, c) = (Instant::now(), cpu_s());
    let records = simulate_tallied(&scenario, 1, 0, Records::default());
    let metrics = compute(&scenario, &records);
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_s() - c;
    assert!(!metrics.observations.is_empty());
    println!("{wall} {cpu} {} {}", peak_mb(), records.events);
}

/// The least-squares slope of `ln y` on `ln x`: the scaling exponent over
/// every size, not only the two ends.
fn log_log_slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let (mx, my) = points.iter().fold((0.0, 0.0), |(a, b), &(x, y)| {
        (a + x.ln() / n, b + y.ln() / n)
    });
    let (sxy, sxx) = points.iter().fold((0.0, 0.0), |(a, b), &(x, y)| {
        let dx = x.ln() - mx;
        (a + dx * (y.ln() - my), b + dx * dx)
    });
    sxy / sxx
}

fn main() {
    if let Ok(path) = std::env::var(CHILD) {
        child(&path);
        return;
    }
    // `cargo bench` passes `--bench`; a filter argument is not used here.
    let sizes: Vec<usize> = std::env::var("VARDSIM_REGION_UNITS")
        .unwrap_or_else(|_| "25,50,100,200".into())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("VARDSIM_REGION_UNITS: unit counts, e.g. 25,50")
        })
        .collect();
    // Each size runs this many times, the sizes taking turns so that a
    // neighbour's load on the shared machine falls on all of them alike;
    // the least CPU of each size is the one least disturbed.
    let rounds: usize = std::env::var("VARDSIM_REGION_ROUNDS")
        .map(|s| {
            s.trim()
                .parse()
                .expect("VARDSIM_REGION_ROUNDS: a count, e.g. 3")
        })
        .unwrap_or(3)
        .max(1);
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir();
    let exe = std::env::current_exe().expect("the bench's own path");
    let mut regions = Vec::new();
    for &n in &sizes {
        let file = dir.join(format!("vardsim-region-{n}-{}.toml", std::process::id()));
        let status = Command::new("python3")
            .arg(format!("{root}/scripts/regions/stockholm.py"))
            .args(["--units", &n.to_string()])
            .arg(&file)
            .status()
            .expect("python3 runs scripts/regions/stockholm.py");
        assert!(status.success(), "stockholm.py --units {n} failed");
        let listed: u64 = std::fs::read_to_string(&file)
            .expect("the generated region")
            .lines()
            .filter_map(|l| l.strip_prefix("listed = "))
            .filter_map(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .sum();
        regions.push((n, listed, file));
    }
    // Per size: [wall, cpu, peak MB, events] of each round.
    let mut runs: Vec<Vec<[f64; 4]>> = vec![Vec::new(); regions.len()];
    for _ in 0..rounds {
        for ((_, _, file), runs) in regions.iter().zip(&mut runs) {
            let out = Command::new(&exe)
                .env(CHILD, file)
                .output()
                .expect("the bench runs itself for one size");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let line = String::from_utf8_lossy(&out.stdout);
            let v: Vec<f64> = line
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect();
            runs.push([v[0], v[1], v[2], v[3]]);
        }
    }
    for (_, _, file) in &regions {
        let _ = std::fs::remove_file(file);
    }
    println!("region-year, one replication, one thread (simulation + metrics), best of {rounds}");
    println!(
        "{:>6} {:>10} {:>8} {:>8} {:>16} {:>10} {:>12}",
        "units", "listed", "wall s", "cpu s", "cpu s (rounds)", "peak MB", "events"
    );
    let least =
        |runs: &[[f64; 4]], i: usize| runs.iter().map(|r| r[i]).fold(f64::INFINITY, f64::min);
    let mut points = Vec::new();
    for ((n, listed, _), runs) in regions.iter().zip(&runs) {
        let each: Vec<String> = runs.iter().map(|r| format!("{:.2}", r[1])).collect();
        let (wall, cpu, peak, events) =
            (least(runs, 0), least(runs, 1), least(runs, 2), runs[0][3]);
        println!(
            "{n:>6} {listed:>10} {wall:>8.2} {cpu:>8.2} {:>16} {peak:>10.0} {events:>12.0}",
            each.join("/")
        );
        points.push((*n as f64, cpu, peak, events, *listed as f64));
    }
    if points.len() >= 2 && points.last().unwrap().0 > points[0].0 {
        let (a, b) = (points[0], points[points.len() - 1]);
        let k = (b.0 / a.0).ln();
        let fit = |f: fn(&(f64, f64, f64, f64, f64)) -> f64| {
            log_log_slope(&points.iter().map(|p| (p.0, f(p))).collect::<Vec<_>>())
        };
        // Units differ in size: the exponent against the listed
        // inhabitants tells growth in work from growth in units.
        let by_listed = log_log_slope(&points.iter().map(|p| (p.4, p.1)).collect::<Vec<_>>());
        println!(
            "scaling exponent {}→{} units (1.00 = linear): cpu {:.2} (fitted over all sizes {:.2}), \
             peak memory {:.2}, events {:.2}; cpu against listed inhabitants {:.2}",
            a.0,
            b.0,
            (b.1 / a.1).ln() / k,
            fit(|p| p.1),
            (b.2 / a.2).ln() / k,
            fit(|p| p.3),
            by_listed
        );
    }
    // The default health centre's year, end to end (simulation + metrics),
    // best of 10 with reused buffers as the experiment runner does.
    let scenario = Scenario::load(None, &[]).expect("the built-in default is valid");
    let mut spare = Records::default();
    let mut best = f64::INFINITY;
    for r in 0..10 {
        let t = Instant::now();
        let records = simulate_tallied(&scenario, 1, r, std::mem::take(&mut spare));
        let m = compute(&scenario, &records);
        best = best.min(t.elapsed().as_secs_f64());
        std::hint::black_box(m);
        spare = records;
    }
    println!(
        "default health centre, one year end to end: {:.1} ms (best of 10)",
        best * 1e3
    );
}
