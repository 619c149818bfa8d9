//! The HTTP API (JSON in and out) and its routes. Every scenario the page
//! names comes from the catalogue by name, every change goes through the
//! scenario loader as a `--set`, and its located problems come back as JSON
//! for the page to show next to the control.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path as UrlPath, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::stream::Stream;
use serde::Deserialize;
use serde_json::json;

use super::jobs::{Job, Refused, Spec};
use super::{Server, assets, catalog, levers};
use crate::experiment::{self, RunConfig};
use crate::report::{self, Lang, ReportOptions};

/// Most replications the page may ask for per scenario: a meeting waits
/// seconds, not hours (the command line allows more; docs/cli.md).
pub const MAX_PAGE_REPLICATIONS: u32 = 1000;
/// Most changes in one request.
pub const MAX_SETS: usize = 500;
/// Longest change (`PATH=VALUE`), in bytes.
pub const MAX_SET_BYTES: usize = 4096;

type Shared = State<Arc<Server>>;

/// The routes (without the access check, which `super::router` adds).
pub fn routes(server: Arc<Server>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::app_js))
        .route("/style.css", get(assets::style_css))
        .route("/api/scenarios", get(scenarios))
        .route("/api/levers", get(levers_of))
        .route("/api/jobs", post(start_job))
        .route("/api/jobs/{id}", get(job_status))
        .route("/api/jobs/{id}/events", get(job_events))
        .route("/api/jobs/{id}/cancel", post(cancel_job))
        .route("/api/jobs/{id}/scenario.toml", get(job_toml))
        .route("/api/jobs/{id}/files", get(job_files))
        .route("/api/jobs/{id}/files/{lang}/{*path}", get(job_file))
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(server)
}

/// A refusal: a status and a JSON `{"error": …}` body.
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError(status, message.into())
}

/// What an extractor refused (a body that is not the JSON asked for, a
/// missing query key, a job id that is not a number), answered as every
/// other refusal of the API: JSON `{"error": …}` with its status, so a
/// script reads one form of error.
macro_rules! refused_as_json {
    ($($rejection:ty),*) => {$(
        impl From<$rejection> for ApiError {
            fn from(r: $rejection) -> ApiError {
                ApiError(r.status(), r.body_text())
            }
        }
    )*};
}
refused_as_json!(JsonRejection, PathRejection, QueryRejection);

/// A job's id from the path, refused as JSON when it is not a number.
struct JobId(u64);

impl<S: Send + Sync> FromRequestParts<S> for JobId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let UrlPath(id) = UrlPath::<u64>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                error(
                    e.status(),
                    format!(
                        "{} (a job id is the number POST /api/jobs answered)",
                        e.body_text()
                    ),
                )
            })?;
        Ok(JobId(id))
    }
}

/// Any other path: a JSON 404 naming it.
async fn no_route(uri: axum::http::Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!(
            "no such page or API route: {} (docs/serve.md lists the API)",
            uri.path()
        ),
    )
    .into_response()
}

/// A known path asked with the wrong method: a JSON 405 naming it.
async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{method} is not answered at {} (docs/serve.md lists the API)",
            uri.path()
        ),
    )
    .into_response()
}

fn unknown_scenario(name: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("no scenario called {name:?} is offered (GET /api/scenarios lists them)"),
    )
    .into_response()
}

async fn scenarios(State(s): Shared) -> Response {
    Json(s.catalog.list()).into_response()
}

#[derive(Deserialize)]
struct LeversQuery {
    scenario: String,
}

/// `GET /api/levers?scenario=NAME`: the controls of a scenario.
async fn levers_of(State(s): Shared, q: Result<Query<LeversQuery>, QueryRejection>) -> Response {
    let q = match q {
        Ok(Query(q)) => q,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let asked = q.scenario.clone();
    let server = s.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let loaded = server.catalog.load(&q.scenario, &[])?;
        Some((q.scenario, loaded))
    })
    .await;
    let Ok(Some((name, loaded))) = loaded else {
        return unknown_scenario(&asked);
    };
    match loaded {
        Ok(l) => Json(json!({
            "scenario": name,
            "name": l.scenario.name,
            "description": l.scenario.description,
            "description_sv": l.scenario.description_sv,
            "units": l.scenario.units.len(),
            "horizon_days": l.scenario.horizon_days,
            "levers": levers::levers(l.source.tree(), &s.schema),
        }))
        .into_response(),
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "problems": catalog::problems(&e) })),
        )
            .into_response(),
    }
}

