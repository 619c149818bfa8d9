//! Reading a region's CSV files as they come out of its own systems and
//! spreadsheets: `;` or `,` (or tab) as separator, decimal comma or point,
//! thousands spaces, UTF-8 with or without BOM, Swedish or English column
//! names. Every problem is located (file, line, column) and all are kept.

use std::fmt;
use std::path::Path;

use crate::report::lang::Bilingual;

/// Largest CSV file read (checked before reading): far above any region.
pub const MAX_CSV_BYTES: u64 = 20 * 1024 * 1024;

/// One problem in an imported file, located.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line; 0 for the file as a whole.
    pub line: u64,
    /// 1-based column (field number), if the problem is in one field.
    pub column: Option<usize>,
    /// The column's name, if any.
    pub key: Option<String>,
    /// What is wrong: expected …, found ….
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Problem {
    /// This problem as a warning in both languages: the English as
    /// [`Display`](fmt::Display) writes it, the Swedish with `message_sv`
    /// and `hint_sv` at the same place.
    pub fn warning(&self, message_sv: &str, hint_sv: &str) -> Bilingual {
        let sv = Problem {
            key: None,
            message: match &self.key {
                Some(k) => format!("kolumn `{k}`: {message_sv}"),
                None => message_sv.to_string(),
            },
            hint: None,
            ..self.clone()
        };
        let mut sv = sv.to_string();
        if self.hint.is_some() {
            sv.push_str(&format!("\n  tips: {hint_sv}"));
        }
        Bilingual::new(self.to_string(), sv)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        write!(f, ": ")?;
        if let Some(k) = &self.key {
            write!(f, "column `{k}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// A column the importer knows: its key (English, as written in the
/// generated scenario's comments), the names accepted in a header, and
/// whether every file must have it.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    /// The key, also accepted as a header.
    pub key: &'static str,
    /// Other accepted headers (Swedish first).
    pub aliases: &'static [&'static str],
    /// Must be present.
    pub required: bool,
    /// What the column holds (for hints and docs).
    pub doc: &'static str,
}

/// A CSV file read into rows of text fields, with the position of each
/// known column.
#[derive(Debug)]
pub struct Table {
    /// The file as the user named it.
    pub file: String,
    /// Index of each [`ColumnSpec`] in the rows, by spec order.
    columns: Vec<Option<usize>>,
    /// The header names as written.
    headers: Vec<String>,
    /// Data rows: (line, fields).
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Normalises a header for matching: lower case, spaces and dashes as `_`.
fn header_key(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// The separator a file uses: whichever of `;`, tab and `,` its header line
/// holds most of (`;` on a tie, as Swedish spreadsheets write).
pub(crate) fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.chars().filter(|&x| x == c).count();
    [(b';', count(';')), (b'\t', count('\t')), (b',', count(','))]
        .into_iter()
        .max_by_key(|&(sep, n)| (n, sep == b';'))
        .map_or(b';', |(sep, _)| sep)
}

/// Excel's `sep=;` line: a first line naming the separator, which Excel
/// reads (and users add so that Excel opens the file right) and a header
/// row would take for a column `sep=`. The separator and the text after
/// that line; Excel may pad the line with the separator (`sep=;;;`).
fn excel_separator_line(text: &str) -> Option<(u8, &str)> {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let value = first.trim_end();
    let value = value
        .strip_prefix("sep=")
        .or_else(|| value.strip_prefix("SEP="))?;
    let sep = *value.as_bytes().first()?;
    let known = matches!(sep, b';' | b',' | b'\t' | b'|');
    (known && value.bytes().all(|b| b == sep)).then_some((sep, rest))
}

/// `text` with Windows (`\r\n`) and old Mac (`\r`) line ends as `\n`: the
/// csv reader counts a CRLF file's lines one short, and a CR-only file as
/// one line, so every located problem and provenance comment was wrong.
pub(crate) fn one_line_ending(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

impl Table {
    /// Reads `path` (shown as `shown`) against `specs`. Unknown or missing
    /// columns and unreadable rows are problems; all of them are returned.
    pub fn read(path: &Path, specs: &[ColumnSpec]) -> Result<Table, Vec<Problem>> {
        let file = path.display().to_string();
        let whole = |message: String, hint: Option<&str>| Problem {
            file: file.clone(),
            line: 0,
            column: None,
            key: None,
            message,
            hint: hint.map(str::to_string),
        };
        let size = std::fs::metadata(path)
            .map_err(|e| vec![whole(format!("cannot read: {e}"), None)])?
            .len();
        if size > MAX_CSV_BYTES {
            return Err(vec![whole(
                format!("{size} bytes: at most {MAX_CSV_BYTES} are read"),
                Some("split the region into several files"),
            )]);
        }
        let bytes =
            std::fs::read(path).map_err(|e| vec![whole(format!("cannot read: {e}"), None)])?;
        let text = String::from_utf8(bytes)
            .map_err(|e| vec![not_utf8(&file, e.as_bytes(), e.utf8_error().valid_up_to())])?;
        Table::parse(&file, &text, specs)
    }

    /// Parses `text` of the file `file`.
    pub fn parse(file: &str, text: &str, specs: &[ColumnSpec]) -> Result<Table, Vec<Problem>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = &*one_line_ending(text);
        let (sep, text) = match excel_separator_line(text) {
            // The line is left empty (skipped as an empty row), so that
            // every other line keeps its number in the problems.
            Some((sep, rest)) => (sep, std::borrow::Cow::Owned(format!("\n{rest}"))),
            None => (separator(text), std::borrow::Cow::Borrowed(text)),
        };
        let text = &*text;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut problems = Vec::new();
        let mut records = Vec::new();
        let mut header: Option<Vec<String>> = None;
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line());
                    // No column holds a line break: a field that runs over
                    // lines is a quote left open, which takes in every line
                    // to the next quote (or the end of the file). Said
                    // where it opened, and nothing after it is read.
                    if let Some(p) = open_quote(file, line, &r, header.as_deref(), sep) {
                        problems.push(p);
                        return Err(problems);
                    }
                    let fields: Vec<String> = r.iter().map(|f| f.trim().to_string()).collect();
                    if header.is_none() && fields.iter().any(|f| !f.is_empty()) {
                        header = Some(fields.clone());
                    }
                    if fields.iter().all(|f| f.is_empty()) {
                        continue;
                    }
                    records.push((line, fields));
                }
                Err(e) => problems.push(Problem {
                    file: file.to_string(),
                    line: e.position().map_or(0, |p| p.line()),
                    column: None,
                    key: None,
                    message: format!("unreadable row: {e}"),
                    hint: None,
                }),
            }
        }
        let mut records = records.into_iter();
        let Some((header_line, headers)) = records.next() else {
            problems.push(Problem {
                file: file.to_string(),
                line: 0,
                column: None,
                key: None,
                message: "empty: expected a header row and one row per entry".into(),
                hint: Some(format!("the columns are {}", column_list(specs))),
            });
            return Err(problems);
        };
        let records: Vec<(u64, Vec<String>)> = records.collect();
        // The first row with a value in column `i`, if any.
        let first_value = |i: usize| {
            records
                .iter()
                .find(|(_, r)| r.get(i).is_some_and(|f| !f.is_empty()))
                .map(|(line, _)| *line)
        };
        // A value past the last header: a column nobody named, or a number
        // split at its decimal comma in a comma-separated file.
        if let Some((line, row)) = records
            .iter()
            .find(|(_, r)| r.iter().skip(headers.len()).any(|f| !f.is_empty()))
        {
            let col = headers.len()
                + row[headers.len()..]
                    .iter()
                    .position(|f| !f.is_empty())
                    .unwrap_or(0);
            problems.push(Problem {
                file: file.to_string(),
                line: *line,
                column: Some(col + 1),
                key: None,
                message: format!("`{}` is past the last column of the header", row[col]),
                hint: Some("name its column in the header, or check the separator: a decimal comma in a comma-separated file splits a number in two".into()),
            });
        }
        let mut columns = vec![None; specs.len()];
        for (i, h) in headers.iter().enumerate() {
            let k = header_key(h);
            if k.is_empty() {
                // Excel's trailing `;;`: an unnamed column with nothing in it.
                if let Some(line) = first_value(i) {
                    problems.push(Problem {
                        file: file.to_string(),
                        line: header_line,
                        column: Some(i + 1),
                        key: None,
                        message: format!("a column without a name in the header, with values (first on line {line})"),
                        hint: Some(format!("name it, or delete it; the columns are {}", column_list(specs))),
                    });
                }
                continue;
            }
            let found = specs
                .iter()
                .position(|s| s.key == k || s.aliases.iter().any(|a| header_key(a) == k));
            match found {
                Some(s) if columns[s].is_none() => columns[s] = Some(i),
                Some(s) => problems.push(Problem {
                    file: file.to_string(),
                    line: header_line,
                    column: Some(i + 1),
                    key: Some(h.clone()),
                    message: format!("a second column for `{}`", specs[s].key),
                    hint: Some("remove one of them".into()),
                }),
                None => problems.push(Problem {
                    file: file.to_string(),
                    line: header_line,
                    column: Some(i + 1),
                    key: Some(h.clone()),
                    message: "unknown column".into(),
                    hint: Some(match closest(&k, specs) {
                        Some(s) => {
                            format!("did you mean `{s}`? The columns are {}", column_list(specs))
                        }
                        None => format!("the columns are {}", column_list(specs)),
                    }),
                }),
            }
        }
        for (s, spec) in specs.iter().enumerate() {
            if spec.required && columns[s].is_none() {
                problems.push(Problem {
                    file: file.to_string(),
                    line: header_line,
                    column: None,
                    key: Some(spec.key.into()),
                    message: format!("missing: expected a column `{}` ({})", spec.key, spec.doc),
                    hint: Some(alias_hint(spec)),
                });
            }
        }
        let table = Table {
            file: file.to_string(),
            columns,
            headers,
            rows: records,
        };
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(problems)
        }
    }

    /// The text of column `spec` (by index in the specs) in `row`, if the
    /// file has the column and the field is not empty.
    pub fn text<'r>(&self, row: &'r [String], spec: usize) -> Option<&'r str> {
        let i = self.columns[spec]?;
        row.get(i).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// A problem in column `spec` of the row at `line`.
    pub fn problem(&self, line: u64, spec: usize, message: String, hint: &str) -> Problem {
        let column = self.columns[spec];
        Problem {
            file: self.file.clone(),
            line,
            column: column.map(|c| c + 1),
            key: column.map(|c| self.headers[c].clone()),
            message,
            hint: (!hint.is_empty()).then(|| hint.to_string()),
        }
    }

    /// A number in column `spec`: `12 000`, `12000`, `4,6` and `4.6` all
    /// read; `None` if the field is empty.
    pub fn number(&self, line: u64, row: &[String], spec: usize) -> Result<Option<f64>, Problem> {
        let Some(t) = self.text(row, spec) else {
            return Ok(None);
        };
        parse_number(t).map(Some).ok_or_else(|| {
            self.problem(
                line,
                spec,
                format!("expected a number, found `{t}`"),
                "write digits with a decimal comma or point, e.g. 4,6 or 12 000",
            )
        })
    }

    /// [`Self::number`] in a column of whole numbers (listed patients,
    /// heads, counted contacts), where `11,000` or `11.000` is a thousands
    /// separator in one spreadsheet and a decimal in another: refused, not
    /// read as 11.
    pub fn whole_number(
        &self,
        line: u64,
        row: &[String],
        spec: usize,
    ) -> Result<Option<f64>, Problem> {
        if let Some(t) = self.text(row, spec)
            && let Some((int, frac)) = thousands_or_decimals(t)
        {
            return Err(self.problem(
                line,
                spec,
                format!(
                    "found `{t}`: {int}{frac} or {int}? A comma or point before three digits separates thousands in one spreadsheet and decimals in another"
                ),
                &format!("a whole number is meant here: write {int}{frac} or {int} {frac}"),
            ));
        }
        self.number(line, row, spec)
    }
}

