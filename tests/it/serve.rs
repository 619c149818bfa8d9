//! `vardsim serve`: the HTTP API called directly on the router (no browser,
//! no socket), and the command's access rules on a real port. The browser
//! test is `serve_browser` (ignored: it needs Debian's chromium).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use vardsim::experiment::{self, RunConfig};
use vardsim::scenario::Scenario;
use vardsim::serve::{self, Access, Catalog, Server};

/// The router with `access`, and the runtime its jobs run on.
struct App {
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
    _files: tempdir::Dir,
}

mod tempdir {
    /// A folder removed when dropped.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new(tag: &str) -> Dir {
            let p = std::env::temp_dir().join(format!(
                "vardsim-serve-test-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn app_with(access: Access, own: Option<&std::path::Path>, tag: &str) -> App {
    let files = tempdir::Dir::new(tag);
    let options = serve::Options {
        max_jobs: 2,
        threads: 2,
        files_root: files.0.clone(),
    };
    let server = Server::new(Catalog::new(own).unwrap(), &options);
    App {
        router: serve::router(server, access),
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
        _files: files,
    }
}

fn app(tag: &str) -> App {
    app_with(Access::Local, None, tag)
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl App {
    fn send(&self, req: Request<Body>) -> Reply {
        self.runtime.block_on(async {
            let resp = self.router.clone().oneshot(req).await.unwrap();
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = resp
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec();
            Reply {
                status,
                headers,
                body,
            }
        })
    }

    fn get(&self, uri: &str) -> Reply {
        self.send(
            Request::get(uri)
                .header(header::HOST, "127.0.0.1:8080")
                .body(Body::empty())
                .unwrap(),
        )
    }

    fn post(&self, uri: &str, body: Value) -> Reply {
        self.send(
            Request::post(uri)
                .header(header::HOST, "127.0.0.1:8080")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
    }

    /// Polls a job until it ends; its last status.
    fn wait(&self, id: u64) -> Value {
        let start = Instant::now();
        loop {
            let s = self.get(&format!("/api/jobs/{id}")).json();
            if ["done", "cancelled", "failed"].contains(&s["state"].as_str().unwrap()) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(300),
                "job {id} did not end"
            );
            // Let the runtime's tasks (the job's starter) run.
            self.runtime
                .block_on(async { tokio::time::sleep(Duration::from_millis(20)).await });
        }
    }
}

#[test]
fn the_page_and_its_assets_are_served() {
    let app = app("assets");
    let page = app.get("/");
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("<script src=\"app.js\">"));
    assert_eq!(app.get("/app.js").status, StatusCode::OK);
    assert_eq!(app.get("/style.css").status, StatusCode::OK);
}

#[test]
fn the_list_has_the_default_presets_regions_and_own_files_by_name() {
    let own = tempdir::Dir::new("own");
    std::fs::write(
        own.0.join("two-doctors.toml"),
        "extends = \"builtin:default\"\nname = \"two-doctors\"\n[units.vc.staff.doctor]\ncount = 2\n",
    )
    .unwrap();
    std::fs::write(own.0.join("notes.txt"), "not a scenario").unwrap();
    let app = app_with(Access::Local, Some(&own.0), "list");
    let list = app.get("/api/scenarios").json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "default");
    for n in [
        "methods/mobile-team",
        "methods/web-booking-40",
        "regions/jamtland-harjedalen",
        "own/two-doctors",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("notes")));
    let levers = app.get("/api/levers?scenario=own/two-doctors").json();
    let doctors = levers["levers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["path"] == "units.vc.staff.doctor.count")
        .unwrap();
    assert_eq!(doctors["value"], 2);
    // The description in both languages where the scenario has both.
    let default = app.get("/api/levers?scenario=default").json();
    assert!(
        default["description_sv"]
            .as_str()
            .is_some_and(|d| d.starts_with("Typisk svensk vårdcentral")),
        "{default}"
    );
}

#[test]
fn names_not_in_the_list_are_refused_and_never_read_as_paths() {
    let app = app("unknown");
    for name in [
        "../../../etc/passwd",
        "/etc/passwd",
        "scenarios/default.toml",
        "own/../default",
    ] {
        let r = app.get(&format!(
            "/api/levers?scenario={}",
            name.replace('/', "%2F")
        ));
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{name}");
        let r = app.post(
            "/api/jobs",
            json!({ "client": "t1", "scenario": name, "sets": [] }),
        );
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{name}");
        assert!(
            r.json()["error"]
                .as_str()
                .unwrap()
                .contains("no scenario called")
        );
    }
}

#[test]
fn every_refusal_of_the_api_is_json_and_names_what_was_wrong() {
    let app = app("refusals");
    let error_of = |r: Reply| -> (StatusCode, String) {
        (
            r.status,
            r.json()["error"]
                .as_str()
                .unwrap_or_else(|| panic!("no error text: {}", r.text()))
                .to_string(),
        )
    };
    // An unknown scenario is named in the answer.
    let (status, e) = error_of(app.get("/api/levers?scenario=methods%2Fnope"));
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(e.contains("\"methods/nope\""), "{e}");
    let (status, e) = error_of(app.get("/api/levers"));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e.contains("scenario"), "{e}");
    // A body that is not the request asked for.
    let raw = |body: &str, json: bool| {
        let mut req = Request::post("/api/jobs").header(header::HOST, "127.0.0.1:8080");
        if json {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        app.send(req.body(Body::from(body.to_string())).unwrap())
    };
    let (status, e) = error_of(raw("not json", true));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e.contains("JSON"), "{e}");
    let (status, e) = error_of(raw("{}", false));
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(e.contains("application/json"), "{e}");
    let (status, e) = error_of(raw(
        r#"{"client":"a","scenario":"default","seed":-1}"#,
        true,
    ));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("seed"), "{e}");
    // A job id that is not a number, on every route that takes one.
    for uri in [
        "/api/jobs/abc",
        "/api/jobs/abc/events",
        "/api/jobs/abc/scenario.toml",
        "/api/jobs/abc/files?lang=en",
        "/api/jobs/abc/files/en/report.md",
    ] {
        let (status, e) = error_of(app.get(uri));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(e.contains("abc"), "{uri}: {e}");
    }
    // No such route, or the wrong method.
    let (status, e) = error_of(app.get("/api/nothing"));
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(e.contains("/api/nothing"), "{e}");
    let (status, e) = error_of(app.get("/api/jobs"));
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(e.contains("GET"), "{e}");
}

