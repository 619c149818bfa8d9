use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;

use super::collect::levenshtein;
use super::*;

// ---------------------------------------------------------------- fixtures

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Root {
    name: String,
    #[serde(default)]
    simulation: Sim,
    #[serde(default)]
    units: BTreeMap<String, Unit>,
    patience: Option<Dist>,
    mode: Option<Mode>,
    amount: Option<Amount>,
    chance: Option<crate::scenario::bounded::Probability>,
    year: Option<crate::scenario::bounded::Year>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
struct Sim {
    horizon_days: u32,
    warmup_days: u32,
}

impl Default for Sim {
    fn default() -> Self {
        Sim {
            horizon_days: 365,
            warmup_days: 28,
        }
    }
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Unit {
    name: Option<String>,
    #[serde(default)]
    staff: BTreeMap<String, Staff>,
    dropin: Option<DropIn>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Staff {
    count: u32,
    #[serde(default)]
    shifts: Vec<Shift>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Shift {
    days: String,
    start: String,
    end: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct DropIn {
    #[serde(default = "see_all")]
    at_closing: String,
    profile: Option<Vec<f64>>,
}

fn see_all() -> String {
    "see_all".into()
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
enum Dist {
    Constant { value: f64 },
    Exponential { mean: f64 },
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum Mode {
    SeeAll,
    SendAway,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(untagged)]
enum Amount {
    Number(f64),
    Text(String),
}

const GOOD: &str = r#"name = "ok"

[simulation]
horizon_days = 100

[units.vc]
name = "Vårdcentralen"

[units.vc.staff.nurse]
count = 2
shifts = [
  { days = "mon-fri", start = "08:00", end = "12:00" },
  { days = "sat", start = "09:00", end = "11:00" },
]

[units.vc.dropin]
profile = [1.0, 2.0, 3.0]
"#;

fn src(text: &str) -> Source {
    Source::from_str("test.toml", text, None, &[]).expect("source")
}

fn src_set(text: &str, sets: &[&str]) -> Source {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Source::from_str("test.toml", text, None, &sets).expect("source")
}

fn problems(err: ScenarioError) -> Vec<Problem> {
    match err {
        ScenarioError::Invalid { problems } => problems,
        other => panic!("expected Invalid, got {other}"),
    }
}

fn loc(file: &str, line: usize, column: usize) -> Option<Location> {
    Some(Location {
        file: file.into(),
        line,
        column,
    })
}

fn find<'p>(problems: &'p [Problem], key: &str) -> &'p Problem {
    problems
        .iter()
        .find(|p| p.key == key)
        .unwrap_or_else(|| panic!("no problem at {key}: {problems:#?}"))
}

/// A scratch directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "vardsim-source-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------- reading

#[test]
fn good_text_deserializes() {
    let root: Root = src(GOOD).deserialize().expect("good");
    assert_eq!(root.name, "ok");
    assert_eq!(root.simulation.horizon_days, 100);
    assert_eq!(root.simulation.warmup_days, 28);
    let nurse = &root.units["vc"].staff["nurse"];
    assert_eq!(nurse.count, 2);
    assert_eq!(nurse.shifts[1].days, "sat");
}

#[test]
fn syntax_error_has_exact_line_and_column() {
    let text = "name = \"x\"\n[units.vc]\nname = = 3\n";
    let p = problems(Source::from_str("bad.toml", text, None, &[]).unwrap_err());
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].location, loc("bad.toml", 3, 8));
    assert_eq!(p[0].key, "units.vc.name");
    assert!(p[0].message.contains("extra `=`"), "{}", p[0].message);
    assert!(!p[0].message.contains('\n'));
    assert!(p[0].hint.as_deref().unwrap_or("").contains("quotes"));
}

#[test]
fn syntax_error_column_counts_characters_not_bytes() {
    // `å` and `ö` are two bytes each in UTF-8.
    let text = "name = \"åö\" x\n";
    let p = problems(Source::from_str("bad.toml", text, None, &[]).unwrap_err());
    assert_eq!(p[0].location, loc("bad.toml", 1, 13), "{p:#?}");
}

#[test]
fn unclosed_string_points_at_its_line() {
    let text = "name = \"x\n[a]\nb = 1\n";
    let p = problems(Source::from_str("bad.toml", text, None, &[]).unwrap_err());
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].location.as_ref().map(|l| l.line), Some(1), "{p:#?}");
}

#[test]
fn duplicate_key_is_a_located_syntax_error() {
    let text = "name = \"a\"\nname = \"b\"\n";
    let p = problems(Source::from_str("bad.toml", text, None, &[]).unwrap_err());
    assert_eq!(p[0].location, loc("bad.toml", 2, 1));
    assert!(p[0].message.contains("duplicate key"));
}

#[test]
fn origins_cover_tables_inline_tables_and_array_elements() {
    let s = src(GOOD);
    assert_eq!(s.locate("name"), loc("test.toml", 1, 1));
    assert_eq!(s.locate("simulation"), loc("test.toml", 3, 2));
    assert_eq!(s.locate("units.vc.staff.nurse"), loc("test.toml", 9, 17));
    assert_eq!(
        s.locate("units.vc.staff.nurse.count"),
        loc("test.toml", 10, 1)
    );
    assert_eq!(
        s.locate("units.vc.staff.nurse.shifts[1]"),
        loc("test.toml", 13, 3)
    );
    assert_eq!(
        s.locate("units.vc.staff.nurse.shifts.1.start"),
        loc("test.toml", 13, 19)
    );
    assert_eq!(
        s.locate("units.vc.dropin.profile[2]"),
        loc("test.toml", 17, 22)
    );
}

#[test]
fn arrays_of_tables_are_located() {
    let text = "[[list]]\nx = 1\n\n[[list]]\nx = 2\n";
    let s = src(text);
    assert_eq!(s.locate("list"), loc("test.toml", 1, 3));
    assert_eq!(s.locate("list[1]"), loc("test.toml", 4, 1));
    assert_eq!(s.locate("list[1].x"), loc("test.toml", 5, 1));
}

#[test]
fn locate_falls_back_to_the_longest_known_prefix() {
    let s = src(GOOD);
    assert_eq!(
        s.locate("units.vc.staff.nurse.no_such.deeper"),
        s.locate("units.vc.staff.nurse")
    );
    assert_eq!(
        s.locate("units.vc.staff.nurse.shifts[7].end"),
        s.locate("units.vc.staff.nurse.shifts")
    );
    assert_eq!(s.locate("nothing.here"), None);
    assert_eq!(s.locate(""), None);
}

#[test]
fn locate_all_fills_in_missing_locations_only() {
    let s = src(GOOD);
    let given = loc("elsewhere", 9, 9);
    let out = s.locate_all(vec![
        Problem::new("units.vc.staff.nurse.shifts[0].end", "bad"),
        Problem::new("units.vc.name", "bad").at(given.clone()),
        Problem::new("", "file-level"),
    ]);
    assert_eq!(out[0].location, loc("test.toml", 12, 40));
    assert_eq!(out[1].location, given);
    assert_eq!(out[2].location, loc("test.toml", 0, 0));
}

// ---------------------------------------------------------------- errors

#[test]
fn unknown_key_is_located_with_did_you_mean() {
    let text = GOOD.replace("count = 2", "count = 2\ncuont = 3");
    let p = src(&text).deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].key, "units.vc.staff.nurse.cuont");
    assert_eq!(p[0].location, loc("test.toml", 11, 1));
    assert_eq!(p[0].message, "unknown key `cuont`");
    let hint = p[0].hint.as_deref().unwrap_or("");
    assert!(hint.contains("did you mean `count`?"), "{hint}");
    assert!(hint.contains("valid keys here: count, shifts"), "{hint}");
}

