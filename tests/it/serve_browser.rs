//! `vardsim serve` as a person uses it, in a real headless Chromium driven
//! through the DevTools protocol (a WebSocket, JSON messages): load the
//! page, pick a preset, change the number of doctors, wait for the results,
//! read the "3" figure and its interval from the page and check them
//! against `vardsim compare` on the same scenarios and seed; save a
//! screenshot to `docs/img/serve.png`.
//!
//! Ignored in a plain `cargo test` (it needs Debian's `chromium`); `.ci/run`
//! installs it and runs `cargo test --test it serve_browser -- --ignored`.
//! `VARDSIM_CHROMIUM` names another Chromium binary.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use super::serve::{Served, http_get};

/// A headless Chromium, killed when dropped.
struct Browser {
    child: Child,
    profile: std::path::PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn chromium() -> String {
    if let Ok(c) = std::env::var("VARDSIM_CHROMIUM") {
        return c;
    }
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {c}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if found {
            return c.to_string();
        }
    }
    panic!("no chromium found: apt-get install -y chromium (or set VARDSIM_CHROMIUM)");
}

/// Starts Chromium and returns it with the DevTools address of its browser.
fn start_browser() -> (Browser, String) {
    let profile = std::env::temp_dir().join(format!("vardsim-chromium-{}", std::process::id()));
    let mut child = Command::new(chromium())
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--remote-debugging-port=0",
            "--window-size=1400,1000",
            "--lang=sv-SE",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let ws = loop {
        let line = lines
            .next()
            .expect("chromium ended before printing its DevTools address")
            .unwrap();
        if let Some(url) = line.strip_prefix("DevTools listening on ") {
            break url.trim().to_string();
        }
    };
    // Keep draining stderr so Chromium never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Browser { child, profile }, ws)
}

/// A DevTools session with one page.
struct Page {
    ws: WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next: u64,
}

impl Page {
    fn open(browser_ws: &str) -> Page {
        // The page target of `about:blank`, from the browser's /json list.
        let http = browser_ws
            .replace("ws://", "http://")
            .split("/devtools")
            .next()
            .unwrap()
            .to_string();
        let targets: Value = serde_json::from_str(&devtools_get(&http, "/json/list")).unwrap();
        let page = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .expect("a page target");
        let url = page["webSocketDebuggerUrl"].as_str().unwrap();
        let (ws, _) = tungstenite::connect(url).expect("connect to the page");
        Page { ws, next: 1 }
    }

    /// Sends a command and waits for its answer (events in between are skipped).
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        let msg = json!({ "id": id, "method": method, "params": params });
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let Message::Text(text) = self.ws.read().unwrap() else {
                continue;
            };
            let v: Value = serde_json::from_str(text.as_str()).unwrap();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
        }
    }

    /// Evaluates JavaScript in the page; its value.
    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(
            r.get("exceptionDetails").is_none(),
            "{expression}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page.
    fn wait_for(&mut self, expression: &str, what: &str) {
        let start = Instant::now();
        while self.eval(&format!("!!({expression})")) != Value::Bool(true) {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A GET to Chromium's DevTools HTTP server, which keeps HTTP/1.1
/// connections open and answers 1.0 with nothing: the body by its length.
fn devtools_get(http: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let host = http.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(host).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "DevTools closed the connection");
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= len {
                return body.to_string();
            }
        }
    }
}

/// Standard base64, as `Page.captureScreenshot` returns it.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= (value(c) as u32) << (18 - 6 * i);
        }
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

const RULE: &str = "assessment_within_3_days";
const PRESET: &str = "methods/web-booking-40";

