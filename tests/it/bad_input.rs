//! The bad-input corpus: every case in `bad_input/cases/*.case` runs through
//! the binary and must end with exit code 2 and a message containing the
//! expected fragment: no panic, no abort, no hang, and nothing written
//! outside its output folder.
//!
//! A case file holds `# comments`, one `args:` line (the command line after
//! `vardsim`, split at spaces; `{in}` is the case's input folder, `{out}` its
//! output folder, `{repeat:TEXT:N}` is TEXT N times), one or more `expect:`
//! lines (fragments of stderr, all required), and the input files, each
//! after a line `--- PATH` (relative to `{in}`, or under `{out}/`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Case {
    name: String,
    args: Vec<String>,
    expect: Vec<String>,
    files: Vec<(String, String)>,
}

fn parse_case(name: &str, text: &str) -> Case {
    let mut case = Case {
        name: name.to_string(),
        args: Vec::new(),
        expect: Vec::new(),
        files: Vec::new(),
    };
    let mut file: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("--- ") {
            case.files.extend(file.take());
            file = Some((path.trim().to_string(), String::new()));
        } else if let Some((_, body)) = &mut file {
            body.push_str(line);
            body.push('\n');
        } else if let Some(args) = line.strip_prefix("args:") {
            case.args = args.split_whitespace().map(str::to_string).collect();
        } else if let Some(fragment) = line.strip_prefix("expect:") {
            case.expect.push(fragment.trim().to_string());
        }
    }
    case.files.extend(file);
    assert!(!case.args.is_empty(), "{name}: no `args:` line");
    assert!(!case.expect.is_empty(), "{name}: no `expect:` line");
    case
}

/// `{in}`, `{out}` and `{repeat:TEXT:N}` replaced.
fn expand(arg: &str, input: &Path, out: &Path) -> String {
    let mut s = arg
        .replace("{in}", input.to_str().unwrap())
        .replace("{out}", out.to_str().unwrap());
    while let Some(start) = s.find("{repeat:") {
        let end = start + s[start..].find('}').expect("closing brace");
        let (text, n) = s[start + 8..end].rsplit_once(':').expect("TEXT:N");
        let n: usize = n.parse().expect("a count");
        s = format!("{}{}{}", &s[..start], text.repeat(n), &s[end + 1..]);
    }
    s
}

/// Every file below `dir`, relative to it.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(case: &Case, scratch: &Path) -> Option<String> {
    let base = scratch.join(&case.name);
    let _ = std::fs::remove_dir_all(&base);
    let (input, out) = (base.join("in"), base.join("out"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    for (path, body) in &case.files {
        let target = match path.strip_prefix("{out}/") {
            Some(rest) => out.join(rest),
            None => input.join(path),
        };
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, body).unwrap();
    }
    let before = tree(&base);
    let root_before = tree(&crate::root().join("output"));
    let args: Vec<String> = case.args.iter().map(|a| expand(a, &input, &out)).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vardsim"))
        .args(&args)
        .current_dir(crate::root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vardsim");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            return Some("still running after 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let mut wrong = Vec::new();
    if status.code() != Some(2) {
        wrong.push(format!("exit {:?}, expected 2", status.code()));
    }
    if stderr.contains("panicked") || stderr.contains("memory allocation") {
        wrong.push("a panic or abort".into());
    }
    for fragment in &case.expect {
        if !stderr.contains(fragment.as_str()) {
            wrong.push(format!("stderr lacks {fragment:?}"));
        }
    }
    // Nothing outside the output folder: the case's folder holds what it
    // held, plus whatever appeared below `out`.
    let outside: Vec<PathBuf> = tree(&base)
        .into_iter()
        .filter(|p| !p.starts_with("out") && !before.contains(p))
        .collect();
    if !outside.is_empty() {
        wrong.push(format!("wrote outside the output folder: {outside:?}"));
    }
    if tree(&crate::root().join("output")) != root_before {
        wrong.push("wrote to the repository's output/".into());
    }
    let _ = std::fs::remove_dir_all(&base);
    (!wrong.is_empty()).then(|| format!("{}: {}\n{stderr}", case.name, wrong.join("; ")))
}

#[test]
fn every_bad_input_in_the_corpus_is_a_clear_error_and_writes_nothing_outside() {
    let dir = crate::root().join("tests/it/bad_input/cases");
    let mut cases: Vec<Case> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            parse_case(&name, &std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let scratch = std::env::temp_dir().join(format!("vardsim-bad-input-{}", std::process::id()));
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c, &scratch)).collect();
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
