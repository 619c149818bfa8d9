//! Plan-ready charts (issue 15): value labels never cover a CI whisker, a
//! target or zero line, or another label — checked on the layout the
//! drawing code really used (`Chart::label_layout`), for the compliance
//! chart where whisker, label and target line knotted at 89 %, and over a
//! grid of means, intervals and targets.

use super::{temp_path, vardsim};
use vardsim::report::Lang;
use vardsim::report::chart::{BarChart, Chart, Interval, Labels, RowChart, RowScale, Series};

fn labels() -> Labels {
    Labels {
        title: "Måluppfyllelse vårdgaranti".into(),
        x: "Vårdgarantiregel".into(),
        y: "Måluppfyllelse (%)".into(),
    }
}

fn iv(mean: f64, half: f64) -> Interval {
    Interval {
        mean,
        lo: mean - half,
        hi: mean + half,
    }
}

fn compliance(values: Vec<Vec<Interval>>, target: Option<f64>) -> Chart {
    Chart::Bars(BarChart {
        labels: labels(),
        categories: vec![
            "Kontakt samma dag".into(),
            "Medicinsk bedömning inom 3 dagar".into(),
            "Läkarbesök inom 7 dagar".into(),
        ],
        series: values
            .into_iter()
            .enumerate()
            .map(|(j, values)| Series {
                name: format!("scenario {j}"),
                values,
            })
            .collect(),
        percent: true,
        target,
    })
}

const FOOTER: &str = "default · 10 körningar · slumpfrö 1\nStaplar, punkter och streck: medelvärde och 95 % konfidensintervall";

#[test]
fn the_89_percent_bar_keeps_its_label_clear_of_whisker_and_target() {
    // The report's own case: 89 % with a narrow CI and the target at 90 %,
    // at 89 % and just under the whisker.
    for target in [0.9, 0.89, 0.885, 0.88, 0.87] {
        let chart = compliance(
            vec![vec![iv(0.89, 0.008), iv(0.81, 0.01), iv(0.95, 0.004)]],
            Some(target),
        );
        let layout = chart.label_layout(Lang::Sv, FOOTER).unwrap();
        assert!(layout.is_clear(), "target {target}: {layout:?}");
        assert_eq!(
            layout.labels.len(),
            3,
            "target {target}: a value went missing"
        );
        // The whisker (3 boxes per bar) and the target line are known.
        assert_eq!(layout.obstacles.len(), 3 * 3 + 1, "target {target}");
    }
}

#[test]
fn bar_labels_never_cover_whiskers_lines_or_each_other() {
    let mut charts = 0;
    for k in 1..=4 {
        for m in 0..12 {
            let mean = 0.45 + 0.05 * m as f64;
            for half in [0.0, 0.004, 0.02, 0.06] {
                for target in [None, Some(0.8), Some(0.9), Some(mean), Some(mean - half)] {
                    let values = (0..k)
                        .map(|j| {
                            let mj = (mean - 0.03 * j as f64).min(0.999);
                            vec![iv(mj, half), iv((mj + 0.1).min(1.0), half), iv(0.9, half)]
                        })
                        .collect();
                    let chart = compliance(values, target);
                    let layout = chart.label_layout(Lang::En, FOOTER).unwrap();
                    assert!(
                        layout.is_clear(),
                        "k {k}, mean {mean}, ±{half}, target {target:?}: {layout:?}"
                    );
                    assert_eq!(
                        layout.labels.len() + layout.left_out,
                        3 * k,
                        "every bar is either labelled or counted as left out"
                    );
                    if k == 1 {
                        assert_eq!(layout.left_out, 0, "mean {mean} ±{half} target {target:?}");
                    }
                    charts += 1;
                }
            }
        }
    }
    assert!(charts > 900);
}

