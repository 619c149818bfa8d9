//! Charts as plain data (`Chart`), drawn with plotters to SVG and PNG with
//! one layout: 1600 × 1000 px, which prints at A4 width with legible text.
//!
//! The chart types know nothing of metrics or runs: the report builds them
//! from `summary.json` / `comparison.json`, and a sweep can build a
//! [`LineChart`] or a [`Heatmap`] from its own numbers. Labels arrive
//! already in the report's language; `lang` only formats tick numbers.
//!
//! PNG text is drawn from DejaVu Sans embedded in the binary
//! (`assets/fonts/`, registered with plotters' `ab_glyph` backend), so no
//! system font or library is needed. Colours are chosen so that series stay
//! apart in greyscale print: each palette entry has a different lightness,
//! bars have black outlines and lines carry different markers.

mod draw;
pub mod layout;

use std::sync::Once;

use plotters::prelude::*;

use super::ReportError;
use super::lang::Lang;

/// Width of every chart in pixels.
pub const WIDTH: u32 = 1600;
/// Height of every chart in pixels.
pub const HEIGHT: u32 = 1000;

/// A mean with its 95 % CI; NaN where undefined.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Mean.
    pub mean: f64,
    /// Lower CI bound.
    pub lo: f64,
    /// Upper CI bound.
    pub hi: f64,
}

impl Interval {
    /// A value without a CI.
    pub fn point(mean: f64) -> Self {
        Interval {
            mean,
            lo: f64::NAN,
            hi: f64::NAN,
        }
    }
    /// The highest defined value (upper bound, else mean).
    fn top(&self) -> f64 {
        if self.hi.is_finite() {
            self.hi.max(self.mean)
        } else {
            self.mean
        }
    }
    /// The lowest defined value.
    fn bottom(&self) -> f64 {
        if self.lo.is_finite() {
            self.lo.min(self.mean)
        } else {
            self.mean
        }
    }
}

/// A named series of values, one per category or x value.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Values with CIs.
    pub values: Vec<Interval>,
}

/// Title and axis labels, already in the report's language.
#[derive(Clone, Debug, PartialEq)]
pub struct Labels {
    /// Chart title.
    pub title: String,
    /// X axis label with unit.
    pub x: String,
    /// Y axis label with unit.
    pub y: String,
}

/// Grouped bars with CI whiskers: one group per category, one bar per series.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    /// Title and axes.
    pub labels: Labels,
    /// Category names (x axis).
    pub categories: Vec<String>,
    /// Series (legend when more than one).
    pub series: Vec<Series>,
    /// Values are shares 0–1 shown as percentages.
    pub percent: bool,
    /// A target line (same unit as the values).
    pub target: Option<f64>,
}

/// Stacked bars: per category, the parts add up to a total whose CI is
/// drawn as a whisker on top.
#[derive(Clone, Debug, PartialEq)]
pub struct StackedBars {
    /// Title and axes.
    pub labels: Labels,
    /// Category names (x axis).
    pub categories: Vec<String>,
    /// Parts: name and one value per category.
    pub parts: Vec<(String, Vec<f64>)>,
    /// Per category, the total with its CI.
    pub totals: Vec<Interval>,
    /// Values are shares 0–1 shown as percentages.
    pub percent: bool,
    /// Write each part's value inside its segment (where it fits).
    pub segment_values: bool,
}

/// Lines over a numeric x with CI bands, e.g. compliance against a swept
/// staffing parameter or over the weeks of a year.
#[derive(Clone, Debug, PartialEq)]
pub struct LineChart {
    /// Title and axes.
    pub labels: Labels,
    /// X values, shared by every series.
    pub x: Vec<f64>,
    /// Series, one value per x.
    pub series: Vec<Series>,
    /// Values are shares 0–1 shown as percentages.
    pub percent: bool,
    /// A target line.
    pub target: Option<f64>,
    /// Show the y axis from 0 (else fit to the data).
    pub from_zero: bool,
    /// X ranges shaded behind the lines (e.g. the summer weeks), with
    /// their legend text.
    pub marked: Option<(Vec<(f64, f64)>, String)>,
}

/// A grid of values over two categorical axes (rows × columns), coloured
/// on a scale whose lightness falls with the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// Title and axes.
    pub labels: Labels,
    /// Column names (x axis).
    pub columns: Vec<String>,
    /// Row names (y axis, top to bottom).
    pub rows: Vec<String>,
    /// `values[row][column]`; NaN = no value.
    pub values: Vec<Vec<f64>>,
    /// Label of the colour scale.
    pub scale: String,
    /// Values are shares 0–1 shown as percentages.
    pub percent: bool,
}

