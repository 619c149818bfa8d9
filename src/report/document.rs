//! A report as a list of blocks (headings, paragraphs, tables, charts), so
//! that `report.html` and `report.md` carry exactly the same content.

use super::chart::Chart;

/// One block of a report.
#[derive(Clone, Debug)]
pub enum Block {
    /// A heading of level 1–3.
    Heading(u8, String),
    /// A paragraph of plain text.
    Paragraph(String),
    /// A command line, shown verbatim.
    Code(String),
    /// A table: header and rows; columns after the first are right-aligned
    /// when `numeric`.
    Table {
        /// Column headers.
        header: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
        /// Right-align columns after the first.
        numeric: bool,
    },
    /// A chart, written to `charts/<stem>.svg` and `.png`.
    Chart {
        /// File stem.
        stem: String,
        /// The chart.
        chart: Box<Chart>,
    },
}

/// A whole report.
#[derive(Clone, Debug)]
pub struct Document {
    /// Language key (`en`, `sv`) for `<html lang>`.
    pub lang: &'static str,
    /// Title (also the first heading).
    pub title: String,
    /// Content.
    pub blocks: Vec<Block>,
    /// The line at the foot of every chart (scenario, replications, seed,
    /// version, date); empty for none. Set by `write_report`.
    pub footer: String,
}

impl Document {
    /// The charts, in order.
    pub fn charts(&self) -> impl Iterator<Item = (&str, &Chart)> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Chart { stem, chart } => Some((stem.as_str(), chart.as_ref())),
            _ => None,
        })
    }
}

/// HTML text with `&`, `<`, `>` and `"` escaped.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// `report.html`: self-contained (CSS and the SVG charts inline), prints on
/// A4. `svgs` holds each chart's SVG text by stem.
pub fn html(doc: &Document, svgs: &[(String, String)]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n",
        doc.lang,
        escape_html(&doc.title),
        CSS
    );
    for b in &doc.blocks {
        match b {
            Block::Heading(level, text) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", escape_html(text)));
            }
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", escape_html(text))),
            Block::Code(text) => {
                out.push_str(&format!("<pre><code>{}</code></pre>\n", escape_html(text)));
            }
            Block::Table {
                header,
                rows,
                numeric,
            } => {
                out.push_str("<table>\n");
                // A table of facts has no header row.
                if header.iter().any(|h| !h.is_empty()) {
                    out.push_str("<thead><tr>");
                    for h in header {
                        out.push_str(&format!("<th>{}</th>", escape_html(h)));
                    }
                    out.push_str("</tr></thead>\n");
                }
                out.push_str("<tbody>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for (i, cell) in r.iter().enumerate() {
                        let class = if *numeric && i > 0 {
                            " class=\"num\""
                        } else {
                            ""
                        };
                        out.push_str(&format!("<td{class}>{}</td>", escape_html(cell)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Chart { stem, chart } => {
                let svg = svgs
                    .iter()
                    .find(|(s, _)| s == stem)
                    .map_or("", |(_, t)| t.as_str());
                // Drop the XML prolog, if any: inline SVG must not have one.
                let svg = svg.find("<svg").map_or(svg, |i| &svg[i..]);
                out.push_str(&format!(
                    "<figure id=\"{stem}\" role=\"img\" aria-label=\"{}\">\n{svg}\n</figure>\n",
                    escape_html(chart.title())
                ));
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

const CSS: &str = "body { font-family: 'DejaVu Sans', Verdana, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.85rem; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; }
figure { margin: 1rem 0; page-break-inside: avoid; } figure svg { width: 100%; height: auto; }
pre { background: #f4f4f4; padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; }
@media print { body { max-width: none; margin: 0; } h2 { page-break-after: avoid; } }";

/// Text that Markdown shows as written: characters that would start
/// emphasis, links, code or HTML are escaped (user text such as a scenario
/// description can hold `<script>` or `[link](…)`), and `<`, `>`, `&` become
/// entities so no raw HTML passes. `_` inside a word stays as it is
/// (`assessment_within_3_days`), as CommonMark does not read it as emphasis.
pub fn escape_markdown(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            _ => out.push(c),
        }
    }
    out
}

/// One line of Markdown text (a heading or a table cell): escaped, line
/// breaks as spaces.
fn md_line(s: &str) -> String {
    escape_markdown(&s.replace(['\n', '\r'], " "))
}

/// A code fence longer than any run of backticks in `text`, so that the
/// text cannot close it.
fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// `report.md`: the same content, charts as `charts/<stem>.png` images.
pub fn markdown(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading(level, text) => {
                let hashes = "#".repeat(*level as usize);
                out.push_str(&format!("{hashes} {}\n\n", md_line(text)));
            }
            Block::Paragraph(text) => out.push_str(&format!("{}\n\n", escape_markdown(text))),
            Block::Code(text) => {
                let fence = fence(text);
                out.push_str(&format!("{fence}sh\n{text}\n{fence}\n\n"));
            }
            Block::Table {
                header,
                rows,
                numeric,
            } => {
                let cells: Vec<String> = header.iter().map(|h| md_line(h)).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
                let rule: Vec<&str> = (0..header.len())
                    .map(|i| if *numeric && i > 0 { "---:" } else { "---" })
                    .collect();
                out.push_str(&format!("|{}|\n", rule.join("|")));
                for r in rows {
                    let cells: Vec<String> = r.iter().map(|c| md_line(c)).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                out.push('\n');
            }
            Block::Chart { stem, chart } => {
                let alt = md_line(chart.title());
                out.push_str(&format!("![{alt}](charts/{stem}.png)\n\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_shows_user_text_as_text_not_html_or_markup() {
        let doc = Document {
            lang: "en",
            title: "t".into(),
            footer: String::new(),
            blocks: vec![
                Block::Heading(2, "<b>x</b>\n# not a heading".into()),
                Block::Paragraph("<script>alert(1)</script> [a](http://x) *b* _c_ a_b".into()),
                Block::Code("echo ```; rm".into()),
                Block::Table {
                    header: vec!["k|v".into()],
                    rows: vec![vec!["<img src=x>".into()]],
                    numeric: false,
                },
            ],
        };
        let md = markdown(&doc);
        assert!(!md.contains('<') && !md.contains("[a](http"), "{md}");
        assert!(
            md.contains("&lt;script&gt;") && md.contains("\\[a\\]"),
            "{md}"
        );
        assert!(
            md.contains("\\*b\\*") && md.contains("\\_c\\_") && md.contains(" a_b"),
            "{md}"
        );
        assert!(
            md.contains("## &lt;b&gt;x&lt;/b&gt; \\# not a heading\n"),
            "{md}"
        );
        assert!(md.contains("````sh\necho ```; rm\n````"), "{md}");
        assert!(md.contains("| k\\|v |"), "{md}");
    }
}
