//! TEMPORARY stub.
#![allow(missing_docs)]
use super::{Location, Problem, ScenarioError};
use std::path::Path;
pub struct Source {
    tree: toml::Table,
}
impl Source {
    pub fn load(
        path: Option<&Path>,
        builtin: (&str, &str),
        sets: &[String],
    ) -> Result<Source, ScenarioError> {
        let text = match path {
            Some(p) => std::fs::read_to_string(p).map_err(|source| ScenarioError::Read {
                path: p.into(),
                source,
            })?,
            None => builtin.1.to_string(),
        };
        Self::from_str("x", &text, None, sets)
    }
    pub fn from_str(
        _file: &str,
        text: &str,
        _base: Option<&Path>,
        sets: &[String],
    ) -> Result<Source, ScenarioError> {
        let mut tree: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| ScenarioError::Invalid {
                    problems: vec![Problem::new("", e.to_string())],
                })?;
        for s in sets {
            let (k, v) = s.split_once('=').unwrap();
            let v: toml::Value = format!("x = {v}")
                .parse::<toml::Table>()
                .map(|t| t["x"].clone())
                .unwrap_or(toml::Value::String(v.into()));
            let parts: Vec<&str> = k.split('.').collect();
            let mut t = &mut tree;
            for p in &parts[..parts.len() - 1] {
                t = t
                    .entry(p.to_string())
                    .or_insert(toml::Value::Table(Default::default()))
                    .as_table_mut()
                    .unwrap();
            }
            t.insert(parts[parts.len() - 1].to_string(), v);
        }
        Ok(Source { tree })
    }
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, Vec<Problem>> {
        toml::Value::Table(self.tree.clone())
            .try_into()
            .map_err(|e: toml::de::Error| vec![Problem::new("", e.to_string())])
    }
    pub fn locate_all(&self, p: Vec<Problem>) -> Vec<Problem> {
        p
    }
    pub fn locate(&self, _k: &str) -> Option<Location> {
        None
    }
}
