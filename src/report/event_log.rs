//! The event log of one replication: one row per patient event (arrival,
//! each contact with staff, the end of the episode) as a tidy CSV and as
//! XES (IEEE 1849), the event-log standard that process-mining tools (ProM,
//! pm4py, Disco, Celonis) read, so a region can hold the model against its
//! own records. Written from the replication's records, row by row through
//! a buffer; bounded by [`MAX_EVENTS`].

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use super::ReportError;
use crate::engine::{Calendar, SimTime};
use crate::model::Records;
use crate::scenario::Scenario;
use crate::vocab::ids::PatientId;

/// Largest event log written (rows); a run that would write more is refused
/// before anything is written.
pub const MAX_EVENTS: usize = 5_000_000;

/// Number of events the log of `records` has.
pub fn event_count(records: &Records) -> usize {
    let ended = records
        .episodes
        .iter()
        .filter(|e| e.ended != SimTime::NEVER)
        .count();
    records.episodes.len() + records.contacts.len() + ended
}

/// The number of events of `records`' log, refused above [`MAX_EVENTS`].
pub fn check_event_count(records: &Records) -> Result<usize, ReportError> {
    let n = event_count(records);
    if n > MAX_EVENTS {
        return Err(ReportError::TooLarge(format!(
            "the event log would have {n} events; at most {MAX_EVENTS} are written\n  hint: shorten simulation.horizon_days or run a smaller region"
        )));
    }
    Ok(n)
}

/// The nominal date of day 0: the first measured day is the first day of
/// the scenario's start month in the latest common year up to 2025 in which
/// it falls on the start weekday (the model's year has 365 days and no
/// date); the warm-up runs on the days before it.
fn nominal_start(calendar: &Calendar) -> jiff::civil::Date {
    let measured = nominal_measured_start(calendar);
    measured
        .checked_sub(jiff::Span::new().days(calendar.lead() as i64))
        .unwrap_or(measured)
}

fn nominal_measured_start(calendar: &Calendar) -> jiff::civil::Date {
    let month = calendar.start_month() as i8 + 1;
    let weekday = calendar.start_weekday().index() as i8; // 0 = Monday
    (1990..=2025)
        .rev()
        .filter_map(|y| jiff::civil::Date::new(y, month, 1).ok())
        .find(|d| !d.in_leap_year() && d.weekday().to_monday_zero_offset() == weekday)
        .unwrap_or_else(|| jiff::civil::date(2018, 1, 1))
}

/// One event: time, what happened and to whom.
struct Row<'a> {
    patient: PatientId,
    at: SimTime,
    event: &'a str,
    kind: &'a str,
    activity: &'a str,
    profession: &'a str,
    requested: Option<SimTime>,
    /// A contact's length; none for an arrival or an end (empty, as
    /// `requested_s`: a 0 there would pull down a column's mean).
    duration_s: Option<u32>,
}

