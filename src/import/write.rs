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
    let tail = match region_share_65_plus(region) {
        Some((share, note)) => age_mix_tail(&templates.tail, share, &note),
        None => templates.tail.clone(),
    };
    for l in &tail {
        let _ = writeln!(out, "{l}");
    }
    out
}

/// Share of Sweden's inhabitants aged 65 or over (SCB 2024): the population
/// behind the default's contacts by age.
pub const SWEDEN_65_PLUS: f64 = 0.203;

/// The region's share of listed aged 65+ (weighted by listed, over the
/// units that give it) and where it came from; `None` if no unit does.
pub fn region_share_65_plus(region: &Region) -> Option<(f64, String)> {
    let given: Vec<&Unit> = region
        .units
        .iter()
        .filter(|u| u.share_65_plus.is_some())
        .collect();
    let listed: f64 = given.iter().map(|u| f64::from(u.listed)).sum();
    if given.is_empty() || listed <= 0.0 {
        return None;
    }
    let share = given
        .iter()
        .map(|u| u.share_65_plus.unwrap_or(0.0) * f64::from(u.listed))
        .sum::<f64>()
        / listed;
    let note = format!(
        "{} of {} units' `share_65_plus`, weighted by listed",
        given.len(),
        region.units.len()
    );
    Some((share, note))
}

/// The spread of the units' 65+ shares, when wider than the one age mix a
/// scenario holds can stand for (5 points): a warning.
pub fn age_mix_warning(region: &Region) -> Option<String> {
    let shares: Vec<(f64, &str)> = region
        .units
        .iter()
        .filter_map(|u| u.share_65_plus.map(|s| (s, u.key.as_str())))
        .collect();
    let lo = shares.iter().min_by(|a, b| a.0.total_cmp(&b.0))?;
    let hi = shares.iter().max_by(|a, b| a.0.total_cmp(&b.0))?;
    (hi.0 - lo.0 > 0.05).then(|| {
        format!(
            "the units' shares aged 65+ range from {:.1} % ({}) to {:.1} % ({}), but a scenario has one age mix: the region's mean is used for every unit",
            100.0 * lo.0,
            lo.1,
            100.0 * hi.0,
            hi.1
        )
    })
}

/// The lower bound of an age group's key (`65-79` → 65, `80+` → 80).
fn age_from(key: &str) -> Option<u32> {
    let digits: String = key
        .trim_matches('"')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The default's case-mix tail with each age group's share of contacts
/// re-weighted for a population with `share` aged 65+: contacts per
/// person of each age stay the default's, so a group's contacts scale with
/// its part of the population (65+ by `share` ÷ 20,3 %, the younger by
/// (1 − `share`) ÷ 79,7 %), and the shares are normalised to sum to 1.
pub fn age_mix_tail(tail: &[String], share: f64, note: &str) -> Vec<String> {
    // (line index of the group's `share = …`, age, default share).
    let mut groups: Vec<(usize, u32, f64)> = Vec::new();
    let mut age = None;
    for (i, l) in tail.iter().enumerate() {
        if let Some(key) = l
            .trim()
            .strip_prefix("[age_groups.")
            .and_then(|r| r.strip_suffix(']'))
        {
            age = age_from(key);
        } else if l.starts_with('[') {
            age = None;
        } else if let (Some(a), Some(v)) = (age, l.trim().strip_prefix("share = "))
            && let Some(v) = v.split_whitespace().next().and_then(|v| v.parse().ok())
        {
            groups.push((i, a, v));
        }
    }
    let weight = |a: u32| {
        if a >= 65 {
            share / SWEDEN_65_PLUS
        } else {
            (1.0 - share) / (1.0 - SWEDEN_65_PLUS)
        }
    };
    let total: f64 = groups.iter().map(|&(_, a, v)| v * weight(a)).sum();
    let mut out = tail.to_vec();
    if total <= 0.0 {
        return out;
    }
    for &(i, a, v) in &groups {
        let new = v * weight(a) / total;
        out[i] = format!(
            "share = {new:.3}   # the default's {v} re-weighted for {:.1} % aged 65+ ({note}; Sweden {:.1} %, SCB 2024)",
            100.0 * share,
            100.0 * SWEDEN_65_PLUS
        );
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

/// A template's `dated = [ … ]` line with each `away = n` scaled by
/// `factor` (rounded, at most `max`): the same share of the group away.
fn scale_dated(line: &str, factor: f64, max: u32) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("away = ") {
        let (head, tail) = rest.split_at(at + "away = ".len());
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
    fn age_mix_follows_the_population_and_sums_to_one() {
        let tail: Vec<String> = [
            "[age_groups.\"0-17\"]",
            "share = 0.20",
            "[age_groups.\"18-64\"]",
            "share = 0.52",
            "[age_groups.\"65-79\"]",
            "share = 0.17",
            "[age_groups.\"80+\"]",
            "share = 0.11",
        ]
        .map(String::from)
        .to_vec();
        let shares = |t: &[String]| -> Vec<f64> {
            t.iter()
                .filter_map(|l| l.strip_prefix("share = "))
                .map(|v| v.split_whitespace().next().unwrap().parse().unwrap())
                .collect()
        };
        // At Sweden's own share nothing moves.
        assert_eq!(
            shares(&age_mix_tail(&tail, SWEDEN_65_PLUS, "n")),
            [0.2, 0.52, 0.17, 0.11]
        );
        // An older region: 65+ contacts rise, the rest fall, all sum to 1.
        let s = shares(&age_mix_tail(&tail, 0.255, "n"));
        let (old, young) = (0.28 * 0.255 / 0.203, 0.72 * 0.745 / 0.797);
        assert!((s[2] + s[3] - old / (old + young)).abs() < 2e-3, "{s:?}");
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 2e-3, "{s:?}");
        // Even an all-old population stays a valid mix.
        let s = shares(&age_mix_tail(&tail, 1.0, "n"));
        assert_eq!(&s[..2], [0.0, 0.0]);
    }

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
