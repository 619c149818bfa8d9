//! Reading a scenario's TOML: syntax errors with file, line and column,
//! `extends` chains, `--set PATH=VALUE` overrides, and the place where every
//! key was written, so that each [`Problem`] can point at it.
//!
//! A [`Source`] is the merged key tree (what the scenario says after
//! `extends` and `--set`) plus an origin for every key path. Deserializing it
//! with [`Source::deserialize`] reports every serde error in the tree at once
//! instead of only the first.
//!
//! # `extends`
//!
//! A top-level `extends = "base.toml"` loads `base.toml` (relative to the
//! directory of the file that names it) first and merges the file over it:
//! tables merge key by key, a distribution (a table with `dist`) and any
//! other value (arrays included) replace the base's. `extends =
//! "builtin:default"` names the built-in default scenario.
//!
//! # `--set PATH=VALUE`
//!
//! Applied in order after merging. `VALUE` is read as a TOML value (`5`,
//! `2.5`, `true`, `"text"`, `[1, 2]`, `{ dist = "constant", value = 3 }`);
//! anything that is not a TOML value, and TOML dates and times such as
//! `08:00`, is taken as plain text. `PATH` is dotted, segments may be quoted
//! (`units."vc norr".staff`), and array elements are written `shifts[0]` or
//! `shifts.0`. Missing tables on the way are created. A table `VALUE` is
//! merged over the table there exactly as a variant file's would be.

mod collect;
pub use collect::Removed;
pub(crate) use set::SET_PREFIX;
mod de;
mod name;
mod path;
mod set;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Location, Problem, ScenarioError};
pub use name::{MAX_NAME_BYTES, NAME_HINT, check_file_name, closest};
use path::{KeyPath, Seg, format_path, parse_path, resolve};

/// The value of `extends` that names the built-in default scenario.
pub const BUILTIN_EXTENDS: &str = "builtin:default";

/// Largest scenario, `extends` or sweep file read, in bytes: far above any
/// real scenario (a whole region is a few kB), far below what would exhaust
/// memory.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a scenario, `extends` or sweep file as text: only regular files
/// (not `/dev/zero`, a pipe or a folder), and at most [`MAX_FILE_BYTES`],
/// checked while reading, so a huge or endless file fails at once.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a scenario is a TOML text file)",
        ));
    }
    let too_big = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "larger than {} MiB; a scenario is a small text file",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text (save the file as UTF-8)",
        )
    })
}

/// Hint attached to TOML syntax errors.
const SYNTAX_HINT: &str = "check quotes, brackets and `key = value` syntax";

/// Where each key path was written.
type Origins = BTreeMap<KeyPath, Location>;

/// A scenario's merged key tree plus where each key was written.
#[derive(Clone, Debug)]
pub struct Source {
    /// The merged tree, without `extends`.
    tree: toml::Table,
    /// Where each key path (and array element) was written.
    origins: Origins,
    /// Display name of the top file.
    file: String,
    /// What the `--set`s left to doubt (a key set twice to different
    /// values), for the scenario's warnings.
    set_warnings: Vec<Problem>,
}

impl Source {
    /// Reads `path` (following `extends` chains) or, if `None`, the built-in
    /// default text given as `builtin = (display name, TOML text)`, then
    /// applies the `--set PATH=VALUE` overrides `sets` in order.
    ///
    /// A top file that cannot be read is [`ScenarioError::Read`]; everything
    /// else (syntax errors, unreadable or cyclic `extends`, malformed
    /// `--set`) is [`ScenarioError::Invalid`] with located problems.
    pub fn load(
        path: Option<&Path>,
        builtin: (&str, &str),
        sets: &[String],
    ) -> Result<Source, ScenarioError> {
        let mut loader = Loader {
            builtin,
            stack: Vec::new(),
        };
        let (file, layer) = match path {
            Some(p) => {
                let text = read_text(p).map_err(|source| ScenarioError::Read {
                    path: p.to_path_buf(),
                    source,
                })?;
                let file = p.display().to_string();
                let layer = loader.layer(identity(p), &file, &text, p.parent());
                (file, layer)
            }
            None => (
                builtin.0.to_string(),
                loader.layer(BUILTIN_EXTENDS.into(), builtin.0, builtin.1, None),
            ),
        };
        let layer = layer.map_err(|problems| ScenarioError::Invalid { problems })?;
        Self::finish(file, layer, sets)
    }

