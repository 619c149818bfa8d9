//! The scenarios the page may run, by name: the built-in default, the shipped
//! working-method presets and regions (embedded in the binary, so the server
//! works from any folder), and the `.toml` files of the folder given with
//! `--scenarios`. The browser only ever sends a name from this list; a path
//! never comes from it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::scenario::source::Source;
use crate::scenario::{Problem, Scenario, ScenarioError, builtin};

/// The shipped presets and regions, as `(name, file as in the repository, text)`.
pub(crate) const SHIPPED: &[(&str, &str, &str)] = &[
    (
        "methods/continuity-first",
        "scenarios/methods/continuity-first.toml",
        include_str!("../../scenarios/methods/continuity-first.toml"),
    ),
    (
        "methods/digital-exclusion",
        "scenarios/methods/digital-exclusion.toml",
        include_str!("../../scenarios/methods/digital-exclusion.toml"),
    ),
    (
        "methods/dropin-nurse-doctor",
        "scenarios/methods/dropin-nurse-doctor.toml",
        include_str!("../../scenarios/methods/dropin-nurse-doctor.toml"),
    ),
    (
        "methods/mobile-team",
        "scenarios/methods/mobile-team.toml",
        include_str!("../../scenarios/methods/mobile-team.toml"),
    ),
    (
        "methods/musculoskeletal-to-physio",
        "scenarios/methods/musculoskeletal-to-physio.toml",
        include_str!("../../scenarios/methods/musculoskeletal-to-physio.toml"),
    ),
    (
        "methods/profession-neutral-booking",
        "scenarios/methods/profession-neutral-booking.toml",
        include_str!("../../scenarios/methods/profession-neutral-booking.toml"),
    ),
    (
        "methods/rural-distance",
        "scenarios/methods/rural-distance.toml",
        include_str!("../../scenarios/methods/rural-distance.toml"),
    ),
    (
        "methods/saturday-district-nurse",
        "scenarios/methods/saturday-district-nurse.toml",
        include_str!("../../scenarios/methods/saturday-district-nurse.toml"),
    ),
    (
        "methods/summer",
        "scenarios/methods/summer.toml",
        include_str!("../../scenarios/methods/summer.toml"),
    ),
    (
        "methods/triage-counts",
        "scenarios/methods/triage-counts.toml",
        include_str!("../../scenarios/methods/triage-counts.toml"),
    ),
    (
        "methods/triage-not-counted",
        "scenarios/methods/triage-not-counted.toml",
        include_str!("../../scenarios/methods/triage-not-counted.toml"),
    ),
    (
        "methods/web-booking-40",
        "scenarios/methods/web-booking-40.toml",
        include_str!("../../scenarios/methods/web-booking-40.toml"),
    ),
    (
        "methods/web-booking-40-demand",
        "scenarios/methods/web-booking-40-demand.toml",
        include_str!("../../scenarios/methods/web-booking-40-demand.toml"),
    ),
    (
        "regions/jamtland-harjedalen",
        "scenarios/regions/jamtland-harjedalen.toml",
        include_str!("../../scenarios/regions/jamtland-harjedalen.toml"),
    ),
    (
        "regions/stockholm",
        "scenarios/regions/stockholm.toml",
        include_str!("../../scenarios/regions/stockholm.toml"),
    ),
];

/// The name of the built-in default in the list.
pub const DEFAULT: &str = "default";

/// Where a listed scenario comes from.
#[derive(Clone, Debug)]
enum Origin {
    /// The built-in default.
    Builtin,
    /// A shipped file embedded in the binary (its display path and text).
    Shipped(&'static str, &'static str),
    /// A file in the `--scenarios` folder.
    File(PathBuf),
}

/// One scenario in the list.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// The name the browser sends (`default`, `methods/mobile-team`,
    /// `regions/jamtland-harjedalen`, `own/<file stem>`).
    pub name: String,
    /// `builtin`, `methods`, `regions` or `own`.
    pub group: &'static str,
    /// The file, as the command line would name it.
    pub file: String,
    #[serde(skip)]
    origin: Origin,
}

/// The scenarios the server offers.
#[derive(Clone, Debug)]
pub struct Catalog {
    entries: BTreeMap<String, Entry>,
}

/// A scenario that could not be loaded: the loader's problems, located.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ProblemJson {
    /// The file (`--set` for a change made on the page).
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// Dotted key path (empty for file-level problems).
    pub key: String,
    /// What was expected and what was found.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl From<&Problem> for ProblemJson {
    fn from(p: &Problem) -> Self {
        let (file, line, column) = p.location.as_ref().map_or((String::new(), 0, 0), |l| {
            (l.file.clone(), l.line, l.column)
        });
        ProblemJson {
            file,
            line,
            column,
            key: p.key.clone(),
            message: p.message.clone(),
            hint: p.hint.clone(),
        }
    }
}

