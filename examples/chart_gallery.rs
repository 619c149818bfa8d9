//! Renders one synthetic chart of each type (English and Swedish) to a
//! folder, to look at the layout: `cargo run --example chart_gallery -- DIR`.

use vardsim::report::chart::{
    BarChart, Chart, Heatmap, Interval, Labels, LineChart, Scatter, Series, StackedBars,
};
use vardsim::report::lang::Lang;

fn iv(mean: f64, half: f64) -> Interval {
    Interval {
        mean,
        lo: mean - half,
        hi: mean + half,
    }
}

fn labels(title: &str, x: &str, y: &str) -> Labels {
    Labels {
        title: title.into(),
        x: x.into(),
        y: y.into(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/chart_gallery".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let charts = vec![
        (
            "bars",
            Chart::Bars(BarChart {
                labels: labels(
                    "Care guarantee compliance",
                    "Guarantee rule",
                    "Compliance (%)",
                ),
                categories: vec![
                    "Contact the same day".into(),
                    "Medical assessment within 3 days".into(),
                    "Doctor visit within 7 days (pre-2019 rule)".into(),
                ],
                series: vec![
                    Series {
                        name: "default".into(),
                        values: vec![iv(0.87, 0.01), iv(0.81, 0.02), iv(0.9, 0.015)],
                    },
                    Series {
                        name: "profession-neutral".into(),
                        values: vec![iv(0.89, 0.01), iv(0.93, 0.02), iv(0.86, 0.015)],
                    },
                    Series {
                        name: "drop-in".into(),
                        values: vec![iv(0.95, 0.01), iv(0.97, 0.01), iv(0.99, 0.01)],
                    },
                ],
                percent: true,
                target: Some(0.9),
            }),
        ),
        (
            "stacked",
            Chart::Stacked(StackedBars {
                labels: labels(
                    "Utilisation by profession and activity",
                    "Profession",
                    "Share of paid time with patients (%)",
                ),
                categories: vec![
                    "Doctor".into(),
                    "District nurse".into(),
                    "Physiotherapist".into(),
                    "Counsellor".into(),
                ],
                parts: vec![
                    ("Visits".into(), vec![0.5, 0.2, 0.6, 0.55]),
                    ("Telephone".into(), vec![0.05, 0.3, 0.0, 0.0]),
                    ("Drop-in".into(), vec![0.1, 0.1, 0.0, 0.0]),
                    ("E-service (1177)".into(), vec![0.0, 0.08, 0.0, 0.0]),
                ],
                totals: vec![
                    iv(0.65, 0.02),
                    iv(0.68, 0.02),
                    iv(0.6, 0.03),
                    iv(0.55, 0.04),
                ],
                percent: true,
                segment_values: false,
            }),
        ),
        (
            "line",
            Chart::Line(LineChart {
                labels: labels(
                    "Compliance against staffing",
                    "Nurses on the telephone",
                    "Compliance (%)",
                ),
                x: vec![1.0, 2.0, 3.0, 4.0, 5.0],
                series: vec![
                    Series {
                        name: "Contact the same day".into(),
                        values: vec![
                            iv(0.5, 0.05),
                            iv(0.7, 0.04),
                            iv(0.85, 0.03),
                            iv(0.92, 0.02),
                            iv(0.95, 0.01),
                        ],
                    },
                    Series {
                        name: "Medical assessment within 3 days".into(),
                        values: vec![
                            iv(0.6, 0.05),
                            iv(0.72, 0.04),
                            iv(0.8, 0.03),
                            iv(0.84, 0.02),
                            iv(0.86, 0.01),
                        ],
                    },
                ],
                percent: true,
                target: Some(0.9),
                from_zero: true,
                marked: None,
            }),
        ),
        (
            "weekly",
            Chart::Line(LineChart {
                labels: labels(
                    "Weekly compliance over the year",
                    "Week of the year",
                    "Compliance (%)",
                ),
                x: (1..=52).map(f64::from).collect(),
                series: vec![Series {
                    name: "Contact the same day".into(),
                    values: (1..=52)
                        .map(|w| iv(0.85 + 0.05 * (f64::from(w) / 8.0).sin(), 0.02))
                        .collect(),
                }],
                percent: true,
                target: None,
                from_zero: false,
                marked: Some((vec![(25.5, 33.5)], "Summer leave weeks".into())),
            }),
        ),
        (
            "heatmap",
            Chart::Heatmap(Heatmap {
                labels: labels("New contacts per hour by weekday", "Hour of day", "Weekday"),
                columns: (7..18).map(|h| format!("{h:02}")).collect(),
                rows: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                    .map(String::from)
                    .to_vec(),
                values: (0..7)
                    .map(|d| {
                        (7..18)
                            .map(|h| {
                                if d >= 5 {
                                    0.4
                                } else {
                                    12.0 / (1.0 + (h as f64 - 8.0).abs())
                                        * if d == 0 { 1.4 } else { 1.0 }
                                }
                            })
                            .collect()
                    })
                    .collect(),
                scale: "New contacts per hour".into(),
                percent: false,
            }),
        ),
        (
            "scatter",
            Chart::Scatter(Scatter {
                labels: labels(
                    "Cost against compliance",
                    "Staff cost per year (million SEK)",
                    "Medical assessment within 3 days (%)",
                ),
                points: vec![
                    ("default".into(), iv(14.2, 0.05), iv(0.81, 0.02)),
                    ("profession-neutral".into(), iv(14.3, 0.05), iv(0.9, 0.02)),
                    ("extra doctor".into(), iv(15.5, 0.05), iv(0.86, 0.02)),
                    ("drop-in".into(), iv(15.0, 0.05), iv(0.93, 0.02)),
                ],
                y_percent: true,
                front: "Pareto front".into(),
                target_name: "Target".into(),
                target: Some(0.9),
                definition_only: vec![false, false, false, false],
                definition_name: "only the guarantee's definition differs".into(),
                x_higher_better: false,
            }),
        ),
    ];
    for (name, chart) in &charts {
        for lang in [Lang::En, Lang::Sv] {
            std::fs::write(dir.join(format!("{name}-{lang}.svg")), chart.svg(lang)?)?;
            std::fs::write(dir.join(format!("{name}-{lang}.png")), chart.png(lang)?)?;
        }
    }
    println!("wrote {}", dir.display());
    Ok(())
}