/// `POST /api/jobs`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobRequest {
    /// The tab's id (letters, digits, `-`, `_`; at most 64).
    pub client: String,
    /// A scenario name from `/api/scenarios`.
    pub scenario: String,
    /// Changes, `PATH=VALUE` as `--set`.
    #[serde(default)]
    pub sets: Vec<String>,
    /// Master seed (default 1).
    pub seed: Option<u64>,
    /// Replications per scenario (default 10).
    pub replications: Option<u32>,
}

fn check_request(r: &JobRequest) -> Result<(), String> {
    let ok_client = !r.client.is_empty()
        && r.client.len() <= 64
        && r.client
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok_client {
        return Err("client: 1 to 64 letters, digits, '-' or '_'".into());
    }
    if let Some(n) = r.replications
        && !(2..=MAX_PAGE_REPLICATIONS).contains(&n)
    {
        return Err(format!(
            "replications {n}: expected 2 to {MAX_PAGE_REPLICATIONS} (a CI needs two; the command line runs more)"
        ));
    }
    if r.sets.len() > MAX_SETS {
        return Err(format!("at most {MAX_SETS} changes"));
    }
    if let Some(s) = r.sets.iter().find(|s| s.len() > MAX_SET_BYTES) {
        return Err(format!(
            "a change longer than {MAX_SET_BYTES} bytes: {}…",
            s.chars().take(40).collect::<String>()
        ));
    }
    Ok(())
}

/// The changed scenario as a TOML file the command line reproduces: the
/// merged tree (no `extends`), named as `vardsim run --set` names it.
fn scenario_toml(
    job_file: &str,
    sets: &[String],
    tree: &toml::Table,
    name: &str,
    seed: u64,
    reps: u32,
) -> String {
    let mut tree = tree.clone();
    tree.insert("name".into(), toml::Value::String(name.to_string()));
    // A label names its scenario: the changed one is not what the labels
    // name ("Today"), so it keeps only labels the page's changes wrote, as
    // a file with its own `name` does (`scenario::source`); else `vardsim
    // compare` of the two would call both "Today".
    if !sets.is_empty() {
        for key in ["label_en", "label_sv"] {
            let written = sets
                .iter()
                .any(|s| s.split('=').next().map(str::trim) == Some(key));
            if !written {
                tree.remove(key);
            }
        }
    }
    let mut head = format!("# Written by `vardsim serve` from {job_file}");
    if sets.is_empty() {
        head.push_str(" (unchanged).\n");
    } else {
        head.push_str(" with the changes\n");
        for s in sets {
            head.push_str(&format!("#   --set {s}\n"));
        }
    }
    head.push_str(&format!(
        "# The page's comparison on the command line:\n#   vardsim compare {job_file} this-file.toml --seed {seed} -r {reps}\n\n"
    ));
    head + &toml::to_string(&tree).unwrap_or_default()
}

async fn start_job(State(s): Shared, req: Result<Json<JobRequest>, JsonRejection>) -> Response {
    let req = match req {
        Ok(Json(req)) => req,
        Err(e) => return ApiError::from(e).into_response(),
    };
    if let Err(e) = check_request(&req) {
        return error(StatusCode::BAD_REQUEST, e).into_response();
    }
    let Some(entry) = s.catalog.get(&req.scenario).cloned() else {
        return unknown_scenario(&req.scenario);
    };
    let defaults = RunConfig::default();
    let (seed, reps) = (
        req.seed.unwrap_or(defaults.seed),
        req.replications.unwrap_or(defaults.replications),
    );
    let server = s.clone();
    let sets = req.sets.clone();
    let name = req.scenario.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let base = server.catalog.load(&name, &[])?;
        let variant = server.catalog.load(&name, &sets)?;
        Some((base, variant))
    })
    .await;
    let Ok(Some((base, variant))) = loaded else {
        return unknown_scenario(&req.scenario);
    };
    let base = match base {
        Ok(b) => b,
        Err(e) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "problems": catalog::problems(&e), "in": "scenario" })),
            )
                .into_response();
        }
    };
    let variant = match variant {
        Ok(v) => v,
        Err(e) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "problems": catalog::problems(&e), "in": "changes" })),
            )
                .into_response();
        }
    };
    let spec = Spec {
        client: req.client,
        scenario: req.scenario,
        file: entry.file.clone(),
        sets: req.sets,
        seed,
        replications: reps,
    };
    // From the changed scenario's name, as `vardsim run --set` names its
    // folder: a change of `name` alone named the file after the base.
    let variant_name = report::runs::variant_name(&variant.scenario.name, &spec.sets);
    let toml = scenario_toml(
        &entry.file,
        &spec.sets,
        variant.source.tree(),
        &variant_name,
        seed,
        reps,
    );
    let warnings: Vec<String> = variant
        .scenario
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect();
    match s.jobs.start(spec, base.scenario, variant.scenario, toml) {
        Ok(job) => Json(json!({
            "job": job.id,
            "columns": [job.base.name, job.variant_name()],
            "warnings": warnings,
            "command": format!(
                "vardsim compare {} scenario.toml --seed {seed} -r {reps}",
                entry.file
            ),
        }))
        .into_response(),
        Err(Refused::Busy) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy: too many jobs are waiting; try again in a moment",
        )
        .into_response(),
    }
}