    /// Same as [`Source::load`] from an in-memory text: `file` names it in
    /// messages and `extends` paths are relative to `base_dir` (the current
    /// directory when `None`). `extends = "builtin:default"` names
    /// [`super::builtin::DEFAULT_SCENARIO`].
    pub fn from_str(
        file: &str,
        text: &str,
        base_dir: Option<&Path>,
        sets: &[String],
    ) -> Result<Source, ScenarioError> {
        let mut loader = Loader {
            builtin: super::builtin::DEFAULT_SCENARIO,
            stack: Vec::new(),
        };
        let ident = match base_dir {
            Some(d) => identity(&d.join(file)),
            None => format!("<text {file}>"),
        };
        let layer = loader
            .layer(ident, file, text, base_dir)
            .map_err(|problems| ScenarioError::Invalid { problems })?;
        Self::finish(file.to_string(), layer, sets)
    }

    /// Reads the scenario at `path` on another base: its own keys (the file
    /// without its `extends`) over `base`'s merged tree, then the `--set`
    /// overrides `sets`. What `vardsim compare --rebase` runs: a method
    /// preset written as changes to the default, measured on another unit.
    pub fn load_over(path: &Path, base: &Source, sets: &[String]) -> Result<Source, ScenarioError> {
        let text = read_text(path).map_err(|source| ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let file = path.display().to_string();
        let mut own =
            parse_text(&file, &text).map_err(|problems| ScenarioError::Invalid { problems })?;
        let extends_key = vec![Seg::Key("extends".into())];
        own.tree.remove("extends");
        own.origins.retain(|k, _| !k.starts_with(&extends_key));
        let base = Layer {
            tree: base.tree.clone(),
            origins: base.origins.clone(),
        };
        Self::finish(file, merge(base, own), sets)
    }

    fn finish(file: String, layer: Layer, sets: &[String]) -> Result<Source, ScenarioError> {
        let mut source = Source {
            tree: layer.tree,
            origins: layer.origins,
            file,
            set_warnings: set::repeated(sets),
        };
        let problems = set::apply_all(&mut source.tree, &mut source.origins, sets);
        if problems.is_empty() {
            Ok(source)
        } else {
            Err(ScenarioError::Invalid { problems })
        }
    }

    /// Warnings about the `--set`s themselves (located at the `--set`).
    pub fn set_warnings(&self) -> &[Problem] {
        &self.set_warnings
    }

    /// The merged key tree (after `extends` and `--set`; `extends` removed).
    pub fn tree(&self) -> &toml::Table {
        &self.tree
    }

    /// Display name of the top file (the path as given, or the built-in
    /// default's name).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where the key at a dotted path was written
    /// (`units.vc.staff.nurse.count`; array elements as `shifts[2]` or
    /// `shifts.2`; quoted segments allowed). Falls back to the longest prefix
    /// of the path that is known; `None` if not even the first key is.
    pub fn locate(&self, key: &str) -> Option<Location> {
        let path = match parse_path(key) {
            Ok(p) => p,
            // A key that is not a valid path (e.g. a key containing `[`):
            // fall back to plain dot splitting.
            Err(_) => key
                .split('.')
                .filter(|s| !s.is_empty())
                .map(|s| Seg::Key(s.to_string()))
                .collect(),
        };
        self.locate_path(&resolve(&path, &self.tree))
    }

    /// Location of the longest known prefix of `path`.
    fn locate_path(&self, path: &[Seg]) -> Option<Location> {
        (1..=path.len())
            .rev()
            .find_map(|n| self.origins.get(&path[..n]))
            .cloned()
    }

    /// Location for a problem at `key`: [`Source::locate`], or the top file
    /// as a whole when nothing matches.
    fn locate_or_file(&self, key: &str) -> Location {
        self.locate(key).unwrap_or_else(|| Location {
            file: self.file.clone(),
            line: 0,
            column: 0,
        })
    }

    /// Deserializes the whole tree into `T`, collecting every error rather
    /// than only the first: after each error the offending key is removed
    /// and deserialization retried, so independent mistakes are all
    /// reported. Problems carry key paths, locations, friendly messages and
    /// hints (`did you mean …?` for misspelt keys), in file order.
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, Vec<Problem>> {
        collect::deserialize_all(self)
    }

    /// As [`Source::deserialize`], but also returns the value read once the
    /// offending keys were removed (when that succeeds), so that semantic
    /// validation can run on the rest and report its problems in the same go.
    /// The third part maps key paths of the value read back to the file's
    /// (elements removed from an array shift the indices after them).
    pub fn deserialize_partial<T: serde::de::DeserializeOwned>(
        &self,
    ) -> (Option<T>, Vec<Problem>, Removed) {
        collect::deserialize_partial(self)
    }

    /// Fills in the `location` of problems that have none (those from
    /// semantic validation, which knows only key paths), from their keys.
    pub fn locate_all(&self, problems: Vec<Problem>) -> Vec<Problem> {
        problems
            .into_iter()
            .map(|p| {
                if p.location.is_some() {
                    p
                } else {
                    let loc = self.locate_or_file(&p.key);
                    p.at(Some(loc))
                }
            })
            .collect()
    }
}

/// One file's tree and origins (after its own `extends` were merged in).
struct Layer {
    tree: toml::Table,
    origins: Origins,
}

/// Follows `extends` chains.
struct Loader<'b> {
    builtin: (&'b str, &'b str),
    /// (identity, display name) of the files being loaded, outermost first.
    stack: Vec<(String, String)>,
}

