//! The event log (`run --event-log`): one row per arrival, contact and end
//! of the first replication, as CSV and XES. It holds everything needed to
//! recompute the guarantee from the events alone: "3" recomputed from the
//! CSV equals the run's `summary.json` exactly.

use std::collections::BTreeMap;
use std::process::Command;

use vardsim::vocab::ids::{CategoryId, ProfessionId};
use vardsim::vocab::kinds::{ContactKind, EndState};

use super::*;

#[test]
fn assessment_within_3_days_recomputed_from_the_event_log_equals_the_summary() {
    let dir = std::env::temp_dir().join(format!("vardsim-eventlog-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .current_dir(root())
        .args(["run", "-r", "1", "--seed", "4", "--event-log", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("default");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
    let expected = summary["metrics"]["assessment_within_3_days"]["mean"]
        .as_f64()
        .expect("the rule in summary.json");
    let expected_legal =
        summary["metrics"]["assessment_within_3_days_excluding_patient_chosen"]["mean"]
            .as_f64()
            .expect("the legal definition in summary.json");

    let sc = load("scenarios/default.toml", &[]);
    let rule = sc
        .rules
        .iter()
        .find(|r| r.key == "assessment_within_3_days")
        .unwrap();
    let from_s = u64::from(sc.warmup_days) * 86_400;
    let horizon_day = u64::from(sc.horizon_days);
    let category =
        |k: &str| CategoryId(sc.categories.iter().position(|c| c.key == k).unwrap() as u16);
    let profession =
        |k: &str| ProfessionId(sc.professions.iter().position(|p| p.key == k).unwrap() as u8);
    let kind = |k: &str| *ContactKind::ALL.iter().find(|c| c.key() == k).unwrap();
    let ends_without_need = [
        EndState::SelfCare,
        EndState::EmergencyDept,
        EndState::NoShow,
        EndState::Cancelled,
        EndState::WentElsewhere,
    ]
    .map(|e| e.key());

    // Per case: arrival (s), in scope of the rule, first qualifying contact
    // (s), the day the patient chose a later time.
    let mut cases: BTreeMap<u64, (u64, bool, Option<u64>, Option<u64>)> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(folder.join("event_log.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (case, event, time, cat, follow, chosen, avoidable, end, kind_c, prof) = (
        col("case_id"),
        col("event"),
        col("time_s"),
        col("category"),
        col("follow_up"),
        col("patient_chosen_day"),
        col("avoidable_emergency"),
        col("end_state"),
        col("kind"),
        col("profession"),
    );
    let mut rows = 0;
    for r in reader.records() {
        let r = r.unwrap();
        rows += 1;
        let id: u64 = r[case].parse().unwrap();
        let t: u64 = r[time].parse().unwrap();
        match &r[event] {
            "arrival" => {
                let c = sc.category(category(&r[cat]));
                let counted = t >= from_s && &r[follow] == "false";
                let in_scope = counted
                    && (!rule.guarantee_only || c.inside_guarantee)
                    && !c.assess.intersect(rule.professions).is_empty()
                    && !(rule.only_needing_assessment
                        && &r[avoidable] == "false"
                        && ends_without_need.contains(&&r[end]));
                let chose = (!r[chosen].is_empty()).then(|| r[chosen].parse().unwrap());
                cases.insert(id, (t, in_scope, None, chose));
            }
            "contact" => {
                let entry = cases.get_mut(&id).expect("a contact after its arrival");
                if entry.2.is_none()
                    && rule.kinds.contains(kind(&r[kind_c]))
                    && rule.professions.contains(profession(&r[prof]))
                {
                    entry.2 = Some(t);
                }
            }
            "end" => assert!(cases.contains_key(&id)),
            other => panic!("unknown event {other}"),
        }
    }
    // The rule as counted (the default's rules keep patient-chosen waits),
    // and under the legal definition: a choice made while the rule was
    // still open (not met by that day, its last day not passed) leaves the
    // episode out; any other choice did not cause a miss.
    assert!(!rule.exclude_patient_chosen);
    let (mut met, mut total, mut met_legal, mut total_legal) = (0.0, 0.0, 0.0, 0.0);
    for (arrived, in_scope, first, chose) in cases.values() {
        let last = arrived / 86_400 + u64::from(rule.deadline_days);
        if !in_scope || last + 1 > horizon_day {
            continue;
        }
        let hit = f64::from(u8::from(first.is_some_and(|t| t / 86_400 <= last)));
        total += 1.0;
        met += hit;
        let met_by = |d: u64| first.is_some_and(|t| t / 86_400 <= d);
        if !chose.is_some_and(|d| d <= last && !met_by(d)) {
            total_legal += 1.0;
            met_legal += hit;
        }
    }
    assert!(total_legal < total, "some patients chose a later time");
    assert_eq!(
        met_legal / total_legal,
        expected_legal,
        "the legal definition recomputed from the log"
    );
    assert!(
        total > 1000.0 && rows > 10_000,
        "{total} cases, {rows} rows"
    );
    assert_eq!(met / total, expected, "recomputed from {rows} events");
    // The XES file has a trace per case and an event per row.
    let xes = std::fs::read_to_string(folder.join("event_log.xes")).unwrap();
    assert_eq!(xes.matches("<trace>").count(), cases.len());
    assert_eq!(xes.matches("<event>").count(), rows);
    assert!(
        xes.contains("<date key=\"time:timestamp\" value=\"2018-01-"),
        "nominal 2018 dates"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Unit and category keys are the scenario's own TOML keys and may hold a
/// comma, a quote, a tab or a line break: every row of `event_log.csv`
/// still has its 18 fields with the keys intact, and `event_log.xes` is
/// well-formed XML that gives the keys back (an audit found the CSV's keys
/// written unquoted, shifting the columns).
#[test]
fn keys_with_commas_quotes_and_line_breaks_stay_one_field_in_the_event_log() {
    let dir = temp("eventlog-keys");
    let unit = "d,e \"x\"\nz";
    let category = "a,\ty";
    let text = std::fs::read_to_string(root().join("scenarios/validation/mmc.toml"))
        .unwrap()
        .replace("units.desk", "units.\"d,e \\\"x\\\"\\nz\"")
        .replace("categories.any", "categories.\"a,\\ty\"")
        .replace("horizon_days = 3650", "horizon_days = 5")
        .replace("warmup_days = 30", "warmup_days = 1");
    let file = dir.join("keys.toml");
    std::fs::write(&file, text).unwrap();
    let out = vardsim(&[
        "run",
        file.to_str().unwrap(),
        "-r",
        "1",
        "--event-log",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.join("out/mmc");
    let mut reader = csv::Reader::from_path(folder.join("event_log.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("a well-formed CSV row");
        assert_eq!(record.len(), 18, "{record:?}");
        assert_eq!(&record[col("unit")], unit);
        assert_eq!(&record[col("category")], category);
        assert_eq!(&record[col("channel")], "walk_in");
        rows += 1;
    }
    assert!(rows > 10, "{rows} rows");
    let xes = std::fs::read_to_string(folder.join("event_log.xes")).unwrap();
    let doc = roxmltree::Document::parse(&xes).expect("well-formed XES");
    let attr = |key: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("string") && n.attribute("key") == Some(key))
            .and_then(|n| n.attribute("value"))
            .map(str::to_string)
    };
    assert_eq!(attr("unit").as_deref(), Some(unit));
    assert_eq!(attr("category").as_deref(), Some(category));
    let _ = std::fs::remove_dir_all(&dir);
}

/// An audit's finding: arrival and end rows wrote `duration_s` 0 (the docs
/// give it "for a contact", and `requested_s` was empty there), so a
/// column's mean understated contact lengths; and the XES traces left out
/// `avoidable_emergency`, a case attribute the CSV has.
#[test]
fn duration_is_only_a_contacts_and_xes_traces_carry_every_case_attribute() {
    let dir = temp("eventlog-columns");
    let out = vardsim(&[
        "run",
        "-r",
        "1",
        "--event-log",
        "--set",
        "simulation.horizon_days=20",
        "--set",
        "simulation.warmup_days=2",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("event_log.csv").exists())
        .expect("the run folder");
    let mut reader = csv::Reader::from_path(folder.join("event_log.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (event, requested, duration) = (col("event"), col("requested_s"), col("duration_s"));
    let mut contacts = 0;
    for r in reader.records() {
        let r = r.unwrap();
        if &r[event] == "contact" {
            contacts += 1;
            assert!(r[duration].parse::<u32>().is_ok(), "{r:?}");
        } else {
            assert_eq!((&r[requested], &r[duration]), ("", ""), "{r:?}");
        }
    }
    assert!(contacts > 100, "{contacts} contacts");
    let xes = std::fs::read_to_string(folder.join("event_log.xes")).unwrap();
    assert_eq!(
        xes.matches("<trace>").count(),
        xes.matches("<boolean key=\"avoidable_emergency\"").count()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
