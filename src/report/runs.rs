//! The output folder as a record of earlier work: which folder a run of a
//! modified scenario gets ([`variant_name`]), whether a folder may be
//! replaced ([`check_replace`]: never another scenario's results without
//! `--force`), what a report made earlier left there (`report.json`: its
//! language and files, so `vardsim report` keeps the language and removes
//! its own old files), and the index of earlier runs (`vardsim runs`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::input::{
    AssumptionsFile, CalibrationDoc, ComparisonDoc, SummaryDoc, SweepDoc, read_json,
};
use super::lang::Lang;
use super::{ReportError, SCHEMA_VERSION, write_atomic};

/// The folder name of a run of `scenario` changed by `--set`s: the
/// scenario's name, then `+` and each override with its leading `units.`
/// left out (`default+vc.staff.doctor.count=2`); characters other than
/// letters, digits, `.`, `_`, `-` and `=` become `_`. Overrides of `name`
/// alone need no description (the name is new). Too long a name is cut and
/// made unique by a hash of the whole description.
pub fn variant_name(scenario: &str, sets: &[String]) -> String {
    let parts: Vec<String> = sets
        .iter()
        .filter(|s| s.split('=').next().map(str::trim) != Some("name"))
        .map(|s| {
            let s = s.trim();
            let s = s.strip_prefix("units.").unwrap_or(s);
            s.chars()
                .filter(|c| !matches!(c, '"' | '\'' | ' '))
                .map(|c| {
                    if c.is_alphanumeric() || "._-=".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        })
        .collect();
    if parts.is_empty() {
        return scenario.to_string();
    }
    fit_name(format!("{scenario}+{}", parts.join("+")))
}

/// `name` if it fits in one folder name; else cut and made unique by a
/// hash of the whole name.
pub fn fit_name(name: String) -> String {
    let limit = crate::scenario::source::MAX_NAME_BYTES;
    if name.len() <= limit {
        return name;
    }
    let hash = crate::experiment::sweep::fnv1a(name.as_bytes());
    let mut cut = limit - 17;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{hash:016x}", &name[..cut])
}

/// What an existing output folder holds, as far as replacing it goes.
#[derive(Debug, PartialEq, Eq)]
enum Holds {
    /// Nothing (no folder, or an empty one).
    Nothing,
    /// Results of scenarios with these fingerprints (`None`: written before
    /// fingerprints were recorded), made by `command`.
    Results {
        fingerprints: Vec<Option<String>>,
        command: String,
    },
    /// Files that are not vardsim results.
    Other,
}

fn holds(folder: &Path) -> Result<Holds, ReportError> {
    let Ok(mut entries) = std::fs::read_dir(folder) else {
        return Ok(Holds::Nothing);
    };
    if entries.next().is_none() {
        return Ok(Holds::Nothing);
    }
    if let Some(a) = read_json::<AssumptionsFile>(&folder.join("assumptions.json"))? {
        return Ok(Holds::Results {
            fingerprints: a
                .scenarios
                .into_iter()
                .map(|s| s.scenario_fingerprint)
                .collect(),
            command: a.command,
        });
    }
    let results = ["summary.json", "comparison.json"]
        .iter()
        .any(|f| folder.join(f).is_file());
    Ok(if results {
        Holds::Results {
            fingerprints: vec![None],
            command: String::new(),
        }
    } else {
        Holds::Other
    })
}

/// Whether the run or compare folder `folder` may be replaced by results of
/// scenarios with `fingerprints` (from `experiment::sweep::scenario_fingerprint`,
/// base first): yes if it does not exist, is empty, or holds results of the
/// same scenarios (a rerun with another seed, say); otherwise only with
/// `force`. The refusal says what the folder holds and how to keep both.
pub fn check_replace(folder: &Path, fingerprints: &[u64], force: bool) -> Result<(), ReportError> {
    if force {
        return Ok(());
    }
    let ours: Vec<Option<String>> = fingerprints
        .iter()
        .map(|f| Some(format!("{f:016x}")))
        .collect();
    let what = match holds(folder)? {
        Holds::Nothing => return Ok(()),
        Holds::Results {
            fingerprints,
            command,
        } => {
            if fingerprints == ours {
                return Ok(());
            }
            let made = if command.is_empty() {
                String::new()
            } else {
                format!(", made by `{command}`")
            };
            if fingerprints.iter().any(Option::is_none) {
                format!(
                    "results that cannot be told apart from another scenario's (written by an older vardsim{made})"
                )
            } else {
                format!("results of another scenario{made}")
            }
        }
        Holds::Other => "files that are not vardsim results".to_string(),
    };
    Err(ReportError::Occupied {
        folder: folder.to_path_buf(),
        what,
    })
}

/// `report.json`: what `vardsim report` (or `--report`) wrote to a folder,
/// so that a later report keeps its language and replaces exactly its own
/// files.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ReportRecord {
    /// Output contract version.
    pub schema_version: u32,
    /// Language of the report (`en`, `sv`).
    pub lang: String,
    /// Target line drawn, a share (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// The files written, relative to the folder (`charts/compliance.svg`, …).
    pub files: Vec<String>,
}

/// The name of the file recording a report.
pub const REPORT_RECORD: &str = "report.json";

/// The language a folder was made in: its last report's, else the
/// language recorded in its `assumptions.json`; `None` if neither says.
pub fn remembered_lang(dir: &Path) -> Result<Option<Lang>, ReportError> {
    let from_report = read_json::<ReportRecord>(&dir.join(REPORT_RECORD))?.map(|r| r.lang);
    let from_assumptions = || -> Result<Option<String>, ReportError> {
        Ok(read_json::<AssumptionsFile>(&dir.join("assumptions.json"))?.and_then(|a| a.lang))
    };
    let key = match from_report {
        Some(k) => Some(k),
        None => from_assumptions()?,
    };
    Ok(key.and_then(|k| k.parse().ok()))
}

/// The target line of a folder's last report, if it drew one.
pub fn remembered_target(dir: &Path) -> Result<Option<f64>, ReportError> {
    Ok(read_json::<ReportRecord>(&dir.join(REPORT_RECORD))?.and_then(|r| r.target))
}

/// Removes the files a previous report listed in `out/report.json` (and
/// that record), so a new report or new results never stand beside an old
/// report's charts. Only listed files that lie inside `out` are removed.
pub fn clear_report(out: &Path) -> Result<(), ReportError> {
    let record_path = out.join(REPORT_RECORD);
    let Some(record) = read_json::<ReportRecord>(&record_path)? else {
        return Ok(());
    };
    for file in &record.files {
        let rel = Path::new(file);
        let inside = rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        // A folder on the way that is a link (`charts` → elsewhere) would
        // delete a file outside `out`: such a file is left alone.
        let linked = rel.ancestors().skip(1).any(|a| {
            !a.as_os_str().is_empty()
                && std::fs::symlink_metadata(out.join(a)).is_ok_and(|m| m.file_type().is_symlink())
        });
        if inside && !linked {
            remove_if_present(&out.join(rel))?;
        }
    }
    remove_if_present(&record_path)
}

fn remove_if_present(path: &Path) -> Result<(), ReportError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ReportError::Write {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Writes `out/report.json` for the files `written` (paths below `out`).
pub fn write_record(
    out: &Path,
    lang: Lang,
    target: Option<f64>,
    written: &[PathBuf],
) -> Result<(), ReportError> {
    let record = ReportRecord {
        schema_version: SCHEMA_VERSION,
        lang: lang.key().to_string(),
        target,
        files: written
            .iter()
            .filter_map(|p| p.strip_prefix(out).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&record).map_err(|e| ReportError::Serialize(e.to_string()))?;
    text.push('\n');
    write_atomic(&out.join(REPORT_RECORD), text.as_bytes())
}

/// One earlier run, compare, sweep or calibration in an output folder.
#[derive(Clone, Debug, PartialEq)]
pub struct RunEntry {
    /// Folder name inside the output folder.
    pub folder: String,
    /// `run`, `compare`, `sweep` or `calibration`.
    pub kind: &'static str,
    /// Scenario name (a compare: base and variants; a sweep: its scenario).
    pub scenario: String,
    /// When its results file was written, seconds since 1970 (UTC).
    pub written: u64,
    /// Replications (a sweep: its rule as written), seed.
    pub replications: String,
    /// Master seed.
    pub seed: u64,
    /// Headline figures, already formatted.
    pub headline: String,
}

/// A folder that holds vardsim's results files but cannot be listed: a
/// damaged results file, or a sweep stopped before its `sweep.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    /// Folder name inside the output folder.
    pub folder: String,
    /// Why, with what to do.
    pub reason: String,
}

/// Every run, compare, sweep and calibration folder directly inside `out`,
/// newest first,
/// and the folders of results that cannot be read (named, not left out
/// silently: a damaged run is one its user looks for). Folders without
/// any of vardsim's results files are not listed.
pub fn list_runs(out: &Path, lang: Lang) -> Result<(Vec<RunEntry>, Vec<Unreadable>), ReportError> {
    let entries = match std::fs::read_dir(out) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => {
            return Err(ReportError::Read {
                path: out.to_path_buf(),
                reason: e.to_string(),
            });
        }
    };
    let mut runs = Vec::new();
    let mut unreadable = Vec::new();
    for entry in entries.flatten() {
        let folder = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        // Temporary and moved-aside folders of a write in progress are hidden.
        if folder.starts_with('.') || !path.is_dir() {
            continue;
        }
        match entry_of(&path, folder.clone(), lang) {
            Ok(Some(e)) => runs.push(e),
            Ok(None) => {}
            Err(reason) => unreadable.push(Unreadable { folder, reason }),
        }
    }
    runs.sort_by(|a, b| b.written.cmp(&a.written).then(a.folder.cmp(&b.folder)));
    unreadable.sort_by(|a, b| a.folder.cmp(&b.folder));
    Ok((runs, unreadable))
}

fn written(path: &Path) -> u64 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs())
}