#[test]
fn unknown_key_without_near_match_lists_valid_keys_only() {
    let text = GOOD.replace("horizon_days = 100", "horizon_days = 100\nzzzzzz = 1");
    let p = src(&text).deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(
        p[0].hint.as_deref(),
        Some("valid keys here: horizon_days, warmup_days")
    );
}

#[test]
fn wrong_type_names_what_was_expected() {
    let text = GOOD.replace("count = 2", "count = \"two\"");
    let p = src(&text).deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].key, "units.vc.staff.nurse.count");
    assert_eq!(p[0].location, loc("test.toml", 10, 1));
    assert_eq!(
        p[0].message,
        "expected an integer (u32), found string \"two\""
    );
    assert!(p[0].hint.as_deref().unwrap_or("").contains("count = 4"));
}

#[test]
fn out_of_range_integer_gives_the_range() {
    let text = GOOD.replace("count = 2", "count = -1");
    let p = src(&text).deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(
        p[0].message,
        "expected an integer from 0 to 4294967295 (u32), found integer `-1`"
    );
}

#[test]
fn two_independent_errors_are_both_reported() {
    let text = GOOD
        .replace("horizon_days = 100", "horizon_days = \"long\"")
        .replace("count = 2", "count = 2\ncuont = 3");
    let p = src(&text).deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 2, "{p:#?}");
    // In file order.
    assert_eq!(p[0].key, "simulation.horizon_days");
    assert_eq!(p[0].location, loc("test.toml", 4, 1));
    assert_eq!(p[1].key, "units.vc.staff.nurse.cuont");
}

