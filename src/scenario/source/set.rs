//! `--set PATH=VALUE` overrides.

use toml::{Table, Value};

use super::path::{KeyPath, Seg, format_path, parse_path};
use super::{Location, Origins, Problem, forget_renamed, forget_replaced, merge_value};

/// How the file name of a `--set`'s [`Location`] starts.
pub(crate) const SET_PREFIX: &str = "--set ";

/// Longest `--set` key path, in bytes, and most segments: scenario keys are
/// at most about ten segments deep, and a bound keeps a hostile path from
/// costing time or memory (work grows with the square of the depth).
pub const MAX_SET_PATH_BYTES: usize = 1000;
/// See [`MAX_SET_PATH_BYTES`].
pub const MAX_SET_SEGMENTS: usize = 32;

/// Hint for a malformed `--set`.
const SET_HINT: &str = "use the form `--set units.vc.staff.nurse.count=4` (text values may be quoted: `--set name=\"x y\"`)";

/// Applies every `--set` in order; returns a problem for each one that could
/// not be applied (the others are still applied).
pub(super) fn apply_all(tree: &mut Table, origins: &mut Origins, sets: &[String]) -> Vec<Problem> {
    // The sets are one layer over the scenario, as a child file is:
    // `--set name=…` drops the inherited labels unless a set gives them.
    let top: Vec<Seg> = sets
        .iter()
        .filter_map(|set| split_set(set))
        .filter_map(|(path, _)| parse_path(path).ok())
        .filter_map(|segs| <[Seg; 1]>::try_from(segs).ok())
        .map(|[seg]| seg)
        .collect();
    forget_renamed(tree, origins, |key| top.contains(&Seg::Key(key.into())));
    let mut problems = Vec::new();
    for set in sets {
        if let Err(p) = apply(tree, origins, set) {
            problems.push(p);
        }
    }
    problems
}

/// Warnings for a key path set twice to different values: the last wins,
/// which the user may not have meant (`--set …doctor.count=5` left in a
/// command line that later says `=6`). Located at the later `--set`.
pub(super) fn repeated(sets: &[String]) -> Vec<Problem> {
    let mut seen: Vec<(KeyPath, &str)> = Vec::new();
    let mut warnings = Vec::new();
    for set in sets {
        let Some((raw_path, raw_value)) = split_set(set) else {
            continue;
        };
        let Ok(path) = parse_path(raw_path) else {
            continue;
        };
        let value = raw_value.trim();
        if let Some((_, before)) = seen.iter().rev().find(|(p, _)| *p == path)
            && *before != value
        {
            let key = format_path(&path);
            warnings.push(
                Problem::new(
                    key.clone(),
                    format!("`--set {key}` is given twice ({before}, then {value}): the last, {value}, is used"),
                )
                .swedish(
                    format!("`--set {key}` anges två gånger ({before}, sedan {value}): den sista, {value}, gäller"),
                    Some("ange varje nyckel en gång"),
                )
                .hint("give each key once")
                .at(Some(set_location(set))),
            );
        }
        seen.push((path, value));
    }
    warnings
}

/// Where a `--set` was written.
fn set_location(set: &str) -> Location {
    Location {
        file: format!("{SET_PREFIX}{set}"),
        line: 0,
        column: 0,
    }
}

/// Splits `PATH=VALUE` at the first `=` outside quotes.
fn split_set(set: &str) -> Option<(&str, &str)> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in set.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '=' => return Some((&set[..i], &set[i + 1..])),
            None => {}
        }
    }
    None
}

/// Reads `VALUE`: a TOML value, else plain text. TOML dates and times
/// (`08:00`) are kept as text: scenarios write times as strings.
fn parse_value(raw: &str) -> Value {
    let raw = raw.trim();
    match raw.parse::<Value>() {
        Ok(Value::Datetime(_)) | Err(_) => Value::String(raw.to_string()),
        Ok(v) => v,
    }
}

