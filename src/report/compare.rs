//! `vardsim compare` output: a side-by-side table and its JSON form.

use std::collections::BTreeMap;

use serde::Serialize;

use super::lang::difference_text;
use super::table::{aligned, counts_note, fmt_number, numbers, per_year, whole};
use super::{Lang, ReportError, SCHEMA_VERSION};
use crate::experiment::Comparison;
use crate::metrics::{Estimate, MetricUnit};

/// A difference with its CI as the English terminal writes it, e.g.
/// `-53.2 (-55.0 – -51.4)` (plain numbers, as its other columns); shares in
/// percentage points. `whole_counts`: counts without decimals, as the row
/// decided ([`whole`]). The form is every table's ([`difference_text`]).
pub(super) fn fmt_diff(e: &Estimate, unit: MetricUnit, whole_counts: bool) -> String {
    let share = unit == MetricUnit::Share;
    let (scale, suffix) = if share { (100.0, " pp") } else { (1.0, "") };
    difference_text(e.mean, (e.ci95_low, e.ci95_high), scale, suffix, |x| {
        if share {
            format!("{x:.1}")
        } else {
            fmt_number(x, unit, whole_counts)
        }
    })
}

/// [`fmt_diff`] in `lang` (Swedish: decimal comma, `p.e.`).
pub(super) fn lang_diff(e: &Estimate, unit: MetricUnit, lang: Lang, whole_counts: bool) -> String {
    lang.difference(e.mean, (e.ci95_low, e.ci95_high), unit.key(), whole_counts)
}

/// A metric's estimates and paired differences as the terminal shows them:
/// counts summed over the measured period scaled to a year (365 ÷ measured
/// days, rounded), as the run table does; everything else as it is.
fn shown(c: &Comparison, key: &str, unit: MetricUnit, e: &Estimate) -> Estimate {
    per_year(key, unit, c.per_year_days(), e).0
}

/// Whether metric `key`'s counts are written whole in every scenario's
/// mean and every difference (the numbers as shown): one metric, one way.
fn row_whole(c: &Comparison, key: &str) -> bool {
    let m = &c.metrics[key];
    let shown_means = m.estimates.iter().map(|e| shown(c, key, m.unit, e).mean);
    let shown_differences = m
        .differences
        .iter()
        .flat_map(|d| numbers(&shown(c, key, m.unit, d)));
    whole(&shown_means.chain(shown_differences).collect::<Vec<_>>())
}

/// Above this many scenarios the side-by-side table gets too wide for a
/// terminal (nine scenarios made 517 columns): one block per metric instead.
pub const WIDE_COMPARISON: usize = 4;

/// Guarantee rules first (a rule by its key's form: a comparison keeps no
/// breakdown by month), then the rest in key order.
pub(crate) fn rules_first<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    super::table::rules_first_of(keys, |k| {
        k == "contact_same_day" || (k.contains("_within_") && k.ends_with("_days"))
    })
}

/// The names the table gives `c`'s scenarios: each one's label in the
/// table's language (`labels`, one per scenario, as the report and the
/// workbook name them), its key where it has none or where two scenarios
/// share a label (the key is unique: `mmc#2`).
fn column_names(c: &Comparison, labels: &[String]) -> Vec<String> {
    c.scenarios
        .iter()
        .enumerate()
        .map(|(i, key)| match labels.get(i).map(|l| l.trim()) {
            Some(l) if !l.is_empty() && labels.iter().filter(|o| o.trim() == l).count() == 1 => {
                l.to_string()
            }
            _ => key.clone(),
        })
        .collect()
}

