//! Runs one replication-year of a scenario file (a region: by default the
//! Stockholm-size case) on one thread, as `vardsim run -r 1 -t 1` runs it,
//! and prints each linked group's model run: units, events handled,
//! seconds and nanoseconds an event — where a region's time goes, for
//! profilers (`perf`, callgrind with `--toggle-collect='vardsim::model::sim::run_in*'`).
//!
//! `cargo run --release --example profile_region [SCENARIO.toml] [RUNS]`
use vardsim::model::{Records, simulate_tallied_once};
use vardsim::scenario::Scenario;

/// The heap on transparent huge pages, as in the `vardsim` binary
/// (`vardsim::memory`).
#[global_allocator]
static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    use std::io::Write;
    // Written, not printed: piped into `head`, a closed pipe ends the
    // example with an error rather than a panic.
    let mut out = std::io::stdout().lock();
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "scenarios/regions/stockholm.toml".into());
    let runs: u32 = args.next().map_or(Ok(1), |n| n.parse())?;
    let scenario = Scenario::load(Some(std::path::Path::new(&path)), &[])?;
    for _ in 0..runs {
        let started = std::time::Instant::now();
        let records = simulate_tallied_once(&scenario, 1, 0, Records::default(), 1);
        let seconds = started.elapsed().as_secs_f64();
        let model_runs = records.model_runs();
        let mut largest: Vec<_> = model_runs.iter().collect();
        largest.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
        let single: Vec<_> = model_runs
            .iter()
            .filter(|r| r.units == 1 && !r.provider)
            .collect();
        let (s_sec, s_ev) = single
            .iter()
            .fold((0.0, 0u64), |(s, e), r| (s + r.seconds, e + r.handled));
        writeln!(
            out,
            "{path}: {seconds:.3} s, {} events, {} model runs; {} one-unit groups {s_sec:.3} s {:.0} ns/event",
            records.events,
            model_runs.len(),
            single.len(),
            s_sec / s_ev.max(1) as f64 * 1e9
        )?;
        for r in largest.iter().take(3) {
            writeln!(
                out,
                "  {} units{}: {:.3} s, {} events, {:.0} ns/event, {} held at most",
                r.units,
                if r.provider { " (provider)" } else { "" },
                r.seconds,
                r.handled,
                r.seconds / r.handled.max(1) as f64 * 1e9,
                r.most_held
            )?;
        }
    }
    Ok(())
}