#[test]
fn many_errors_in_one_call_without_spurious_missing_keys() {
    let text = r#"name = "x"
patience = { dist = "exponential", mean = "long" }
mode = "send_awya"
amount = { a = 1 }

[simulation]
horizon_days = 1.5
warmup = 3

[units.a]
nmae = "A"
[units.a.staff.nurse]
count = "x"
shifts = [
  { days = "mon", start = "08:00", end = 5 },
  { days = "tue", start = "08:00" },
  { days = "wed", start = "08:00", end = "12:00", extra = true },
]
[units.a.dropin]
at_closing = 3
profile = [1.0, "x", 2.0, "x", 3]

[units.b.staff.doctor]
count = 1
"#;
    let p = src(text).deserialize::<Root>().unwrap_err();
    let keys: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "patience.mean",
            "mode",
            "amount",
            "simulation.horizon_days",
            "simulation.warmup",
            "units.a.nmae",
            "units.a.staff.nurse.count",
            "units.a.staff.nurse.shifts[0].end",
            "units.a.staff.nurse.shifts[1].end",
            "units.a.staff.nurse.shifts[2].extra",
            "units.a.dropin.at_closing",
            "units.a.dropin.profile[1]",
            "units.a.dropin.profile[3]",
        ],
        "{p:#?}"
    );
    assert_eq!(find(&p, "patience.mean").location, loc("test.toml", 2, 36));
    assert_eq!(
        find(&p, "patience.mean").message,
        "expected f64, found string \"long\""
    );
    assert_eq!(
        find(&p, "mode").message,
        "expected one of `see_all`, `send_away`, found `send_awya`"
    );
    assert!(
        find(&p, "mode")
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("did you mean `send_away`?")
    );
    let missing = find(&p, "units.a.staff.nurse.shifts[1].end");
    assert_eq!(missing.message, "missing required key `end`");
    assert_eq!(missing.location, loc("test.toml", 16, 3));
    assert!(
        missing
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("add `end = …`")
    );
    assert_eq!(
        find(&p, "units.a.dropin.profile[3]").location,
        loc("test.toml", 21, 27)
    );
    assert!(p.iter().all(|p| p.location.is_some()));
}

#[test]
fn tagged_enum_errors_point_inside_the_table() {
    let text = "name = \"x\"\npatience = { dist = \"exponential\", mean = 2, man = 3 }\n";
    let p = src(text).deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].key, "patience.man");
    assert_eq!(p[0].location, loc("test.toml", 2, 46));
    assert!(p[0].hint.as_deref().unwrap_or("").contains("`mean`"));

    let text = "name = \"x\"\npatience = { dist = \"exponental\", mean = 2 }\n";
    let p = src(text).deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].key, "patience.dist");
    assert!(
        p[0].hint
            .as_deref()
            .unwrap_or("")
            .contains("did you mean `exponential`?")
    );

    let text = "name = \"x\"\npatience = { mean = 2 }\n";
    let p = src(text).deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].key, "patience.dist");
    assert_eq!(p[0].message, "missing required key `dist`");
    assert_eq!(p[0].location, loc("test.toml", 2, 1));
}

#[test]
fn missing_required_keys_are_reported() {
    let text = "[units.vc.staff.nurse]\nshifts = []\n";
    let p = src(text).deserialize::<Root>().unwrap_err();
    let keys: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
    // File-level problems first.
    assert_eq!(keys, ["name", "units.vc.staff.nurse.count"], "{p:#?}");
    assert_eq!(p[1].location, loc("test.toml", 1, 17));
    // `name` was never written: the file as a whole.
    assert_eq!(p[0].location, loc("test.toml", 0, 0));
    assert_eq!(
        p[0].hint.as_deref(),
        Some("add `name = …` at the top of the file")
    );
}

#[test]
fn problem_display_is_file_line_column() {
    let text = GOOD.replace("count = 2", "count = \"two\"");
    let p = src(&text).deserialize::<Root>().unwrap_err();
    let shown = p[0].to_string();
    assert!(
        shown.starts_with("test.toml:10:1: key `units.vc.staff.nurse.count`: expected"),
        "{shown}"
    );
}

// ---------------------------------------------------------------- extends