/// The listing of a results folder: `Ok(None)` for a folder without
/// vardsim's results, `Err` (why) for one whose results cannot be read.
fn entry_of(path: &Path, folder: String, lang: Lang) -> Result<Option<RunEntry>, String> {
    let pct = |e: Option<f64>| e.map_or("–".to_string(), |x| lang.percent(x, 1));
    let same_day = lang.pick("same day", "samma dag");
    let three = lang.pick("3 days", "3 dagar");
    let file = path.join("summary.json");
    if let Some(s) = read_json::<SummaryDoc>(&file).map_err(|e| e.to_string())? {
        let m = |k: &str| s.metrics.get(k).and_then(|m| m.estimate.mean);
        return Ok(Some(RunEntry {
            folder,
            kind: "run",
            headline: format!(
                "{same_day} {}, {three} {}",
                pct(m("contact_same_day")),
                pct(m("assessment_within_3_days"))
            ),
            scenario: s.scenario,
            written: written(&file),
            replications: s.replications.to_string(),
            seed: s.seed,
        }));
    }
    let file = path.join("comparison.json");
    if let Some(c) = read_json::<ComparisonDoc>(&file).map_err(|e| e.to_string())? {
        let rule = c.metrics.get("assessment_within_3_days");
        let each: Vec<String> = c
            .scenarios()
            .iter()
            .map(|n| pct(rule.and_then(|m| m.scenarios.get(n)).and_then(|e| e.mean)))
            .collect();
        return Ok(Some(RunEntry {
            folder,
            kind: "compare",
            scenario: c.scenarios().join(", "),
            written: written(&file),
            replications: c.replications.to_string(),
            seed: c.seed,
            headline: format!("{three} {}", each.join(" / ")),
        }));
    }
    let file = path.join("sweep.json");
    if let Some(d) = read_json::<SweepDoc>(&file).map_err(|e| e.to_string())? {
        // The sweep's rule (`docs/output.md`): a fixed count, or from
        // `initial` up to `max` under precision control.
        let field = |k: &str| d.replications.get(k).and_then(serde_json::Value::as_u64);
        let replications = match &d.replications {
            serde_json::Value::Number(n) => n.to_string(),
            _ => match (field("replications"), field("initial"), field("max")) {
                (Some(n), _, _) => n.to_string(),
                (None, Some(lo), Some(hi)) => format!("{lo}–{hi}"),
                _ => "–".to_string(),
            },
        };
        let axes: Vec<&str> = d.grid.iter().map(|a| a.path.as_str()).collect();
        return Ok(Some(RunEntry {
            folder,
            kind: "sweep",
            scenario: d.scenario,
            written: written(&file),
            replications,
            seed: d.seed,
            headline: format!(
                "{} {}: {}",
                d.points.len(),
                lang.pick("points", "punkter"),
                axes.join(" × ")
            ),
        }));
    }
    let file = path.join("calibration.json");
    if let Some(c) = read_json::<CalibrationDoc>(&file).map_err(|e| e.to_string())? {
        let count = |status: &str| c.fits.iter().filter(|f| f.status == status).count();
        return Ok(Some(RunEntry {
            folder,
            kind: "calibration",
            scenario: c.scenario,
            written: written(&file),
            replications: c.replications.to_string(),
            seed: c.seed,
            headline: format!(
                "{} {}: {} {}, {} {}, {} {}",
                c.fits.len(),
                match c.fits.len() {
                    1 => lang.pick("figure", "mått"),
                    _ => lang.pick("figures", "mått"),
                },
                count("fitted"),
                lang.pick("fitted", "anpassade"),
                count("at_bound"),
                lang.pick("at bound", "vid gränsen"),
                count("check"),
                lang.pick("compared", "jämförda"),
            ),
        }));
    }
    if path.join("plan.json").exists() {
        return Err(lang
            .pick(
                "a sweep's plan.json but no sweep.json: a sweep stopped before it finished (rerun its command with --resume)",
                "ett sveps plan.json men ingen sweep.json: ett svep som stoppades innan det var klart (kör dess kommando igen med --resume)",
            )
            .to_string());
    }
    Ok(None)
}

