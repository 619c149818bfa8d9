//! What a report says: the charts and tables made from a run folder
//! (`summary.json`), a compare folder (`comparison.json`) or a sweep folder
//! (`sweep.json`), with the key
//! assumptions and the command from `assumptions.json` when present, and
//! the files `vardsim report` writes.
//!
//! A chart appears only when its data is in the results (e.g. no weekly
//! chart from a summary written before the `week` breakdown existed), so a
//! report never shows an empty chart.

use crate::metrics::By;
use crate::model::flows::mobile::metrics as mobile_metrics;
use std::path::{Path, PathBuf};

use super::chart::{
    BarChart, Chart, Heatmap, Interval, Labels, LineChart, RowChart, RowScale, Scatter, Series,
    StackedBars,
};
use super::document::{Block, Document, html, markdown};
use super::input::{Assumptions, AssumptionsFile, ComparisonDoc, SummaryDoc, SweepDoc, read_json};
use super::lang::Lang;
use super::namer::Namer;
use super::{ReportError, write_atomic};

/// How to write a report.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportOptions {
    /// Language of every label and sentence.
    pub lang: Lang,
    /// A compliance target (share 0–1) drawn as a line on compliance charts.
    pub target: Option<f64>,
}

/// The official buckets of days to medical assessment, as in summary.json.
const DAY_BUCKETS: [&str; 6] = ["0", "1", "2", "3", "4-7", "8+"];

fn labels(title: String, x: String, y: String) -> Labels {
    Labels { title, x, y }
}

/// Guarantee compliance per rule, one series per scenario.
fn compliance_chart(
    lang: Lang,
    rules: &[(String, Vec<Interval>)],
    scenarios: &[String],
    target: Option<f64>,
) -> Chart {
    Chart::Bars(BarChart {
        labels: labels(
            lang.text("chart_compliance"),
            lang.text("rule"),
            lang.text("axis_compliance"),
        ),
        categories: rules.iter().map(|(name, _)| name.clone()).collect(),
        series: scenarios
            .iter()
            .enumerate()
            .map(|(j, s)| Series {
                name: s.clone(),
                values: rules.iter().map(|(_, v)| v[j]).collect(),
            })
            .collect(),
        percent: true,
        target,
    })
}

/// Each guarantee rule (as the scenario counts it) by patient group: `by`
/// is `age` (age group) or `distance` (distance band, km), one bar group
/// per group in the dimension's order ([`By::group_order`]: age groups
/// `0-17` … `80+`, distance bands nearest first, also in a summary written
/// before the run wrote them so) named as the workbook names it
/// ([`Namer::group`]), one series per rule. None when the run has fewer
/// than two groups (the default scenario without age groups has one,
/// `all`; a scenario without distance bands none).
fn group_compliance_chart(
    namer: &Namer<'_>,
    s: &SummaryDoc,
    rules: &[(String, String)],
    by: &str,
    target: Option<f64>,
) -> Option<Chart> {
    let mut groups: Vec<&str> = rules
        .iter()
        .flat_map(|(_, key)| s.groups(key, by).map(|g| g.group.as_str()))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    groups.retain(|g| seen.insert(*g));
    if let Some(dim) = By::from_key(by) {
        groups.sort_by(|a, b| dim.group_order(a, b));
    }
    if groups.len() < 2 {
        return None;
    }
    let series: Vec<Series> = rules
        .iter()
        .filter(|(_, key)| s.groups(key, by).next().is_some())
        .map(|(name, key)| Series {
            name: name.clone(),
            values: groups
                .iter()
                .map(|g| {
                    s.groups(key, by)
                        .find(|x| x.group == *g)
                        .map_or(Interval::point(f64::NAN), |x| x.estimate.interval())
                })
                .collect(),
        })
        .collect();
    let (title, axis) = match by {
        "distance" => ("chart_compliance_by_distance", "distance_band"),
        _ => ("chart_compliance_by_age", "age_group"),
    };
    let lang = namer.lang;
    Some(Chart::Bars(BarChart {
        labels: labels(
            lang.text(title),
            lang.text(axis),
            lang.text("axis_compliance"),
        ),
        categories: groups.iter().map(|g| namer.group(by, g)).collect(),
        series,
        percent: true,
        target,
    }))
}

/// Compliance against one swept numeric parameter, with CI bands: for
/// `vardsim sweep` (`x` = the parameter's values, one series per rule).
pub fn sweep_line_chart(
    lang: Lang,
    parameter: &str,
    x: Vec<f64>,
    series: Vec<Series>,
    target: Option<f64>,
) -> Chart {
    Chart::Line(LineChart {
        labels: labels(
            format!("{} – {parameter}", lang.text("chart_compliance")),
            parameter.to_string(),
            lang.text("axis_compliance"),
        ),
        x,
        series,
        percent: true,
        marked: None,
        target,
        from_zero: false,
    })
}

/// One compliance share over a grid of two swept parameters: for
/// `vardsim sweep` (`values[row][column]`, rows = `y` values).
pub fn sweep_heatmap(
    lang: Lang,
    metric: &str,
    (x_parameter, x): (&str, &[f64]),
    (y_parameter, y): (&str, &[f64]),
    values: Vec<Vec<f64>>,
) -> Chart {
    let fmt = |v: &f64| lang.number(*v, if v.fract() == 0.0 { 0 } else { 2 });
    Chart::Heatmap(Heatmap {
        labels: labels(
            lang.metric(metric),
            x_parameter.to_string(),
            y_parameter.to_string(),
        ),
        columns: x.iter().map(fmt).collect(),
        rows: y.iter().map(fmt).collect(),
        values,
        scale: format!("{} (%)", lang.metric(metric)),
        percent: true,
    })
}

fn days_chart(lang: Lang, namer: &Namer<'_>, s: &SummaryDoc) -> Option<Chart> {
    let bucket = |metric: &str| -> Vec<Interval> {
        DAY_BUCKETS
            .iter()
            .map(|b| {
                s.groups(metric, "days")
                    .find(|g| g.group == *b)
                    .map_or(Interval::point(f64::NAN), |g| g.estimate.interval())
            })
            .collect()
    };
    let all = bucket("days_to_assessment");
    if all.iter().all(|i| !i.mean.is_finite()) {
        return None;
    }
    let mut series = vec![Series {
        name: lang.text("all_professions"),
        values: all,
    }];
    // By profession where the run has `days_to_assessment_<profession>`.
    let mut profs: Vec<&str> = s
        .breakdown
        .iter()
        .filter(|b| b.by == "days")
        .filter_map(|b| b.metric.strip_prefix("days_to_assessment_"))
        .collect();
    profs.sort_by_key(|p| (Lang::profession_rank(p), p.to_string()));
    profs.dedup();
    for p in profs {
        let values = bucket(&format!("days_to_assessment_{p}"));
        if values.iter().any(|i| i.mean.is_finite()) {
            series.push(Series {
                name: namer.profession(p),
                values,
            });
        }
    }
    Some(Chart::Bars(BarChart {
        labels: labels(
            lang.text("chart_days"),
            lang.text("axis_days_bucket"),
            lang.text("axis_share_episodes"),
        ),
        categories: DAY_BUCKETS.iter().map(|b| b.replace('-', "–")).collect(),
        series,
        percent: true,
        target: None,
    }))
}

/// Continuity by the profession of the episode's first contact: the named
/// doctor's share of doctor visits and the named clinicians' share of all
/// visits (patients who have one).
fn continuity_chart(lang: Lang, namer: &Namer<'_>, s: &SummaryDoc) -> Option<Chart> {
    let keys = [
        "continuity_named_doctor_share",
        "continuity_named_clinician_share",
    ];
    let mut profs: Vec<&str> = keys
        .iter()
        .flat_map(|k| s.groups(k, "profession").map(|b| b.group.as_str()))
        .collect();
    if profs.is_empty() {
        return None;
    }
    profs.sort_by_key(|p| (Lang::profession_rank(p), p.to_string()));
    profs.dedup();
    let series = keys
        .iter()
        .map(|k| Series {
            name: lang.metric(k),
            values: profs
                .iter()
                .map(|p| {
                    s.groups(k, "profession")
                        .find(|b| b.group == *p)
                        .map_or(Interval::point(f64::NAN), |b| b.estimate.interval())
                })
                .collect(),
        })
        .collect();
    Some(Chart::Bars(BarChart {
        labels: labels(
            lang.text("chart_continuity_first_contact"),
            lang.text("axis_first_contact"),
            lang.text("axis_share_visits"),
        ),
        categories: profs.iter().map(|p| namer.profession(p)).collect(),
        series,
        percent: true,
        target: None,
    }))
}

