//! Runs the M/M/c scenario's simulation 20 times (for profilers).
fn main() {
    let text = include_str!("../scenarios/validation/mmc.toml");
    let s = vardsim::scenario::Scenario::from_toml(
        "mmc.toml",
        text,
        &["simulation.horizon_days=365".into()],
    )
    .unwrap();
    let mut ev = 0;
    for r in 0..200 {
        ev += vardsim::model::simulate(&s, 1, r).events;
    }
    println!("{ev}");
}
