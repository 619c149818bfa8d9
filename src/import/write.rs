//! Writes a region as one commented scenario: every unit is the calibrated
//! default unit (its demand per listed patient, telephone, e-service,
//! drop-in and booking settings, with their sources) at the unit's size and
//! with the unit's own staff; every generated value names the row it came
//! from.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::region::{Region, Staff, Unit};
use super::template::{DEFAULT_LISTED, Template, Templates, days_spec, limit_days, part_time_days};

/// A fraction of a post below this is dropped, above `1 - PART_MIN` it is
/// a whole post (a part-time post works at least one day a week).
const PART_MIN: f64 = 0.1;

/// Heads on full time and the weekdays of one part-time post (0: none).
pub fn split_fte(fte: f64) -> (u32, u8) {
    let whole = fte.floor();
    let part = fte - whole;
    if part >= 1.0 - PART_MIN {
        ((whole + 1.0) as u32, 0)
    } else if part < PART_MIN && whole >= 1.0 {
        (whole as u32, 0)
    } else {
        (whole as u32, part_time_days(part))
    }
}

/// The scenario text of `region`, named `name`; `origin` says which files
/// and command made it (for the header).
pub fn scenario_text(
    name: &str,
    description: &str,
    origin: &[String],
    region: &Region,
    templates: &Templates,
) -> String {
    let mut out = String::new();
    let listed: u64 = region.units.iter().map(|u| u64::from(u.listed)).sum();
    for line in origin {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(
        out,
        "#\n# {} units, {listed} listed. Every unit starts from the calibrated default unit\n\
         # (scenarios/default.toml): demand per listed patient, telephone, e-service,\n\
         # drop-in and booking, with the default's sources in the comments; its size and\n\
         # staff come from the region's files (each value names its file and line).\n",
        region.units.len()
    );
    let _ = writeln!(out, "name = {}", toml_string(name));
    let _ = writeln!(out, "description = {}\n", toml_string(description));
    let simulation = templates
        .head
        .iter()
        .skip_while(|l| !l.starts_with("[simulation]"));
    for l in simulation {
        let _ = writeln!(out, "{l}");
    }
    for unit in &region.units {
        write_unit(&mut out, unit, region, templates);
    }
    for l in &templates.tail {
        let _ = writeln!(out, "{l}");
    }
    out
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn write_unit(out: &mut String, unit: &Unit, region: &Region, templates: &Templates) {
    let k = &unit.key;
    let _ = writeln!(out, "# ---- {} ({}) ----", unit.name, unit.source);
    let _ = writeln!(out, "[units.{k}]");
    let _ = writeln!(
        out,
        "name = {}   # {}",
        toml_string(&unit.name),
        unit.source
    );
    let _ = writeln!(out, "listed = {}   # {}", unit.listed, unit.source);
    let tables = unit_tables(unit, templates);
    for l in tables {
        let _ = writeln!(out, "{l}");
    }
    let rows: Vec<&Staff> = region.staff.iter().filter(|s| &s.unit == k).collect();
    let mut taken = BTreeSet::new();
    if rows.is_empty() {
        let f = f64::from(unit.listed) / DEFAULT_LISTED;
        let _ = writeln!(
            out,
            "# No staff rows for this unit: the default unit's staff groups scaled to\n\
             # {} listed (× {f:.3}).\n",
            unit.listed
        );
        for t in templates.all() {
            let fte = t.count * f;
            let why = format!("the default's {} × {f:.3} = {fte:.2} FTE", t.count);
            write_group(out, unit, t, &t.profession, fte, &t.name, &why, &mut taken);
        }
    }
    for s in rows {
        let Some(t) = templates.get(&s.template) else {
            continue;
        };
        let key = s.group.clone().unwrap_or_else(|| t.name.clone());
        let why = format!("{}: {} {:.2} FTE", s.source, s.profession, s.fte);
        write_group(out, unit, t, &s.profession, s.fte, &key, &why, &mut taken);
    }
}

/// The default unit's tables (demand, telephone, e-service, drop-in,
/// booking) for `unit`, without its name and listed lines; a unit without
/// web booking gets the web channel's share on the telephone.
fn unit_tables(unit: &Unit, templates: &Templates) -> Vec<String> {
    let lines = templates.unit_tables(&unit.key);
    // Skip the default's own header, name and listed.
    let body = lines.iter().skip_while(|l| !l.trim().is_empty());
    let web_header = format!("[units.{}.demand.web_booking]", unit.key);
    let phone_header = format!("[units.{}.demand.phone]", unit.key);
    let mut kept: Vec<String> = Vec::new();
    let mut web_share = None;
    let mut in_web = false;
    for l in body {
        if l.trim() == web_header && !unit.web_booking {
            in_web = true;
            continue;
        }
        if in_web {
            if l.trim().is_empty() {
                in_web = false;
            } else if let Some(v) = l.trim().strip_prefix("share = ") {
                web_share = v
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse::<f64>().ok());
            }
            continue;
        }
        kept.push(l.clone());
    }
    if let Some(web) = web_share {
        let mut in_phone = false;
        for l in &mut kept {
            if l.trim() == phone_header {
                in_phone = true;
            } else if l.starts_with('[') {
                in_phone = false;
            } else if in_phone && let Some(v) = l.trim().strip_prefix("share = ") {
                let phone: f64 = v
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0.0);
                *l = format!(
                    "share = {:.2}   # the default's {phone} + its web share {web}: no web booking here ({})",
                    phone + web,
                    unit.source
                );
                in_phone = false;
            }
        }
    }
    kept
}

