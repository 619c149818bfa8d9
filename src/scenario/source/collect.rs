//! Deserializing with every error collected, not just the first.
//!
//! Serde stops at the first error. We deserialize a copy of the tree, turn
//! the error into a [`Problem`], remove the offending key from the copy and
//! try again, until deserialization succeeds or makes no more progress.
//! Removing a key can make serde report it as missing; such "missing"
//! errors are ours and suppressed. A genuinely missing key is reported, and
//! the table that lacks it is then removed too (serde has checked all of its
//! other keys by the time it reports a missing one).

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use toml::Value;

use super::path::{KeyPath, Seg, format_path};
use super::set::SET_PREFIX;
use super::{Problem, Source};

/// At most this many errors are collected.
const MAX_ROUNDS: usize = 100;

/// See [`Source::deserialize`].
pub(super) fn deserialize_all<T: DeserializeOwned>(source: &Source) -> Result<T, Vec<Problem>> {
    match deserialize_partial(source) {
        (Some(value), problems) if problems.is_empty() => Ok(value),
        (_, problems) => Err(problems),
    }
}

/// See [`Source::deserialize_partial`].
pub(super) fn deserialize_partial<T: DeserializeOwned>(
    source: &Source,
) -> (Option<T>, Vec<Problem>) {
    let mut state = State {
        work: Value::Table(source.tree.clone()),
        removed_keys: HashSet::new(),
        removed_elements: Vec::new(),
        stand_ins: HashSet::new(),
    };
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let error = match serde_path_to_error::deserialize::<_, T>(state.work.clone()) {
            Ok(value) => return (Some(value), sort_problems(problems)),
            Err(e) => e,
        };
        let message = error.inner().message().trim().to_string();
        let Some(path) = convert(error.path()) else {
            // A path serde could not name (non-string map key): report and stop.
            problems.push(Problem::new(error.path().to_string(), message));
            break;
        };
        let step = state.handle(path, &message);
        if let Some(problem) = step.problem {
            let key = problem.key.clone();
            let located = if problem.location.is_some() {
                problem
            } else {
                let loc = source.locate_or_file(&key);
                problem.at(Some(loc))
            };
            if !seen.insert((key, located.message.clone())) {
                break;
            }
            problems.push(located);
        }
        if !step.progressed {
            break;
        }
    }
    if problems.is_empty() {
        // Only reachable if deserialization kept failing in ways we could not
        // attribute; say so rather than claim success.
        problems.push(
            Problem::new("", "the scenario could not be read").at(Some(source.locate_or_file(""))),
        );
    }
    (None, sort_problems(problems))
}

/// The working copy and what has been removed from it so far.
struct State {
    work: Value,
    /// Paths (in the original tree's coordinates) removed from `work`.
    removed_keys: HashSet<KeyPath>,
    /// Array elements removed from `work`: (array path, original index).
    removed_elements: Vec<(KeyPath, usize)>,
    /// Paths (in `work`) whose wrong value was replaced by a stand-in of the
    /// expected type.
    stand_ins: HashSet<KeyPath>,
}

/// What one error led to.
struct Step {
    problem: Option<Problem>,
    /// Whether `work` changed, so that retrying can find something new.
    progressed: bool,
}

impl State {
    fn handle(&mut self, path: KeyPath, message: &str) -> Step {
        match Kind::of(message) {
            Kind::UnknownField { name, expected } => {
                let full = self.unknown_field_path(path, &name);
                let original = self.original(&full);
                let problem =
                    Problem::new(format_path(&original), format!("unknown key `{name}`")).hint(
                        choices_hint(&name, &expected, "keys", "this table takes no keys"),
                    );
                let progressed = self.remove(&full);
                Step {
                    problem: Some(problem),
                    progressed,
                }
            }
            Kind::MissingField { name } => {
                let parent = self.original(&path);
                let mut full = parent.clone();
                full.push(Seg::Key(name.clone()));
                let problem = if self.removed_keys.contains(&full) {
                    None
                } else {
                    let where_ = if parent.is_empty() {
                        "at the top of the file".to_string()
                    } else {
                        format!("in `{}`", format_path(&parent))
                    };
                    Some(
                        Problem::new(format_path(&full), format!("missing required key `{name}`"))
                            .hint(format!("add `{name} = …` {where_}")),
                    )
                };
                let progressed = self.remove(&path);
                Step {
                    problem,
                    progressed,
                }
            }
            Kind::Other => {
                let path = self.refine(path, message);
                // A stand-in that its type still refuses (an empty string
                // where an enum's text is expected): already reported.
                if self.stand_ins.contains(&path) {
                    let progressed = self.remove(&path);
                    return Step {
                        problem: None,
                        progressed,
                    };
                }
                let original = self.original(&path);
                let written = get(&self.work, &path).and_then(describe);
                let (text, hint) = friendly(message, &original, written.as_deref());
                let mut problem = Problem::new(format_path(&original), text);
                if let Some(h) = hint {
                    problem = problem.hint(h);
                }
                // A value of the wrong type is replaced by a stand-in of the
                // right one rather than removed: removing a required key
                // would drop its whole table, hiding that table's other
                // problems (the loader drops semantic problems at the key).
                let progressed = self.stand_in(&path, message) || self.remove(&path);
                Step {
                    problem: Some(problem),
                    progressed,
                }
            }
        }
    }

