//! Where value labels go, by rule, so that a label never covers a CI
//! whisker, a target or zero line, or another label (issue 15: whisker,
//! value label and target line knotted together at 89 %).
//!
//! Pure pixel geometry: the drawing code measures the bars, whiskers and
//! lines, asks [`LabelLayout::place`] for each label's box, and draws the text there
//! (or no label, when no candidate is free). The chosen layout is kept as
//! a [`LabelLayout`] so a test can check it on a real chart
//! (`Chart::label_layout`).

/// A rectangle in pixels: `x0 ≤ x1` left to right, `y0 ≤ y1` top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    /// Left.
    pub x0: i32,
    /// Top.
    pub y0: i32,
    /// Right.
    pub x1: i32,
    /// Bottom.
    pub y1: i32,
}

impl Rect {
    /// A box of size `(w, h)` with its top-left corner at `(x, y)`.
    pub fn at(x: i32, y: i32, (w, h): (i32, i32)) -> Self {
        Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        }
    }

    /// True when the two boxes share any pixel (touching edges do not).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// The box grown by `m` pixels on every side.
    pub fn grown(&self, m: i32) -> Rect {
        Rect {
            x0: self.x0 - m,
            y0: self.y0 - m,
            x1: self.x1 + m,
            y1: self.y1 + m,
        }
    }
}

/// Half the drawn width of a whisker (its white halo is 8 px wide).
pub const WHISKER_HALF: i32 = 4;
/// Half the drawn width of a target or zero line (4 px stroke).
pub const LINE_HALF: i32 = 2;
/// Room kept between a label and anything it must not touch.
pub const GAP: i32 = 6;

/// The boxes a vertical CI whisker covers: the stem from `lo` to `hi`
/// (pixel y; `lo` is below, so `lo ≥ hi`) at `x`, and its two caps of
/// half-width `cap`.
pub fn vertical_whisker(x: i32, lo: i32, hi: i32, cap: i32) -> [Rect; 3] {
    let (top, bottom) = (lo.min(hi), lo.max(hi));
    [
        Rect {
            x0: x - WHISKER_HALF,
            y0: top - WHISKER_HALF,
            x1: x + WHISKER_HALF,
            y1: bottom + WHISKER_HALF,
        },
        Rect {
            x0: x - cap - WHISKER_HALF,
            y0: top - WHISKER_HALF,
            x1: x + cap + WHISKER_HALF,
            y1: top + WHISKER_HALF,
        },
        Rect {
            x0: x - cap - WHISKER_HALF,
            y0: bottom - WHISKER_HALF,
            x1: x + cap + WHISKER_HALF,
            y1: bottom + WHISKER_HALF,
        },
    ]
}

/// The boxes a horizontal CI whisker covers (`lo ≤ hi` in pixel x, at `y`).
pub fn horizontal_whisker(y: i32, lo: i32, hi: i32, cap: i32) -> [Rect; 3] {
    let (left, right) = (lo.min(hi), lo.max(hi));
    [
        Rect {
            x0: left - WHISKER_HALF,
            y0: y - WHISKER_HALF,
            x1: right + WHISKER_HALF,
            y1: y + WHISKER_HALF,
        },
        Rect {
            x0: left - WHISKER_HALF,
            y0: y - cap - WHISKER_HALF,
            x1: left + WHISKER_HALF,
            y1: y + cap + WHISKER_HALF,
        },
        Rect {
            x0: right - WHISKER_HALF,
            y0: y - cap - WHISKER_HALF,
            x1: right + WHISKER_HALF,
            y1: y + cap + WHISKER_HALF,
        },
    ]
}

/// A horizontal line at pixel `y` from `x0` to `x1` (a target line).
pub fn horizontal_line(y: i32, x0: i32, x1: i32) -> Rect {
    Rect {
        x0,
        y0: y - LINE_HALF,
        x1,
        y1: y + LINE_HALF,
    }
}

