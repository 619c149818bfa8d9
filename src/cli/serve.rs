//! `vardsim serve`: starts the what-if page (`src/serve/`).

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context;

use crate::serve::{self, Access, Catalog};

pub const SERVE_EXAMPLES: &str = "\
Examples:
  vardsim serve                                  the page at http://127.0.0.1:8080/
  vardsim serve --open --scenarios my-scenarios  open it in the browser; offer my own files too
  vardsim serve --port 0                         any free port (printed)
  vardsim serve --listen 0.0.0.0 --port 8080     for the meeting room's network: prints an address with a token";

/// Most jobs running at once (`--max-jobs`).
pub const MAX_JOBS: usize = 64;

/// Arguments of `vardsim serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The port; 0 takes any free one (the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Listen on this address (e.g. 0.0.0.0 for every network interface)
    /// instead of 127.0.0.1 only; every request must then carry the token.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<IpAddr>,
    /// The token with --listen: at least 16 letters, digits, '-' or '_'
    /// [default: a new random one, printed in the address].
    #[arg(long, requires = "listen")]
    pub token: Option<String>,
    /// Open the page in the default browser (if that fails, open the printed address yourself).
    #[arg(long)]
    pub open: bool,
    /// A folder whose scenario files (*.toml, not in subfolders) the page
    /// offers by name, besides the built-in default, presets and regions.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Comparisons running at once, 1 to 64; the others wait their turn.
    #[arg(long, default_value_t = 2)]
    pub max_jobs: usize,
    /// Worker threads of each comparison, 1 to 1024 (default: one per core).
    #[arg(short, long)]
    pub threads: Option<usize>,
}

fn check_token(token: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        token.len() >= 16
            && token.len() <= 256
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "--token: expected 16 to 256 letters, digits, '-' or '_'\n  hint: leave it out and a random one is made and printed"
    );
    Ok(())
}

/// `vardsim serve`.
pub(super) fn serve_command(args: ServeArgs) -> anyhow::Result<()> {
    super::checks::threads(args.threads)?;
    anyhow::ensure!(
        (1..=MAX_JOBS).contains(&args.max_jobs),
        "--max-jobs {}: expected 1 to {MAX_JOBS}",
        args.max_jobs
    );
    if let Some(t) = &args.token {
        check_token(t)?;
    }
    let catalog = Catalog::new(args.scenarios.as_deref()).with_context(|| {
        format!(
            "cannot list the scenario folder {}",
            args.scenarios
                .as_deref()
                .unwrap_or(std::path::Path::new(""))
                .display()
        )
    })?;
    let ip = args.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let listener = std::net::TcpListener::bind(SocketAddr::new(ip, args.port))
        .with_context(|| format!("cannot listen on {ip} port {}", args.port))?;
    let port = listener.local_addr()?.port();
    let access = match args.listen {
        Some(_) => Access::Token(args.token.clone().unwrap_or_else(serve::auth::new_token)),
        None => Access::Local,
    };
    let files_root = std::env::temp_dir().join(format!("vardsim-serve-{}", std::process::id()));
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = serve::Options {
        max_jobs: args.max_jobs,
        threads,
        files_root: files_root.clone(),
    };
    let app = serve::router(serve::Server::new(catalog, &options), access.clone());
    let url = match (&access, args.listen) {
        (Access::Token(token), Some(ip)) if ip.is_unspecified() => {
            format!("http://<this computer's address>:{port}/?token={token}")
        }
        (Access::Token(token), Some(ip)) => {
            format!(
                "http://{}:{port}/?token={token}",
                SocketAddr::new(ip, port).ip()
            )
        }
        _ => format!("http://127.0.0.1:{port}/"),
    };
    {
        // The address is for whoever started it; a closed stdout (a
        // launcher that read the first line and went) must not stop it.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "vardsim serve: {url}\nCtrl-C stops the server.");
        let _ = out.flush();
    }
    // The downloads are written under a temporary folder: gone when the
    // server stops.
    let root = files_root.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&root);
        std::process::exit(0);
    }) {
        note!("warning: cannot catch Ctrl-C: {e}");
    }
    if args.open {
        open_browser(
            &format!("http://127.0.0.1:{port}/"),
            &url,
            args.listen.is_some(),
        );
    }
    let served = serve::run(listener, app);
    let _ = std::fs::remove_dir_all(&files_root);
    served.context("serving")
}

/// Opens the page in the default browser; a failure only prints a note.
fn open_browser(local: &str, url: &str, remote: bool) {
    let target = if remote { url } else { local };
    let opener: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let spawned = std::process::Command::new(opener[0])
        .args(&opener[1..])
        .arg(target)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        note!(
            "note: could not open a browser ({}: {e}); open {target} yourself",
            opener[0]
        );
    }
}