    /// serde_path_to_error names the unknown key itself for plain structs,
    /// but only its table for buffered ones (internally tagged enums).
    fn unknown_field_path(&self, mut path: KeyPath, name: &str) -> KeyPath {
        let names_key = path.last() == Some(&Seg::Key(name.to_string()));
        let is_table_with_key = get(&self.work, &path)
            .and_then(Value::as_table)
            .is_some_and(|t| t.contains_key(name));
        if !names_key || is_table_with_key {
            path.push(Seg::Key(name.to_string()));
        }
        path
    }

    /// For a wrong type inside a buffered value (internally tagged or
    /// untagged enum) serde names only the table; if exactly one key of the
    /// table holds the offending value, point at that key instead.
    fn refine(&self, mut path: KeyPath, message: &str) -> KeyPath {
        let found = ["invalid type: ", "invalid value: "]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|rest| rest.rfind(", expected ").map(|i| &rest[..i]));
        let (Some(found), Some(table)) = (found, get(&self.work, &path).and_then(Value::as_table))
        else {
            return path;
        };
        let mut matching = table
            .iter()
            .filter(|(_, v)| describe(v).as_deref() == Some(found));
        if let (Some((key, _)), None) = (matching.next(), matching.next()) {
            path.push(Seg::Key(key.clone()));
        }
        path
    }

    /// The path in the original tree of a path in `work` (array indices
    /// shift when elements are removed).
    fn original(&self, path: &[Seg]) -> KeyPath {
        let mut out: KeyPath = Vec::with_capacity(path.len());
        for seg in path {
            match seg {
                Seg::Key(k) => out.push(Seg::Key(k.clone())),
                Seg::Index(i) => {
                    let mut removed: Vec<usize> = self
                        .removed_elements
                        .iter()
                        .filter(|(a, _)| *a == out)
                        .map(|&(_, r)| r)
                        .collect();
                    removed.sort_unstable();
                    let mut j = *i;
                    for r in removed {
                        if r <= j {
                            j += 1;
                        }
                    }
                    out.push(Seg::Index(j));
                }
            }
        }
        out
    }

    /// Replaces a scalar of the wrong type at `path` by a neutral value of the
    /// type `message` expected; false when there is none or it was tried.
    fn stand_in(&mut self, path: &[Seg], message: &str) -> bool {
        let expected = ["invalid type: ", "invalid value: "]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|rest| rest.rfind(", expected ").map(|i| &rest[i + 11..]));
        let value = match expected {
            Some("u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64") => {
                Value::Integer(0)
            }
            Some("f32" | "f64") => Value::Float(0.0),
            Some("a string" | "a borrowed string") => Value::String(String::new()),
            Some("a boolean") => Value::Boolean(false),
            _ => return false,
        };
        if path.is_empty() || !self.stand_ins.insert(path.to_vec()) {
            return false;
        }
        match get_mut(&mut self.work, path) {
            Some(slot) if !slot.is_table() && !slot.is_array() => {
                *slot = value;
                true
            }
            _ => false,
        }
    }

    /// Removes the value at `path` (in `work` coordinates) from `work`.
    fn remove(&mut self, path: &[Seg]) -> bool {
        let Some((last, parent)) = path.split_last() else {
            return false;
        };
        let original = self.original(path);
        let removed = match (get_mut(&mut self.work, parent), last) {
            (Some(Value::Table(t)), Seg::Key(k)) => t.remove(k).is_some(),
            (Some(Value::Array(a)), Seg::Index(i)) if *i < a.len() => {
                a.remove(*i);
                if let Some((Seg::Index(orig), array)) = original.split_last() {
                    self.removed_elements.push((array.to_vec(), *orig));
                }
                true
            }
            _ => false,
        };
        if removed {
            self.removed_keys.insert(original);
        }
        removed
    }
}

fn get<'v>(root: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(root, |v, seg| match (v, seg) {
        (Value::Table(t), Seg::Key(k)) => t.get(k),
        (Value::Array(a), Seg::Index(i)) => a.get(*i),
        _ => None,
    })
}

