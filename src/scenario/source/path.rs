//! Dotted key paths such as `units."vc norr".staff.nurse.count` or
//! `units.vc.staff.nurse.shifts[2].start`.

use std::fmt::Write as _;

/// One step of a key path: a table key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Seg {
    /// A key of a table (unescaped).
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A path from the top of the scenario to one key or array element.
pub(crate) type KeyPath = Vec<Seg>;

/// Whether `key` can be written without quotes in a TOML key path.
fn is_bare(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Renders a path the way it would be written in TOML, with `[i]` for
/// array elements: `units."vc norr".staff.nurse.shifts[0].start`.
pub(crate) fn format_path(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                if is_bare(k) {
                    s.push_str(k);
                } else {
                    s.push('"');
                    for c in k.chars() {
                        match c {
                            '"' => s.push_str("\\\""),
                            '\\' => s.push_str("\\\\"),
                            '\n' => s.push_str("\\n"),
                            '\t' => s.push_str("\\t"),
                            c => s.push(c),
                        }
                    }
                    s.push('"');
                }
            }
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// Parses a dotted key path. Segments are bare (anything up to the next `.`
/// or `[`, trimmed), `"basic"` or `'literal'` quoted, and may be followed by
/// `[i]` indices. Numeric bare segments stay [`Seg::Key`]; [`resolve`] turns
/// them into indices where the tree has an array.
pub(crate) fn parse_path(text: &str) -> Result<KeyPath, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut path = Vec::new();
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    if text.trim().is_empty() {
        return Err("the key path is empty".into());
    }
    loop {
        skip_ws(&mut i);
        // One key.
        match chars.get(i) {
            Some('"') => {
                i += 1;
                let mut key = String::new();
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated quoted key (missing `\"`)".into()),
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') => {
                            let c = match chars.get(i + 1) {
                                Some('n') => '\n',
                                Some('t') => '\t',
                                Some('r') => '\r',
                                Some(c) => *c,
                                None => {
                                    return Err("unterminated quoted key (missing `\"`)".into());
                                }
                            };
                            key.push(c);
                            i += 2;
                        }
                        Some(c) => {
                            key.push(*c);
                            i += 1;
                        }
                    }
                }
                path.push(Seg::Key(key));
            }
            Some('\'') => {
                i += 1;
                let mut key = String::new();
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated quoted key (missing `'`)".into()),
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(c) => {
                            key.push(*c);
                            i += 1;
                        }
                    }
                }
                path.push(Seg::Key(key));
            }
            _ => {
                let start = i;
                while i < chars.len() && !matches!(chars[i], '.' | '[' | ']' | '"' | '\'') {
                    i += 1;
                }
                let key: String = chars[start..i].iter().collect();
                let key = key.trim();
                if key.is_empty() {
                    return Err(format!("empty key in `{text}`"));
                }
                path.push(Seg::Key(key.to_string()));
            }
        }
        // Indices.
        skip_ws(&mut i);
        while chars.get(i) == Some(&'[') {
            let start = i + 1;
            let Some(len) = chars[start..].iter().position(|&c| c == ']') else {
                return Err(format!("unclosed `[` in `{text}`"));
            };
            let inner: String = chars[start..start + len].iter().collect();
            let index = inner
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("`[{inner}]` is not an array index (use e.g. `[0]`)"))?;
            path.push(Seg::Index(index));
            i = start + len + 1;
            skip_ws(&mut i);
        }
        match chars.get(i) {
            None => return Ok(path),
            Some('.') => i += 1,
            Some(c) => return Err(format!("unexpected `{c}` in `{text}`")),
        }
    }
}

/// Turns numeric keys into indices where `tree` has an array at that point
/// (`shifts.0` → `shifts[0]`), and indices into keys where it has a table
/// with such a key.
pub(crate) fn resolve(path: &[Seg], tree: &toml::Table) -> KeyPath {
    let mut out = Vec::with_capacity(path.len());
    let mut table = Some(tree);
    let mut array: Option<&toml::value::Array> = None;
    for seg in path {
        let (seg, next) = match (seg, table, array) {
            (Seg::Key(k), _, Some(a)) => match k.parse::<usize>() {
                Ok(i) => (Seg::Index(i), a.get(i)),
                Err(_) => (seg.clone(), None),
            },
            (Seg::Key(k), Some(t), _) => (seg.clone(), t.get(k)),
            (Seg::Index(i), Some(t), _) if t.contains_key(&i.to_string()) => {
                (Seg::Key(i.to_string()), t.get(&i.to_string()))
            }
            (Seg::Index(i), _, Some(a)) => (seg.clone(), a.get(*i)),
            _ => (seg.clone(), None),
        };
        out.push(seg);
        table = next.and_then(toml::Value::as_table);
        array = next.and_then(toml::Value::as_array);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Seg {
        Seg::Key(s.into())
    }

    #[test]
    fn parses_bare_quoted_and_indexed_paths() {
        assert_eq!(
            parse_path("units.vc.staff").unwrap(),
            vec![k("units"), k("vc"), k("staff")]
        );
        assert_eq!(
            parse_path(r#"units."vc norr" . 'a.b'.x"#).unwrap(),
            vec![k("units"), k("vc norr"), k("a.b"), k("x")]
        );
        assert_eq!(
            parse_path("shifts[2].start").unwrap(),
            vec![k("shifts"), Seg::Index(2), k("start")]
        );
        assert_eq!(
            parse_path("a[1][0]").unwrap(),
            vec![k("a"), Seg::Index(1), Seg::Index(0)]
        );
        assert_eq!(parse_path("units.vc norr").unwrap()[1], k("vc norr"));
        assert!(parse_path("").is_err());
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a.").is_err());
        assert!(parse_path("a[x]").is_err());
        assert!(parse_path("\"a").is_err());
    }

    #[test]
    fn formats_round_trip() {
        let p = vec![k("units"), k("vc norr"), k("shifts"), Seg::Index(3), k("x")];
        let s = format_path(&p);
        assert_eq!(s, r#"units."vc norr".shifts[3].x"#);
        assert_eq!(parse_path(&s).unwrap(), p);
    }

    #[test]
    fn resolves_numeric_keys_against_the_tree() {
        let tree: toml::Table = "shifts = [{a = 1}]\n[t]\n0 = 1".parse().unwrap();
        assert_eq!(
            resolve(&parse_path("shifts.0.a").unwrap(), &tree),
            vec![k("shifts"), Seg::Index(0), k("a")]
        );
        assert_eq!(
            resolve(&parse_path("t[0]").unwrap(), &tree),
            vec![k("t"), k("0")]
        );
    }
}