fn apply(tree: &mut Table, origins: &mut Origins, set: &str) -> Result<(), Problem> {
    let location = set_location(set);
    let fail = |key: &str, message: String| {
        Problem::new(key, message)
            .hint(SET_HINT)
            .at(Some(location.clone()))
    };
    let Some((raw_path, raw_value)) = split_set(set) else {
        return Err(fail(
            set.trim(),
            format!("`--set {set}` has no `=`; expected PATH=VALUE"),
        ));
    };
    if raw_path.len() > MAX_SET_PATH_BYTES {
        // Not the whole path in the message: it is what is too long.
        let start: String = set.chars().take(60).collect();
        return Err(Problem::new(
            "",
            format!(
                "the key path of this --set is {} bytes long; at most {MAX_SET_PATH_BYTES} are allowed",
                raw_path.len()
            ),
        )
        .hint(SET_HINT)
        .at(Some(set_location(&format!("{start}…")))));
    }
    let segs = parse_path(raw_path).map_err(|e| {
        fail(
            raw_path.trim(),
            format!("invalid key path `{}` in --set: {e}", raw_path.trim()),
        )
    })?;
    if segs.len() > MAX_SET_SEGMENTS {
        return Err(fail(
            "",
            format!(
                "the key path of this --set has {} segments; at most {MAX_SET_SEGMENTS} are allowed",
                segs.len()
            ),
        ));
    }
    if let Some(p) = phantom_entry(tree, &segs, &location) {
        return Err(p);
    }
    if segs.first() == Some(&Seg::Key("extends".into())) {
        return Err(
            Problem::new("extends", "`extends` cannot be changed with --set")
                .hint("give the scenario file that extends the other one instead")
                .at(Some(location)),
        );
    }
    let value = parse_value(raw_value);

    let mut root = Value::Table(std::mem::take(tree));
    let mut resolved = Vec::with_capacity(segs.len());
    let mut created = Vec::new();
    let mut replaced = Vec::new();
    let result = set_at(
        &mut root,
        &segs,
        &mut resolved,
        &mut created,
        &mut replaced,
        value.clone(),
    );
    if let Value::Table(t) = root {
        *tree = t;
    }
    result.map_err(|message| fail(&format_path(&segs), message))?;

    // Origins: the set key and everything it wrote now come from this
    // --set; keys of a table it merged into keep theirs.
    forget_replaced(origins, &replaced);
    for path in created {
        origins.entry(path).or_insert_with(|| location.clone());
    }
    let mut below = Vec::new();
    descendants(&value, &mut resolved.clone(), &mut below);
    origins.insert(resolved, location.clone());
    for path in below {
        origins.insert(path, location.clone());
    }
    Ok(())
}

/// Tables whose entries a `--set` may only create deliberately: (table,
/// the key that adds an entry, the entry's noun, the value that key takes
/// in the hint).
const NAMED_ENTRIES: [(&str, &str, &str, &str); 2] = [
    ("units", "name", "unit", "\"…\""),
    ("categories", "share", "category", "…"),
];

/// A `--set` (or grid key) that goes through a unit or category the
/// scenario does not have (`units.vcc.staff.doctor.count` for `units.vc…`,
/// `categories.chronc.continuity_wait_days`) would create a phantom entry
/// with one key: almost always a misspelling, so refused. A new unit is
/// added deliberately by its name (`units.x.name="X"`, then other keys), a
/// new category by its share (`categories.x.share=1`), or either as one
/// table value (`units.x={…}`).
fn phantom_entry(tree: &Table, segs: &[Seg], location: &Location) -> Option<Problem> {
    let [Seg::Key(top), Seg::Key(entry), rest @ ..] = segs else {
        return None;
    };
    let &(_, adds, noun, value) = NAMED_ENTRIES.iter().find(|(t, ..)| t == top)?;
    // Naming a new unit (or giving a category's share) is deliberate.
    if rest.is_empty() || rest == [Seg::Key(adds.into())] {
        return None;
    }
    let entries = match tree.get(top.as_str()) {
        Some(Value::Table(t)) => t,
        _ => return None,
    };
    if entries.contains_key(entry) {
        return None;
    }
    let known: Vec<String> = entries.keys().cloned().collect();
    let key = format_path(&segs[..2]);
    let list = format!(
        "the scenario's {top}: {}; to add a {noun}, set its {adds} first (`{top}.{entry}.{adds}={value}`)",
        known.join(", ")
    );
    let hint = match super::name::closest(entry, &known) {
        Some(c) => format!("did you mean `{top}.{c}`? {list}"),
        None => list,
    };
    Some(
        Problem::new(
            key,
            format!(
                "unknown {noun} `{entry}`: this --set would create a {noun} with only this key"
            ),
        )
        .hint(hint)
        .at(Some(location.clone())),
    )
}

