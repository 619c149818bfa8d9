//! Docs that stay true (issue 15): every `vardsim` command in a code block
//! of README.md and docs/*.md runs, in the order the page shows them,
//! in a scratch folder per page, as a reader following the page would
//! (with `scenarios/` linked in, so paths read as in the docs and
//! `output/` is the scratch folder's).
//!
//! - A command with a placeholder (`<preset>`, an all-capital word such as
//!   `SWEEP.toml`, a `$VARIABLE` or a `*` glob) is a *template*: it is
//!   filled with the sample values of [`FILL`] and only parsed (its
//!   options must exist), not run.
//! - A command of [`LONG`] (matched by its text) runs with `-r 2` (in
//!   place of the `-r` it shows): the docs show the real command; the test
//!   checks that it runs.
//! - A shell redirection (`> file`) is dropped; stdout must not be empty.
//! - `serve` (runs until stopped) and `docs-figures` (rewrites this
//!   repository's pages; its check is tests/it/doc_figures.rs) are parsed,
//!   not run.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser;
use vardsim::cli::Cli;

/// Placeholders of template commands and the values they are parsed with.
const FILL: &[(&str, &str)] = &[
    ("<preset>", "web-booking-40"),
    (
        "SWEEP.toml",
        "scenarios/sweeps/doctors-and-phone-nurses.toml",
    ),
    // Before `$SWEEP`, which it starts with.
    ("$SWEEP_ARGS", ""),
    ("$SWEEP", "scenarios/sweeps/doctors-and-phone-nurses.toml"),
    ("--shard K/N", "--shard 1/4"),
    ("shard-K", "shard-1"),
    ("$SLURM_ARRAY_TASK_ID", "1"),
    ("$SLURM_ARRAY_TASK_COUNT", "4"),
    ("$SLURM_CPUS_PER_TASK", "2"),
    ("$OUT", "output/cluster"),
    ("shard-*", "shard-1"),
];

/// Commands that take long as written (a region, a sweep of many points):
/// run with `-r 2`.
const LONG: &[&str] = &[
    "scenarios/regions/jamtland-harjedalen.toml",
    "sweep scenarios/default.toml --grid",
    "sweep --grid units.vc.staff.doctor.count=3..6 --grid",
    "sweep scenarios/sweeps/doctors-and-phone-nurses.toml",
    "target --metric",
    "compare scenarios/default.toml scenarios/methods/*.toml",
    "calibrate output/example-region.toml",
    "calibrate output/jamtland-imported.toml",
];

/// One command as a doc shows it: file, line and text (continuation lines
/// joined, the shell comment removed).
struct DocCommand {
    file: String,
    at: String,
    text: String,
}

fn doc_commands(root: &Path) -> Vec<DocCommand> {
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(root).unwrap().display().to_string();
        let (mut in_code, mut joined, mut start) = (false, String::new(), 0);
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if !in_code {
                continue;
            }
            if joined.is_empty() {
                let Some(rest) = t
                    .strip_prefix("vardsim ")
                    .or_else(|| t.strip_prefix("cargo run --release -- "))
                else {
                    continue;
                };
                joined = rest.to_string();
                start = i + 1;
            } else {
                joined.push(' ');
                joined.push_str(t);
            }
            if let Some(head) = joined.strip_suffix('\\') {
                joined = head.trim_end().to_string();
                continue;
            }
            // A shell comment starts at ` #` outside quotes.
            let text = strip_comment(&joined);
            out.push(DocCommand {
                file: name.clone(),
                at: format!("{name}:{start}"),
                text,
            });
            joined.clear();
        }
    }
    out
}

fn strip_comment(s: &str) -> String {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev.is_whitespace() => return s[..i].trim_end().to_string(),
            _ => {}
        }
        prev = c;
    }
    s.trim_end().to_string()
}

/// Words as a POSIX shell splits them (quotes removed), stopping at a
/// redirection.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut any = false;
    for c in s.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            (None, '>') => break,
            (_, c) => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// `scenarios/methods/*.toml` expanded as a shell would (sorted); other
/// words as they are.
fn expand(root: &Path, args: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for a in args {
        let Some((dir, pattern)) = a.rsplit_once('/').filter(|_| a.starts_with("scenarios/"))
        else {
            out.push(a);
            continue;
        };
        let Some((pre, post)) = pattern.split_once('*') else {
            out.push(a);
            continue;
        };
        let mut found: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(pre) && n.ends_with(post))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        found.sort();
        out.extend(found);
    }
    out
}

fn is_template(text: &str) -> bool {
    text.contains('<')
        || text.contains('$')
        || text
            .split_whitespace()
            .any(|w| w.contains('*') && !w.starts_with("scenarios/"))
        || text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase()) && w != "SEK")
}

