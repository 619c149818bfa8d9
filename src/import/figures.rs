//! A region's own monthly figures per unit — contacts, and the share of
//! contacts that met the care guarantee's two rules ("0": contact the same
//! day, "3": medical assessment within 3 days) as the national
//! waiting-time database publishes them — read for `vardsim calibrate`.
//! Every unusable field is a located problem, and all are reported.

use std::collections::BTreeMap;
use std::path::Path;

use super::table::{ColumnSpec, Problem, Table, parse_number};
use crate::report::lang::{Bilingual, Lang};

/// The columns of a figures file.
pub const FIGURE_COLUMNS: [ColumnSpec; 9] = [
    ColumnSpec {
        key: "unit",
        aliases: &["enhet", "nyckel", "enhet_id", "vårdcentral", "hälsocentral"],
        required: true,
        doc: "the unit's key in the scenario; `*` (or `alla`) for a figure of the whole region, used for every unit without its own row that month",
    },
    ColumnSpec {
        key: "month",
        aliases: &["månad", "period"],
        required: true,
        doc: "the month: `2024-03`, `3`, `mars` or `march`, also with a year in any order as Excel writes it (`mars 2024`, `2024-mars`, `mar-24`, `jan.`)",
    },
    ColumnSpec {
        key: "contacts",
        aliases: &["kontakter", "antal_kontakter"],
        required: false,
        doc: "first contacts that month over every channel (calls, e-service messages, web bookings, walk-ins), as `contacts_per_listed_year` counts them",
    },
    ColumnSpec {
        key: "same_day",
        aliases: &[
            "0",
            "samma_dag",
            "kontakt_samma_dag",
            "andel_kontakt_samma_dag",
            "tillgänglighet_samma_dag",
        ],
        required: false,
        doc: "share of telephone contacts answered or called back the same day (\"0\", telephone accessibility as published), e.g. 0,87 or 87 %",
    },
    ColumnSpec {
        key: "within_3_days",
        aliases: &[
            "3",
            "inom_3_dagar",
            "bedömning_inom_3_dagar",
            "andel_bedömning_inom_3_dagar",
            "medicinsk_bedömning_inom_3_dagar",
        ],
        required: false,
        doc: "share of medical assessments by licensed staff within 3 days (\"3\"), e.g. 0,84 or 84 %",
    },
    ColumnSpec {
        key: "calls",
        aliases: &["samtal", "telefonsamtal", "telefonkontakter"],
        required: false,
        doc: "first contacts by telephone that month",
    },
    ColumnSpec {
        key: "eservice",
        aliases: &["e_tjänst", "etjänst", "ärenden_1177", "1177_ärenden"],
        required: false,
        doc: "first contacts by the 1177 e-service that month",
    },
    ColumnSpec {
        key: "dropin",
        aliases: &["drop_in", "spontanbesök", "dropin_besök"],
        required: false,
        doc: "walk-ins to the drop-in that month",
    },
    ColumnSpec {
        key: "visits",
        aliases: &["besök", "mottagningsbesök", "fysiska_besök"],
        required: false,
        doc: "booked visits at the unit that month, every profession",
    },
];
const F_UNIT: usize = 0;
const F_MONTH: usize = 1;
const F_CONTACTS: usize = 2;
const F_SAME_DAY: usize = 3;
const F_WITHIN_3: usize = 4;
const F_CALLS: usize = 5;
const F_ESERVICE: usize = 6;
const F_DROPIN: usize = 7;
const F_VISITS: usize = 8;

/// A unit key standing for the whole region.
pub const REGION_ROW: &str = "*";

/// One unit's figures for one month.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthFigures {
    /// Where it came from (`figures.csv:4`).
    pub source: String,
    /// 1 = January … 12 = December.
    pub month: u8,
    /// First contacts that month.
    pub contacts: Option<f64>,
    /// "0" as a share (0–1).
    pub same_day: Option<f64>,
    /// "3" as a share (0–1).
    pub within_3_days: Option<f64>,
    /// Counts by channel: calls, e-service, drop-in (as `Channel::ALL`'s
    /// phone, eservice, walk_in), and booked visits.
    pub channels: ChannelCounts,
}

