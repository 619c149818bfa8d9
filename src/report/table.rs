//! The summary table printed to the terminal, in English (metric keys,
//! as in summary.json) or Swedish (labels, decimal comma, thousands
//! separators); guarantee rules first either way.

use super::Lang;
use crate::experiment::RunResults;
use crate::metrics::{By, Estimate, MetricUnit};

/// A value for people: shares as percentages, whole counts without
/// decimals.
pub fn fmt_value(x: f64, unit: MetricUnit) -> String {
    fmt_number(x, unit, whole(&[x]))
}

/// Whether counts among `xs` are written without decimals: only when every
/// one of them is whole, so that a row (a mean and its CI, the scenarios
/// side by side, their differences) never mixes `135` and `135.75`.
pub fn whole(xs: &[f64]) -> bool {
    xs.iter()
        .filter(|x| x.is_finite())
        .all(|x| x.fract() == 0.0)
}

/// [`fmt_value`] with counts written whole or with decimals as a row
/// decided ([`whole`]).
pub fn fmt_number(x: f64, unit: MetricUnit, whole_counts: bool) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let d = super::lang::decimals(unit.key(), whole_counts && x.abs() < 1e15);
    match unit {
        MetricUnit::Share => format!("{:.d$} %", x * 100.0),
        _ => super::lang::terminal_number(x, d),
    }
}

/// A mean's 95 % CI, `low – high`, its counts written as the row's.
fn fmt_ci(e: &Estimate, unit: MetricUnit, whole_counts: bool) -> String {
    if e.ci95_low.is_finite() {
        format!(
            "{} – {}",
            fmt_number(e.ci95_low, unit, whole_counts),
            fmt_number(e.ci95_high, unit, whole_counts)
        )
    } else {
        "–".into()
    }
}

/// The numbers of an estimate, for [`whole`].
pub fn numbers(e: &Estimate) -> [f64; 3] {
    [e.mean, e.ci95_low, e.ci95_high]
}

/// Whether `key` is a guarantee rule of these results: the rules are the
/// metrics broken down by month of first contact (`docs/output.md`); a
/// weekly breakdown is not enough (the staff's summer leave has one).
fn is_rule(results: &RunResults, key: &str) -> bool {
    results
        .summary
        .breakdown
        .iter()
        .any(|b| b.metric == key && b.by == By::Month)
}

/// A run's overall metrics' keys with the guarantee rules ([`is_rule`])
/// first, then the rest in key order.
fn rules_first(results: &RunResults) -> Vec<&str> {
    rules_first_of(results.summary.metrics.keys().map(String::as_str), |k| {
        is_rule(results, k)
    })
}

/// `keys` with the guarantee rules (`rule_itself`) first, then the rest in
/// key order: the order of every table of metrics, terminal and report.
pub(crate) fn rules_first_of<'a>(
    keys: impl Iterator<Item = &'a str>,
    rule_itself: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    // A rule's other definition and its patient-chosen misses sort right
    // after it (their keys extend the rule's), side by side.
    let rule = |k: &str| {
        rule_itself(k)
            || [
                crate::metrics::EXCLUDING_PATIENT_CHOSEN,
                crate::metrics::MISSED_PATIENT_CHOSEN,
            ]
            .iter()
            .any(|suffix| k.strip_suffix(suffix).is_some_and(&rule_itself))
    };
    let mut keys: Vec<&str> = keys.collect();
    keys.sort_by_key(|k| !rule(k));
    keys
}

/// How a metric is shown in the terminal: counts summed over the measured
/// period per year (scaled by 365 ÷ measured days, rounded), everything
/// else as it is. Returns the estimate and whether it was scaled.
fn shown(results: &RunResults, key: &str, unit: MetricUnit, e: &Estimate) -> (Estimate, bool) {
    per_year(key, unit, results.measured_days, e)
}

/// An estimate of metric `key` as the terminal tables show it: a count
/// summed over `measured_days` scaled to a year (365 ÷ measured days,
/// rounded), with `true`; anything else as it is, with `false`. `run`,
/// `compare` and `sweep` share it.
pub(super) fn per_year(
    key: &str,
    unit: MetricUnit,
    measured_days: u32,
    e: &Estimate,
) -> (Estimate, bool) {
    match super::per_year_factor(measured_days) {
        Some(f) if super::is_period_total(key, unit.key()) => (
            Estimate {
                mean: (e.mean * f).round(),
                ci95_low: (e.ci95_low * f).round(),
                ci95_high: (e.ci95_high * f).round(),
                n: e.n,
            },
            true,
        ),
        _ => (*e, false),
    }
}