/// Named points with CIs in both directions; the Pareto front (lowest x,
/// highest y) is marked.
#[derive(Clone, Debug, PartialEq)]
pub struct Scatter {
    /// Title and axes.
    pub labels: Labels,
    /// (name, x, y).
    pub points: Vec<(String, Interval, Interval)>,
    /// Y values are shares 0–1 shown as percentages.
    pub y_percent: bool,
    /// Legend name of the front.
    pub front: String,
    /// Legend name of the target line.
    pub target_name: String,
    /// A target line for y.
    pub target: Option<f64>,
    /// Per point: a variant that differs from the base only in how the
    /// guarantee is defined (same care, other counting). Drawn as a grey
    /// square, left out of the front: it is not a way of working.
    pub definition_only: Vec<bool>,
    /// Legend name of such points.
    pub definition_name: String,
    /// Higher x is better (continuity), so the front is highest x and y;
    /// else lowest x (cost).
    pub x_higher_better: bool,
}

/// How the values of a [`RowChart`] read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowScale {
    /// Shares 0–1 shown as percentages, bars from 0.
    Percent,
    /// Differences of shares shown in percentage points, as points with a
    /// line at 0 (a "difference from today" chart).
    PercentPoints,
}

/// Horizontal rows (one per scenario or health centre, top to bottom in
/// the order given), one bar or point per series with its CI as a
/// horizontal whisker and its value beside it; rows can be flagged
/// (e.g. below the target).
#[derive(Clone, Debug, PartialEq)]
pub struct RowChart {
    /// Title and axes (`x` is the value axis).
    pub labels: Labels,
    /// Row names, top to bottom.
    pub rows: Vec<String>,
    /// Series (legend when more than one), one value per row.
    pub series: Vec<Series>,
    /// How values read.
    pub scale: RowScale,
    /// A target line (same unit as the values).
    pub target: Option<f64>,
    /// Per row: flagged (drawn in the flag colour, name marked ▼).
    pub flagged: Vec<bool>,
    /// Legend name of a flagged row.
    pub flag_name: String,
}

/// Any chart of a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// Grouped bars.
    Bars(BarChart),
    /// Stacked bars.
    Stacked(StackedBars),
    /// Lines with CI bands.
    Line(LineChart),
    /// A heatmap.
    Heatmap(Heatmap),
    /// A scatter with a Pareto front.
    Scatter(Scatter),
    /// Horizontal rows: a ranking or differences from a base.
    Rows(RowChart),
}

impl Chart {
    /// The chart's title.
    pub fn title(&self) -> &str {
        match self {
            Chart::Bars(c) => &c.labels.title,
            Chart::Stacked(c) => &c.labels.title,
            Chart::Line(c) => &c.labels.title,
            Chart::Heatmap(c) => &c.labels.title,
            Chart::Scatter(c) => &c.labels.title,
            Chart::Rows(c) => &c.labels.title,
        }
    }

    /// Number of values drawn (bars, points, cells); 0 means an empty chart.
    pub fn len(&self) -> usize {
        let defined = |v: &[Interval]| v.iter().filter(|i| i.mean.is_finite()).count();
        match self {
            Chart::Bars(c) => c.series.iter().map(|s| defined(&s.values)).sum(),
            Chart::Stacked(c) => c
                .parts
                .iter()
                .map(|(_, v)| v.iter().filter(|x| x.is_finite() && **x > 0.0).count())
                .sum(),
            Chart::Line(c) => c.series.iter().map(|s| defined(&s.values)).sum(),
            Chart::Heatmap(c) => c.values.iter().flatten().filter(|x| x.is_finite()).count(),
            Chart::Scatter(c) => c
                .points
                .iter()
                .filter(|(_, x, y)| x.mean.is_finite() && y.mean.is_finite())
                .count(),
            Chart::Rows(c) => c.series.iter().map(|s| defined(&s.values)).sum(),
        }
    }

    /// True when nothing would be drawn.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The chart as an SVG document.
    pub fn svg(&self, lang: Lang) -> Result<String, ReportError> {
        self.svg_with(lang, "")
    }

    /// The chart as an SVG document with `footer` (lines of small text at
    /// the foot: what was run, and what the intervals mean; empty for none).
    pub fn svg_with(&self, lang: Lang, footer: &str) -> Result<String, ReportError> {
        register_font()?;
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
            draw::chart(self, &root, lang, footer).map_err(chart_err)?;
            root.present().map_err(chart_err)?;
        }
        // plotters writes a viewBox, so the inline SVG scales with the page.
        Ok(text)
    }

    /// Where the chart's value labels go beside the whiskers and target
    /// lines they must not cover (pixels of the PNG), for tests.
    pub fn label_layout(
        &self,
        lang: Lang,
        footer: &str,
    ) -> Result<layout::LabelLayout, ReportError> {
        register_font()?;
        let mut text = String::new();
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        draw::chart(self, &root, lang, footer).map_err(chart_err)
    }

    /// The chart as PNG bytes (RGB, [`WIDTH`] × [`HEIGHT`]).
    pub fn png(&self, lang: Lang) -> Result<Vec<u8>, ReportError> {
        self.png_with(lang, "")
    }

    /// The chart as PNG bytes with `footer` (see [`Chart::svg_with`]).
    pub fn png_with(&self, lang: Lang, footer: &str) -> Result<Vec<u8>, ReportError> {
        register_font()?;
        let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
            draw::chart(self, &root, lang, footer).map_err(chart_err)?;
            root.present().map_err(chart_err)?;
        }
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Charts are flat colours: strong compression makes them several
        // times smaller for a few milliseconds more.
        enc.set_compression(png::Compression::Best);
        enc.set_filter(png::FilterType::Paeth);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let png_err = |e: png::EncodingError| ReportError::Chart(e.to_string());
        let mut w = enc.write_header().map_err(png_err)?;
        w.write_image_data(&rgb).map_err(png_err)?;
        w.finish().map_err(png_err)?;
        Ok(out)
    }
}