/// What identifies a file for cycle detection.
fn identity(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

impl Loader<'_> {
    /// Parses one file and, if it `extends` another, loads that first and
    /// merges this one over it.
    fn layer(
        &mut self,
        ident: String,
        file: &str,
        text: &str,
        base_dir: Option<&Path>,
    ) -> Result<Layer, Vec<Problem>> {
        self.stack.push((ident, file.to_string()));
        let result = self.layer_inner(file, text, base_dir);
        self.stack.pop();
        result
    }

    fn layer_inner(
        &mut self,
        file: &str,
        text: &str,
        base_dir: Option<&Path>,
    ) -> Result<Layer, Vec<Problem>> {
        let mut layer = parse_text(file, text)?;
        let Some(extends) = layer.tree.remove("extends") else {
            return Ok(layer);
        };
        let extends_key = vec![Seg::Key("extends".into())];
        let at = layer.origins.remove(&extends_key);
        layer.origins.retain(|k, _| !k.starts_with(&extends_key));
        let problem = |message: String, hint: &str| {
            vec![Problem::new("extends", message).hint(hint).at(at.clone())]
        };
        let toml::Value::String(target) = extends else {
            return Err(problem(
                format!(
                    "expected a file path in quotes, found {}",
                    type_name(&extends)
                ),
                "write e.g. `extends = \"base.toml\"` or `extends = \"builtin:default\"`",
            ));
        };
        let (ident, base_file, base_text, base_base_dir) = if target == BUILTIN_EXTENDS {
            (
                BUILTIN_EXTENDS.to_string(),
                self.builtin.0.to_string(),
                self.builtin.1.to_string(),
                None,
            )
        } else {
            let resolved: PathBuf = match base_dir {
                Some(d) => d.join(&target),
                None => PathBuf::from(&target),
            };
            let ident = identity(&resolved);
            let text = if self.stack.iter().any(|(i, _)| *i == ident) {
                // Reported below as a cycle; no need to read.
                String::new()
            } else {
                read_text(&resolved).map_err(|e| {
                    problem(
                        format!("cannot read `{}`: {e}", resolved.display()),
                        "`extends` paths are relative to the directory of the file that contains them",
                    )
                })?
            };
            let dir = resolved.parent().map(Path::to_path_buf);
            (ident, resolved.display().to_string(), text, dir)
        };
        if let Some(pos) = self.stack.iter().position(|(i, _)| *i == ident) {
            let mut chain: Vec<&str> = self.stack[pos..].iter().map(|(_, f)| f.as_str()).collect();
            chain.push(&base_file);
            return Err(problem(
                format!("`extends` forms a cycle: {}", chain.join(" → ")),
                "a scenario may extend a base, which may extend another, but never one of its own extenders; remove one `extends`",
            ));
        }
        let base = self.layer(ident, &base_file, &base_text, base_base_dir.as_deref())?;
        let phantoms = set::phantom_entries_in_file(&base.tree, &layer.tree, &layer.origins);
        if !phantoms.is_empty() {
            return Err(phantoms);
        }
        Ok(merge(base, layer))
    }
}