/// What the counts of a table cover, for its first line: ` · counts per
/// year, scaled from 364 measured days` (nothing for an empty period).
pub(super) fn counts_note(measured_days: u32, lang: Lang) -> String {
    match (lang, measured_days) {
        (_, 0) => String::new(),
        (Lang::En, 365) => " · counts per year".into(),
        (Lang::Sv, 365) => " · antal per år".into(),
        (Lang::En, d) => format!(" · counts per year, scaled from {d} measured days"),
        (Lang::Sv, d) => format!(" · antal per år, uppräknat från {d} mätta dagar"),
    }
}

/// The table's first line: scenario, replications, seed and what the
/// counts cover (`counts per year, scaled from 364 measured days`).
fn title(results: &RunResults, lang: Lang) -> String {
    let counts = counts_note(results.measured_days, lang);
    format!(
        "scenario {} · {} {} · {} {}{counts}",
        results.scenario,
        results.replications.len(),
        lang.pick("replications", "körningar"),
        lang.pick("seed", "slumpfrö"),
        results.seed
    )
}

/// The summary table in `lang`: [`summary_table`] in English; in Swedish
/// each metric by its label, values with a decimal comma and thousands
/// separators (`87,4 %`, `1 479 000`), Swedish units.
pub fn summary_table_in(results: &RunResults, lang: Lang) -> String {
    if lang == Lang::En {
        return summary_table(results);
    }
    let mut rows = vec![
        ["Mått", "Medelvärde", "95 % KI", "Enhet"]
            .map(String::from)
            .to_vec(),
    ];
    for k in rules_first(results) {
        let m = &results.summary.metrics[k];
        let unit = m.unit.key();
        let (e, per_year) = shown(results, k, m.unit, &m.estimate);
        let e = &e;
        let w = whole(&numbers(e));
        let ci = if e.ci95_low.is_finite() {
            format!(
                "{} – {}",
                lang.value_as(e.ci95_low, unit, w),
                lang.value_as(e.ci95_high, unit, w)
            )
        } else {
            "–".into()
        };
        rows.push(vec![
            lang.metric(k),
            lang.value_as(e.mean, unit, w),
            ci,
            if per_year {
                "antal per år".to_string()
            } else if unit == MetricUnit::Count.key() {
                // The column says what every number is, as in English.
                "antal".to_string()
            } else {
                lang.unit(unit).to_string()
            },
        ]);
    }
    format!("{}\n\n{}", title(results, lang), aligned(&rows))
}

/// A plain-text table of every overall metric (guarantee rules first): key,
/// mean, 95 % CI, unit.
pub fn summary_table(results: &RunResults) -> String {
    let rows: Vec<[String; 4]> = rules_first(results)
        .into_iter()
        .map(|k| (k, &results.summary.metrics[k]))
        .map(|(k, m)| {
            let (e, per_year) = shown(results, k, m.unit, &m.estimate);
            let w = whole(&numbers(&e));
            [
                k.to_string(),
                fmt_number(e.mean, m.unit, w),
                fmt_ci(&e, m.unit, w),
                if per_year {
                    "count per year".to_string()
                } else {
                    m.unit.key().to_string()
                },
            ]
        })
        .collect();
    let header = ["metric", "mean", "95 % CI", "unit"];
    let mut width = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: [&str; 4]| {
        format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {}\n",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = width[0],
            w1 = width[1],
            w2 = width[2]
        )
    };
    let mut out = format!("{}\n\n", title(results, Lang::En));
    out.push_str(&line(header));
    out.push_str(&format!(
        "{}\n",
        "-".repeat(width.iter().sum::<usize>() + 6 + width[3])
    ));
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3]]));
    }
    out
}

/// Rows as aligned columns: the first left-aligned, the rest right-aligned,
/// a rule under the first row (the header).
pub fn aligned(rows: &[Vec<String>]) -> String {
    aligned_columns(rows, 1)
}

/// Rows as aligned columns, those from index `right_from` on right-aligned
/// (numbers) and the ones before left-aligned (text), a rule under the
/// first row (the header).
pub fn aligned_columns(rows: &[Vec<String>], right_from: usize) -> String {
    aligned_numbers(rows, right_from..usize::MAX)
}