/// The problems of a scenario error, as JSON rows.
pub fn problems(e: &ScenarioError) -> Vec<ProblemJson> {
    match e {
        ScenarioError::Invalid { problems } => problems.iter().map(ProblemJson::from).collect(),
        other => vec![ProblemJson {
            file: String::new(),
            line: 0,
            column: 0,
            key: String::new(),
            message: other.to_string(),
            hint: None,
        }],
    }
}

/// A loaded scenario with the key tree it was checked from.
pub struct Loaded {
    /// The merged tree (after `extends` and the page's `--set`s).
    pub source: Source,
    /// The checked scenario.
    pub scenario: Scenario,
}

impl Catalog {
    /// The built-in and shipped scenarios, plus every `*.toml` file directly
    /// in `dir` (not below it; listed once, at start).
    pub fn new(dir: Option<&Path>) -> std::io::Result<Catalog> {
        let mut entries = BTreeMap::new();
        let mut add = |name: String, group, file: String, origin| {
            entries.insert(
                name.clone(),
                Entry {
                    name,
                    group,
                    file,
                    origin,
                },
            );
        };
        add(
            DEFAULT.into(),
            "builtin",
            crate::scenario::source::BUILTIN_EXTENDS.to_string(),
            Origin::Builtin,
        );
        for (name, file, text) in SHIPPED {
            let group = if name.starts_with("regions/") {
                "regions"
            } else {
                "methods"
            };
            add(
                name.to_string(),
                group,
                file.to_string(),
                Origin::Shipped(file, text),
            );
        }
        if let Some(dir) = dir {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                .collect();
            files.sort();
            for path in files {
                let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                add(
                    format!("own/{stem}"),
                    "own",
                    path.display().to_string(),
                    Origin::File(path.clone()),
                );
            }
        }
        Ok(Catalog { entries })
    }

    /// Every scenario, default first, then presets, regions and own files.
    pub fn list(&self) -> Vec<&Entry> {
        let rank = |e: &Entry| match e.group {
            "builtin" => 0,
            "methods" => 1,
            "regions" => 2,
            _ => 3,
        };
        let mut v: Vec<&Entry> = self.entries.values().collect();
        v.sort_by_key(|e| (rank(e), e.name.clone()));
        v
    }

    /// The entry called `name`, if listed.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.get(name)
    }

    /// Loads `name` with the page's changes `sets` (`PATH=VALUE`, as
    /// `--set`) through the scenario loader. `None` if no such name is
    /// listed.
    pub fn load(&self, name: &str, sets: &[String]) -> Option<Result<Loaded, ScenarioError>> {
        let entry = self.entries.get(name)?;
        let source = match &entry.origin {
            Origin::Builtin => Source::load(None, builtin::DEFAULT_SCENARIO, sets),
            Origin::Shipped(file, text) => Source::from_str(file, &shipped_text(text), None, sets),
            Origin::File(path) => Source::load(Some(path), builtin::DEFAULT_SCENARIO, sets),
        };
        Some(source.and_then(|source| {
            let scenario = Scenario::from_source(&source)?;
            Ok(Loaded { source, scenario })
        }))
    }
}

/// A shipped file's text as the binary loads it: the presets extend
/// `../default.toml`, which is the built-in default (`tests/it/serve.rs`
/// checks that they load to the same scenario as from the repository).
fn shipped_text(text: &str) -> String {
    text.replace(
        "extends = \"../default.toml\"",
        &format!("extends = \"{}\"", crate::scenario::source::BUILTIN_EXTENDS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_is_embedded_and_loads_as_from_the_repository() {
        let catalog = Catalog::new(None).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk: Vec<String> = ["scenarios/methods", "scenarios/regions"]
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        on_disk.sort();
        let mut shipped: Vec<String> = SHIPPED.iter().map(|s| s.1.to_string()).collect();
        shipped.sort();
        assert_eq!(
            shipped, on_disk,
            "a shipped scenario is missing from SHIPPED"
        );
        for (name, file, _) in SHIPPED.iter().filter(|s| !s.0.contains("stockholm")) {
            let served = catalog.load(name, &[]).unwrap().unwrap().scenario;
            let cli = Scenario::load(Some(&root.join(file)), &[]).unwrap();
            assert_eq!(
                crate::experiment::sweep::scenario_fingerprint(&served),
                crate::experiment::sweep::scenario_fingerprint(&cli),
                "{name}"
            );
        }
    }

    #[test]
    fn an_unlisted_name_loads_nothing() {
        let catalog = Catalog::new(None).unwrap();
        assert!(catalog.load("../scenarios/default", &[]).is_none());
        assert!(catalog.load("/etc/passwd", &[]).is_none());
    }
}
