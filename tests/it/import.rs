//! `vardsim import` and `vardsim new`: a region's CSV files (Swedish
//! headers, `;`, decimal comma, BOM) become a scenario that loads and runs,
//! with each unit's size and staff as given; bad files give located
//! problems, all at once, and write nothing; `new` at the default's size
//! reproduces the built-in default exactly.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::*;

fn vardsim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run vardsim")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vardsim-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Paid hours a week of `profession`'s groups in unit `u`.
fn weekly_hours(scenario: &Scenario, u: &str, profession: &str) -> f64 {
    let unit = scenario.units.iter().find(|x| x.key == u).unwrap();
    let p = scenario
        .professions
        .iter()
        .position(|x| x.key == profession)
        .unwrap();
    unit.staff
        .iter()
        .filter(|g| g.profession.index() == p)
        .map(|g| {
            let week: f64 = g
                .shifts
                .iter()
                .map(|(b, _)| b.days.count_ones() as f64 * (b.end_s - b.start_s) as f64 / 3600.0)
                .sum();
            g.count as f64 * week
        })
        .sum()
}

#[test]
fn the_example_region_imports_with_each_units_size_and_staff_and_runs() {
    let dir = temp("example");
    let units = root().join("scenarios/regions/example/units.csv");
    let staff = root().join("scenarios/regions/example/staff.csv");
    let out = vardsim(
        &dir,
        &[
            "import",
            "--units",
            units.to_str().unwrap(),
            "--staff",
            staff.to_str().unwrap(),
            "--name",
            "example-region",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let scenario = Scenario::load(Some(&dir.join("example-region.toml")), &[]).unwrap();
    let default = load("scenarios/default.toml", &[]);
    assert_eq!(scenario.units.len(), 16);
    // Sizes as written in Swedish: `11 200` with a space.
    let norrby = scenario.units.iter().find(|u| u.key == "norrby").unwrap();
    assert_eq!(norrby.listed, 11_200);
    assert_eq!(
        scenario.units.iter().map(|u| u.listed).sum::<u32>(),
        123_800
    );
    // Doctors' paid week per FTE as the default unit's (5 doctors): each
    // unit's week matches its FTE (part-time posts round to whole days).
    let per_fte = weekly_hours(&default, "vc", "doctor") / 5.0;
    let text = std::fs::read_to_string(&staff).unwrap();
    for line in text.lines().skip(1).filter(|l| l.contains(";läkare;")) {
        let f: Vec<&str> = line.split(';').collect();
        let fte: f64 = f[2].replace(',', ".").parse().unwrap();
        let got = weekly_hours(&scenario, f[0], "doctor") / per_fte;
        assert!(
            (got - fte).abs() <= 0.25,
            "{}: {fte} FTE in the file, {got:.2} in the scenario",
            f[0]
        );
    }
    // The age column (`Andel 65+`, percentages) re-weights the one age mix
    // of the scenario: contacts from patients aged 65+ follow the region's
    // listed-weighted share (per person as the default), and the spread of
    // the units' shares is a warning, not a silent average.
    let units_text = std::fs::read_to_string(&units).unwrap();
    let (mut old, mut listed) = (0.0, 0.0);
    for line in units_text.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let l: f64 = f[2].replace(' ', "").parse().unwrap();
        let p: f64 = f[4].trim_end_matches(" %").parse::<f64>().unwrap() / 100.0;
        old += p * l;
        listed += l;
    }
    let p = old / listed;
    let age_share =
        |s: &Scenario, key: &str| s.age_groups.iter().find(|a| a.key == key).unwrap().share;
    let default_old = age_share(&default, "65-79") + age_share(&default, "80+");
    let (w_old, w_young) = (p / 0.203, (1.0 - p) / 0.797);
    let want = default_old * w_old / (default_old * w_old + (1.0 - default_old) * w_young);
    let got = age_share(&scenario, "65-79") + age_share(&scenario, "80+");
    assert!(
        (got - want).abs() < 2e-3,
        "65+ share of contacts {got}, expected {want}"
    );
    assert!(
        stderr(&out).contains(
            "warning: the units' shares aged 65+ range from 14.0 % (sjostad) to 33.0 % (fjallet)"
        ),
        "{}",
        stderr(&out)
    );
    // Units without web booking have no web channel and no web slots.
    let alvdalen = scenario.units.iter().find(|u| u.key == "alvdalen").unwrap();
    assert!(
        alvdalen
            .staff
            .iter()
            .all(|g| g.visit_slots.iter().all(|s| s.2.key() != "web"))
    );
    // It runs (a short year: the point is that it runs, the sizes are checked above).
    let ran = vardsim(
        &dir,
        &[
            "run",
            "example-region.toml",
            "-r",
            "1",
            "--set",
            "simulation.horizon_days=21",
            "--set",
            "simulation.warmup_days=7",
            "--out",
            "out",
        ],
    );
    assert!(ran.status.success(), "{}", stderr(&ran));
    // No silent overwrite.
    let again = vardsim(
        &dir,
        &[
            "import",
            "--units",
            units.to_str().unwrap(),
            "--name",
            "example-region",
        ],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_malformed_csv_gives_located_problems_all_at_once_and_writes_nothing() {
    let dir = temp("bad");
    std::fs::write(
        dir.join("units.csv"),
        "nyckel;namn;listade;webbtidbok\nnorr;Norr;12 000;ja\nsyd;Syd;tolvtusen;kanske\nNorr Ost;Öst;5000;nej\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("staff.csv"),
        "enhet,yrke,årsarbetare,färg\nnorr,läkare,\"4,5\",blå\nvast,läkare,2,röd\nnorr,tandläkare,x,grön\n",
    )
    .unwrap();
    let out = vardsim(
        &dir,
        &[
            "import",
            "--units",
            "units.csv",
            "--staff",
            "staff.csv",
            "--name",
            "r",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for expected in [
        // Every problem of both files, each with file, line and column.
        "staff.csv:1:4: column `färg`: unknown column",
        "units.csv:3:3: column `listade`: expected a number, found `tolvtusen`",
        "units.csv:3:4: column `webbtidbok`: expected yes or no (ja/nej), found `kanske`",
        "units.csv:4:1: column `nyckel`: expected a key of lower-case letters, digits and `_`, found `Norr Ost`",
        "hint: e.g. `norr_ost`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!dir.join("r.toml").exists());
    // With the header fixed, the rows' problems show, all at once.
    std::fs::write(
        dir.join("staff.csv"),
        "enhet,yrke,årsarbetare\nnorr,läkare,\"4,5\"\nvast,läkare,2\nnorr,tandläkare,x\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("units.csv"),
        "nyckel;namn;listade\nnorr;Norr;12 000\n",
    )
    .unwrap();
    let out = vardsim(
        &dir,
        &[
            "import",
            "--units",
            "units.csv",
            "--staff",
            "staff.csv",
            "--name",
            "r",
        ],
    );
    let err = stderr(&out);
    for expected in [
        "staff.csv:3:1: column `enhet`: no unit `vast` in units.csv",
        "staff.csv:4:2: column `yrke`: unknown profession `tandläkare`",
        "staff.csv:4:3: column `årsarbetare`: expected a number, found `x`",
        "3 problems; nothing was written",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!dir.join("r.toml").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `new` at the default unit's size, keyed like it, is the default: the
/// same staff, the same tables and so the same results, bit for bit.
#[test]
fn new_at_the_default_size_reproduces_the_default() {
    let dir = temp("new");
    let out = vardsim(&dir, &["new", "--listed", "9000", "--name", "vc"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sets = ["simulation.horizon_days=56", "simulation.warmup_days=14"];
    let new = Scenario::load(Some(&dir.join("vc.toml")), &sets.map(String::from)).unwrap();
    let default = load("scenarios/default.toml", &sets);
    let a = run(&new, 2, 5);
    let b = run(&default, 2, 5);
    assert_eq!(a.summary, b.summary);
    // Given numbers: 6 doctors for 12 000 listed, others scaled.
    let out = vardsim(
        &dir,
        &[
            "new",
            "--listed",
            "12000",
            "--doctors",
            "6",
            "--name",
            "norr",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let norr = Scenario::load(Some(&dir.join("norr.toml")), &[]).unwrap();
    let per_fte = weekly_hours(&default, "vc", "doctor") / 5.0;
    assert!((weekly_hours(&norr, "norr", "doctor") / per_fte - 6.0).abs() < 1e-9);
    let nurses = weekly_hours(&norr, "norr", "district_nurse")
        / weekly_hours(&default, "vc", "district_nurse");
    assert!((nurses - 12.0 / 9.0).abs() < 0.1, "{nurses}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The column tables of `docs/import.md` are generated from the importer's
/// own column lists.
#[test]
fn the_documented_columns_are_the_importers() {
    let path = root().join("docs/import.md");
    let old = std::fs::read_to_string(&path).unwrap();
    let fresh = vardsim::import::regenerate_column_tables(&old);
    assert!(fresh.contains("| `listed` |") && fresh.contains("| `template` |"));
    if fresh != old {
        std::fs::write(&path, &fresh).unwrap();
    }
    assert!(
        fresh == old,
        "docs/import.md was stale; rerun cargo test (rewritten from the code)"
    );
}