fn utilisation_chart(lang: Lang, namer: &Namer<'_>, s: &SummaryDoc) -> Option<Chart> {
    let mut profs: Vec<(&str, Interval)> = s
        .metrics
        .iter()
        .filter_map(|(k, m)| {
            let p = k.strip_prefix("utilization_")?;
            m.estimate
                .mean
                .is_some()
                .then(|| (p, m.estimate.interval()))
        })
        .collect();
    if profs.is_empty() {
        return None;
    }
    profs.sort_by_key(|(p, _)| (Lang::profession_rank(p), p.to_string()));
    let mut activities: Vec<String> = Vec::new();
    for (p, _) in &profs {
        for g in s.groups(&format!("utilization_{p}"), "activity") {
            if !activities.contains(&g.group) {
                activities.push(g.group.clone());
            }
        }
    }
    activities.sort_by_key(|a| (Lang::activity_rank(a), a.clone()));
    let parts = activities
        .iter()
        .map(|a| {
            (
                lang.activity(a),
                profs
                    .iter()
                    .map(|(p, _)| {
                        s.groups(&format!("utilization_{p}"), "activity")
                            .find(|g| &g.group == a)
                            .and_then(|g| g.estimate.mean)
                            .unwrap_or(0.0)
                    })
                    .collect(),
            )
        })
        .collect();
    Some(Chart::Stacked(StackedBars {
        labels: labels(
            lang.text("chart_utilisation"),
            lang.text("profession"),
            lang.text("axis_utilisation"),
        ),
        categories: profs.iter().map(|(p, _)| namer.profession(p)).collect(),
        parts,
        totals: profs.iter().map(|(_, i)| *i).collect(),
        percent: true,
        segment_values: false,
    }))
}

/// The parts of a mobile team's day, bottom to top: (metric, label key).
const MOBILE_DAY_PARTS: [(&str, &str); 3] = [
    (mobile_metrics::VISIT_HOURS, "part_home_visits"),
    (mobile_metrics::TRAVEL_HOURS, "part_driving"),
    (mobile_metrics::IDLE_HOURS, "part_idle"),
];

/// A mobile team's day: per team, a team-day's crew hours stacked into
/// home visits, driving and idle at base, the total's CI as a whisker.
fn mobile_day_chart(lang: Lang, namer: &Namer<'_>, s: &SummaryDoc) -> Option<Chart> {
    let total = mobile_metrics::CREW_HOURS;
    let teams: Vec<(&str, Interval)> = s
        .groups(total, "team")
        .filter(|g| g.estimate.mean.is_some_and(|m| m > 0.0))
        .map(|g| (g.group.as_str(), g.estimate.interval()))
        .collect();
    if teams.is_empty() {
        return None;
    }
    let parts = MOBILE_DAY_PARTS
        .iter()
        .map(|(metric, label)| {
            (
                lang.text(label),
                teams
                    .iter()
                    .map(|(team, _)| {
                        s.groups(metric, "team")
                            .find(|g| g.group == *team)
                            .and_then(|g| g.estimate.mean)
                            .unwrap_or(f64::NAN)
                    })
                    .collect(),
            )
        })
        .collect();
    Some(Chart::Stacked(StackedBars {
        labels: labels(
            lang.text("chart_mobile_day"),
            lang.text("mobile_team"),
            lang.text("axis_crew_hours"),
        ),
        categories: teams.iter().map(|(t, _)| namer.team(t)).collect(),
        parts,
        totals: teams.iter().map(|(_, i)| *i).collect(),
        percent: false,
        segment_values: true,
    }))
}

fn weekly_chart(
    lang: Lang,
    namer: &Namer<'_>,
    s: &SummaryDoc,
    target: Option<f64>,
) -> Option<Chart> {
    let rules: Vec<String> = namer
        .rules()
        .into_iter()
        .filter(|r| s.groups(r, "week").next().is_some())
        .collect();
    let first = rules.first()?;
    let weeks: Vec<f64> = s
        .groups(first, "week")
        .filter_map(|g| g.group.parse().ok())
        .collect();
    let series = rules
        .iter()
        .map(|r| Series {
            name: namer.rule(r),
            values: weeks
                .iter()
                .map(|w| {
                    s.groups(r, "week")
                        .find(|g| g.group.parse::<f64>().ok() == Some(*w))
                        .map_or(Interval::point(f64::NAN), |g| g.estimate.interval())
                })
                .collect(),
        })
        .collect();
    Some(Chart::Line(LineChart {
        labels: labels(
            lang.text("chart_weekly"),
            lang.text("axis_week"),
            lang.text("axis_compliance"),
        ),
        marked: summer_weeks(s).map(|r| (r, lang.text("summer_leave_weeks"))),
        x: weeks,
        series,
        percent: true,
        target,
        from_zero: false,
    }))
}

/// The weeks in which staff were on summer leave (`staff_summer_leave_share`
/// by week above 5 %), as x ranges of the weekly chart (a week `w` spans
/// `w - 0.5 .. w + 0.5`); `None` without staff supply in the run.
fn summer_weeks(s: &SummaryDoc) -> Option<Vec<(f64, f64)>> {
    let mut weeks: Vec<f64> = s
        .groups("staff_summer_leave_share", "week")
        .filter(|g| g.estimate.mean.is_some_and(|m| m > 0.05))
        .filter_map(|g| g.group.parse().ok())
        .collect();
    weeks.sort_by(f64::total_cmp);
    let mut ranges: Vec<(f64, f64)> = Vec::new();
    for w in weeks {
        match ranges.last_mut() {
            Some(last) if w - 0.5 <= last.1 => last.1 = w + 0.5,
            _ => ranges.push((w - 0.5, w + 0.5)),
        }
    }
    (!ranges.is_empty()).then_some(ranges)
}

/// `metric`'s `weekday_hour` breakdown as a 7 × 24 grid (NaN where absent).
fn weekday_hour_grid(s: &SummaryDoc, metric: &str) -> Option<Vec<Vec<f64>>> {
    let mut grid = vec![vec![f64::NAN; 24]; 7];
    let mut any = false;
    for g in s.groups(metric, "weekday_hour") {
        let Some((d, h)) = crate::metrics::weekday_hour(&g.group) else {
            continue;
        };
        if let Some(v) = g.estimate.mean {
            grid[d][h] = v;
            any = true;
        }
    }
    any.then_some(grid)
}

/// A weekday × hour heatmap of a grid, over the hours that have a non-zero
/// value on some day. Absent values are 0 unless `keep_gaps` (then they
/// are left blank, e.g. a ratio where nobody is scheduled).
fn weekday_hour_chart(
    lang: Lang,
    grid: &[Vec<f64>],
    title: &str,
    scale: &str,
    keep_gaps: bool,
) -> Option<Chart> {
    let used: Vec<usize> = (0..24)
        .filter(|&h| grid.iter().any(|row| row[h].is_finite() && row[h] > 0.0))
        .collect();
    let (first, last) = (*used.first()?, *used.last()?);
    Some(Chart::Heatmap(Heatmap {
        labels: labels(
            lang.text(title),
            lang.text("axis_hour"),
            lang.text("axis_weekday"),
        ),
        columns: (first..=last).map(|h| format!("{h:02}")).collect(),
        rows: (0..7).map(|d| lang.weekday(d).to_string()).collect(),
        values: grid
            .iter()
            .map(|row| {
                row[first..=last]
                    .iter()
                    .map(|v| if v.is_finite() || keep_gaps { *v } else { 0.0 })
                    .collect()
            })
            .collect(),
        scale: lang.text(scale),
        percent: false,
    }))
}

/// The weekday × hour heatmaps of a run: demand, capacity, demand per
/// scheduled staff member (demand against capacity) and call-backs waiting.
fn weekday_hour_charts(lang: Lang, s: &SummaryDoc) -> Vec<(&'static str, Chart)> {
    let demand = weekday_hour_grid(s, "new_contacts_per_hour");
    let staff = weekday_hour_grid(s, "staff_on_duty");
    let mut charts = Vec::new();
    let mut add = |stem, grid: &Option<Vec<Vec<f64>>>, title, scale, gaps| {
        if let Some(c) = grid
            .as_ref()
            .and_then(|g| weekday_hour_chart(lang, g, title, scale, gaps))
        {
            charts.push((stem, c));
        }
    };
    add(
        "demand_weekday_hour",
        &demand,
        "chart_demand",
        "axis_contacts_per_hour",
        false,
    );
    add(
        "capacity_weekday_hour",
        &staff,
        "chart_capacity",
        "axis_staff",
        false,
    );
    let ratio = demand.as_ref().zip(staff.as_ref()).map(|(d, st)| {
        d.iter()
            .zip(st)
            .map(|(dr, sr)| {
                dr.iter()
                    .zip(sr)
                    .map(|(a, b)| if *b > 0.0 { a / b } else { f64::NAN })
                    .collect()
            })
            .collect()
    });
    add(
        "demand_per_staff_weekday_hour",
        &ratio,
        "chart_demand_per_staff",
        "axis_demand_per_staff",
        true,
    );
    let callbacks = weekday_hour_grid(s, "callbacks_waiting_mean");
    add(
        "callbacks_weekday_hour",
        &callbacks,
        "chart_callbacks",
        "axis_callbacks_waiting",
        false,
    );
    charts
}

