//! A region-year at 25, 50, 100 and 200 health centres: time and peak
//! memory of one replication (simulation and metrics, one thread), and the
//! scaling exponent between the smallest and the largest region; then the
//! default health centre's year end to end.
//!
//! `cargo bench --bench region_scale` (not run by the tests: about a minute
//! of CPU a round, three rounds). The regions are the first N units of the Stockholm-size case,
//! written by `python3 scripts/regions/stockholm.py --units N FILE` (Python 3
//! needed); each size runs in a child process of this binary so that its
//! peak memory (`VmHWM` of `/proc/self/status`, Linux) is its own; beside it,
//! how much of its memory was on 2 MiB pages at the run's end (`vardsim::memory`).
//! `VARDSIM_REGION_UNITS=25,50` picks other sizes, `VARDSIM_REGION_ROUNDS=1`
//! another number of rounds (each size's least CPU is reported, and the
//! exponent fitted over all sizes beside the two ends'). A second table
//! splits each size's time by the models its linked groups ran on
//! (`Records::model_runs`): the one-unit groups, the largest group (the
//! regional telephone line's) and the e-service provider run apart, each
//! with its time per handled event — where the exponent comes from.
//! docs/performance.md quotes both tables.

use std::process::Command;
use std::time::Instant;
use vardsim::metrics::compute;
use vardsim::model::{Records, simulate_tallied, simulate_tallied_once};
use vardsim::scenario::Scenario;

/// The heap on transparent huge pages, as in the `vardsim` binary
/// (`vardsim::memory`).
#[global_allocator]
static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;

const CHILD: &str = "VARDSIM_REGION_SCALE_CHILD";

