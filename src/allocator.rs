//! The global allocator: jemalloc on x86_64 Linux with glibc (as ruff uses it), the system's
//! under an address-space limit and on other platforms (jemalloc built on a 4 KiB-page machine
//! refuses to start on the 16 and 64 KiB-page kernels some aarch64 systems run).
//!
//! The front ends allocate a syntax tree per file and free it a moment later; glibc's malloc
//! and free were a quarter of the samples of a Rust check (`docs/benchmarks.md`). jemalloc keeps
//! freed extents mapped for reuse, so under a 512 MB `ulimit -v` it runs out of address space
//! where glibc, held to one arena, does not (RELIABILITY.md X6): with a limit, glibc it is.
//! The choice is made at the first allocation (before `main`, before any thread) and never
//! changes, so every block is freed by the allocator that gave it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

/// The allocator `main` installs with `#[global_allocator]`.
pub struct Adaptive;

const UNDECIDED: u8 = 0;
const JEMALLOC: u8 = 1;
const SYSTEM: u8 = 2;

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

/// Whether this build has jemalloc at all (the `#[cfg]`s below repeat the condition).
const JEMALLOC_BUILT: bool = cfg!(all(
    target_os = "linux",
    target_env = "gnu",
    target_arch = "x86_64"
));

/// The soft address-space limit (`ulimit -v`, RLIMIT_AS) in bytes, when one is set.
/// Allocation-free: the allocator asks it before it can allocate.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn address_space_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) } == 0;
    (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

/// The soft address-space limit (`ulimit -v`), where `/proc` tells it.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn address_space_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))?;
    line["Max address space".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Which allocator this process uses, for `qgate check -v`.
pub fn in_use() -> &'static str {
    if uses_jemalloc() {
        "jemalloc"
    } else if JEMALLOC_BUILT {
        "the system's (an address-space limit is set)"
    } else {
        "the system's"
    }
}

#[inline]
fn uses_jemalloc() -> bool {
    match CHOICE.load(Ordering::Relaxed) {
        JEMALLOC => true,
        SYSTEM => false,
        _ => decide(),
    }
}

#[cold]
fn decide() -> bool {
    let wanted = if JEMALLOC_BUILT && address_space_limit().is_none() {
        JEMALLOC
    } else {
        SYSTEM
    };
    // Whoever decided first wins; the loser follows it.
    match CHOICE.compare_exchange(UNDECIDED, wanted, Ordering::Relaxed, Ordering::Relaxed) {
        Ok(_) => wanted == JEMALLOC,
        Err(decided) => decided == JEMALLOC,
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
static JEMALLOC_ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at its first allocation (`_RJEM_MALLOC_CONF` in the environment
/// still overrides them): freed pages stay mapped for reuse until the process ends. By default
/// jemalloc hands them back to the system over a few seconds and faults them in again, which
/// cost 4 % of a Python check for 17 % less peak memory (`docs/benchmarks.md`).
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static JEMALLOC_OPTIONS: CString = CString(c"dirty_decay_ms:-1,muzzy_decay_ms:-1".as_ptr());

/// A C string jemalloc reads as its `malloc_conf`.
#[repr(transparent)]
struct CString(*const std::ffi::c_char);

// SAFETY: the pointer is to a static string that nothing writes.
unsafe impl Sync for CString {}

/// Calls `$method` on jemalloc or on the system allocator, as decided.
macro_rules! dispatch {
    ($method:ident($($arg:expr),*)) => {{
        #[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
        if uses_jemalloc() {
            return JEMALLOC_ALLOCATOR.$method($($arg),*);
        }
        System.$method($($arg),*)
    }};
}

// SAFETY: every call goes to one allocator for the life of the process (the choice never
// changes once made), which upholds GlobalAlloc's contract itself.
unsafe impl GlobalAlloc for Adaptive {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { dispatch!(alloc(layout)) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { dispatch!(alloc_zeroed(layout)) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { dispatch!(dealloc(ptr, layout)) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { dispatch!(realloc(ptr, layout, new_size)) }
    }
}