/// A field of `record` (read from `line`) that runs over more than one
/// line: a quote opened in it and not closed on its line. Located where
/// the quote opened: the record's line plus the line breaks of the fields
/// before it; `header` names its column.
fn open_quote(
    file: &str,
    line: u64,
    record: &csv::StringRecord,
    header: Option<&[String]>,
    sep: u8,
) -> Option<Problem> {
    let (i, field) = record.iter().enumerate().find(|(_, f)| f.contains('\n'))?;
    let opened = line
        + record
            .iter()
            .take(i)
            .map(|f| f.matches('\n').count() as u64)
            .sum::<u64>();
    let lines = field.matches('\n').count();
    let first = field.lines().next().unwrap_or("");
    // Closed before the line's next separator, where the field likely ends.
    let closed = match first.split_once(char::from(sep)) {
        Some((a, b)) => format!("\"{a}\"{}{b}", char::from(sep)),
        None => format!("\"{first}\""),
    };
    let runs = if lines == 1 {
        "the next line reads as part of this field".to_string()
    } else {
        format!("the next {lines} lines read as part of this field")
    };
    Some(Problem {
        file: file.to_string(),
        line: opened,
        column: Some(i + 1),
        key: header
            .and_then(|h| h.get(i))
            .filter(|h| !h.is_empty())
            .cloned(),
        message: format!("a quote opens `\"{first}` here and is not closed on its line: {runs}"),
        hint: Some(format!(
            "close the quote where the field ends (`{closed}`) or remove it; no column holds a line break"
        )),
    })
}

