//! Inline figures: a single number in a page's prose, held by the same
//! runs as the generated blocks.
//!
//! A sentence quotes a figure as
//! `<!-- fig:BLOCK/WHAT -->81.0 %<!-- /fig -->` (both comments on one
//! line; GitHub shows only the number). `BLOCK` is a block of
//! docs/figures.toml; the figure comes from a run that block already does,
//! so a quote costs no simulation of its own. `WHAT` is, for a table or
//! list block, a row's `id` (the row's main value, written as the row
//! writes it), `ROW/VALUE` (a value in that row's run) or a `VALUE` (in
//! the block's own run, without a row's `set`); for a presets block,
//! `VALUE` (the base's level) or `VARIANT/VALUE` (the variant file's
//! paired Δ, `web-booking-40/contact_same_day`). A `VALUE` is what a row's
//! `value` may be (`metric[by=group]`). Options after a space:
//! `decimals=N`, `ci` to add the 95 % CI, and `level` for a presets
//! variant's own mean instead of its Δ.

use std::path::Path;

use super::{
    BlockSpec, Kind, Run, RunKey, SPEC, Spec, diff_text, level_text, mean_ci95, number, paired,
    row_values, values,
};
use crate::metrics::MetricUnit;

const OPEN: &str = "<!-- fig:";
const CLOSE: &str = "<!-- /fig -->";
/// What a span looks like, for the error messages.
const SHAPE: &str = "`<!-- fig:BLOCK/WHAT -->81.0 %<!-- /fig -->` on one line";

/// One inline figure on a page.
#[derive(Clone, Debug)]
pub struct Span {
    /// 1-based line of the span.
    pub line: usize,
    /// Byte range of the text between the comments.
    content: std::ops::Range<usize>,
    /// `BLOCK/WHAT` as written.
    pub selector: String,
    block: String,
    what: String,
    decimals: Option<usize>,
    ci: bool,
    /// A presets variant's own level instead of its Δ.
    level: bool,
}

impl Span {
    /// The figure the page shows now.
    pub fn shown<'a>(&self, page: &'a str) -> &'a str {
        &page[self.content.clone()]
    }
}

/// Every inline figure of `page`; each malformed one is a located problem.
pub fn find(file: &str, page: &str, problems: &mut Vec<String>) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut offset = 0;
    for (i, line) in page.split_inclusive('\n').enumerate() {
        let at = format!("{file}:{}", i + 1);
        let mut rest = 0;
        while let Some(k) = line[rest..].find(OPEN) {
            let open = rest + k;
            match parse_one(line, open) {
                Ok((span, next)) => {
                    spans.push(Span {
                        line: i + 1,
                        content: offset + span.content.start..offset + span.content.end,
                        ..span
                    });
                    rest = next;
                }
                Err(e) => {
                    problems.push(format!("{at}: {e}; expected {SHAPE}"));
                    rest = open + OPEN.len();
                }
            }
        }
        // A closing comment with no opening one before it on its line.
        let closes = line.matches(CLOSE).count();
        let opens = line.matches(OPEN).count();
        if closes > opens {
            problems.push(format!(
                "{at}: `{CLOSE}` without its `{OPEN}…-->`; expected {SHAPE}"
            ));
        }
        offset += line.len();
    }
    spans
}

/// The span opening at byte `open` of `line` (content relative to the
/// line), and where the search goes on.
fn parse_one(line: &str, open: usize) -> Result<(Span, usize), String> {
    let head_start = open + OPEN.len();
    let head_len = line[head_start..]
        .find("-->")
        .ok_or("`<!-- fig:` without its `-->` on the same line")?;
    let head = line[head_start..head_start + head_len].trim();
    let body_start = head_start + head_len + "-->".len();
    let body_len = line[body_start..]
        .find(CLOSE)
        .ok_or_else(|| format!("inline figure `fig:{head}` has no `{CLOSE}` on its line"))?;
    let body = &line[body_start..body_start + body_len];
    if body.contains("<!--") {
        return Err(format!(
            "inline figure `fig:{head}`: another comment before its `{CLOSE}`"
        ));
    }
    let mut words = head.split_whitespace();
    let selector = words.next().unwrap_or_default().to_string();
    let (block, what) = selector
        .split_once('/')
        .filter(|(b, w)| !b.is_empty() && !w.is_empty())
        .ok_or_else(|| format!("inline figure `fig:{head}`: no `BLOCK/WHAT` after `fig:`"))?;
    let (mut decimals, mut ci, mut level) = (None, false, false);
    for w in words {
        match w.split_once('=') {
            Some(("decimals", n)) => {
                decimals = Some(n.parse::<usize>().ok().filter(|&n| n <= 6).ok_or_else(|| {
                    format!("inline figure `fig:{head}`: `{w}`: decimals must be 0 to 6")
                })?)
            }
            None if w == "ci" => ci = true,
            None if w == "level" => level = true,
            _ => {
                return Err(format!(
                    "inline figure `fig:{head}`: unknown option `{w}` (known: `decimals=N`, `ci`, `level`)"
                ));
            }
        }
    }
    let span = Span {
        line: 0,
        content: body_start..body_start + body_len,
        selector: selector.clone(),
        block: block.to_string(),
        what: what.to_string(),
        decimals,
        ci,
        level,
    };
    Ok((span, body_start + body_len + CLOSE.len()))
}