#[test]
fn extends_merges_child_over_base() {
    let dir = TempDir::new();
    dir.write(
        "base.toml",
        r#"name = "base"
[simulation]
horizon_days = 100
warmup_days = 10
[units.vc.staff.nurse]
count = 2
shifts = [
  { days = "mon", start = "08:00", end = "12:00" },
  { days = "tue", start = "08:00", end = "12:00" },
]
"#,
    );
    std::fs::create_dir_all(dir.path().join("sub")).expect("mkdir");
    let child = dir.write(
        "sub/child.toml",
        r#"extends = "../base.toml"
name = "child"
[simulation]
warmup_days = 20
[units.vc.staff.nurse]
shifts = [{ days = "wed", start = "09:00", end = "10:00" }]
"#,
    );
    let s = Source::load(Some(&child), ("<builtin>", ""), &[]).expect("load");
    assert!(!s.tree().contains_key("extends"));
    let root: Root = s.deserialize().expect("valid");
    assert_eq!(root.name, "child");
    assert_eq!(root.simulation.horizon_days, 100);
    assert_eq!(root.simulation.warmup_days, 20);
    let nurse = &root.units["vc"].staff["nurse"];
    assert_eq!(nurse.count, 2);
    assert_eq!(nurse.shifts.len(), 1);
    assert_eq!(nurse.shifts[0].days, "wed");

    let child_file = child.display().to_string();
    let base_file = dir.path().join("sub/../base.toml").display().to_string();
    assert_eq!(s.file(), child_file);
    assert_eq!(s.locate("name"), loc(&child_file, 2, 1));
    assert_eq!(s.locate("simulation.horizon_days"), loc(&base_file, 3, 1));
    assert_eq!(s.locate("simulation.warmup_days"), loc(&child_file, 4, 1));
    assert_eq!(
        s.locate("units.vc.staff.nurse.count"),
        loc(&base_file, 6, 1)
    );
    assert_eq!(
        s.locate("units.vc.staff.nurse.shifts[0].days"),
        loc(&child_file, 6, 13)
    );
    // The base's second shift is gone, so its origin is too.
    assert_eq!(
        s.locate("units.vc.staff.nurse.shifts[1]"),
        loc(&child_file, 6, 1)
    );
    assert_eq!(s.locate("extends"), None);

    // A mistake in the base is reported against the base.
    dir.write(
        "base.toml",
        "name = \"base\"\n[simulation]\nhorizon_dayz = 1\n",
    );
    let s = Source::load(Some(&child), ("<builtin>", ""), &[]).expect("load");
    let p = s.deserialize::<Root>().unwrap_err();
    assert_eq!(p[0].location, loc(&base_file, 3, 1), "{p:#?}");
}

#[test]
fn extends_builtin_default_and_from_str_base_dir() {
    let builtin = (
        "<built-in default>",
        "name = \"default\"\n[simulation]\nhorizon_days = 50\n",
    );
    let dir = TempDir::new();
    let child = dir.write(
        "c.toml",
        "extends = \"builtin:default\"\n[simulation]\nwarmup_days = 7\n",
    );
    let s = Source::load(Some(&child), builtin, &[]).expect("load");
    let root: Root = s.deserialize().expect("valid");
    assert_eq!(root.name, "default");
    assert_eq!(
        (root.simulation.horizon_days, root.simulation.warmup_days),
        (50, 7)
    );
    assert_eq!(s.locate("name"), loc("<built-in default>", 1, 1));

    // from_str resolves `extends` against base_dir.
    let s = Source::from_str(
        "mem.toml",
        "extends = \"c.toml\"\nname = \"m\"\n",
        Some(dir.path()),
        &[],
    )
    .expect("from_str");
    assert_eq!(s.tree()["simulation"]["warmup_days"].as_integer(), Some(7));
    // … and `builtin:default` there is the crate's default scenario.
    assert_eq!(s.tree()["name"].as_str(), Some("m"));
}

