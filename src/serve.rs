//! `vardsim serve`: a what-if page for a planning group, in the browser.
//!
//! One responsibility per file: `catalog.rs` the scenarios offered by name,
//! `levers.rs` the controls generated from the scenario schema, `jobs.rs`
//! running and cancelling paired comparisons (one slot per browser tab, a
//! bounded number at once, off the async executor), `view.rs` the figures
//! and charts the page shows (the report's own documents and charts),
//! `routes.rs` the HTTP API, `auth.rs` who may connect and `assets.rs` the
//! embedded page. The simulation is the command line's: scenarios load
//! through the scenario loader, replications run through `experiment`.

pub mod assets;
pub mod auth;
pub mod catalog;
pub mod jobs;
pub mod levers;
pub mod routes;
pub mod view;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;

pub use auth::Access;
pub use catalog::Catalog;
pub use jobs::Jobs;

/// What the handlers share.
pub struct Server {
    /// The scenarios offered.
    pub catalog: Catalog,
    /// The jobs.
    pub jobs: Arc<Jobs>,
    /// The scenario schema (`vardsim schema`), for the controls' bounds and help.
    pub schema: serde_json::Value,
}

/// How to serve.
#[derive(Clone, Debug)]
pub struct Options {
    /// Jobs running at once.
    pub max_jobs: usize,
    /// Worker threads per job.
    pub threads: usize,
    /// Where downloads are written.
    pub files_root: PathBuf,
}

impl Server {
    /// A server offering `catalog`.
    pub fn new(catalog: Catalog, options: &Options) -> Arc<Server> {
        Arc::new(Server {
            catalog,
            jobs: Arc::new(Jobs::new(
                options.max_jobs,
                options.threads,
                options.files_root.clone(),
            )),
            schema: crate::scenario::schema::json_schema(),
        })
    }
}

/// The whole application: routes behind the access check.
pub fn router(server: Arc<Server>, access: Access) -> Router {
    routes::routes(server).layer(axum::middleware::from_fn_with_state(
        Arc::new(access),
        auth::check,
    ))
}

/// Serves `app` on `listener` until the process ends (a current-thread
/// runtime: the handlers only wait; the simulation runs on its own threads).
pub fn run(listener: std::net::TcpListener, app: Router) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, app).await
    })
}
