//! Files for spreadsheets: the CSV format of `replications.csv` and
//! `sweep.csv` ([`CsvFormat`]: for programs, or for Excel set to Swedish),
//! and `results.xlsx`, a workbook of `summary.json` with one sheet per
//! table ([`results_xlsx`]).
//!
//! A spreadsheet guesses the type of every CSV cell: `0.91` is text where
//! the decimal separator is a comma, `4-7` becomes the 4th of July, and a
//! file without a byte-order mark is read in the local code page, which
//! garbles å, ä and ö. So the spreadsheet form writes decimal commas (with
//! `;` between fields), a UTF-8 BOM and group labels that cannot be dates
//! (`4–7 dagar`, `v. 01`, `18–64`). The program form (the default) keeps
//! the bytes it always had.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::ReportError;
use super::input::{AssumptionsFile, SummaryDoc};
use super::lang::Lang;
use super::namer::Namer;

/// The UTF-8 byte-order mark: tells Excel the file is UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a CSV file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvFormat {
    /// Field separator.
    pub sep: u8,
    /// `Some(lang)`: for a spreadsheet (BOM, labels that stay text, headers
    /// and units in `lang`; a decimal comma unless the separator is a
    /// comma). `None`: for programs (decimal point, keys as in summary.json).
    pub spreadsheet: Option<Lang>,
}

impl CsvFormat {
    /// The program form with separator `sep`.
    pub const fn plain(sep: u8) -> Self {
        CsvFormat {
            sep,
            spreadsheet: None,
        }
    }

    /// From the command line: `--csv-sep` (if given) and `--lang`. `;` or
    /// `--lang sv` mean a spreadsheet; `--lang sv` alone implies `;`, what
    /// Excel set to Swedish expects.
    pub fn from_options(sep: Option<u8>, lang: Lang) -> Self {
        let sep = sep.unwrap_or(if lang == Lang::Sv { b';' } else { b',' });
        let spreadsheet = (sep == b';' || lang == Lang::Sv).then_some(lang);
        CsvFormat { sep, spreadsheet }
    }

    /// The bytes a file starts with (the BOM for a spreadsheet).
    pub fn preamble(self) -> &'static [u8] {
        if self.spreadsheet.is_some() { BOM } else { b"" }
    }

    /// A number cell; empty when undefined. Full precision either way, so
    /// nothing is lost; a spreadsheet with a separator other than `,` gets
    /// a decimal comma.
    pub fn number(self, x: f64) -> String {
        if !x.is_finite() {
            return String::new();
        }
        let text = x.to_string();
        if self.spreadsheet.is_some() && self.sep != b',' {
            text.replace('.', ",")
        } else {
            text
        }
    }

    /// A header cell: the key, or for a spreadsheet its label in the language.
    pub fn header(self, key: &str) -> String {
        match self.spreadsheet {
            Some(lang) => header_label(lang, key).map_or_else(|| key.to_string(), str::to_string),
            None => key.to_string(),
        }
    }

    /// [`Self::header`] of a sweep's column: in a spreadsheet, the words a
    /// sweep has for it where they differ (its difference is from the
    /// baseline point).
    pub fn sweep_header(self, key: &str) -> String {
        match self.spreadsheet {
            Some(lang) => header_label(lang, &format!("sweep_{key}"))
                .or_else(|| header_label(lang, key))
                .map_or_else(|| key.to_string(), str::to_string),
            None => key.to_string(),
        }
    }

    /// A unit cell: the key, or for a spreadsheet the word.
    pub fn unit(self, unit: &str) -> String {
        match self.spreadsheet {
            Some(lang) => unit_word(lang, unit).to_string(),
            None => unit.to_string(),
        }
    }

    /// The unit cell of metric `key` in a file of replications, whose
    /// values are totals of `measured_days`: for a spreadsheet, a count
    /// summed over the period says so (`antal (364 mätta dagar)`).
    pub fn period_unit(self, key: &str, unit: &str, measured_days: u32) -> String {
        match self.spreadsheet {
            Some(lang) if super::is_period_total(key, unit) && measured_days > 0 => format!(
                "{} ({measured_days} {})",
                unit_word(lang, unit),
                lang.pick("measured days", "mätta dagar")
            ),
            _ => self.unit(unit),
        }
    }

    /// A breakdown group cell: the key, or for a spreadsheet a label no
    /// spreadsheet reads as a date or a number ([`group_label`]).
    pub fn group(self, by: &str, group: &str) -> String {
        match self.spreadsheet {
            Some(lang) => group_label(lang, by, group),
            None => group.to_string(),
        }
    }
}