/// The comparison table in `lang`, guarantee rules first, the scenarios
/// named by `labels` (one per scenario, in `lang`; the key where empty or
/// shared). Up to `WIDE_COMPARISON` scenarios side by
/// side (English: [`comparison_table`] with its metric keys); more, in long
/// form: one block per metric, one row per scenario with its mean and
/// paired difference from the base. The heading names them by key.
pub fn comparison_table_in(c: &Comparison, labels: &[String], lang: Lang) -> String {
    let names = column_names(c, labels);
    if c.scenarios.len() <= WIDE_COMPARISON {
        if lang == Lang::En {
            return comparison_table(c, labels);
        }
        let mut header = vec!["Mått".to_string(), names[0].clone()];
        for v in &names[1..] {
            header.push(v.clone());
            header.push(format!("Δ {v} (95 % KI)"));
        }
        let mut rows = vec![header];
        for key in rules_first(c.metrics.keys().map(String::as_str)) {
            let m = &c.metrics[key];
            let show = |e: &Estimate| shown(c, key, m.unit, e);
            let w = row_whole(c, key);
            let mut row = vec![
                lang.with_unit(lang.metric(key), m.unit.key()),
                lang.value_as(show(&m.estimates[0]).mean, m.unit.key(), w),
            ];
            for (e, d) in m.estimates[1..].iter().zip(&m.differences) {
                row.push(lang.value_as(show(e).mean, m.unit.key(), w));
                row.push(lang_diff(&show(d), m.unit, lang, w));
            }
            rows.push(row);
        }
        return format!("{}{}", compare_heading(c, lang), aligned(&rows));
    }
    // The scenario names are in every block; the heading leaves them out,
    // and what the counts cover goes on a line of its own (a terminal's
    // width).
    let note = compare_counts_note(c, lang);
    let counts_line = match note.strip_prefix(" · ") {
        Some(n) => format!("\n{n}"),
        None => note,
    };
    let mut out = match lang {
        Lang::En => format!(
            "compare {} scenarios · {} replications each · seed {} (paired: common random numbers){}\n\n",
            c.scenarios.len(),
            c.replications,
            c.seed,
            counts_line
        ),
        Lang::Sv => format!(
            "jämförelse av {} scenarier · {} körningar vardera · slumpfrö {} (parvis: gemensamma slumptal){}\n\n",
            c.scenarios.len(),
            c.replications,
            c.seed,
            counts_line
        ),
    };
    for key in rules_first(c.metrics.keys().map(String::as_str)) {
        let m = &c.metrics[key];
        let title = if lang == Lang::En {
            key.to_string()
        } else {
            let label = lang.metric(key);
            // A long label (a rule under its other definition) keeps its key
            // on a line of its own, inside a terminal's width.
            if label.chars().count() + key.len() + 3 > 100 {
                format!("{label}\n  ({key})")
            } else {
                format!("{label} ({key})")
            }
        };
        out.push_str(&format!("{title}\n"));
        let mut rows = vec![vec![
            lang.pick("  scenario", "  scenario").to_string(),
            lang.pick("mean", "medelvärde").to_string(),
            lang.pick("Δ from baseline (95 % CI)", "Δ mot nuläge (95 % KI)")
                .to_string(),
        ]];
        let w = row_whole(c, key);
        for (i, name) in names.iter().enumerate() {
            let show = |e: &Estimate| shown(c, key, m.unit, e);
            let diff = match i {
                0 => lang.pick("baseline", "nuläge").to_string(),
                _ => lang_diff(&show(&m.differences[i - 1]), m.unit, lang, w),
            };
            rows.push(vec![
                format!("  {name}"),
                lang.value_as(show(&m.estimates[i]).mean, m.unit.key(), w),
                diff,
            ]);
        }
        out.push_str(&aligned(&rows));
        out.push('\n');
    }
    out
}

fn compare_heading(c: &Comparison, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "compare {} · {} replications each · seed {} (paired: common random numbers){}\n\n",
            c.scenarios.join(" vs "),
            c.replications,
            c.seed,
            compare_counts_note(c, lang)
        ),
        Lang::Sv => format!(
            "jämförelse {} · {} körningar vardera · slumpfrö {} (parvis: gemensamma slumptal){}\n\n",
            c.scenarios.join(" mot "),
            c.replications,
            c.seed,
            compare_counts_note(c, lang)
        ),
    }
}

