//! The scenario format's JSON Schema and the key tables of
//! `docs/scenario.md` are generated from the loader's types: the committed
//! copies must be fresh, every shipped scenario must match the schema, and
//! mistakes the loader refuses must fail the schema too.

use serde_json::Value;
use vardsim::scenario::schema::{json_schema, json_schema_text, key_type, regenerate_tables};

use crate::{files_below, root};

/// Rewrites `path` with `fresh` if it differs; true if it did (rust-analyzer's
/// sourcegen habit: the test is the generator).
fn rewrite_if_stale(path: &str, fresh: &str) -> bool {
    let file = root().join(path);
    let old = std::fs::read_to_string(&file).unwrap_or_default();
    if old != fresh {
        std::fs::write(&file, fresh).unwrap();
    }
    old != fresh
}

#[test]
fn committed_schema_and_key_tables_are_fresh() {
    let doc = std::fs::read_to_string(root().join("docs/scenario.md")).unwrap();
    let tables = regenerate_tables(&doc, &json_schema()).unwrap_or_else(|e| panic!("{e}"));
    assert!(tables.matches("<!-- generated:keys ").count() >= 15);
    // The distributions table is generated too, one row per name.
    for name in ["constant", "exponential", "lognormal", "empirical"] {
        assert!(tables.contains(&format!("| `{name}` |")), "{name}");
    }
    assert!(tables.contains("<!-- generated:distributions -->"));
    let stale: Vec<&str> = [
        ("docs/scenario.schema.json", json_schema_text()),
        ("docs/scenario.md", tables),
    ]
    .iter()
    .filter(|(path, fresh)| rewrite_if_stale(path, fresh))
    .map(|(path, _)| *path)
    .collect();
    assert!(
        stale.is_empty(),
        "{} stale; rerun cargo test (rewritten from the code)",
        stale.join(" and ")
    );
}

/// Every table a unit can have (a key whose value has keys of its own) has
/// its key table in docs/scenario.md: `[units.<u>.continuity]` once had
/// none, so its three keys were nowhere but in the schema.
#[test]
fn every_table_of_a_unit_has_its_key_table() {
    let schema = json_schema();
    let defs = &schema["$defs"];
    let doc = std::fs::read_to_string(root().join("docs/scenario.md")).unwrap();
    let resolve = |v: &Value| -> Value {
        // `Option<T>` is `anyOf [T, null]` or a `$ref`.
        let v = v
            .get("anyOf")
            .and_then(|a| a.as_array()?.iter().find(|x| x.get("$ref").is_some()))
            .unwrap_or(v);
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => defs[r.rsplit('/').next().unwrap()].clone(),
            None => v.clone(),
        }
    };
    let unit =
        resolve(&resolve(&defs["ScenarioFile"]["properties"]["units"])["additionalProperties"]);
    let mut missing = Vec::new();
    for (key, field) in unit["properties"].as_object().unwrap() {
        let field = resolve(field);
        let path = match (field.get("properties"), field.get("additionalProperties")) {
            (Some(_), _) => format!("units.<u>.{key}"),
            // A table of tables (`staff`, `planned`): its entries' keys.
            (None, Some(entry)) if resolve(entry).get("properties").is_some() => {
                let marker = format!("<!-- generated:keys units.<u>.{key}.<");
                if !doc.contains(&marker) {
                    missing.push(format!("units.<u>.{key}.<…>"));
                }
                continue;
            }
            _ => continue,
        };
        if !doc.contains(&format!("<!-- generated:keys {path} -->")) {
            missing.push(path);
        }
    }
    assert!(
        missing.is_empty(),
        "no key table in docs/scenario.md for {missing:?}"
    );
}

/// A TOML text as the JSON value the schema describes.
fn as_json(text: &str) -> Value {
    let table: toml::Table = text.parse().expect("valid TOML");
    serde_json::to_value(table).unwrap()
}