/// Headers of the CSV files and the workbook, by key.
const HEADERS: &[(&str, &str, &str)] = &[
    ("scenario", "scenario", "scenario"),
    ("replication", "replication", "körning"),
    ("metric", "metric", "mått"),
    ("label", "label", "benämning"),
    ("by", "by", "uppdelning"),
    ("group", "group", "grupp"),
    ("unit", "unit", "enhet"),
    ("value", "value", "värde"),
    ("point", "point", "punkt"),
    ("replications", "replications", "körningar"),
    ("mean", "mean", "medelvärde"),
    ("ci95_low", "95 % CI low", "95 % KI nedre"),
    ("ci95_high", "95 % CI high", "95 % KI övre"),
    ("scenario_label", "scenario label", "scenariots benämning"),
    (
        "diff_mean",
        "difference from baseline",
        "skillnad mot nuläge",
    ),
    // A sweep's differences are from its baseline point, which need not
    // be today's situation (`nuläge`).
    (
        "sweep_diff_mean",
        "difference from baseline",
        "skillnad mot jämförelsepunkten",
    ),
    (
        "diff_ci95_low",
        "difference 95 % CI low",
        "skillnad 95 % KI nedre",
    ),
    (
        "diff_ci95_high",
        "difference 95 % CI high",
        "skillnad 95 % KI övre",
    ),
    (
        "diff_replications",
        "difference over replications",
        "skillnad över körningar",
    ),
];

fn header_label(lang: Lang, key: &str) -> Option<&'static str> {
    HEADERS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, en, sv)| lang.pick(en, sv))
}

/// A unit key as a word.
fn unit_word(lang: Lang, unit: &str) -> &'static str {
    match unit {
        "share" => lang.pick("share", "andel"),
        "minutes" => lang.pick("minutes", "minuter"),
        "hours" => lang.pick("hours", "timmar"),
        "days" => lang.pick("days", "dagar"),
        "count" => lang.pick("count", "antal"),
        "sek" => lang.pick("SEK", "kr"),
        _ => "",
    }
}

/// A breakdown group as a spreadsheet label that stays text: day buckets
/// with their unit (`4–7 dagar`, `1 day`), weeks with a prefix (`v. 01`,
/// `week 01`, keeping the leading zero), months with their name (`01
/// januari`), and any other range of two numbers
/// with an en dash (`18–64`). Other groups are kept as they are.
pub fn group_label(lang: Lang, by: &str, group: &str) -> String {
    let dashed = dash_range(group);
    match by {
        "days" => {
            let unit = if group == "1" {
                lang.pick("day", "dag")
            } else {
                lang.pick("days", "dagar")
            };
            format!("{dashed} {unit}")
        }
        "week" => format!("{} {group}", lang.pick("week", "v.")),
        // `01` would become the number 1: the month's name follows it.
        "month" => match group
            .parse::<usize>()
            .ok()
            .and_then(|m| MONTH_NAMES.get(m.wrapping_sub(1)))
        {
            Some(&(en, sv)) => format!("{group} {}", lang.pick(en, sv)),
            None => dashed,
        },
        _ => dashed,
    }
}

/// Month names, English and Swedish, January first.
const MONTH_NAMES: [(&str, &str); 12] = [
    ("January", "januari"),
    ("February", "februari"),
    ("March", "mars"),
    ("April", "april"),
    ("May", "maj"),
    ("June", "juni"),
    ("July", "juli"),
    ("August", "augusti"),
    ("September", "september"),
    ("October", "oktober"),
    ("November", "november"),
    ("December", "december"),
];

/// `4-7` → `4–7` (a hyphen between two numbers is what makes a date).
fn dash_range(group: &str) -> String {
    match group.split_once('-') {
        Some((a, b))
            if !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit()) =>
        {
            format!("{a}–{b}")
        }
        _ => group.to_string(),
    }
}