/// The "reproduce" section of every report: the command that made it.
fn reproduce_section(lang: Lang, command: &str) -> [Block; 3] {
    [
        Block::Heading(2, lang.text("reproduce")),
        Block::Paragraph(lang.text("reproduce_text")),
        Block::Code(command.to_string()),
    ]
}

/// Facts that reproduce the numbers, and the key assumptions.
fn reproduce_blocks(
    lang: Lang,
    namer: &Namer<'_>,
    facts: Vec<(String, String)>,
    a: Option<&AssumptionsFile>,
) -> Vec<Block> {
    let mut blocks = vec![Block::Table {
        header: vec![String::new(), String::new()],
        rows: facts.into_iter().map(|(k, v)| vec![k, v]).collect(),
        numeric: false,
    }];
    let Some(a) = a else {
        return blocks;
    };
    blocks.extend(reproduce_section(lang, &a.command));
    blocks.push(Block::Heading(2, lang.text("assumptions")));
    // One column per scenario, so that a compare shows what differs side
    // by side; a row missing in a scenario shows "–".
    let mut labels: Vec<String> = Vec::new();
    let columns: Vec<Vec<(String, String)>> = a
        .scenarios
        .iter()
        .map(|s| assumption_rows(lang, namer, s))
        .collect();
    for col in &columns {
        for (label, _) in col {
            if !labels.contains(label) {
                labels.push(label.clone());
            }
        }
    }
    // In the report's language where the scenario has it (`description_sv`).
    let described = |s: &Assumptions| match (lang, &s.description_sv) {
        (Lang::Sv, Some(sv)) => sv.clone(),
        _ => s.description.clone(),
    };
    let mut descriptions: Vec<String> = Vec::new();
    for s in &a.scenarios {
        let d = described(s);
        if !d.is_empty() && !descriptions.contains(&d) {
            descriptions.push(d);
        }
    }
    for (i, d) in descriptions.iter().enumerate() {
        blocks.push(Block::Paragraph(if a.scenarios.len() > 1 {
            let names: Vec<String> = a
                .scenarios
                .iter()
                .filter(|s| &described(s) == d)
                .map(|s| namer.scenario(&s.scenario))
                .collect();
            format!("{}: {d}", names.join(", "))
        } else {
            descriptions[i].clone()
        }));
    }
    let mut header = vec![lang.text("assumptions")];
    header.extend(a.scenarios.iter().map(|s| {
        // By label, as the tables of results name them (the facts above
        // pair each label with its name).
        if a.scenarios.len() > 1 {
            namer.scenario(&s.scenario)
        } else {
            String::new()
        }
    }));
    blocks.push(Block::Table {
        header,
        rows: labels
            .iter()
            .map(|l| {
                std::iter::once(l.clone())
                    .chain(columns.iter().map(|col| {
                        col.iter()
                            .find(|(k, _)| k == l)
                            .map_or("–".to_string(), |(_, v)| v.clone())
                    }))
                    .collect()
            })
            .collect(),
        numeric: false,
    });
    // The scenario's own warnings (a staff group without shifts, …): what
    // the numbers above rest on, in the report's language when the file
    // has it; the hint on the same line.
    for s in &a.scenarios {
        let warnings = match lang {
            Lang::Sv if !s.warnings_sv.is_empty() => &s.warnings_sv,
            _ => &s.warnings,
        };
        for w in warnings {
            let whose = if a.scenarios.len() > 1 {
                format!(" ({})", namer.scenario(&s.scenario))
            } else {
                String::new()
            };
            blocks.push(Block::Paragraph(format!(
                "{}{whose}: {}",
                lang.pick("Scenario warning", "Varning om scenariot"),
                w.replace("\n    ", " — ")
            )));
        }
    }
    blocks
}

/// The key assumptions of one scenario as (label, value) rows.
fn assumption_rows(
    lang: Lang,
    namer: &Namer<'_>,
    s: &super::input::Assumptions,
) -> Vec<(String, String)> {
    let days = |d: u32| format!("{} {}", lang.number(d as f64, 0), lang.text("days"));
    let mut rows = vec![
        (lang.text("horizon"), days(s.horizon_days)),
        (lang.text("warmup"), days(s.warmup_days)),
    ];
    for u in &s.units {
        let mut staff: Vec<_> = u.staff.iter().collect();
        staff.sort_by_key(|(p, _)| (Lang::profession_rank(p), p.to_string()));
        // Heads and, where known, full-time equivalents.
        let staff: Vec<String> = staff
            .into_iter()
            .map(|(p, n)| {
                let vacant = u.vacant.get(p).map(|v| {
                    format!(
                        "{v} {}",
                        lang.pick("vacant", if *v == 1 { "vakant" } else { "vakanta" })
                    )
                });
                let fte = u
                    .fte
                    .get(p)
                    .map(|f| format!("{} {}", lang.number(*f, 1), lang.pick("FTE", "årsarbetare")));
                match [fte, vacant].into_iter().flatten().collect::<Vec<_>>() {
                    notes if notes.is_empty() => format!("{} {n}", namer.profession(p)),
                    notes => format!("{} {n} ({})", namer.profession(p), notes.join("; ")),
                }
            })
            .collect();
        // A unit without listed patients (a regional telephone line, a
        // digital provider) answers for others: it is no health centre.
        let (what, listed) = if u.listed == 0 {
            (lang.pick("Unit", "Enhet").to_string(), String::new())
        } else {
            (
                lang.text("unit"),
                format!(
                    "{} {} · ",
                    lang.number(u.listed as f64, 0),
                    lang.text("listed").to_lowercase()
                ),
            )
        };
        let staff_word = if listed.is_empty() {
            lang.text("staff")
        } else {
            lang.text("staff").to_lowercase()
        };
        rows.push((
            format!("{what}: {}", u.name),
            format!("{listed}{staff_word}: {}", staff.join(", ")),
        ));
    }
    let mut profs: Vec<_> = s.professions.iter().collect();
    profs.sort_by_key(|(p, _)| (Lang::profession_rank(p), p.to_string()));
    for (key, p) in profs {
        rows.push((
            format!("{}: {}", lang.text("cost_fte"), namer.profession(key)),
            format!(
                "{} {}",
                lang.number(p.cost_per_fte_year_sek, 0),
                lang.unit("sek")
            ),
        ));
    }
    for t in &s.mobile_teams {
        let mut crew: Vec<_> = t.crew.iter().collect();
        crew.sort_by_key(|(p, _)| (Lang::profession_rank(p), p.to_string()));
        let crew: Vec<String> = crew
            .into_iter()
            .map(|(p, n)| format!("{} {n}", namer.profession(p)))
            .collect();
        rows.push((
            format!("{}: {}", lang.text("mobile_team"), t.name),
            format!(
                "{} {}: {}",
                t.crews,
                lang.text(if t.crews == 1 { "crew" } else { "crews" }),
                crew.join(", ")
            ),
        ));
    }
    let mut rules: Vec<_> = s.rules.iter().collect();
    rules.sort_by_key(|r| r.deadline_days);
    for r in rules {
        rows.push((
            namer.rule(&r.key),
            format!(
                "{} {}",
                r.deadline_days,
                lang.text(
                    if r.count_days == crate::scenario::spec::DayCount::Working {
                        "working_days"
                    } else {
                        "calendar_days"
                    }
                )
            ),
        ));
    }
    rows
}

/// Whether an estimate's counts are written whole: when its mean and both
/// CI bounds are (the terminal's row rule, `table::whole`).
fn whole_estimate(e: &super::input::Estimate) -> bool {
    let x = |v: Option<f64>| v.unwrap_or(f64::NAN);
    super::table::whole(&[x(e.mean), x(e.ci95_low), x(e.ci95_high)])
}

/// A mean in `lang`, its counts written as its CI's ([`ci_text`]).
pub(crate) fn mean_text(lang: Lang, e: &super::input::Estimate, unit: &str) -> String {
    lang.value_as(e.mean.unwrap_or(f64::NAN), unit, whole_estimate(e))
}

/// A CI as `lo – hi` in `lang` (`–` when undefined), its counts written as
/// its mean's ([`mean_text`]).
pub(crate) fn ci_text(lang: Lang, e: &super::input::Estimate, unit: &str) -> String {
    ci_text_as(lang, e, unit, whole_estimate(e))
}