/// An audit's finding: a variant file's `units.cv.staff.doctor.count = 5`
/// over a base whose unit is `vc` made a new unit `cv` and left `vc` as
/// it was (warned only for the new group's missing shifts). Refused, as
/// the same `--set` is; a unit named (or a category given its share) is
/// added deliberately.
#[test]
fn a_variant_through_a_unit_its_base_lacks_is_a_misspelling() {
    let dir = TempDir::new();
    dir.write("base.toml", GOOD);
    let child = dir.write(
        "v.toml",
        "extends = \"base.toml\"\nname = \"v\"\n\n[units.cv.staff.nurse]\ncount = 5\n",
    );
    let p = problems(Source::load(Some(&child), ("<builtin>", ""), &[]).unwrap_err());
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].key, "units.cv");
    let at = p[0].location.as_ref().map(|l| (l.file.clone(), l.line));
    assert_eq!(at, Some((child.display().to_string(), 4)), "{p:#?}");
    assert!(p[0].message.contains("unknown unit `cv`"), "{p:#?}");
    assert!(
        p[0].hint
            .as_deref()
            .is_some_and(|h| h.contains("did you mean `units.vc`?")),
        "{p:#?}"
    );
    // Named, the unit is new on purpose; a category with its share too.
    let child = dir.write(
        "w.toml",
        "extends = \"base.toml\"\nname = \"w\"\n\n[units.cv]\nname = \"CV\"\n\n[units.cv.staff.nurse]\ncount = 5\n",
    );
    let s = Source::load(Some(&child), ("<builtin>", ""), &[]).expect("a named unit loads");
    assert_eq!(s.tree()["units"]["cv"]["name"].as_str(), Some("CV"));
    // A file without a base adds what it writes.
    src("name = \"x\"\n[units.cv.staff.nurse]\ncount = 5\n");
}

#[test]
fn extends_cycle_is_a_problem() {
    let dir = TempDir::new();
    let a = dir.write("a.toml", "extends = \"b.toml\"\nname = \"a\"\n");
    dir.write("b.toml", "name = \"b\"\nextends = \"a.toml\"\n");
    let p = problems(Source::load(Some(&a), ("<builtin>", ""), &[]).unwrap_err());
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].key, "extends");
    assert!(p[0].message.contains("cycle"), "{}", p[0].message);
    assert!(p[0].message.contains("a.toml → ") && p[0].message.contains("b.toml"));
    assert!(p[0].hint.is_some());
    // Pointed at the `extends` that closes the cycle, in b.toml line 2.
    let l = p[0].location.clone().expect("location");
    assert!(l.file.ends_with("b.toml") && l.line == 2, "{l:?}");

    let own = dir.write("own.toml", "extends = \"own.toml\"\n");
    let p = problems(Source::load(Some(&own), ("<builtin>", ""), &[]).unwrap_err());
    assert!(p[0].message.contains("cycle"));

    let p = problems(
        Source::load(None, ("<builtin>", "extends = \"builtin:default\"\n"), &[]).unwrap_err(),
    );
    assert!(p[0].message.contains("cycle"));
}

#[test]
fn missing_or_malformed_extends_is_located() {
    let dir = TempDir::new();
    let a = dir.write("a.toml", "name = \"a\"\nextends = \"nope.toml\"\n");
    let p = problems(Source::load(Some(&a), ("<builtin>", ""), &[]).unwrap_err());
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].location, loc(&a.display().to_string(), 2, 1));
    assert!(
        p[0].message
            .contains(&dir.path().join("nope.toml").display().to_string()),
        "{}",
        p[0].message
    );

    let p = problems(Source::from_str("t.toml", "extends = 3\n", None, &[]).unwrap_err());
    assert_eq!(p[0].key, "extends");
    assert!(p[0].message.contains("found an integer"));
}

#[test]
fn unreadable_top_file_is_a_read_error() {
    let dir = TempDir::new();
    let missing = dir.path().join("missing.toml");
    match Source::load(Some(&missing), ("<builtin>", ""), &[]) {
        Err(ScenarioError::Read { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected Read, got {other:?}"),
    }
}

#[test]
fn builtin_default_scenario_reads_cleanly() {
    let s = Source::load(None, crate::scenario::builtin::DEFAULT_SCENARIO, &[]).expect("load");
    let _: crate::scenario::file::ScenarioFile = s.deserialize().expect("default is valid");
    assert_eq!(s.file(), "<built-in default>");
    assert_eq!(
        s.locate("name").map(|l| l.file),
        Some("<built-in default>".into())
    );
}

// ---------------------------------------------------------------- --set

#[test]
fn set_through_a_unit_the_scenario_lacks_is_a_misspelling_not_a_new_unit() {
    let sets = vec!["units.vcc.staff.nurse.count=3".to_string()];
    let e = problems(Source::from_str("test.toml", GOOD, None, &sets).unwrap_err());
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key, "units.vcc");
    assert!(e[0].message.contains("unknown unit `vcc`"), "{e:?}");
    assert!(
        e[0].hint
            .as_deref()
            .is_some_and(|h| h.contains("did you mean `units.vc`?")),
        "{e:?}"
    );
}

#[test]
fn set_through_a_category_the_scenario_lacks_is_a_misspelling_not_a_new_category() {
    let text = format!("{GOOD}\n[categories.chronic]\nshare = 1\n");
    let sets = vec!["categories.chronc.continuity_wait_days=3".to_string()];
    let e = problems(Source::from_str("test.toml", &text, None, &sets).unwrap_err());
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key, "categories.chronc");
    assert!(e[0].message.contains("unknown category `chronc`"), "{e:?}");
    let hint = e[0].hint.as_deref().unwrap_or_default();
    assert!(hint.contains("did you mean `categories.chronic`?"), "{e:?}");
    assert!(hint.contains("categories.chronc.share="), "{e:?}");
    // Giving a new category's share first adds it deliberately.
    let sets = [
        "categories.new.share=1",
        "categories.new.continuity_wait_days=3",
    ];
    let s = src_set(&text, &sets);
    assert!(s.locate("categories.new.continuity_wait_days").is_some());
}