/// A month's contacts by channel, and its booked visits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ChannelCounts {
    /// Telephone contacts.
    pub calls: Option<f64>,
    /// 1177 e-service contacts.
    pub eservice: Option<f64>,
    /// Walk-ins to the drop-in.
    pub dropin: Option<f64>,
    /// Booked visits.
    pub visits: Option<f64>,
}

/// Which published figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// "0": contact the same day.
    SameDay,
    /// "3": medical assessment within 3 days.
    Within3Days,
}

impl MonthFigures {
    /// The month's value of `figure`.
    pub fn get(&self, figure: Figure) -> Option<f64> {
        match figure {
            Figure::SameDay => self.same_day,
            Figure::Within3Days => self.within_3_days,
        }
    }
}

/// A region's figures, checked: per unit key, its months in calendar order.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    /// The file as the user named it.
    pub file: String,
    /// Months by unit key.
    pub units: BTreeMap<String, Vec<MonthFigures>>,
    /// How ambiguous columns were read (shares or percent), for the output.
    pub notes: Vec<Bilingual>,
}

impl Figures {
    /// Gives every unit of `units` the region's rows (`*`) for the months
    /// it has no row of its own, and drops the region's rows.
    pub fn spread_region(&mut self, units: &[&str]) {
        let Some(region) = self.units.remove(REGION_ROW) else {
            return;
        };
        for key in units {
            let months = self.units.entry(key.to_string()).or_default();
            for m in &region {
                if !months.iter().any(|o| o.month == m.month) {
                    months.push(m.clone());
                }
            }
            months.sort_by_key(|m| m.month);
        }
    }

    /// The year's value of `figure` for one unit's months: weighted by the
    /// month's contacts where every month has them (the published yearly
    /// figure counts contacts, not months), else the plain mean. `None`
    /// without any value.
    pub fn yearly(months: &[MonthFigures], figure: Figure) -> Option<(f64, usize)> {
        let with: Vec<(&MonthFigures, f64)> = months
            .iter()
            .filter_map(|m| m.get(figure).map(|v| (m, v)))
            .collect();
        if with.is_empty() {
            return None;
        }
        let weights: Option<Vec<f64>> = with.iter().map(|(m, _)| m.contacts).collect();
        let weights = weights
            .filter(|w| w.iter().sum::<f64>() > 0.0)
            .unwrap_or_else(|| vec![1.0; with.len()]);
        let total: f64 = weights.iter().sum();
        let value = with
            .iter()
            .zip(&weights)
            .map(|((_, v), w)| v * w)
            .sum::<f64>()
            / total;
        Some((value, with.len()))
    }
}

/// Month names in Swedish and English (full and three-letter), lower case.
const MONTH_NAMES: [[&str; 3]; 12] = [
    ["januari", "january", "jan"],
    ["februari", "february", "feb"],
    ["mars", "march", "mar"],
    ["april", "april", "apr"],
    ["maj", "may", "may"],
    ["juni", "june", "jun"],
    ["juli", "july", "jul"],
    ["augusti", "august", "aug"],
    ["september", "september", "sep"],
    ["oktober", "october", "okt"],
    ["november", "november", "nov"],
    ["december", "december", "dec"],
];

/// The month of `text`: `2024-03`, `2024-03-01`, `3`, `03`, `mars`, `March`,
/// `mars 2024`, `okt`/`oct`, and a name beside a year as Excel writes
/// month formats (`2024-mars`, `mar-24`, `jan.`).
pub fn parse_month(text: &str) -> Option<u8> {
    let t = text.trim().to_lowercase();
    let in_range = |m: u32| (1..=12).contains(&m).then_some(m as u8);
    // `2024-03` or `2024-03-01`.
    let parts: Vec<&str> = t.split(['-', '/']).collect();
    if parts.len() >= 2
        && parts[0].len() == 4
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && let Ok(m) = parts[1].parse()
    {
        return in_range(m);
    }
    if let Ok(m) = t.parse::<u32>() {
        return in_range(m);
    }
    // A name, with or without a year beside it (after a space, a dash, a
    // slash, or an abbreviation's point).
    let word = t
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '.'))
        .find(|w| !w.is_empty() && w.chars().all(char::is_alphabetic))?;
    MONTH_NAMES
        .iter()
        .position(|names| names.contains(&word) || (word == "oct" && names[0] == "oktober"))
        .map(|i| i as u8 + 1)
}