/// [`ci_text`] with counts whole or not as its row decided.
pub(crate) fn ci_text_as(lang: Lang, e: &super::input::Estimate, unit: &str, w: bool) -> String {
    match (e.ci95_low, e.ci95_high) {
        (Some(lo), Some(hi)) => format!(
            "{} – {}",
            lang.value_as(lo, unit, w),
            lang.value_as(hi, unit, w)
        ),
        _ => "–".into(),
    }
}

use super::is_period_total;

/// How totals of the measured period become totals per year: the factor
/// 365 ÷ measured days (horizon − warm-up, from `assumptions.json`, the
/// same for every scenario) and the label's suffix saying so. `None`
/// without `assumptions.json` (the figures stay per measured period).
pub(crate) fn per_year(lang: Lang, a: Option<&AssumptionsFile>) -> Option<(f64, String)> {
    let a = a?;
    let days: Vec<u32> = a
        .scenarios
        .iter()
        .map(|s| s.horizon_days.saturating_sub(s.warmup_days))
        .collect();
    let d = *days.first()?;
    if days.iter().any(|x| *x != d) {
        return None;
    }
    per_year_of(lang, d)
}

/// A note when the scenarios measured periods of different lengths (a
/// variant with another horizon or warm-up): their counts are then totals
/// of each period, not per year ([`per_year`] is `None`), and a difference
/// of counts compares periods of different lengths.
pub(crate) fn periods_note(lang: Lang, a: Option<&AssumptionsFile>) -> Option<String> {
    let days: Vec<u32> = a?
        .scenarios
        .iter()
        .map(|s| s.horizon_days.saturating_sub(s.warmup_days))
        .collect();
    if days.windows(2).all(|w| w[0] == w[1]) {
        return None;
    }
    let list = days
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Some(match lang {
        Lang::En => format!(
            "The scenarios measured periods of different lengths ({list} days): counts are totals of each scenario's period, not per year, so their differences compare periods of different lengths; compare shares, means and rates."
        ),
        Lang::Sv => format!(
            "Scenarierna mättes över perioder av olika längd ({list} dagar): antal är summor över varje scenarios period, inte per år, så skillnaderna jämför perioder av olika längd; jämför andelar, medelvärden och antal per dag."
        ),
    })
}

/// [`per_year`] for `d` measured days.
fn per_year_of(lang: Lang, d: u32) -> Option<(f64, String)> {
    if d == 0 {
        return None;
    }
    let suffix = if d == 365 {
        lang.text("per_year")
    } else {
        format!(
            "{}, {} {d} {}",
            lang.text("per_year"),
            lang.pick("scaled from", "uppräknat från"),
            lang.pick("measured days", "mätta dagar")
        )
    };
    Some((365.0 / f64::from(d), suffix))
}

/// A metric's table label, and the factor its values are shown with:
/// totals of the measured period per year where the period is known.
pub(crate) fn table_label(
    lang: Lang,
    namer: &Namer<'_>,
    key: &str,
    unit: &str,
    year: &Option<(f64, String)>,
) -> (String, f64) {
    let label = lang.with_unit(namer.metric(key), unit);
    match year {
        Some((f, suffix)) if is_period_total(key, unit) => (format!("{label}, {suffix}"), *f),
        _ => (label, 1.0),
    }
}

/// An estimate times `f` (counts scaled to a year).
/// `e` times `f`; a total scaled to a year (`f` ≠ 1) rounded to whole
/// counts, as the terminal and the workbooks show it.
pub(crate) fn scaled(e: super::input::Estimate, f: f64) -> super::input::Estimate {
    let scale = |x: f64| if f == 1.0 { x } else { (x * f).round() };
    super::input::Estimate {
        mean: e.mean.map(scale),
        ci95_low: e.ci95_low.map(scale),
        ci95_high: e.ci95_high.map(scale),
    }
}

/// The report of a run folder.
pub fn run_document(s: &SummaryDoc, a: Option<&AssumptionsFile>, opts: &ReportOptions) -> Document {
    let lang = opts.lang;
    let namer = Namer {
        lang,
        assumptions: a,
    };
    let title = format!(
        "{}: {}",
        lang.text("report_title"),
        namer.scenario(&s.scenario)
    );
    let year = per_year(lang, a);
    let mut blocks = vec![Block::Heading(1, title.clone())];
    blocks.extend(reproduce_blocks(
        lang,
        &namer,
        vec![
            (lang.text("scenario"), namer.labelled(&s.scenario)),
            (lang.text("seed"), s.seed.to_string()),
            (lang.text("replications"), s.replications.to_string()),
            (
                lang.text("version"),
                format!("vardsim {}", s.vardsim_version),
            ),
        ],
        a,
    ));
    let rules: Vec<(String, String)> = namer
        .rules()
        .into_iter()
        .filter(|r| s.metrics.get(r).is_some_and(|m| m.estimate.mean.is_some()))
        .map(|r| (namer.rule(&r), r))
        .collect();
    blocks.push(Block::Heading(2, lang.text("guarantee")));
    blocks.push(Block::Paragraph(lang.text("ci_note")));
    blocks.push(Block::Table {
        header: vec![lang.text("rule"), lang.text("mean"), lang.text("ci95")],
        // Each rule as the scenario counts it, then under the legal
        // definition (patient-chosen waits excluded) when the file has it.
        rows: rules
            .iter()
            .flat_map(|(name, key)| {
                let legal = format!("{key}{}", crate::metrics::EXCLUDING_PATIENT_CHOSEN);
                let legal_name = format!(
                    "{name}{}",
                    lang.pick(
                        " — patient-chosen waits excluded (legal definition)",
                        " — patientvald väntan undantagen (lagens definition)"
                    )
                );
                [(name.clone(), key.clone()), (legal_name, legal)]
            })
            .filter_map(|(name, key)| {
                let e = &s.metrics.get(&key)?.estimate;
                Some(vec![
                    name,
                    lang.value(e.mean.unwrap_or(f64::NAN), "share"),
                    ci_text(lang, e, "share"),
                ])
            })
            .collect(),
        numeric: true,
    });
    for w in s.warnings_in(lang) {
        blocks.push(Block::Paragraph(format!(
            "{}: {w}",
            lang.pick("Warning", "Varning")
        )));
    }
    // A region: each rule per unit, so every health centre sees its own figures.
    let mut units: Vec<&str> = rules
        .iter()
        .flat_map(|(_, key)| s.groups(key, "unit").map(|g| g.group.as_str()))
        .collect();
    units.sort_unstable();
    units.dedup();
    if units.len() > 1 {
        blocks.push(Block::Heading(2, lang.text("by_unit")));
        let mut header = vec![lang.text("unit")];
        header.extend(rules.iter().map(|(name, _)| name.clone()));
        let mut units: Vec<(String, &str)> = units.iter().map(|u| (namer.unit(u), *u)).collect();
        units.sort();
        blocks.push(Block::Table {
            header,
            rows: units
                .iter()
                .map(|(name, u)| {
                    let mut row = vec![name.clone()];
                    for (_, key) in &rules {
                        row.push(s.groups(key, "unit").find(|g| g.group == **u).map_or(
                            "–".to_string(),
                            |g| {
                                let e = &g.estimate;
                                format!(
                                    "{} ({})",
                                    lang.value(e.mean.unwrap_or(f64::NAN), "share"),
                                    ci_text(lang, e, "share")
                                )
                            },
                        ));
                    }
                    row
                })
                .collect(),
            numeric: true,
        });
    }
    blocks.push(Block::Heading(2, lang.text("charts")));
    let mut charts: Vec<(&str, Chart)> = Vec::new();
    if !rules.is_empty() {
        let data: Vec<(String, Vec<Interval>)> = rules
            .iter()
            .map(|(name, key)| (name.clone(), vec![s.metrics[key].estimate.interval()]))
            .collect();
        charts.push((
            "compliance",
            compliance_chart(lang, &data, std::slice::from_ref(&s.scenario), opts.target),
        ));
    }
    if let Some(c) = days_chart(lang, &namer, s) {
        charts.push(("days_to_assessment", c));
    }
    if let Some(c) = utilisation_chart(lang, &namer, s) {
        charts.push(("utilisation", c));
    }
    if let Some(c) = weekly_chart(lang, &namer, s, opts.target) {
        charts.push(("weekly_compliance", c));
    }
    for (stem, by) in [
        ("compliance_by_age", "age"),
        ("compliance_by_distance", "distance"),
    ] {
        if let Some(c) = group_compliance_chart(&namer, s, &rules, by, opts.target) {
            charts.push((stem, c));
        }
    }
    if let Some(c) = mobile_day_chart(lang, &namer, s) {
        charts.push(("mobile_team_day", c));
    }
    if let Some(c) = continuity_chart(lang, &namer, s) {
        charts.push(("continuity_first_contact", c));
    }
    charts.extend(weekday_hour_charts(lang, s));
    let unit_charts = unit_charts(lang, &namer, s, &rules, opts.target);
    for (stem, chart) in charts
        .into_iter()
        .map(|(stem, c)| (stem.to_string(), c))
        .chain(unit_charts)
        .filter(|(_, c)| !c.is_empty())
    {
        blocks.push(Block::Chart {
            stem,
            chart: Box::new(chart),
        });
    }
    blocks.push(Block::Heading(2, lang.text("all_metrics")));
    // Guarantee rules first, as the terminal's table and a comparison's
    // report have them (an audit's finding: a run's report listed them by
    // key, "Kontakt samma dag" after "Bokade besök"). A rule is a metric
    // broken down by month of first contact, as the terminal finds it.
    let order = super::table::rules_first_of(s.metrics.keys().map(String::as_str), |k| {
        s.groups(k, "month").next().is_some()
    });
    blocks.push(Block::Table {
        header: vec![lang.text("metric"), lang.text("mean"), lang.text("ci95")],
        rows: order
            .into_iter()
            .map(|k| (k, &s.metrics[k]))
            .map(|(k, m)| {
                let (label, f) = table_label(lang, &namer, k, &m.unit, &year);
                let e = scaled(m.estimate, f);
                vec![
                    label,
                    mean_text(lang, &e, &m.unit),
                    ci_text(lang, &e, &m.unit),
                ]
            })
            .collect(),
        numeric: true,
    });
    Document {
        footer: String::new(),
        lang: lang.key(),
        title,
        blocks,
    }
}