/// The schema's complaints about `text` (empty when it matches).
fn schema_errors(text: &str) -> Vec<String> {
    let validator = jsonschema::validator_for(&json_schema()).expect("the schema is valid");
    validator
        .iter_errors(&as_json(text))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Scenario files (not sweep plans) under `scenarios/`.
fn shipped_scenarios() -> Vec<std::path::PathBuf> {
    files_below(&root().join("scenarios"), "toml")
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "sweeps"))
        .collect()
}

#[test]
fn every_shipped_scenario_matches_the_schema() {
    let files = shipped_scenarios();
    assert!(files.len() >= 10, "{files:?}");
    for path in files {
        let errors = schema_errors(&std::fs::read_to_string(&path).unwrap());
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn misspelt_keys_and_wrong_values_fail_the_schema_as_they_fail_the_loader() {
    let default = std::fs::read_to_string(root().join("scenarios/default.toml")).unwrap();
    let method =
        std::fs::read_to_string(root().join("scenarios/methods/mobile-team.toml")).unwrap();
    assert!(schema_errors(&default).is_empty());
    let cases = [
        // A misspelt key, standalone and in a file that extends a base.
        (&default, "horizon_days", "horizon_dayz"),
        (&method, "planned_visits_per_week", "planned_visit_per_week"),
        // A value outside a closed set.
        (
            &default,
            r#"activity = "telephone""#,
            r#"activity = "telefone""#,
        ),
        (&method, r#"base = "vc""#, r#"base = 3"#),
        (&default, r#"dist = "lognormal""#, r#"dist = "lognormale""#),
        (
            &default,
            "[categories.",
            "[categories.x]\nshare = 1\nurgency = \"today\"\n[categories.",
        ),
        // A number outside its key's bound (the bound is in the schema).
        (&default, "horizon_days = 420", "horizon_days = 3661"),
        (
            &default,
            "booking_horizon_days = 42",
            "booking_horizon_days = 366",
        ),
        (&method, "crews = 1", "crews = 101"),
        (&method, "speed_kmh = 50", "speed_kmh = 0"),
    ];
    for (text, from, to) in cases {
        assert!(text.contains(from), "{from}");
        let bad = text.replacen(from, to, 1);
        assert!(!schema_errors(&bad).is_empty(), "schema passed {to}");
        let loaded = vardsim::scenario::Scenario::from_toml("bad.toml", &bad, &[]);
        // Files with `extends` need their base to load; standalone ones must fail.
        if !bad.contains("extends") {
            assert!(loaded.is_err(), "loader passed {to}");
        }
    }
    // A file with `extends` may leave out required keys; one without may not.
    assert!(
        schema_errors("extends = \"base.toml\"\n[units.vc.staff.doctor]\nshifts = []").is_empty()
    );
    assert!(!schema_errors("[units.vc.staff.doctor]\nshifts = []").is_empty());
}

#[test]
fn schema_command_prints_the_schema_and_its_help_has_examples() {
    let vardsim = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vardsim"))
            .args(args)
            .output()
            .expect("run vardsim")
    };
    let out = vardsim(&["schema"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), json_schema_text());
    let help = vardsim(&["schema", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("Examples:") && text.contains("vardsim schema >"),
        "{text}"
    );
}

#[test]
fn a_key_path_s_type_is_read_through_names_and_arrays() {
    let schema = json_schema();
    let ty = |path: &str| key_type(&schema, path);
    // Any unit and profession name; counts are integers, rates decimals.
    assert_eq!(
        ty("units.vc.staff.doctor.count").as_deref(),
        Some("integer")
    );
    assert_eq!(
        ty("units.north.staff.nurse.count").as_deref(),
        Some("integer")
    );
    assert_eq!(
        ty("units.vc.demand.walk_in.per_hour").as_deref(),
        Some("number")
    );
    assert_eq!(ty("simulation.horizon_days").as_deref(), Some("integer"));
    assert_eq!(ty("units.vc.name").as_deref(), Some("string"));
    assert_eq!(
        ty("units.vc.staff.doctor.shifts[0].start").as_deref(),
        Some("string")
    );
    // No such key, or a table: no type.
    assert_eq!(ty("units.vc.staff.doctor.cuont"), None);
    assert_eq!(ty("units.vc.staff"), None);
}