#[test]
fn every_command_in_the_docs_runs() {
    let root = super::root();
    let commands = doc_commands(&root);
    assert!(commands.len() >= 20, "found {} commands", commands.len());
    let base = std::env::temp_dir().join(format!("vardsim-doc-commands-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let mut failures = Vec::new();
    for c in &commands {
        let scratch = base.join(c.file.replace('/', "_"));
        if !scratch.exists() {
            std::fs::create_dir_all(&scratch).unwrap();
            std::os::unix::fs::symlink(root.join("scenarios"), scratch.join("scenarios")).unwrap();
        }
        // `serve` runs until stopped: its commands are parsed here, and the
        // server itself is driven by tests/it/serve.rs and serve_browser.rs.
        // `docs-figures` works on the repository's own pages, not a scratch
        // folder: tests/it/doc_figures.rs runs its check.
        let first = c.text.split_whitespace().next();
        let parsed_only = matches!(first, Some("serve" | "docs-figures"));
        if parsed_only || is_template(&c.text) {
            let mut text = c.text.clone();
            for (from, to) in FILL {
                text = text.replace(from, to);
            }
            let mut argv = vec!["vardsim".to_string()];
            argv.extend(words(&text));
            if let Err(e) = Cli::try_parse_from(&argv) {
                failures.push(format!("{} (template) `{}`: {e}", c.at, c.text));
            }
            continue;
        }
        // Absolute scratch paths of the docs (`/tmp/runs`) stay inside
        // this test's folder.
        let text = c
            .text
            .replace(" /tmp/", &format!(" {}/tmp/", scratch.display()));
        let mut args = expand(&root, words(&text));
        if LONG.iter().any(|l| c.text.contains(l)) {
            match args.iter().position(|a| a == "-r") {
                Some(i) if i + 1 < args.len() => args[i + 1] = "2".to_string(),
                _ => args.extend(["-r".to_string(), "2".to_string()]),
            }
        }
        let Some(out) = output_within(
            Command::new(env!("CARGO_BIN_EXE_vardsim"))
                .args(&args)
                .current_dir(&scratch),
            COMMAND_TIME_LIMIT,
        ) else {
            failures.push(format!(
                "{} `{}`: still running after {} s (killed)",
                c.at,
                c.text,
                COMMAND_TIME_LIMIT.as_secs()
            ));
            continue;
        };
        if !out.status.success() || out.stdout.is_empty() {
            failures.push(format!(
                "{} `{}`: exit {:?}\n{}",
                c.at,
                c.text,
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Longest a doc command may run before the test kills it: a command that
/// never ends (a server, a prompt) fails instead of hanging the suite.
const COMMAND_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Runs `command` with captured output; `None` (and the process killed)
/// if it is still running after `limit`.
fn output_within(
    command: &mut Command,
    limit: std::time::Duration,
) -> Option<std::process::Output> {
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vardsim");
    // Read both pipes on threads so a full pipe cannot stall the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut b).map(|_| b)
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut b).map(|_| b)
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for vardsim") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Some(std::process::Output {
        status,
        stdout: out.join().unwrap().unwrap_or_default(),
        stderr: err.join().unwrap().unwrap_or_default(),
    })
}

#[test]
fn shell_words_and_comments_split_as_a_shell_would() {
    assert_eq!(
        words("run --csv-sep ';' --set 'name=\"a b\"' > x.json"),
        ["run", "--csv-sep", ";", "--set", "name=\"a b\""]
    );
    assert_eq!(
        strip_comment("run -r 20     # 20 replications"),
        "run -r 20"
    );
    assert_eq!(
        strip_comment("run --set 'a=\"#1\"'"),
        "run --set 'a=\"#1\"'"
    );
    assert!(is_template("sweep SWEEP.toml --shard $X/$Y"));
    assert!(!is_template("run scenarios/default.toml -r 20"));
}

#[test]
fn the_target_example_in_the_sweep_docs_is_what_the_command_prints() {
    // An audit's finding: the example was typed once and went stale as
    // the default changed; the page now shows the command's own lines.
    let root = super::root();
    let page = std::fs::read_to_string(root.join("docs/sweeps.md")).unwrap();
    let block = page
        .split("--min 2 --max 10 -r 5 --seed 1`):\n\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the target example in docs/sweeps.md");
    let out = super::vardsim(&[
        "target",
        "--metric",
        "assessment_within_3_days",
        "--at-least",
        "0.9",
        "--vary",
        "units.vc.staff.doctor.count",
        "--min",
        "2",
        "--max",
        "10",
        "-r",
        "5",
        "--seed",
        "1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let printed: Vec<&str> = text.lines().collect();
    let shown: Vec<&str> = block.lines().collect();
    assert!(
        printed.ends_with(&shown),
        "docs/sweeps.md shows\n{block}\nbut the command prints\n{text}"
    );
}
