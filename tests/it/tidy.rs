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

#[test]
fn core_does_no_io() {
    for dir in ["src/engine", "src/model", "src/metrics"] {
        for file in files_below(&root().join(dir), "rs") {
            let text = std::fs::read_to_string(&file).unwrap();
            for io in ["std::fs", "File::", "println!", "eprintln!"] {
                assert!(!text.contains(io), "{} does I/O ({io})", file.display());
            }
        }
    }
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