/// The problem of a file that is not UTF-8: the line and column (field) of
/// the first byte that is not, and what that byte reads as in
/// Windows-1252 (Latin-1: Excel's plain "CSV" on Windows), which is what
/// such a file usually is.
fn not_utf8(file: &str, bytes: &[u8], at: usize) -> Problem {
    // What comes before `at` is UTF-8; the rest is read as Windows-1252.
    let before = String::from_utf8_lossy(&bytes[..at]);
    let before = before.strip_prefix('\u{feff}').unwrap_or(&before);
    let before = one_line_ending(before).into_owned();
    let (rest, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes[at..]);
    let rest = one_line_ending(&rest).into_owned();
    let latin = format!("{before}{rest}");
    let line = before.matches('\n').count() as u64 + 1;
    let sep = char::from(separator(&latin));
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let in_line = &before[line_start..];
    // Separators outside quotes before the byte: its field.
    let mut quoted = false;
    let mut field = 0;
    for c in in_line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c == sep && !quoted => field += 1,
            _ => {}
        }
    }
    let text_line = latin.lines().nth(line as usize - 1).unwrap_or("");
    let cell = text_line
        .split(sep)
        .nth(field)
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    let key = latin
        .lines()
        .next()
        .and_then(|h| h.split(sep).nth(field))
        .map(|h| h.trim().to_string())
        .filter(|h| line > 1 && !h.is_empty());
    let byte = bytes.get(at).copied().unwrap_or(0);
    let meant = rest.chars().next().unwrap_or('?');
    Problem {
        file: file.to_string(),
        line,
        column: Some(field + 1),
        key,
        message: format!(
            "not UTF-8 text: byte 0x{byte:02X} is `{meant}` in Windows-1252 (Latin-1), which reads the field as `{cell}`"
        ),
        hint: Some(
            "save the sheet as \"CSV UTF-8\" (Excel: Save as → CSV UTF-8), or convert the file to UTF-8"
                .into(),
        ),
    }
}