/// A region's ranked view: per guarantee rule, the health centres from
/// lowest to highest mean with their CIs and the target line, those whose
/// mean is below the target flagged (`units_<rule>`; only with more than
/// one unit).
fn unit_charts(
    lang: Lang,
    namer: &Namer<'_>,
    s: &SummaryDoc,
    rules: &[(String, String)],
    target: Option<f64>,
) -> Vec<(String, Chart)> {
    let mut charts = Vec::new();
    for (name, key) in rules {
        let mut units: Vec<(String, Interval)> = s
            .groups(key, "unit")
            .filter(|g| g.estimate.mean.is_some())
            .map(|g| (namer.unit(&g.group), g.estimate.interval()))
            .collect();
        if units.len() < 2 {
            continue;
        }
        // Lowest first (at the top), ties by name: the units to look at.
        units.sort_by(|a, b| a.1.mean.total_cmp(&b.1.mean).then(a.0.cmp(&b.0)));
        let flagged = units
            .iter()
            .map(|(_, iv)| target.is_some_and(|t| iv.mean < t))
            .collect();
        charts.push((
            format!("units_{key}"),
            Chart::Rows(RowChart {
                labels: labels(
                    format!("{name} {}", lang.text("by_unit_chart")),
                    lang.text("axis_compliance"),
                    lang.text("unit"),
                ),
                rows: units.iter().map(|(n, _)| n.clone()).collect(),
                series: vec![Series {
                    name: name.clone(),
                    values: units.iter().map(|(_, iv)| *iv).collect(),
                }],
                scale: RowScale::Percent,
                target,
                flagged,
                flag_name: lang.text("below_target"),
            }),
        ));
    }
    charts
}

/// A difference with its CI; shares in percentage points.
pub(crate) fn diff_text(lang: Lang, e: &super::input::Estimate, unit: &str) -> String {
    diff_text_as(lang, e, unit, whole_estimate(e))
}

/// [`diff_text`] with counts whole or not as its row decided.
pub(crate) fn diff_text_as(
    lang: Lang,
    e: &super::input::Estimate,
    unit: &str,
    whole: bool,
) -> String {
    let f = |x: Option<f64>| x.unwrap_or(f64::NAN);
    lang.difference(f(e.mean), (f(e.ci95_low), f(e.ci95_high)), unit, whole)
}

/// A variant's label, marked when it changes only what is counted (a
/// *definition-only* variant: the same care, other rules).
fn variant_name(namer: &Namer, v: &str) -> String {
    if namer.definition_only(v) {
        let only = namer.lang.pick("definition only", "bara definition");
        format!("{} ({only})", namer.scenario(v))
    } else {
        namer.scenario(v)
    }
}

/// What a planning group reads first: for each variant, the guarantee
/// rules it does better or worse on than the base (the 95 % CI of the
/// paired difference on one side of zero), those it leaves as they were
/// (the CI spans zero), and what it costs. The numbers are the table's.
fn verdict(c: &ComparisonDoc, namer: &Namer, rules: &[String]) -> Vec<Block> {
    let lang = namer.lang;
    if c.variants.is_empty() || rules.is_empty() {
        return Vec::new();
    }
    let mut blocks = vec![Block::Heading(3, lang.text("verdict"))];
    for v in &c.variants {
        let (mut better, mut worse, mut same) = (Vec::new(), Vec::new(), Vec::new());
        for r in rules {
            let Some(d) = c.metrics.get(r).and_then(|m| m.differences.get(v)) else {
                continue;
            };
            let shown = format!(
                "{} {}",
                namer.rule(r),
                diff_text_as(lang, d, "share", false)
            );
            // A rule's share is better higher; a CI on one side of zero is
            // a difference the simulation's noise does not explain. Judged
            // in tenths of a point, as written: a bound shown as 0.0 is zero.
            let tenths = |x: Option<f64>| x.map(|x| (x * 1000.0).round());
            match (tenths(d.ci95_low), tenths(d.ci95_high)) {
                (Some(low), _) if low > 0.0 => better.push(shown),
                (_, Some(high)) if high < 0.0 => worse.push(shown),
                _ => same.push(namer.rule(r)),
            }
        }
        let mut parts = Vec::new();
        for (key, list) in [("verdict_better", better), ("verdict_worse", worse)] {
            if !list.is_empty() {
                parts.push(format!("{} {}", lang.text(key), list.join(", ")));
            }
        }
        if !same.is_empty() {
            parts.push(format!("{} {}", lang.text("verdict_same"), same.join(", ")));
        }
        let cost = "staff_cost_sek_per_year";
        if let Some((m, d)) = c
            .metrics
            .get(cost)
            .and_then(|m| Some((m, m.differences.get(v)?)))
        {
            parts.push(match d.mean {
                Some(x) if x != 0.0 => format!(
                    "{} {}",
                    lang.with_unit(namer.metric(cost), &m.unit),
                    diff_text_as(lang, d, &m.unit, true)
                ),
                _ => lang.text("verdict_same_cost"),
            });
        }
        // A variant that changes only what is counted says so: its
        // "better" is a definition, not more care.
        let name = variant_name(namer, v);
        blocks.push(Block::Paragraph(format!(
            "{name} {} {}: {}.",
            lang.text("verdict_against"),
            namer.scenario(&c.base),
            parts.join("; ")
        )));
    }
    blocks.push(Block::Paragraph(lang.text("verdict_note")));
    blocks
}