/// The same misspelling in a file that `extends` a base: `units.cv.staff.
/// doctor.count = 5` over a base whose unit is `vc` made a unit `cv` of one
/// doctor group (warned only for its missing shifts) and left `vc` as it
/// was, so the run answered a question nobody asked. An entry the base
/// lacks is refused unless the file adds it deliberately: a unit with its
/// `name`, a category with its `share`. Located at the entry's first key.
pub(super) fn phantom_entries_in_file(
    base: &Table,
    child: &Table,
    origins: &Origins,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for &(top, adds, noun, value) in &NAMED_ENTRIES {
        let (Some(Value::Table(known)), Some(Value::Table(written))) =
            (base.get(top), child.get(top))
        else {
            continue;
        };
        if known.is_empty() {
            continue;
        }
        let names: Vec<String> = known.keys().cloned().collect();
        for (entry, table) in written {
            let deliberate = match table {
                Value::Table(t) => t.contains_key(adds),
                _ => true,
            };
            if known.contains_key(entry) || deliberate {
                continue;
            }
            let segs = [Seg::Key(top.into()), Seg::Key(entry.clone())];
            let location = origins
                .iter()
                .filter(|(k, _)| k.starts_with(&segs))
                .map(|(_, l)| l)
                .min_by_key(|l| (l.line, l.column))
                .cloned();
            let list = format!(
                "the base's {top}: {}; to add a {noun}, give its {adds} (`{top}.{entry}.{adds} = {value}`)",
                names.join(", ")
            );
            let hint = match super::name::closest(entry, &names) {
                Some(c) => format!("did you mean `{top}.{c}`? {list}"),
                None => list,
            };
            problems.push(
                Problem::new(
                    format_path(&segs),
                    format!(
                        "unknown {noun} `{entry}`: the base has no such {noun}, and this file would create one with only these keys"
                    ),
                )
                .hint(hint)
                .at(location),
            );
        }
    }
    problems
}

/// Writes `value` at `segs` below `cur`, creating missing tables, and
/// merging it as a layered file would ([`merge_value`]: a table merges into
/// the table there). `resolved` receives the path actually set (numeric
/// keys under arrays as indices); `created` the tables that had to be
/// created; `replaced` the subtrees the value replaced.
fn set_at(
    cur: &mut Value,
    segs: &[Seg],
    resolved: &mut KeyPath,
    created: &mut Vec<KeyPath>,
    replaced: &mut Vec<KeyPath>,
    value: Value,
) -> Result<(), String> {
    let Some((first, rest)) = segs.split_first() else {
        return Err("the key path is empty".into());
    };
    match cur {
        Value::Table(t) => {
            let key = match first {
                Seg::Key(k) => k.clone(),
                Seg::Index(i) => i.to_string(),
            };
            resolved.push(Seg::Key(key.clone()));
            if rest.is_empty() {
                match t.get_mut(&key) {
                    Some(slot) => merge_value(slot, value, resolved, replaced),
                    None => {
                        t.insert(key, value);
                    }
                }
                return Ok(());
            }
            if !t.contains_key(&key) {
                t.insert(key.clone(), Value::Table(Table::new()));
                created.push(resolved.clone());
            }
            match t.get_mut(&key) {
                Some(next) => set_at(next, rest, resolved, created, replaced, value),
                None => Err(format!("cannot create `{}`", format_path(resolved))),
            }
        }
        Value::Array(a) => {
            let index = match first {
                Seg::Index(i) => *i,
                Seg::Key(k) => k.parse::<usize>().map_err(|_| {
                    format!(
                        "`{}` is an array; select an element with `[0]` or `.0`, not `.{k}`",
                        format_path(resolved)
                    )
                })?,
            };
            let len = a.len();
            let array_path = format_path(resolved);
            resolved.push(Seg::Index(index));
            let Some(element) = a.get_mut(index) else {
                return Err(format!(
                    "`{array_path}` has {len} element{}; `[{index}]` does not exist (--set can change existing elements only)",
                    if len == 1 { "" } else { "s" }
                ));
            };
            if rest.is_empty() {
                merge_value(element, value, resolved, replaced);
                Ok(())
            } else {
                set_at(element, rest, resolved, created, replaced, value)
            }
        }
        other => Err(format!(
            "`{}` is {}, not a table; cannot set a key below it",
            format_path(resolved),
            super::type_name(other)
        )),
    }
}

/// Every key path and array element below `value`.
fn descendants(value: &Value, path: &mut KeyPath, out: &mut Vec<KeyPath>) {
    match value {
        Value::Table(t) => {
            for (k, v) in t {
                path.push(Seg::Key(k.clone()));
                out.push(path.clone());
                descendants(v, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                out.push(path.clone());
                descendants(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}