/// The integer and fraction parts of a number that one spreadsheet writes
/// for thousands and another for decimals: `11,000` and `11.000` are
/// eleven thousand in English and German sheets, and eleven in a Swedish
/// one. One separator, 1–3 digits before it (not a lone 0), exactly three
/// after.
pub(crate) fn thousands_or_decimals(t: &str) -> Option<(&str, &str)> {
    let t = t.trim();
    let at = t.find([',', '.'])?;
    let (int, frac) = (&t[..at], &t[at + 1..]);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ambiguous = (1..=3).contains(&int.len())
        && int != "0"
        && digits(int)
        && frac.len() == 3
        && digits(frac);
    ambiguous.then_some((int, frac))
}

/// A number as Swedish and English spreadsheets write it.
pub fn parse_number(t: &str) -> Option<f64> {
    let compact: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let point = if compact.matches(',').count() == 1 && !compact.contains('.') {
        compact.replace(',', ".")
    } else {
        compact
    };
    point.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Yes or no as written in either language.
pub fn parse_yes_no(t: &str) -> Option<bool> {
    match t.trim().to_lowercase().as_str() {
        "yes" | "ja" | "y" | "j" | "true" | "sant" | "1" | "x" => Some(true),
        "no" | "nej" | "n" | "false" | "falskt" | "0" => Some(false),
        _ => None,
    }
}

fn column_list(specs: &[ColumnSpec]) -> String {
    specs
        .iter()
        .map(|s| format!("`{}`", s.key))
        .collect::<Vec<_>>()
        .join(", ")
}

fn alias_hint(spec: &ColumnSpec) -> String {
    if spec.aliases.is_empty() {
        format!("add a column `{}`", spec.key)
    } else {
        let names: Vec<String> = spec.aliases.iter().map(|a| format!("`{a}`")).collect();
        format!(
            "add a column `{}` (also read as {})",
            spec.key,
            names.join(", ")
        )
    }
}

/// The known column nearest to `k` by edit distance, if near.
fn closest(k: &str, specs: &[ColumnSpec]) -> Option<&'static str> {
    specs
        .iter()
        .flat_map(|s| {
            std::iter::once(s.key)
                .chain(s.aliases.iter().copied())
                .map(move |n| (s.key, n))
        })
        .map(|(key, n)| (key, strsim(k, &header_key(n))))
        .filter(|&(_, d)| d <= 2)
        .min_by_key(|&(_, d)| d)
        .map(|(key, _)| key)
}