/// The report of a compare folder.
pub fn compare_document(
    c: &ComparisonDoc,
    a: Option<&AssumptionsFile>,
    opts: &ReportOptions,
) -> Document {
    let lang = opts.lang;
    let namer = Namer {
        lang,
        assumptions: a,
    };
    let scenarios = c.scenarios();
    let year = per_year(lang, a);
    let title = format!("{}: {}", lang.text("compare_title"), namer.compared(c));
    let mut blocks = vec![Block::Heading(1, title.clone())];
    let mut facts = vec![
        (lang.text("base"), namer.labelled(&c.base)),
        (
            lang.text("variants"),
            c.variants
                .iter()
                .map(|v| namer.labelled(v))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (lang.text("seed"), c.seed.to_string()),
        (lang.text("replications"), c.replications.to_string()),
    ];
    if let Some(v) = &c.vardsim_version {
        facts.push((lang.text("version"), format!("vardsim {v}")));
    }
    blocks.extend(reproduce_blocks(lang, &namer, facts, a));
    blocks.push(Block::Heading(2, lang.text("guarantee")));
    blocks.push(Block::Paragraph(format!(
        "{} {} {}",
        lang.text("ci_note"),
        lang.text("paired_note"),
        lang.text("delta_note")
    )));
    if let Some(note) = periods_note(lang, a) {
        blocks.push(Block::Paragraph(note));
    }
    let estimate = |key: &str, s: &str| {
        c.metrics
            .get(key)
            .and_then(|m| m.scenarios.get(s))
            .copied()
            .unwrap_or_default()
    };
    let table = |keys: Vec<String>| {
        let mut header = vec![lang.text("metric"), namer.scenario(&c.base)];
        for v in &c.variants {
            header.push(namer.scenario(v));
            header.push(format!("Δ {}", namer.scenario(v)));
        }
        let rows = keys
            .iter()
            .filter_map(|k| {
                let m = c.metrics.get(k)?;
                let (label, f) = table_label(lang, &namer, k, &m.unit, &year);
                let mean = |s: &str| scaled(estimate(k, s), f).mean.unwrap_or(f64::NAN);
                let difference =
                    |v: &str| scaled(m.differences.get(v).copied().unwrap_or_default(), f);
                // One metric's counts written one way across the row.
                let mut shown = vec![mean(&c.base)];
                for v in &c.variants {
                    let d = difference(v);
                    shown.push(mean(v));
                    shown.extend([d.mean, d.ci95_low, d.ci95_high].map(|x| x.unwrap_or(f64::NAN)));
                }
                let w = super::table::whole(&shown);
                let mut row = vec![label, lang.value_as(mean(&c.base), &m.unit, w)];
                for v in &c.variants {
                    row.push(lang.value_as(mean(v), &m.unit, w));
                    row.push(diff_text_as(lang, &difference(v), &m.unit, w));
                }
                Some(row)
            })
            .collect();
        Block::Table {
            header,
            rows,
            numeric: true,
        }
    };
    let rules: Vec<String> = namer
        .rules()
        .into_iter()
        .filter(|r| estimate(r, &c.base).mean.is_some())
        .collect();
    blocks.push(table(rules.clone()));
    blocks.extend(verdict(c, &namer, &rules));
    blocks.push(Block::Heading(2, lang.text("charts")));
    let data: Vec<(String, Vec<Interval>)> = rules
        .iter()
        .map(|r| {
            (
                namer.rule(r),
                scenarios
                    .iter()
                    .map(|s| estimate(r, s).interval())
                    .collect(),
            )
        })
        .collect();
    let labelled: Vec<String> = scenarios.iter().map(|s| namer.scenario(s)).collect();
    let mut charts = vec![(
        "compliance",
        compliance_chart(lang, &data, &labelled, opts.target),
    )];
    // Paired differences from the base, per variant and rule: what each
    // way of working changes, with the CI of the change itself.
    let definition = |v: &str| variant_name(&namer, v);
    if !c.variants.is_empty() {
        let difference = |key: &str, v: &str| {
            c.metrics
                .get(key)
                .and_then(|m| m.differences.get(v))
                .copied()
                .unwrap_or_default()
                .interval()
        };
        charts.push((
            "difference",
            Chart::Rows(RowChart {
                labels: labels(
                    format!(
                        "{}: {}",
                        lang.text("chart_difference"),
                        namer.scenario(&c.base)
                    ),
                    lang.text("axis_difference_pp"),
                    String::new(),
                ),
                rows: c.variants.iter().map(|v| definition(v)).collect(),
                series: rules
                    .iter()
                    .map(|r| Series {
                        name: namer.rule(r),
                        values: c.variants.iter().map(|v| difference(r, v)).collect(),
                    })
                    .collect(),
                scale: RowScale::PercentPoints,
                target: None,
                flagged: Vec::new(),
                flag_name: String::new(),
            }),
        ));
    }
    let cost = "staff_cost_sek_per_year";
    let rule3 = "assessment_within_3_days";
    let continuity = "continuity_index";
    // "3" against another metric, one point per scenario (its interval
    // rescaled for the axis), with the Pareto front towards better x.
    let against_three = |stem: &'static str,
                         title: &str,
                         axis: &str,
                         x: &str,
                         scale: fn(f64) -> f64,
                         x_higher_better: bool| {
        let rescale = |e: Interval| Interval {
            mean: scale(e.mean),
            lo: scale(e.lo),
            hi: scale(e.hi),
        };
        (
            stem,
            Chart::Scatter(Scatter {
                labels: labels(
                    lang.text(title),
                    lang.text(axis),
                    format!("{} (%)", namer.rule(rule3)),
                ),
                points: scenarios
                    .iter()
                    .map(|s| {
                        (
                            namer.scenario(s),
                            rescale(estimate(x, s).interval()),
                            estimate(rule3, s).interval(),
                        )
                    })
                    .collect(),
                y_percent: true,
                front: lang.text("pareto"),
                target_name: lang.text("target"),
                target: opts.target,
                definition_only: scenarios.iter().map(|s| namer.definition_only(s)).collect(),
                definition_name: lang.text("definition_only"),
                x_higher_better,
            }),
        )
    };
    if c.metrics.contains_key(cost) && c.metrics.contains_key(rule3) {
        // Staff cost in millions of SEK: less is better.
        charts.push(against_three(
            "cost_vs_compliance",
            "chart_cost",
            "axis_cost",
            cost,
            |v| v / 1e6,
            false,
        ));
    }
    // The trade-off between continuity and "3" (both in %).
    if c.metrics.contains_key(continuity) && c.metrics.contains_key(rule3) {
        charts.push(against_three(
            "continuity_vs_compliance",
            "chart_continuity",
            "axis_continuity",
            continuity,
            |v| v * 100.0,
            true,
        ));
    }
    for (stem, chart) in charts.into_iter().filter(|(_, c)| !c.is_empty()) {
        blocks.push(Block::Chart {
            stem: stem.to_string(),
            chart: Box::new(chart),
        });
    }
    blocks.push(Block::Heading(2, lang.text("all_metrics")));
    // Guarantee rules first, as the terminal's table has them.
    blocks.push(table(
        super::compare::rules_first(c.metrics.keys().map(String::as_str))
            .into_iter()
            .map(String::from)
            .collect(),
    ));
    Document {
        footer: String::new(),
        lang: lang.key(),
        title,
        blocks,
    }
}

/// The command that reruns a sweep: as typed when the sweep made its own
/// report (with its `--out`, `--lang`, `--csv-sep`, `--report`, as a run's
/// report keeps them), else rebuilt from what `sweep.json` records.
fn sweep_command(d: &SweepDoc) -> String {
    if let Some(command) = &d.command {
        return command.clone();
    }
    let quote = crate::cli::shell_word;
    let mut cmd = format!("vardsim sweep {}", quote(&d.scenario));
    for axis in &d.grid {
        cmd.push_str(&format!(
            " --grid {}",
            quote(&format!("{}={}", axis.path, axis.values.join(",")))
        ));
    }
    for set in &d.sets {
        cmd.push_str(&format!(" --set {}", quote(set)));
    }
    if let Some(n) = d.replications.get("replications").and_then(|n| n.as_u64()) {
        cmd.push_str(&format!(" -r {n}"));
    }
    // A precision rule (`plan.json`'s `half_width`, `initial`, `max`).
    if let Some(h) = d.replications.get("half_width").and_then(|h| h.as_f64()) {
        cmd.push_str(&format!(" --precision {h}"));
        if let Some(n) = d.replications.get("initial").and_then(|n| n.as_u64()) {
            cmd.push_str(&format!(" -r {n}"));
        }
        if let Some(n) = d.replications.get("max").and_then(|n| n.as_u64()) {
            cmd.push_str(&format!(" --max-replications {n}"));
        }
    }
    for m in &d.asked {
        cmd.push_str(&format!(" --metric {}", quote(m)));
    }
    cmd.push_str(&format!(" --seed {} --name {}", d.seed, quote(&d.name)));
    if d.baseline != 0 {
        cmd.push_str(&format!(" --baseline {}", d.baseline));
    }
    cmd
}

/// The report of a sweep folder: compliance against one swept parameter
/// (lines with CI bands), a heatmap per rule over two, and a table of
/// every point.
pub fn sweep_document(d: &SweepDoc, opts: &ReportOptions) -> Document {
    let lang = opts.lang;
    let namer = Namer {
        lang,
        assumptions: None,
    };
    let title = format!("{}: {}", lang.text("sweep_title"), d.name);
    let mut blocks = vec![Block::Heading(1, title.clone())];
    let rule = |key: &str| d.replications.get(key).and_then(|v| v.as_f64());
    let replications = match (rule("replications"), rule("half_width")) {
        (Some(n), _) => n.to_string(),
        (None, Some(h)) => format!(
            "{} {} ({} {}, {} {})",
            lang.pick("precision", "precision"),
            lang.decimal(h),
            lang.pick("start", "först"),
            rule("initial").unwrap_or(f64::NAN),
            lang.pick("at most", "högst"),
            rule("max").unwrap_or(f64::NAN)
        ),
        (None, None) => d.replications.to_string(),
    };
    let mut facts = vec![
        (lang.text("scenario"), d.scenario.clone()),
        (lang.text("seed"), d.seed.to_string()),
        (lang.text("replications"), replications),
    ];
    if let Some(v) = &d.vardsim_version {
        facts.push((lang.text("version"), format!("vardsim {v}")));
    }
    blocks.push(Block::Table {
        header: vec![String::new(), String::new()],
        rows: facts.into_iter().map(|(k, v)| vec![k, v]).collect(),
        numeric: false,
    });
    blocks.extend(reproduce_section(lang, &sweep_command(d)));

    let rules: Vec<String> = namer
        .rules()
        .into_iter()
        .filter(|r| {
            d.points
                .iter()
                .any(|p| p.metrics.get(r).is_some_and(|m| m.estimate.mean.is_some()))
        })
        .collect();
    let estimate = |p: &super::input::SweepPoint, key: &str| {
        p.metrics.get(key).map(|m| m.estimate).unwrap_or_default()
    };
    blocks.push(Block::Heading(2, lang.text("charts")));
    let mut charts: Vec<(String, Chart)> = Vec::new();
    let numeric = |axis: &super::input::SweepAxis| -> Option<Vec<f64>> {
        axis.values.iter().map(|v| v.parse::<f64>().ok()).collect()
    };
    // The point at grid position (i, j) of the first two axes.
    let at = |i: &str, j: Option<&str>| {
        d.points.iter().find(|p| {
            p.values.get(&d.grid[0].path).map(String::as_str) == Some(i)
                && j.is_none_or(|j| p.values.get(&d.grid[1].path).map(String::as_str) == Some(j))
        })
    };
    match d.grid.len() {
        1 => {
            let axis = &d.grid[0];
            let series: Vec<Series> = rules
                .iter()
                .map(|r| Series {
                    name: namer.rule(r),
                    values: axis
                        .values
                        .iter()
                        .map(|v| {
                            at(v, None)
                                .map_or(Interval::point(f64::NAN), |p| estimate(p, r).interval())
                        })
                        .collect(),
                })
                .collect();
            // One rule has no legend of rules: its name goes in the title
            // (as the two-parameter chart's does).
            let title = (rules.len() == 1)
                .then(|| format!("{} – {}", namer.rule(&rules[0]), lang.key_label(&axis.path)));
            let mut chart = match numeric(axis) {
                Some(x) => {
                    sweep_line_chart(lang, &lang.key_label(&axis.path), x, series, opts.target)
                }
                None => Chart::Bars(BarChart {
                    labels: labels(
                        format!(
                            "{} – {}",
                            lang.text("chart_compliance"),
                            lang.key_label(&axis.path)
                        ),
                        lang.key_label(&axis.path),
                        lang.text("axis_compliance"),
                    ),
                    categories: axis.values.iter().map(|v| lang.grid_value(v)).collect(),
                    series,
                    percent: true,
                    target: opts.target,
                }),
            };
            match (&mut chart, title) {
                (Chart::Line(c), Some(t)) => c.labels.title = t,
                (Chart::Bars(c), Some(t)) => c.labels.title = t,
                _ => {}
            }
            charts.push(("sweep_compliance".into(), chart));
        }
        2 => {
            let (ax, ay) = (&d.grid[0], &d.grid[1]);
            if let Some(x) = numeric(ax) {
                // Compliance with the 3-day rule against the first
                // parameter, one line per value of the second.
                let rule = rules
                    .iter()
                    .find(|r| *r == "assessment_within_3_days")
                    .or(rules.first());
                if let Some(rule) = rule {
                    let series = ay
                        .values
                        .iter()
                        // Every value its line (beyond ten the palette's
                        // colours mixed with white): none left out unsaid.
                        .map(|yv| Series {
                            name: format!("{} = {}", lang.key_label(&ay.path), lang.grid_value(yv)),
                            values: ax
                                .values
                                .iter()
                                .map(|xv| {
                                    at(xv, Some(yv)).map_or(Interval::point(f64::NAN), |p| {
                                        estimate(p, rule).interval()
                                    })
                                })
                                .collect(),
                        })
                        .collect();
                    let mut chart =
                        sweep_line_chart(lang, &lang.key_label(&ax.path), x, series, opts.target);
                    if let Chart::Line(c) = &mut chart {
                        c.labels.title =
                            format!("{} – {}", namer.rule(rule), lang.key_label(&ax.path));
                    }
                    charts.push(("sweep_compliance".into(), chart));
                }
            }
            let xs: Vec<f64> = (0..ax.values.len()).map(|i| i as f64).collect();
            let ys: Vec<f64> = (0..ay.values.len()).map(|i| i as f64).collect();
            for r in &rules {
                // Rows top to bottom: the second parameter's values.
                let values = ay
                    .values
                    .iter()
                    .map(|yv| {
                        ax.values
                            .iter()
                            .map(|xv| {
                                at(xv, Some(yv))
                                    .and_then(|p| estimate(p, r).mean)
                                    .unwrap_or(f64::NAN)
                            })
                            .collect()
                    })
                    .collect();
                let mut chart = sweep_heatmap(
                    lang,
                    r,
                    (&lang.key_label(&ax.path), &xs),
                    (&lang.key_label(&ay.path), &ys),
                    values,
                );
                if let Chart::Heatmap(h) = &mut chart {
                    h.columns = ax.values.iter().map(|v| lang.grid_value(v)).collect();
                    h.rows = ay.values.iter().map(|v| lang.grid_value(v)).collect();
                    h.labels.title = namer.rule(r);
                    h.scale = format!(
                        "{} (%)",
                        lang.text("axis_compliance").trim_end_matches(" (%)")
                    );
                }
                charts.push((format!("sweep_heatmap_{r}"), chart));
            }
        }
        _ => {}
    }
    let charts: Vec<_> = charts.into_iter().filter(|(_, c)| !c.is_empty()).collect();
    if charts.is_empty() {
        // Said, not an empty heading: three keys or more (which value of
        // the third would a chart of two hold?), or no guarantee rule
        // among the metrics asked for.
        blocks.push(Block::Paragraph(lang.text(if d.grid.len() > 2 {
            "sweep_no_charts"
        } else {
            "sweep_no_rule_charts"
        })));
    }
    for (stem, chart) in charts {
        blocks.push(Block::Chart {
            stem,
            chart: Box::new(chart),
        });
    }
    blocks.push(Block::Heading(2, lang.text("points")));
    blocks.push(Block::Paragraph(format!(
        "{} {}",
        lang.text("ci_note"),
        lang.text("paired_note")
    )));
    let mut header: Vec<String> = vec!["#".into()];
    header.extend(d.grid.iter().map(|a| lang.key_label(&a.path)));
    header.extend(rules.iter().map(|r| namer.rule(r)));
    let rows = d
        .points
        .iter()
        .map(|p| {
            let mut row = vec![if p.point == d.baseline {
                format!("{} ({})", p.point, lang.text("sweep_base"))
            } else {
                p.point.to_string()
            }];
            row.extend(
                d.grid
                    .iter()
                    .map(|a| lang.grid_value(p.values.get(&a.path).map_or("", String::as_str))),
            );
            row.extend(rules.iter().map(|r| {
                let e = estimate(p, r);
                format!(
                    "{} ({})",
                    lang.value(e.mean.unwrap_or(f64::NAN), "share"),
                    ci_text(lang, &e, "share")
                )
            }));
            row
        })
        .collect();
    blocks.push(Block::Table {
        header,
        rows,
        numeric: true,
    });
    blocks.extend(asked_metric_blocks(d, lang, &namer));
    Document {
        footer: String::new(),
        lang: lang.key(),
        title,
        blocks,
    }
}

/// The metrics a sweep was asked for, each a table of every point: its
/// mean with CI and the paired difference from the baseline point, counts
/// per year as the terminal's table has them.
fn asked_metric_blocks(d: &SweepDoc, lang: Lang, namer: &Namer<'_>) -> Vec<Block> {
    let asked = super::compare::rules_first(
        d.asked
            .iter()
            .map(String::as_str)
            .filter(|k| d.points.iter().any(|p| p.metrics.contains_key(*k))),
    );
    if asked.is_empty() {
        return Vec::new();
    }
    let mut blocks = vec![Block::Heading(2, lang.text("asked_metrics"))];
    let days = d.points.first().and_then(|p| p.measured_days);
    let year = days.and_then(|days| per_year_of(lang, days));
    for key in asked {
        let unit = d
            .points
            .iter()
            .find_map(|p| p.metrics.get(key))
            .map_or("count", |m| m.unit.as_str());
        let (label, f) = table_label(lang, namer, key, unit, &year);
        let mut header: Vec<String> = vec!["#".into()];
        header.extend(d.grid.iter().map(|a| lang.key_label(&a.path)));
        header.extend([label, lang.text("ci95"), lang.text("sweep_diff")]);
        let rows =
            d.points
                .iter()
                .map(|p| {
                    let mut row = vec![p.point.to_string()];
                    row.extend(d.grid.iter().map(|a| {
                        lang.grid_value(p.values.get(&a.path).map_or("", String::as_str))
                    }));
                    let m = p.metrics.get(key);
                    let e = scaled(m.map(|m| m.estimate).unwrap_or_default(), f);
                    row.push(mean_text(lang, &e, unit));
                    row.push(ci_text(lang, &e, unit));
                    row.push(if p.point == d.baseline {
                        lang.text("sweep_base")
                    } else {
                        diff_text(
                            lang,
                            &scaled(m.map(|m| m.difference).unwrap_or_default(), f),
                            unit,
                        )
                    });
                    row
                })
                .collect();
        blocks.push(Block::Table {
            header,
            rows,
            numeric: true,
        });
    }
    let uneven: Vec<(usize, u32)> = d
        .points
        .iter()
        .filter_map(|p| p.paired_replications.map(|n| (p.point, n)))
        .collect();
    if let Some(note) = super::sweep::paired_note(lang, d.baseline, &uneven) {
        blocks.push(Block::Paragraph(note));
    }
    blocks
}

/// Reads the run or compare folder `dir` and writes `charts/*.svg`,
/// `charts/*.png`, `report.html` and `report.md` to `out`; returns the
/// files written. The files of an earlier report in `out` (listed in its
/// `report.json`) are removed first, and `report.json` records the new
/// ones with the language and target.
pub fn write_report(
    dir: &Path,
    out: &Path,
    opts: &ReportOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    write_report_as(dir, out, opts, None)
}

/// [`write_report`] for a folder made by `command` (the command line as
/// typed), for a sweep folder, which records no command: its files are a
/// function of the plan alone, byte for byte however it was run (resumed,
/// sharded, in another folder). A run or compare folder's
/// `assumptions.json` records its own command, which wins.
pub fn write_report_as(
    dir: &Path,
    out: &Path,
    opts: &ReportOptions,
    command: Option<&str>,
) -> Result<Vec<PathBuf>, ReportError> {
    let assumptions: Option<AssumptionsFile> = read_json(&dir.join("assumptions.json"))?;
    let lang = opts.lang;
    let date = |file: &str| written_date(&dir.join(file));
    // The footer names scenarios by their labels (`label_sv`/`label_en`),
    // as legends and tables do; the file name only when there is none.
    let namer = Namer {
        lang,
        assumptions: assumptions.as_ref(),
    };
    let doc = if let Some(s) = read_json::<SummaryDoc>(&dir.join("summary.json"))? {
        let mut doc = run_document(&s, assumptions.as_ref(), opts);
        doc.footer = footer(
            lang,
            &namer.scenario(&s.scenario),
            s.replications,
            s.seed,
            Some(&s.vardsim_version),
            &date("summary.json"),
        );
        doc
    } else if let Some(c) = read_json::<ComparisonDoc>(&dir.join("comparison.json"))? {
        let mut doc = compare_document(&c, assumptions.as_ref(), opts);
        let names = namer.compared(&c);
        doc.footer = footer(
            lang,
            &names,
            c.replications,
            c.seed,
            c.vardsim_version.as_deref(),
            &date("comparison.json"),
        );
        doc
    } else if let Some(mut d) = read_json::<SweepDoc>(&dir.join("sweep.json"))? {
        let plan: Option<super::input::PlanMetrics> = read_json(&dir.join("plan.json"))?;
        d.asked = plan.unwrap_or_default().metrics;
        d.command = command.map(str::to_string);
        let mut doc = sweep_document(&d, opts);
        let reps = d.points.first().map_or(0, |p| p.replications);
        doc.footer = footer(
            lang,
            &namer.scenario(&d.name),
            reps,
            d.seed,
            d.vardsim_version.as_deref(),
            &date("sweep.json"),
        );
        doc
    } else {
        return Err(ReportError::Read {
            path: dir.to_path_buf(),
            reason: not_a_results_folder(dir),
        });
    };
    // A chart the new report no longer has must not stay beside it.
    super::runs::clear_report(out)?;
    let written = write_document(&doc, out, opts.lang)?;
    super::runs::write_record(out, opts.lang, opts.target, &written)?;
    Ok(written)
}

/// The date a results file was written (`YYYY-MM-DD`, UTC): its
/// modification time, or `SOURCE_DATE_EPOCH` when set (reproducible builds
/// of documents); empty when unknown.
fn written_date(path: &Path) -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .or_else(|| {
            std::fs::metadata(path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs())
        });
    secs.map_or_else(String::new, super::runs::utc_date)
}