/// A vertical line at pixel `x` from `y0` to `y1` (a target or zero line).
pub fn vertical_line(x: i32, y0: i32, y1: i32) -> Rect {
    Rect {
        x0: x - LINE_HALF,
        y0,
        x1: x + LINE_HALF,
        y1,
    }
}

/// What labels must not cover, and the labels placed so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelLayout {
    /// Whiskers, target and zero lines.
    pub obstacles: Vec<Rect>,
    /// The labels drawn.
    pub labels: Vec<Rect>,
    /// How many labels found no free place (and were left out).
    pub left_out: usize,
}

impl LabelLayout {
    /// The first candidate box that stays inside `within` and covers no
    /// obstacle (with [`GAP`] to spare) or earlier label; it is recorded
    /// as placed. `None` (and counted as left out) when every candidate
    /// collides: a missing label is better than an unreadable one.
    pub fn place(&mut self, candidates: &[Rect], within: Rect) -> Option<Rect> {
        let free = |r: &Rect| {
            r.x0 >= within.x0
                && r.x1 <= within.x1
                && r.y0 >= within.y0
                && r.y1 <= within.y1
                && !self.obstacles.iter().any(|o| o.grown(GAP).overlaps(r))
                // Labels of neighbouring rows may sit closer than to ink.
                && !self.labels.iter().any(|o| o.grown(1).overlaps(r))
        };
        let found = candidates.iter().copied().find(free);
        match found {
            Some(r) => self.labels.push(r),
            None => self.left_out += 1,
        }
        found
    }

    /// True when no label covers an obstacle or another label.
    pub fn is_clear(&self) -> bool {
        self.labels.iter().enumerate().all(|(i, l)| {
            !self.obstacles.iter().any(|o| o.overlaps(l))
                && !self.labels[i + 1..].iter().any(|m| m.overlaps(l))
        })
    }
}

/// Candidate boxes (size `size`) for the value label of a vertical bar
/// centred at `x` whose top is at `top` and base at `base` (pixel y),
/// with a whisker from `lo` to `hi` (pixel y, when it has a CI), in order
/// of preference: inside the bar just below the whisker; inside, just
/// below each line that crosses the bar (`lines`: pixel y); above the
/// whisker; above each line over the bar.
pub fn bar_candidates(
    x: i32,
    (top, base): (i32, i32),
    whisker: Option<(i32, i32)>,
    lines: &[i32],
    size: (i32, i32),
) -> Vec<Rect> {
    let (w, h) = size;
    let left = x - w / 2;
    let (below, above) = match whisker {
        Some((lo, hi)) => (lo.max(top) + WHISKER_HALF, hi.min(top) - WHISKER_HALF),
        None => (top, top),
    };
    let mut out = vec![Rect::at(left, below + GAP + 2, size)];
    for &y in lines.iter().filter(|&&y| y > top && y < base) {
        out.push(Rect::at(left, y + LINE_HALF + GAP + 2, size));
    }
    // Inside the bar means above its base.
    out.retain(|r| r.y1 <= base - 2);
    out.push(Rect::at(left, above - GAP - 2 - h, size));
    for &y in lines.iter().filter(|&&y| y < above) {
        out.push(Rect::at(left, y - LINE_HALF - GAP - 2 - h, size));
    }
    out
}

/// Candidate boxes for the value label of a horizontal bar or point at
/// row centre `y` whose whisker (or mean, without one) spans `start` to
/// `end` (pixel x), in order of preference: right of it; left of it (a
/// point only: `left_ok`); right of each vertical line (`lines`: pixel x)
/// to its right; left of each line to its left.
pub fn row_candidates(
    y: i32,
    (start, end): (i32, i32),
    lines: &[i32],
    size: (i32, i32),
    left_ok: bool,
) -> Vec<Rect> {
    let (w, h) = size;
    let top = y - h / 2;
    let right = |x: i32| Rect::at(x + WHISKER_HALF + GAP + 2, top, size);
    let left = |x: i32| Rect::at(x - WHISKER_HALF - GAP - 2 - w, top, size);
    let mut out = vec![right(end)];
    if left_ok {
        out.push(left(start));
    }
    for &x in lines.iter().filter(|&&x| x >= end) {
        out.push(right(x));
    }
    if left_ok {
        for &x in lines.iter().rev().filter(|&&x| x <= start) {
            out.push(left(x));
        }
    }
    out
}

