//! Opening hours and weekly schedules as a region writes them: a unit's
//! telephone and drop-in hours (`mon-fri 08:00-12:00 13:00-16:00`) and
//! staff weeks given block by block in `schedules.csv`.

use super::table::{ColumnSpec, Problem, Table};
use super::template::{Template, Templates, days_spec};
use crate::report::lang::Bilingual;
use crate::scenario::written::{parse_clock, parse_days};
use crate::vocab::kinds::Activity;
use crate::vocab::slot::SlotType;

/// One block of opening hours: weekdays (bit 0 = Monday) and a time of
/// day in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// Weekday mask.
    pub days: u8,
    /// Opens, seconds since midnight.
    pub start: u32,
    /// Closes, seconds since midnight.
    pub end: u32,
}

/// Swedish weekday names and abbreviations as the English keys the
/// scenario reads (`mån-fre` → `mon-fri`).
fn english_days(s: &str) -> String {
    let mut out = s.to_lowercase();
    for (sv, en) in [
        ("måndag", "mon"),
        ("tisdag", "tue"),
        ("onsdag", "wed"),
        ("torsdag", "thu"),
        ("fredag", "fri"),
        ("lördag", "sat"),
        ("söndag", "sun"),
        ("mån", "mon"),
        ("tis", "tue"),
        ("ons", "wed"),
        ("tors", "thu"),
        ("tor", "thu"),
        ("fre", "fri"),
        ("lör", "sat"),
        ("sön", "sun"),
    ] {
        out = out.replace(sv, en);
    }
    out
}

/// Weekdays written in English or Swedish (`mon-fri`, `tis,tor`).
pub fn parse_weekdays(s: &str) -> Option<u8> {
    parse_days(&english_days(s))
}

/// A time of day as `08:00` or `8.00`.
fn parse_time(s: &str) -> Option<u32> {
    parse_clock(&s.replace('.', ":"))
}

/// `08:00-12:00` (or `08.00–12.00`).
fn parse_range(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once(['-', '–'])?;
    let (a, b) = (parse_time(a)?, parse_time(b)?);
    (a < b).then_some((a, b))
}

/// Opening hours: groups separated by `/`, each weekdays followed by one or
/// more time ranges: `mon-fri 08:00-12:00 13:00-16:00 / sat 10:00-12:00`.
pub fn parse_hours(text: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    for group in text.split('/') {
        let mut words = group.split_whitespace();
        let Some(days) = words.next() else {
            return Err("an empty group between `/`".into());
        };
        let mask = parse_weekdays(days).ok_or_else(|| format!("`{days}` is not weekdays"))?;
        let mut any = false;
        for w in words {
            let (start, end) = parse_range(w)
                .ok_or_else(|| format!("`{w}` is not a time range such as 08:00-12:00"))?;
            blocks.push(Block {
                days: mask,
                start,
                end,
            });
            any = true;
        }
        if !any {
            return Err(format!("no time range after `{days}`"));
        }
    }
    Ok(blocks)
}