#[test]
fn difference_and_ranking_rows_keep_values_clear() {
    // Differences of eight variants on three rules around 0, and a
    // 27-unit ranking with a target in the middle of the bars.
    let variants: Vec<String> = (0..8).map(|i| format!("alternativ {i}")).collect();
    let series = (0..3)
        .map(|r| Series {
            name: format!("regel {r}"),
            values: (0..8)
                .map(|i| iv(-0.03 + 0.008 * i as f64 + 0.004 * r as f64, 0.006))
                .collect(),
        })
        .collect();
    let diff = Chart::Rows(RowChart {
        labels: labels(),
        rows: variants,
        series,
        scale: RowScale::PercentPoints,
        target: None,
        flagged: Vec::new(),
        flag_name: String::new(),
    });
    let layout = diff.label_layout(Lang::Sv, FOOTER).unwrap();
    assert!(layout.is_clear(), "{layout:?}");
    assert_eq!(layout.left_out, 0);

    let means: Vec<f64> = (0..27).map(|i| 0.7 + 0.01 * i as f64).collect();
    let ranking = Chart::Rows(RowChart {
        labels: labels(),
        rows: (0..27).map(|i| format!("Hälsocentral {i}")).collect(),
        series: vec![Series {
            name: "3".into(),
            values: means.iter().map(|&m| iv(m, 0.02)).collect(),
        }],
        scale: RowScale::Percent,
        target: Some(0.85),
        flagged: means.iter().map(|&m| m < 0.85).collect(),
        flag_name: "Under målet".into(),
    });
    let layout = ranking.label_layout(Lang::Sv, FOOTER).unwrap();
    assert!(layout.is_clear(), "{layout:?}");
    assert_eq!(layout.left_out, 0);
}

