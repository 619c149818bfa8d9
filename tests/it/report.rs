//! Charts and reports: every chart renders from a default run, a compare
//! and synthetic sweep data; PNGs decode at the stated size, SVGs are XML,
//! no chart or series is empty; the Swedish report is in Swedish with
//! decimal commas; `--csv-sep ';'` separates CSV fields with `;`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use vardsim::report::chart::{Chart, HEIGHT, Interval, Series, WIDTH};
use vardsim::report::document::Document;
use vardsim::report::input::{SummaryDoc, read_json};
use vardsim::report::{
    Lang, ReportOptions, run_document, sweep_heatmap, sweep_line_chart, write_assumptions,
    write_document, write_report, write_run,
};

/// Decodes a PNG and returns its size and whether it has dark pixels in
/// the title band (text drawn from the embedded font).
fn decode_png(path: &Path) -> ((u32, u32), bool) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let stride = info.width as usize * channels;
    // The title is centred in the top 80 px.
    let title_ink = buf[..stride * 80]
        .chunks(channels)
        .any(|px| px[..3].iter().all(|&c| c < 80));
    ((info.width, info.height), title_ink)
}

/// Every chart's series has at least one value.
fn assert_no_empty_series(stem: &str, chart: &Chart) {
    let finite = |v: &[Interval]| v.iter().any(|i| i.mean.is_finite());
    assert!(!chart.is_empty(), "{stem}: empty chart");
    match chart {
        Chart::Bars(c) => c
            .series
            .iter()
            .for_each(|s| assert!(finite(&s.values), "{stem}: empty series {}", s.name)),
        Chart::Line(c) => c
            .series
            .iter()
            .for_each(|s| assert!(finite(&s.values), "{stem}: empty series {}", s.name)),
        Chart::Stacked(c) => c
            .parts
            .iter()
            .for_each(|(name, v)| assert!(v.iter().any(|x| *x > 0.0), "{stem}: empty part {name}")),
        Chart::Heatmap(c) => assert!(
            c.values.iter().flatten().any(|v| *v > 0.0),
            "{stem}: heatmap all zero"
        ),
        Chart::Scatter(c) => assert!(c.points.len() >= 2, "{stem}: fewer than two points"),
        Chart::Rows(c) => c
            .series
            .iter()
            .for_each(|s| assert!(finite(&s.values), "{stem}: empty series {}", s.name)),
    }
}

/// Checks every chart file of a written report.
fn assert_chart_files(dir: &Path, stems: &[&str]) {
    for stem in stems {
        let png = dir.join("charts").join(format!("{stem}.png"));
        let (size, ink) = decode_png(&png);
        assert_eq!(size, (WIDTH, HEIGHT), "{png:?}");
        assert!(ink, "{png:?}: no title text drawn");
        let svg = std::fs::read_to_string(dir.join("charts").join(format!("{stem}.svg"))).unwrap();
        let xml = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{stem}.svg: {e}"));
        assert_eq!(xml.root_element().tag_name().name(), "svg");
        assert!(
            xml.descendants().filter(|n| n.has_tag_name("text")).count() >= 5,
            "{stem}.svg has no labels"
        );
    }
}

/// The default scenario, short: 5 weeks after the 8-week warm-up.
fn default_run(dir: &Path) -> PathBuf {
    let sc = load("scenarios/default.toml", &["simulation.horizon_days=91"]);
    let results = run(&sc, 3, 1);
    let folder = write_run(dir, &results).unwrap();
    write_assumptions(&folder, "vardsim run -r 3", &[&sc]).unwrap();
    folder
}

const RUN_CHARTS: [&str; 10] = [
    "compliance",
    "days_to_assessment",
    "utilisation",
    "weekly_compliance",
    "compliance_by_age",
    "continuity_first_contact",
    "demand_weekday_hour",
    "capacity_weekday_hour",
    "demand_per_staff_weekday_hour",
    "callbacks_weekday_hour",
];

