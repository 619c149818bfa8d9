//! Names that become folder names (scenario, sweep and variant names).
//!
//! A name is used as exactly one path component below the output folder, so
//! it must not be able to step out of it (`..`, separators), hide (a leading
//! dot, which vardsim's own temporary folders use), or be a name some file
//! system refuses (control characters, Windows reserved names and
//! characters, trailing dot or space, too long).

/// Longest name accepted, in bytes (file systems allow 255; vardsim adds
/// prefixes and suffixes such as `compare-` and `.tmp-<pid>`).
pub const MAX_NAME_BYTES: usize = 100;

/// Windows device names, refused with or without an extension: the list of
/// Microsoft's "Naming Files, Paths, and Namespaces" (with `COM0`, `LPT0`
/// and the superscript digits ¹ ² ³), and the console's `CONIN$` and
/// `CONOUT$`, which open the console as `CON` does.
const RESERVED: [&str; 32] = [
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "com¹", "com²", "com³", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6",
    "lpt7", "lpt8", "lpt9", "lpt¹", "lpt²", "lpt³", "conin$", "conout$",
];

/// Hint for a rejected name.
pub const NAME_HINT: &str =
    "a name becomes one folder name: use letters, digits, `-` and `_`, e.g. \"vc-norr-dropin\"";

/// Checks that `name` is safe as one file-name component; the error says
/// what is wrong (without the hint, see [`NAME_HINT`]).
pub fn check_file_name(name: &str) -> Result<(), String> {
    let shown = format!("{:?}", truncate(name, 60));
    if name.trim().is_empty() {
        return Err(format!("expected a non-empty name, found {shown}"));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(format!(
            "the name is {} bytes long; at most {MAX_NAME_BYTES} are allowed (found {shown}…)",
            name.len()
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(format!(
            "the name contains the control character {:?} ({shown})",
            c
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '/' | '\\' | ':' | '<' | '>' | '"' | '|' | '?' | '*'))
    {
        return Err(format!(
            "the name contains `{c}`, which is not allowed in a folder name ({shown})"
        ));
    }
    if name.starts_with('.') {
        return Err(format!(
            "the name starts with a dot ({shown}): `.` and `..` are not folders of their own, and vardsim keeps its temporary folders under dotted names"
        ));
    }
    if name.ends_with(['.', ' ']) {
        return Err(format!(
            "the name ends with a dot or a space ({shown}), which some file systems drop"
        ));
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if RESERVED.iter().any(|r| stem.eq_ignore_ascii_case(r)) {
        return Err(format!(
            "{shown} is a reserved device name on Windows and cannot be a folder"
        ));
    }
    Ok(())
}

/// The known key nearest to `key` by edit distance, if near enough to be a
/// likely misspelling.
pub fn closest<'k>(key: &str, known: &'k [String]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(key, k), k))
        .min()
        .filter(|(d, k)| *d <= 3.max(k.len() / 3))
        .map(|(_, k)| k.as_str())
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// At most `max` characters of `s`.
fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass() {
        for ok in [
            "default",
            "vc-norr_dropin",
            "Jämtland 2026",
            "a.b",
            "v1.2-x",
        ] {
            assert_eq!(check_file_name(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("vcc", &["vc".to_string()]), Some("vc"));
    }

    #[test]
    fn names_that_could_be_paths_or_break_a_file_system_fail() {
        let long = "x".repeat(MAX_NAME_BYTES + 1);
        for (bad, says) in [
            ("", "non-empty"),
            ("  ", "non-empty"),
            (".", "dot"),
            ("..", "dot"),
            (".hidden", "dot"),
            ("a/b", "`/`"),
            ("..\\x", "`\\`"),
            ("c:x", "`:`"),
            ("line\nbreak", "control"),
            ("nul\0byte", "control"),
            ("CON", "reserved"),
            ("lpt1.txt", "reserved"),
            // Found by an audit: reserved on Windows, once accepted.
            ("COM0", "reserved"),
            ("lpt0.log", "reserved"),
            ("COM¹", "reserved"),
            ("LPT³.txt", "reserved"),
            ("CONIN$", "reserved"),
            ("conout$", "reserved"),
            ("trailing.", "ends with"),
            ("trailing ", "ends with"),
            (long.as_str(), "bytes long"),
        ] {
            let e = check_file_name(bad).unwrap_err();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }
}