#[test]
fn a_bad_change_comes_back_with_the_loaders_located_problems() {
    let app = app("problems");
    let sets = [
        "units.vc.staff.doctor.count=-1",
        "units.vc.dropin.hours[0].end=\"25:00\"",
    ];
    let r = app.post(
        "/api/jobs",
        json!({ "client": "t1", "scenario": "default", "sets": sets }),
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.json();
    assert_eq!(body["in"], "changes");
    let problems = body["problems"].as_array().unwrap();
    // Exactly what the command line's loader says, problem by problem.
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let Err(vardsim::scenario::ScenarioError::Invalid { problems: cli }) =
        Scenario::load(None, &sets)
    else {
        panic!("the loader accepted {sets:?}")
    };
    assert_eq!(problems.len(), cli.len());
    assert_eq!(problems.len(), 2, "{problems:?}");
    for (p, c) in problems.iter().zip(&cli) {
        assert_eq!(p["key"], c.key.as_str());
        assert_eq!(p["message"], c.message.as_str());
        assert_eq!(p["hint"].as_str(), c.hint.as_deref());
        let file = p["file"].as_str().unwrap();
        assert!(file.starts_with("--set units.vc."), "{file}");
    }
    let keys: Vec<&str> = problems
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"units.vc.staff.doctor.count"), "{keys:?}");
    assert!(keys.contains(&"units.vc.dropin.hours[0].end"), "{keys:?}");
}

#[test]
fn requests_outside_the_bounds_are_refused_with_a_reason() {
    let app = app("bounds");
    let cases = [
        json!({ "client": "t1", "scenario": "default", "replications": 1 }),
        json!({ "client": "t1", "scenario": "default", "replications": 100000 }),
        json!({ "client": "", "scenario": "default" }),
        json!({ "client": "a b/c", "scenario": "default" }),
    ];
    for c in cases {
        let r = app.post("/api/jobs", c.clone());
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{c}");
        assert!(r.json()["error"].is_string());
    }
    let r = app.post(
        "/api/jobs",
        json!({ "client": "t1", "scenario": "default", "path": "/etc/passwd" }),
    );
    assert!(r.status.is_client_error(), "an unknown field is refused");
    assert_eq!(app.get("/api/jobs/999999").status, StatusCode::NOT_FOUND);
}

