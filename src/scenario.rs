//! Scenario files: reading, merging (`extends`, `--set`) and validation.
//!
//! Two layers: [`file::ScenarioFile`] is the raw serde form of what was
//! written (unknown keys are errors); [`validate`](validate::validate) checks
//! it and builds the [`Scenario`] the model runs. [`source::Source`] reads the
//! TOML, follows `extends`, applies `--set` and remembers where every key was
//! written, so that each [`Problem`] points at file, line and column.

pub mod bounded;
pub mod builtin;
pub mod dist_spec;
pub mod error;
pub mod file;
pub mod grid;
pub mod schema;
pub mod source;
pub mod spec;
pub mod supply;
pub mod sweep_file;
pub mod validate;
pub mod written;

use std::path::Path;

pub use error::{Location, Problem, ScenarioError};
pub use spec::Scenario;

impl Scenario {
    /// Loads the scenario at `path` (the built-in default when `None`),
    /// applies the `--set PATH=VALUE` overrides and validates it.
    pub fn load(path: Option<&Path>, sets: &[String]) -> Result<Scenario, ScenarioError> {
        let source = source::Source::load(path, builtin::DEFAULT_SCENARIO, sets)?;
        Self::from_source(&source)
    }

    /// Loads the scenario at `path` on the base scenario `base` instead of
    /// what it `extends` (see [`source::Source::load_over`]).
    pub fn load_over(
        path: &Path,
        base: Option<&Path>,
        sets: &[String],
    ) -> Result<Scenario, ScenarioError> {
        let base = source::Source::load(base, builtin::DEFAULT_SCENARIO, sets)?;
        let source = source::Source::load_over(path, &base, sets)?;
        Self::from_source(&source)
    }

    /// Loads a scenario from TOML text (`file` names it in messages).
    pub fn from_toml(file: &str, text: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
        let source = source::Source::from_str(file, text, None, sets)?;
        Self::from_source(&source)
    }

    /// [`Scenario::from_toml`] for text that will be written in `base_dir`
    /// (its `extends` paths are relative to that folder).
    pub fn from_toml_in(
        file: &str,
        text: &str,
        base_dir: Option<&Path>,
        sets: &[String],
    ) -> Result<Scenario, ScenarioError> {
        let source = source::Source::from_str(file, text, base_dir, sets)?;
        Self::from_source(&source)
    }

    /// Reads and validates; structural problems (unknown keys, wrong types)
    /// and semantic ones (negative rates, unknown professions, …) are
    /// reported together.
    pub fn from_source(source: &source::Source) -> Result<Scenario, ScenarioError> {
        let (raw, mut problems, removed) = source.deserialize_partial::<file::ScenarioFile>();
        let Some(raw) = raw else {
            return Err(ScenarioError::Invalid { problems });
        };
        match validate::validate(raw) {
            Ok(mut scenario) if problems.is_empty() => {
                scenario.warnings = source.locate_all(std::mem::take(&mut scenario.warnings));
                scenario
                    .warnings
                    .extend(source.set_warnings().iter().cloned());
                Ok(scenario)
            }
            Ok(_) => Err(ScenarioError::Invalid { problems }),
            Err(semantic) => {
                // Validation indexes the arrays it was given: an element
                // dropped for a structural problem shifted the later ones.
                let mut semantic: Vec<_> = semantic
                    .into_iter()
                    .map(|mut p| {
                        p.key = removed.original_key(&p.key);
                        p
                    })
                    .collect();
                // A key with a structural problem was read as a stand-in:
                // what validation says about it (or below it) is noise.
                // So is what it says across the tables of one array when a
                // sibling table holds a stand-in (a refused `days` read as
                // `"all"` would overlap the group's other visits blocks).
                let array = |key: &str| -> Option<String> {
                    key.strip_suffix(']')
                        .and_then(|k| k.rfind('[').map(|i| k[..=i].to_string()))
                };
                // And a check in the same table (or one holding it) that
                // names a key read as a stand-in (`warmup_days` against a
                // refused `horizon_days` read as 1; "a category with a
                // positive share" when a `share` is missing) says nothing true.
                let compared_with = |p: &Problem, s: &Problem| {
                    let leaf = s.key.rsplit('.').next().unwrap_or(&s.key);
                    let parent = s.key.strip_suffix(leaf).unwrap_or("");
                    !parent.is_empty()
                        && !leaf.contains('[')
                        && (p.key.starts_with(parent) || parent.starts_with(&format!("{}.", p.key)))
                        && p.message.contains(leaf)
                };
                semantic.retain(|p| {
                    !problems.iter().any(|s| {
                        compared_with(p, s)
                            || p.key == s.key
                            || p.key
                                .strip_prefix(s.key.as_str())
                                .is_some_and(|rest| rest.starts_with(['.', '[']))
                            || array(&p.key).is_some_and(|a| {
                                s.key.strip_prefix(a.as_str()).is_some_and(|rest| {
                                    rest.split_once(']')
                                        .is_some_and(|(_, r)| r.starts_with('.'))
                                })
                            })
                    })
                });
                problems.extend(source.locate_all(semantic));
                Err(ScenarioError::Invalid { problems })
            }
        }
    }
}
