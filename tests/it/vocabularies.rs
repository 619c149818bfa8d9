//! A wrong value of a closed vocabulary (an enum key in the scenario file) is
//! a located problem naming the key, listing the allowed values and
//! suggesting the closest, and every such problem is reported at once.

use vardsim::scenario::{Problem, Scenario, ScenarioError};

/// The problems of `text` (which must not load), by key.
fn problems(text: &str) -> Vec<Problem> {
    match Scenario::from_toml("vocab.toml", text, &[]) {
        Ok(_) => panic!("expected problems"),
        Err(ScenarioError::Invalid { problems }) => problems,
        Err(e) => panic!("{e}"),
    }
}

const BAD: &str = r#"name = "bad"
[simulation]
start_weekday = "mondai"
[units.vc]
listed = 1000
staff.nurse = { count = 1, shifts = [{ days = "mon-fri", start = "08:00", end = "12:00", activity = "telefone" }] }
[units.vc.phone]
hours = [{ days = "mon-fri", start = "08:00", end = "12:00" }]
mode = "hold"
[units.vc.dropin]
hours = [{ days = "mon-fri", start = "08:00", end = "12:00" }]
at_closing = "send-away"
[units.vc.booking]
when_full = "overflw"
[categories.acute]
share = 1.0
urgency = "today"
assess = ["nurse"]
service_minutes.nurse = { dist = "exponential", mean = 10 }
after_triage = { book = 0.5, emergncy = 0.5 }
[age_groups.old]
share = 1.0
channel_weight = { phone = 1.0, eservise = 0.5 }
[guarantee.mine]
deadline_days = 3
count_days = "workdays"
contact_kinds = ["visit", "vidoe"]
professions = ["any"]
applies_to = "everyone"
channels = ["walkin"]
"#;

#[test]
fn every_wrong_value_is_located_with_the_allowed_values_and_a_suggestion() {
    let p = problems(BAD);
    let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    let all = text.join("\n");
    let expect = [
        ("simulation.start_weekday", 3, "mondai", "monday"),
        (
            "units.vc.staff.nurse.shifts[0].activity",
            6,
            "telefone",
            "telephone",
        ),
        ("units.vc.phone.mode", 9, "hold", "hold_queue"),
        ("units.vc.dropin.at_closing", 12, "send-away", "send_away"),
        ("units.vc.booking.when_full", 14, "overflw", "overflow"),
        ("categories.acute.urgency", 17, "today", "same_day"),
        (
            "categories.acute.after_triage.emergncy",
            20,
            "emergncy",
            "emergency",
        ),
        (
            "age_groups.old.channel_weight.eservise",
            23,
            "eservise",
            "eservice",
        ),
        ("guarantee.mine.count_days", 26, "workdays", "working"),
        ("guarantee.mine.contact_kinds[1]", 27, "vidoe", "video"),
        ("guarantee.mine.applies_to", 29, "everyone", "all"),
        ("guarantee.mine.channels[0]", 30, "walkin", "walk_in"),
    ];
    for (key, line, found, allowed) in expect {
        let problem = p
            .iter()
            .find(|p| p.key == key)
            .unwrap_or_else(|| panic!("no problem at {key}:\n{all}"));
        let loc = problem.location.as_ref().expect("located");
        assert_eq!((loc.file.as_str(), loc.line), ("vocab.toml", line), "{key}");
        assert!(problem.message.contains(&format!("`{found}`")), "{problem}");
        assert!(
            problem.message.contains(&format!("`{allowed}`")),
            "{problem}"
        );
        assert!(problem.hint.is_some(), "{problem}");
    }
    assert_eq!(p.len(), expect.len(), "{all}");
}