/// `page` with each span's text replaced by its figure in `figures`
/// (same order as `spans`).
pub fn rewrite(page: &str, spans: &[Span], figures: &[String]) -> String {
    let mut out = String::with_capacity(page.len());
    let mut from = 0;
    for (s, f) in spans.iter().zip(figures) {
        out.push_str(&page[from..s.content.start]);
        out.push_str(f);
        from = s.content.end;
    }
    out.push_str(&page[from..]);
    out
}

/// The block a span names, or the located problem.
pub(super) fn block_of<'s>(spec: &'s Spec, span: &Span) -> Result<&'s BlockSpec, String> {
    spec.blocks
        .iter()
        .find(|b| b.name == span.block)
        .ok_or_else(|| {
            format!(
                "inline figure `fig:{}`: no block `{}` in {SPEC}",
                span.selector, span.block
            )
        })
}

/// Where a span's figure comes from: a row of a table or list, a variant
/// of a presets block, and the value read there.
enum Source<'s> {
    /// A row's main value, as the row writes it.
    Row(&'s super::RowSpec),
    /// `value` in the run with these extra `--set`s (a row's, or none).
    Level { set: &'s [String], value: &'s str },
    /// The paired Δ of a presets block's variant file.
    Delta { variant: String, value: &'s str },
}

fn source<'s>(root: &Path, b: &'s BlockSpec, span: &'s Span) -> Result<Source<'s>, String> {
    let row = |id: &str| b.rows.iter().find(|r| r.id.as_deref() == Some(id));
    let what = span.what.as_str();
    match b.kind {
        Kind::Table | Kind::List => Ok(match what.split_once('/') {
            Some((id, value)) => Source::Level {
                set: &row(id)
                    .ok_or_else(|| format!("block `{}` has no row with id `{id}`", b.name))?
                    .set,
                value,
            },
            None => match row(what) {
                Some(r) => Source::Row(r),
                None => Source::Level {
                    set: &[],
                    value: what,
                },
            },
        }),
        Kind::Presets => Ok(match what.split_once('/') {
            Some((stem, value)) => {
                let variant = super::variants(root, b)?
                    .into_iter()
                    .find(|v| v.rsplit('/').next() == Some(&format!("{stem}.toml")))
                    .ok_or_else(|| {
                        format!(
                            "block `{}` has no variant `{stem}` (a file `{stem}.toml` in `{}`)",
                            b.name,
                            b.variants.as_deref().unwrap_or_default()
                        )
                    })?;
                Source::Delta { variant, value }
            }
            None => Source::Level {
                set: &[],
                value: what,
            },
        }),
    }
}

/// The runs the spans need that the blocks may not do themselves: a table
/// block's own run when no row runs it (every row with a `set`).
pub fn run_keys(
    root: &Path,
    spec: &Spec,
    spans: &[Span],
    key: impl Fn(&BlockSpec, &str, &[String]) -> RunKey,
) -> Vec<RunKey> {
    let mut keys = Vec::new();
    for s in spans {
        let Ok(b) = block_of(spec, s) else { continue };
        if let Ok(Source::Level { set, .. }) = source(root, b, s) {
            keys.push(key(b, &b.scenario, set));
        }
    }
    keys
}

/// The figure a span should show, from the blocks' runs.
pub fn figure<'r>(
    root: &Path,
    spec: &Spec,
    span: &Span,
    run: impl Fn(&BlockSpec, &str, Option<&str>, &[String]) -> Option<&'r Run>,
) -> Result<String, String> {
    let b = block_of(spec, span)?;
    let at = |e: String| format!("inline figure `fig:{}`: {e}", span.selector);
    let missing = || at("its run is missing (a bug: run_keys did not ask for it)".into());
    match source(root, b, span).map_err(at)? {
        Source::Row(r) => {
            let run = run(b, &b.scenario, None, &r.set).ok_or_else(missing)?;
            let (xs, unit) = row_values(run, r, &r.value).map_err(at)?;
            let e = mean_ci95(xs);
            let (format, decimals) = super::row_format(r, unit);
            let decimals = span.decimals.unwrap_or(decimals);
            let mut text = super::show(e.mean, format, decimals, &r.suffix);
            if span.ci && e.ci95_low.is_finite() {
                let bare = |x: f64| super::show(x, format, decimals, "").replace(" %", "");
                text.push_str(&format!(" ({}–{})", bare(e.ci95_low), bare(e.ci95_high)));
            }
            Ok(text)
        }
        Source::Level { set, value } => {
            let run = run(b, &b.scenario, None, set).ok_or_else(missing)?;
            let (xs, unit) = values(&run.results, value).map_err(at)?;
            let e = mean_ci95(xs);
            Ok(if span.ci {
                level_text(&e, unit, span.decimals)
            } else {
                level(e.mean, unit, span.decimals)
            })
        }
        Source::Delta { variant, value } => {
            let over = b.rebase.then_some(b.scenario.as_str());
            let base = run(b, &b.scenario, None, &[]).ok_or_else(missing)?;
            let var = run(b, &variant, over, &b.variant_set).ok_or_else(missing)?;
            if span.level {
                let (xs, unit) = values(&var.results, value).map_err(at)?;
                return Ok(level(mean_ci95(xs).mean, unit, span.decimals));
            }
            let unit = values(&base.results, value)
                .or_else(|_| values(&var.results, value))
                .map_err(at)?
                .1;
            let mut d = paired(base, var, value).map_err(at)?;
            if !span.ci {
                (d.ci95_low, d.ci95_high) = (f64::NAN, f64::NAN);
            }
            Ok(diff_text(&d, unit, 1.0, span.decimals))
        }
    }
}

