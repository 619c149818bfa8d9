//! Runs one simulated year of the M/M/c scenario 200 times (for profilers:
//! `perf record target/release/examples/profile_mmc`).
use vardsim::model::{Records, simulate_tallied};
use vardsim::scenario::Scenario;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = include_str!("../scenarios/validation/mmc.toml");
    let sets = ["simulation.horizon_days=365".to_string()];
    let scenario = Scenario::from_toml("mmc.toml", text, &sets)?;
    let mut spare = Records::default();
    let mut events = 0;
    for r in 0..200 {
        let records = simulate_tallied(&scenario, 1, r, std::mem::take(&mut spare));
        events += records.events;
        spare = records;
    }
    // 200 simulated years of λ = 2.4/h: about 2 events per patient.
    assert!(events > 200 * 2 * 20_000, "too few events: {events}");
    println!("{events} events");
    Ok(())
}
