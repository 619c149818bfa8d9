//! The `vardsim` binary: parse the command line, run, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// The heap on transparent huge pages (`vardsim::memory`): a
/// region's patients and books are read in no order.
#[global_allocator]
static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;

fn main() -> ExitCode {
    let cli = vardsim::cli::Cli::parse();
    match vardsim::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`vardsim run | head`) is not an error.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            if let Some(stop) = err.downcast_ref::<vardsim::cli::Interrupted>() {
                let _ = writeln!(std::io::stderr(), "{stop}");
                return ExitCode::from(130);
            }
            let message = err.to_string();
            // Never a panic, even with stderr closed.
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {message}");
            // A cause the message already quotes ("… : No such file") is not repeated.
            for cause in err.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    let _ = writeln!(stderr, "  caused by: {cause}");
                }
            }
            ExitCode::from(2)
        }
    }
}