/// Rows as aligned columns, those in `numbers` right-aligned and the
/// others left-aligned (text, also a column of text after the numbers), a
/// rule under the first row (the header).
pub fn aligned_numbers(rows: &[Vec<String>], numbers: std::ops::Range<usize>) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, r) in rows.iter().enumerate() {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            let pad = " ".repeat(width[i] - cell.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            if !numbers.contains(&i) {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if n == 0 {
            out.push_str(&"-".repeat(width.iter().sum::<usize>() + 2 * cols.saturating_sub(1)));
            out.push('\n');
        }
    }
    out
}

/// Decimals (1 to 3) for a share shown as a percentage beside a target, so
/// that the number shown is on the same side of the target as the share.
fn decimals_beside(share: f64, target: f64) -> usize {
    (1..=3)
        .find(|&d| {
            let scale = 10f64.powi(d as i32 + 2);
            ((share * scale).round() / scale < target) == (share < target)
        })
        .unwrap_or(3)
}

/// The guarantee rules per health centre (`run --by unit`): one row per
/// unit, ranked by the 3-day rule (the first rule when there is none),
/// lowest first, each rule's mean and 95 % CI; with a `target` (a share),
/// units whose mean misses it on the ranking rule are flagged. Units are
/// named by their keys in English (the program form, as `--set` writes
/// them) and by `name_of` their names in Swedish, as the rules are.
pub fn unit_table(
    results: &RunResults,
    lang: Lang,
    target: Option<f64>,
    name_of: impl Fn(&str) -> Option<String>,
) -> String {
    let rules: Vec<&str> = rules_first(results)
        .into_iter()
        .filter(|k| is_rule(results, k))
        .collect();
    let rank_by = rules
        .iter()
        .copied()
        .find(|r| *r == "assessment_within_3_days")
        .or(rules.first().copied());
    let Some(rank_by) = rank_by else {
        return String::new();
    };
    let of = |metric: &str, unit: &str| {
        results
            .summary
            .breakdown
            .iter()
            .find(|b| b.metric == metric && b.by == By::Unit && b.group == unit)
            .map(|b| b.estimate)
    };
    let mut units: Vec<&str> = results
        .summary
        .breakdown
        .iter()
        .filter(|b| b.metric == rank_by && b.by == By::Unit)
        .map(|b| b.group.as_str())
        .collect();
    let mean = |u: &str| of(rank_by, u).map_or(f64::NAN, |e| e.mean);
    units.sort_by(|a, b| mean(a).total_cmp(&mean(b)).then(a.cmp(b)));
    let mut header = vec![lang.pick("unit", "vårdcentral").to_string()];
    header.extend(rules.iter().map(|r| match lang {
        Lang::En => r.to_string(),
        Lang::Sv => lang.metric(r),
    }));
    if target.is_some() {
        header.push(lang.pick("target", "mål").to_string());
    }
    let mut rows = vec![header];
    for u in units {
        let shown = match lang {
            Lang::En => None,
            Lang::Sv => name_of(u),
        };
        let mut row = vec![shown.unwrap_or_else(|| u.to_string())];
        for r in &rules {
            // The ranking rule's mean gets the digits that show its side of
            // the target: 84.97 % flagged BELOW, never "85.0 %" flagged.
            let digits = |m: f64| match target {
                Some(t) if *r == rank_by => decimals_beside(m, t),
                _ => 1,
            };
            row.push(of(r, u).map_or("–".to_string(), |e| {
                if e.ci95_low.is_finite() {
                    format!(
                        "{} ({} – {})",
                        lang.percent(e.mean, digits(e.mean)),
                        lang.percent(e.ci95_low, 1),
                        lang.percent(e.ci95_high, 1)
                    )
                } else {
                    lang.percent(e.mean, digits(e.mean))
                }
            }));
        }
        if let Some(t) = target {
            let below = mean(u) < t;
            row.push(
                if below {
                    lang.pick("BELOW", "UNDER")
                } else {
                    ""
                }
                .to_string(),
            );
        }
        rows.push(row);
    }
    let title = match (lang, target) {
        (Lang::En, Some(t)) => format!(
            "guarantee by health centre, lowest {rank_by} first; BELOW: its {rank_by} mean under the target {}\n\n",
            lang.percent(t, 0)
        ),
        (Lang::En, None) => format!("guarantee by health centre, lowest {rank_by} first\n\n"),
        (Lang::Sv, Some(t)) => format!(
            "vårdgaranti per vårdcentral, lägst {} först; UNDER: dess medelvärde för {} under målet {}\n\n",
            lang.metric(rank_by).to_lowercase(),
            lang.metric(rank_by).to_lowercase(),
            lang.percent(t, 0)
        ),
        (Lang::Sv, None) => format!(
            "vårdgaranti per vårdcentral, lägst {} först\n\n",
            lang.metric(rank_by).to_lowercase()
        ),
    };
    format!("{title}{}", aligned(&rows))
}

#[cfg(test)]
mod tests {
    use super::decimals_beside;

    #[test]
    fn a_share_beside_its_target_shows_its_side() {
        assert_eq!(decimals_beside(0.8497, 0.85), 2); // 84.97, not 85.0
        assert_eq!(decimals_beside(0.84999, 0.85), 3); // 85.00 would still read as met
        assert_eq!(decimals_beside(0.8502, 0.85), 1); // 85.0 and met
        assert_eq!(decimals_beside(0.80, 0.85), 1);
    }
}
