//! The Stockholm scale case cut to its first units, for the test binaries
//! that run a region (`it`, `horizon_memory`).

/// The first `n` health centres of `scenarios/regions/stockholm.toml` with
/// its regional telephone line and digital provider (every fourth unit's
/// calls, every second unit's e-service requests), as the generator's
/// `--units n` writes them, and `extra` inserted before the categories.
pub fn stockholm_prefix(n: usize, extra: &str) -> String {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/regions/stockholm.toml"),
    )
    .expect("stockholm.toml");
    let cut = text
        .find(&format!("[units.vc{:03}]", n + 1))
        .and_then(|i| text[..i].rfind("# ---- "))
        .expect("unit n + 1");
    let hosts = text
        .find("# ---- The regional telephone line")
        .expect("the line");
    let categories = text.find("[categories.").expect("categories");
    format!(
        "{}{}{extra}\n{}",
        &text[..cut],
        &text[hosts..categories],
        &text[categories..]
    )
}