/// `YYYY-MM-DD HH:MM` (UTC) of seconds since 1970.
pub fn utc_minute(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    let rest = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// `YYYY-MM-DD` (UTC) of seconds since 1970.
pub fn utc_date(secs: u64) -> String {
    utc_minute(secs)[..10].to_string()
}

/// The proleptic Gregorian date of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The `vardsim runs` table.
pub fn runs_table(out: &Path, runs: &[RunEntry], unreadable: &[Unreadable], lang: Lang) -> String {
    let mut notes = String::new();
    for u in unreadable {
        notes.push_str(&format!(
            "{} {}: {}\n",
            lang.pick("not listed:", "inte listad:"),
            u.folder,
            u.reason
        ));
    }
    if runs.is_empty() {
        // A misspelt --out is not an empty folder.
        let missing = if out.exists() {
            ""
        } else {
            lang.pick(" (no such folder)", " (mappen finns inte)")
        };
        return format!(
            "{} {}{missing}\n{notes}",
            lang.pick("no runs in", "inga körningar i"),
            out.display()
        );
    }
    let mut rows = vec![
        [
            lang.pick("folder", "mapp"),
            lang.pick("kind", "typ"),
            lang.pick("scenario", "scenario"),
            lang.pick("written (UTC)", "skriven (UTC)"),
            lang.pick("repl.", "repl."),
            lang.pick("seed", "frö"),
            lang.pick("headline", "huvudresultat"),
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in runs {
        rows.push(vec![
            r.folder.clone(),
            match r.kind {
                "run" => lang.pick("run", "körning"),
                "compare" => lang.pick("compare", "jämförelse"),
                "calibration" => lang.pick("calibration", "kalibrering"),
                _ => lang.pick("sweep", "parameterstudie"),
            }
            .to_string(),
            r.scenario.clone(),
            utc_minute(r.written),
            r.replications.clone(),
            r.seed.to_string(),
            r.headline.clone(),
        ]);
    }
    // Most columns here are text: all left-aligned.
    let table = super::table::aligned_columns(&rows, usize::MAX);
    if notes.is_empty() {
        table
    } else {
        format!("{table}\n{notes}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_gets_a_readable_folder_name_of_its_own() {
        assert_eq!(variant_name("default", &[]), "default");
        assert_eq!(
            variant_name("default", &["units.vc.staff.doctor.count=2".into()]),
            "default+vc.staff.doctor.count=2"
        );
        assert_eq!(
            variant_name(
                "default",
                &[
                    "simulation.horizon_days = 91".into(),
                    "units.vc.name=\"Vc Åre\"".into()
                ]
            ),
            "default+simulation.horizon_days=91+vc.name=VcÅre"
        );
        assert_eq!(variant_name("x", &["name=\"y\"".into()]), "x");
        let long: Vec<String> = (0..20)
            .map(|i| format!("units.vc{i}.staff.doctor.count={i}"))
            .collect();
        let name = variant_name("default", &long);
        assert!(
            crate::scenario::source::check_file_name(&name).is_ok(),
            "{name}"
        );
        let mut other = long.clone();
        other[19].push('1');
        assert_ne!(name, variant_name("default", &other));
        assert!(crate::scenario::source::check_file_name("default+a.b=c/d").is_err());
        assert!(variant_name("default", &["a=c/d".into()]).ends_with("a=c_d"));
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00");
        assert_eq!(utc_minute(951_782_400), "2000-02-29 00:00");
        assert_eq!(utc_minute(1_796_040_000 + 3_660), "2026-11-30 13:01");
        assert_eq!(utc_date(1_796_083_200), "2026-12-01");
    }
}
