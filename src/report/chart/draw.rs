//! Drawing each chart type on any plotters backend (SVG or bitmap), with one
//! layout: title, a legend row under it (so a legend never covers data),
//! then the plot. Category labels are drawn by hand under the axis, wrapped
//! to the width of their group.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::{self, LabelLayout, Rect};
use super::{
    BarChart, Chart, Heatmap, Interval, LineChart, RowChart, RowScale, Scatter, StackedBars, WIDTH,
};
use super::{colour, pareto_front};
use crate::report::lang::Lang;

type Area<DB> = DrawingArea<DB, Shift>;
type Err<DB> = DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>;
type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

// Font sizes in pixels at 1600 px width: about 9–13 pt when printed at A4
// text width.
const TITLE_PX: i32 = 46;
const DESC_PX: i32 = 34;
const TICK_PX: i32 = 30;
const LEGEND_PX: i32 = 30;
const VALUE_PX: i32 = 26;
const LEGEND_ROW: i32 = 50;
const X_AREA: u32 = 150;
const Y_AREA: u32 = 170;
const GRID: RGBColor = RGBColor(215, 215, 215);
const WHISKER: RGBColor = RGBColor(25, 25, 25);
/// Fill of a scatter point that only changes the guarantee's definition.
const DEFINITION: RGBColor = RGBColor(190, 190, 190);

fn font(px: i32) -> TextStyle<'static> {
    ("sans-serif", px).into_font().color(&BLACK)
}

/// One legend entry's symbol.
enum Symbol {
    Bar(RGBColor),
    Line(RGBColor, usize),
    Plain(RGBColor),
    Dashed,
    Band(RGBColor),
    Whisker,
}

/// Footer text size and line height, px.
const FOOTER_PX: i32 = 17;
const FOOTER_LINE: i32 = 24;

/// Draws `chart` on `root`, with the lines of `footer` (if any) in small
/// grey text at the foot, below the plot; returns where its value labels
/// went (empty for charts without them).
pub fn chart<DB: DrawingBackend>(
    chart: &Chart,
    root: &Area<DB>,
    lang: Lang,
    footer: &str,
) -> Result<LabelLayout, Err<DB>> {
    root.fill(&WHITE)?;
    let lines: Vec<&str> = footer.lines().filter(|l| !l.is_empty()).collect();
    let reserved = FOOTER_LINE * lines.len() as i32;
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.to_string(),
            (
                24,
                root.dim_in_pixel().1 as i32 - reserved + FOOTER_LINE * i as i32 - 4,
            ),
            ("sans-serif", FOOTER_PX)
                .into_font()
                .color(&RGBColor(90, 90, 90))
                .pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    let area = root.margin(0, reserved.max(0) as u32, 0, 0);
    let root = &area;
    let none = |r: Result<(), Err<DB>>| r.map(|()| LabelLayout::default());
    match chart {
        Chart::Bars(c) => bars(c, root, lang),
        Chart::Stacked(c) => none(stacked(c, root, lang)),
        Chart::Line(c) => none(line(c, root, lang)),
        Chart::Heatmap(c) => none(heatmap(c, root, lang)),
        Chart::Scatter(c) => none(scatter(c, root, lang)),
        Chart::Rows(c) => rows(c, root, lang),
    }
}

/// Title and legend; returns the area left for the plot.
fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    legend: &[(String, Symbol)],
) -> Result<Area<DB>, Err<DB>> {
    let (px, lines) = title_lines(root, title)?;
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (WIDTH as i32 / 2, 22 + i as i32 * (px + 8)),
            font(px).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    let mut top = 22 + lines.len() as i32 * (px + 8) - 8 + 22;
    if !legend.is_empty() {
        top += draw_legend(root, top, legend)?;
    }
    Ok(root.margin(top, 16, 24, 48))
}

/// Widest a title may be, px: the image less a margin either side.
const TITLE_ROOM: i32 = WIDTH as i32 - 80;
/// Smallest title font, px, before a title goes onto two lines.
const TITLE_MIN_PX: i32 = 34;

/// The title's font size and lines: one line at [`TITLE_PX`] when it fits,
/// else one line as large as fits down to [`TITLE_MIN_PX`], else wrapped
/// at that size. An audit's finding: a sweep's title (the rule and a long
/// swept key's name) ran off both edges of the image.
fn title_lines<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
) -> Result<(i32, Vec<String>), Err<DB>> {
    for px in (TITLE_MIN_PX..=TITLE_PX).rev() {
        if root.estimate_text_size(title, &font(px))?.0 as i32 <= TITLE_ROOM {
            return Ok((px, vec![title.to_string()]));
        }
    }
    Ok((
        TITLE_MIN_PX,
        wrap(root, title, &font(TITLE_MIN_PX), TITLE_ROOM)?,
    ))
}

/// An axis title's font, as large as [`DESC_PX`] when it fits along
/// `room` pixels, smaller down to 22 px when not, and the text cut with
/// `…` if even that is too long: a heatmap's rotated y axis title (a
/// swept key's readable name) ran off the top of the image.
fn fit_desc<DB: DrawingBackend>(
    root: &Area<DB>,
    text: &str,
    room: u32,
) -> Result<(i32, String), Err<DB>> {
    const MIN_PX: i32 = 22;
    for px in (MIN_PX..=DESC_PX).rev() {
        if root.estimate_text_size(text, &font(px))?.0 <= room {
            return Ok((px, text.to_string()));
        }
    }
    let mut cut: Vec<char> = text.chars().collect();
    while !cut.is_empty() {
        cut.pop();
        let t = format!("{}…", cut.iter().collect::<String>().trim_end());
        if root.estimate_text_size(&t, &font(MIN_PX))?.0 <= room {
            return Ok((MIN_PX, t));
        }
    }
    Ok((MIN_PX, String::new()))
}

/// Lays the legend out in centred rows from `y`; returns its height.
fn draw_legend<DB: DrawingBackend>(
    root: &Area<DB>,
    y: i32,
    legend: &[(String, Symbol)],
) -> Result<i32, Err<DB>> {
    const SWATCH: i32 = 48;
    const GAP: i32 = 44;
    let style = font(LEGEND_PX);
    let mut rows: Vec<Vec<(usize, i32)>> = vec![Vec::new()];
    let mut row_w = 0;
    for (i, (name, _)) in legend.iter().enumerate() {
        let w = SWATCH + 12 + root.estimate_text_size(name, &style)?.0 as i32;
        if row_w > 0 && row_w + GAP + w > WIDTH as i32 - 80 {
            rows.push(Vec::new());
            row_w = 0;
        }
        row_w += if row_w > 0 { GAP } else { 0 } + w;
        rows.last_mut().expect("a row").push((i, w));
    }
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|(_, w)| w).sum::<i32>() + GAP * (row.len() as i32 - 1);
        let mut x = (WIDTH as i32 - total) / 2;
        let cy = y + r as i32 * LEGEND_ROW + LEGEND_ROW / 2;
        for &(i, w) in row {
            let (name, symbol) = &legend[i];
            draw_symbol(root, symbol, x, cy, SWATCH)?;
            root.draw(&Text::new(
                name.clone(),
                (x + SWATCH + 12, cy),
                style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += w + GAP;
        }
    }
    Ok(rows.len() as i32 * LEGEND_ROW + 10)
}

