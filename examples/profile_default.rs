//! Runs the built-in default scenario's year 50 times (for profilers).
use vardsim::model::{Records, simulate_tallied};
use vardsim::scenario::Scenario;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scenario = Scenario::load(None, &[])?;
    let mut spare = Records::default();
    let mut events = 0;
    for r in 0..50 {
        let records = simulate_tallied(&scenario, 1, r, std::mem::take(&mut spare));
        events += records.events;
        spare = records;
    }
    assert!(events > 0, "the default scenario produced no events");
    println!("{events} events");
    Ok(())
}
