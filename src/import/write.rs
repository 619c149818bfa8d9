//! Writes a region as one commented scenario: every unit is the calibrated
//! default unit (its demand per listed patient, telephone, e-service,
//! drop-in and booking settings, with their sources) at the unit's size and
//! with the unit's own staff; every generated value names the row it came
//! from.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::hours::{hours_toml, profile_for};
use super::mobile::Team;
use super::region::{HiredCover, Region, Staff, Unit};
use super::template::{
    DEFAULT_LISTED, Template, Templates, days_spec, limit_days, part_time_days, part_time_weekdays,
    week_hours,
};
use crate::report::lang::{Bilingual, Lang};

/// A fraction of a post below this is dropped, above `1 - PART_MIN` it is
/// a whole post (a part-time post works at least one day a week).
const PART_MIN: f64 = 0.1;

/// Heads on full time and how many weekdays one part-time post works (0:
/// none); which weekdays, `PartTimeWeek` chooses.
pub fn split_fte(fte: f64) -> (u32, u32) {
    // Rounded to 1e-9 so that `2,9` (2.8999… in binary) is the whole post the
    // rule gives 0.9.
    let fte = (fte * 1e9).round() / 1e9;
    let whole = fte.floor();
    let part = ((fte - whole) * 1e9).round() / 1e9;
    if part >= 1.0 - PART_MIN {
        ((whole + 1.0) as u32, 0)
    } else if part < PART_MIN && whole >= 1.0 {
        (whole as u32, 0)
    } else {
        (whole as u32, part_time_weekdays(part))
    }
}

/// The weekdays one unit's part-time posts work so far, by profession, so
/// that each next post of a profession goes on the days its others leave
/// (several small remainders cover the week, not all its Wednesday). The
/// groups are taken in the order they are written, by the writer and the
/// warnings alike, so both see the same days.
#[derive(Default)]
struct PartTimeWeek(BTreeMap<String, [u32; 5]>);

impl PartTimeWeek {
    /// Full-time heads and the weekdays of the part-time post (0: none)
    /// of `fte` of `profession` on `t`'s week ([`split_fte`],
    /// [`part_time_days`]); its days count for the profession's next post.
    fn posts(&mut self, profession: &str, fte: f64, t: &Template) -> (u32, u8) {
        let (whole, n) = split_fte(fte);
        if n == 0 {
            return (whole, 0);
        }
        let works = t.works();
        let covered = self.0.entry(profession.to_string()).or_default();
        let days = part_time_days(n, works, covered);
        for (d, c) in covered.iter_mut().enumerate() {
            *c += u32::from(((days & works) >> d) & 1);
        }
        (whole, days)
    }
}