/// A breakdown dimension's sheet name (at most 31 characters, Excel's limit).
fn sheet_name(lang: Lang, by: &str) -> String {
    let name = match by {
        "unit" => lang.pick("By health centre", "Per vårdcentral"),
        "profession" => lang.pick("By profession", "Per yrke"),
        "channel" => lang.pick("By channel", "Per kanal"),
        "category" => lang.pick("By category", "Per kategori"),
        "age" => lang.pick("By age group", "Per åldersgrupp"),
        "distance" => lang.pick("By distance (km)", "Per avstånd (km)"),
        "activity" => lang.pick("By activity", "Per aktivitet"),
        "days" => lang.pick("By days (distribution)", "Per antal dagar"),
        "team" => lang.pick("By mobile team", "Per mobilt team"),
        "week" => lang.pick("By week", "Per vecka"),
        "month" => lang.pick("By month", "Per månad"),
        "weekday_hour" => lang.pick("By weekday and hour", "Per veckodag och timme"),
        "source" => lang.pick("By source", "Per källa"),
        other => return format!("{} {other}", lang.pick("By", "Per")),
    };
    name.to_string()
}

/// `results.xlsx`: the overall metrics of a run (sheet *Summary* /
/// *Sammanfattning*) and one sheet per breakdown dimension, in the order
/// they appear in `summary.json` (its groups in their dimension's order).
/// Means and CI bounds are numbers (shares formatted as percentages), keys
/// are text, and groups are named as the charts name them, in `lang`
/// (`Namer::group`: health centres by their names in `assumptions`,
/// professions, channels and hours of the week by their labels). The same
/// summary, assumptions and language give the same bytes (the document's
/// date is fixed).
pub fn results_xlsx(
    summary: &SummaryDoc,
    assumptions: Option<&AssumptionsFile>,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    let namer = Namer { lang, assumptions };
    build_xlsx(summary, &namer).map_err(|e| ReportError::Serialize(format!("results.xlsx: {e}")))
}

fn build_xlsx(s: &SummaryDoc, namer: &Namer<'_>) -> Result<Vec<u8>, XlsxError> {
    let lang = namer.lang;
    let mut book = new_book(&format!("vardsim: {}", s.scenario))?;
    let formats = Formats::new();

    let sheet = book.add_worksheet();
    sheet.set_name(lang.pick("Summary", "Sammanfattning"))?;
    let header = ["metric", "label", "unit", "mean", "ci95_low", "ci95_high"];
    write_header(sheet, &formats, lang, &header)?;
    let year = PerYear(s.measured_days);
    for (row, key) in (1..).zip(ordered_metrics(s)) {
        let m = &s.metrics[key];
        let f = year.factor(key, &m.unit);
        sheet.write_string(row, 0, key)?;
        sheet.write_string(row, 1, lang.metric(key))?;
        sheet.write_string(row, 2, year.unit(lang, key, &m.unit))?;
        let e = m.estimate;
        for (col, x) in [(3, e.mean), (4, e.ci95_low), (5, e.ci95_high)] {
            write_value(sheet, &formats, row, col, x.map(|x| x * f), (key, &m.unit))?;
        }
    }
    finish_sheet(sheet, &[34.0, 48.0, 24.0, 14.0, 14.0, 14.0])?;

    let mut dims: Vec<&str> = Vec::new();
    for b in &s.breakdown {
        if !dims.contains(&b.by.as_str()) {
            dims.push(&b.by);
        }
    }
    for by in dims {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(lang, by))?;
        let header = [
            "metric",
            "label",
            "group",
            "unit",
            "mean",
            "ci95_low",
            "ci95_high",
        ];
        write_header(sheet, &formats, lang, &header)?;
        for (row, b) in (1..).zip(s.breakdown.iter().filter(|b| b.by == by)) {
            // A day-bucket distribution has no overall value to take the
            // unit from: each bucket is a share of the episodes.
            let unit = match s.metrics.get(&b.metric) {
                Some(m) => m.unit.as_str(),
                None if by == "days" => "share",
                None => "",
            };
            let f = year.factor(&b.metric, unit);
            sheet.write_string(row, 0, &b.metric)?;
            sheet.write_string(row, 1, lang.metric(&b.metric))?;
            sheet.write_string(row, 2, namer.group(by, &b.group))?;
            sheet.write_string(row, 3, year.unit(lang, &b.metric, unit))?;
            let e = b.estimate;
            for (col, x) in [(4, e.mean), (5, e.ci95_low), (6, e.ci95_high)] {
                write_value(
                    sheet,
                    &formats,
                    row,
                    col,
                    x.map(|x| x * f),
                    (&b.metric, unit),
                )?;
            }
        }
        finish_sheet(sheet, &[34.0, 48.0, 16.0, 24.0, 14.0, 14.0, 14.0])?;
    }
    book.save_to_buffer()
}