/// The chart footer: what was run, how often, with which seed and program,
/// and when (`default · 10 replications · seed 1 · vardsim 0.1.0 · 2026-12-01`).
fn footer(
    lang: Lang,
    scenario: &str,
    replications: usize,
    seed: u64,
    version: Option<&str>,
    date: &str,
) -> String {
    let mut parts = vec![
        scenario.to_string(),
        format!("{replications} {}", lang.pick("replications", "körningar")),
        format!("{} {seed}", lang.pick("seed", "slumpfrö")),
    ];
    if let Some(v) = version {
        parts.push(format!("vardsim {v}"));
    }
    if !date.is_empty() {
        parts.push(date.to_string());
    }
    parts.join(" · ")
}

/// A chart's footer: the document's line (`footer`, empty for none) and
/// what the chart's marks mean. A heatmap has no bars, points or whiskers:
/// its cells are means, and it says where their intervals are.
fn chart_footer(footer: &str, stem: &str, chart: &Chart, lang: Lang) -> String {
    let caption = match chart {
        // A sweep's points have their CIs in its table and sweep.csv.
        Chart::Heatmap(_) if stem.starts_with("sweep_heatmap") => "sweep_heatmap_caption",
        Chart::Heatmap(_) => "heatmap_caption",
        _ => "interval_caption",
    };
    if footer.is_empty() {
        lang.text(caption)
    } else {
        format!("{footer}\n{}", lang.text(caption))
    }
}