fn draw_symbol<DB: DrawingBackend>(
    root: &Area<DB>,
    symbol: &Symbol,
    x: i32,
    cy: i32,
    w: i32,
) -> Result<(), Err<DB>> {
    match *symbol {
        Symbol::Bar(c) => {
            root.draw(&Rectangle::new(
                [(x, cy - 14), (x + w, cy + 14)],
                c.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x, cy - 14), (x + w, cy + 14)],
                BLACK.stroke_width(2),
            ))?;
        }
        Symbol::Band(c) => {
            root.draw(&Rectangle::new(
                [(x, cy - 14), (x + w, cy + 14)],
                c.mix(0.25).filled(),
            ))?;
        }
        Symbol::Line(c, m) => {
            root.draw(&PathElement::new(
                vec![(x, cy), (x + w, cy)],
                c.stroke_width(4),
            ))?;
            marker(root, (x + w / 2, cy), m, c, 9)?;
        }
        Symbol::Plain(c) => {
            root.draw(&PathElement::new(
                vec![(x, cy), (x + w, cy)],
                c.stroke_width(5),
            ))?;
        }
        Symbol::Dashed => {
            for i in 0..3 {
                let x0 = x + i * 18;
                root.draw(&PathElement::new(
                    vec![(x0, cy), (x0 + 11, cy)],
                    BLACK.stroke_width(4),
                ))?;
            }
        }
        Symbol::Whisker => {
            let xc = x + w / 2;
            root.draw(&PathElement::new(
                vec![(xc, cy - 16), (xc, cy + 16)],
                WHISKER.stroke_width(3),
            ))?;
            for yy in [cy - 16, cy + 16] {
                root.draw(&PathElement::new(
                    vec![(xc - 9, yy), (xc + 9, yy)],
                    WHISKER.stroke_width(3),
                ))?;
            }
        }
    }
    Ok(())
}

/// A marker at a pixel position: circle, triangle, square or diamond by
/// series index, so lines differ without colour.
fn marker<DB: DrawingBackend>(
    root: &Area<DB>,
    (x, y): (i32, i32),
    i: usize,
    c: RGBColor,
    s: i32,
) -> Result<(), Err<DB>> {
    let fill = c.filled();
    let edge = BLACK.stroke_width(2);
    match i % 4 {
        0 => {
            root.draw(&Circle::new((x, y), s, fill))?;
            root.draw(&Circle::new((x, y), s, edge))?;
        }
        1 => {
            let pts = vec![(x, y - s - 2), (x - s - 2, y + s), (x + s + 2, y + s)];
            root.draw(&Polygon::new(pts.clone(), fill))?;
            root.draw(&PathElement::new(
                pts.iter().chain(pts.first()).copied().collect::<Vec<_>>(),
                edge,
            ))?;
        }
        2 => {
            root.draw(&Rectangle::new([(x - s, y - s), (x + s, y + s)], fill))?;
            root.draw(&Rectangle::new([(x - s, y - s), (x + s, y + s)], edge))?;
        }
        _ => {
            let d = s + 3;
            let pts = vec![(x, y - d), (x + d, y), (x, y + d), (x - d, y)];
            root.draw(&Polygon::new(pts.clone(), fill))?;
            root.draw(&PathElement::new(
                pts.iter().chain(pts.first()).copied().collect::<Vec<_>>(),
                edge,
            ))?;
        }
    }
    Ok(())
}

/// A round upper bound for an axis showing values up to `top`.
fn nice_max(top: f64) -> f64 {
    if !(top.is_finite() && top > 0.0) {
        return 1.0;
    }
    let raw = top * 1.12;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|&v| v >= raw)
        .unwrap_or(10.0 * mag)
}

/// Tick text for a value axis spanning `span` with ticks `step` apart:
/// at least as many decimals as tell neighbouring ticks apart (an audit's
/// finding: a swept share from 0.05 to 0.1 had ticks 0.005 apart written
/// `0,05 0,05 0,06 0,07 0,07`).
fn tick(lang: Lang, v: f64, percent: bool, span: f64, step: f64) -> String {
    if percent {
        // Room above 100 % (value labels) and below 0 % (markers on the
        // axis) is not part of the scale.
        if !(-1e-9..=1.0 + 1e-9).contains(&v) {
            return String::new();
        }
        let decimals = if span < 0.05 { 1 } else { 0 };
        return lang.percent(v, decimals.max(step_decimals(step * 100.0)));
    }
    let decimals = if span >= 20.0 {
        0
    } else if span >= 2.0 {
        1
    } else {
        2
    };
    lang.number(v, decimals.max(step_decimals(step)))
}

/// Decimals that write multiples of `step` (a tick step of 1, 2 or 5 ×
/// 10^k) apart: 0.005 → 3, 0.02 → 2, 0.5 → 1, 2 → 0.
fn step_decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (-step.log10() - 1e-6).ceil().clamp(0.0, 6.0) as usize
}

/// The distance between the ticks plotters draws on `range` when asked
/// for at most `n` (what the labels must tell apart).
fn tick_step(range: std::ops::Range<f64>, n: usize) -> f64 {
    RangedCoordf64::from(range)
        .key_points(n)
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min)
}

/// Axis descriptions, ticks and grid for a value (y) axis; the x axis gets
/// numeric ticks only when `x_numeric`.
fn mesh<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    x_desc: &str,
    y_desc: &str,
    lang: Lang,
    y_percent: bool,
    x_numeric: Option<bool>,
    x_integers: bool,
) -> Result<(), Err<DB>> {
    let y_span = {
        let r = chart.y_range();
        r.end - r.start
    };
    let x_span = {
        let r = chart.x_range();
        r.end - r.start
    };
    const Y_TICKS: usize = 11;
    let width = chart.plotting_area().dim_in_pixel().0 as usize;
    let x_ticks = if x_integers {
        (x_span.round() as usize + 1).clamp(2, 14)
    } else {
        // A label a hundred pixels at most: a narrow plot (a scatter with
        // its names beside it) gets fewer, so that they do not run together.
        (width / 100).clamp(2, 12)
    };
    let y_step = tick_step(chart.y_range(), Y_TICKS);
    let x_step = tick_step(chart.x_range(), x_ticks);
    let y_fmt = move |v: &f64| tick(lang, *v, y_percent, y_span, y_step);
    let x_fmt = move |v: &f64| match x_numeric {
        // Whole-number x (staff counts, weeks): whole-number ticks only.
        Some(_) if x_integers => {
            if (v - v.round()).abs() < 1e-9 {
                lang.number(v.round(), 0)
            } else {
                String::new()
            }
        }
        Some(p) => tick(lang, *v, p, x_span, x_step),
        None => String::new(),
    };
    let mut m = chart.configure_mesh();
    m.x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(font(DESC_PX))
        .label_style(font(TICK_PX))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(BLACK.stroke_width(2))
        .y_labels(Y_TICKS)
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&x_fmt);
    if x_numeric.is_none() {
        m.disable_x_mesh().x_labels(0);
    } else {
        m.x_labels(x_ticks);
    }
    m.draw()
}

/// Breaks `text` into lines no wider than `width` pixels.
fn wrap<DB: DrawingBackend>(
    root: &Area<DB>,
    text: &str,
    style: &TextStyle,
    width: i32,
) -> Result<Vec<String>, Err<DB>> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && root.estimate_text_size(&candidate, style)?.0 as i32 > width {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    lines.push(line);
    Ok(lines)
}