#[allow(clippy::too_many_arguments)]
fn write_group(
    out: &mut String,
    unit: &Unit,
    t: &Template,
    profession: &str,
    fte: f64,
    key: &str,
    why: &str,
    taken: &mut BTreeSet<String>,
) {
    let (whole, part_days) = split_fte(fte);
    let mut unique = |base: &str| {
        let mut k = base.to_string();
        let mut n = 2;
        while !taken.insert(k.clone()) {
            k = format!("{base}_{n}");
            n += 1;
        }
        k
    };
    let shifts: Vec<String> = t
        .shifts
        .iter()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| {
            if unit.web_booking {
                l.clone()
            } else {
                // No web booking: its slots are booked by staff.
                l.replace("slot_type = \"web\"", "slot_type = \"regular\"")
            }
        })
        .collect();
    let part_note = if part_days == 0 {
        String::new()
    } else {
        format!(" + one part-time post ({})", days_spec(part_days))
    };
    let _ = writeln!(
        out,
        "# {why} → {whole} full-time{part_note}; the week of the default's `{}` group.",
        t.name
    );
    let group = |out: &mut String, key: String, count: u32, lines: &[String]| {
        let _ = writeln!(out, "[units.{}.staff.{key}]", unit.key);
        if key != profession {
            let _ = writeln!(out, "profession = \"{profession}\"");
        }
        let _ = writeln!(out, "count = {count}");
        if let Some(dated) = &t.dated {
            let _ = writeln!(out, "{}", scale_dated(dated, count as f64 / t.count, count));
        }
        let _ = writeln!(out, "shifts = [");
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
        let _ = writeln!(out, "]\n");
    };
    if whole > 0 {
        group(out, unique(key), whole, &shifts);
    }
    if part_days != 0 {
        let limited: Vec<String> = shifts
            .iter()
            .filter_map(|l| limit_days(l, part_days))
            .collect();
        if !limited.is_empty() {
            group(out, unique(&format!("{key}_part_time")), 1, &limited);
        }
    }
}

/// A template's `dated = [ … ]` line with each `count = n` scaled by
/// `factor` (rounded, at most `max`): the same share of the group away.
fn scale_dated(line: &str, factor: f64, max: u32) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("count = ") {
        let (head, tail) = rest.split_at(at + "count = ".len());
        out.push_str(head);
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        let n: f64 = tail[..digits].parse().unwrap_or(0.0);
        out.push_str(&((n * factor).round() as u32).min(max).to_string());
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_split_into_full_time_and_one_part_time() {
        assert_eq!(split_fte(4.6), (4, 0b10101));
        assert_eq!(split_fte(2.0), (2, 0));
        assert_eq!(split_fte(2.95), (3, 0));
        assert_eq!(split_fte(3.05), (3, 0));
        assert_eq!(split_fte(0.05), (0, 0b00100));
        assert_eq!(split_fte(0.4), (0, 0b01010));
    }
}