#[test]
fn every_chart_of_a_default_run_renders_in_both_languages() {
    let dir = temp_path("run");
    let folder = default_run(&dir);
    let summary: SummaryDoc = read_json(&folder.join("summary.json")).unwrap().unwrap();
    let assumptions = read_json(&folder.join("assumptions.json")).unwrap();
    for lang in [Lang::En, Lang::Sv] {
        let opts = ReportOptions {
            lang,
            target: Some(0.9),
        };
        let doc: Document = run_document(&summary, assumptions.as_ref(), &opts);
        let stems: Vec<&str> = doc.charts().map(|(s, _)| s).collect();
        assert_eq!(stems, RUN_CHARTS, "charts of a default run");
        for (stem, chart) in doc.charts() {
            assert_no_empty_series(stem, chart);
        }
        let out = dir.join(format!("report-{lang}"));
        let files = write_document(&doc, &out, lang).unwrap();
        assert_eq!(files.len(), 2 * RUN_CHARTS.len() + 2);
        assert_chart_files(&out, &RUN_CHARTS);
        // The days chart has a series per profession besides the total.
        let days = doc
            .charts()
            .find(|(s, _)| *s == "days_to_assessment")
            .unwrap()
            .1;
        let Chart::Bars(days) = days else {
            panic!("days chart is not bars")
        };
        assert!(
            days.series.len() >= 3,
            "days by profession: {:?}",
            days.series.len()
        );
        assert_eq!(days.categories, ["0", "1", "2", "3", "4–7", "8+"]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn swedish_report_has_swedish_labels_and_decimal_commas() {
    let dir = temp_path("sv");
    let folder = default_run(&dir);
    let sv = ReportOptions {
        lang: Lang::Sv,
        target: None,
    };
    write_report(&folder, &folder, &sv).unwrap();
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    for text in [&html, &md] {
        for term in [
            "Kontakt samma dag",
            "Medicinsk bedömning inom 3 dagar",
            "Läkare",
            "Distriktssköterska",
            "Fysioterapeut",
            "Kurator",
            "Slumpfrö",
            "Viktiga antaganden",
            "vardsim run -r 3",
        ] {
            assert!(text.contains(term), "Swedish report lacks {term:?}");
        }
        assert!(
            !text.contains("Contact the same day"),
            "English label in the Swedish report"
        );
        // The scenario's own description in Swedish (`description_sv`): a
        // new user found the English one opening the Swedish assumptions.
        assert!(
            text.contains("Typisk svensk vårdcentral, ≈9 000 listade")
                && !text.contains("Typical Swedish health centre"),
            "the Swedish report's description"
        );
        // A percentage with a decimal comma and a space before %, e.g. "87,4 %".
        let comma_percent = text.as_bytes().windows(6).any(|w| {
            w[0].is_ascii_digit()
                && w[1] == b','
                && w[2].is_ascii_digit()
                && w[3..5] == [0xc2, 0xa0]
                && w[5] == b'%'
        });
        assert!(
            comma_percent,
            "no Swedish percentage like 87,4 % in the report"
        );
    }
    // The all-metrics table writes a row's numbers one way (an audit's
    // finding: `13 870 | 12 928,0 – 14 812,0`, and `0,0` for a queue of
    // 0.02): a mean and its CI all with decimals or all whole.
    let table = md
        .split("## Alla mått")
        .nth(1)
        .expect("the all-metrics table");
    for row in table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.contains("---"))
        .skip(1)
    {
        let cells: Vec<&str> = row.split(" | ").skip(1).collect();
        let numbers: Vec<&str> = cells
            .iter()
            .flat_map(|c| c.trim_end_matches(" |").split(" – "))
            .map(|n| n.trim().trim_end_matches('%').trim())
            .filter(|n| n.starts_with(|c: char| c.is_ascii_digit() || c == '−'))
            .collect();
        let with_decimals = numbers.iter().filter(|n| n.contains(',')).count();
        assert!(
            with_decimals == 0 || with_decimals == numbers.len(),
            "a row mixes whole and decimal numbers: {row}"
        );
        // A count's mean of 0.02 is not hidden as 0,0 (shares may be 0,0 %).
        assert!(row.contains('%') || !numbers.contains(&"0,0"), "{row}");
    }
    // Guarantee rules first, each with its legal definition and its
    // patient-chosen misses, as in the terminal's table and a comparison's
    // report (an audit's finding: a run's report listed the metrics by
    // key, "Kontakt samma dag" after "Bokade besök").
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Mått"))
        .collect();
    for (i, rule) in [
        "Medicinsk bedömning inom 3 dagar",
        "Kontakt samma dag",
        "Läkarbesök inom 7 dagar (före 2019)",
    ]
    .iter()
    .enumerate()
    {
        for row in &rows[3 * i..3 * i + 3] {
            assert!(row.starts_with(&format!("| {rule}")), "{rows:#?}");
        }
    }
    let svg = std::fs::read_to_string(folder.join("charts/compliance.svg")).unwrap();
    assert!(svg.contains("Måluppfyllelse"), "Swedish chart title");
    assert!(html.contains("<html lang=\"sv\">"));
    // Self-contained: charts inline, nothing fetched.
    assert_eq!(html.matches("<svg").count(), RUN_CHARTS.len());
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));

    // English by default, with the same charts.
    write_report(&folder, &dir.join("en"), &ReportOptions::default()).unwrap();
    let en = std::fs::read_to_string(dir.join("en/report.md")).unwrap();
    assert!(en.contains("Medical assessment within 3 days") && !en.contains("Läkare "));
    assert!(en.contains("Typical Swedish health centre") && !en.contains("Typisk svensk"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_report_is_the_same_bytes_every_time() {
    let dir = temp_path("same");
    let folder = default_run(&dir);
    write_report(&folder, &dir.join("a"), &ReportOptions::default()).unwrap();
    write_report(&folder, &dir.join("b"), &ReportOptions::default()).unwrap();
    for f in ["report.html", "report.md", "charts/compliance.png"] {
        assert_eq!(
            std::fs::read(dir.join("a").join(f)).unwrap(),
            std::fs::read(dir.join("b").join(f)).unwrap(),
            "{f} differs between two reports of the same folder"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_writes_a_folder_that_reports_with_cost_and_pareto_charts() {
    let dir = temp_path("compare");
    std::fs::create_dir_all(&dir).unwrap();
    let variant = dir.join("extra-doctor.toml");
    std::fs::write(
        &variant,
        format!(
            "extends = {:?}\nname = \"extra_doctor\"\n[units.vc.staff.doctor]\ncount = 6\n",
            root().join("scenarios/default.toml")
        ),
    )
    .unwrap();
    let out = vardsim(&[
        "compare",
        "builtin:default",
        variant.to_str().unwrap(),
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=70",
        "--name",
        "compare-default-vs-extra_doctor",
        "--out",
        dir.to_str().unwrap(),
        "--report",
        "--lang",
        "sv",
        "--target",
        "90",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("compare-default-vs-extra_doctor");
    assert!(folder.join("comparison.json").exists());
    assert_chart_files(&folder, &["compliance", "cost_vs_compliance"]);
    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    assert!(md.contains("Jämförelse av scenarier") && md.contains("extra_doctor"));
    // The title names the scenarios by their labels, as the charts do (an
    // audit's finding: keys in the title, labels everywhere else).
    // The facts name the base by label and name, for reproducing it.
    assert!(md.contains("Nuläge (typisk vårdcentral) · default"), "{md}");
    let title = md.lines().find(|l| l.starts_with("# ")).unwrap();
    assert!(
        title.contains("Jämförelse av scenarier: Nuläge (typisk vårdcentral) mot "),
        "{title}"
    );
    assert!(
        md.contains("procentenheter") && md.contains(" p.e. ("),
        "differences in p.e."
    );
    // All metrics, guarantee rules first as in the terminal's table (an
    // audit's finding: "Kontakt samma dag" was the eighth row, after
    // "Andel avbokade besök").
    let all: Vec<&str> = md
        .split("## Alla mått")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Mått"))
        .collect();
    // Each rule, then its legal definition and its patient-chosen misses.
    let rules = [
        "Medicinsk bedömning inom 3 dagar",
        "Kontakt samma dag",
        "Läkarbesök inom 7 dagar (före 2019)",
    ];
    for (i, row) in all[..9].iter().enumerate() {
        assert!(row.starts_with(&format!("| {}", rules[i / 3])), "{all:#?}");
    }
    // The key assumptions name the scenarios by label, as the tables of
    // results do (an audit's finding: their columns and descriptions said
    // `default`, a file's name, beside "Nuläge (typisk vårdcentral)").
    let assumptions = md
        .lines()
        .find(|l| l.starts_with("| Viktiga antaganden |"))
        .expect("the assumptions table");
    assert_eq!(
        assumptions,
        "| Viktiga antaganden | Nuläge (typisk vårdcentral) | extra_doctor |"
    );
    assert!(
        md.contains("\nNuläge (typisk vårdcentral), extra_doctor: Typisk svensk vårdcentral"),
        "{md}"
    );
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(html.contains("Paretofront") && html.contains("Mål 90"));
    // Chart footers name the scenarios by label (the default's `label_sv`;
    // the variant has none, so its name), not by file name.
    let svg = std::fs::read_to_string(folder.join("charts/compliance.svg")).unwrap();
    assert!(
        svg.contains("Nuläge (typisk vårdcentral) mot extra_doctor · 2 körningar"),
        "footer of compliance.svg"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sweep_charts_render_from_plain_data() {
    let dir = temp_path("sweep");
    // Non-integer values (e.g. FTE), so that ticks have decimals.
    let x = vec![0.5, 1.0, 1.5, 2.0];
    let iv = |m: f64| Interval {
        mean: m,
        lo: m - 0.03,
        hi: m + 0.03,
    };
    let line = sweep_line_chart(
        Lang::Sv,
        "units.vc.staff.nurse_phone.count",
        x.clone(),
        vec![
            Series {
                name: "Kontakt samma dag".into(),
                values: [0.5, 0.7, 0.85, 0.93].map(iv).to_vec(),
            },
            Series {
                name: "Medicinsk bedömning inom 3 dagar".into(),
                values: [0.6, 0.75, 0.8, 0.82].map(iv).to_vec(),
            },
        ],
        Some(0.9),
    );
    let heat = sweep_heatmap(
        Lang::En,
        "assessment_within_3_days",
        ("doctors", &[4.0, 5.0, 6.0]),
        ("nurses", &[5.0, 6.0]),
        vec![vec![0.7, 0.8, 0.85], vec![0.75, 0.86, 0.91]],
    );
    std::fs::create_dir_all(dir.join("charts")).unwrap();
    for (stem, chart, lang) in [("line", &line, Lang::Sv), ("heat", &heat, Lang::En)] {
        assert_no_empty_series(stem, chart);
        std::fs::write(
            dir.join(format!("charts/{stem}.png")),
            chart.png(lang).unwrap(),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("charts/{stem}.svg")),
            chart.svg(lang).unwrap(),
        )
        .unwrap();
    }
    assert_chart_files(&dir, &["line", "heat"]);
    // Swedish ticks: 1,00, never 1.00.
    let svg = std::fs::read_to_string(dir.join("charts/line.svg")).unwrap();
    let xml = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(
        texts.contains(&"1,00")
            && texts.contains(&"90\u{a0}%")
            && !texts
                .iter()
                .any(|t| t.starts_with(|c: char| c.is_ascii_digit()) && t.contains('.')),
        "Swedish ticks: {texts:?}"
    );
    // A heatmap of shares 1.5 points apart: its scale and cells tell them
    // apart (an audit's finding: a scale of `82 % 83 % 83 %`, two cells of
    // other colours both `82 %`).
    let narrow = sweep_heatmap(
        Lang::Sv,
        "assessment_within_3_days",
        ("a", &[0.0, 1.0]),
        ("b", &[0.0, 1.0]),
        vec![vec![0.820, 0.824], vec![0.828, 0.835]],
    );
    let svg = narrow.svg(Lang::Sv).unwrap();
    let xml = roxmltree::Document::parse(&svg).unwrap();
    let percents: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .filter(|t| t.ends_with('%'))
        .collect();
    for cell in ["82,0\u{a0}%", "82,4\u{a0}%", "82,8\u{a0}%", "83,5\u{a0}%"] {
        assert!(percents.contains(&cell), "{cell}: {percents:?}");
    }
    // The four cells, then the scale's three ticks: all of them apart.
    let scale = &percents[4..];
    assert!(
        scale.len() == 3 && scale[0] != scale[1] && scale[1] != scale[2],
        "scale: {percents:?}"
    );
    // An empty sweep is an empty chart (the report leaves such charts out).
    let empty = sweep_line_chart(Lang::En, "x", vec![], vec![], None);
    assert!(empty.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn csv_sep_semicolon_gives_a_csv_for_swedish_excel_with_decimal_commas_and_a_bom() {
    // Issue 15: `--csv-sep ';'` kept decimal points (text or dates in
    // Swedish Excel) and had no BOM (å/ä/ö garbled).
    let dir = temp_path("csv");
    let out = vardsim(&[
        "run",
        "scenarios/validation/mmc.toml",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=60",
        "--name",
        "mmc",
        "--csv-sep",
        ";",
        "--out",
        dir.to_str().unwrap(),
        "--report",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A drop-in only scenario: no telephone, no booking, so fewer charts,
    // but none of them empty.
    let charts = files_below(&dir.join("mmc/charts"), "png");
    assert!(!charts.is_empty());
    for png in &charts {
        assert_eq!(decode_png(png).0, (WIDTH, HEIGHT), "{png:?}");
    }
    assert!(!dir.join("mmc/charts/callbacks_weekday_hour.png").exists());
    let bytes = std::fs::read(dir.join("mmc/replications.csv")).unwrap();
    let csv =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a UTF-8 BOM")).unwrap();
    let mut lines = csv.lines();
    // English headers with `;` alone: only the numbers change.
    assert_eq!(
        lines.next(),
        Some("scenario;replication;metric;by;group;unit;value")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 10);
    for row in &rows {
        assert_eq!(row.matches(';').count(), 6, "{row}");
        let value = row.rsplit(';').next().unwrap();
        assert!(!value.contains('.'), "a decimal point in {row}");
    }
    assert!(
        rows.iter()
            .any(|r| r.rsplit(';').next().unwrap().contains(',')),
        "decimal commas"
    );
    // A separator that could occur in a value is refused.
    let bad = vardsim(&["run", "--csv-sep", ".", "--out", dir.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 15: what a Swedish analyst opens in Excel. `--lang sv` alone
/// writes `replications.csv` for Excel set to Swedish (`;`, decimal comma,
/// BOM, Swedish headers, bucket labels that are no dates) and
/// `results.xlsx` with one sheet per table and Swedish headers.
#[test]
fn swedish_csv_and_workbook_read_back_with_decimal_commas_swedish_letters_and_text_buckets() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = temp_path("excel");
    let out = vardsim(&[
        "run",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=120",
        "--set",
        "name=\"vårdcentral-östra-häradet\"",
        "--name",
        "vårdcentral-östra-häradet",
        "--lang",
        "sv",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("vårdcentral-östra-häradet");
    let bytes = std::fs::read(folder.join("replications.csv")).unwrap();
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a UTF-8 BOM"))
        .expect("UTF-8");
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "scenario",
            "körning",
            "mått",
            "uppdelning",
            "grupp",
            "enhet",
            "värde"
        ]
    );
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|r| &r[0] == "vårdcentral-östra-häradet"));
    let buckets: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| &r[2] == "days_to_assessment" && &r[3] == "days")
        .map(|r| &r[4])
        .collect();
    assert_eq!(
        buckets.into_iter().collect::<Vec<_>>(),
        [
            "0 dagar",
            "1 dag",
            "2 dagar",
            "3 dagar",
            "4–7 dagar",
            "8+ dagar"
        ]
    );
    let share = rows
        .iter()
        .find(|r| &r[2] == "assessment_within_3_days" && r[3].is_empty())
        .unwrap();
    assert_eq!(&share[5], "andel");
    let value: f64 = share[6].replace(',', ".").parse().unwrap();
    assert!(
        share[6].starts_with("0,") && (0.0..=1.0).contains(&value),
        "{:?}",
        &share[6]
    );
    assert!(rows.iter().all(|r| !r[6].contains('.')), "no decimal point");

    let mut book: Xlsx<_> = open_workbook(folder.join("results.xlsx")).expect("an xlsx workbook");
    let sheets = book.sheet_names();
    assert_eq!(sheets[0], "Sammanfattning");
    for name in [
        "Per vårdcentral",
        "Per yrke",
        "Per antal dagar",
        "Per åldersgrupp",
    ] {
        assert!(sheets.iter().any(|s| s == name), "{name} in {sheets:?}");
    }
    let summary = book.worksheet_range("Sammanfattning").unwrap();
    let cell = |r: &calamine::Range<Data>, row: usize, col: usize| r.get((row, col)).cloned();
    assert_eq!(cell(&summary, 0, 0), Some(Data::String("mått".into())));
    assert_eq!(
        cell(&summary, 0, 3),
        Some(Data::String("medelvärde".into()))
    );
    assert_eq!(
        cell(&summary, 0, 5),
        Some(Data::String("95 % KI övre".into()))
    );
    // Guarantee rules first, their means numbers (not text).
    let first = summary.rows().nth(1).unwrap();
    assert_eq!(first[0], Data::String("assessment_within_3_days".into()));
    assert_eq!(
        first[1],
        Data::String("Medicinsk bedömning inom 3 dagar".into())
    );
    let Data::Float(mean) = first[3] else {
        panic!("mean is not a number: {:?}", first[3]);
    };
    assert!(
        (mean - value).abs() < 0.2,
        "{mean} vs a replication's {value}"
    );
    // Counts say what they cover (issue 15: counts looked yearly but
    // covered the measured days): per year in the workbook, scaled from
    // the measured days that summary.json states; per replication's period
    // in the CSV, labelled so. A snapshot is never scaled.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("summary.json")).unwrap())
            .unwrap();
    let days = json["measured_days"].as_u64().expect("measured_days") as f64;
    assert!(days > 0.0 && days < 365.0, "{days}");
    let arrived = json["metrics"]["patients_arrived"]["mean"]
        .as_f64()
        .unwrap();
    let row = summary
        .rows()
        .find(|r| r[0] == Data::String("patients_arrived".into()))
        .unwrap();
    assert_eq!(
        row[2],
        Data::String(format!("antal per år, uppräknat från {days} mätta dagar"))
    );
    let Data::Float(per_year) = row[3] else {
        panic!("{:?}", row[3]);
    };
    assert!(
        (per_year - arrived * 365.0 / days).abs() < 1e-6,
        "{per_year} {arrived}"
    );
    let snapshot = summary
        .rows()
        .find(|r| r[0] == Data::String("patients_in_system_at_end".into()))
        .unwrap();
    assert_eq!(snapshot[2], Data::String("antal".into()));
    let csv_arrived = rows
        .iter()
        .find(|r| &r[2] == "patients_arrived" && r[3].is_empty())
        .unwrap();
    assert_eq!(&csv_arrived[5], format!("antal ({days} mätta dagar)"));
    let days = book.worksheet_range("Per antal dagar").unwrap();
    let labels: Vec<Data> = days
        .rows()
        .filter(|r| r[0] == Data::String("days_to_assessment".into()))
        .map(|r| r[2].clone())
        .collect();
    assert!(
        labels.contains(&Data::String("4–7 dagar".into())),
        "{labels:?}"
    );
    // An audit's findings: the day buckets had no unit and were not
    // percentages, the month sheet was "Per month" and its groups `01`
    // turned into numbers.
    let bucket = days
        .rows()
        .find(|r| r[0] == Data::String("days_to_assessment".into()))
        .unwrap();
    assert_eq!(bucket[3], Data::String("andel".into()));
    assert!(sheets.iter().any(|s| s == "Per månad"), "{sheets:?}");
    assert!(!sheets.iter().any(|s| s == "Per month"), "{sheets:?}");
    let months = book.worksheet_range("Per månad").unwrap();
    assert_eq!(
        months.rows().nth(1).unwrap()[2],
        Data::String("01 januari".into())
    );
    let month_rows: Vec<&::csv::StringRecord> = rows.iter().filter(|r| &r[3] == "month").collect();
    assert!(!month_rows.is_empty());
    assert!(
        month_rows.iter().all(|r| r[4].contains(' ')),
        "{month_rows:?}"
    );
    // Another audit's finding: the workbook's groups were keys
    // (`district_nurse`, `walk_in`, `vc`, `fri-00`) where the charts say
    // Distriktssköterska; it names them as the charts do. The CSV's group
    // column keeps the keys (its contract, for joins).
    let workbook = folder.join("results.xlsx");
    let groups = |sheet: &str, metric: &str| workbook_groups(&workbook, sheet, metric);
    for (sheet, metric, labels, key) in [
        (
            "Per yrke",
            "visits",
            ["Distriktssköterska", "Läkare"],
            "doctor",
        ),
        (
            "Per kanal",
            "patients_arrived",
            ["Webbtidbok", "Telefon"],
            "phone",
        ),
    ] {
        let named = groups(sheet, metric);
        assert!(
            labels.iter().all(|l| named.iter().any(|g| g == l))
                && !named.iter().any(|g| g.contains('_') || g == key),
            "{sheet}: {named:?}"
        );
    }
    assert_eq!(
        groups("Per vårdcentral", "assessment_within_3_days"),
        ["Vårdcentralen"]
    );
    let activities = groups("Per aktivitet", "utilization_doctor");
    assert!(activities.iter().any(|g| g == "Besök"), "{activities:?}");
    let hours = groups("Per veckodag och timme", "new_contacts_per_hour");
    assert_eq!(hours.len(), 168, "{hours:?}");
    assert_eq!(
        (hours[0].as_str(), hours[8].as_str(), hours[167].as_str()),
        ("mån 00", "mån 08", "sön 23")
    );
    assert!(
        rows.iter()
            .any(|r| &r[3] == "profession" && &r[4] == "district_nurse"),
        "the CSV keeps the keys"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_of_a_folder_without_results_is_a_clear_error() {
    let dir = temp_path("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let out = vardsim(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("summary.json") && err.contains("comparison.json"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sweep_report_draws_compliance_against_the_swept_parameters() {
    let dir = temp_path("sweep-cli");
    let out = vardsim(&[
        "sweep",
        "--grid",
        "units.vc.staff.doctor.count=4,5",
        "--grid",
        "units.vc.staff.nurse_phone.count=2,3",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=70",
        "--name",
        "grid",
        "--out",
        dir.to_str().unwrap(),
        "--report",
        "--lang",
        "sv",
        "--target",
        "90",
        "--csv-sep",
        ";",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("grid");
    assert_chart_files(
        &folder,
        &[
            "sweep_compliance",
            "sweep_heatmap_contact_same_day",
            "sweep_heatmap_assessment_within_3_days",
        ],
    );
    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    // The command as typed, with its output options, as a run's report has it.
    assert!(md.contains("Parameterstudie"));
    assert!(
        md.contains("vardsim sweep --grid units.vc.staff.doctor.count=4,5")
            && md.contains("--report --lang sv --target 90 --csv-sep ';'"),
        "{md}"
    );
    // A later `vardsim report` rebuilds it from the plan.
    let again = vardsim(&["report", folder.to_str().unwrap()]);
    assert!(again.status.success());
    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    assert!(md.contains("vardsim sweep builtin:default --grid"), "{md}");
    let csv = std::fs::read_to_string(folder.join("sweep.csv")).unwrap();
    // For Swedish Excel: BOM, Swedish headers, decimal commas.
    assert!(
        csv.starts_with("\u{feff}punkt;units.vc.staff.doctor.count;"),
        "{}",
        &csv[..80]
    );
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(";andel;") && row.contains("0,"), "{row}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mobile_team_day_chart_renders_for_the_mobile_team_preset() {
    let dir = temp_path("mobile");
    // Three weeks after the warm-up, two replications: enough for a CI.
    let sc = load(
        "scenarios/methods/mobile-team.toml",
        &["simulation.horizon_days=77"],
    );
    let results = run(&sc, 2, 1);
    let folder = write_run(&dir, &results).unwrap();
    write_assumptions(&folder, "vardsim run -r 2", &[&sc]).unwrap();
    let summary: SummaryDoc = read_json(&folder.join("summary.json")).unwrap().unwrap();
    let assumptions = read_json(&folder.join("assumptions.json")).unwrap();
    for lang in [Lang::En, Lang::Sv] {
        let opts = ReportOptions { lang, target: None };
        let doc = run_document(&summary, assumptions.as_ref(), &opts);
        let stems: Vec<&str> = doc.charts().map(|(s, _)| s).collect();
        assert!(stems.contains(&"mobile_team_day"), "{stems:?}");
        for (stem, chart) in doc.charts() {
            assert_no_empty_series(stem, chart);
        }
        let chart = doc
            .charts()
            .find(|(s, _)| *s == "mobile_team_day")
            .unwrap()
            .1;
        let Chart::Stacked(day) = chart else {
            panic!("the mobile team's day is not stacked bars")
        };
        // One bar per team, named as in the scenario; three parts that add
        // up to the crew hours (8.5 h shifts plus a little overtime).
        assert_eq!(day.categories, ["Mobilt team"]);
        assert_eq!(day.parts.len(), 3);
        let sum: f64 = day.parts.iter().map(|(_, v)| v[0]).sum();
        let total = day.totals[0];
        assert!((sum - total.mean).abs() < 0.01, "{sum} vs {total:?}");
        assert!(
            (8.5..9.5).contains(&total.mean) && total.lo <= total.mean && total.mean <= total.hi,
            "{total:?}"
        );
        let names: Vec<&str> = day.parts.iter().map(|(n, _)| n.as_str()).collect();
        let expected = match lang {
            Lang::En => ["Home visits", "Driving", "Idle at base"],
            Lang::Sv => ["Hembesök", "Restid", "På basen utan uppdrag"],
        };
        assert_eq!(names, expected);
    }
    // Every metric the run wrote has a label of its own in Swedish.
    for key in summary.metrics.keys() {
        assert_ne!(Lang::Sv.metric(key), *key, "no Swedish label for {key}");
    }
    let sv = ReportOptions {
        lang: Lang::Sv,
        target: None,
    };
    write_report(&folder, &folder, &sv).unwrap();
    assert_chart_files(&folder, &["mobile_team_day"]);
    let svg = std::fs::read_to_string(folder.join("charts/mobile_team_day.svg")).unwrap();
    assert!(
        svg.contains("Ett mobilt teams dag") && svg.contains("Restid"),
        "Swedish chart labels"
    );
    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    for term in [
        "Ett mobilt teams dag",
        "Mobilt team: restid per arbetsdag",
        "Mobilt team: andel av arbetstiden på hembesök",
        "Undvikbara besök på akutmottagningen",
        "1 besättning: Läkare 1, Distriktssköterska 1",
    ] {
        assert!(md.contains(term), "Swedish report lacks {term:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_region_report_has_the_guarantee_for_every_health_centre() {
    let out = temp_path("region");
    let run = vardsim(&[
        "run",
        "scenarios/regions/jamtland-harjedalen.toml",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=60",
        "--set",
        "simulation.warmup_days=7",
        "--name",
        "jamtland-harjedalen",
        "--report",
        "--lang",
        "sv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let md = std::fs::read_to_string(out.join("jamtland-harjedalen/report.md")).unwrap();
    let start = md
        .find("## Vårdgaranti per vårdcentral")
        .expect("a per-unit section");
    let section = &md[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    // Header, rule and one row per health centre, named, with decimal commas.
    let rows = section.lines().filter(|l| l.starts_with("| ")).count();
    assert!(
        rows > 24,
        "header and 24+ units, found {rows} rows:\n{section}"
    );
    assert!(
        section.contains("Östersund") || section.contains("hälsocentral"),
        "{section}"
    );
    assert!(section.contains(',') && section.contains('%'), "{section}");
}

/// An audit's finding: a sweep of one rule drew its chart with no legend
/// of rules, so nothing said which rule the line was.
#[test]
fn a_sweep_chart_of_one_rule_names_it_in_the_title() {
    let dir = temp_path("sweep-one-rule");
    let out = vardsim(&[
        "sweep",
        "--grid",
        "units.vc.staff.doctor.count=4,5",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=70",
        "--metric",
        "assessment_within_3_days",
        "--name",
        "one",
        "--out",
        dir.to_str().unwrap(),
        "--report",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(dir.join("one/charts/sweep_compliance.svg")).unwrap();
    assert!(
        svg.contains("Medical assessment within 3 days – Doctor"),
        "{}",
        &svg[..svg.len().min(3000)]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An audit's finding: a sweep's report showed only the guarantee rules,
/// without differences, whatever metrics the sweep was asked for, and its
/// command to reproduce it dropped them.
#[test]
fn a_sweep_report_shows_the_metrics_it_was_asked_for_with_differences() {
    let dir = temp_path("sweep-asked");
    let out = vardsim(&[
        "sweep",
        "--grid",
        "units.vc.staff.doctor.count=4,6",
        "--metric",
        "patients_lost",
        "--metric",
        "third_next_available_days",
        "-r",
        "3",
        "--set",
        "simulation.horizon_days=120",
        "--lang",
        "sv",
        "--report",
        "--name",
        "s",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let terminal = String::from_utf8_lossy(&out.stdout).into_owned();
    let md = std::fs::read_to_string(dir.join("s/report.md")).unwrap();
    let asked = md
        .split("## Valda mått")
        .nth(1)
        .expect("a section of the metrics asked for");
    for header in [
        "Förlorade patienter, per år, uppräknat från 64 mätta dagar",
        "Tredje lediga tid (dagar)",
        "Δ mot jämförelsepunkten (95 % KI)",
    ] {
        assert!(asked.contains(header), "{header}:\n{asked}");
    }
    // Point 1's patients lost a year, as the terminal's table shows it,
    // and its difference from point 0.
    let row = asked
        .lines()
        .find(|l| l.starts_with("| 1 | 6 | ") && !l.contains("dagar"))
        .unwrap_or_else(|| panic!("{asked}"));
    let per_year = row.split(" | ").nth(2).unwrap();
    assert!(
        terminal
            .lines()
            .any(|l| l.starts_with("1 ") && l.contains(per_year)),
        "{per_year}:\n{terminal}"
    );
    assert!(row.contains(" p.e.") || row.contains('('), "{row}");
    assert!(
        md.contains("--metric patients_lost --metric third_next_available_days"),
        "{md}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An audit's finding: a scenario label of 92 characters ran off the
/// difference chart's left edge (`…ch läkare, snabb triagering …`); it is
/// shortened with an ellipsis to the names' column.
#[test]
fn a_long_scenario_label_is_shortened_in_a_row_chart_not_cut_off() {
    let dir = temp_path("long-label");
    std::fs::create_dir_all(&dir).unwrap();
    let long = dir.join("long.toml");
    std::fs::write(
        &long,
        format!(
            "extends = {:?}\nname = \"long\"\nlabel_sv = \"Drop-in 08–12 med sjuksköterska och läkare, snabb triagering och bokad tid vid stängning för alla\"\n",
            root().join("scenarios/methods/dropin-nurse-doctor.toml")
        ),
    )
    .unwrap();
    let out = vardsim(&[
        "compare",
        "builtin:default",
        long.to_str().unwrap(),
        "scenarios/methods/web-booking-40.toml",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=60",
        "--lang",
        "sv",
        "--report",
        "--name",
        "c",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(dir.join("c/charts/difference.svg")).unwrap();
    let xml = roxmltree::Document::parse(&svg).unwrap();
    let names: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("end"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .filter(|t| t.starts_with("Drop-in 08–12 med"))
        .collect();
    assert!(
        !names.is_empty()
            && names
                .iter()
                .all(|t| t.ends_with('…') && t.chars().count() < 70),
        "{names:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The parts of a written `.xlsx` (a zip of XML) by name.
fn xlsx_parts(path: &Path) -> BTreeMap<String, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).expect("a zip");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().expect("a part's name").to_string();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            parts.insert(name, text);
        }
    }
    parts
}

/// A cell of a sheet: its value, its text (a shared string) and its
/// number format's code.
type Cell<'a> = (String, Option<String>, Option<&'a str>);

/// No test read the workbook's number formats. docs/output.md promises
/// means and bounds as numbers, shares formatted as percentages and counts
/// per year rounded: every number cell of every sheet of `results.xlsx`
/// is read with its cell style's format code, by its row's unit.
#[test]
fn the_workbook_formats_shares_as_percent_and_counts_and_money_as_numbers() {
    let dir = temp_path("xlsx-formats");
    let out = vardsim(&[
        "run",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=120",
        "--name",
        "f",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parts = xlsx_parts(&dir.join("f/results.xlsx"));
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let doc = |name: &str| roxmltree::Document::parse(&parts[name]).unwrap();
    let styles = doc("xl/styles.xml");
    // Format codes by id: Excel's built-in ones that may be used, then the
    // workbook's own.
    let mut codes: BTreeMap<String, String> = [
        ("0", "General"),
        ("3", "#,##0"),
        ("4", "#,##0.00"),
        ("9", "0%"),
        ("10", "0.00%"),
    ]
    .map(|(i, c)| (i.to_string(), c.to_string()))
    .into();
    for f in styles
        .descendants()
        .filter(|n| n.has_tag_name((ns, "numFmt")))
    {
        codes.insert(
            f.attribute("numFmtId").unwrap().into(),
            f.attribute("formatCode").unwrap().into(),
        );
    }
    let xfs = styles
        .descendants()
        .find(|n| n.has_tag_name((ns, "cellXfs")))
        .unwrap();
    let style_codes: Vec<String> = xfs
        .children()
        .filter(|n| n.has_tag_name((ns, "xf")))
        .map(|x| codes[x.attribute("numFmtId").unwrap()].clone())
        .collect();
    let shared: Vec<String> = doc("xl/sharedStrings.xml")
        .descendants()
        .filter(|n| n.has_tag_name((ns, "si")))
        .map(|si| {
            si.descendants()
                .filter(|n| n.has_tag_name((ns, "t")))
                .filter_map(|t| t.text())
                .collect()
        })
        .collect();
    // (unit, format code) of every number cell in a value column.
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let sheets: Vec<&String> = parts
        .keys()
        .filter(|k| k.starts_with("xl/worksheets/sheet"))
        .collect();
    assert!(sheets.len() > 3, "{sheets:?}");
    for sheet in sheets {
        let sheet_doc = doc(sheet);
        let rows: Vec<Vec<Cell>> = sheet_doc
            .descendants()
            .filter(|n| n.has_tag_name((ns, "row")))
            .map(|row| {
                row.children()
                    .filter(|c| c.has_tag_name((ns, "c")))
                    .map(|c| {
                        let v = c
                            .children()
                            .find(|n| n.has_tag_name((ns, "v")))
                            .and_then(|v| v.text())
                            .unwrap_or("");
                        let text = (c.attribute("t") == Some("s"))
                            .then(|| shared[v.parse::<usize>().unwrap()].clone());
                        let code = c
                            .attribute("s")
                            .map(|s| style_codes[s.parse::<usize>().unwrap()].as_str());
                        (v.to_string(), text, code)
                    })
                    .collect()
            })
            .collect();
        let header: Vec<&str> = rows[0].iter().map(|c| c.1.as_deref().unwrap()).collect();
        let col = |name: &str| header.iter().position(|h| *h == name);
        let unit = col("unit").unwrap_or_else(|| panic!("{sheet}: {header:?}"));
        let values: Vec<usize> = ["mean", "95 % CI low", "95 % CI high"]
            .iter()
            .map(|h| col(h).unwrap_or_else(|| panic!("{sheet}: {header:?}")))
            .collect();
        for row in &rows[1..] {
            let unit = row[unit].1.clone().expect("the unit as text");
            for &i in &values {
                let Some((v, text, code)) = row.get(i) else {
                    continue;
                };
                if v.is_empty() {
                    continue;
                }
                assert!(text.is_none(), "{sheet}: {unit} value as text: {v}");
                assert!(v.parse::<f64>().is_ok(), "{sheet}: {v}");
                let code = code.expect("a number format").to_string();
                *seen.entry((unit.clone(), code)).or_default() += 1;
            }
        }
    }
    // Counts summed over the period are per year, rounded
    // (`count per year, scaled from 64 measured days`), as money.
    let per_year = |u: &str| u.starts_with("count per year");
    for (unit, code) in seen.keys() {
        if unit == "share" {
            assert_eq!(code, "0.0%", "{seen:?}");
        } else if per_year(unit) || unit == "SEK" {
            assert_eq!(code, "#,##0", "{unit}: {seen:?}");
        } else {
            assert!(
                code == "#,##0" || code == "#,##0.00",
                "{unit}: {code}: {seen:?}"
            );
        }
    }
    for unit in ["share", "count per year", "SEK", "minutes", "count"] {
        assert!(
            seen.keys().any(|(u, _)| u.starts_with(unit)),
            "no {unit} cell: {seen:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_reports_staff_are_filled_posts_with_the_vacant_ones_named() {
    // An audit's finding: doctor-short's report said "Doctor 5 (5.2 FTE)"
    // for five posts of which two are vacant; `check` counts three.
    let dir = crate::temp("report-vacant");
    let out = crate::vardsim(&[
        "run",
        "scenarios/doctor-short.toml",
        "-r",
        "1",
        "--set",
        "simulation.horizon_days=90",
        "--set",
        "simulation.warmup_days=14",
        "--report",
        "--out",
        dir.to_str().unwrap(),
        "--name",
        "short",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(dir.join("short/report.md")).unwrap();
    assert!(md.contains("Doctor 3 (3.1 FTE; 2 vacant)"), "{md}");
    assert!(md.contains("District nurse 10 (8.0 FTE)"), "{md}");
}

/// An audit's finding: a sweep chart drew no CI for a single point (its
/// band needs two; the legend still showed the band), and a second swept
/// key with more than ten values lost its lines past the tenth unsaid.
#[test]
fn a_sweep_chart_shows_a_lone_points_ci_and_a_line_for_every_value() {
    let dir = temp_path("sweep-lone");
    let out = vardsim(&[
        "sweep",
        "--grid",
        "units.vc.staff.doctor.count=5",
        "--grid",
        "units.vc.staff.nurse_phone.count=1..12",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=40",
        "--set",
        "simulation.warmup_days=5",
        "--name",
        "lone",
        "--out",
        dir.to_str().unwrap(),
        "--report",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(dir.join("lone/charts/sweep_compliance.svg")).unwrap();
    let xml = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for n in 1..=12 {
        let name = format!("Staff group nurse_phone (head count), vc = {n}");
        assert!(texts.contains(&name.as_str()), "{name}: {texts:?}");
    }
    // The whiskers' colour (WHISKER, #191919): drawn for the lone points
    // and in the legend.
    assert!(svg.contains("#191919"), "no whisker");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An audit's finding: the report of a sweep over three keys had a
/// *Charts* heading with nothing under it and no word why.
#[test]
fn a_sweep_report_over_three_keys_says_why_it_has_no_chart() {
    let dir = temp_path("sweep-three");
    let out = vardsim(&[
        "sweep",
        "--grid",
        "units.vc.staff.doctor.count=4,5",
        "--grid",
        "units.vc.staff.nurse_phone.count=2,3",
        "--grid",
        "units.vc.staff.district_nurse.count=2,3",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=30",
        "--set",
        "simulation.warmup_days=5",
        "--lang",
        "sv",
        "--name",
        "three",
        "--out",
        dir.to_str().unwrap(),
        "--report",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(dir.join("three/report.md")).unwrap();
    let charts = md
        .split("## Diagram")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("a charts section:\n{md}"));
    assert!(
        charts.contains(
            "Inget diagram: diagram ritas för en parameterstudie av en eller två nycklar"
        ),
        "{charts}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An audit's finding: a sweep heatmap over 40 values of its second key
/// wrote all 40 row names, each over its neighbours.
#[test]
fn a_heatmap_with_many_rows_names_every_nth_so_that_names_stay_apart() {
    let rows: Vec<f64> = (0..40).map(|i| 5000.0 + f64::from(i)).collect();
    let values = rows.iter().map(|_| vec![0.8, 0.85, 0.9]).collect();
    let chart = sweep_heatmap(
        Lang::En,
        "contact_same_day",
        ("doctors", &[3.0, 4.0, 5.0]),
        ("listed", &rows),
        values,
    );
    let svg = chart.svg(Lang::En).unwrap();
    let xml = roxmltree::Document::parse(&svg).unwrap();
    let names: Vec<f64> = xml
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .filter_map(|t| t.trim().replace(',', "").parse::<f64>().ok())
        .filter(|v| *v >= 5000.0)
        .collect();
    assert!(names.contains(&5000.0), "the first row named: {names:?}");
    assert!(
        names.len() > 5 && names.len() <= 25,
        "every row named over its neighbours: {names:?}"
    );
}

/// An audit's finding: a sweep over `units.vc.booking.patient_chosen_share`
/// in Swedish had a title (*Måluppfyllelse vårdgaranti – Andel som själva
/// väljer en senare dag (patientvald väntan), vc*) wider than the chart,
/// cut at both edges: it takes two lines instead.
#[test]
fn a_chart_title_wider_than_the_chart_takes_two_lines() {
    // The title's font size and its lines, from the SVG.
    let title_of = |parameter: &str| -> (f64, Vec<String>) {
        let svg = sweep_line_chart(
            Lang::Sv,
            parameter,
            vec![0.0, 0.1],
            vec![Series {
                name: "Medicinsk bedömning inom 3 dagar".into(),
                values: vec![Interval::point(0.9), Interval::point(0.85)],
            }],
            None,
        )
        .svg(Lang::Sv)
        .unwrap();
        let xml = roxmltree::Document::parse(&svg).unwrap();
        let texts: Vec<_> = xml
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .collect();
        let size: f64 = texts[0].attribute("font-size").unwrap().parse().unwrap();
        // The title's lines: the texts of its size at the top of the
        // chart (an axis title may be set in the same size further down).
        let at_top = |n: &roxmltree::Node| {
            n.attribute("y")
                .and_then(|y| y.parse::<f64>().ok())
                .is_some_and(|y| y < 200.0)
        };
        let lines = texts
            .iter()
            .take_while(|n| n.attribute("font-size") == texts[0].attribute("font-size"))
            .filter(|n| at_top(n))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_string())
            .collect();
        (size, lines)
    };
    let (short, lines) = title_of("Läkare (antal), vc");
    assert_eq!(lines, ["Måluppfyllelse vårdgaranti – Läkare (antal), vc"]);
    // The user's title: one line, smaller.
    let parameter = "Andel som själva väljer en senare dag (patientvald väntan), vc";
    let (size, lines) = title_of(parameter);
    assert!(size < short, "{size} < {short}");
    assert_eq!(lines, [format!("Måluppfyllelse vårdgaranti – {parameter}")]);
    // Longer still: two lines, split at a space.
    let longer = format!("{parameter}, med schemalagd tid för återbesök inräknad");
    let (_, lines) = title_of(&longer);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines.join(" "),
        format!("Måluppfyllelse vårdgaranti – {longer}")
    );
}

/// An audit's finding: a sweep asked only for a metric that is not a
/// guarantee rule (`--metric third_next_available_days`) had an empty
/// *Charts* heading in its report.
#[test]
fn a_sweep_report_without_a_rule_says_why_it_has_no_chart() {
    let dir = temp_path("sweep-norule");
    let out = vardsim(&[
        "sweep",
        "--grid",
        "units.vc.staff.doctor.count=4,5",
        "--metric",
        "third_next_available_days",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=30",
        "--set",
        "simulation.warmup_days=5",
        "--name",
        "norule",
        "--out",
        dir.to_str().unwrap(),
        "--report",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(dir.join("norule/report.md")).unwrap();
    let charts = md
        .split("## Charts")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("a charts section:\n{md}"));
    assert!(
        charts.contains("No chart: the charts show the guarantee rules"),
        "{charts}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_unit_without_listed_patients_is_no_health_centre_in_the_assumptions() {
    // A helper's finding: the Swedish report's assumptions listed the
    // regional telephone line and the digital provider as "Vårdcentral:
    // … 0 listade patienter". Eight Stockholm units: the line answers some
    // units' calls, the provider some units' e-service requests.
    let dir = crate::temp("assumptions-line");
    let path = dir.join("sth8.toml");
    std::fs::write(&path, crate::stockholm::stockholm_prefix(8, "")).unwrap();
    let out = dir.join("out");
    let run = vardsim(&[
        "run",
        path.to_str().unwrap(),
        "-r",
        "1",
        "--set",
        "simulation.horizon_days=70",
        "--lang",
        "sv",
        "--report",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let folder = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("report.md").exists())
        .expect("a run folder");
    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    let line = md
        .lines()
        .find(|l| l.contains("Regional telefonlinje"))
        .expect(&md);
    assert!(
        line.starts_with("| Enhet: Regional telefonlinje | Bemanning: "),
        "{line}"
    );
    assert!(!md.contains("Vårdcentral: Regional telefonlinje"), "{md}");
    // A health centre keeps its name and listed patients.
    assert!(
        md.lines()
            .any(|l| l.starts_with("| Vårdcentral: ")
                && l.contains("listade patienter · bemanning: ")),
        "{md}"
    );
}