/// Category names centred under each group of the x axis.
fn category_labels<DB: DrawingBackend>(
    root: &Area<DB>,
    chart: &Plot<'_, DB>,
    categories: &[String],
) -> Result<(), Err<DB>> {
    let n = categories.len().max(1) as f64;
    let y0 = chart.y_range().start;
    let (left, _) = chart.backend_coord(&(0.0, y0));
    let (right, base) = chart.backend_coord(&(n, y0));
    let width = (right - left) / n as i32 - 16;
    let style = font(TICK_PX);
    for (i, name) in categories.iter().enumerate() {
        let (x, _) = chart.backend_coord(&(i as f64 + 0.5, y0));
        for (l, text) in wrap(root, name, &style, width)?.iter().enumerate() {
            root.draw(&Text::new(
                text.clone(),
                (x, base + 10 + l as i32 * (TICK_PX + 4)),
                style.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
    }
    Ok(())
}

/// A vertical CI whisker with caps, in data coordinates.
fn whisker<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    x: f64,
    half: f64,
    iv: &Interval,
) -> Result<(), Err<DB>> {
    if !(iv.lo.is_finite() && iv.hi.is_finite()) {
        return Ok(());
    }
    // A white halo first, so the whisker shows on dark bars too.
    for style in [WHITE.stroke_width(8), WHISKER.stroke_width(3)] {
        chart.draw_series([
            PathElement::new(vec![(x, iv.lo), (x, iv.hi)], style),
            PathElement::new(vec![(x - half, iv.lo), (x + half, iv.lo)], style),
            PathElement::new(vec![(x - half, iv.hi), (x + half, iv.hi)], style),
        ])?;
    }
    Ok(())
}

/// A horizontal dashed target line (its value is in the legend).
fn target_line<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, t: f64) -> Result<(), Err<DB>> {
    let xr = chart.x_range();
    chart.draw_series(DashedLineSeries::new(
        [(xr.start, t), (xr.end, t)],
        18,
        10,
        BLACK.stroke_width(4),
    ))?;
    Ok(())
}

/// The target's legend entry and line label, e.g. "Target 90 %".
fn target_text(lang: Lang, t: f64, percent: bool) -> String {
    let v = if percent {
        lang.percent(t, 0)
    } else {
        lang.number(t, 1)
    };
    format!("{} {v}", lang.text("target"))
}

fn any_ci(values: &[&[Interval]]) -> bool {
    values
        .iter()
        .any(|v| v.iter().any(|i| i.lo.is_finite() && i.hi.is_finite()))
}

/// The widest a row chart's names may be, in pixels.
const NAME_MAX_PX: i32 = 670;

/// Decimals of a percentage on an axis or scale spanning `span` (a share):
/// as few as keep neighbouring ticks apart (`82 % 83 % 83 %` on a scale of
/// 1.5 points, `+0,1 +0,1` on one of 0.3).
fn share_decimals(span: f64) -> usize {
    match span * 100.0 {
        s if s >= 5.0 => 0,
        s if s >= 0.5 => 1,
        _ => 2,
    }
}

/// A value's text on a bar: shares as percentages (whole percent when
/// bars are narrow), other numbers with one decimal below 100.
fn value_text(lang: Lang, v: f64, percent: bool, short: bool) -> String {
    if percent {
        lang.percent(v, if short { 0 } else { 1 })
    } else {
        lang.number(v, if v.abs() >= 100.0 { 0 } else { 1 })
    }
}

/// The plot's pixel box (where labels may go).
fn plot_box<DB: DrawingBackend>(chart: &Plot<'_, DB>) -> Rect {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let (x0, y0) = chart.backend_coord(&(xr.start, yr.end));
    let (x1, y1) = chart.backend_coord(&(xr.end, yr.start));
    Rect { x0, y0, x1, y1 }
}

/// Axes for `n` bar groups up to `top` (shares: room above 100 % for the
/// value labels): the part bar charts and stacked bars share.
fn bar_axes<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    n: usize,
    top: f64,
    percent: bool,
    labels: &super::Labels,
    lang: Lang,
) -> Result<Plot<'a, DB>, Err<DB>> {
    let ymax = if percent {
        top.max(1.0) * 1.08
    } else {
        nice_max(top)
    };
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(X_AREA)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(0.0..n as f64, 0.0..ymax)?;
    mesh(&mut chart, &labels.x, &labels.y, lang, percent, None, false)?;
    Ok(chart)
}

fn bars<DB: DrawingBackend>(
    c: &BarChart,
    root: &Area<DB>,
    lang: Lang,
) -> Result<LabelLayout, Err<DB>> {
    let k = c.series.len().max(1);
    let n = c.categories.len().max(1);
    let mut legend: Vec<(String, Symbol)> = Vec::new();
    if c.series.len() > 1 {
        for (j, s) in c.series.iter().enumerate() {
            legend.push((s.name.clone(), Symbol::Bar(colour(j))));
        }
    }
    let all: Vec<&[Interval]> = c.series.iter().map(|s| s.values.as_slice()).collect();
    if any_ci(&all) {
        legend.push((lang.text("ci_whisker"), Symbol::Whisker));
    }
    if let Some(t) = c.target {
        legend.push((target_text(lang, t, c.percent), Symbol::Dashed));
    }
    let area = frame(root, &c.labels.title, &legend)?;
    let top = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().map(Interval::top))
        .chain(c.target)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let mut chart = bar_axes(&area, n, top, c.percent, &c.labels, lang)?;
    // One bar per group is narrower, so it does not look like a block.
    let group = if k == 1 { 0.55 } else { 0.8 };
    let w = group / k as f64;
    let show_values = n * k <= 16;
    let px = |chart: &Plot<'_, DB>, x: f64, y: f64| chart.backend_coord(&(x, y));
    // Bars first, then every whisker and the target line, then the values
    // where none of those are (layout.rs).
    let mut bars: Vec<(f64, Interval, RGBColor)> = Vec::new();
    for (j, s) in c.series.iter().enumerate() {
        for (i, iv) in s.values.iter().enumerate() {
            if !iv.mean.is_finite() {
                continue;
            }
            let x0 = i as f64 + (1.0 - group) / 2.0 + j as f64 * w + w * 0.05;
            let x1 = x0 + w * 0.9;
            chart.draw_series([
                Rectangle::new([(x0, 0.0), (x1, iv.mean)], colour(j).filled()),
                Rectangle::new([(x0, 0.0), (x1, iv.mean)], BLACK.stroke_width(2)),
            ])?;
            bars.push(((x0 + x1) / 2.0, *iv, colour(j)));
        }
    }
    let mut layout = LabelLayout::default();
    let cap = w * 0.15;
    for (xc, iv, _) in &bars {
        whisker(&mut chart, *xc, cap, iv)?;
        if iv.lo.is_finite() && iv.hi.is_finite() {
            let (x, lo) = px(&chart, *xc, iv.lo);
            let (xr, hi) = px(&chart, xc + cap, iv.hi);
            layout
                .obstacles
                .extend(layout::vertical_whisker(x, lo, hi, xr - x));
        }
    }
    let plot = plot_box(&chart);
    let lines: Vec<i32> = c.target.map(|t| px(&chart, 0.0, t).1).into_iter().collect();
    if let Some(t) = c.target {
        target_line(&mut chart, t)?;
        layout
            .obstacles
            .push(layout::horizontal_line(lines[0], plot.x0, plot.x1));
    }
    if show_values {
        let style = font(VALUE_PX);
        for (xc, iv, fill) in &bars {
            let text = value_text(lang, iv.mean, c.percent, k >= 3);
            let (tw, th) = root.estimate_text_size(&text, &style)?;
            let (x, top) = px(&chart, *xc, iv.mean);
            let (_, base) = px(&chart, *xc, 0.0);
            let whisker = (iv.lo.is_finite() && iv.hi.is_finite())
                .then(|| (px(&chart, *xc, iv.lo).1, px(&chart, *xc, iv.hi).1));
            let size = (tw as i32, th as i32);
            let cands = layout::bar_candidates(x, (top, base), whisker, &lines, size);
            let Some(r) = layout.place(&cands, plot) else {
                continue;
            };
            // White text on a dark bar; black above the bar.
            let inside = r.y0 > top;
            let ink = if inside && super::luma(*fill) < 120.0 {
                WHITE
            } else {
                BLACK
            };
            root.draw(&Text::new(
                text,
                (r.x0, r.y0),
                style.color(&ink).pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
        }
    }
    category_labels(root, &chart, &c.categories)?;
    Ok(layout)
}

fn stacked<DB: DrawingBackend>(
    c: &StackedBars,
    root: &Area<DB>,
    lang: Lang,
) -> Result<(), Err<DB>> {
    let n = c.categories.len().max(1);
    let mut legend: Vec<(String, Symbol)> = c
        .parts
        .iter()
        .enumerate()
        .map(|(j, (name, _))| (name.clone(), Symbol::Bar(colour(j))))
        .collect();
    if any_ci(&[&c.totals]) {
        legend.push((lang.text("ci_whisker"), Symbol::Whisker));
    }
    let area = frame(root, &c.labels.title, &legend)?;
    let sums: Vec<f64> = (0..n)
        .map(|i| {
            c.parts
                .iter()
                .filter_map(|(_, v)| v.get(i).copied().filter(|x| x.is_finite()))
                .sum()
        })
        .collect();
    let top = sums
        .iter()
        .copied()
        .chain(c.totals.iter().map(Interval::top))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let mut chart = bar_axes(&area, n, top, c.percent, &c.labels, lang)?;
    // A single bar is narrower, so it does not look like a block.
    let half = if n == 1 { 0.2 } else { 0.28 };
    for i in 0..n {
        let (x0, x1) = (i as f64 + 0.5 - half, i as f64 + 0.5 + half);
        let mut base = 0.0;
        for (j, (_, v)) in c.parts.iter().enumerate() {
            let h = v.get(i).copied().filter(|x| x.is_finite()).unwrap_or(0.0);
            if h <= 0.0 {
                continue;
            }
            chart.draw_series([
                Rectangle::new([(x0, base), (x1, base + h)], colour(j).filled()),
                Rectangle::new([(x0, base), (x1, base + h)], BLACK.stroke_width(2)),
            ])?;
            if c.segment_values {
                let total = c.totals.get(i).copied();
                let seg = Segment {
                    x: (x0, x1),
                    y: (base, h),
                    fill: colour(j),
                    total,
                };
                segment_value(root, &chart, &seg, c.percent, lang)?;
            }
            base += h;
        }
        if let Some(t) = c.totals.get(i) {
            whisker(&mut chart, i as f64 + 0.5, 0.06, t)?;
            let text = if c.percent {
                lang.percent(t.mean, 1)
            } else {
                lang.number(t.mean, 1)
            };
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, t.top().max(base)));
            root.draw(&Text::new(
                text,
                (px, py - 10),
                font(VALUE_PX).pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))?;
        }
    }
    category_labels(root, &chart, &c.categories)
}