/// Centres for labels stacked in one column, each as near its wish
/// (`wanted[i]`, a point's height) as it can be without coming closer than
/// `gap` to another, all within `top..=bottom`, in the wishes' order: a
/// scatter's names beside the plot, each led by a line to its point, so
/// that points drawn close together never push a name far from them or
/// onto another point (issue 15's audit: the methods chart's names had
/// drifted down onto the axis). Labels that cannot all fit are spread
/// evenly over the column.
pub fn spread_column(wanted: &[i32], gap: i32, top: i32, bottom: i32) -> Vec<i32> {
    let n = wanted.len();
    if n == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (wanted[i], i));
    let room = bottom - top;
    if (n as i32 - 1) * gap > room {
        let step = if n > 1 { room / (n as i32 - 1) } else { 0 };
        let mut out = vec![0; n];
        for (k, &i) in order.iter().enumerate() {
            out[i] = top + k as i32 * step;
        }
        return out;
    }
    // Down from the top, each at its wish or just below the one above ...
    let mut ys: Vec<i32> = Vec::with_capacity(n);
    for (k, &i) in order.iter().enumerate() {
        let floor = if k == 0 { top } else { ys[k - 1] + gap };
        ys.push(wanted[i].clamp(top, bottom).max(floor));
    }
    // ... then up from the bottom, so that none is pushed past it.
    for k in (0..n).rev() {
        let ceiling = if k + 1 == n { bottom } else { ys[k + 1] - gap };
        ys[k] = ys[k].min(ceiling);
    }
    let mut out = vec![0; n];
    for (k, &i) in order.iter().enumerate() {
        out[i] = ys[k];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_of_labels_keeps_their_order_and_gaps_and_stays_near_its_points() {
        // Four points close together near the bottom, one far above.
        let wanted = [500, 505, 100, 498, 510];
        let ys = spread_column(&wanted, 30, 50, 560);
        let mut sorted: Vec<(i32, i32)> = wanted.iter().copied().zip(ys.iter().copied()).collect();
        sorted.sort();
        for w in sorted.windows(2) {
            assert!(w[1].1 - w[0].1 >= 30, "{ys:?}");
        }
        assert!(ys.iter().all(|&y| (50..=560).contains(&y)), "{ys:?}");
        assert_eq!(ys[2], 100, "a lone label stays at its point");
        // The cluster of four spans 90 pixels, centred near its points,
        // none pushed past the bottom.
        let cluster = [ys[0], ys[1], ys[3], ys[4]];
        assert_eq!(
            cluster.iter().max().unwrap() - cluster.iter().min().unwrap(),
            90
        );
        assert!(cluster.iter().all(|y| (450..=560).contains(y)), "{ys:?}");
        // Too many for the column: spread evenly, in order.
        let crowded = spread_column(&[10, 20, 30], 100, 0, 100);
        assert_eq!(crowded, [0, 50, 100]);
        assert!(spread_column(&[], 10, 0, 100).is_empty());
    }

    #[test]
    fn a_label_that_would_cover_the_target_moves_below_it() {
        // A bar at 89 % with its CI 88–90 % and the target line at 88.5 %:
        // the spot under the whisker is taken by the line.
        let (top, base, lo, hi, target) = (200, 800, 210, 190, 214);
        let mut layout = LabelLayout {
            obstacles: vertical_whisker(500, lo, hi, 10)
                .into_iter()
                .chain([horizontal_line(target, 0, 1000)])
                .collect(),
            ..Default::default()
        };
        let cands = bar_candidates(500, (top, base), Some((lo, hi)), &[target], (80, 30));
        let r = layout
            .place(&cands, Rect::at(0, 0, (1000, 1000)))
            .expect("a place");
        assert!(r.y0 > target, "{r:?}");
        assert!(layout.is_clear());
    }
}
