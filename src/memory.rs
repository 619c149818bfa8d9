//! How the process takes memory: the system's allocator, with its heap on
//! transparent huge pages (2 MiB) where Linux leaves that to the program.
//!
//! Why: a region's largest linked group (the regional line's 51 units)
//! holds about 180 000 patients, 51 units' books and their events, ≈ 100 MB
//! read in no order. With 4 KiB pages the processor's page-table cache
//! reaches a few MB, so on top of the cache misses nearly every read also
//! walks the page table; with 2 MiB pages it reaches all of it. Measured
//! on the 200 units (docs/performance-history.md, forty-fifth pass): the
//! line's group ≈ 20 % faster an event; groups of one unit, whose data
//! fits the caches, and the results are unchanged.
//!
//! Many Linux systems (Debian, Ubuntu) give huge pages only to memory a
//! program asks for them by `madvise`, and glibc's `malloc` asks only when
//! the environment says so (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, read
//! at start). [`HugePages`] asks in its place, once and for every thread:
//!
//! - one heap for all threads (`M_ARENA_MAX` 1): worker threads' arenas
//!   would be separate mappings it would have to find;
//! - everything below 32 MiB from that heap (`M_MMAP_THRESHOLD`), so a
//!   unit's book is not a mapping of its own, too small for a huge page;
//! - the heap grown 32 MiB at a time (`M_TOP_PAD`), so that what it adds
//!   is mostly whole 2 MiB ranges nothing has touched yet;
//! - after each allocation that moved the heap's end, the new part
//!   advised `MADV_HUGEPAGE`; an allocation of 32 MiB or more (a mapping
//!   of its own) is advised by itself.
//!
//! Advice only: the kernel may decline, nothing the program computes
//! depends on it. Elsewhere than glibc on Linux, the system's allocator as
//! it is. The `vardsim` binary, the benches and the profiling examples use
//! it (`#[global_allocator]`); the library does not impose it.

use std::alloc::{GlobalAlloc, Layout, System};

/// The system's allocator, its heap on transparent huge pages (see the
/// module's documentation).
///
/// ```
/// #[global_allocator]
/// static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct HugePages;

// SAFETY: every call goes to `System` with the caller's arguments
// unchanged; what is added afterwards only advises the kernel about pages
// the process has mapped, and never reads or writes them.
unsafe impl GlobalAlloc for HugePages {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        advise::after_allocation(p, layout.size());
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        advise::after_allocation(p, layout.size());
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        advise::after_allocation(p, new_size);
        p
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod advise {
    use std::sync::Once;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A transparent huge page.
    const HUGE: usize = 2 << 20;
    /// Allocations from this size up are mappings of their own (glibc's
    /// largest threshold on 64 bits); below it they come from the heap.
    const OWN_MAPPING: usize = 32 << 20;

    static SETUP: Once = Once::new();
    /// The heap's end as last seen, advised up to there (0 before the
    /// setup).
    static ADVISED_TO: AtomicUsize = AtomicUsize::new(0);

    /// After an allocation of `size` bytes at `p`: the setup on the first,
    /// then the heap's new part, or the allocation's own mapping, advised.
    #[inline]
    pub(super) fn after_allocation(p: *mut u8, size: usize) {
        if p.is_null() {
            return;
        }
        SETUP.call_once(setup);
        if size >= OWN_MAPPING {
            // Whole huge pages within the allocation.
            let start = (p as usize).next_multiple_of(HUGE);
            let end = (p as usize + size) & !(HUGE - 1);
            hugepage(start, end);
        }
        // `sbrk(0)` reads the end glibc keeps; it does not move it.
        // SAFETY: no increment: only the current break is returned.
        let end = unsafe { libc::sbrk(0) } as usize;
        let advised = ADVISED_TO.load(Ordering::Relaxed);
        // A heap trimmed back is advised again from where it ends now.
        if end != advised
            && ADVISED_TO
                .compare_exchange(advised, end, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            hugepage(advised, end);
        }
    }

    /// Once, before the advice: the heap's settings (see the module's
    /// documentation) and where it ends now (what lies below is not
    /// advised: the few allocations made before the first).
    #[cold]
    fn setup() {
        // SAFETY: `mallopt` takes plain integers; a value it refuses
        // leaves glibc's default, which only loses the advice's effect.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
            libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_MAPPING as i32);
            libc::mallopt(libc::M_TOP_PAD, OWN_MAPPING as i32);
        }
        // SAFETY: as above, the break read, not moved.
        let end = unsafe { libc::sbrk(0) } as usize;
        ADVISED_TO.fetch_max(end, Ordering::Relaxed);
    }

    /// Advises `[start, end)` for huge pages: both ends are a page's (the
    /// heap's break is kept page-aligned, the rest are huge pages').
    fn hugepage(start: usize, end: usize) {
        if end <= start {
            return;
        }
        // SAFETY: advice on the process's own mapped range; `madvise`
        // neither reads nor writes it, and a range it refuses (not
        // mapped, a kernel without huge pages) is left as it was.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod advise {
    /// No advice: the system's allocator as it is.
    #[inline(always)]
    pub(super) fn after_allocation(_p: *mut u8, _size: usize) {}
}