/// What a comparison's counts cover: per year when every scenario measured
/// the same period ([`counts_note`]); else that they are totals of each
/// scenario's own period, so that no one reads their difference as a
/// difference per year.
fn compare_counts_note(c: &Comparison, lang: Lang) -> String {
    if c.per_year_days() > 0 || c.measured_days == 0 {
        return counts_note(c.measured_days, lang);
    }
    let days: Vec<String> = c.measured_days_each.iter().map(u32::to_string).collect();
    match lang {
        Lang::En => format!(
            " · counts are totals of each scenario's measured period ({} days), not per year",
            days.join(", ")
        ),
        Lang::Sv => format!(
            " · antal är summor över varje scenarios mätta period ({} dagar), inte per år",
            days.join(", ")
        ),
    }
}

/// A table: one row per metric; the base's mean, then each variant's mean
/// and its paired difference from the base with the 95 % CI; scenarios
/// named by their English `labels` (the key where empty or shared).
pub fn comparison_table(c: &Comparison, labels: &[String]) -> String {
    let names = column_names(c, labels);
    let mut header = vec!["metric".to_string(), names[0].clone()];
    for v in &names[1..] {
        header.push(v.clone());
        header.push(format!("Δ {v} (95 % CI)"));
    }
    let mut rows = vec![header];
    for key in rules_first(c.metrics.keys().map(String::as_str)) {
        let m = &c.metrics[key];
        let show = |e: &Estimate| shown(c, key, m.unit, e);
        let w = row_whole(c, key);
        let mut row = vec![
            key.to_string(),
            fmt_number(show(&m.estimates[0]).mean, m.unit, w),
        ];
        for (e, d) in m.estimates[1..].iter().zip(&m.differences) {
            row.push(fmt_number(show(e).mean, m.unit, w));
            row.push(fmt_diff(&show(d), m.unit, w));
        }
        rows.push(row);
    }
    let mut out = compare_heading(c, Lang::En);
    out.push_str(&aligned(&rows));
    out
}

#[derive(Serialize)]
struct CompareFile<'a> {
    schema_version: u32,
    base: &'a str,
    variants: &'a [String],
    seed: u64,
    replications: usize,
    /// Days measured per replication: counts are totals of these days.
    measured_days: u32,
    vardsim_version: &'static str,
    metrics: BTreeMap<&'a str, MetricRow<'a>>,
}

#[derive(Serialize)]
struct MetricRow<'a> {
    unit: &'static str,
    scenarios: BTreeMap<&'a str, Interval>,
    differences: BTreeMap<&'a str, Interval>,
}

#[derive(Serialize)]
struct Interval {
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
}

impl From<&Estimate> for Interval {
    fn from(e: &Estimate) -> Self {
        let num = |x: f64| x.is_finite().then_some(x);
        Interval {
            mean: num(e.mean),
            ci95_low: num(e.ci95_low),
            ci95_high: num(e.ci95_high),
        }
    }
}