#[test]
fn set_paths_are_bounded_before_they_are_parsed() {
    // 60 000 segments used to take memory growing with the square of it.
    let long = format!("{}=1", vec!["a"; 60_000].join("."));
    let e = problems(Source::from_str("test.toml", GOOD, None, &[long]).unwrap_err());
    assert!(e[0].message.contains("bytes long"), "{e:?}");
    assert!(e[0].location.as_ref().is_some_and(|l| l.file.len() < 100));
    let deep = format!("{}=1", vec!["a"; 40].join("."));
    let e = problems(Source::from_str("test.toml", GOOD, None, &[deep]).unwrap_err());
    assert!(e[0].message.contains("40 segments"), "{e:?}");
}

#[test]
fn set_numbers_strings_words_tables_and_arrays() {
    let s = src_set(
        GOOD,
        &[
            "units.vc.staff.nurse.count=5",
            "simulation.horizon_days = 365",
            "name=\"x y\"",
            "units.vc.dropin.at_closing=send_away",
            "units.vc.dropin.profile=[1, 2.5]",
            "patience={ dist = \"constant\", value = 3 }",
            "units.vc.staff.nurse.shifts[0].start=09:00",
            "units.vc.staff.nurse.shifts.1.end=\"11:30\"",
            "units.\"vc norr\"={ name = \"Norr\" }",
            "units.vc.name=",
        ],
    );
    let root: Root = s.deserialize().expect("valid");
    assert_eq!(root.name, "x y");
    assert_eq!(root.simulation.horizon_days, 365);
    let vc = &root.units["vc"];
    assert_eq!(vc.name.as_deref(), Some(""));
    let nurse = &vc.staff["nurse"];
    assert_eq!(nurse.count, 5);
    assert_eq!(nurse.shifts[0].start, "09:00");
    assert_eq!(nurse.shifts[0].end, "12:00");
    assert_eq!(nurse.shifts[1].end, "11:30");
    let dropin = vc.dropin.as_ref().expect("dropin");
    assert_eq!(dropin.at_closing, "send_away");
    assert_eq!(dropin.profile, Some(vec![1.0, 2.5]));
    assert_eq!(root.patience, Some(Dist::Constant { value: 3.0 }));
    assert_eq!(root.units["vc norr"].name.as_deref(), Some("Norr"));

    // Origins of set keys point at the --set; others are unchanged.
    let at = |set: &str| loc(&format!("--set {set}"), 0, 0);
    assert_eq!(
        s.locate("units.vc.staff.nurse.count"),
        at("units.vc.staff.nurse.count=5")
    );
    assert_eq!(
        s.locate("patience.value"),
        at("patience={ dist = \"constant\", value = 3 }")
    );
    assert_eq!(
        s.locate("units.\"vc norr\""),
        at("units.\"vc norr\"={ name = \"Norr\" }")
    );
    assert_eq!(
        s.locate("units.vc.dropin.profile[1]"),
        at("units.vc.dropin.profile=[1, 2.5]")
    );
    assert_eq!(
        s.locate("units.vc.staff.nurse.shifts[0].start"),
        at("units.vc.staff.nurse.shifts[0].start=09:00")
    );
    assert_eq!(
        s.locate("units.vc.staff.nurse.shifts[0].end"),
        loc("test.toml", 12, 40)
    );
}

#[test]
fn sets_apply_in_order() {
    let s = src_set(GOOD, &["name=a", "name=b"]);
    assert_eq!(s.tree()["name"].as_str(), Some("b"));
}