/// `compare --lang sv`: the workbook reads back with Swedish headers,
/// scenario labels and differences as numbers; the report names scenarios
/// by their labels, draws the difference chart, and marks the variant that
/// only changes the guarantee's definition (found from the scenarios, not
/// from its name) as such.
#[test]
fn compare_workbook_labels_and_definition_only_variant() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = temp_path("compare");
    let out = vardsim(&[
        "compare",
        "scenarios/default.toml",
        "scenarios/methods/triage-counts.toml",
        "scenarios/methods/profession-neutral-booking.toml",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=120",
        "--lang",
        "sv",
        "--report",
        "--name",
        "cmp",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("cmp");
    let mut book: Xlsx<_> = open_workbook(folder.join("comparison.xlsx")).expect("xlsx");
    assert_eq!(book.sheet_names(), ["Jämförelse"]);
    let sheet = book.worksheet_range("Jämförelse").unwrap();
    let header: Vec<Data> = sheet.rows().next().unwrap().to_vec();
    assert_eq!(header[0], Data::String("mått".into()));
    assert_eq!(header[3], Data::String("scenariots benämning".into()));
    assert_eq!(header[8], Data::String("skillnad mot nuläge".into()));
    let rows: Vec<Vec<Data>> = sheet.rows().skip(1).map(<[Data]>::to_vec).collect();
    let row = |scenario: &str| {
        rows.iter()
            .find(|r| {
                r[0] == Data::String("assessment_within_3_days".into())
                    && r[2] == Data::String(scenario.into())
            })
            .unwrap_or_else(|| panic!("{scenario} row"))
            .clone()
    };
    assert_eq!(
        row("default")[3],
        Data::String("Nuläge (typisk vårdcentral)".into())
    );
    assert_eq!(row("default")[8], Data::Empty, "the base has no difference");
    let counts = row("triage-counts");
    assert_eq!(
        counts[3],
        Data::String("Telefontriage räknas som bedömning".into())
    );
    let Data::Float(diff) = counts[8] else {
        panic!("difference is not a number: {:?}", counts[8]);
    };
    assert!(diff > 0.0, "counting triage raises compliance: {diff}");

    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    assert!(
        md.contains("Professionsneutral bokning"),
        "labels in tables"
    );
    assert!(folder.join("charts/difference.png").is_file());
    let svg = std::fs::read_to_string(folder.join("charts/cost_vs_compliance.svg")).unwrap();
    assert!(svg.contains("Telefontriage räknas som bedömning (bara definition)"));
    assert!(!svg.contains("Professionsneutral bokning (bara definition)"));
    // Each point's name in one column beside the plot, a line apart, each
    // led by its own line (an audit's finding: on the methods chart names
    // had drifted far from their points, onto other points and the axis).
    let names = [
        "Nuläge (typisk vårdcentral)",
        "Telefontriage räknas som bedömning (bara definition)",
        "Professionsneutral bokning",
    ];
    let at: Vec<(i32, i32)> = names
        .iter()
        .map(|name| text_position(&svg, name).unwrap_or_else(|| panic!("{name} in the chart")))
        .collect();
    assert!(at.iter().all(|p| p.0 == at[0].0), "one column: {at:?}");
    for (i, a) in at.iter().enumerate() {
        for b in &at[i + 1..] {
            assert!((a.1 - b.1).abs() >= 20, "names a line apart: {at:?}");
        }
    }
    let leaders = svg.matches("stroke=\"#8C8C8C\"").count();
    assert_eq!(leaders, names.len(), "one leader line per name");
    let svg = std::fs::read_to_string(folder.join("charts/difference.svg")).unwrap();
    assert!(svg.contains("p.e."), "differences in percentage points");
    // The base is `nuläge` (the domain brief's term) in the chart's title as
    // in the workbook, the report and the terminal (the chart said
    // `jämförelsescenariot`).
    assert!(
        svg.contains("Skillnad mot nuläge: Nuläge (typisk vårdcentral)"),
        "{svg}"
    );
    let terminal = String::from_utf8_lossy(&out.stdout);
    for (what, text) in [
        ("chart", &svg),
        ("report", &md),
        ("terminal", &terminal.to_string()),
    ] {
        assert!(!text.contains("jämförelsescenari"), "{what}: {text}");
    }
    assert!(md.contains("Skillnad mot nuläge"), "{md}");
    // The terminal names the columns by label too, as the report and the
    // workbook (it said `triage-counts`); the heading says what ran by key.
    let header = terminal
        .lines()
        .find(|l| l.starts_with("Mått"))
        .unwrap_or_else(|| panic!("{terminal}"));
    for name in [
        "Nuläge (typisk vårdcentral)",
        "Telefontriage räknas som bedömning",
        "Δ Professionsneutral bokning (95 % KI)",
    ] {
        assert!(header.contains(name), "{name}: {header}");
    }
    assert!(!header.contains("triage-counts"), "{header}");
    assert!(
        terminal.starts_with("jämförelse default mot triage-counts"),
        "{terminal}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `sweep --lang sv`: `sweep.xlsx` has readable key names as headers and
/// the grid values as numbers; the report's chart names the swept key.
#[test]
fn sweep_workbook_and_charts_name_swept_keys() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = temp_path("sweep");
    let out = vardsim(&[
        "sweep",
        "--grid",
        "units.vc.staff.doctor.count=4,5",
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=120",
        "--lang",
        "sv",
        "--report",
        "--name",
        "sw",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("sw");
    let mut book: Xlsx<_> = open_workbook(folder.join("sweep.xlsx")).expect("xlsx");
    let sheet = book.worksheet_range("Punkter").unwrap();
    let header: Vec<Data> = sheet.rows().next().unwrap().to_vec();
    assert_eq!(header[0], Data::String("punkt".into()));
    assert_eq!(header[1], Data::String("Läkare (antal), vc".into()));
    let second = sheet.rows().nth(1).unwrap();
    assert_eq!(second[1], Data::Float(4.0));
    let svg = std::fs::read_to_string(folder.join("charts/sweep_compliance.svg")).unwrap();
    assert!(svg.contains("Läkare (antal), vc"));
    assert!(!svg.contains("units.vc.staff.doctor.count"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A label names its scenario: a file that `extends` the default with its
/// own name does not inherit "Nuläge"; one that keeps the name does.
#[test]
fn labels_are_not_inherited_by_a_renamed_variant() {
    use vardsim::scenario::Scenario;
    let own = Scenario::from_toml(
        "variant.toml",
        "extends = \"builtin:default\"\nname = \"variant\"\n",
        &[],
    )
    .unwrap();
    assert_eq!((own.label_en, own.label_sv), (None, None));
    let same = Scenario::from_toml("same.toml", "extends = \"builtin:default\"\n", &[]).unwrap();
    assert_eq!(
        same.label_sv.as_deref(),
        Some("Nuläge (typisk vårdcentral)")
    );
    let labelled = Scenario::from_toml(
        "x.toml",
        "extends = \"builtin:default\"\nname = \"x\"\nlabel_sv = \"X-metoden\"\n",
        &[],
    )
    .unwrap();
    assert_eq!(labelled.label_sv.as_deref(), Some("X-metoden"));
    assert_eq!(labelled.label_en, None);

    // `--set` is a layer too, under one rule: `run --set name=alt` reported
    // "Today (typical health centre)" as its title.
    let base = "extends = \"builtin:default\"\n";
    let set = |sets: &[&str]| {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        Scenario::from_toml("base.toml", base, &sets).unwrap()
    };
    let renamed = set(&["name=alt"]);
    assert_eq!((renamed.label_en, renamed.label_sv), (None, None));
    let relabelled = set(&["label_sv=Alternativet", "name=alt"]);
    assert_eq!(relabelled.label_sv.as_deref(), Some("Alternativet"));
    assert_eq!(relabelled.label_en, None);
    // Another key leaves the labels as they are.
    let staffed = set(&["units.vc.staff.doctor.count=6"]);
    assert_eq!(staffed.label_sv, same.label_sv);
    // A new description drops the Swedish one it no longer translates.
    let described = set(&["description=Another week"]);
    assert_eq!(described.description_sv, None);
    assert!(same.description_sv.is_some());
}

/// A Swedish description translates the description beside it: a variant
/// that describes itself anew does not keep the base's, and one that
/// writes nothing keeps both.
#[test]
fn a_swedish_description_goes_with_its_description() {
    use vardsim::scenario::Scenario;
    let load = |text: &str| Scenario::from_toml("v.toml", text, &[]).unwrap();
    let kept = load("extends = \"builtin:default\"\nname = \"v\"\n");
    assert!(
        kept.description_sv
            .as_deref()
            .unwrap()
            .starts_with("Typisk svensk vårdcentral")
    );
    let own = load("extends = \"builtin:default\"\nname = \"v\"\ndescription = \"Mine\"\n");
    assert_eq!(
        (own.description.as_str(), own.description_sv),
        ("Mine", None)
    );
    let both =
        load("extends = \"builtin:default\"\ndescription = \"Mine\"\ndescription_sv = \"Min\"\n");
    assert_eq!(both.description_sv.as_deref(), Some("Min"));
}

/// The (x, y) of the SVG text element whose content is `text`.
fn text_position(svg: &str, text: &str) -> Option<(i32, i32)> {
    let end = svg.find(&format!(">\n{text}\n</text>"))?;
    let start = svg[..end].rfind("<text ")?;
    let tag = &svg[start..end];
    let attr = |name: &str| -> Option<i32> {
        let v = tag
            .split(&format!(" {name}=\""))
            .nth(1)?
            .split('"')
            .next()?;
        v.parse().ok()
    };
    Some((attr("x")?, attr("y")?))
}

/// `compare` in English names the base one way in every output: the
/// report said *Baseline* and *Difference from baseline*, while the
/// terminal wrote `base` and the difference chart *Difference from the
/// base*. Five scenarios, so that the terminal's long form (a row per
/// scenario, the base's marked) is used.
#[test]
fn compare_in_english_calls_the_base_the_baseline_everywhere() {
    let dir = temp_path("compare-en");
    let mmc = "scenarios/validation/mmc.toml";
    let out = vardsim(&[
        "compare",
        mmc,
        mmc,
        mmc,
        mmc,
        mmc,
        "-r",
        "2",
        "--set",
        "simulation.horizon_days=60",
        "--report",
        "--name",
        "cmp",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let terminal = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(terminal.contains("Δ from baseline (95 % CI)"), "{terminal}");
    assert!(
        terminal
            .lines()
            .any(|l| l.trim_end().ends_with(" baseline")),
        "the base's row is marked: {terminal}"
    );
    let folder = dir.join("cmp");
    let svg = std::fs::read_to_string(folder.join("charts/difference.svg")).unwrap();
    assert!(svg.contains("Difference from baseline"), "{svg}");
    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    assert!(md.contains("Baseline"), "{md}");
    for (what, text) in [("chart", &svg), ("report", &md), ("terminal", &terminal)] {
        for old in ["Difference from the base", "Δ from base ", " base\n"] {
            assert!(!text.contains(old), "{what} says {old:?}: {text}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