#[test]
fn a_job_gives_the_paired_comparison_of_the_command_line_and_its_downloads() {
    let app = app("job");
    let sets = vec!["units.vc.staff.doctor.count=4".to_string()];
    let (seed, reps) = (7, 3);
    let r = app.post(
        "/api/jobs",
        json!({ "client": "t1", "scenario": "default", "sets": sets, "seed": seed, "replications": reps }),
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let id = r.json()["job"].as_u64().unwrap();
    let status = app.wait(id);
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(status["done"], 2 * reps);
    assert!(status["first_ms"].is_u64());

    // The same comparison as `vardsim compare`: two runs, same seed.
    let config = RunConfig {
        seed,
        replications: reps,
        threads: None,
    };
    let base = experiment::run(&Scenario::load(None, &[]).unwrap(), &config, &|| {}).unwrap();
    let mut variant =
        experiment::run(&Scenario::load(None, &sets).unwrap(), &config, &|| {}).unwrap();
    variant.scenario.push_str("+changed");
    let cli = experiment::compare(&[base, variant]);
    let rule = &cli.metrics["assessment_within_3_days"];
    for lang in ["sv", "en"] {
        let view = &status["views"][lang];
        let row = view["headline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == "assessment_within_3_days")
            .unwrap();
        assert_eq!(
            row["numbers"][0]["mean"].as_f64(),
            Some(rule.estimates[0].mean)
        );
        assert_eq!(
            row["numbers"][1]["mean"].as_f64(),
            Some(rule.estimates[1].mean)
        );
        assert_eq!(
            row["numbers"][1]["lo"].as_f64(),
            Some(rule.estimates[1].ci95_low)
        );
        assert_eq!(
            row["numbers"][2]["mean"].as_f64(),
            Some(rule.differences[0].mean)
        );
        assert_eq!(
            row["numbers"][2]["hi"].as_f64(),
            Some(rule.differences[0].ci95_high)
        );
        let keys: Vec<&str> = view["headline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            &keys[..4],
            [
                "contact_same_day",
                "assessment_within_3_days",
                "doctor_visit_within_7_days",
                "days_to_assessment_mean"
            ]
        );
        assert!(keys.contains(&"utilization_doctor") && keys.contains(&"staff_cost_sek_per_year"));
        let stems: Vec<&str> = view["charts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["stem"].as_str().unwrap())
            .collect();
        assert!(
            stems.contains(&"compliance") && stems.contains(&"utilisation"),
            "{stems:?}"
        );
        assert!(
            view["charts"][0]["svg"]
                .as_str()
                .unwrap()
                .starts_with("<svg")
        );
        assert_eq!(
            view["units"].as_array().unwrap().len(),
            0,
            "one unit: no unit table"
        );
    }
    let sv = status["views"]["sv"]["headline"][1]["label"]
        .as_str()
        .unwrap();
    assert_eq!(sv, "Medicinsk bedömning inom 3 dagar");

    // The downloaded scenario reproduces the changed run exactly.
    let toml = app.get(&format!("/api/jobs/{id}/scenario.toml"));
    assert_eq!(toml.status, StatusCode::OK);
    let text = toml.text();
    assert!(
        text.contains("--set units.vc.staff.doctor.count=4"),
        "{text}"
    );
    let reloaded = Scenario::from_toml("scenario.toml", &text, &[]).unwrap();
    let again = experiment::run(&reloaded, &config, &|| {}).unwrap();
    let direct = experiment::run(&Scenario::load(None, &sets).unwrap(), &config, &|| {}).unwrap();
    assert_eq!(again.replications, direct.replications);

    // Report, CSV and workbook, in the asked language; nothing outside the list.
    let files = app.get(&format!("/api/jobs/{id}/files?lang=en"));
    assert_eq!(files.status, StatusCode::OK, "{}", files.text());
    let names: Vec<String> = files
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    for n in [
        "comparison.json",
        "report.html",
        "report.md",
        "charts/compliance.svg",
        "charts/compliance.png",
        "base/replications.csv",
        "variant/results.xlsx",
        "scenario.toml",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
    }
    let report = app.get(&format!("/api/jobs/{id}/files/en/report.md"));
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.text().contains("Medical assessment within 3 days"));
    let sv = app.get(&format!("/api/jobs/{id}/files/sv/report.md"));
    assert!(sv.text().contains("Medicinsk bedömning inom 3 dagar"));
    for bad in [
        "../../../etc/passwd",
        "%2E%2E/%2E%2E/etc/passwd",
        "nothing.csv",
    ] {
        let r = app.get(&format!("/api/jobs/{id}/files/en/{bad}"));
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }
    assert_eq!(
        app.get(&format!("/api/jobs/{id}/files/xx/report.md"))
            .status,
        StatusCode::BAD_REQUEST
    );

    // The events stream ends with the final status.
    let events = app.get(&format!("/api/jobs/{id}/events"));
    assert_eq!(
        events.headers[header::CONTENT_TYPE].to_str().unwrap(),
        "text/event-stream"
    );
    let text = events.text();
    assert!(
        text.starts_with("event: status\ndata: {"),
        "{}",
        &text[..80.min(text.len())]
    );
    assert!(text.contains("\"state\":\"done\""));
}

#[test]
fn the_pages_tables_write_units_and_counts_per_year_as_compare_does() {
    let app = app("per-year");
    let sets = vec!["units.vc.staff.doctor.count=5".to_string()];
    let r = app.post(
        "/api/jobs",
        json!({ "client": "t1", "scenario": "default", "sets": sets, "replications": 2 }),
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let status = app.wait(r.json()["job"].as_u64().unwrap());
    assert_eq!(status["state"], "done", "{status}");
    let config = RunConfig {
        seed: 1,
        replications: 2,
        threads: None,
    };
    let base = experiment::run(&Scenario::load(None, &[]).unwrap(), &config, &|| {}).unwrap();
    let row = |lang: &str, key: &str| -> Value {
        let view = &status["views"][lang];
        view["headline"]
            .as_array()
            .unwrap()
            .iter()
            .chain(view["all"].as_array().unwrap())
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("no row {key}"))
            .clone()
    };
    // Units, as the report's tables write them.
    assert_eq!(
        row("en", "days_to_assessment_mean")["label"],
        "Days to medical assessment, mean (days)"
    );
    assert_eq!(
        row("en", "staff_cost_sek_per_year")["label"],
        "Staff cost per year (SEK)"
    );
    assert_eq!(
        row("sv", "callback_delay_minutes_mean")["label"],
        "Väntetid till återuppringning, medelvärde (min)"
    );
    // The old 7-day rule by the report's label, not the scenario's shorter one.
    assert_eq!(
        row("sv", "doctor_visit_within_7_days")["label"],
        "Läkarbesök inom 7 dagar (före 2019)"
    );
    // A total of the measured period (364 days) shown per year, whole, as
    // `vardsim compare` and its report show it.
    let booked = row("en", "booked_visits");
    let label = booked["label"].as_str().unwrap();
    assert!(
        label.ends_with("per year, scaled from 364 measured days"),
        "{label}"
    );
    let period = base.summary.metrics["booked_visits"].estimate.mean;
    let per_year = (period * 365.0 / 364.0).round();
    assert_eq!(booked["numbers"][0]["mean"].as_f64(), Some(per_year));
    let comma_thousands = |x: f64| {
        let s = format!("{}", x as i64);
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    assert_eq!(booked["base"][0], comma_thousands(per_year));
    // A row never mixes whole and decimal counts (means, CIs, difference).
    for lang in ["en", "sv"] {
        for r in status["views"][lang]["all"].as_array().unwrap() {
            if r["unit"] != "count" {
                continue;
            }
            let texts = [
                &r["base"][0],
                &r["base"][1],
                &r["variant"][0],
                &r["variant"][1],
                &r["diff"],
            ]
            .map(|t| t.as_str().unwrap().to_string());
            let point = if lang == "en" { '.' } else { ',' };
            let decimals: Vec<bool> = texts
                .iter()
                .filter(|t| *t != "–")
                .map(|t| t.contains(point))
                .collect();
            assert!(
                decimals.iter().all(|d| *d == decimals[0]),
                "{lang} {}: {texts:?}",
                r["key"]
            );
        }
    }
}

#[test]
fn a_change_of_the_measured_period_is_noted_beside_the_tables() {
    // Session 35 noticed: a change of the horizon or the warm-up made the
    // page show each period's totals side by side, without the note that
    // the compare report and terminal give.
    let app = app("periods");
    let start = |sets: Vec<&str>| {
        let r = app.post(
            "/api/jobs",
            json!({ "client": "t1", "scenario": "default", "sets": sets, "replications": 2 }),
        );
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let status = app.wait(r.json()["job"].as_u64().unwrap());
        assert_eq!(status["state"], "done", "{status}");
        status
    };
    let status = start(vec!["simulation.horizon_days=150"]);
    let base = Scenario::load(None, &[]).unwrap();
    let days = |s: &Scenario| s.horizon_days - s.warmup_days;
    let short = Scenario::load(None, &["simulation.horizon_days=150".into()]).unwrap();
    let (long_d, short_d) = (days(&base), days(&short));
    assert_ne!(long_d, short_d);
    for (lang, words) in [("en", "different lengths"), ("sv", "olika längd")] {
        let notes = status["views"][lang]["notes"].as_array().unwrap();
        assert_eq!(notes.len(), 1, "{lang}: {notes:?}");
        let note = notes[0].as_str().unwrap();
        assert!(note.contains(words), "{note}");
        assert!(
            note.contains(&format!("{long_d}, {short_d}")),
            "{lang}: the two periods' days in {note}"
        );
    }
    // The counts are then each period's totals: no row claims "per year".
    for r in status["views"]["en"]["all"].as_array().unwrap() {
        let label = r["label"].as_str().unwrap();
        assert!(!label.contains("per year,"), "{label}");
    }
    // An unchanged period needs no note.
    let same = start(vec!["units.vc.staff.doctor.count=5"]);
    assert_eq!(same["views"]["en"]["notes"], json!([]));
}

#[test]
fn a_change_of_name_names_the_column_and_the_downloaded_file() {
    // Session 35 noticed (from the code): a change that set `name` alone
    // showed the column as "default#2" and wrote `name = "default"` in the
    // downloaded file, so its compare read "default vs default".
    let app = app("renamed");
    for (sets, column) in [
        (vec!["name=alt"], "alt"),
        (
            vec!["name=alt", "units.vc.staff.doctor.count=5"],
            "alt+vc.staff.doctor.count=5",
        ),
    ] {
        let r = app.post(
            "/api/jobs",
            json!({ "client": "t1", "scenario": "default", "sets": sets, "replications": 2 }),
        );
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["columns"], json!(["default", column]), "{sets:?}");
        let id = r.json()["job"].as_u64().unwrap();
        let text = app.get(&format!("/api/jobs/{id}/scenario.toml")).text();
        let file = Scenario::from_toml("scenario.toml", &text, &[]).unwrap();
        assert_eq!(file.name, column, "{sets:?}: {text}");
        // The same name as `vardsim run --set …` gives its folder.
        let owned: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let cli = Scenario::load(None, &owned).unwrap();
        assert_eq!(
            vardsim::report::runs::variant_name(&cli.name, &owned),
            column
        );
        app.wait(id);
    }
}

#[test]
fn a_tabs_new_job_cancels_its_old_one_but_not_another_tabs() {
    let app = app("cancel");
    let start = |client: &str, reps: u32| {
        let r = app.post(
            "/api/jobs",
            json!({ "client": client, "scenario": "default", "replications": reps }),
        );
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["job"].as_u64().unwrap()
    };
    let first = start("tab-a", 400);
    let other = start("tab-b", 2);
    let second = start("tab-a", 2);
    assert_eq!(app.wait(first)["state"], "cancelled");
    assert_eq!(app.wait(second)["state"], "done");
    assert_eq!(app.wait(other)["state"], "done");
}

#[test]
fn a_region_shows_its_health_centres() {
    let app = app("region");
    let r = app.post(
        "/api/jobs",
        json!({ "client": "t1", "scenario": "regions/jamtland-harjedalen", "replications": 2,
                "sets": ["simulation.horizon_days=120", "simulation.warmup_days=28"] }),
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let status = app.wait(r.json()["job"].as_u64().unwrap());
    assert_eq!(status["state"], "done");
    let units = status["views"]["sv"]["units"].as_array().unwrap();
    let scenario = Scenario::load(
        Some(&crate::root().join("scenarios/regions/jamtland-harjedalen.toml")),
        &[],
    )
    .unwrap();
    assert_eq!(units.len(), scenario.units.len());
    assert!(
        status["views"]["sv"]["charts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["stem"] == "units"
                && c["title"].as_str().unwrap().contains("per vårdcentral"))
    );
}

#[test]
fn with_a_token_every_request_must_carry_it() {
    let token = "0123456789abcdef0123";
    let app = app_with(Access::Token(token.into()), None, "token");
    let get = |uri: &str, headers: &[(header::HeaderName, &str)]| {
        let mut req = Request::get(uri).header(header::HOST, "meeting-room:8080");
        for (k, v) in headers {
            req = req.header(k, *v);
        }
        app.send(req.body(Body::empty()).unwrap())
    };
    assert_eq!(get("/", &[]).status, StatusCode::UNAUTHORIZED);
    assert_eq!(get("/api/scenarios", &[]).status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get("/?token=0123456789abcdef0124", &[]).status,
        StatusCode::UNAUTHORIZED
    );
    let first = get(&format!("/?token={token}"), &[]);
    assert_eq!(first.status, StatusCode::OK);
    let cookie = first.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with(&format!("vardsim_token={token};")) && cookie.contains("HttpOnly"));
    let with_cookie = format!("vardsim_token={token}");
    assert_eq!(
        get("/api/scenarios", &[(header::COOKIE, &with_cookie)]).status,
        StatusCode::OK
    );
    let bearer = format!("Bearer {token}");
    assert_eq!(
        get("/api/scenarios", &[(header::AUTHORIZATION, &bearer)]).status,
        StatusCode::OK
    );
}

#[test]
fn on_loopback_only_loopback_host_names_are_answered() {
    let app = app("host");
    let r = app.send(
        Request::get("/api/scenarios")
            .header(header::HOST, "attacker.example:8080")
            .body(Body::empty())
            .unwrap(),
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.send(
        Request::get("/api/scenarios")
            .header(header::HOST, "localhost:8080")
            .body(Body::empty())
            .unwrap(),
    );
    assert_eq!(r.status, StatusCode::OK);
}

/// A running `vardsim serve`, stopped when dropped.
pub struct Served {
    child: std::process::Child,
    _stdout: std::io::BufReader<std::process::ChildStdout>,
    /// The address it printed.
    pub url: String,
}

impl Served {
    /// Starts `vardsim serve --port 0 ARGS` and reads the address it prints.
    pub fn start(args: &[&str]) -> Served {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vardsim"))
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("vardsim serve: ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Served {
            child,
            _stdout: stdout,
            url,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.0 GET (the server closes the connection after the
/// answer, which Chromium's DevTools server does only for 1.0); the status
/// line and the body.
pub fn http_get(url: &str, extra: &str) -> (String, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET /{path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    (
        head.lines().next().unwrap_or_default().to_string(),
        body.to_string(),
    )
}

#[test]
fn the_command_serves_loopback_and_needs_a_token_with_listen() {
    let local = Served::start(&[]);
    assert!(local.url.starts_with("http://127.0.0.1:"), "{}", local.url);
    let (status, body) = http_get(&format!("{}api/scenarios", local.url), "");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("regions/jamtland-harjedalen"));

    let listening = Served::start(&["--listen", "127.0.0.1"]);
    let (base, token) = listening.url.split_once("?token=").unwrap();
    assert_eq!(
        token.len(),
        32,
        "a generated token is printed: {}",
        listening.url
    );
    let (status, _) = http_get(&format!("{base}api/scenarios"), "");
    assert!(status.contains("401"), "{status}");
    let (status, _) = http_get(
        &format!("{base}api/scenarios"),
        &format!("Authorization: Bearer {token}\r\n"),
    );
    assert!(status.contains("200"), "{status}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .args(["serve", "--token", "0123456789abcdef0123"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "--token without --listen is refused");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .args(["serve", "--listen", "127.0.0.1", "--token", "short"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token: expected 16"));
}