/// Writes `event_log.csv` and `event_log.xes` of `records` into `dir`.
pub fn write_event_log(
    dir: &Path,
    scenario: &Scenario,
    records: &Records,
) -> Result<usize, ReportError> {
    let n = check_event_count(records)?;
    let start = nominal_start(&scenario.calendar);
    let stamp = |t: SimTime| {
        let day = (t.0 / SimTime::DAY) as i64;
        let secs = (t.0 % SimTime::DAY) as i64;
        let date = start
            .checked_add(jiff::Span::new().days(day))
            .unwrap_or(start);
        let time = jiff::civil::Time::midnight()
            .checked_add(jiff::Span::new().seconds(secs))
            .unwrap_or_default();
        date.to_datetime(time).to_string()
    };
    // Contacts by patient, in time order (the records are in time order).
    let mut by_patient: Vec<Vec<u32>> = vec![Vec::new(); records.episodes.len()];
    for (i, c) in records.contacts.iter().enumerate() {
        if let Some(list) = by_patient.get_mut(c.patient.index()) {
            list.push(i as u32);
        }
    }
    let profession =
        |p: crate::vocab::ids::ProfessionId| scenario.professions[p.index()].key.as_str();
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Write { path, source }
    };
    let csv_path = dir.join("event_log.csv");
    let xes_path = dir.join("event_log.xes");
    let mut csv =
        std::io::BufWriter::new(std::fs::File::create(&csv_path).map_err(err(&csv_path))?);
    let mut xes =
        std::io::BufWriter::new(std::fs::File::create(&xes_path).map_err(err(&xes_path))?);
    writeln!(
        csv,
        "case_id,event,timestamp,time_s,unit,channel,category,age_group,follow_up,patient_chosen,patient_chosen_day,avoidable_emergency,end_state,kind,activity,profession,requested_s,duration_s"
    )
    .map_err(err(&csv_path))?;
    write!(
        xes,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\" xmlns=\"http://www.xes-standard.org/\">\n\
         <extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n\
         <extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n\
         <extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>\n\
         <string key=\"concept:name\" value=\"{}\"/>\n",
        xml(&scenario.name)
    )
    .map_err(err(&xes_path))?;
    let mut line = String::new();
    let mut trace = String::new();
    for (i, e) in records.episodes.iter().enumerate() {
        let patient = PatientId(i as u32);
        let unit = &scenario.units[e.unit.index()].key;
        let category = &scenario.categories[e.category.index()].key;
        let age = &scenario.age_groups[e.age.index()].key;
        let mut rows = vec![Row {
            patient,
            at: e.arrived,
            event: "arrival",
            kind: "",
            activity: "",
            profession: "",
            requested: None,
            duration_s: None,
        }];
        for &c in &by_patient[i] {
            let c = &records.contacts[c as usize];
            rows.push(Row {
                patient,
                at: c.start,
                event: "contact",
                kind: c.kind.key(),
                activity: c.activity.key(),
                profession: profession(c.profession),
                requested: Some(c.requested),
                duration_s: Some(c.duration_s),
            });
        }
        if e.ended != SimTime::NEVER {
            rows.push(Row {
                patient,
                at: e.ended,
                event: "end",
                kind: "",
                activity: "",
                profession: "",
                requested: None,
                duration_s: None,
            });
        }
        trace.clear();
        let _ = writeln!(
            trace,
            "<trace><string key=\"concept:name\" value=\"{i}\"/><string key=\"unit\" value=\"{}\"/><string key=\"channel\" value=\"{}\"/><string key=\"category\" value=\"{}\"/><string key=\"age_group\" value=\"{}\"/><string key=\"end_state\" value=\"{}\"/><boolean key=\"follow_up\" value=\"{}\"/><boolean key=\"patient_chosen\" value=\"{}\"/>{}<boolean key=\"avoidable_emergency\" value=\"{}\"/>",
            xml(unit),
            e.channel.key(),
            xml(category),
            xml(age),
            e.end.key(),
            e.follow_up,
            e.patient_chosen_on.is_some(),
            e.patient_chosen_on.map_or(String::new(), |d| format!(
                "<int key=\"patient_chosen_day\" value=\"{d}\"/>"
            )),
            e.avoidable_emergency
        );
        for r in &rows {
            line.clear();
            let _ = writeln!(
                line,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                r.patient.0,
                r.event,
                stamp(r.at),
                r.at.0,
                csv_field(unit),
                e.channel.key(),
                csv_field(category),
                csv_field(age),
                e.follow_up,
                e.patient_chosen_on.is_some(),
                e.patient_chosen_on.map_or(String::new(), |d| d.to_string()),
                e.avoidable_emergency,
                e.end.key(),
                r.kind,
                r.activity,
                csv_field(r.profession),
                r.requested.map_or(String::new(), |t| t.0.to_string()),
                r.duration_s.map_or(String::new(), |d| d.to_string())
            );
            csv.write_all(line.as_bytes()).map_err(err(&csv_path))?;
            let name = match r.event {
                "contact" => format!("{} ({})", r.kind, r.profession),
                "end" => format!("end: {}", e.end.key()),
                _ => format!("arrival: {}", e.channel.key()),
            };
            let _ = write!(
                trace,
                " <event><string key=\"concept:name\" value=\"{}\"/><date key=\"time:timestamp\" value=\"{}\"/>",
                xml(&name),
                stamp(r.at)
            );
            if !r.profession.is_empty() {
                let _ = write!(
                    trace,
                    "<string key=\"org:resource\" value=\"{}\"/>",
                    xml(r.profession)
                );
            }
            trace.push_str("</event>\n");
        }
        trace.push_str("</trace>\n");
        xes.write_all(trace.as_bytes()).map_err(err(&xes_path))?;
    }
    xes.write_all(b"</log>\n").map_err(err(&xes_path))?;
    csv.flush().map_err(err(&csv_path))?;
    xes.flush().map_err(err(&xes_path))?;
    Ok(n)
}

/// `s` as one CSV field: quoted when it holds a separator, a quote or a
/// line break. Unit, category, age-group and profession keys are the
/// scenario's own (`[units."Åre, norra"]` is a valid TOML key), and an
/// unquoted comma would shift every later column of the row.
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// `s` escaped for an XML attribute. Line breaks and tabs as character
/// references (a parser turns literal ones into spaces); other control
/// characters, which XML 1.0 cannot hold at all, as U+FFFD.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if c.is_control() && (c as u32) < 0x20 => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
