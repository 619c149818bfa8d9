//! Every shipped scenario validates and runs; the built-in default equals
//! `scenarios/default.toml`.

use super::*;

#[test]
fn every_shipped_scenario_validates_and_runs() {
    let files = files_below(&root().join("scenarios"), "toml");
    assert!(files.len() >= 2);
    for f in files {
        let rel = f
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        if vardsim::scenario::sweep_file::is_sweep_file(&text) {
            check_sweep_file(&f, &text);
            continue;
        }
        let s = load(
            &rel,
            &["simulation.horizon_days=60", "simulation.warmup_days=7"],
        );
        let r = run(&s, 2, 1);
        assert!(
            metric(&r, "patients_arrived").mean > 0.0,
            "{rel}: nobody arrived"
        );
    }
}

/// A shipped sweep file reads, and every point's scenario validates.
fn check_sweep_file(path: &Path, text: &str) {
    let sweep = vardsim::scenario::sweep_file::parse(path, text).unwrap_or_else(|e| panic!("{e}"));
    assert!(sweep.grid.len() >= 2, "{}", path.display());
    for point in sweep.grid.points() {
        let mut sets = sweep.sets.clone();
        sets.extend(sweep.grid.sets(&point));
        Scenario::load(sweep.scenario.as_deref(), &sets)
            .unwrap_or_else(|e| panic!("{} point {}: {e}", path.display(), point.index));
    }
}

#[test]
fn built_in_default_is_the_shipped_file() {
    let text = std::fs::read_to_string(root().join("scenarios/default.toml")).unwrap();
    assert_eq!(text, vardsim::scenario::builtin::DEFAULT_SCENARIO.1);
}