/// The comparison as JSON (see `docs/output.md`).
pub fn comparison_json(c: &Comparison) -> Result<String, ReportError> {
    let file = CompareFile {
        schema_version: SCHEMA_VERSION,
        base: &c.scenarios[0],
        variants: &c.scenarios[1..],
        seed: c.seed,
        replications: c.replications,
        measured_days: c.measured_days,
        vardsim_version: env!("CARGO_PKG_VERSION"),
        metrics: c
            .metrics
            .iter()
            .map(|(k, m)| {
                (
                    k.as_str(),
                    MetricRow {
                        unit: m.unit.key(),
                        scenarios: c
                            .scenarios
                            .iter()
                            .map(String::as_str)
                            .zip(m.estimates.iter().map(Interval::from))
                            .collect(),
                        differences: c.scenarios[1..]
                            .iter()
                            .map(String::as_str)
                            .zip(m.differences.iter().map(Interval::from))
                            .collect(),
                    },
                )
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&file).map_err(|e| ReportError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::ComparedMetric;

    fn estimate(mean: f64, low: f64, high: f64) -> Estimate {
        Estimate {
            mean,
            ci95_low: low,
            ci95_high: high,
            n: 4,
        }
    }

    /// The rows a new user saw: `135` beside `135.75`, and `5.75` beside a
    /// difference of `+0 (+0 – +0)`.
    fn comparison() -> Comparison {
        let metric = |estimates, difference| ComparedMetric {
            unit: MetricUnit::Count,
            estimates,
            differences: vec![difference],
        };
        let mut metrics = BTreeMap::new();
        metrics.insert(
            "patients_in_system_at_end".to_string(),
            metric(
                vec![
                    estimate(135.0, 130.0, 140.0),
                    estimate(135.75, 131.0, 140.5),
                ],
                estimate(0.75, -1.64, 3.15),
            ),
        );
        metrics.insert(
            "dropin_arrivals_per_day".to_string(),
            metric(
                vec![estimate(5.75, 5.5, 6.0), estimate(5.75, 5.5, 6.0)],
                estimate(0.0, 0.0, 0.0),
            ),
        );
        metrics.insert(
            "continuity_listed_per_doctor".to_string(),
            metric(
                vec![estimate(450.0, 450.0, 450.0), estimate(450.0, 450.0, 450.0)],
                estimate(0.0, 0.0, 0.0),
            ),
        );
        Comparison {
            scenarios: vec!["default".into(), "variant".into()],
            seed: 1,
            replications: 4,
            measured_days: 364,
            measured_days_each: vec![364, 364],
            metrics,
        }
    }

    fn row<'t>(table: &'t str, start: &str) -> &'t str {
        table
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no row {start} in\n{table}"))
    }

    #[test]
    fn a_row_of_counts_is_whole_throughout_or_nowhere() {
        let c = comparison();
        let en = comparison_table(&c, &[]);
        let words = |r: &str| r.split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(row(&en, "patients_in_system_at_end")),
            "135.00 135.75 +0.75 (-1.64 – +3.15)"
        );
        assert_eq!(
            words(row(&en, "dropin_arrivals_per_day")),
            "5.75 5.75 0.00 (0.00 – 0.00)"
        );
        assert_eq!(
            words(row(&en, "continuity_listed_per_doctor")),
            "450 450 0 (0 – 0)"
        );
        let sv = comparison_table_in(&c, &[], Lang::Sv);
        let label = Lang::Sv.metric("patients_in_system_at_end");
        assert!(
            row(&sv, &label).contains("135,00 ") && row(&sv, &label).contains("135,75"),
            "{sv}"
        );
    }

    /// An audit's finding: the terminal named columns by key
    /// (`dropin-nurse-doctor`) where the report and the workbook use the
    /// scenarios' labels.
    #[test]
    fn columns_are_named_by_label_else_key() {
        let c = comparison();
        let labels = ["Today".to_string(), "Web booking, 40 %".to_string()];
        let en = comparison_table(&c, &labels);
        let header = en.lines().nth(2).unwrap();
        assert!(
            header.contains("  Today  ")
                && header.contains("  Web booking, 40 %  ")
                && header.contains("Δ Web booking, 40 % (95 % CI)"),
            "{en}"
        );
        assert!(!header.contains("variant"), "{en}");
        // What was run is said by key in the heading.
        assert!(en.starts_with("compare default vs variant"), "{en}");
        let sv = comparison_table_in(&c, &["Nuläge".into(), String::new()], Lang::Sv);
        let header = sv.lines().nth(2).unwrap();
        assert!(
            header.contains("  Nuläge  ") && header.contains("Δ variant (95 % KI)"),
            "no label: the key\n{sv}"
        );
        // A label two scenarios share would not tell them apart: keys.
        let same = ["Same".to_string(), "Same".to_string()];
        let header = comparison_table(&c, &same)
            .lines()
            .nth(2)
            .unwrap()
            .to_string();
        assert!(
            header.contains("  default  ") && !header.contains("Same"),
            "{header}"
        );
    }
}
