//! Runs one simulated year of the M/M/c scenario 200 times (for profilers:
//! `perf record target/release/examples/profile_mmc`), or as many times as
//! the first argument says. Each run is what the `mmc_customers` group of
//! `benches/engine_mmc.rs` times end to end: the scenario read, the
//! replication, the metrics.
use vardsim::model::{Records, simulate_tallied};
use vardsim::scenario::Scenario;

/// The heap on transparent huge pages, as in the `vardsim` binary
/// (`vardsim::memory`).
#[global_allocator]
static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: u32 = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 200,
    };
    let text = include_str!("../scenarios/validation/mmc.toml");
    let sets = ["simulation.horizon_days=365".to_string()];
    let mut spare = Records::default();
    let mut events = 0;
    let mut metrics = 0;
    for r in 0..runs {
        let scenario = Scenario::from_toml("mmc.toml", text, &sets)?;
        let records = simulate_tallied(&scenario, 1, r, std::mem::take(&mut spare));
        metrics += vardsim::metrics::compute(&scenario, &records)
            .observations
            .len();
        events += records.events;
        spare = records;
    }
    // A simulated year of λ = 2.4/h: about 2 events per patient.
    assert!(
        events > u64::from(runs) * 2 * 20_000,
        "too few events: {events}"
    );
    println!("{events} events, {metrics} observations");
    Ok(())
}