fn chart_err(e: impl std::fmt::Display) -> ReportError {
    ReportError::Chart(e.to_string())
}

/// DejaVu Sans, embedded so that PNGs never depend on system fonts.
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the embedded font as plotters' `sans-serif` (once per process).
fn register_font() -> Result<(), ReportError> {
    static ONCE: Once = Once::new();
    let mut ok = true;
    ONCE.call_once(|| {
        ok = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok();
    });
    if ok {
        Ok(())
    } else {
        Err(ReportError::Chart("the embedded font is invalid".into()))
    }
}

/// Series colours, each of a different lightness (greyscale luma ≈ 38, 173,
/// 111, 206, 141, 73, 55, 230, 157, 96: at least 15 apart), in the order
/// that keeps few series furthest apart. Ten, so that a comparison of the
/// default and all eight method presets (nine scenarios) never repeats a
/// colour (issue 15: six made two scenarios navy).
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(0x0b, 0x2a, 0x5b), // navy
    RGBColor(0xf2, 0xa0, 0x3d), // orange
    RGBColor(0xd0, 0x4a, 0x30), // brick red
    RGBColor(0xf3, 0xd2, 0x5a), // yellow
    RGBColor(0x3f, 0xb0, 0xa8), // teal
    RGBColor(0x6a, 0x2c, 0x8a), // purple
    RGBColor(0x0f, 0x4d, 0x2a), // dark green
    RGBColor(0xff, 0xd9, 0xe6), // pale pink
    RGBColor(0xc4, 0x93, 0x66), // tan
    RGBColor(0xa6, 0x37, 0x7c), // magenta
];

/// Colour of series `i`: the palette, then (from the eleventh series on)
/// its colours mixed half with white, then a quarter, so no two series of
/// a chart share a colour.
pub fn colour(i: usize) -> RGBColor {
    let base = PALETTE[i % PALETTE.len()];
    let round = i / PALETTE.len();
    if round == 0 {
        return base;
    }
    // Mix towards white by 1/2, 1/4, 1/8, … of the remaining distance.
    let keep = 0.5f64.powi(round as i32);
    let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * keep).round() as u8;
    RGBColor(mix(base.0), mix(base.1), mix(base.2))
}

/// Greyscale luma (ITU-R BT.601) of a colour, 0–255.
pub fn luma(c: RGBColor) -> f64 {
    0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64
}

/// The Pareto front of (x = cost, y = benefit) points: indices of the
/// points no other point beats on both (lower or equal x and higher or
/// equal y, one strictly), sorted by x.
pub fn pareto_front(points: &[(f64, f64)]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].0.is_finite() && points[i].1.is_finite())
        .collect();
    idx.sort_by(|&a, &b| {
        points[a]
            .0
            .total_cmp(&points[b].0)
            .then(points[b].1.total_cmp(&points[a].1))
    });
    let mut front = Vec::new();
    let mut best = f64::NEG_INFINITY;
    for i in idx {
        if points[i].1 > best {
            best = points[i].1;
            front.push(i);
        }
    }
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_lightness_differs_in_greyscale() {
        let mut l: Vec<f64> = PALETTE.iter().map(|&c| luma(c)).collect();
        l.sort_by(f64::total_cmp);
        for w in l.windows(2) {
            assert!(w[1] - w[0] >= 15.0, "greyscale too close: {l:?}");
        }
        // The first six keep 25 apart (charts of up to six series as before).
        let mut l: Vec<f64> = PALETTE[..6].iter().map(|&c| luma(c)).collect();
        l.sort_by(f64::total_cmp);
        for w in l.windows(2) {
            assert!(w[1] - w[0] >= 25.0, "greyscale too close: {l:?}");
        }
    }

    #[test]
    fn no_two_series_of_a_chart_share_a_colour() {
        let colours: Vec<(u8, u8, u8)> = (0..27)
            .map(|i| {
                let c = colour(i);
                (c.0, c.1, c.2)
            })
            .collect();
        let distinct: std::collections::BTreeSet<_> = colours.iter().collect();
        assert_eq!(distinct.len(), colours.len(), "{colours:?}");
    }

    #[test]
    fn pareto_front_keeps_undominated_points() {
        // (cost, compliance): b is dominated by a (cheaper and better).
        let pts = [(1.0, 0.8), (2.0, 0.7), (3.0, 0.9), (2.5, 0.85)];
        assert_eq!(pareto_front(&pts), vec![0, 3, 2]);
    }
}