/// One segment of a stacked bar, in data coordinates.
struct Segment {
    /// Left and right.
    x: (f64, f64),
    /// Base and height.
    y: (f64, f64),
    fill: RGBColor,
    /// The bar's total, whose CI whisker runs up the bar's centre.
    total: Option<Interval>,
}

/// A stacked segment's value, centred in it when it fits; moved left of
/// the centre line where the total's whisker would cross it.
fn segment_value<DB: DrawingBackend>(
    root: &Area<DB>,
    chart: &Plot<'_, DB>,
    seg: &Segment,
    percent: bool,
    lang: Lang,
) -> Result<(), Err<DB>> {
    let ((x0, x1), (base, h), fill) = (seg.x, seg.y, seg.fill);
    let text = if percent {
        lang.percent(h, 0)
    } else {
        lang.number(h, 1)
    };
    let style = font(VALUE_PX);
    let (left, top) = chart.backend_coord(&(x0, base + h));
    let (right, bottom) = chart.backend_coord(&(x1, base));
    let (tw, _) = root.estimate_text_size(&text, &style)?;
    let centre = (left + right) / 2;
    if bottom - top < VALUE_PX + 10 || (right - left) < tw as i32 + 16 {
        return Ok(());
    }
    let ink = if super::luma(fill) < 120.0 {
        WHITE
    } else {
        BLACK
    };
    let cy = (top + bottom) / 2;
    let crosses = seg.total.is_some_and(|t| {
        if !(t.lo.is_finite() && t.hi.is_finite()) {
            return false;
        }
        let (_, lo) = chart.backend_coord(&(x0, t.lo));
        let (_, hi) = chart.backend_coord(&(x0, t.hi));
        hi <= cy + VALUE_PX && lo >= cy - VALUE_PX
    });
    let x = if crosses { (left + centre) / 2 } else { centre };
    root.draw(&Text::new(
        text,
        (x, cy),
        style.color(&ink).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

/// The shade of marked x ranges (a warm grey-orange, apart from the series).
const MARKED: RGBColor = RGBColor(230, 159, 0);

fn line<DB: DrawingBackend>(c: &LineChart, root: &Area<DB>, lang: Lang) -> Result<(), Err<DB>> {
    let mut legend: Vec<(String, Symbol)> = Vec::new();
    if c.series.len() > 1 {
        for (j, s) in c.series.iter().enumerate() {
            legend.push((s.name.clone(), Symbol::Line(colour(j), j)));
        }
    }
    // A series with one point that has a CI (a one-point sweep) has no
    // band to draw: its CI is a whisker, and the legend says which.
    let ci_points = |s: &super::Series| {
        c.x.iter()
            .zip(&s.values)
            .filter(|(x, v)| x.is_finite() && v.mean.is_finite())
            .filter(|(_, v)| v.lo.is_finite() && v.hi.is_finite())
            .count()
    };
    if c.series.iter().any(|s| ci_points(s) >= 2) {
        legend.push((lang.text("ci_whisker"), Symbol::Band(colour(0))));
    }
    if c.series.iter().any(|s| ci_points(s) == 1) {
        legend.push((lang.text("ci_whisker"), Symbol::Whisker));
    }
    if let Some(t) = c.target {
        legend.push((target_text(lang, t, c.percent), Symbol::Dashed));
    }
    if let Some((_, text)) = &c.marked {
        legend.push((text.clone(), Symbol::Band(MARKED)));
    }
    let area = frame(root, &c.labels.title, &legend)?;
    let finite = |v: &f64| v.is_finite();
    let (xmin, xmax) =
        c.x.iter()
            .copied()
            .filter(finite)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(x), b.max(x))
            });
    let (xmin, xmax) = if xmin < xmax {
        let pad = (xmax - xmin) * 0.03;
        (xmin - pad, xmax + pad)
    } else if xmin.is_finite() {
        (xmin - 1.0, xmin + 1.0)
    } else {
        (0.0, 1.0)
    };
    let values = c.series.iter().flat_map(|s| s.values.iter());
    let top = values
        .clone()
        .map(Interval::top)
        .chain(c.target)
        .filter(finite)
        .fold(f64::NEG_INFINITY, f64::max);
    let bottom = values
        .map(Interval::bottom)
        .chain(c.target)
        .filter(finite)
        .fold(f64::INFINITY, f64::min);
    // Shares keep a little room beyond 0 % and 100 %, so markers there do
    // not sit on the axis or its labels.
    let (ymin, ymax) = if c.from_zero || !bottom.is_finite() {
        if c.percent {
            (-0.02, top.max(1.0) + 0.02)
        } else {
            (0.0, nice_max(top))
        }
    } else {
        let pad = ((top - bottom) * 0.1).max(if c.percent { 0.01 } else { 0.1 });
        let lo = bottom - pad;
        let hi = top + pad;
        if c.percent {
            (lo.max(-0.02), hi.min(1.02))
        } else {
            (lo, hi)
        }
    };
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(X_AREA - 30)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(xmin..xmax, ymin..ymax)?;
    let integers = c.x.iter().all(|x| x.fract() == 0.0);
    mesh(
        &mut chart,
        &c.labels.x,
        &c.labels.y,
        lang,
        c.percent,
        Some(false),
        integers,
    )?;
    if let Some((ranges, _)) = &c.marked {
        chart.draw_series(ranges.iter().map(|&(a, b)| {
            Rectangle::new(
                [(a.max(xmin), ymin), (b.min(xmax), ymax)],
                MARKED.mix(0.25).filled(),
            )
        }))?;
    }
    for (j, s) in c.series.iter().enumerate() {
        let pts: Vec<(f64, Interval)> =
            c.x.iter()
                .copied()
                .zip(s.values.iter().copied())
                .filter(|(x, v)| x.is_finite() && v.mean.is_finite())
                .collect();
        let band: Vec<(f64, f64)> = pts
            .iter()
            .filter(|(_, v)| v.hi.is_finite())
            .map(|(x, v)| (*x, v.hi))
            .chain(
                pts.iter()
                    .rev()
                    .filter(|(_, v)| v.lo.is_finite())
                    .map(|(x, v)| (*x, v.lo)),
            )
            .collect();
        if band.len() >= 4 {
            chart.draw_series([Polygon::new(band, colour(j).mix(0.22).filled())])?;
        } else {
            for (x, v) in &pts {
                whisker(&mut chart, *x, (xmax - xmin) * 0.012, v)?;
            }
        }
        chart.draw_series(LineSeries::new(
            pts.iter().map(|(x, v)| (*x, v.mean)),
            colour(j).stroke_width(4),
        ))?;
        let size = if pts.len() > 30 { 6 } else { 10 };
        for (x, v) in &pts {
            let at = chart.backend_coord(&(*x, v.mean));
            marker(root, at, j, colour(j), size)?;
        }
    }
    if let Some(t) = c.target {
        target_line(&mut chart, t)?;
    }
    Ok(())
}

