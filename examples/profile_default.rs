//! Runs the built-in default scenario's year 50 times (for profilers), or
//! as many times as the first argument says. `--bench` runs what
//! `benches/default_scenario.rs` times: replication 0 each time, so the
//! worker's books are reset in place after the first (under callgrind,
//! `N=1` and `N=3` differ by two steady-state years).
use vardsim::model::{Records, simulate_tallied};
use vardsim::scenario::Scenario;

/// The heap on transparent huge pages, as in the `vardsim` binary
/// (`vardsim::memory`).
#[global_allocator]
static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench = args.iter().any(|a| a == "--bench");
    let runs: u32 = match args.iter().find(|a| *a != "--bench") {
        Some(n) => n.parse()?,
        None => 50,
    };
    let scenario = Scenario::load(None, &[])?;
    let mut spare = Records::default();
    let mut events = 0;
    for r in 0..runs {
        let replication = if bench { 0 } else { r };
        let records = simulate_tallied(&scenario, 1, replication, std::mem::take(&mut spare));
        events += records.events;
        spare = records;
    }
    assert!(events > 0, "the default scenario produced no events");
    println!("{events} events");
    Ok(())
}