/// How a share column is written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Scale {
    /// 0–1.
    Share,
    /// 0–100.
    Percent,
}

/// Rows as `line 3 (`85`)` or `lines 3 (`85`), 5 (`80`)`, at most five named.
fn row_list(rows: &[&(u64, &str, f64)], lang: Lang) -> String {
    let mut named: Vec<String> = rows
        .iter()
        .take(5)
        .map(|(line, t, _)| format!("{line} (`{t}`)"))
        .collect();
    if rows.len() > 5 {
        named.push(format!(
            "{} {} {}",
            lang.pick("and", "och"),
            rows.len() - 5,
            lang.pick("more", "till")
        ));
    }
    let word = match (rows.len(), lang) {
        (1, _) => lang.pick("line", "rad"),
        _ => lang.pick("lines", "raderna"),
    };
    format!("{word} {}", named.join(", "))
}

/// Reads a figures file.
pub fn read_figures(path: &Path) -> Result<Figures, Vec<Problem>> {
    let table = Table::read(path, &FIGURE_COLUMNS)?;
    figures_from(&table)
}

/// Checks every row of a read figures table.
pub fn figures_from(table: &Table) -> Result<Figures, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    // A share column's scale, decided once for the whole column: `87 %` is
    // a percentage wherever it is; plain numbers are shares unless some
    // value in the column is above 1 (then all are percentages, and the
    // output says so, since `1` alone could be meant either way).
    // A plain number of 0 to 1 beside them (`0,85` under `85`) could be a
    // share or a percentage below one: refused, naming the rows read each
    // way, as staff.csv's percent refuses `0,5`.
    let mut scales = [Scale::Share; 2];
    for (i, spec) in [F_SAME_DAY, F_WITHIN_3].into_iter().enumerate() {
        let plain: Vec<(u64, &str, f64)> = table
            .rows
            .iter()
            .filter_map(|(line, row)| {
                let t = table.text(row, spec).filter(|t| !t.contains('%'))?;
                parse_number(t).map(|v| (*line, t, v))
            })
            .collect();
        let above: Vec<&(u64, &str, f64)> = plain.iter().filter(|p| p.2 > 1.0).collect();
        if above.is_empty() {
            continue;
        }
        scales[i] = Scale::Percent;
        let name = table
            .problem(0, spec, String::new(), "")
            .key
            .unwrap_or_default();
        let as_percent = row_list(&above, Lang::En);
        let shares: Vec<&(u64, &str, f64)> =
            plain.iter().filter(|p| p.2 > 0.0 && p.2 <= 1.0).collect();
        for &&(line, t, v) in &shares {
            // 0,85 as 85, not 85.00000000000001.
            let p = (v * 100.0 * 1e6).round() / 1e6;
            problems.push(table.problem(
                line,
                spec,
                format!(
                    "found `{t}`: a share ({p} %), or {t} percent? The column holds percentages on {as_percent}"
                ),
                &format!(
                    "write the column one way: {p} (or {p} %) here if a share is meant, as on those rows"
                ),
            ));
        }
        if shares.is_empty() {
            let key = FIGURE_COLUMNS[spec].key;
            notes.push(Bilingual::new(
                format!(
                    "{}: column `{name}` ({key}) read as percentages (values above 1 on {as_percent})",
                    table.file
                ),
                format!(
                    "{}: kolumnen `{name}` ({key}) läst som procent (värden över 1 på {})",
                    table.file,
                    row_list(&above, Lang::Sv)
                ),
            ));
        }
    }
    let mut units: BTreeMap<String, Vec<MonthFigures>> = BTreeMap::new();
    let mut any_target = false;
    for (line, row) in &table.rows {
        let line = *line;
        let mut bad = |p: Problem| problems.push(p);
        let Some(unit) = table.text(row, F_UNIT) else {
            bad(table.problem(
                line,
                F_UNIT,
                "missing: expected the unit's key".into(),
                "the key of the unit in the scenario, e.g. `vc`",
            ));
            continue;
        };
        let month = match table.text(row, F_MONTH) {
            None => {
                bad(table.problem(
                    line,
                    F_MONTH,
                    "missing: expected a month".into(),
                    "e.g. 2024-03, 3 or mars",
                ));
                None
            }
            Some(t) => parse_month(t).or_else(|| {
                bad(table.problem(
                    line,
                    F_MONTH,
                    format!("expected a month, found `{t}`"),
                    "e.g. 2024-03, 3 or mars",
                ));
                None
            }),
        };
        let mut count = |col: usize| match table.whole_number(line, row, col) {
            Ok(Some(v)) if !(0.0..=1.0e8).contains(&v) => {
                bad(table.problem(
                    line,
                    col,
                    format!("expected 0 to 100 000 000 contacts, found {v}"),
                    "the unit's count in the month",
                ));
                None
            }
            Ok(v) => v,
            Err(p) => {
                bad(p);
                None
            }
        };
        let contacts = count(F_CONTACTS);
        let channels = ChannelCounts {
            calls: count(F_CALLS),
            eservice: count(F_ESERVICE),
            dropin: count(F_DROPIN),
            visits: count(F_VISITS),
        };
        // Calls, e-service requests and walk-ins are parts of the month's
        // first contacts: more of them than contacts is impossible (a
        // column mixed up, or counts from another period), and would fit a
        // channel share above one.
        let parts = [
            (F_CALLS, channels.calls),
            (F_ESERVICE, channels.eservice),
            (F_DROPIN, channels.dropin),
        ];
        let parts_sum: f64 = parts.iter().filter_map(|(_, c)| *c).sum();
        if let Some(all) = contacts
            && parts_sum > all
        {
            let named: Vec<String> = parts
                .iter()
                .filter_map(|&(col, c)| {
                    let t = table.text(row, col)?;
                    c.map(|_| format!("`{}` {t}", FIGURE_COLUMNS[col].key))
                })
                .collect();
            let t = table.text(row, F_CONTACTS).unwrap_or_default();
            bad(table.problem(
                line,
                F_CONTACTS,
                format!(
                    "found {t} contacts, fewer than the month's contacts by channel ({}): the channels are parts of the contacts",
                    named.join(" + ")
                ),
                "count every first contact of the month in `contacts` (calls, e-service, web bookings and walk-ins), or check that the columns are not swapped",
            ));
        }
        // `Alla` as a spreadsheet capitalises it is the region too.
        let unit = if unit.eq_ignore_ascii_case("alla") || unit.eq_ignore_ascii_case("all") {
            REGION_ROW
        } else {
            unit
        };
        let mut share = |spec: usize, scale: Scale| -> Option<f64> {
            let t = table.text(row, spec)?;
            let (number, percent) = match t.strip_suffix('%') {
                Some(n) => (n.trim(), true),
                None => (t, scale == Scale::Percent),
            };
            let hint = "a share such as 0,87 or a percentage such as 87 %";
            let Some(v) = parse_number(number) else {
                bad(table.problem(line, spec, format!("expected a share, found `{t}`"), hint));
                return None;
            };
            let v = if percent { v / 100.0 } else { v };
            if (0.0..=1.0).contains(&v) {
                Some(v)
            } else {
                bad(table.problem(
                    line,
                    spec,
                    format!("expected a share of 0 to 1 (0 to 100 %), found `{t}`"),
                    hint,
                ));
                None
            }
        };
        let same_day = share(F_SAME_DAY, scales[0]);
        let within_3_days = share(F_WITHIN_3, scales[1]);
        any_target |= same_day.is_some()
            || within_3_days.is_some()
            || contacts.is_some()
            || channels != ChannelCounts::default();
        let Some(month) = month else { continue };
        let months = units.entry(unit.to_string()).or_default();
        if let Some(earlier) = months.iter().find(|m| m.month == month) {
            problems.push(table.problem(
                line,
                F_MONTH,
                format!(
                    "month {month} of unit `{unit}` a second time (first at {})",
                    earlier.source
                ),
                "give one year's figures: one row per unit and month",
            ));
            continue;
        }
        months.push(MonthFigures {
            source: format!("{}:{line}", table.file),
            month,
            contacts,
            same_day,
            within_3_days,
            channels,
        });
    }
    if problems.is_empty() && !any_target {
        problems.push(Problem {
            file: table.file.clone(),
            line: 0,
            column: None,
            key: None,
            message: "no figures to fit: every `contacts`, `same_day` and `within_3_days` is empty"
                .into(),
            hint: Some(
                "add a column `same_day` (\"0\"), `within_3_days` (\"3\") or `contacts`".into(),
            ),
        });
    }
    for months in units.values_mut() {
        months.sort_by_key(|m| m.month);
    }
    if problems.is_empty() {
        Ok(Figures {
            file: table.file.clone(),
            units,
            notes,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Figures, Vec<Problem>> {
        figures_from(&Table::parse("figures.csv", text, &FIGURE_COLUMNS)?)
    }

    #[test]
    fn months_in_every_written_form() {
        for (text, m) in [
            ("2024-03", 3),
            ("2024-03-01", 3),
            ("3", 3),
            ("03", 3),
            ("mars", 3),
            ("March", 3),
            ("mars 2024", 3),
            ("okt", 10),
            ("Oct", 10),
            ("december", 12),
            // As Excel writes a month format, and abbreviations with a point.
            ("2024-mars", 3),
            ("mar-24", 3),
            ("Okt-2024", 10),
            ("jan.", 1),
            ("2024/maj", 5),
        ] {
            assert_eq!(parse_month(text), Some(m), "{text}");
        }
        for text in ["13", "0", "2024-13", "marts", "", "2024-marts", "24-13"] {
            assert_eq!(parse_month(text), None, "{text}");
        }
    }

    #[test]
    fn swedish_file_with_percentages_and_decimal_comma() {
        let f = read(
            "\u{feff}enhet;månad;kontakter;0;3\nvc;2024-01;2 310;87 %;84,5\nvc;2024-02;2 150;90;80\n",
        )
        .unwrap();
        let months = &f.units["vc"];
        assert_eq!(months.len(), 2);
        assert_eq!(months[0].same_day, Some(0.87));
        assert_eq!(months[0].within_3_days, Some(0.845));
        assert_eq!(months[1].contacts, Some(2150.0));
        // "3" holds 84,5 and 80: above 1, so the column is percent, and said so.
        assert!(
            f.notes.iter().any(|n| n.en.contains("within_3_days")),
            "{:?}",
            f.notes
        );
        // Weighted by contacts: (0.87·2310 + 0.90·2150) / 4460.
        let (y, n) = Figures::yearly(months, Figure::SameDay).unwrap();
        assert_eq!(n, 2);
        assert!((y - (0.87 * 2310.0 + 0.90 * 2150.0) / 4460.0).abs() < 1e-12);
    }

    #[test]
    fn every_problem_located_at_once() {
        let problems = read(
            "unit,month,same_day\nvc,2024-01,0.8\nvc,januari,0.9\n,3,0.8\nvc,2024-14,0.8\nvc,5,1.7 %x\n",
        )
        .unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 4, "{text:#?}");
        assert!(text[0].starts_with("figures.csv:3:2: column `month`: month 1 of unit `vc` a second time (first at figures.csv:2)"), "{}", text[0]);
        assert!(
            text[1].starts_with("figures.csv:4:1: column `unit`: missing"),
            "{}",
            text[1]
        );
        assert!(
            text[2].contains("figures.csv:5:2") && text[2].contains("`2024-14`"),
            "{}",
            text[2]
        );
        assert!(
            text[3].contains("figures.csv:6:3") && text[3].contains("expected a share"),
            "{}",
            text[3]
        );
    }

    /// An audit's finding: `Alla` (capitalised, as a spreadsheet writes a
    /// first word) was an unknown unit, not the region's row.
    #[test]
    fn the_regions_row_is_read_in_any_case() {
        let f = read("enhet;månad;0\nAlla;1;87 %\nALL;2;88 %\n*;3;86 %\n").unwrap();
        assert_eq!(f.units.len(), 1, "{:?}", f.units.keys());
        assert_eq!(f.units[REGION_ROW].len(), 3);
    }

    #[test]
    fn a_share_above_one_hundred_percent_is_refused() {
        let problems = read("unit;month;0\nvc;1;120 %\n").unwrap_err();
        assert!(problems[0].message.contains("0 to 1"), "{}", problems[0]);
        let problems = read("unit;month\nvc;1\n").unwrap_err();
        assert!(
            problems[0].message.contains("no figures to fit"),
            "{}",
            problems[0]
        );
    }
}