#[test]
fn set_of_an_unknown_key_is_reported_against_the_set() {
    let s = src_set(GOOD, &["units.vc.staff.nurse.cuont=3"]);
    let p = s.deserialize::<Root>().unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].key, "units.vc.staff.nurse.cuont");
    assert_eq!(
        p[0].location,
        loc("--set units.vc.staff.nurse.cuont=3", 0, 0)
    );
    assert!(
        p[0].to_string()
            .starts_with("--set units.vc.staff.nurse.cuont=3: key")
    );
}

#[test]
fn malformed_sets_are_all_reported() {
    let sets: Vec<String> = [
        "units.vc.staff.nurse.count",
        "=5",
        "name.first=x",
        "units.vc.staff.nurse.shifts[5].start=x",
        "units.vc.staff.nurse.shifts.first=x",
        "units..vc=1",
        "extends=other.toml",
        "simulation.horizon_days=10",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let p = problems(Source::from_str("t.toml", GOOD, None, &sets).unwrap_err());
    assert_eq!(p.len(), 7, "{p:#?}");
    for (problem, set) in p.iter().zip(&sets) {
        assert_eq!(problem.location, loc(&format!("--set {set}"), 0, 0));
        assert!(problem.hint.is_some());
    }
    assert!(p[0].message.contains("no `=`"));
    assert!(
        p[0].hint
            .as_deref()
            .unwrap_or("")
            .contains("--set units.vc.staff.nurse.count=4")
    );
    assert!(p[1].message.contains("empty"), "{}", p[1].message);
    assert_eq!(p[2].key, "name.first");
    assert!(p[2].message.contains("`name` is a string, not a table"));
    assert!(p[3].message.contains("has 2 elements"), "{}", p[3].message);
    assert!(p[4].message.contains("is an array"), "{}", p[4].message);
    assert_eq!(p[6].key, "extends");
}

// ---------------------------------------------------------------- helpers

#[test]
fn did_you_mean_also_completes_prefixes() {
    let p = src("name = \"x\"\n[simulation]\nhorizon = 3\n")
        .deserialize::<Root>()
        .unwrap_err();
    assert_eq!(
        p[0].hint.as_deref(),
        Some("did you mean `horizon_days`? valid keys here: horizon_days, warmup_days")
    );
}

#[test]
fn levenshtein_distances() {
    assert_eq!(levenshtein("", ""), 0);
    assert_eq!(levenshtein("count", "count"), 0);
    assert_eq!(levenshtein("cuont", "count"), 2);
    assert_eq!(levenshtein("per_hours", "per_hour"), 1);
    assert_eq!(levenshtein("kitten", "sitting"), 3);
    assert_eq!(levenshtein("å", "a"), 1);
}

#[test]
fn set_table_merges_into_the_table_like_a_variant_file() {
    // A table VALUE merges: the unit keeps its name, staff and drop-in.
    let set = "units.vc={ dropin = { at_closing = \"send_away\" } }";
    let s = src_set(GOOD, &[set]);
    let root: Root = s.deserialize().expect("valid");
    let vc = &root.units["vc"];
    assert_eq!(vc.name.as_deref(), Some("Vårdcentralen"));
    assert_eq!(vc.staff["nurse"].count, 2);
    assert_eq!(vc.staff["nurse"].shifts.len(), 2);
    let dropin = vc.dropin.as_ref().expect("dropin");
    assert_eq!(dropin.at_closing, "send_away");
    assert_eq!(dropin.profile, Some(vec![1.0, 2.0, 3.0]));
    // Keys it did not write keep their origins in the file.
    let at = loc(&format!("--set {set}"), 0, 0);
    assert_eq!(s.locate("units.vc.dropin.at_closing"), at);
    assert_eq!(s.locate("units.vc.name"), loc("test.toml", 7, 1));
    assert_eq!(s.locate("units.vc.dropin.profile"), loc("test.toml", 17, 1));

    // An array element merges too; a new table is still added whole.
    let s = src_set(
        GOOD,
        &[
            "units.vc.staff.nurse.shifts[0]={ start = \"09:00\" }",
            "units.x={ name = \"X\" }",
        ],
    );
    let root: Root = s.deserialize().expect("valid");
    let shift = &root.units["vc"].staff["nurse"].shifts[0];
    assert_eq!(
        (shift.start.as_str(), shift.end.as_str()),
        ("09:00", "12:00")
    );
    assert_eq!(root.units["x"].name.as_deref(), Some("X"));
}

#[test]
fn a_distribution_replaces_the_one_below_in_files_and_sets() {
    let text = format!("{GOOD}\n[patience]\ndist = \"exponential\"\nmean = 30\n");
    let set = "patience={ dist = \"constant\", value = 3 }";
    let root: Root = src_set(&text, &[set]).deserialize().expect("valid");
    assert_eq!(root.patience, Some(Dist::Constant { value: 3.0 }));

    let dir = TempDir::new();
    dir.write("base.toml", &text);
    let child = dir.write(
        "child.toml",
        "extends = \"base.toml\"\npatience = { dist = \"constant\", value = 3 }\n",
    );
    let s = Source::load(Some(&child), ("<builtin>", ""), &[]).expect("load");
    let root: Root = s.deserialize().expect("valid");
    assert_eq!(root.patience, Some(Dist::Constant { value: 3.0 }));
    // Parameters written as keys still change the distribution below.
    let root: Root = src_set(&text, &["patience={ mean = 5 }"])
        .deserialize()
        .expect("valid");
    assert_eq!(root.patience, Some(Dist::Exponential { mean: 5.0 }));
}

#[test]
fn set_tables_merge_into_the_built_in_default() {
    let default = |sets: &[&str]| {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        Source::load(None, crate::scenario::builtin::DEFAULT_SCENARIO, &sets)
            .expect("source")
            .tree()["units"]["vc"]
            .clone()
    };
    let before = default(&[]);
    let vc = default(&["units.vc.booking={patient_chosen_share=0}"]);
    assert_eq!(vc["booking"]["patient_chosen_share"].as_integer(), Some(0));
    for (key, value) in before["booking"].as_table().expect("booking") {
        if key != "patient_chosen_share" {
            assert_eq!(&vc["booking"][key], value, "booking.{key}");
        }
    }
    let vc = default(&["units.vc={listed=9000}"]);
    assert_eq!(vc["listed"].as_integer(), Some(9000));
    for key in ["demand", "staff", "booking", "name"] {
        assert_eq!(vc[key], before[key], "{key}");
    }
    // A stream's rate is one of per_hour, share, weekly_times: a new one
    // drops the old, and the stream's other keys stay.
    assert!(before["demand"]["eservice"].get("share").is_some());
    let vc = default(&["units.vc.demand.eservice={per_hour=5}"]);
    let eservice = vc["demand"]["eservice"].as_table().expect("eservice");
    assert_eq!(eservice["per_hour"].as_integer(), Some(5));
    assert!(!eservice.contains_key("share"), "{eservice:?}");
    for (key, value) in before["demand"]["eservice"].as_table().expect("eservice") {
        if key != "share" {
            assert_eq!(&eservice[key], value, "eservice.{key}");
        }
    }
}

#[test]
fn wrong_type_hints_read_decimal_commas_and_keep_examples_inside_the_bound() {
    let hint = |line: &str| {
        let text = format!("{line}\n{GOOD}");
        let p = src(&text).deserialize::<Root>().unwrap_err();
        assert_eq!(p.len(), 1, "{p:#?}");
        (p[0].message.clone(), p[0].hint.clone().unwrap_or_default())
    };
    // A decimal comma: the number to write, with a point.
    let (message, h) = hint("chance = \"0,1\"");
    assert_eq!(
        message,
        "expected a probability from 0 to 1, found string \"0,1\""
    );
    assert!(
        h.contains("decimal point") && h.ends_with("`chance = 0.1`"),
        "{h}"
    );
    // A number in quotes: the same number without them.
    let (_, h) = hint("chance = \"0.25\"");
    assert!(h.ends_with("`chance = 0.25`"), "{h}");
    // Out of the bound, or not a number: an example inside the bound.
    for line in ["chance = \"2,5\"", "chance = \"often\"", "chance = true"] {
        let (_, h) = hint(line);
        assert!(
            h.ends_with("`chance = 0.5`") && !h.contains("2.5"),
            "{line}: {h}"
        );
    }
    for line in ["year = \"soon\"", "year = \"2024,5\"", "year = 2024.5"] {
        let (_, h) = hint(line);
        assert!(h.ends_with("`year = 2050`"), "{line}: {h}");
    }
    let (_, h) = hint("year = \"2024\"");
    assert!(h.ends_with("`year = 2024`"), "{h}");
    // A type without a bound keeps the usual examples.
    let text = GOOD.replace(
        "horizon_days = 100",
        "horizon_days = 100\nwarmup_days = \"x\"",
    );
    let p = src(&text).deserialize::<Root>().unwrap_err();
    let h = p[0].hint.as_deref().unwrap_or_default();
    assert!(h.ends_with("`warmup_days = 4`"), "{h}");
}