/// `total` FTE of one profession as whole weekdays (0.2 FTE each: a
/// part-time post works whole weekdays), shared over its groups in
/// proportion to `weights` by largest remainder, so that the days add up
/// to `total` to the nearest day (at least one day if `total` is above 0).
/// Ties go to a group with `first` set (a group the unit never leaves
/// unstaffed), then to the earlier. A small total leaves some groups
/// without a day.
pub fn share_days(total: f64, groups: &[(f64, bool)]) -> Vec<u32> {
    let sum: f64 = groups.iter().map(|g| g.0).sum();
    if total <= 0.0 || sum <= 0.0 {
        return vec![0; groups.len()];
    }
    // Rounded to 1e-9 first, as `split_fte`: 2.9 × 5 is 14.5 in binary.
    let days = (((total * 5.0) * 1e9).round() / 1e9).round().max(1.0);
    let quotas: Vec<f64> = groups.iter().map(|g| days * g.0 / sum).collect();
    let mut given: Vec<u32> = quotas.iter().map(|q| (q + 1e-9).floor() as u32).collect();
    let left = days as u32 - given.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    let rest = |i: usize| ((quotas[i] - f64::from(given[i])) * 1e9).round();
    order.sort_by(|&a, &b| {
        rest(b)
            .total_cmp(&rest(a))
            .then(groups[b].1.cmp(&groups[a].1))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(left as usize) {
        given[i] += 1;
    }
    given
}

/// Staff rows (and the default's groups scaled to a unit without rows)
/// whose posts, by [`split_fte`]'s rule, work less than 2/3 or more than
/// 1.5 times the FTE given (0.05 FTE is a whole weekday, 0.2 FTE): a
/// warning naming the row and what it became — one per row of a file, one
/// per unit for groups scaled from the default or given on the command line.
pub fn posts_warnings(region: &Region, templates: &Templates) -> Vec<Bilingual> {
    const HINT: &str = "\n  hint: a part-time post works whole weekdays of its week (docs/import.md, FTE); \
                        if that is not what was meant, edit the group's count or shifts in the written scenario";
    const HINT_SV: &str = "\n  tips: en deltidstjänst arbetar hela veckodagar av sin vecka (docs/import.md, FTE); \
                        om det inte var menat, ändra gruppens antal eller pass i det skrivna scenariot";
    let mut warnings = Vec::new();
    for unit in &region.units {
        let rows: Vec<&Staff> = region.staff.iter().filter(|s| s.unit == unit.key).collect();
        let mut week = PartTimeWeek::default();
        // Groups not from a file's row: named together, per unit.
        let mut scaled = Vec::new();
        if rows.is_empty() {
            let f = f64::from(unit.listed) / DEFAULT_LISTED;
            for t in templates.all() {
                let fte = t.count * f;
                if let Some(m) = posts_moved(fte, t, week.posts(&t.profession, fte, t)) {
                    let why = format!("the default's {} × {f:.3}", t.count);
                    let why_sv = format!(
                        "standardvårdcentralens {} × {}",
                        Lang::Sv.decimal(t.count),
                        Lang::Sv.number(f, 3)
                    );
                    scaled.push(Bilingual::new(
                        format!("`{}` ({why}) {}", t.name, m.short(Lang::En)),
                        format!("`{}` ({why_sv}) {}", t.name, m.short(Lang::Sv)),
                    ));
                }
            }
        }
        for s in rows {
            let Some(t) = templates.get(&s.template) else {
                continue;
            };
            let Some(m) = posts_moved(s.fte, t, week.posts(&s.profession, s.fte, t)) else {
                continue;
            };
            let group = s.group.as_deref().unwrap_or(&t.name);
            if s.source.contains(".csv:") {
                let sv = |x: f64| Lang::Sv.number(x, 2);
                warnings.push(Bilingual::new(
                    format!(
                        "{}: `{group}` ({}) {:.2} FTE became {}: {:.2} FTE of {}, {:.2} times the FTE given{HINT}",
                        s.source,
                        s.profession,
                        s.fte,
                        m.became.en,
                        m.written,
                        t.described(Lang::En),
                        m.written / s.fte
                    ),
                    format!(
                        "{}: `{group}` ({}) {} FTE blev {}: {} FTE av {}, {} gånger angiven FTE{HINT_SV}",
                        s.source,
                        Lang::Sv.profession(&s.profession).to_lowercase(),
                        sv(s.fte),
                        m.became.sv,
                        sv(m.written),
                        t.described(Lang::Sv),
                        sv(m.written / s.fte)
                    ),
                ));
            } else {
                scaled.push(Bilingual::new(
                    format!("`{group}` ({}) {}", s.source, m.short(Lang::En)),
                    format!("`{group}` ({}) {}", s.source, m.short(Lang::Sv)),
                ));
            }
        }
        if !scaled.is_empty() {
            let joined = Bilingual::join(&scaled, "; ");
            warnings.push(Bilingual::new(
                format!(
                    "{} (unit `{}`): groups whose posts work far from their FTE: {}{HINT}",
                    unit.source,
                    unit.key,
                    joined.en
                ),
                format!(
                    "{} (enhet `{}`): grupper vars tjänster arbetar långt från sin FTE: {}{HINT_SV}",
                    match unit.source.as_str() {
                        "command line" => "kommandoraden",
                        other => other,
                    },
                    unit.key,
                    joined.sv
                ),
            ));
        }
    }
    warnings
}

/// What an FTE became, when its posts work far from it.
struct Moved {
    fte: f64,
    /// `2 full-time + one part-time post on wed`.
    became: Bilingual,
    /// The FTE the posts work.
    written: f64,
}

impl Moved {
    /// `0.06 FTE → one part-time post on wed (0.20 FTE, 3.6×)`.
    fn short(&self, lang: Lang) -> String {
        let n = |x: f64| lang.number(x, 2);
        format!(
            "{} FTE → {} ({} FTE, {}×)",
            n(self.fte),
            self.became.get(lang),
            n(self.written),
            n(self.written / self.fte)
        )
    }
}

/// What `fte` of `t`'s week became as `whole` full-time posts and a
/// part-time one on `part_days` ([`PartTimeWeek::posts`]), when they work
/// less than 2/3 or more than 1.5 times it.
fn posts_moved(fte: f64, t: &Template, (whole, part_days): (u32, u8)) -> Option<Moved> {
    let full = week_hours(&t.shifts, 0x7f);
    if full <= 0.0 || fte <= 0.0 {
        return None;
    }
    let part = if part_days == 0 {
        0.0
    } else {
        week_hours(&t.shifts, part_days) / full
    };
    let written = f64::from(whole) + part;
    if (1.0 / 1.5..=1.5).contains(&(written / fte)) {
        return None;
    }
    let mut became = Vec::new();
    if whole > 0 {
        became.push(Bilingual::new(
            format!("{whole} full-time"),
            format!("{whole} på heltid"),
        ));
    }
    if part > 0.0 {
        let days = days_spec(part_days);
        became.push(Bilingual::new(
            format!("one part-time post on {days}"),
            format!("en deltidstjänst på {days}"),
        ));
    } else if part_days != 0 {
        let days = days_spec(part_days);
        became.push(Bilingual::new(
            format!("no part-time post (its days, {days}, hold none of the week's blocks)"),
            format!("ingen deltidstjänst (dess dagar, {days}, har inget av veckans pass)"),
        ));
    }
    Some(Moved {
        fte,
        became: Bilingual::join(&became, " + "),
        written,
    })
}

/// The scenario text of `region`, named `name`; `origin` says which files
/// and command made it (for the header).
pub fn scenario_text(
    name: &str,
    (description, description_sv): (&str, Option<&str>),
    origin: &[String],
    region: &Region,
    templates: &Templates,
) -> String {
    let mut out = String::new();
    let listed: u64 = region.units.iter().map(|u| u64::from(u.listed)).sum();
    for line in origin.iter().flat_map(|l| l.lines()) {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(
        out,
        "#\n# {} unit{}, {} listed. Every unit starts from the calibrated default unit\n\
         # (scenarios/default.toml): demand per listed patient, telephone, e-service,\n\
         # drop-in and booking, with the default's sources in the comments; its size and\n\
         # staff come from the region's files (each value names its file and line).\n",
        region.units.len(),
        if region.units.len() == 1 { "" } else { "s" },
        super::whole_en(listed)
    );
    let _ = writeln!(out, "name = {}", toml_string(name));
    let _ = writeln!(out, "description = {}", toml_string(description));
    if let Some(sv) = description_sv {
        let _ = writeln!(out, "description_sv = {}", toml_string(sv));
    }
    if let Some(label) = &region.label {
        let _ = writeln!(out, "label_en = {}", toml_string(label));
        let _ = writeln!(out, "label_sv = {}", toml_string(label));
    }
    let _ = writeln!(out);
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
    for team in &region.teams {
        write_team(&mut out, team, region);
    }
    let mut tail = match region_share_65_plus(region) {
        Some((share, note)) => age_mix_tail(&templates.tail, share, &note),
        None => templates.tail.clone(),
    };
    if !region.teams.is_empty() {
        let (share, source) = region
            .teams
            .iter()
            .find_map(|t| t.frail_share.map(|s| (s, t.source.as_str())))
            .unwrap_or((PRESET_FRAIL_SHARE, "methods/mobile-team.toml"));
        tail = frail_to_teams(&tail, share, source);
    }
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
pub fn age_mix_warning(region: &Region) -> Option<Bilingual> {
    let shares: Vec<(f64, &str)> = region
        .units
        .iter()
        .filter_map(|u| u.share_65_plus.map(|s| (s, u.key.as_str())))
        .collect();
    let lo = shares.iter().min_by(|a, b| a.0.total_cmp(&b.0))?;
    let hi = shares.iter().max_by(|a, b| a.0.total_cmp(&b.0))?;
    (hi.0 - lo.0 > 0.05).then(|| {
        Bilingual::new(
            format!(
                "the units' shares aged 65+ range from {:.1} % ({}) to {:.1} % ({}), but a scenario has one age mix: the region's mean is used for every unit",
                100.0 * lo.0,
                lo.1,
                100.0 * hi.0,
                hi.1
            ),
            format!(
                "enheternas andelar 65 år och äldre går från {} ({}) till {} ({}), men ett scenario har en åldersfördelning: regionens medelvärde används för varje enhet",
                Lang::Sv.percent(lo.0, 1),
                lo.1,
                Lang::Sv.percent(hi.0, 1),
                hi.1
            ),
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
    let mut tables = unit_tables(unit, templates);
    unit_settings(&mut tables, unit, region, templates);
    let own = format!("[units.{k}.");
    let own_table = format!("[units.{k}]");
    for (header, key, line) in &region.fitted {
        if header.starts_with(&own) || *header == own_table {
            set_key(&mut tables, header, key, line.clone());
        }
    }
    for l in tables {
        let _ = writeln!(out, "{l}");
    }
    if unit.distance_bands.is_none() && unit.rural {
        let _ = writeln!(
            out,
            "# A rural unit ({src}, `rural`) without its own bands: the patients' distances\n\
             # and far walk-ins telephoning instead as in methods/rural-distance.toml\n\
             # (assumptions: no source in the seeds gives them; give `distance_bands` to override).\n\
             [units.{k}.distance_bands]\n\
             upper_km = [10, 30, 60]\n\
             shares = [0.5, 0.3, 0.2]\n\
             walk_in_to_phone = [0.0, 0.25, 0.5]\n",
            src = unit.source,
        );
    }
    if let Some(bands) = &unit.distance_bands {
        let list = |f: &dyn Fn(&(f64, f64)) -> f64| {
            bands
                .iter()
                .map(|b| f(b).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "# Where its patients live: results by `distance` band. Far walk-ins\n\
             # telephoning instead (`walk_in_to_phone`) is not set: add it if wanted.\n\
             [units.{k}.distance_bands]\n\
             upper_km = [{}]   # {src}\n\
             shares = [{}]   # {src}\n",
            list(&|b| b.0),
            list(&|b| b.1),
            src = unit.source,
        );
    }
    if region
        .units
        .iter()
        .any(|u| u.remote_doctor.as_deref() == Some(k.as_str()))
    {
        let guests: Vec<&str> = region
            .units
            .iter()
            .filter(|u| u.remote_doctor.as_deref() == Some(k.as_str()))
            .map(|u| u.key.as_str())
            .collect();
        let _ = writeln!(
            out,
            "# The shared remote doctor (virtual emergency room) of {}: its staff on\n\
             # `remote` duty examine their acute drop-in patients by video.\n\
             [units.{k}.remote_doctor]\n\
             exam_minutes = {{ dist = \"lognormal\", mean = 20, sd = 8 }}   # assumption: a video examination with a camera cart\n",
            guests.join(", ")
        );
    }
    let rows: Vec<&Staff> = region.staff.iter().filter(|s| &s.unit == k).collect();
    let mut taken = BTreeSet::new();
    let mut week = PartTimeWeek::default();
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
            let group = Group {
                profession: &t.profession,
                fte,
                key: &t.name,
                why: &why,
                vacant: 0,
                hired: None,
                cover: None,
                source: "",
            };
            write_group(out, unit, t, &group, &mut taken, &mut week);
        }
    }
    for s in rows {
        let Some(t) = templates.get(&s.template) else {
            continue;
        };
        let key = s.group.clone().unwrap_or_else(|| t.name.clone());
        let why = format!("{}: {} {:.2} FTE", s.source, s.profession, s.fte);
        let group = Group {
            profession: &s.profession,
            fte: s.fte,
            key: &key,
            why: &why,
            vacant: s.vacant,
            hired: s.hired.as_ref(),
            cover: s.cover,
            source: &s.source,
        };
        write_group(out, unit, t, &group, &mut taken, &mut week);
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

/// One staff group to write: what a staff row (or the scaled default)
/// gives.
struct Group<'a> {
    profession: &'a str,
    fte: f64,
    key: &'a str,
    /// The comment saying where the FTE came from.
    why: &'a str,
    /// Unfilled full-time posts.
    vacant: u32,
    hired: Option<&'a HiredCover>,
    /// The row's own `cover` answer; `None`: as the template.
    cover: Option<bool>,
    /// The row, named in the supply lines' comments.
    source: &'a str,
}

fn write_group(
    out: &mut String,
    unit: &Unit,
    t: &Template,
    g: &Group,
    taken: &mut BTreeSet<String>,
    week: &mut PartTimeWeek,
) {
    let (profession, key, why) = (g.profession, g.key, g.why);
    let (whole, part_days) = week.posts(profession, g.fte, t);
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
        "# {why} → {whole} full-time{part_note}; {}.",
        t.described(Lang::En)
    );
    // Vacant posts are full-time ones; hired cover goes with the full-time
    // group, or the part-time one when the row has no full-time post.
    let hired_on_part_time = whole == 0;
    let group = |out: &mut String, key: String, count: u32, lines: &[String], full_time: bool| {
        let _ = writeln!(out, "[units.{}.staff.{key}]", unit.key);
        if key != profession {
            let _ = writeln!(out, "profession = \"{profession}\"");
        }
        let _ = writeln!(out, "count = {count}");
        if let Some(dated) = &t.dated {
            let _ = writeln!(
                out,
                "{}",
                scale_counts(dated, "away = ", count as f64 / t.count, count)
            );
        }
        match g.cover {
            Some(true) => {
                let _ = writeln!(
                    out,
                    "cover = true   # {}: a stand-in works its leave and absence",
                    g.source
                );
            }
            None if t.cover => {
                let _ = writeln!(
                    out,
                    "cover = true   # as the default's `{}` group: a stand-in works its leave and absence",
                    t.name
                );
            }
            _ => {}
        }
        // The template's summer share goes with its stand-in; a row that
        // refuses the stand-in has none to share.
        let covered = t.cover && g.cover != Some(false);
        if let Some(share) = t.summer_cover.as_ref().filter(|_| covered) {
            let _ = writeln!(
                out,
                "summer_cover = {share}   # as the default's: the part of the summer leave a stand-in works"
            );
        }
        if full_time && g.vacant > 0 {
            let _ = writeln!(
                out,
                "vacant = {}   # {}: unfilled posts among the {count}",
                g.vacant, g.source
            );
        }
        if full_time != hired_on_part_time {
            if let Some(h) = g.hired {
                let _ = writeln!(
                    out,
                    "hired = [{{ from = \"{}\", to = \"{}\", count = {} }}]   # {}: hired cover",
                    h.from, h.to, h.count, g.source
                );
            } else if let Some(hired) = &t.hired {
                // The default's hired cover, the same share of the group
                // (none where it rounds to 0).
                let scaled =
                    scale_counts(hired, "count = ", whole.max(1) as f64 / t.count, u32::MAX);
                if !scaled.contains("count = 0 ") && !scaled.contains("count = 0}") {
                    let _ = writeln!(
                        out,
                        "{scaled}   # the default's hired cover, scaled to the group"
                    );
                }
            }
        }
        let _ = writeln!(out, "shifts = [");
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
        let _ = writeln!(out, "]\n");
    };
    if whole > 0 {
        group(out, unique(key), whole, &shifts, true);
    }
    if part_days != 0 {
        let limited: Vec<String> = shifts
            .iter()
            .filter_map(|l| limit_days(l, part_days))
            .collect();
        if !limited.is_empty() {
            group(out, unique(&format!("{key}_part_time")), 1, &limited, false);
        }
    }
}

/// A template's `dated = [ … ]` (or `hired = [ … ]`) line with each
/// `<key>n` scaled by `factor` (rounded, at most `max`): the same share of
/// the group away (or hired).
fn scale_counts(line: &str, key: &str, factor: f64, max: u32) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(key) {
        let (head, tail) = rest.split_at(at + key.len());
        out.push_str(head);
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        let n: f64 = tail[..digits].parse().unwrap_or(0.0);
        out.push_str(&((n * factor).round() as u32).min(max).to_string());
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// The share of triaged frail elderly that `methods/mobile-team.toml`
/// sends to its team.
const PRESET_FRAIL_SHARE: f64 = 0.5;
/// The preset's home-care requests per weekday and planned visits per
/// week, per 9 000 listed.
const PRESET_HOME_CARE: f64 = 1.5;
const PRESET_PLANNED: f64 = 10.0;

/// Replaces `key = …` in table `header` of `lines` by `line` (added at the
/// table's end if the key is not there); nothing if the table is missing.
fn set_key(lines: &mut Vec<String>, header: &str, key: &str, line: String) {
    let Some(start) = lines.iter().position(|l| l.trim() == header) else {
        return;
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with('['))
        .map_or(lines.len(), |e| start + 1 + e);
    let prefix = format!("{key} = ");
    match (start + 1..end).find(|&i| lines[i].trim_start().starts_with(&prefix)) {
        Some(i) => lines[i] = line,
        None => {
            // Before the blank lines that close the table.
            let mut at = end;
            while at > start + 1 && lines[at - 1].trim().is_empty() {
                at -= 1;
            }
            lines.insert(at, line);
        }
    }
}

/// The numbers of an `hour_profile = [ … ]` line in table `header`.
fn profile_in(lines: &[String], header: &str) -> Vec<f64> {
    let Some(start) = lines.iter().position(|l| l.trim() == header) else {
        return Vec::new();
    };
    lines[start + 1..]
        .iter()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.trim().strip_prefix("hour_profile = "))
        .map(|v| {
            v.split('#')
                .next()
                .unwrap_or("")
                .trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace())
                .split(',')
                .filter_map(|x| x.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn profile_line(profile: &[f64], why: &str) -> String {
    let items: Vec<String> = profile.iter().map(|x| format!("{x}")).collect();
    format!("hour_profile = [{}]   # {why}", items.join(", "))
}

/// What a unit's row sets beyond size and web booking: its telephone and
/// drop-in hours (and the hours its callers and walk-ins come in),
/// profession-neutral booking, and a drop-in served by a remote doctor.
fn unit_settings(lines: &mut Vec<String>, unit: &Unit, region: &Region, templates: &Templates) {
    let k = &unit.key;
    let src = &unit.source;
    for (hours, desk, demand, what) in [
        (&unit.phone_hours, "phone", "phone", "telephone"),
        (&unit.dropin_hours, "dropin", "walk_in", "drop-in"),
    ] {
        let Some(blocks) = hours else { continue };
        set_key(
            lines,
            &format!("[units.{k}.{desk}]"),
            "hours",
            format!("hours = {}   # {src}: `{desk}_hours`", hours_toml(blocks)),
        );
        let header = format!("[units.{k}.demand.{demand}]");
        let default = profile_in(lines, &header);
        if !default.is_empty() {
            set_key(
                lines,
                &header,
                "hour_profile",
                profile_line(
                    &profile_for(&default, blocks),
                    &format!(
                        "the default's shape in the {what} hours of {src}; hours it opens beyond the default's get the mean weight"
                    ),
                ),
            );
        }
    }
    if let Some(neutral) = unit.profession_neutral {
        set_key(
            lines,
            &format!("[units.{k}.booking]"),
            "profession_neutral",
            format!("profession_neutral = {neutral}   # {src}"),
        );
    }
    if let Some(host) = &unit.remote_doctor {
        let header = format!("[units.{k}.dropin]");
        // Who triages walk-ins: the unit's non-doctors on drop-in duty.
        let mut triage: Vec<&str> = region
            .staff
            .iter()
            .filter(|s| &s.unit == k && s.profession != "doctor")
            .filter(|s| {
                templates
                    .get(&s.template)
                    .is_some_and(|t| t.shifts.iter().any(|l| l.contains("activity = \"dropin\"")))
            })
            .map(|s| s.profession.as_str())
            .collect();
        triage.sort_unstable();
        triage.dedup();
        set_key(
            lines,
            &header,
            "at_closing",
            "at_closing = \"book\"   # those still waiting at closing get a booked time".into(),
        );
        set_key(
            lines,
            &header,
            "professions",
            format!(
                "professions = [\"doctor\"]   # {src}: acute walk-ins see the remote doctor hosted by `{host}`"
            ),
        );
        if !triage.is_empty() {
            let list: Vec<String> = triage.iter().map(|p| format!("\"{p}\"")).collect();
            set_key(
                lines,
                &header,
                "triage_by",
                format!(
                    "triage_by = [{}]   # the unit's staff on drop-in duty triage locally",
                    list.join(", ")
                ),
            );
            set_key(
                lines,
                &header,
                "triage_minutes",
                "triage_minutes = { dist = \"lognormal\", mean = 4, sd = 2 }   # assumption: local triage".into(),
            );
        }
        set_key(
            lines,
            &header,
            "remote_doctor",
            format!("remote_doctor = \"{host}\"   # {src}"),
        );
    }
}

/// One mobile team: the preset's crew, hours and visit length; the
/// region's cars, speed and winter; homes at the served units' positions
/// (or a distance per leg); requests scaled to the listed it serves.
fn write_team(out: &mut String, team: &Team, region: &Region) {
    let served: Vec<&Unit> = region
        .units
        .iter()
        .filter(|u| u.mobile_team.as_ref() == Some(&team.key))
        .collect();
    let listed: u32 = served.iter().map(|u| u.listed).sum();
    let f = f64::from(listed) / DEFAULT_LISTED;
    let src = &team.source;
    let k = &team.key;
    let _ = writeln!(out, "# ---- Mobile team {} ({src}) ----", team.name);
    let _ = writeln!(out, "[mobile_teams.{k}]");
    let _ = writeln!(out, "name = {}", toml_string(&team.name));
    let _ = writeln!(out, "base = \"{}\"   # {src}", team.base);
    let keys: Vec<String> = served.iter().map(|u| format!("\"{}\"", u.key)).collect();
    let _ = writeln!(
        out,
        "serves = [{}]   # units.csv's `mobile_team`",
        keys.join(", ")
    );
    let _ = writeln!(out, "crews = {}   # {src}", team.crews);
    let _ = writeln!(
        out,
        "crew = {{ doctor = 1, district_nurse = 1 }}   # doctor + nurse pairs, as methods/mobile-team.toml"
    );
    let _ = writeln!(
        out,
        "shifts = [{{ days = \"mon-fri\", start = \"08:00\", end = \"16:30\" }}]   # as methods/mobile-team.toml (Uppsala's hours)"
    );
    let _ = writeln!(
        out,
        "visit_minutes = {{ dist = \"lognormal\", mean = 40, sd = 15 }}   # as methods/mobile-team.toml (assumption)"
    );
    let (home_care, hc_why) = match team.home_care_per_day {
        Some(v) => (v, src.to_string()),
        None => (
            round2(PRESET_HOME_CARE * f),
            format!(
                "methods/mobile-team.toml's {PRESET_HOME_CARE} per 9 000 listed, for {listed} listed"
            ),
        ),
    };
    let (planned, pl_why) = match team.planned_per_week {
        Some(v) => (v, src.to_string()),
        None => (
            round2(PRESET_PLANNED * f),
            format!(
                "methods/mobile-team.toml's {PRESET_PLANNED} per 9 000 listed, for {listed} listed"
            ),
        ),
    };
    let _ = writeln!(out, "home_care_requests_per_day = {home_care}   # {hc_why}");
    let _ = writeln!(out, "planned_visits_per_week = {planned}   # {pl_why}");
    let _ = writeln!(out, "category = \"frail_elderly\"\n");
    let _ = writeln!(out, "[mobile_teams.{k}.travel]");
    let _ = writeln!(out, "speed_kmh = {}   # {src}", team.speed_kmh);
    let _ = writeln!(out, "winding = {}   # {src}", team.winding);
    let _ = writeln!(out, "winter_slowdown = {}   # {src}", team.winter_slowdown);
    let months: Vec<String> = team.winter_months.iter().map(u8::to_string).collect();
    let _ = writeln!(out, "winter_months = [{}]   # {src}", months.join(", "));
    match team.distance_km {
        Some(d) => {
            let _ = writeln!(
                out,
                "distance_km = {{ dist = \"gamma\", mean = {d}, sd = {} }}   # {src}; sd 0.6 × mean (assumption)\n",
                round2(0.6 * d)
            );
        }
        None => {
            let base = region
                .units
                .iter()
                .find(|u| u.key == team.base)
                .and_then(|u| u.position)
                .unwrap_or((0.0, 0.0));
            let _ = writeln!(
                out,
                "# Homes: each served unit's centre and, with a catchment radius, four\n\
                 # points at that distance; km east and north of the base; weights\n\
                 # share each unit's listed."
            );
            let _ = writeln!(out, "places = [");
            for u in &served {
                let (x, y) = u.position.unwrap_or((0.0, 0.0));
                let (x, y) = (x - base.0, y - base.1);
                let r = u.radius_km;
                let points: &[(f64, f64)] = if r > 0.0 {
                    &[(0.0, 0.0), (r, 0.0), (-r, 0.0), (0.0, r), (0.0, -r)]
                } else {
                    &[(0.0, 0.0)]
                };
                let w = f64::from(u.listed) / points.len() as f64;
                for (i, (dx, dy)) in points.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "  {{ name = \"{}-{i}\", x_km = {}, y_km = {}, weight = {} }},   # {}",
                        u.key,
                        round2(x + dx),
                        round2(y + dy),
                        round2(w),
                        u.source
                    );
                }
            }
            let _ = writeln!(out, "]\n");
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The case mix's `frail_elderly` routing with `share` of the triaged sent
/// to a mobile team instead of a booked visit.
fn frail_to_teams(tail: &[String], share: f64, source: &str) -> Vec<String> {
    let mut out = tail.to_vec();
    let mut in_frail = false;
    for l in &mut out {
        if l.starts_with('[') {
            in_frail = l.trim() == "[categories.frail_elderly]";
            continue;
        }
        let Some(value) = l
            .trim()
            .strip_prefix("after_triage = ")
            .filter(|_| in_frail)
        else {
            continue;
        };
        let value = value.split('#').next().unwrap_or("").trim();
        let Ok(toml::Value::Table(t)) = format!("x = {value}")
            .parse::<toml::Table>()
            .map(|mut t| t.remove("x").unwrap_or(toml::Value::Boolean(false)))
        else {
            continue;
        };
        let get = |k: &str| t.get(k).and_then(toml::Value::as_float).unwrap_or(0.0);
        let book = get("book");
        let moved = share.min(book);
        let mut parts = vec![format!("book = {}", round2(book - moved))];
        parts.push(format!("mobile = {}", round2(get("mobile") + moved)));
        for (k, v) in &t {
            if k != "book" && k != "mobile" {
                parts.push(format!("{k} = {v}"));
            }
        }
        *l = format!(
            "after_triage = {{ {} }}   # the default's, with {} of the triaged sent to the area's mobile team instead of a booked visit ({source})",
            parts.join(", "),
            round2(moved)
        );
    }
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
        assert_eq!(split_fte(4.6), (4, 3));
        assert_eq!(split_fte(2.0), (2, 0));
        assert_eq!(split_fte(2.95), (3, 0));
        // 0.9 of a post is a whole one, though 2.9 − 2 is 0.8999… in binary.
        assert_eq!(split_fte(2.9), (3, 0));
        assert_eq!(split_fte(0.9), (1, 0));
        assert_eq!(split_fte(3.05), (3, 0));
        assert_eq!(split_fte(0.05), (0, 1));
        assert_eq!(split_fte(0.4), (0, 2));
    }

    /// A unit's part-time posts of one profession share out the weekdays;
    /// another profession's start afresh, and a full-time post takes none.
    #[test]
    fn a_units_part_time_posts_of_a_profession_spread_over_the_week() {
        let templates = Templates::from_default();
        let t = |name: &str| templates.get(name).unwrap();
        let mut week = PartTimeWeek::default();
        let nurse = "district_nurse";
        assert_eq!(week.posts(nurse, 0.2, t("nurse_phone")), (0, 0b00100));
        assert_eq!(week.posts(nurse, 2.0, t("nurse_visits")), (2, 0));
        assert_eq!(week.posts(nurse, 1.4, t("nurse_dropin")), (1, 0b01010));
        assert_eq!(week.posts("doctor", 0.2, t("doctor")), (0, 0b00100));
        assert_eq!(week.posts(nurse, 0.6, t("nurse_chronic")), (0, 0b10101));
        // Wednesday has two by now, the other days one: a lone two-day post's.
        assert_eq!(week.posts(nurse, 0.4, t("nurse_chronic")), (0, 0b01010));
    }

    #[test]
    fn a_professions_days_add_up_to_its_total() {
        // The default's nurse groups (2 : 1 : 1 : 1 : 2 : 2 : 1), the
        // telephone, morning telephone and drop-in never left unstaffed.
        let nurses = [
            (2.0, true),
            (1.0, false),
            (1.0, true),
            (1.0, false),
            (2.0, false),
            (2.0, false),
            (1.0, true),
        ];
        assert_eq!(share_days(10.0, &nurses), [10, 5, 5, 5, 10, 10, 5]);
        // 1 FTE is 5 days: the halves go to the covered groups first.
        assert_eq!(share_days(1.0, &nurses), [1, 0, 1, 0, 1, 1, 1]);
        assert_eq!(share_days(0.4, &nurses), [1, 0, 0, 0, 1, 0, 0]);
        assert_eq!(share_days(11.0, &nurses), [11, 5, 6, 5, 11, 11, 6]);
        for total in [0.2, 0.6, 1.0, 2.9, 3.3, 7.0, 11.0, 13.4, 999.8] {
            let days: u32 = share_days(total, &nurses).iter().sum();
            assert_eq!(f64::from(days), (total * 5.0).round(), "{total}");
        }
        // Some is at least a day; none is none.
        assert_eq!(share_days(0.05, &[(6.0, false)]), [1]);
        assert_eq!(share_days(0.0, &nurses), [0; 7]);
        assert_eq!(share_days(2.5, &[(6.0, false)]), [13]);
    }
}