/// A field of a `/proc/self` file given in kB (`VmHWM:   123 kB`), in MB;
/// 0 where the file or the field is missing.
fn proc_mb(file: &str, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/self/{file}"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Peak resident memory of this process so far, MB (0 where `/proc` is missing).
fn peak_mb() -> f64 {
    proc_mb("status", "VmHWM:")
}

/// This process's memory on transparent huge pages now, MB (0 where the
/// kernel gives none): whether the run had the 2 MiB pages its allocator
/// asks for (`vardsim::memory`), which the large groups' time depends on.
fn huge_mb() -> f64 {
    proc_mb("smaps_rollup", "AnonHugePages:")
}

/// CPU seconds of this process so far: the sum of its threads' run time
/// in nanoseconds (`/proc/self/task/*/schedstat`), else user + system time
/// from `/proc/self/stat` in clock ticks of 1/100 s — too coarse for the
/// smallest region (0.35 s ± 0.01 moves the exponent by 0.014). Wall
/// seconds are noisy on a shared machine.
fn cpu_s() -> f64 {
    let threads_ns = std::fs::read_dir("/proc/self/task").ok().and_then(|tasks| {
        tasks
            .map(|t| {
                let stat = std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok()?;
                stat.split_whitespace().next()?.parse::<u64>().ok()
            })
            .sum::<Option<u64>>()
    });
    if let Some(ns) = threads_ns {
        return ns as f64 / 1e9;
    }
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

/// Seconds and handled events of a class of model runs.
#[derive(Clone, Copy, Default)]
struct Class {
    seconds: f64,
    handled: f64,
}

impl Class {
    fn add(&mut self, run: &vardsim::model::ModelRun) {
        self.seconds += run.seconds;
        self.handled += run.handled as f64;
    }

    fn ns_per_event(&self) -> f64 {
        self.seconds / self.handled * 1e9
    }
}

/// In the child: one replication of the scenario at `path`, printed as
/// `wall cpu peak events`, then the model runs by class: one-unit groups
/// (seconds, handled events), the largest group (units, seconds, handled),
/// the providers run apart (seconds, handled) and every run (seconds).
fn child(path: &str) {
    let scenario = Scenario::load(Some(std::path::Path::new(path)), &[])
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let (t, c) = (Instant::now(), cpu_s());
    // One replication and no other after it, as `vardsim run -r 1` runs it.
    let records = simulate_tallied_once(&scenario, 1, 0, Records::default(), 1);
    let metrics = compute(&scenario, &records);
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_s() - c;
    assert!(!metrics.observations.is_empty());
    let runs = records.model_runs();
    let (mut single, mut largest, mut provider, mut all) = (
        Class::default(),
        Class::default(),
        Class::default(),
        Class::default(),
    );
    let big = runs.iter().filter(|r| !r.provider).max_by_key(|r| r.units);
    for run in runs {
        all.add(run);
        match run {
            r if r.provider => provider.add(r),
            r if r.units == 1 => single.add(r),
            _ => {}
        }
    }
    let big_units = big.map_or(0, |r| r.units);
    if let Some(r) = big.filter(|r| r.units > 1) {
        largest.add(r);
    }
    println!(
        "{wall} {cpu} {} {} {} {} {big_units} {} {} {} {} {} {}",
        peak_mb(),
        records.events,
        single.seconds,
        single.handled,
        largest.seconds,
        largest.handled,
        provider.seconds,
        provider.handled,
        all.seconds,
        huge_mb()
    );
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
    // Per size, each round: wall, cpu, peak MB, events, then the model
    // runs by class (see `child`).
    let mut runs: Vec<Vec<Vec<f64>>> = vec![Vec::new(); regions.len()];
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
            assert_eq!(v.len(), 13, "the child's line: {line}");
            runs.push(v);
        }
    }
    for (_, _, file) in &regions {
        let _ = std::fs::remove_file(file);
    }
    println!("region-year, one replication, one thread (simulation + metrics), best of {rounds}");
    println!(
        "{:>6} {:>10} {:>8} {:>8} {:>16} {:>10} {:>12} {:>12}",
        "units", "listed", "wall s", "cpu s", "cpu s (rounds)", "peak MB", "on 2 MiB MB", "events"
    );
    let least =
        |runs: &[Vec<f64>], i: usize| runs.iter().map(|r| r[i]).fold(f64::INFINITY, f64::min);
    let mut points = Vec::new();
    for ((n, listed, _), runs) in regions.iter().zip(&runs) {
        let each: Vec<String> = runs.iter().map(|r| format!("{:.2}", r[1])).collect();
        let (wall, cpu, peak, events) =
            (least(runs, 0), least(runs, 1), least(runs, 2), runs[0][3]);
        let huge = least(runs, 12);
        println!(
            "{n:>6} {listed:>10} {wall:>8.2} {cpu:>8.2} {:>16} {peak:>10.0} {huge:>12.0} {events:>12.0}",
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
            "scaling exponent {}→{} units (1.000 = linear): cpu {:.3} (fitted over all sizes {:.3}), \
             peak memory {:.2}, events {:.3}; cpu against listed inhabitants {:.3}",
            a.0,
            b.0,
            (b.1 / a.1).ln() / k,
            fit(|p| p.1),
            (b.2 / a.2).ln() / k,
            fit(|p| p.3),
            by_listed
        );
        // Each round's own reading of the two ends, beside the least CPU
        // above: how far the exponent moves with the machine's load (the
        // line's group, whose state outgrows the L2 cache, moves by ±6 %
        // with the shared last-level cache's other tenants).
        if rounds > 1 {
            let (small, large) = (&runs[0], &runs[runs.len() - 1]);
            let each: Vec<String> = small
                .iter()
                .zip(large)
                .map(|(a, b)| format!("{:.3}", (b[1] / a[1]).ln() / k))
                .collect();
            println!("cpu exponent in each round: {}", each.join(", "));
        }
    }
    // Where each size's time went, in its round of least CPU: a linked
    // group's events cost more the more units share its engine (their
    // state interleaved in one time order outgrows the caches one unit's
    // fits in), while one-unit groups cost the same at every size.
    println!(
        "by model run (the round of least cpu): time per handled event; the largest group's share of the cpu"
    );
    println!(
        "{:>6} {:>16} {:>22} {:>14} {:>14}",
        "units", "one-unit groups", "largest group (units)", "provider", "largest share"
    );
    for ((n, _, _), runs) in regions.iter().zip(&runs) {
        let r = runs
            .iter()
            .min_by(|a, b| a[1].total_cmp(&b[1]))
            .expect("one round at least");
        let class = |s: f64, h: f64| Class {
            seconds: s,
            handled: h,
        };
        let ns = |c: Class| {
            if c.handled > 0.0 {
                format!("{:.0} ns", c.ns_per_event())
            } else {
                "-".into()
            }
        };
        let (single, largest, provider) =
            (class(r[4], r[5]), class(r[7], r[8]), class(r[9], r[10]));
        // Of every run's time (other linked groups than the largest too).
        let all = r[11];
        println!(
            "{n:>6} {:>16} {:>22} {:>14} {:>13.0}%",
            ns(single),
            format!("{} ({:.0})", ns(largest), r[6]),
            ns(provider),
            100.0 * largest.seconds / all.max(f64::MIN_POSITIVE)
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