fn find_job(s: &Server, id: u64) -> Result<Arc<Job>, ApiError> {
    s.jobs.get(id).ok_or_else(|| {
        error(
            StatusCode::NOT_FOUND,
            format!("no job {id} (finished jobs are kept for a while only)"),
        )
    })
}

async fn job_status(State(s): Shared, JobId(id): JobId) -> Response {
    match find_job(&s, id) {
        Ok(job) => Json((*job.status()).clone()).into_response(),
        Err(r) => r.into_response(),
    }
}

async fn cancel_job(State(s): Shared, JobId(id): JobId) -> Response {
    match find_job(&s, id) {
        Ok(job) => {
            job.cancel();
            Json(json!({ "job": id, "cancelling": true })).into_response()
        }
        Err(r) => r.into_response(),
    }
}

/// `GET /api/jobs/{id}/events`: the job's status as Server-Sent Events,
/// one `status` event per change, ending when the job ends.
async fn job_events(
    State(s): Shared,
    JobId(id): JobId,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let job = find_job(&s, id)?;
    let rx = job.watch();
    let stream =
        futures_util::stream::unfold((rx, true, false), |(mut rx, first, ended)| async move {
            if ended {
                return None;
            }
            if !first && rx.changed().await.is_err() {
                return None;
            }
            let status = rx.borrow_and_update().clone();
            let end = matches!(status.state, "done" | "cancelled" | "failed");
            let data = serde_json::to_string(&*status).unwrap_or_default();
            Some((
                Ok(Event::default().event("status").data(data)),
                (rx, false, end),
            ))
        });
    Ok(Sse::new(stream))
}

async fn job_toml(State(s): Shared, JobId(id): JobId) -> Response {
    match find_job(&s, id) {
        Ok(job) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/toml; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"scenario.toml\"".to_string(),
                ),
            ],
            job.toml.clone(),
        )
            .into_response(),
        Err(r) => r.into_response(),
    }
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

fn lang_of(q: Option<&str>) -> Result<Lang, ApiError> {
    match q.unwrap_or("sv") {
        "sv" => Ok(Lang::Sv),
        "en" => Ok(Lang::En),
        other => Err(error(
            StatusCode::BAD_REQUEST,
            format!("lang {other:?}: expected sv or en"),
        )),
    }
}

/// Writes the job's downloads for `lang` (once): the comparison folder
/// with its report, as `vardsim compare --report` writes it, the run
/// files (CSV, workbook) of both scenarios and the changed scenario.
fn write_files(job: &Job, root: &Path, lang: Lang) -> Result<Vec<(String, PathBuf)>, String> {
    let results = job
        .results
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let Some((base, variant)) = results else {
        return Err("the job has not finished".into());
    };
    let dir = root.join(job.id.to_string()).join(lang.key());
    let _ = std::fs::remove_dir_all(&dir);
    let write = || -> Result<(), report::ReportError> {
        let comparison = experiment::compare(&[base.clone(), variant.clone()]);
        report::write_atomic(
            &dir.join("comparison.json"),
            report::comparison_json(&comparison)?.as_bytes(),
        )?;
        let command = format!(
            "vardsim compare {} scenario.toml --seed {} -r {}",
            job.spec.file, job.spec.seed, job.spec.replications
        );
        let assumptions =
            report::write_assumptions_with(&dir, &command, &[&job.base, &job.variant], lang)?;
        report::write_report(&dir, &dir, &ReportOptions { lang, target: None })?;
        let csv = report::CsvFormat::from_options(None, lang);
        let named = Some(&assumptions);
        report::write_run_files(&dir.join("base"), &base, csv, lang, named)?;
        report::write_run_files(&dir.join("variant"), &variant, csv, lang, named)?;
        report::write_atomic(&dir.join("scenario.toml"), job.toml.as_bytes())
    };
    write().map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| e.to_string())?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(&dir) {
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((name, p));
            }
        }
    }
    files.sort();
    Ok(files)
}

