//! The heap on transparent huge pages (`vardsim::memory::HugePages`, the
//! `vardsim` binary's allocator): many small allocations, as a region's
//! patients, books and event chunks are, end up on 2 MiB pages where the
//! kernel gives them to a program that asks. Its own binary, so that the
//! allocator is this process's (as in `vardsim`), not the test harness's.
//! Skipped (passes) where the kernel gives none: not Linux, or huge pages
//! set to `never`.

#[global_allocator]
static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;

/// The kernel's transparent-huge-page mode, `None` where there is none.
fn huge_page_mode() -> Option<String> {
    let text = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").ok()?;
    let start = text.find('[')? + 1;
    let end = text[start..].find(']')? + start;
    Some(text[start..end].to_string())
}

/// This process's memory on huge pages, kB (`/proc/self/smaps_rollup`).
fn anon_huge_kb() -> u64 {
    let text = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("AnonHugePages:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn small_allocations_land_on_huge_pages() {
    if !cfg!(all(target_os = "linux", target_env = "gnu"))
        || !matches!(huge_page_mode().as_deref(), Some("always" | "madvise"))
    {
        eprintln!("no transparent huge pages here: skipped");
        return;
    }
    let before = anon_huge_kb();
    // 64 MiB in pieces of 16 KiB (a patient-id page's size), each written
    // so that its pages are mapped.
    let pieces: Vec<Box<[u8; 16 << 10]>> = (0..4096u32)
        .map(|i| Box::new([(i % 251) as u8; 16 << 10]))
        .collect();
    let after = anon_huge_kb();
    let sum: u64 = pieces.iter().map(|p| u64::from(p[100])).sum();
    assert!(sum > 0);
    // Most of the 64 MiB: the heap's first and last 2 MiB ranges and the
    // one the growth's bookkeeping touched first may stay small.
    assert!(
        after >= before + 48 * 1024,
        "{} kB of the 64 MiB on huge pages (mode {:?})",
        after - before,
        huge_page_mode()
    );
}