fn get_mut<'v>(root: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    path.iter().try_fold(root, |v, seg| match (v, seg) {
        (Value::Table(t), Seg::Key(k)) => t.get_mut(k),
        (Value::Array(a), Seg::Index(i)) => a.get_mut(*i),
        _ => None,
    })
}

/// serde_path_to_error's path as ours; `None` if a segment is unnamed.
fn convert(path: &serde_path_to_error::Path) -> Option<KeyPath> {
    path.iter()
        .map(|seg| match seg {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Map { key } => Some(Seg::Key(key.clone())),
            Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

/// How serde's value would be described in an `invalid type` message
/// (`string "x"`, ``integer `3` ``), for scalars.
fn describe(value: &Value) -> Option<String> {
    Some(match value {
        Value::String(s) => format!("string {s:?}"),
        Value::Integer(i) => format!("integer `{i}`"),
        Value::Float(f) => {
            let mut text = f.to_string();
            if f.is_finite() && !text.contains('.') {
                text.push_str(".0");
            }
            format!("floating point `{text}`")
        }
        Value::Boolean(b) => format!("boolean `{b}`"),
        _ => return None,
    })
}

/// The errors whose handling differs.
enum Kind {
    UnknownField { name: String, expected: Vec<String> },
    MissingField { name: String },
    Other,
}

impl Kind {
    fn of(message: &str) -> Kind {
        if message.starts_with("unknown field `") {
            let mut names = backticked(message);
            if !names.is_empty() {
                let name = names.remove(0);
                return Kind::UnknownField {
                    name,
                    expected: names,
                };
            }
        }
        if message.starts_with("missing field `")
            && let Some(name) = backticked(message).into_iter().next()
        {
            return Kind::MissingField { name };
        }
        Kind::Other
    }
}

/// Every `quoted` word in a serde message.
fn backticked(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// `did you mean `per_hour`? valid keys here: a, b`.
fn choices_hint(name: &str, expected: &[String], what: &str, none: &str) -> String {
    if expected.is_empty() {
        return none.to_string();
    }
    let list = format!("valid {what} here: {}", expected.join(", "));
    match did_you_mean(name, expected) {
        Some(best) => format!("did you mean `{best}`? {list}"),
        None => list,
    }
}

/// The candidate closest to `name`: within edit distance 2, or else the
/// only one that `name` is a prefix of or that is a prefix of `name`
/// (`horizon` → `horizon_days`).
fn did_you_mean<'c>(name: &str, candidates: &'c [String]) -> Option<&'c str> {
    let lower = name.to_lowercase();
    let close = candidates
        .iter()
        .map(|c| (levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2 && *d < c.chars().count().max(name.chars().count()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str());
    if close.is_some() || lower.chars().count() < 4 {
        return close;
    }
    let mut prefixed = candidates.iter().filter(|c| {
        let c = c.to_lowercase();
        c.starts_with(&lower) || lower.starts_with(&c)
    });
    match (prefixed.next(), prefixed.next()) {
        (Some(only), None) => Some(only.as_str()),
        _ => None,
    }
}

/// Edit distance (insertions, deletions, substitutions) in characters.
pub(super) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// serde's message in scenario terms, plus a hint; `written` describes the
/// value the file holds at the key, when it is a scalar.
fn friendly(message: &str, path: &[Seg], written: Option<&str>) -> (String, Option<String>) {
    let key = path
        .iter()
        .rev()
        .find_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .unwrap_or("key");
    let split = |rest: &str| -> Option<(String, String)> {
        let i = rest.rfind(", expected ")?;
        Some((
            rest[..i].to_string(),
            rest[i + ", expected ".len()..].to_string(),
        ))
    };
    // The TOML reader describes a number or boolean given for a closed set of
    // words as a "unit variant" expected as "string only": say what was
    // written and that the value is one of the set's words, in quotes.
    if message == "invalid type: unit variant, expected string only" {
        return (
            format!(
                "expected one of this key's words as text, found {}",
                written.unwrap_or("a value that is not text")
            ),
            Some(format!(
                "write the word in quotes, e.g. {key} = \"…\"; `vardsim schema` and docs/scenario.md list the words"
            )),
        );
    }
    if let Some((found, expected)) = message.strip_prefix("invalid type: ").and_then(split) {
        let (what, hint) = expected_text(&expected, key);
        return (
            format!("expected {what}, found {}", found_text(&found)),
            hint,
        );
    }
    if let Some((found, expected)) = message.strip_prefix("invalid value: ").and_then(split) {
        let what = int_range(&expected).unwrap_or_else(|| expected_text(&expected, key).0);
        return (
            format!("expected {what}, found {}", found_text(&found)),
            None,
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((n, expected)) = split(rest)
    {
        return (
            format!(
                "expected {expected}, found {n} element{}",
                if n == "1" { "" } else { "s" }
            ),
            None,
        );
    }
    if message.starts_with("unknown variant `") {
        let mut names = backticked(message);
        if !names.is_empty() {
            let name = names.remove(0);
            return unknown_value(&name, &names, path);
        }
    }
    if let Some(name) = message.strip_prefix("data did not match any variant of untagged enum ") {
        return (
            format!("the value has none of the accepted forms ({name})"),
            Some("see docs/scenario.md for the forms this key accepts".to_string()),
        );
    }
    (message.to_string(), None)
}

/// A value outside a closed set (serde's "unknown variant"): the message
/// lists every allowed value; the hint suggests the closest or shows how to
/// write one.
fn unknown_value(name: &str, allowed: &[String], path: &[Seg]) -> (String, Option<String>) {
    let Some(first) = allowed.first() else {
        return (
            format!("unknown value `{name}`"),
            Some("no value is accepted here".to_string()),
        );
    };
    let list: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
    let example = match path {
        // The value is a key of a table (`channel_weight.<channel>`).
        [.., Seg::Key(k)] if k == name => format!("`{first} = …`"),
        [.., Seg::Key(k), Seg::Index(_)] => format!("`{k} = [\"{first}\"]`"),
        [.., Seg::Key(k)] => format!("`{k} = \"{first}\"`"),
        _ => format!("`\"{first}\"`"),
    };
    let hint = match did_you_mean(name, allowed) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("write one of them exactly, e.g. {example}"),
    };
    (
        format!("expected one of {}, found `{name}`", list.join(", ")),
        Some(hint),
    )
}

/// What serde expected, in scenario words, plus how to write it.
fn expected_text(expected: &str, key: &str) -> (String, Option<String>) {
    let int = |t: &str| -> (String, Option<String>) {
        (
            format!("an integer ({t})"),
            Some(format!(
                "write a whole number without quotes, e.g. `{key} = 4`"
            )),
        )
    };
    match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" => int(expected),
        "f32" | "f64" => (
            format!("a number ({expected})"),
            Some(format!("write a number without quotes, e.g. `{key} = 2.5`")),
        ),
        "a string" | "a borrowed string" | "a character" => (
            expected.replace("a borrowed string", "a string"),
            Some(format!("put text in quotes, e.g. `{key} = \"…\"`")),
        ),
        "a boolean" => (
            "true or false".to_string(),
            Some(format!(
                "write `{key} = true` or `{key} = false` (no quotes)"
            )),
        ),
        "a sequence" => (
            "an array".to_string(),
            Some(format!("write an array, e.g. `{key} = [ … ]`")),
        ),
        e if e == "a map"
            || e.starts_with("struct ")
            || e.starts_with("internally tagged enum") =>
        {
            (
                "a table".to_string(),
                Some(format!(
                    "write a `[… .{key}]` section or an inline table `{key} = {{ … }}`"
                )),
            )
        }
        e => (e.to_string(), None),
    }
}

/// `an integer from 0 to 4294967295 (u32)` for integer types.
fn int_range(expected: &str) -> Option<String> {
    let (lo, hi): (i128, u128) = match expected {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX as u128),
        "i16" => (i16::MIN.into(), i16::MAX as u128),
        "i32" => (i32::MIN.into(), i32::MAX as u128),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX as u128),
        _ => return None,
    };
    Some(format!("an integer from {lo} to {hi} ({expected})"))
}

/// serde's description of what was found, in scenario words.
fn found_text(found: &str) -> String {
    match found {
        "map" => "a table".to_string(),
        "sequence" => "an array".to_string(),
        f => f.to_string(),
    }
}

/// File order: problems grouped by file (in order of first appearance, the
/// command line's `--set`s after the files), then by line and column;
/// unlocated ones last.
fn sort_problems(mut problems: Vec<Problem>) -> Vec<Problem> {
    let mut files: Vec<String> = Vec::new();
    for p in &problems {
        if let Some(l) = &p.location
            && !files.contains(&l.file)
        {
            files.push(l.file.clone());
        }
    }
    problems.sort_by_key(|p| match &p.location {
        Some(l) => (
            u8::from(l.file.starts_with(SET_PREFIX)),
            files
                .iter()
                .position(|f| *f == l.file)
                .unwrap_or(usize::MAX),
            l.line,
            l.column,
        ),
        None => (2, usize::MAX, 0, 0),
    });
    problems
}
