//! Grids of scenario variations: swept parameters (`--grid PATH=v1,v2`)
//! and their combinations, each point a list of `--set` overrides.

/// One swept parameter: a scenario key and the values it takes (as TOML
/// value text, exactly what `--set PATH=VALUE` accepts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// Scenario key, e.g. `units.vc.staff.nurse_phone.count`.
    pub path: String,
    /// Values in sweep order.
    pub values: Vec<String>,
}

impl Axis {
    /// Reads `PATH=v1,v2,...` or `PATH=A..B` (the integers A to B inclusive).
    /// Commas inside quotes or brackets do not split values.
    pub fn parse(spec: &str) -> Result<Axis, String> {
        let hint =
            "expected PATH=v1,v2,... or PATH=A..B, e.g. units.vc.staff.nurse_phone.count=3,4,5";
        let (path, list) = spec
            .split_once('=')
            .ok_or_else(|| format!("`{spec}`: no `=`; {hint}"))?;
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("`{spec}`: empty key; {hint}"));
        }
        let values = match integer_range(list) {
            Some(Ok(values)) => values,
            Some(Err(e)) => return Err(format!("`{spec}`: {e}")),
            None => split_top_level(list),
        };
        if values.iter().any(|v| v.is_empty()) {
            return Err(format!("`{spec}`: an empty value; {hint}"));
        }
        Ok(Axis {
            path: path.to_string(),
            values,
        })
    }
}

/// `A..B` → `Some(Ok([A, …, B]))`; not a range → `None`.
fn integer_range(list: &str) -> Option<Result<Vec<String>, String>> {
    let (a, b) = list.trim().split_once("..")?;
    let (a, b) = (a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?);
    if b < a {
        return Some(Err(format!(
            "the range {a}..{b} is empty (write the smaller end first)"
        )));
    }
    if b - a > 10_000 {
        return Some(Err(format!(
            "the range {a}..{b} has more than 10 000 values"
        )));
    }
    Some(Ok((a..=b).map(|v| v.to_string()).collect()))
}

/// Splits at commas outside quotes, brackets and braces.
fn split_top_level(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (i, c) in list.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(list[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(list[start..].trim().to_string());
    out
}

/// The grid: every combination of the axes' values. The first axis varies
/// slowest, so points are numbered like nested loops in axis order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    /// The swept parameters.
    pub axes: Vec<Axis>,
}

/// One point of a grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    /// Number in grid order, from 0.
    pub index: usize,
    /// One value per axis.
    pub values: Vec<String>,
}

impl Grid {
    /// Number of points (1 for a grid without axes: the scenario as it is).
    /// Saturates at `usize::MAX`; see [`Grid::checked_len`].
    pub fn len(&self) -> usize {
        self.checked_len().unwrap_or(usize::MAX)
    }

    /// Number of points, `None` if the product of the axes' lengths does not
    /// fit in a `usize` (check it before anything is allocated per point).
    pub fn checked_len(&self) -> Option<usize> {
        self.axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
    }

    /// Whether the grid has no points (an axis without values).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `index` (< `len()`).
    pub fn point(&self, index: usize) -> Point {
        let mut rest = index;
        let mut values = vec![String::new(); self.axes.len()];
        for (slot, axis) in values.iter_mut().zip(&self.axes).rev() {
            let n = axis.values.len();
            *slot = axis.values[rest % n].clone();
            rest /= n;
        }
        Point { index, values }
    }

    /// Every point in grid order.
    pub fn points(&self) -> impl Iterator<Item = Point> + '_ {
        (0..self.len()).map(|i| self.point(i))
    }

    /// The `--set PATH=VALUE` overrides that make `point`.
    pub fn sets(&self, point: &Point) -> Vec<String> {
        self.axes
            .iter()
            .zip(&point.values)
            .map(|(a, v)| format!("{}={v}", a.path))
            .collect()
    }

    /// `path=value, …` for people.
    pub fn label(&self, point: &Point) -> String {
        let sets = self.sets(point);
        if sets.is_empty() {
            "(scenario as written)".to_string()
        } else {
            sets.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse_lists_ranges_and_nested_values() {
        let a = Axis::parse("units.vc.staff.nurse_phone.count=3,4, 5").unwrap();
        assert_eq!(a.path, "units.vc.staff.nurse_phone.count");
        assert_eq!(a.values, ["3", "4", "5"]);
        assert_eq!(Axis::parse("x=2..4").unwrap().values, ["2", "3", "4"]);
        let nested = Axis::parse("a.b=[1,2],\"x,y\",{ k = 1, j = 2 }").unwrap();
        assert_eq!(nested.values, ["[1,2]", "\"x,y\"", "{ k = 1, j = 2 }"]);
        assert!(Axis::parse("no-equals").is_err());
        assert!(Axis::parse("x=5..2").is_err());
        assert!(Axis::parse("x=1,,2").is_err());
        assert!(Axis::parse("=1").is_err());
    }

    #[test]
    fn grid_points_are_nested_loops_first_axis_slowest() {
        let grid = Grid {
            axes: vec![
                Axis::parse("a=1,2").unwrap(),
                Axis::parse("b=x,y,z").unwrap(),
            ],
        };
        assert_eq!(grid.len(), 6);
        let points: Vec<Vec<String>> = grid.points().map(|p| p.values).collect();
        assert_eq!(points[0], ["1", "x"]);
        assert_eq!(points[2], ["1", "z"]);
        assert_eq!(points[3], ["2", "x"]);
        assert_eq!(grid.sets(&grid.point(5)), ["a=2", "b=z"]);
        assert_eq!(Grid::default().len(), 1);
    }

    #[test]
    fn a_grid_too_large_to_count_says_so_instead_of_wrapping() {
        // 4 axes of 65 536 values: 2^64 points, which used to wrap to 0.
        let axis = Axis {
            path: "a".into(),
            values: vec!["1".into(); 65_536],
        };
        let grid = Grid {
            axes: vec![axis; 4],
        };
        assert_eq!(grid.checked_len(), None);
        assert!(!grid.is_empty());
    }
}