/// `comparison.xlsx`: one sheet (*Comparison* / *Jämförelse*) with a row
/// per metric and scenario, base first: the scenario's mean and 95 % CI
/// and, for variants, the paired difference from the base with its CI.
/// `labels` gives each scenario's label (`label_sv`/`label_en`, else its
/// name) in the order base, variants.
pub fn comparison_xlsx(
    c: &super::input::ComparisonDoc,
    labels: &[String],
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    let err = |e: XlsxError| ReportError::Serialize(format!("comparison.xlsx: {e}"));
    let mut book = new_book(&format!("vardsim: {}", c.scenarios().join(" · "))).map_err(err)?;
    let formats = Formats::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(lang.pick("Comparison", "Jämförelse"))
        .map_err(err)?;
    let header = [
        "metric",
        "label",
        "scenario",
        "scenario_label",
        "unit",
        "mean",
        "ci95_low",
        "ci95_high",
        "diff_mean",
        "diff_ci95_low",
        "diff_ci95_high",
    ];
    write_header(sheet, &formats, lang, &header).map_err(err)?;
    let mut keys: Vec<&str> = c.metrics.keys().map(String::as_str).collect();
    // Guarantee rules first, as in the other tables.
    keys.sort_by_key(|k| !super::lang::is_rule_key(k));
    let mut row = 1;
    let year = PerYear(c.measured_days);
    for key in keys {
        let m = &c.metrics[key];
        let f = year.factor(key, &m.unit);
        for (i, name) in c.scenarios().iter().enumerate() {
            let e = m.scenarios.get(name).copied().unwrap_or_default();
            let write = |sheet: &mut Worksheet| -> Result<(), XlsxError> {
                sheet.write_string(row, 0, key)?;
                sheet.write_string(row, 1, lang.metric(key))?;
                sheet.write_string(row, 2, name)?;
                sheet.write_string(row, 3, labels.get(i).unwrap_or(name))?;
                sheet.write_string(row, 4, year.unit(lang, key, &m.unit))?;
                for (col, x) in [(5, e.mean), (6, e.ci95_low), (7, e.ci95_high)] {
                    write_value(sheet, &formats, row, col, x.map(|x| x * f), (key, &m.unit))?;
                }
                if let Some(d) = m.differences.get(name) {
                    for (col, x) in [(8, d.mean), (9, d.ci95_low), (10, d.ci95_high)] {
                        write_value(sheet, &formats, row, col, x.map(|x| x * f), (key, &m.unit))?;
                    }
                }
                Ok(())
            };
            write(sheet).map_err(err)?;
            row += 1;
        }
    }
    finish_sheet(
        sheet,
        &[
            34.0, 44.0, 26.0, 36.0, 10.0, 12.0, 12.0, 12.0, 14.0, 14.0, 14.0,
        ],
    )
    .map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// `sweep.xlsx`: one sheet (*Points* / *Punkter*) with a row per point and
/// metric: the grid values under readable key names, replications, mean
/// and 95 % CI, and the paired difference from the baseline point.
pub fn sweep_xlsx(d: &super::input::SweepDoc, lang: Lang) -> Result<Vec<u8>, ReportError> {
    let err = |e: XlsxError| ReportError::Serialize(format!("sweep.xlsx: {e}"));
    let mut book = new_book(&format!("vardsim: {}", d.name)).map_err(err)?;
    let formats = Formats::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(lang.pick("Points", "Punkter"))
        .map_err(err)?;
    let axes: Vec<String> = d.grid.iter().map(|a| lang.key_label(&a.path)).collect();
    let mut header: Vec<&str> = vec!["point"];
    header.extend(axes.iter().map(String::as_str));
    header.extend([
        "metric",
        "label",
        "unit",
        "replications",
        "mean",
        "ci95_low",
        "ci95_high",
        "sweep_diff_mean",
        "diff_ci95_low",
        "diff_ci95_high",
    ]);
    // As in sweep.csv: only when the points ran different numbers of
    // replications (`--precision`), the replications each Δ is paired over.
    let uneven = d.points.iter().any(|p| p.paired_replications.is_some());
    if uneven {
        header.push("diff_replications");
    }
    write_header(sheet, &formats, lang, &header).map_err(err)?;
    let n = d.grid.len() as u16;
    let mut row = 1;
    for p in &d.points {
        let mut keys: Vec<&str> = p.metrics.keys().map(String::as_str).collect();
        keys.sort_by_key(|k| !super::lang::is_rule_key(k));
        for key in keys {
            let m = &p.metrics[key];
            let write = |sheet: &mut Worksheet| -> Result<(), XlsxError> {
                sheet.write_number(row, 0, p.point as f64)?;
                for (i, a) in d.grid.iter().enumerate() {
                    let v = p.values.get(&a.path).map_or("", String::as_str);
                    // Numbers stay numbers; anything else is text.
                    match v.parse::<f64>() {
                        Ok(x) if x.is_finite() => sheet.write_number(row, 1 + i as u16, x)?,
                        _ => sheet.write_string(row, 1 + i as u16, v)?,
                    };
                }
                sheet.write_string(row, n + 1, key)?;
                sheet.write_string(row, n + 2, lang.metric(key))?;
                // A sweep's points need not share a period: counts stay
                // totals of the measured period, and say so.
                sheet.write_string(row, n + 3, PerYear(None).unit(lang, key, &m.unit))?;
                sheet.write_number(row, n + 4, p.replications as f64)?;
                let (e, f) = (m.estimate, m.difference);
                for (col, x) in [
                    (n + 5, e.mean),
                    (n + 6, e.ci95_low),
                    (n + 7, e.ci95_high),
                    (n + 8, f.mean),
                    (n + 9, f.ci95_low),
                    (n + 10, f.ci95_high),
                ] {
                    write_value(sheet, &formats, row, col, x, (key, &m.unit))?;
                }
                if uneven {
                    let paired = p.paired_replications.unwrap_or(p.replications as u32);
                    sheet.write_number(row, n + 11, paired)?;
                }
                Ok(())
            };
            write(sheet).map_err(err)?;
            row += 1;
        }
    }
    let mut widths = vec![8.0];
    widths.extend(axes.iter().map(|_| 24.0));
    widths.extend([34.0, 44.0, 10.0, 12.0, 12.0, 12.0, 12.0, 14.0, 14.0, 14.0]);
    if uneven {
        widths.push(14.0);
    }
    finish_sheet(sheet, &widths).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// Counts summed over the measured period, shown per year in the
/// workbooks: the period's length in days (unknown in files from before it
/// was written: the counts then stay totals of the period, and say so).
struct PerYear(Option<u32>);

impl PerYear {
    /// What a value of metric `key` is multiplied by.
    fn factor(&self, key: &str, unit: &str) -> f64 {
        match self.0.and_then(super::per_year_factor) {
            Some(f) if super::is_period_total(key, unit) => f,
            _ => 1.0,
        }
    }

    /// The unit cell: `count per year` for a scaled total.
    fn unit(&self, lang: Lang, key: &str, unit: &str) -> String {
        if !super::is_period_total(key, unit) {
            return unit_word(lang, unit).to_string();
        }
        match self.0 {
            Some(365) => lang.pick("count per year", "antal per år").to_string(),
            Some(d) if d > 0 => format!(
                "{} {d} {}",
                lang.pick(
                    "count per year, scaled from",
                    "antal per år, uppräknat från"
                ),
                lang.pick("measured days", "mätta dagar")
            ),
            _ => lang
                .pick("count in the measured period", "antal under mätperioden")
                .to_string(),
        }
    }
}

/// A workbook titled `title` with a fixed date, so that its bytes depend
/// on the results only. Zip level 1: a summary's workbook is tens of
/// kilobytes either way, and the default level's deflate was a tenth of a
/// short run's instructions (M/M/3, one year).
fn new_book(title: &str) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    book.set_zip_compression_level(1);
    let properties = DocProperties::new()
        .set_title(title)
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    book.set_properties(&properties);
    Ok(book)
}

/// The overall metrics with the guarantee rules first (what a plan quotes),
/// then the rest in key order.
pub(super) fn ordered_metrics(s: &SummaryDoc) -> Vec<&str> {
    // The guarantee rules: the metrics broken down by month of first
    // contact (a weekly breakdown is not enough: the summer leave has one).
    let rule = |k: &str| s.breakdown.iter().any(|b| b.metric == k && b.by == "month");
    let mut keys: Vec<&str> = s.metrics.keys().map(String::as_str).collect();
    keys.sort_by_key(|k| !rule(k));
    keys
}

struct Formats {
    header: Format,
    percent: Format,
    decimal: Format,
    whole: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: Format::new().set_bold(),
            // Number formats are stored in Excel's neutral form; Swedish
            // Excel shows them with a decimal comma.
            percent: Format::new().set_num_format("0.0%"),
            decimal: Format::new().set_num_format("#,##0.00"),
            whole: Format::new().set_num_format("#,##0"),
        }
    }
}