/// A mean in prose: a share as a percentage (one decimal), money without
/// decimals, anything else with two; the sentence says the unit.
fn level(x: f64, unit: MetricUnit, decimals: Option<usize>) -> String {
    match unit {
        MetricUnit::Share => format!("{} %", number(x * 100.0, decimals.unwrap_or(1))),
        MetricUnit::Sek => number(x, decimals.unwrap_or(0)),
        _ => number(x, decimals.unwrap_or(2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Result<Span, String> {
        let mut problems = Vec::new();
        let spans = find("page.md", line, &mut problems);
        if problems.is_empty() {
            Ok(spans.into_iter().next().expect("a span"))
        } else {
            Err(problems.join("\n"))
        }
    }

    #[test]
    fn a_span_is_read_with_its_block_what_and_options() {
        let page = "intro\n\"3\" <!-- fig:calibration/doctors decimals=0 ci -->86 %<!-- /fig --> and <!-- fig:presets/web-booking-40/contact_same_day -->+0.6 pp<!-- /fig -->.\n";
        let mut problems = Vec::new();
        let spans = find("page.md", page, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[0].line, spans[0].shown(page)), (2, "86 %"));
        assert_eq!(
            (spans[0].block.as_str(), spans[0].what.as_str()),
            ("calibration", "doctors")
        );
        assert_eq!((spans[0].decimals, spans[0].ci), (Some(0), true));
        assert_eq!(spans[1].what, "web-booking-40/contact_same_day");
        let new = rewrite(page, &spans, &["87 %".into(), "+0.7 pp".into()]);
        assert_eq!(
            new,
            page.replace(">86 %<", ">87 %<")
                .replace(">+0.6 pp<", ">+0.7 pp<")
        );
    }

    #[test]
    fn a_malformed_span_is_located_and_says_what_was_expected() {
        for (line, says) in [
            ("x <!-- fig:calibration/doctors 86 %", "without its `-->`"),
            (
                "x <!-- fig:calibration/doctors -->86 %",
                "no `<!-- /fig -->`",
            ),
            (
                "x <!-- fig:calibration -->86 %<!-- /fig -->",
                "no `BLOCK/WHAT`",
            ),
            (
                "x <!-- fig:calibration/doctors round -->86 %<!-- /fig -->",
                "unknown option `round`",
            ),
            (
                "x <!-- fig:a/b decimals=x -->86 %<!-- /fig -->",
                "decimals must be 0 to 6",
            ),
            ("x 86 %<!-- /fig -->", "without its `<!-- fig:"),
        ] {
            let e = one(&format!("title\n{line}\n")).unwrap_err();
            assert!(e.starts_with("page.md:2: "), "{e}");
            assert!(e.contains(says), "{line}: {e}");
            assert!(e.contains("expected `<!-- fig:BLOCK/WHAT -->"), "{e}");
        }
    }
}