/// Writes a document's charts and its HTML and Markdown forms to `out`.
pub fn write_document(doc: &Document, out: &Path, lang: Lang) -> Result<Vec<PathBuf>, ReportError> {
    let mut written = Vec::new();
    let mut svgs = Vec::new();
    // `report DIR` writes into an existing folder: not through a link.
    super::atomic::real_subfolder(out, "charts")?;
    for (stem, chart) in doc.charts() {
        let footer = chart_footer(&doc.footer, stem, chart, lang);
        let svg = chart.svg_with(lang, &footer)?;
        let path = out.join("charts").join(format!("{stem}.svg"));
        write_atomic(&path, svg.as_bytes())?;
        written.push(path);
        let path = out.join("charts").join(format!("{stem}.png"));
        write_atomic(&path, &chart.png_with(lang, &footer)?)?;
        written.push(path);
        svgs.push((stem.to_string(), svg));
    }
    let path = out.join("report.html");
    write_atomic(&path, html(doc, &svgs).as_bytes())?;
    written.push(path);
    let path = out.join("report.md");
    write_atomic(&path, markdown(doc).as_bytes())?;
    written.push(path);
    Ok(written)
}

/// Why `dir` gives no report, with the fix that fits: a folder that does
/// not exist, the output folder above the runs (name them), or a sweep
/// stopped before its first `sweep.json` (resume it).
fn not_a_results_folder(dir: &Path) -> String {
    const NONE: &str =
        "no summary.json, comparison.json or sweep.json: not a run, compare or sweep folder";
    if !dir.exists() {
        return "no such folder\n  hint: `vardsim runs` lists the runs in output/ (`--out DIR` for another folder)".into();
    }
    if dir.join("plan.json").is_file() {
        return format!(
            "{NONE}: it holds a sweep's plan.json but no sweep.json (a sweep stopped before it finished, or its sweep.json deleted)\n  hint: rerun the sweep's command with --resume"
        );
    }
    if dir.join("calibration.json").is_file() {
        // The calibrated scenario is `calibrate`'s --out, NAME.toml unless
        // one was given.
        let name =
            super::input::read_json::<super::input::CalibrationDoc>(&dir.join("calibration.json"))
                .ok()
                .flatten()
                .map_or_else(|| "NAME".into(), |c| c.scenario);
        return format!(
            "{NONE}: it holds a calibration's fit (`vardsim calibrate`: calibration.csv and calibration.json)\n  hint: run the calibrated scenario with --report for its charts: `vardsim run {name}.toml --report` (or calibrate's --out)"
        );
    }
    let mut runs: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            ["summary.json", "comparison.json", "sweep.json"]
                .iter()
                .any(|f| e.path().join(f).is_file())
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    runs.sort();
    match runs.first() {
        Some(first) => format!(
            "{NONE}; it holds the results folders {}{}\n  hint: give one of them, e.g. `vardsim report {}`",
            runs[..runs.len().min(5)].join(", "),
            if runs.len() > 5 { ", …" } else { "" },
            dir.join(first).display()
        ),
        None => NONE.into(),
    }
}
