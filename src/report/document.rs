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

/// A Markdown table cell: pipes escaped, no line breaks.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `report.md`: the same content, charts as `charts/<stem>.png` images.
pub fn markdown(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading(level, text) => {
                out.push_str(&format!("{} {text}\n\n", "#".repeat(*level as usize)));
            }
            Block::Paragraph(text) => out.push_str(&format!("{text}\n\n")),
            Block::Code(text) => out.push_str(&format!("```sh\n{text}\n```\n\n")),
            Block::Table {
                header,
                rows,
                numeric,
            } => {
                let cells: Vec<String> = header.iter().map(|h| md_cell(h)).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
                let rule: Vec<&str> = (0..header.len())
                    .map(|i| if *numeric && i > 0 { "---:" } else { "---" })
                    .collect();
                out.push_str(&format!("|{}|\n", rule.join("|")));
                for r in rows {
                    let cells: Vec<String> = r.iter().map(|c| md_cell(c)).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                out.push('\n');
            }
            Block::Chart { stem, chart } => {
                out.push_str(&format!("![{}](charts/{stem}.png)\n\n", chart.title()));
            }
        }
    }
    out
}