/// Levenshtein distance (short strings: headers).
fn strsim(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A located problem as a warning in both languages: the same place,
    /// the column and the hint in each language's words.
    #[test]
    fn a_problem_as_a_warning_is_located_alike_in_both_languages() {
        let p = Problem {
            file: "schedules.csv".into(),
            line: 3,
            column: Some(3),
            key: Some("start".into()),
            message: "`mix`'s block overlaps line 2".into(),
            hint: Some("end one block where the next starts".into()),
        };
        let w = p.warning("`mix`s pass överlappar rad 2", "låt ett pass sluta");
        assert_eq!(
            w.en,
            "schedules.csv:3:3: column `start`: `mix`'s block overlaps line 2\n  hint: end one block where the next starts"
        );
        assert_eq!(
            w.sv,
            "schedules.csv:3:3: kolumn `start`: `mix`s pass överlappar rad 2\n  tips: låt ett pass sluta"
        );
        let whole = Problem {
            column: None,
            key: None,
            hint: None,
            ..p
        };
        assert_eq!(
            whole.warning("hela filen", "–").sv,
            "schedules.csv:3: hela filen"
        );
    }

    const SPECS: [ColumnSpec; 2] = [
        ColumnSpec {
            key: "key",
            aliases: &["nyckel"],
            required: true,
            doc: "a key",
        },
        ColumnSpec {
            key: "listed",
            aliases: &["listade"],
            required: true,
            doc: "patients",
        },
    ];

    #[test]
    fn swedish_and_english_spreadsheets_read_alike() {
        let sv = Table::parse(
            "u.csv",
            "\u{feff}Nyckel;Listade\nodensala;\"11 000\"\nlit;4000,5\n",
            &SPECS,
        )
        .unwrap();
        let en = Table::parse("u.csv", "key,listed\nodensala,11000\nlit,4000.5\n", &SPECS).unwrap();
        for t in [&sv, &en] {
            let (line, row) = &t.rows[1];
            assert_eq!(*line, 3);
            assert_eq!(t.text(row, 0), Some("lit"));
            assert_eq!(t.number(*line, row, 1).unwrap(), Some(4000.5));
            assert_eq!(
                t.number(t.rows[0].0, &t.rows[0].1, 1).unwrap(),
                Some(11000.0)
            );
        }
    }

    /// An audit's finding: Excel's `sep=;` first line was read as a header
    /// with a column `sep=`, and the file gave six problems, none of them
    /// the real one. It names the separator, and lines keep their numbers.
    #[test]
    fn excels_separator_line_names_the_separator() {
        for text in [
            "sep=;\nNyckel;Listade\nodensala;11 000\nlit;4000,5\n",
            "\u{feff}sep=;\r\nNyckel;Listade\r\nodensala;11 000\r\nlit;4000,5\r\n",
            "sep=;;\nNyckel;Listade;\nodensala;11 000;\nlit;4000,5;\n",
            // A comma-separated file with the line.
            "sep=,\nNyckel,Listade\nodensala,\"11 000\"\nlit,\"4000,5\"\n",
        ] {
            let t = Table::parse("u.csv", text, &SPECS).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(t.rows.len(), 2, "{text:?}");
            let (line, row) = &t.rows[1];
            assert_eq!(*line, 4, "{text:?}");
            assert_eq!(t.text(row, 0), Some("lit"));
            assert_eq!(t.number(*line, row, 1).unwrap(), Some(4000.5));
        }
        // A problem after it is at its own line.
        let e = Table::parse("u.csv", "sep=;\nNyckel;Listade\nodensala;x\n", &SPECS)
            .map(|t| t.number(t.rows[0].0, &t.rows[0].1, 1).unwrap_err())
            .unwrap();
        assert!(
            e.to_string().starts_with("u.csv:3:2: column `Listade`"),
            "{e}"
        );
    }

    #[test]
    fn column_problems_are_located_and_all_reported() {
        let e = Table::parse("u.csv", "nyckl;antal\n", &SPECS).unwrap_err();
        let text: Vec<String> = e.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 4, "{text:#?}");
        assert!(
            text[0].starts_with("u.csv:1:1: column `nyckl`: unknown column"),
            "{}",
            text[0]
        );
        assert!(text[0].contains("did you mean `key`"), "{}", text[0]);
        assert!(
            text[3].contains("missing: expected a column `listed`"),
            "{}",
            text[3]
        );
    }

    #[test]
    fn numbers_in_both_conventions() {
        for (t, v) in [
            ("4,6", 4.6),
            ("4.6", 4.6),
            ("12 000", 12000.0),
            ("12\u{a0}000,5", 12000.5),
        ] {
            assert_eq!(parse_number(t), Some(v), "{t}");
        }
        for t in ["4,6,7", "fyra", "", "1e999"] {
            assert_eq!(parse_number(t), None, "{t}");
        }
    }
}