/// Parses one TOML text into its tree and the origins of its keys.
fn parse_text(file: &str, text: &str) -> Result<Layer, Vec<Problem>> {
    let lines = LineIndex::new(text);
    let spanned = match DeTable::parse(text) {
        Ok(t) => t,
        Err(_) => return Err(vec![syntax_problem(file, text, &lines)]),
    };
    let mut origins = Origins::new();
    record_table(
        spanned.get_ref(),
        &mut Vec::new(),
        file,
        &lines,
        &mut origins,
    );
    // Freed before the second parse: both trees at once (≈ 70 MB for the
    // 200-unit region) left that much of the main thread's heap resident
    // for the whole run, where the worker threads' arenas cannot reuse it.
    drop(spanned);
    // What the spanned parse accepts can still fail as values (an integer
    // beyond i64): locate that error too, at its key.
    let tree: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let Some(span) = e.span() else {
            return vec![syntax_problem(file, text, &lines)];
        };
        let location = lines.location_at(file, span.start);
        let key = origins
            .iter()
            .filter(|(_, l)| l.line == location.line && l.column <= location.column)
            .max_by_key(|(p, l)| (l.column, p.len()))
            .map(|(p, _)| format_path(p))
            .unwrap_or_default();
        let message = e.message().lines().next().unwrap_or("invalid value").trim();
        vec![
            Problem::new(key, format!("invalid value: {message}"))
                .hint("integers must lie within ±9 223 372 036 854 775 807; numbers are written like 2.5 or 1e3")
                .at(Some(location)),
        ]
    })?;
    Ok(Layer { tree, origins })
}

/// The first syntax error in `text` (by position), with the key written on
/// the same line before it when there is one.
fn syntax_problem(file: &str, text: &str, lines: &LineIndex) -> Problem {
    let (partial, errors) = DeTable::parse_recoverable(text);
    let Some(error) = errors
        .iter()
        .min_by_key(|e| e.span().map_or(usize::MAX, |s| s.start))
    else {
        return Problem::new("", "invalid TOML")
            .hint(SYNTAX_HINT)
            .at(Some(Location {
                file: file.into(),
                line: 0,
                column: 0,
            }));
    };
    let offset = error.span().map_or(text.len(), |s| s.start);
    let location = lines.location_at(file, offset);
    let mut origins = Origins::new();
    record_table(
        partial.get_ref(),
        &mut Vec::new(),
        file,
        lines,
        &mut origins,
    );
    let key = origins
        .iter()
        .filter(|(p, l)| {
            matches!(p.last(), Some(Seg::Key(_)))
                && l.line == location.line
                && l.column <= location.column
        })
        .max_by_key(|(p, l)| (l.column, p.len()))
        .map(|(p, _)| format_path(p))
        .unwrap_or_default();
    let first_line = error.message().lines().next().unwrap_or("").trim();
    let message = first_line
        .strip_suffix(", expected nothing")
        .unwrap_or(first_line);
    let message = if message.is_empty() {
        "invalid TOML"
    } else {
        message
    };
    // A key written twice: name it and where it was first written (the
    // error's span is the second one; the partial tree holds the first).
    if message == "duplicate key" {
        let span = error.span().unwrap_or(offset..offset);
        let name = text
            .get(span)
            .unwrap_or("")
            .trim()
            .trim_matches(['[', ']', '"', '\''])
            .trim();
        let name = name.rsplit('.').next().unwrap_or(name).trim();
        let first = origins
            .iter()
            .filter(|(p, l)| {
                matches!(p.last(), Some(Seg::Key(k)) if k == name) && l.line < location.line
            })
            .max_by_key(|(_, l)| l.line);
        // A table header's first writing is not kept apart from its second.
        let (key, first_line) = match first {
            Some((path, first)) => (
                format_path(path),
                format!(", first written on line {}", first.line),
            ),
            None => (key, String::new()),
        };
        return Problem::new(
            key,
            format!("TOML syntax error: duplicate key `{name}`{first_line}"),
        )
        .hint("write each key once in a table, and each [table] header once: keep one of the two")
        .at(Some(location));
    }
    Problem::new(key, format!("TOML syntax error: {message}"))
        .hint(SYNTAX_HINT)
        .at(Some(location))
}

/// Records where every key and array element below `table` was written.
fn record_table(
    table: &DeTable<'_>,
    path: &mut KeyPath,
    file: &str,
    lines: &LineIndex<'_>,
    origins: &mut Origins,
) {
    for (key, value) in table.iter() {
        path.push(Seg::Key(key.get_ref().to_string()));
        origins.insert(path.clone(), lines.location_at(file, key.span().start));
        record_value(value, path, file, lines, origins);
        path.pop();
    }
}

