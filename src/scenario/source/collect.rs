//! Deserializing with every error collected, not just the first.
//!
//! The tree is read through `de::ValueDe`, whose errors are data
//! (`DeError`): each kind of error becomes a [`Problem`] from its fields,
//! never from serde's message text. Serde stops at the first error. We
//! deserialize the tree, turn the error into a [`Problem`], remove the
//! offending key from a working copy (or put a stand-in of the right kind in
//! its place) and try again, until deserialization succeeds or makes no more
//! progress. Removing a key can make serde report it as missing; such
//! "missing" errors are ours and suppressed. A genuinely missing key is
//! reported, and the table that lacks it is then removed too (serde has
//! checked all of its other keys by the time it reports a missing one).

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use toml::Value;

use super::de::{DeError, Found, ValueDe, Want};
use super::path::{KeyPath, Seg, format_path};
use super::set::SET_PREFIX;
use super::{Problem, Source};
use crate::scenario::bounded::Inside;

/// At most this many errors are collected.
const MAX_ROUNDS: usize = 100;

/// See [`Source::deserialize`].
pub(super) fn deserialize_all<T: DeserializeOwned>(source: &Source) -> Result<T, Vec<Problem>> {
    match deserialize_partial(source) {
        (Some(value), problems, _) if problems.is_empty() => Ok(value),
        (_, problems, _) => Err(problems),
    }
}

/// Array elements the collector removed from the tree before the value
/// was read: the value's arrays are shorter, so a key path into them (a
/// semantic problem's `shifts[1]`) names an element of the file only once
/// mapped back ([`Removed::original_key`]).
#[derive(Debug, Default)]
pub struct Removed {
    /// (array path, original index) of each removed element.
    elements: Vec<(KeyPath, usize)>,
}