/// A sequential colour scale from light yellow (low) to dark purple (high),
/// so that order survives greyscale print (viridis' stops, reversed).
pub fn scale_colour(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] = [
        (253.0, 231.0, 37.0),
        (94.0, 201.0, 98.0),
        (33.0, 145.0, 140.0),
        (59.0, 82.0, 139.0),
        (68.0, 1.0, 84.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (STOPS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(STOPS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn heatmap<DB: DrawingBackend>(c: &Heatmap, root: &Area<DB>, lang: Lang) -> Result<(), Err<DB>> {
    let area = frame(root, &c.labels.title, &[])?;
    let (main, scale) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 230);
    let (ncol, nrow) = (c.columns.len().max(1), c.rows.len().max(1));
    let values = c.values.iter().flatten().copied().filter(|v| v.is_finite());
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    // Counts start the scale at 0; shares span the data, so that a few
    // points of compliance show as a difference in colour.
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (if c.percent { lo } else { lo.min(0.0) }, hi)
    } else if c.percent && lo.is_finite() {
        // Every cell the same share: a band around it, kept within 0–100 %
        // (cells all at 99 % drew a scale to 104 %).
        ((lo - 0.05).clamp(0.0, 0.95), (hi + 0.05).clamp(0.05, 1.0))
    } else {
        (0.0, hi.max(1.0))
    };
    let fmt = |v: f64| {
        if c.percent {
            lang.percent(v, share_decimals(hi - lo))
        } else {
            lang.number(v, if hi - lo >= 20.0 { 0 } else { 1 })
        }
    };
    // Room left of the cells for the widest row name and the axis title
    // beside it (a long name ran into the title).
    let mut widest = 0;
    for name in &c.rows {
        widest = widest.max(root.estimate_text_size(name, &font(TICK_PX))?.0);
    }
    let y_area = Y_AREA.max(widest + 12 + DESC_PX as u32 + 24);
    let mut chart = ChartBuilder::on(&main)
        .x_label_area_size(X_AREA - 20)
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.0..ncol as f64, 0.0..nrow as f64)?;
    // The y title runs along the cells' height: a long one (a swept key's
    // name) is drawn smaller, x title alike (they share one style).
    let (desc_px, y_desc) = fit_desc(
        root,
        &c.labels.y,
        chart.plotting_area().dim_in_pixel().1.saturating_sub(10),
    )?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc(c.labels.x.as_str())
        .y_desc(y_desc)
        .axis_desc_style(font(desc_px))
        .axis_style(BLACK.stroke_width(2))
        .draw()?;
    let cell_w = main.dim_in_pixel().0 as f64 / ncol as f64;
    let show_values = cell_w >= 62.0 && nrow <= 14;
    // A share in a cell as the tables beside the chart write it (one
    // decimal) when the widest fits the cell; a whole percent otherwise.
    let value_style = font(VALUE_PX - 4);
    let mut share_digits = 1;
    if c.percent {
        for &v in c.values.iter().flatten().filter(|v| v.is_finite()) {
            let w = root
                .estimate_text_size(&lang.percent(v, 1), &value_style)?
                .0;
            if f64::from(w) > cell_w - 8.0 {
                share_digits = 0;
                break;
            }
        }
    }
    let cell_text = |v: f64| {
        if c.percent {
            lang.percent(v, share_digits)
        } else {
            fmt(v)
        }
    };
    for (r, row) in c.values.iter().enumerate() {
        let y = (nrow - 1 - r) as f64;
        for (col, &v) in row.iter().enumerate() {
            let x = col as f64;
            let fill = if v.is_finite() {
                scale_colour((v - lo) / (hi - lo))
            } else {
                RGBColor(235, 235, 235)
            };
            chart.draw_series([
                Rectangle::new([(x, y), (x + 1.0, y + 1.0)], fill.filled()),
                Rectangle::new([(x, y), (x + 1.0, y + 1.0)], WHITE.stroke_width(2)),
            ])?;
            if show_values && v.is_finite() {
                let text_colour = if super::luma(fill) < 120.0 {
                    WHITE
                } else {
                    BLACK
                };
                let at = chart.backend_coord(&(x + 0.5, y + 0.5));
                root.draw(&Text::new(
                    cell_text(v),
                    at,
                    value_style
                        .color(&text_colour)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
    }
    // Column and row names.
    let style = font(TICK_PX);
    let step = ((TICK_PX as f64 * 2.2) / cell_w).ceil().max(1.0) as usize;
    for (col, name) in c.columns.iter().enumerate().step_by(step) {
        let (x, y) = chart.backend_coord(&(col as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            name.clone(),
            (x, y + 10),
            style.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    // Rows as columns: every n-th name where they would overlap (a sweep
    // over 40 values of a key wrote its names over each other).
    let cell_h = main.dim_in_pixel().1 as f64 / nrow as f64;
    let row_step = ((TICK_PX as f64 * 1.2) / cell_h).ceil().max(1.0) as usize;
    for (r, name) in c.rows.iter().enumerate().step_by(row_step) {
        let (x, y) = chart.backend_coord(&(0.0, (nrow - 1 - r) as f64 + 0.5));
        root.draw(&Text::new(
            name.clone(),
            (x - 12, y),
            style.pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    // The colour scale: a gradient with min, middle and max.
    let (sw, sh) = scale.dim_in_pixel();
    let (x0, y0, y1) = (30, 40, sh as i32 - X_AREA as i32 + 20);
    let steps = 100;
    for s in 0..steps {
        let t = s as f64 / steps as f64;
        let ya = y1 - ((y1 - y0) as f64 * (t + 1.0 / steps as f64)) as i32;
        let yb = y1 - ((y1 - y0) as f64 * t) as i32;
        scale.draw(&Rectangle::new(
            [(x0, ya), (x0 + 50, yb)],
            scale_colour(t).filled(),
        ))?;
    }
    scale.draw(&Rectangle::new(
        [(x0, y0), (x0 + 50, y1)],
        BLACK.stroke_width(2),
    ))?;
    for t in [0.0, 0.5, 1.0] {
        let y = y1 - ((y1 - y0) as f64 * t) as i32;
        scale.draw(&PathElement::new(
            vec![(x0 + 50, y), (x0 + 60, y)],
            BLACK.stroke_width(2),
        ))?;
        scale.draw(&Text::new(
            fmt(lo + (hi - lo) * t),
            (x0 + 66, y),
            font(TICK_PX - 2).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    let label = font(DESC_PX - 4)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    scale.draw(&Text::new(
        c.scale.clone(),
        (sw as i32 - 40, (y0 + y1) / 2),
        label,
    ))?;
    Ok(())
}

fn scatter<DB: DrawingBackend>(c: &Scatter, root: &Area<DB>, lang: Lang) -> Result<(), Err<DB>> {
    let is_definition = |i: usize| c.definition_only.get(i).copied().unwrap_or(false);
    let mut legend = vec![(c.front.clone(), Symbol::Plain(colour(1)))];
    if (0..c.points.len()).any(is_definition) {
        legend.push((c.definition_name.clone(), Symbol::Bar(DEFINITION)));
    }
    let ci = c
        .points
        .iter()
        .any(|(_, x, y)| x.lo.is_finite() || y.lo.is_finite());
    if ci {
        legend.push((lang.text("ci_whisker"), Symbol::Whisker));
    }
    if let Some(t) = c.target {
        legend.push((
            format!("{} {}", c.target_name, lang.percent(t, 0)),
            Symbol::Dashed,
        ));
    }
    let area = frame(root, &c.labels.title, &legend)?;
    let range = |vals: Vec<f64>| {
        let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        let pad = ((hi - lo) * 0.2).max(hi.abs() * 0.02).max(1e-3);
        (lo - pad, hi + pad)
    };
    let xs: Vec<f64> = c
        .points
        .iter()
        .flat_map(|(_, x, _)| [x.bottom(), x.top()])
        .filter(|v| v.is_finite())
        .collect();
    let ys: Vec<f64> = c
        .points
        .iter()
        .flat_map(|(_, _, y)| [y.bottom(), y.top()])
        .chain(c.target)
        .filter(|v| v.is_finite())
        .collect();
    let (xmin, xmax) = range(xs);
    let (ymin, mut ymax) = range(ys);
    if c.y_percent {
        ymax = ymax.min(1.0);
    }
    // Each point's name goes in a column right of the plot, led by a line
    // to its point: names of points close together never drift onto
    // other points, whiskers or the axis (they did on the methods chart).
    let style = font(VALUE_PX);
    let names: Vec<Option<String>> = c
        .points
        .iter()
        .enumerate()
        .map(|(i, (name, x, y))| {
            (x.mean.is_finite() && y.mean.is_finite()).then(|| {
                if is_definition(i) {
                    format!(
                        "{name} ({})",
                        lang.pick("definition only", "bara definition")
                    )
                } else {
                    name.clone()
                }
            })
        })
        .collect();
    let mut name_w = 0;
    let mut line_h = 0;
    for n in names.iter().flatten() {
        let (tw, th) = root.estimate_text_size(n, &style)?;
        name_w = name_w.max(tw as i32);
        line_h = line_h.max(th as i32 + 6);
    }
    const LEADER: i32 = 40;
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(X_AREA - 30)
        .y_label_area_size(Y_AREA)
        .margin_right(name_w + LEADER + 20)
        .build_cartesian_2d(xmin..xmax, ymin.max(0.0)..ymax)?;
    mesh(
        &mut chart,
        &c.labels.x,
        &c.labels.y,
        lang,
        c.y_percent,
        Some(false),
        false,
    )?;
    if let Some(t) = c.target {
        target_line(&mut chart, t)?;
    }
    // Definition-only variants are not ways of working: off the front.
    let pts: Vec<(f64, f64)> = c
        .points
        .iter()
        .enumerate()
        .map(|(i, (_, x, y))| {
            if is_definition(i) {
                (f64::NAN, f64::NAN)
            } else {
                (x.mean, y.mean)
            }
        })
        .collect();
    // The front is of lowest x: with higher x better, of lowest −x.
    let front = if c.x_higher_better {
        let flipped: Vec<(f64, f64)> = pts.iter().map(|&(x, y)| (-x, y)).collect();
        pareto_front(&flipped)
    } else {
        pareto_front(&pts)
    };
    chart.draw_series(LineSeries::new(
        front.iter().map(|&i| pts[i]),
        colour(1).stroke_width(5),
    ))?;
    let (xw, yw) = ((xmax - xmin) * 0.008, (ymax - ymin) * 0.012);
    for (_, x, y) in &c.points {
        if !(x.mean.is_finite() && y.mean.is_finite()) {
            continue;
        }
        whisker(&mut chart, x.mean, xw, y)?;
        if x.lo.is_finite() && x.hi.is_finite() {
            let s = WHISKER.stroke_width(3);
            chart.draw_series([
                PathElement::new(vec![(x.lo, y.mean), (x.hi, y.mean)], s),
                PathElement::new(vec![(x.lo, y.mean - yw), (x.lo, y.mean + yw)], s),
                PathElement::new(vec![(x.hi, y.mean - yw), (x.hi, y.mean + yw)], s),
            ])?;
        }
    }
    let plot = root;
    // Definition-only squares first (a little larger), so a point of the
    // same care drawn on top still shows as filled or hollow.
    let mut order: Vec<usize> = (0..c.points.len()).collect();
    order.sort_by_key(|&i| !is_definition(i));
    for i in order {
        let (_, x, y) = &c.points[i];
        if !(x.mean.is_finite() && y.mean.is_finite()) {
            continue;
        }
        let at = chart.backend_coord(&(x.mean, y.mean));
        // Front points filled, dominated ones hollow, definition-only
        // variants grey squares.
        if is_definition(i) {
            let r = 16;
            plot.draw(&Rectangle::new(
                [(at.0 - r, at.1 - r), (at.0 + r, at.1 + r)],
                DEFINITION.filled(),
            ))?;
            plot.draw(&Rectangle::new(
                [(at.0 - r, at.1 - r), (at.0 + r, at.1 + r)],
                BLACK.stroke_width(2),
            ))?;
        } else if front.contains(&i) {
            plot.draw(&Circle::new(at, 13, colour(0).filled()))?;
        } else {
            plot.draw(&Circle::new(at, 13, WHITE.filled()))?;
            plot.draw(&Circle::new(at, 13, colour(0).stroke_width(4)))?;
        }
    }
    // The names' column: each at its point's height if it can be, never
    // nearer another than a line, within the plot's height.
    let (right, bottom) = chart.backend_coord(&(xmax, ymin.max(0.0)));
    let (_, top) = chart.backend_coord(&(xmin, ymax));
    let labelled: Vec<(usize, (i32, i32))> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.is_some())
        .map(|(i, _)| {
            (
                i,
                chart.backend_coord(&(c.points[i].1.mean, c.points[i].2.mean)),
            )
        })
        .collect();
    let wanted: Vec<i32> = labelled.iter().map(|&(_, at)| at.1).collect();
    let ys = super::layout::spread_column(&wanted, line_h, top + line_h / 2, bottom - line_h / 2);
    let text_x = right + LEADER;
    let leader = RGBColor(140, 140, 140).stroke_width(2);
    for (&(i, at), &y) in labelled.iter().zip(&ys) {
        plot.draw(&PathElement::new(
            vec![(at.0 + 16, at.1), (right + 8, y), (text_x - 6, y)],
            leader,
        ))?;
        if let Some(name) = &names[i] {
            plot.draw(&Text::new(
                name.clone(),
                (text_x, y),
                style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
    }
    Ok(())
}

/// A row chart's value text: a percentage, or signed percentage points.
fn row_value(lang: Lang, v: f64, scale: RowScale) -> String {
    match scale {
        RowScale::Percent => lang.percent(v, 1),
        RowScale::PercentPoints => {
            let t = lang.number(v * 100.0, 1);
            let sign = if v * 100.0 >= 0.05 { "+" } else { "" };
            format!("{sign}{t} {}", lang.text("pp_short"))
        }
    }
}

/// Horizontal rows: bars from 0 (percent) or points with a line at 0
/// (percentage points), CI whiskers, a target line, values beside each
/// whisker where nothing else is (layout.rs), flagged rows in the flag
/// colour with ▼ before their name.
fn rows<DB: DrawingBackend>(
    c: &RowChart,
    root: &Area<DB>,
    lang: Lang,
) -> Result<LabelLayout, Err<DB>> {
    let k = c.series.len().max(1);
    let n = c.rows.len().max(1);
    let points = c.scale == RowScale::PercentPoints;
    let flag_colour = colour(2);
    let any_flag = c.flagged.iter().any(|f| *f);
    let mut legend: Vec<(String, Symbol)> = Vec::new();
    if c.series.len() > 1 {
        for (j, s) in c.series.iter().enumerate() {
            legend.push((
                s.name.clone(),
                if points {
                    Symbol::Line(colour(j), j)
                } else {
                    Symbol::Bar(colour(j))
                },
            ));
        }
    }
    if any_flag {
        legend.push((format!("▼ {}", c.flag_name), Symbol::Bar(flag_colour)));
    }
    let all: Vec<&[Interval]> = c.series.iter().map(|s| s.values.as_slice()).collect();
    if any_ci(&all) {
        legend.push((lang.text("ci_whisker"), Symbol::Whisker));
    }
    if let Some(t) = c.target {
        legend.push((target_text(lang, t, true), Symbol::Dashed));
    }
    let area = frame(root, &c.labels.title, &legend)?;
    // Row height decides the text size, so 27 health centres still fit.
    let plot_h = area.dim_in_pixel().1 as i32 - X_AREA as i32;
    let row_px = plot_h / n as i32;
    let name_px = TICK_PX.min(row_px * 8 / 10).max(14);
    // A value's text fits its share of the row, so neighbours never touch.
    let value_px = (row_px / k as i32 * 3 / 4).clamp(12, VALUE_PX);
    let name_style = font(name_px);
    let mut name_w = 0;
    let names: Vec<String> = c
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if c.flagged.get(i).copied().unwrap_or(false) {
                format!("▼ {r}")
            } else {
                r.clone()
            }
        })
        .collect();
    let mut names = names;
    for name in &mut names {
        let mut w = root.estimate_text_size(name, &name_style)?.0 as i32;
        // A name wider than the names' column is shortened with an
        // ellipsis (it ran off the image's left edge); tables have it whole.
        let mut kept: Vec<char> = name.chars().collect();
        while w > NAME_MAX_PX && kept.len() > 1 {
            kept.pop();
            let shorter = format!("{}…", kept.iter().collect::<String>().trim_end());
            w = root.estimate_text_size(&shorter, &name_style)?.0 as i32;
            *name = shorter;
        }
        name_w = name_w.max(w);
    }
    let values = c.series.iter().flat_map(|s| s.values.iter());
    let finite = |v: &f64| v.is_finite();
    let hi = values
        .clone()
        .map(Interval::top)
        .chain(c.target)
        .filter(finite)
        .fold(if points { 0.0 } else { f64::NEG_INFINITY }, f64::max);
    let lo = values
        .map(Interval::bottom)
        .chain(c.target)
        .filter(finite)
        .fold(0.0, f64::min);
    let hi = if hi.is_finite() { hi } else { 1.0 };
    let span = (hi - lo).max(if points { 0.01 } else { 0.1 });
    // Room on the right for the value beside the highest whisker.
    let (xmin, xmax) = if points {
        (lo - span * 0.06, hi + span * 0.22)
    } else {
        (0.0, (hi + span * 0.18).min(1.25).max(hi * 1.05))
    };
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(X_AREA - 30)
        .y_label_area_size((name_w + 30).clamp(120, NAME_MAX_PX + 30) as u32)
        .build_cartesian_2d(xmin..xmax, 0.0..n as f64)?;
    let x_span = xmax - xmin;
    let x_fmt = move |v: &f64| {
        if !points && !(-1e-9..=1.0 + 1e-9).contains(v) {
            return String::new();
        }
        let d = share_decimals(x_span);
        if points {
            let sign = if *v > 1e-12 { "+" } else { "" };
            format!("{sign}{}", lang.number(v * 100.0, d))
        } else {
            lang.percent(*v, d)
        }
    };
    chart
        .configure_mesh()
        .x_desc(c.labels.x.as_str())
        .axis_desc_style(font(DESC_PX))
        .label_style(font(TICK_PX))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(BLACK.stroke_width(2))
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(10)
        .x_label_formatter(&x_fmt)
        .draw()?;
    let px = |chart: &Plot<'_, DB>, x: f64, y: f64| chart.backend_coord(&(x, y));
    let band = 0.8 / k as f64;
    // The first series at the top of its row, as in the legend.
    let yc = |i: usize, j: usize| (n - 1 - i) as f64 + 0.9 - band * (j as f64 + 0.5);
    // Row names, right-aligned left of the axis.
    for (i, name) in names.iter().enumerate() {
        let (x, y) = px(&chart, xmin, (n - 1 - i) as f64 + 0.5);
        root.draw(&Text::new(
            name.clone(),
            (x - 12, y),
            name_style.pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    let mut layout = LabelLayout::default();
    let plot = plot_box(&chart);
    let mut lines: Vec<i32> = Vec::new();
    if points || xmin < 0.0 {
        let zero = px(&chart, 0.0, 0.0).0;
        chart.draw_series([PathElement::new(
            vec![(0.0, 0.0), (0.0, n as f64)],
            BLACK.stroke_width(3),
        )])?;
        lines.push(zero);
        layout
            .obstacles
            .push(layout::vertical_line(zero, plot.y0, plot.y1));
    }
    let mut marks: Vec<(f64, Interval, RGBColor, usize)> = Vec::new();
    for (j, s) in c.series.iter().enumerate() {
        for (i, iv) in s.values.iter().enumerate() {
            if !iv.mean.is_finite() {
                continue;
            }
            let fill = if k == 1 && c.flagged.get(i).copied().unwrap_or(false) {
                flag_colour
            } else {
                colour(j)
            };
            let y = yc(i, j);
            if !points {
                let h = band * 0.42;
                chart.draw_series([
                    Rectangle::new([(0.0, y - h), (iv.mean, y + h)], fill.filled()),
                    Rectangle::new([(0.0, y - h), (iv.mean, y + h)], BLACK.stroke_width(2)),
                ])?;
            }
            marks.push((y, *iv, fill, j));
        }
    }
    let cap_px = ((row_px as f64 * band * 0.25) as i32).clamp(3, 12);
    for (y, iv, _, _) in &marks {
        if !(iv.lo.is_finite() && iv.hi.is_finite()) {
            continue;
        }
        let (lo, yy) = px(&chart, iv.lo, *y);
        let (hi, _) = px(&chart, iv.hi, *y);
        for style in [WHITE.stroke_width(8), WHISKER.stroke_width(3)] {
            root.draw(&PathElement::new(vec![(lo, yy), (hi, yy)], style))?;
            for x in [lo, hi] {
                root.draw(&PathElement::new(
                    vec![(x, yy - cap_px), (x, yy + cap_px)],
                    style,
                ))?;
            }
        }
        layout
            .obstacles
            .extend(layout::horizontal_whisker(yy, lo, hi, cap_px));
    }
    if points {
        let size = (row_px as f64 * band * 0.3).clamp(5.0, 11.0) as i32;
        for (y, iv, fill, j) in &marks {
            marker(root, px(&chart, iv.mean, *y), *j, *fill, size)?;
        }
    }
    if let Some(t) = c.target {
        let (x, _) = px(&chart, t, 0.0);
        chart.draw_series(DashedLineSeries::new(
            [(t, 0.0), (t, n as f64)],
            18,
            10,
            BLACK.stroke_width(4),
        ))?;
        lines.push(x);
        layout
            .obstacles
            .push(layout::vertical_line(x, plot.y0, plot.y1));
    }
    lines.sort_unstable();
    let style = font(value_px);
    for (y, iv, _, _) in &marks {
        let text = row_value(lang, iv.mean, c.scale);
        let (tw, th) = root.estimate_text_size(&text, &style)?;
        let (start, end) = if iv.lo.is_finite() && iv.hi.is_finite() {
            (iv.lo.min(iv.mean), iv.hi.max(iv.mean))
        } else {
            (iv.mean, iv.mean)
        };
        let (xs, yy) = px(&chart, start, *y);
        let (xe, _) = px(&chart, end, *y);
        // A bar's value stays at its end; a point's may go to its left.
        let cands = layout::row_candidates(yy, (xs, xe), &lines, (tw as i32, th as i32), points);
        if let Some(r) = layout.place(&cands, plot) {
            root.draw(&Text::new(
                text,
                (r.x0, r.y0),
                style.pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
        }
    }
    Ok(layout)
}

#[cfg(test)]
mod tests {
    use super::super::{Chart, Heatmap, Labels};
    use super::*;

    /// The `<text>` element whose text is `text`: its attribute `name`.
    fn attr(svg: &str, text: &str, name: &str) -> f64 {
        let end = svg
            .find(&format!(">\n{text}\n</text>"))
            .unwrap_or_else(|| panic!("no text {text:?}"));
        let start = svg[..end].rfind("<text ").unwrap();
        svg[start..end]
            .split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|v| v.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} on {text:?}"))
    }

    /// An audit's finding: a heatmap whose cells all held the same share
    /// drew its colour scale five points either side, to 104 % when the
    /// share was 99 %. Shares stay within 0–100 % (and the band keeps a
    /// width at either end).
    #[test]
    fn a_heatmap_of_equal_shares_keeps_its_scale_within_0_and_100_percent() {
        super::super::register_font().unwrap();
        for share in [0.0, 0.99, 1.0] {
            let chart = Chart::Heatmap(Heatmap {
                labels: Labels {
                    title: "Andel".into(),
                    x: "Timme".into(),
                    y: "Punkt".into(),
                },
                columns: (8..12).map(|h| format!("{h:02}")).collect(),
                values: vec![vec![share; 4]; 2],
                rows: vec!["a".into(), "b".into()],
                scale: "Andel".into(),
                percent: true,
            });
            let svg = chart.svg(Lang::En).unwrap();
            let shares: Vec<f64> = svg
                .split("</text>")
                .filter_map(|t| t.rsplit('>').next())
                .map(str::trim)
                .filter_map(|t| t.strip_suffix('%'))
                .filter_map(|t| t.trim().parse().ok())
                .collect();
            assert!(shares.len() >= 3, "{share}: {shares:?}");
            assert!(
                shares.iter().all(|v| (0.0..=100.0).contains(v)),
                "{share}: {shares:?}"
            );
        }
    }

    /// An audit's finding (`sweep --grid units.vc.booking.patient_chosen_share=…
    /// --grid units.vc.staff.doctor.count=… --lang sv --report`): the line
    /// chart's title, the rule and the long swept key's name, ran off both
    /// edges of the image, and the x ticks 0.005 apart were written with
    /// two decimals (`0,05 0,05 0,06 0,07 0,07 …`). Titles keep within the
    /// image (smaller, or on two lines), and no two ticks read the same.
    #[test]
    fn a_long_title_and_close_ticks_stay_readable() {
        super::super::register_font().unwrap();
        let long = "Medicinsk bedömning inom 3 dagar – Andel som själva väljer en senare dag \
                    (patientvald väntan), vc";
        let longer = format!("{long} – {long}");
        for title in [long, longer.as_str()] {
            let chart = Chart::Line(LineChart {
                labels: Labels {
                    title: title.into(),
                    x: "Andel".into(),
                    y: "Måluppfyllelse (%)".into(),
                },
                x: vec![0.05, 0.1],
                series: vec![super::super::Series {
                    name: "a".into(),
                    values: vec![Interval::point(0.6), Interval::point(0.65)],
                }],
                percent: true,
                target: None,
                from_zero: false,
                marked: None,
            });
            let svg = chart.svg(Lang::Sv).unwrap();
            let texts: Vec<&str> = svg
                .split("</text>")
                .filter_map(|t| t.rsplit('>').next())
                .map(str::trim)
                .collect();
            // The title's lines: the texts that are words of the title.
            let lines: Vec<&str> = texts
                .iter()
                .copied()
                .filter(|t| t.len() > 15 && title.contains(t))
                .collect();
            assert_eq!(lines.join(" "), title, "{texts:?}");
            for line in &lines {
                // plotters writes an SVG font size as the size ÷ 1.24.
                let px = (attr(&svg, line, "font-size") * 1.24).round();
                let (w, _) = font(px as i32).font.box_size(line).unwrap();
                assert!(
                    px >= f64::from(TITLE_MIN_PX) && w as i32 <= TITLE_ROOM,
                    "{line:?}: {w} px wide at {px} px"
                );
            }
            let ticks: Vec<&str> = texts
                .iter()
                .copied()
                .filter(|t| t.starts_with("0,") && !t.ends_with('%'))
                .collect();
            assert!(ticks.len() >= 3, "{ticks:?}");
            let mut distinct = ticks.clone();
            distinct.dedup();
            assert_eq!(distinct, ticks, "ticks that read the same");
        }
        assert_eq!(tick(Lang::Sv, 0.055, false, 0.053, 0.005), "0,055");
        assert_eq!(tick(Lang::En, 0.5, false, 1.0, 0.1), "0.50");
        assert_eq!(
            tick(Lang::En, 0.4, true, 0.06, 0.01),
            "40 %".replace(' ', "\u{a0}")
        );
    }

    /// The same audit: a heatmap's y axis title, the second swept key's
    /// long name, turned along the cells ran off the top of the image. It
    /// is drawn smaller so that it fits between the image's top and bottom.
    #[test]
    fn a_heatmaps_long_axis_title_stays_inside_the_image() {
        super::super::register_font().unwrap();
        let y = "Andel som själva väljer en senare dag (patientvald väntan), vc";
        let chart = Chart::Heatmap(Heatmap {
            labels: Labels {
                title: "Medicinsk bedömning inom 3 dagar".into(),
                x: "Läkare (antal), vc".into(),
                y: y.into(),
            },
            columns: vec!["4".into(), "5".into()],
            values: vec![vec![0.6, 0.67], vec![0.58, 0.65]],
            rows: vec!["0,05".into(), "0,1".into()],
            scale: "Måluppfyllelse (%)".into(),
            percent: true,
        });
        let svg = chart.svg(Lang::Sv).unwrap();
        let px = (attr(&svg, y, "font-size") * 1.24).round();
        assert!(px < f64::from(DESC_PX), "{px}");
        let (w, _) = font(px as i32).font.box_size(y).unwrap();
        let centre = attr(&svg, y, "y");
        assert!(
            centre - f64::from(w) / 2.0 >= 0.0
                && centre + f64::from(w) / 2.0 <= f64::from(super::super::HEIGHT),
            "{w} px long about y = {centre}"
        );
    }

    /// An audit's finding: a heatmap's long row name ran into the y axis
    /// title beside it. Each row name (right-aligned at its `x`, as wide as
    /// the font makes it) ends right of the rotated title's band (its `x`
    /// plus one font size) with a gap, short names and long alike.
    #[test]
    fn a_heatmaps_row_names_keep_clear_of_the_axis_title() {
        super::super::register_font().unwrap();
        let short = "mån".to_string();
        let long = "Vårdcentral Norra Hälsingland, Bollnäs".to_string();
        for rows in [vec![short.clone()], vec![short.clone(), long.clone()]] {
            let chart = Chart::Heatmap(Heatmap {
                labels: Labels {
                    title: "Kontakter per timme".into(),
                    x: "Timme".into(),
                    y: "Vårdcentral".into(),
                },
                columns: (8..17).map(|h| format!("{h:02}")).collect(),
                values: rows.iter().map(|_| vec![0.5; 9]).collect(),
                rows: rows.clone(),
                scale: "Andel".into(),
                percent: true,
            });
            let svg = chart.svg(Lang::Sv).unwrap();
            let title_right =
                attr(&svg, "Vårdcentral", "x") + attr(&svg, "Vårdcentral", "font-size");
            assert!(
                svg.contains(&format!(
                    "transform=\"rotate(270, {}",
                    attr(&svg, "Vårdcentral", "x")
                )),
                "the title is turned"
            );
            for name in &rows {
                let (width, _) = font(TICK_PX).font.box_size(name).unwrap();
                let left = attr(&svg, name, "x") - f64::from(width);
                assert!(
                    left >= title_right + 8.0,
                    "{name:?} starts at x = {left}, the axis title ends at {title_right}"
                );
            }
        }
    }
}
