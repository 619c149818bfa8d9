//! Architecture checks run as tests (as rust-analyzer does).

use super::*;

#[test]
fn engine_knows_nothing_of_the_model() {
    for file in files_below(&root().join("src/engine"), "rs") {
        let text = std::fs::read_to_string(&file).unwrap();
        for forbidden in [
            "crate::model",
            "crate::scenario",
            "crate::metrics",
            "crate::report",
            "crate::experiment",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}",
                file.display()
            );
        }
    }
    assert!(
        !std::fs::read_to_string(root().join("src/engine.rs"))
            .unwrap()
            .contains("use crate::model")
    );
}

/// Asserts that no `.rs` file under `dir` (nor `dir.rs`) names any of `forbidden`.
fn assert_names_none(dir: &str, forbidden: &[&str]) {
    let mut files = files_below(&root().join(dir), "rs");
    files.push(root().join(format!("{dir}.rs")));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for f in forbidden {
            assert!(!text.contains(f), "{} uses {f}", file.display());
        }
    }
}

#[test]
fn the_vocabulary_is_below_scenario_and_model() {
    assert_names_none(
        "src/vocab",
        &[
            "crate::model",
            "crate::scenario",
            "crate::metrics",
            "crate::report",
            "crate::experiment",
        ],
    );
}

#[test]
fn scenario_does_not_depend_on_the_model() {
    // The dependency runs one way: the model reads the checked scenario.
    assert_names_none(
        "src/scenario",
        &["crate::model", "crate::metrics", "crate::experiment"],
    );
}

/// The engine, the model and the metrics read and write no file: what a run
/// must keep out of memory goes to `src/spill.rs` (blocks in a temporary
/// file, no path, no error), a leaf that names no other module.
#[test]
fn core_does_no_io() {
    let spill = std::fs::read_to_string(root().join("src/spill.rs")).unwrap();
    assert!(
        !spill.contains("crate::"),
        "src/spill.rs names another module"
    );
    for dir in ["src/engine", "src/model", "src/metrics"] {
        for file in files_below(&root().join(dir), "rs") {
            let text = std::fs::read_to_string(&file).unwrap();
            for io in ["std::fs", "File::", "println!", "eprintln!"] {
                assert!(!text.contains(io), "{} does I/O ({io})", file.display());
            }
        }
    }
}

/// The allocator (`src/memory.rs`) is a leaf too: it advises the kernel
/// about the process's memory and knows nothing of the model.
#[test]
fn memory_is_a_leaf() {
    let memory = std::fs::read_to_string(root().join("src/memory.rs")).unwrap();
    assert!(
        !memory.contains("crate::"),
        "src/memory.rs names another module"
    );
}

#[test]
fn main_stays_thin() {
    let lines = std::fs::read_to_string(root().join("src/main.rs"))
        .unwrap()
        .lines()
        .count();
    assert!(
        lines <= 80,
        "src/main.rs has {lines} lines; move logic into the library"
    );
}

#[test]
fn only_a_flows_metrics_step_reaches_into_metrics() {
    // A slice computes its own metrics (`flows/<flow>/metrics.rs`, a
    // second table of a slice as `flows/<flow>/<table>_metrics.rs` like
    // booking's `continuity_metrics.rs`, or `supply/metrics.rs` for the
    // staff roster, writing through `metrics::Out`); the rest of the model
    // does not know them.
    for file in files_below(&root().join("src/model"), "rs") {
        let text = std::fs::read_to_string(&file).unwrap();
        let path = file.to_string_lossy().replace('\\', "/");
        let allowed = path.ends_with("src/model/flows.rs")
            || (path.contains("src/model/flows/")
                && (path.ends_with("/metrics.rs") || path.ends_with("_metrics.rs")))
            || path.ends_with("src/model/supply/metrics.rs");
        assert!(
            allowed || !text.contains("crate::metrics"),
            "{path} uses crate::metrics"
        );
    }
}