impl Removed {
    /// The path in the original tree of a path in the value read (array
    /// indices shift when elements are removed).
    fn original(&self, path: &[Seg]) -> KeyPath {
        let mut out: KeyPath = Vec::with_capacity(path.len());
        for seg in path {
            match seg {
                Seg::Key(k) => out.push(Seg::Key(k.clone())),
                Seg::Index(i) => {
                    let mut removed: Vec<usize> = self
                        .elements
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

    /// The dotted key `key` of the value read as the file wrote it (the
    /// same text when no index moved).
    pub fn original_key(&self, key: &str) -> String {
        if self.elements.is_empty() {
            return key.to_string();
        }
        match super::path::parse_path(key) {
            Ok(path) => {
                let original = self.original(&path);
                if original == path {
                    key.to_string()
                } else {
                    format_path(&original)
                }
            }
            Err(_) => key.to_string(),
        }
    }
}

/// See [`Source::deserialize_partial`].
pub(super) fn deserialize_partial<T: DeserializeOwned>(
    source: &Source,
) -> (Option<T>, Vec<Problem>, Removed) {
    let mut state = State {
        work: Value::Table(source.tree.clone()),
        removed_keys: HashSet::new(),
        removed: Removed::default(),
        stand_ins: HashMap::new(),
        missing: HashMap::new(),
    };
    let mut problems: Vec<Problem> = Vec::new();
    let mut seen = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let error = match serde_path_to_error::deserialize::<_, T>(ValueDe(&state.work)) {
            Ok(value) => return (Some(value), sort_problems(problems), state.removed),
            Err(e) => e,
        };
        let Some(path) = convert(error.path()) else {
            // A path serde could not name (non-string map key): report and stop.
            problems.push(Problem::new(
                error.path().to_string(),
                error.inner().to_string(),
            ));
            break;
        };
        let step = state.handle(path, error.into_inner());
        if let Some(amend) = step.amend
            && let Some(p) = problems.iter_mut().rev().find(|p| p.key == amend.key)
        {
            p.message = amend.message;
            if amend.hint.is_some() {
                p.hint = amend.hint;
            }
        }
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
    (None, sort_problems(problems), state.removed)
}

/// The working copy and what has been removed from it so far.
struct State {
    work: Value,
    /// Paths (in the original tree's coordinates) removed from `work`.
    removed_keys: HashSet<KeyPath>,
    /// Array elements removed from `work`.
    removed: Removed,
    /// Paths (in `work`) whose wrong value was replaced by a stand-in of the
    /// expected kind, with what the file held there.
    stand_ins: HashMap<KeyPath, StandIn>,
    /// Missing keys (in `work`) given a stand-in, with the values tried.
    missing: HashMap<KeyPath, usize>,
}

/// A value put in place of a refused one.
struct StandIn {
    /// What the file held, as the problem said.
    found: Found,
    /// The kind of value wanted, when the file's was of another kind: its
    /// hint is said again once the type has named its bound.
    want: Option<Want>,
    /// Stand-ins tried at this path (a type may refuse the first one).
    tries: usize,
}

/// What one error led to.
struct Step {
    problem: Option<Problem>,
    /// The problem already reported at this key, said more precisely: the
    /// stand-in's type named its bound.
    amend: Option<Amend>,
    /// Whether `work` changed, so that retrying can find something new.
    progressed: bool,
}

/// A reported problem said again with its key's bound.
struct Amend {
    /// The problem's key.
    key: String,
    /// The new message.
    message: String,
    /// The new hint, if it changes (its example now inside the bound).
    hint: Option<String>,
}

impl Step {
    fn reported(problem: Problem, progressed: bool) -> Step {
        Step {
            problem: Some(problem),
            amend: None,
            progressed,
        }
    }
}

impl State {
    fn handle(&mut self, path: KeyPath, error: DeError) -> Step {
        if self.missing.contains_key(&path) {
            return self.missing_refused(path, error);
        }
        if self.stand_ins.contains_key(&path) {
            return self.stand_in_refused(path, error);
        }
        match error {
            DeError::UnknownField { name, expected } => {
                let full = self.unknown_field_path(path, &name);
                let original = self.original(&full);
                let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
                let problem =
                    Problem::new(format_path(&original), format!("unknown key `{name}`")).hint(
                        choices_hint(&name, &expected, "keys", "this table takes no keys"),
                    );
                let progressed = self.remove(&full);
                Step::reported(problem, progressed)
            }
            DeError::MissingField(name) => {
                let parent = self.original(&path);
                let mut full = parent.clone();
                full.push(Seg::Key(name.to_string()));
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
                // A value stands in for the missing key, so that the
                // table's other keys (another missing one, say) are still
                // read: its kind is learnt from what serde then refuses.
                let mut key = path.clone();
                key.push(Seg::Key(name.to_string()));
                if problem.is_some()
                    && get(&self.work, &path).is_some_and(Value::is_table)
                    && self.put_missing(&key, Value::Boolean(false))
                {
                    return Step {
                        problem,
                        amend: None,
                        progressed: true,
                    };
                }
                let progressed = self.remove(&path);
                Step {
                    problem,
                    amend: None,
                    progressed,
                }
            }
            DeError::UnknownVariant { name, expected } => {
                let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
                let original = self.original(&path);
                let (text, hint) = unknown_value(&name, &expected, &original);
                let mut problem = Problem::new(format_path(&original), text);
                if let Some(h) = hint {
                    problem = problem.hint(h);
                }
                let progressed = self.remove(&path);
                Step::reported(problem, progressed)
            }
            DeError::WrongType { found, want } => {
                let original = self.original(&path);
                let (text, hint) = wrong_type(&found, want, &original, None);
                let mut problem = Problem::new(
                    format_path(&original),
                    format!("expected {text}, found {found}"),
                );
                if let Some(h) = hint {
                    problem = problem.hint(h);
                }
                // A value of the wrong kind is replaced by a stand-in of the
                // right one rather than removed: removing a required key
                // would drop its whole table, hiding that table's other
                // problems (the loader drops semantic problems at the key).
                // Numbers first stand in with a value outside every bound:
                // a bounded type refuses it naming its bound (the problem is
                // then said with it) and the nearest value it accepts.
                let value = match want {
                    Want::Integer(_) => Some(Value::Integer(i64::MIN)),
                    Want::Number(_) => Some(Value::Float(f64::NAN)),
                    Want::Text => Some(Value::String(String::new())),
                    Want::Bool => Some(Value::Boolean(false)),
                    Want::Word(words) => words.first().map(|w| Value::String(w.to_string())),
                    Want::Array | Want::Table | Want::Unwritable => None,
                };
                let progressed = match value {
                    Some(v) => self.stand_in(&path, v, found, Some(want)),
                    None => false,
                } || self.remove(&path);
                Step::reported(problem, progressed)
            }
            DeError::IntegerRange {
                found,
                ty,
                min,
                max,
            } => {
                let original = self.original(&path);
                let problem = Problem::new(
                    format_path(&original),
                    format!(
                        "expected an integer from {min} to {max} ({ty}), found {}",
                        Found::Integer(found)
                    ),
                );
                let inside = Value::Integer(0i64.clamp(min as i64, max as i64));
                let progressed =
                    self.stand_in(&path, inside, Found::Integer(found), None) || self.remove(&path);
                Step::reported(problem, progressed)
            }
            DeError::Refused(r) => {
                let original = self.original(&path);
                let mut problem = Problem::new(
                    format_path(&original),
                    format!("expected {}, found {}", r.expected, r.found),
                );
                if let Some(h) = r.hint {
                    problem = problem.hint(h);
                }
                let found = get(&self.work, &path).map_or(Found::Other(r.found), Found::of);
                let progressed = match &r.inside {
                    Some(x) => {
                        let v = inside_value(get(&self.work, &path), x);
                        self.stand_in(&path, v, found, None)
                    }
                    None => false,
                } || self.remove(&path);
                Step::reported(problem, progressed)
            }
            DeError::InvalidType { found, expected }
            | DeError::InvalidValue { found, expected } => {
                let path = self.refine(path, &found);
                let original = self.original(&path);
                let problem = Problem::new(
                    format_path(&original),
                    format!("expected {expected}, found {found}"),
                );
                let progressed = self.remove(&path);
                Step::reported(problem, progressed)
            }
            DeError::InvalidLength { len, expected } => {
                let original = self.original(&path);
                let problem = Problem::new(
                    format_path(&original),
                    format!(
                        "expected {expected}, found {len} element{}",
                        if len == 1 { "" } else { "s" }
                    ),
                );
                let progressed = self.remove(&path);
                Step::reported(problem, progressed)
            }
            DeError::DuplicateField(_) | DeError::Custom(_) => {
                let original = self.original(&path);
                let problem = Problem::new(format_path(&original), error_text(&error));
                let progressed = self.remove(&path);
                Step::reported(problem, progressed)
            }
        }
    }

    /// The stand-in at `path` was refused by its type (already reported):
    /// try the value inside the bound that its type named, once, and say the
    /// reported problem with that bound; otherwise (an empty word for a
    /// closed set) remove it: any word would bring checks of its own.
    fn stand_in_refused(&mut self, path: KeyPath, error: DeError) -> Step {
        let tries = self.stand_ins.get(&path).map_or(0, |s| s.tries);
        let (value, amend) = match &error {
            DeError::Refused(r) => (
                r.inside
                    .as_ref()
                    .map(|x| inside_value(get(&self.work, &path), x)),
                self.stand_ins.get(&path).map(|s| {
                    let original = self.original(&path);
                    Amend {
                        message: format!("expected {}, found {}", r.expected, s.found),
                        hint: s
                            .want
                            .and_then(|want| wrong_type(&s.found, want, &original, r.bounds).1),
                        key: format_path(&original),
                    }
                }),
            ),
            // A plain integer type: its range is not a bound worth naming.
            DeError::IntegerRange { min, max, .. } => (
                Some(Value::Integer(0i64.clamp(*min as i64, *max as i64))),
                None,
            ),
            _ => (None, None),
        };
        let progressed = match value {
            Some(v) if tries < 2 => {
                if let Some(s) = self.stand_ins.get_mut(&path) {
                    s.tries += 1;
                }
                self.put(&path, v)
            }
            _ => false,
        } || self.remove(&path);
        Step {
            problem: None,
            amend,
            progressed,
        }
    }

    /// Puts `value` at the missing key `key` (a new key of an existing
    /// table), remembering it as a stand-in for a missing key.
    fn put_missing(&mut self, key: &[Seg], value: Value) -> bool {
        let Some((Seg::Key(name), table)) = key.split_last() else {
            return false;
        };
        match get_mut(&mut self.work, table) {
            Some(Value::Table(t)) => {
                t.insert(name.clone(), value);
                *self.missing.entry(key.to_vec()).or_insert(0) += 1;
                true
            }
            _ => false,
        }
    }

    /// The stand-in for a missing key (already reported) was refused: one
    /// of the kind serde wants, or one inside the bound its type names,
    /// a few times; otherwise its table goes, as it did before stand-ins
    /// (a missing table, say, whose own keys would all be reported).
    fn missing_refused(&mut self, path: KeyPath, error: DeError) -> Step {
        let tries = self.missing.get(&path).copied().unwrap_or(0);
        let value = match &error {
            DeError::WrongType { want, .. } => match want {
                Want::Integer(_) => Some(Value::Integer(0)),
                Want::Number(_) => Some(Value::Float(0.0)),
                Want::Text => Some(Value::String(String::new())),
                Want::Bool => Some(Value::Boolean(false)),
                Want::Word(words) => words.first().map(|w| Value::String(w.to_string())),
                Want::Array => Some(Value::Array(Vec::new())),
                Want::Table | Want::Unwritable => None,
            },
            DeError::Refused(r) => r
                .inside
                .as_ref()
                .map(|x| inside_value(get(&self.work, &path), x)),
            DeError::IntegerRange { min, max, .. } => {
                Some(Value::Integer(0i64.clamp(*min as i64, *max as i64)))
            }
            _ => None,
        };
        let progressed = match value {
            Some(v) if tries < 4 => self.put_missing(&path, v),
            _ => {
                // Give up: the table that lacks the key goes.
                let table = &path[..path.len() - 1];
                self.missing.remove(&path);
                self.remove(table)
            }
        };
        Step {
            problem: None,
            amend: None,
            progressed,
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

    /// For a wrong value inside a buffered value (internally tagged or
    /// untagged enum) serde names only the table; if exactly one key of the
    /// table holds the offending value, point at that key instead.
    fn refine(&self, mut path: KeyPath, found: &Found) -> KeyPath {
        let Some(table) = get(&self.work, &path).and_then(Value::as_table) else {
            return path;
        };
        let mut matching = table.iter().filter(|(_, v)| found.is(v));
        if let (Some((key, _)), None) = (matching.next(), matching.next()) {
            path.push(Seg::Key(key.clone()));
        }
        path
    }

    /// The path in the original tree of a path in `work`.
    fn original(&self, path: &[Seg]) -> KeyPath {
        self.removed.original(path)
    }

    /// Replaces the scalar at `path` by `value`, remembering what the file
    /// held (and the kind wanted, if it was another); false when `path` had
    /// a stand-in already or is not a scalar.
    fn stand_in(&mut self, path: &[Seg], value: Value, found: Found, want: Option<Want>) -> bool {
        if path.is_empty() || self.stand_ins.contains_key(path) {
            return false;
        }
        if !self.put(path, value) {
            return false;
        }
        self.stand_ins.insert(
            path.to_vec(),
            StandIn {
                found,
                want,
                tries: 0,
            },
        );
        true
    }

    /// Overwrites the scalar at `path`.
    fn put(&mut self, path: &[Seg], value: Value) -> bool {
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
                    self.removed.elements.push((array.to_vec(), *orig));
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

/// `inside` as a TOML value; a number of the kind `current` has (an integer
/// stays one).
fn inside_value(current: Option<&Value>, inside: &Inside) -> Value {
    match (inside, current) {
        (Inside::Text(t), _) => Value::String(t.clone()),
        (Inside::Number(x), Some(Value::Integer(_))) if x.fract() == 0.0 => {
            Value::Integer(*x as i64)
        }
        (Inside::Number(x), _) => Value::Float(*x),
    }
}

/// What a `deserialize_*` call wanted, in scenario words, plus how to
/// write it; `bounds` is the key's bound once its type has named it, so
/// that the example lies inside it.
fn wrong_type(
    found: &Found,
    want: Want,
    path: &[Seg],
    bounds: Option<(f64, f64)>,
) -> (String, Option<String>) {
    let key = path
        .iter()
        .rev()
        .find_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .unwrap_or("key");
    match want {
        Want::Integer(ty) => (
            format!("an integer ({ty})"),
            Some(number_hint(found, key, true, bounds)),
        ),
        Want::Number(ty) => (
            format!("a number ({ty})"),
            Some(number_hint(found, key, false, bounds)),
        ),
        Want::Text => (
            "a string".to_string(),
            Some(format!("put text in quotes, e.g. `{key} = \"…\"`")),
        ),
        Want::Bool => (
            "true or false".to_string(),
            Some(format!(
                "write `{key} = true` or `{key} = false` (no quotes)"
            )),
        ),
        Want::Array => (
            "an array".to_string(),
            Some(format!("write an array, e.g. `{key} = [ … ]`")),
        ),
        Want::Table => (
            "a table".to_string(),
            Some(format!(
                "write a `[… .{key}]` section or an inline table `{key} = {{ … }}`"
            )),
        ),
        Want::Word(words) => {
            let list: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
            let quoted = matches!(found, Found::Text(_));
            (
                format!("one of {}", list.join(", ")),
                Some(match words.first() {
                    Some(first) if !quoted => {
                        format!("write the word in quotes, e.g. {key} = \"{first}\"")
                    }
                    _ => "see docs/scenario.md".to_string(),
                }),
            )
        }
        Want::Unwritable => ("a value TOML cannot write".to_string(), None),
    }
}

/// How to write a number (a whole one if `integer`) for `key`. Text that
/// reads as one, maybe with a decimal comma (`"0,1"`, as Swedish writes
/// it), is shown back as the number to write (`key = 0.1`) when it lies
/// inside `bounds`; otherwise the example lies inside them.
fn number_hint(found: &Found, key: &str, integer: bool, bounds: Option<(f64, f64)>) -> String {
    let inside = |x: f64| bounds.is_none_or(|(min, max)| (min..=max).contains(&x));
    let comma = matches!(found, Found::Text(t) if t.contains(','));
    if let Found::Text(text) = found {
        let written = text.trim().replacen(',', ".", 1);
        let whole = !integer || written.parse::<i64>().is_ok();
        if let Ok(x) = written.parse::<f64>()
            && x.is_finite()
            && whole
            && inside(x)
        {
            return if comma {
                format!(
                    "write the number with a decimal point, not a comma, and without quotes: `{key} = {written}`"
                )
            } else {
                format!("write the number without quotes: `{key} = {written}`")
            };
        }
    }
    let example = example_inside(integer, bounds);
    match (integer, comma) {
        (true, _) => format!("write a whole number without quotes, e.g. `{key} = {example}`"),
        (false, true) => format!(
            "write a number with a decimal point, not a comma, and without quotes, e.g. `{key} = {example}`"
        ),
        (false, false) => format!("write a number without quotes, e.g. `{key} = {example}`"),
    }
}

/// An example value inside `bounds`: the usual one (4, or 2.5) if it lies
/// inside, else the middle of the bound (0.5 for a probability; rounded
/// for a whole number).
fn example_inside(integer: bool, bounds: Option<(f64, f64)>) -> String {
    let usual = if integer { 4.0 } else { 2.5 };
    let x = match bounds {
        Some((min, max)) if !(min..=max).contains(&usual) => {
            let middle = min / 2.0 + max / 2.0;
            if integer { middle.round() } else { middle }
        }
        _ => usual,
    };
    crate::scenario::bounded::number(x)
}

/// The text of an error with no field of its own to read.
fn error_text(error: &DeError) -> String {
    error.to_string()
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