fn record_value(
    value: &Spanned<DeValue<'_>>,
    path: &mut KeyPath,
    file: &str,
    lines: &LineIndex<'_>,
    origins: &mut Origins,
) {
    match value.get_ref() {
        DeValue::Table(t) => record_table(t, path, file, lines, origins),
        DeValue::Array(a) => {
            for (i, element) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                origins.insert(path.clone(), lines.location_at(file, element.span().start));
                record_value(element, path, file, lines, origins);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Byte offset → 1-based line and column (in characters).
struct LineIndex<'t> {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    text: &'t str,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, text }
    }

    fn location_at(&self, file: &str, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = match self.text.get(start..offset) {
            Some(s) => s.chars().count() + 1,
            None => offset - start + 1,
        };
        Location {
            file: file.to_string(),
            line,
            column,
        }
    }
}

/// Merges `child` over `base` ([`merge_value`]). Origins of replaced
/// subtrees come from the child.
fn merge(mut base: Layer, child: Layer) -> Layer {
    forget_renamed(&mut base.tree, &mut base.origins, |key| {
        child.tree.contains_key(key)
    });
    let mut replaced = Vec::new();
    merge_tables(&mut base.tree, child.tree, &mut Vec::new(), &mut replaced);
    forget_replaced(&mut base.origins, &replaced);
    base.origins.extend(child.origins);
    base
}

/// What a layer over `tree` (a child file, or the `--set`s together) that
/// writes the top-level keys `writes` says of the base's names: a label
/// names its scenario, so a layer with its own `name` does not inherit the
/// base's labels (a variant of the default is not "today"); a Swedish
/// description translates the description beside it, so a layer that
/// describes itself anew does not keep the base's.
fn forget_renamed(tree: &mut toml::Table, origins: &mut Origins, writes: impl Fn(&str) -> bool) {
    let renamed = [
        ("name", ["label_en", "label_sv"].as_slice()),
        ("description", ["description_sv"].as_slice()),
    ];
    for (own, inherited) in renamed {
        if !writes(own) {
            continue;
        }
        for &key in inherited {
            if !writes(key) && tree.remove(key).is_some() {
                let at = vec![Seg::Key(key.into())];
                origins.retain(|k, _| !k.starts_with(&at));
            }
        }
    }
}

/// Removes the origins of the subtrees at `replaced`: what was written
/// there is gone, and keeping its place would point problems at it.
fn forget_replaced(origins: &mut Origins, replaced: &[KeyPath]) {
    origins.retain(|k, _| !replaced.iter().any(|r| k.starts_with(r)));
}

/// Merges `child` over `base` key by key; see [`merge_value`].
fn merge_tables(
    base: &mut toml::Table,
    child: toml::Table,
    path: &mut KeyPath,
    replaced: &mut Vec<KeyPath>,
) {
    for group in super::file::ALTERNATIVE_KEYS {
        if group.iter().any(|k| child.contains_key(*k)) {
            for key in group.iter().filter(|k| !child.contains_key(**k)) {
                if base.remove(*key).is_some() {
                    path.push(Seg::Key(key.to_string()));
                    replaced.push(path.clone());
                    path.pop();
                }
            }
        }
    }
    for (key, value) in child {
        path.push(Seg::Key(key.clone()));
        match base.get_mut(&key) {
            Some(slot) => merge_value(slot, value, path, replaced),
            None => {
                replaced.push(path.clone());
                base.insert(key, value);
            }
        }
        path.pop();
    }
}

/// Writes `child` over `base` (at `path`) the way a layer is written over
/// what it extends, and a `--set` over the scenario (one rule for both, so
/// `--set 'units.vc={ listed = 9000 }'` means what the same line in a
/// variant file means): tables merge key by key; anything else, arrays
/// included, replaces the base's and is pushed to `replaced`. A
/// distribution (a table naming its `dist`) is one value and replaces the
/// base's whole: another distribution's parameters would not fit it. One of
/// a table's [`super::file::ALTERNATIVE_KEYS`] drops the others below it.
fn merge_value(
    base: &mut toml::Value,
    child: toml::Value,
    path: &mut KeyPath,
    replaced: &mut Vec<KeyPath>,
) {
    match (base, child) {
        (toml::Value::Table(b), toml::Value::Table(c))
            if !c.get("dist").is_some_and(toml::Value::is_str) =>
        {
            merge_tables(b, c, path, replaced);
        }
        (base, child) => {
            replaced.push(path.clone());
            *base = child;
        }
    }
}

/// `a string`, `an integer`, … for messages.
fn type_name(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date/time",
        toml::Value::Array(_) => "an array",
        toml::Value::Table(_) => "a table",
    }
}