#[test]
#[ignore = "needs chromium (apt-get install -y chromium); .ci/run runs it"]
fn serve_browser_what_if_fewer_doctors_matches_vardsim_compare() {
    let served = Served::start(&[]);
    let (_browser, ws) = start_browser();
    let mut page = Page::open(&ws);
    page.call("Page.enable", json!({}));
    page.call("Page.navigate", json!({ "url": served.url }));

    // The page lists the scenarios and runs the default unchanged at once.
    page.wait_for(
        "document.querySelectorAll('#scenario option').length > 5",
        "the scenario list",
    );
    page.wait_for(
        "document.body.dataset.state === 'done'",
        "the first (default) results",
    );

    // Pick a preset, as from the list.
    page.eval(&format!(
        "(() => {{ const s = document.querySelector('#scenario'); s.value = '{PRESET}'; \
         s.dispatchEvent(new Event('change')); return true; }})()"
    ));
    page.wait_for(
        "document.querySelector('#headline thead th:nth-child(2)')?.textContent === 'web-booking-40' \
         && document.body.dataset.state === 'done'",
        "the preset's unchanged results",
    );

    // One doctor post fewer (the default has six): type into the field and
    // leave it, as a person does.
    let doctors = "document.querySelector('[data-path=\"units.vc.staff.doctor.count\"]')";
    assert_eq!(page.eval(&format!("{doctors}.value")), "6");
    page.eval(&format!("{doctors}.focus(); {doctors}.select(); true"));
    page.call("Input.insertText", json!({ "text": "5" }));
    page.eval(&format!("{doctors}.blur(); true"));
    page.wait_for(
        "document.querySelector('#headline thead th:nth-child(3)')?.textContent.includes('doctor.count=5') \
         && document.body.dataset.state === 'done'",
        "the results with five doctor posts",
    );

    // The "3" figure and its interval as the page shows them.
    let shown = page.eval(&format!(
        "(() => {{ const td = document.querySelector('#headline tr[data-key=\"{RULE}\"] td.variant'); \
         return {{ mean: td.dataset.mean, lo: td.dataset.lo, hi: td.dataset.hi, \
         value: td.querySelector('.value').textContent, ci: td.querySelector('.ci').textContent, \
         job: document.body.dataset.job, timing: document.querySelector('#timing').textContent }}; }})()"
    ));
    let number = |k: &str| shown[k].as_str().unwrap().parse::<f64>().unwrap();

    // The same comparison on the command line: the preset against the
    // scenario the page offers for download, same seed and replications.
    let job = shown["job"].as_str().unwrap();
    let (status, toml) = http_get(&format!("{}api/jobs/{job}/scenario.toml", served.url), "");
    assert!(status.contains("200"), "{status}");
    let dir = std::env::temp_dir().join(format!("vardsim-serve-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let variant = dir.join("scenario.toml");
    std::fs::write(&variant, &toml).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .current_dir(crate::root())
        .arg("compare")
        .arg("scenarios/methods/web-booking-40.toml")
        .arg(&variant)
        .args(["--seed", "1", "-r", "10", "--format", "json", "--out"])
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let variant_name = cli["variants"][0].as_str().unwrap();
    let e = &cli["metrics"][RULE]["scenarios"][variant_name];
    assert_eq!(number("mean"), e["mean"].as_f64().unwrap(), "{shown}");
    assert_eq!(number("lo"), e["ci95_low"].as_f64().unwrap(), "{shown}");
    assert_eq!(number("hi"), e["ci95_high"].as_f64().unwrap(), "{shown}");
    let sv = vardsim::report::Lang::Sv;
    assert_eq!(shown["value"], sv.value(number("mean"), "share"));
    assert_eq!(
        shown["ci"],
        format!(
            "{} – {}",
            sv.value(number("lo"), "share"),
            sv.value(number("hi"), "share")
        )
    );
    eprintln!("page: {shown}");

    // The page in English has the report's English labels.
    page.eval("document.querySelector('#lang').click(); true");
    page.wait_for(
        &format!(
            "document.querySelector('#headline tr[data-key=\"{RULE}\"] td')?.textContent === 'Medical assessment within 3 days'"
        ),
        "the English labels",
    );
    page.eval("document.querySelector('#lang').click(); true");
    page.wait_for(
        &format!(
            "document.querySelector('#headline tr[data-key=\"{RULE}\"] td')?.textContent === 'Medicinsk bedömning inom 3 dagar'"
        ),
        "the Swedish labels again",
    );
    page.wait_for(
        "document.querySelectorAll('#downloads a').length > 5",
        "the download list",
    );

    // The whole page as a screenshot for docs/serve.md.
    let height = page
        .eval("Math.ceil(document.documentElement.scrollHeight)")
        .as_f64()
        .unwrap();
    let shot = page.call(
        "Page.captureScreenshot",
        json!({ "format": "png", "captureBeyondViewport": true,
                "clip": { "x": 0, "y": 0, "width": 1400, "height": height.min(4000.0), "scale": 1 } }),
    );
    let png = base64_decode(shot["data"].as_str().unwrap());
    assert_eq!(&png[1..4], b"PNG");
    std::fs::write(crate::root().join("docs/img/serve.png"), png).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