async fn files_for(
    s: &Server,
    job: &Arc<Job>,
    lang: Lang,
) -> Result<Vec<(String, PathBuf)>, ApiError> {
    if let Some(f) = job
        .files
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(lang.key())
    {
        return Ok(f.clone());
    }
    let (j, root) = (job.clone(), s.jobs.files_root.clone());
    let written = tokio::task::spawn_blocking(move || write_files(&j, &root, lang))
        .await
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(|e| error(StatusCode::CONFLICT, e))?;
    job.files
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(lang.key(), written.clone());
    Ok(written)
}

/// `GET /api/jobs/{id}/files?lang=sv`: the downloadable files.
async fn job_files(
    State(s): Shared,
    JobId(id): JobId,
    q: Result<Query<LangQuery>, QueryRejection>,
) -> Response {
    let run = async {
        let Query(q) = q?;
        let lang = lang_of(q.lang.as_deref())?;
        let job = find_job(&s, id)?;
        let files = files_for(&s, &job, lang).await?;
        let list: Vec<_> = files
            .iter()
            .map(|(name, path)| {
                json!({
                    "name": name,
                    "url": format!("/api/jobs/{id}/files/{}/{name}", lang.key()),
                    "bytes": std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
                })
            })
            .collect();
        Ok::<_, ApiError>(Json(list).into_response())
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "toml" => "application/toml; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// `GET /api/jobs/{id}/files/{lang}/{path}`: one file of the list, nothing else.
async fn job_file(
    State(s): Shared,
    p: Result<UrlPath<(u64, String, String)>, PathRejection>,
) -> Response {
    let run = async {
        let UrlPath((id, lang, path)) = p?;
        let lang = lang_of(Some(&lang))?;
        let job = find_job(&s, id)?;
        let files = files_for(&s, &job, lang).await?;
        let Some((name, file)) = files.iter().find(|(n, _)| *n == path) else {
            return Err(error(
                StatusCode::NOT_FOUND,
                format!("no file {path:?} in this job's downloads"),
            ));
        };
        let bytes = std::fs::read(file)
            .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let base = name.rsplit('/').next().unwrap_or(name);
        let disposition =
            if name.ends_with(".html") || name.ends_with(".svg") || name.ends_with(".png") {
                "inline".to_string()
            } else {
                format!("attachment; filename=\"{base}\"")
            };
        Ok((
            [
                (header::CONTENT_TYPE, content_type(name).to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response())
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::scenario::source::Source;

    fn downloaded(sets: &[&str]) -> Scenario {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let source = Source::load(None, crate::scenario::builtin::DEFAULT_SCENARIO, &sets).unwrap();
        let name = report::runs::variant_name("default", &sets);
        let text = scenario_toml("builtin:default", &sets, source.tree(), &name, 1, 10);
        Scenario::from_toml("scenario.toml", &text, &[]).unwrap()
    }

    #[test]
    fn the_changed_scenario_does_not_keep_the_unchanged_ones_labels() {
        let changed = downloaded(&["units.vc.staff.doctor.count=5"]);
        assert_eq!(changed.name, "default+vc.staff.doctor.count=5");
        assert_eq!((changed.label_en, changed.label_sv), (None, None));
        // Labels the page's changes write are kept.
        let labelled = downloaded(&["units.vc.staff.doctor.count=5", "label_sv=\"Fem läkare\""]);
        assert_eq!(labelled.label_sv.as_deref(), Some("Fem läkare"));
        assert_eq!(labelled.label_en, None);
        // Unchanged, it is the same scenario with its labels.
        let same = downloaded(&[]);
        assert_eq!(
            same.label_en.as_deref(),
            Some("Today (typical health centre)")
        );
    }
}