fn clock(s: u32) -> String {
    format!("{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// The blocks as the scenario's `hours = [ … ]` array.
pub fn hours_toml(blocks: &[Block]) -> String {
    let items: Vec<String> = blocks
        .iter()
        .map(|b| {
            format!(
                "{{ days = \"{}\", start = \"{}\", end = \"{}\" }}",
                days_spec(b.days),
                clock(b.start),
                clock(b.end)
            )
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// An hour-of-day profile for a desk open in `blocks`: the default's weight
/// in hours it keeps open, the mean of the default's open hours' weights in
/// hours it opens beyond the default's, and 0 in hours it is closed.
pub fn profile_for(default: &[f64], blocks: &[Block]) -> Vec<f64> {
    let open: Vec<f64> = default.iter().copied().filter(|w| *w > 0.0).collect();
    let mean = if open.is_empty() {
        1.0
    } else {
        open.iter().sum::<f64>() / open.len() as f64
    };
    (0..24u32)
        .map(|h| {
            let is_open = blocks
                .iter()
                .any(|b| b.start < (h + 1) * 3600 && b.end > h * 3600);
            match (is_open, default.get(h as usize).copied().unwrap_or(0.0)) {
                (false, _) => 0.0,
                (true, w) if w > 0.0 => w,
                (true, _) => (mean * 100.0).round() / 100.0,
            }
        })
        .collect()
}

/// The columns of `schedules.csv`: one row per block of a weekly schedule.
pub const SCHEDULE_COLUMNS: [ColumnSpec; 7] = [
    ColumnSpec {
        key: "template",
        aliases: &["mall", "schema", "schemamall"],
        required: true,
        doc: "the schedule's name, as staff.csv's `template` names it (lower-case letters, digits and `_`)",
    },
    ColumnSpec {
        key: "days",
        aliases: &["dagar", "veckodagar"],
        required: true,
        doc: "weekdays, e.g. `mon-fri`, `tue,thu` or `mån-fre`",
    },
    ColumnSpec {
        key: "start",
        aliases: &["från", "börjar"],
        required: true,
        doc: "the block's start, e.g. 08:00",
    },
    ColumnSpec {
        key: "end",
        aliases: &["till", "slutar", "slut"],
        required: true,
        doc: "the block's end, e.g. 12:00",
    },
    ColumnSpec {
        key: "activity",
        aliases: &["aktivitet", "uppgift"],
        required: true,
        doc: "what the block is for: visits, telephone, dropin, eservice, admin, remote (a shared remote doctor's duty) or mobile",
    },
    ColumnSpec {
        key: "slot_minutes",
        aliases: &["tidslängd", "minuter_per_tid"],
        required: false,
        doc: "visits: the length of a bookable time, minutes",
    },
    ColumnSpec {
        key: "slot_type",
        aliases: &["tidstyp", "typ_av_tid"],
        required: false,
        doc: "visits: acute, short_notice, regular (default), web or follow_up",
    },
];
const C_TEMPLATE: usize = 0;
const C_DAYS: usize = 1;
const C_START: usize = 2;
const C_END: usize = 3;
const C_ACTIVITY: usize = 4;
const C_SLOT: usize = 5;
const C_SLOT_TYPE: usize = 6;

/// One block of a schedule as read, for the overlap check.
struct ReadBlock {
    line: u64,
    block: Block,
    activity: Activity,
}

impl ReadBlock {
    fn describe(&self) -> String {
        format!(
            "{} {}–{} {}",
            days_spec(self.block.days),
            clock(self.block.start),
            clock(self.block.end),
            self.activity.key()
        )
    }
}

/// Lines as `line 2` or `lines 2–4, 7`: runs of consecutive lines as ranges.
fn line_list(lines: &[u64]) -> String {
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for &l in lines {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == l => *end = l,
            _ => runs.push((l, l)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    let word = if lines.len() == 1 { "line" } else { "lines" };
    format!("{word} {}", parts.join(", "))
}

/// Where two blocks overlap: days and times, if anywhere.
fn overlap(a: &Block, b: &Block) -> Option<Block> {
    let days = a.days & b.days;
    let (start, end) = (a.start.max(b.start), a.end.min(b.end));
    (days != 0 && start < end).then_some(Block { days, start, end })
}

/// `block` of schedule `name` against the schedule's earlier blocks: two
/// `visits` blocks that overlap are a problem (each is cut into its own
/// slots, so the overlap doubles them, as the scenario's own check says);
/// any other overlap is a warning (blocks of one activity merge into one
/// duty period, of two activities the member is on both at once).
fn overlap_check(
    table: &Table,
    name: &str,
    block: &ReadBlock,
    earlier: &[ReadBlock],
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Bilingual>,
) {
    for e in earlier {
        let Some(o) = overlap(&e.block, &block.block) else {
            continue;
        };
        let when = format!("{} {}–{}", days_spec(o.days), clock(o.start), clock(o.end));
        let said = match (e.activity, block.activity) {
            (Activity::Visits, Activity::Visits) => {
                problems.push(table.problem(
                    block.line,
                    C_START,
                    format!(
                        "`{name}`'s block overlaps line {} ({}) on {when}: both are visits blocks",
                        e.line,
                        e.describe()
                    ),
                    "each visits block is cut into its own slots, so the overlap doubles them; end one block where the next starts, or give one its own template",
                ));
                continue;
            }
            (a, b) if a == b => (
                format!(
                    "`{name}`'s block overlaps line {} ({}) on {when}: blocks of one activity merge into one duty period",
                    e.line,
                    e.describe()
                ),
                "end one block where the next starts if the hours were meant apart",
                format!(
                    "`{name}`s pass överlappar rad {} ({}) under {when}: pass med samma aktivitet slås ihop till ett arbetspass",
                    e.line,
                    e.describe()
                ),
                "låt ett pass sluta där nästa börjar om tiderna var menade var för sig",
            ),
            (a, b) => (
                format!(
                    "`{name}`'s block overlaps line {} ({}) on {when}: the member is on {} and {} duty at once",
                    e.line,
                    e.describe(),
                    a.key(),
                    b.key()
                ),
                "end one block where the next starts, unless both duties at once are meant",
                format!(
                    "`{name}`s pass överlappar rad {} ({}) under {when}: medarbetaren har uppgifterna {} och {} samtidigt",
                    e.line,
                    e.describe(),
                    a.key(),
                    b.key()
                ),
                "låt ett pass sluta där nästa börjar, om inte båda uppgifterna samtidigt är menade",
            ),
        };
        let (message, hint, message_sv, hint_sv) = said;
        warnings.push(
            table
                .problem(block.line, C_START, message, hint)
                .warning(&message_sv, hint_sv),
        );
    }
}

/// Adds the weekly schedules of a `schedules.csv` table to `templates`
/// (a name the default also has is replaced); every problem in the file,
/// and what could have been meant otherwise in `warnings`.
pub fn read_schedules(
    table: &Table,
    templates: &mut Templates,
    warnings: &mut Vec<Bilingual>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut read: Vec<Template> = Vec::new();
    // Each schedule's blocks as read, by name.
    let mut blocks: Vec<(String, Vec<ReadBlock>)> = Vec::new();
    for (line, row) in &table.rows {
        let line = *line;
        let mut bad = |col: usize, message: String, hint: &str| {
            problems.push(table.problem(line, col, message, hint));
        };
        let name = table.text(row, C_TEMPLATE).unwrap_or("");
        let name_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            bad(
                C_TEMPLATE,
                format!("expected a name of lower-case letters, digits and `_`, found `{name}`"),
                "e.g. `visiting_doctor`",
            );
        }
        let days = table.text(row, C_DAYS).unwrap_or("");
        let mask = parse_weekdays(days);
        if mask.is_none() {
            bad(
                C_DAYS,
                format!("expected weekdays, found `{days}`"),
                "e.g. mon-fri, tue,thu or mån-fre",
            );
        }
        let mut time = |col: usize| {
            let t = table.text(row, col).unwrap_or("");
            let v = parse_time(t);
            if v.is_none() {
                problems.push(table.problem(
                    line,
                    col,
                    format!("expected a time of day, found `{t}`"),
                    "e.g. 08:00",
                ));
            }
            v
        };
        let (start, end) = (time(C_START), time(C_END));
        let mut bad = |col: usize, message: String, hint: &str| {
            problems.push(table.problem(line, col, message, hint));
        };
        if let (Some(s), Some(e)) = (start, end)
            && s >= e
        {
            bad(
                C_END,
                format!(
                    "the block ends at {} before it starts at {}",
                    clock(e),
                    clock(s)
                ),
                "",
            );
        }
        let written = table.text(row, C_ACTIVITY).unwrap_or("").to_lowercase();
        let activity = Activity::ALL
            .into_iter()
            .find(|a| a.key() == written || (written == "drop-in" && *a == Activity::DropIn));
        if activity.is_none() {
            let known: Vec<&str> = Activity::ALL.iter().map(|a| a.key()).collect();
            bad(
                C_ACTIVITY,
                format!("unknown activity `{written}`"),
                &format!("one of {}", known.join(", ")),
            );
        }
        let slot = match table.number(line, row, C_SLOT) {
            Ok(Some(v)) if (1.0..=480.0).contains(&v) && v.fract() == 0.0 => Some(v as u32),
            Ok(Some(v)) => {
                bad(
                    C_SLOT,
                    format!("expected whole minutes from 1 to 480, found {v}"),
                    "",
                );
                None
            }
            Ok(None) => None,
            Err(p) => {
                problems.push(p);
                None
            }
        };
        let mut bad = |col: usize, message: String, hint: &str| {
            problems.push(table.problem(line, col, message, hint));
        };
        let slot_type = table.text(row, C_SLOT_TYPE).map(str::to_lowercase);
        if let Some(t) = &slot_type
            && !SlotType::ALL.iter().any(|s| s.key() == t)
        {
            let known: Vec<&str> = SlotType::ALL.iter().map(|s| s.key()).collect();
            bad(
                C_SLOT_TYPE,
                format!("unknown slot type `{t}`"),
                &format!("one of {}", known.join(", ")),
            );
        }
        if activity == Some(Activity::Visits) && slot.is_none() {
            bad(
                C_SLOT,
                "a visits block needs the length of its times".into(),
                "e.g. 30",
            );
        }
        if activity.is_some_and(|a| a != Activity::Visits)
            && (slot.is_some() || slot_type.is_some())
        {
            bad(
                C_SLOT,
                "only a visits block has bookable times".into(),
                "leave slot_minutes and slot_type empty",
            );
        }
        let (Some(mask), Some(start), Some(end), Some(activity)) = (mask, start, end, activity)
        else {
            continue;
        };
        let mut block = format!(
            "  {{ days = \"{}\", start = \"{}\", end = \"{}\", activity = \"{}\"",
            days_spec(mask),
            clock(start),
            clock(end),
            activity.key()
        );
        if let Some(m) = slot {
            block.push_str(&format!(", slot_minutes = {m}"));
        }
        if let Some(t) = &slot_type {
            block.push_str(&format!(", slot_type = \"{t}\""));
        }
        block.push_str(" },");
        let this = ReadBlock {
            line,
            block: Block {
                days: mask,
                start,
                end,
            },
            activity,
        };
        match blocks.iter_mut().find(|(n, _)| n == name) {
            Some((_, earlier)) => {
                overlap_check(table, name, &this, earlier, &mut problems, warnings);
                earlier.push(this);
            }
            None => blocks.push((name.to_string(), vec![this])),
        }
        let source = format!("{}:{line}", table.file);
        match read.iter_mut().find(|t| t.name == name) {
            Some(t) => t.shifts.push(block),
            None => read.push(Template {
                name: name.to_string(),
                profession: String::new(),
                count: 1.0,
                comment: vec![format!("# The week `{name}` from {source} on.")],
                shifts: vec![block],
                dated: None,
                hired: None,
                cover: false,
                summer_cover: None,
                from: None,
            }),
        }
    }
    // Added even with problems (nothing is written then): staff rows that
    // name a week with a bad block are not also told it is unknown.
    {
        for mut t in read {
            let lines = blocks
                .iter()
                .find(|(n, _)| *n == t.name)
                .map(|(_, b)| b.iter().map(|b| b.line).collect::<Vec<_>>())
                .unwrap_or_default();
            t.from = Some(format!("{}, {}", table.file, line_list(&lines)));
            templates.add(t);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_read_in_both_languages() {
        let b = parse_hours("mån-fre 08:00-12:00 13.00-16.00 / lör 10:00–12:00").unwrap();
        assert_eq!(b.len(), 3);
        assert_eq!(
            hours_toml(&b),
            "[{ days = \"mon-fri\", start = \"08:00\", end = \"12:00\" }, \
             { days = \"mon-fri\", start = \"13:00\", end = \"16:00\" }, \
             { days = \"sat\", start = \"10:00\", end = \"12:00\" }]"
        );
        assert!(parse_hours("mon-fri").is_err());
        assert!(parse_hours("mon-fri 12:00-08:00").is_err());
        assert!(parse_hours("someday 08:00-12:00").is_err());
    }

    #[test]
    fn a_desk_open_longer_gets_the_mean_weight_in_its_new_hours() {
        let mut default = vec![0.0; 24];
        default[8] = 1.5;
        default[9] = 0.5;
        let p = profile_for(&default, &parse_hours("mon-fri 09:00-11:00").unwrap());
        assert_eq!(p[8], 0.0, "closed at 8");
        assert_eq!(p[9], 0.5, "the default's weight");
        assert_eq!(p[10], 1.0, "the mean of 1.5 and 0.5");
        assert_eq!(p[11], 0.0);
    }
}