fn write_header(
    sheet: &mut Worksheet,
    f: &Formats,
    lang: Lang,
    keys: &[&str],
) -> Result<(), XlsxError> {
    for (col, key) in keys.iter().enumerate() {
        let text = header_label(lang, key).unwrap_or(key);
        sheet.write_string_with_format(0, col as u16, text, &f.header)?;
    }
    Ok(())
}

/// A value `x` of metric `key` in `unit` as a number in the unit's format
/// (a count summed over the period as a whole number; the cell keeps every
/// digit); an empty cell when undefined.
fn write_value(
    sheet: &mut Worksheet,
    f: &Formats,
    row: u32,
    col: u16,
    x: Option<f64>,
    (key, unit): (&str, &str),
) -> Result<(), XlsxError> {
    let Some(x) = x.filter(|x| x.is_finite()) else {
        return Ok(());
    };
    let rounded = super::is_period_total(key, unit);
    let format = match unit {
        "share" => &f.percent,
        "sek" => &f.whole,
        "count" if rounded || x.fract() == 0.0 => &f.whole,
        _ => &f.decimal,
    };
    sheet.write_number_with_format(row, col, x, format)?;
    Ok(())
}

fn finish_sheet(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_labels_for_spreadsheets_cannot_be_dates() {
        assert_eq!(group_label(Lang::Sv, "days", "4-7"), "4–7 dagar");
        assert_eq!(group_label(Lang::Sv, "days", "1"), "1 dag");
        assert_eq!(group_label(Lang::En, "days", "8+"), "8+ days");
        assert_eq!(group_label(Lang::Sv, "week", "01"), "v. 01");
        assert_eq!(group_label(Lang::Sv, "month", "01"), "01 januari");
        assert_eq!(group_label(Lang::En, "month", "12"), "12 December");
        assert_eq!(sheet_name(Lang::Sv, "month"), "Per månad");
        assert_eq!(group_label(Lang::En, "age", "18-64"), "18–64");
        assert_eq!(group_label(Lang::En, "age", "80+"), "80+");
        assert_eq!(group_label(Lang::Sv, "weekday_hour", "mon-08"), "mon-08");
        assert_eq!(group_label(Lang::Sv, "unit", "vc"), "vc");
    }

    #[test]
    fn the_spreadsheet_form_has_decimal_commas_and_the_program_form_keeps_points() {
        let sv = CsvFormat::from_options(None, Lang::Sv);
        assert_eq!((sv.sep, sv.spreadsheet), (b';', Some(Lang::Sv)));
        assert_eq!(sv.number(0.875), "0,875");
        assert_eq!(sv.number(f64::NAN), "");
        assert_eq!(sv.preamble(), BOM);
        let semi = CsvFormat::from_options(Some(b';'), Lang::En);
        assert_eq!(semi.number(1234.5), "1234,5");
        assert_eq!(semi.header("value"), "value");
        let plain = CsvFormat::from_options(None, Lang::En);
        assert_eq!(plain, CsvFormat::plain(b','));
        assert_eq!(plain.number(0.875), "0.875");
        assert_eq!(plain.preamble(), b"");
        assert_eq!(plain.group("days", "4-7"), "4-7");
        // Swedish with an explicit comma separator: a decimal comma would
        // need quoting in every cell, so the point stays.
        let sv_comma = CsvFormat::from_options(Some(b','), Lang::Sv);
        assert_eq!(sv_comma.number(0.5), "0.5");
        assert_eq!(sv_comma.header("value"), "värde");
    }
}
