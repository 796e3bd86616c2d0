//! Alligator, a constant-time memory allocator for WebAssembly, as a Rust
//! global allocator:
//!
//! ```
//! use alligator::AlligatorAlloc;
//! #[global_allocator]
//! static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;
//! # fn main() { let v = vec![1u8; 100]; assert_eq!(v.len(), 100); }
//! ```
//!
//! On wasm32-wasi it is also the C library's malloc (one heap for Rust,
//! wasi-libc and C code); on wasm32-unknown-unknown it needs no imports; on
//! hosts it runs beside the C library's malloc, on its own simulated linear
//! memory.  Statistics ([`stats`]), the heap check ([`validate`]), the heap
//! map ([`heap_map`]), [`usable_size`] and misuse reports ([`set_misuse_hook`],
//! [`last_error`]) are those of the C API (`src/alligator.h`).
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use core::sync::atomic::{AtomicUsize, Ordering};

include!(concat!(env!("OUT_DIR"), "/consts.rs"));

/// What every `alligator_malloc` result is aligned to (`_Alignof(max_align_t)`
/// on wasm32 and 64-bit hosts; tests/layout.rs checks it against the C side).
pub const MALLOC_ALIGN: usize = 16;

type ErrorFn = unsafe extern "C" fn(kind: i32, ptr: *mut c_void, message: *const u8);
type CheckFn = unsafe extern "C" fn(ctx: *mut c_void, message: *const u8);

extern "C" {
    fn alligator_malloc(n: usize) -> *mut c_void;
    fn alligator_free(p: *mut c_void);
    fn alligator_calloc(count: usize, n: usize) -> *mut c_void;
    fn alligator_realloc(p: *mut c_void, n: usize) -> *mut c_void;
    fn alligator_memalign(align: usize, n: usize) -> *mut c_void;
    fn alligator_malloc_usable_size(p: *mut c_void) -> usize;
    fn alligator_stats(out: *mut Stats);
    fn alligator_validate(report: Option<CheckFn>, ctx: *mut c_void) -> i32;
    fn alligator_heap_map(out: *mut SpanInfo, max: usize) -> usize;
    fn alligator_set_error_handler(f: Option<ErrorFn>) -> Option<ErrorFn>;
    fn alligator_rs_record_error(message: *const u8, n: usize);
    fn alligator_rs_last_error() -> *const u8;
    static alligator_rs_layout: [usize; 0];
    static alligator_rs_layout_count: usize;
}

/// The global allocator.  Zero-sized and stateless: the heap is the C core's
/// one static heap, so any number of values may exist.
///
/// Single-threaded wasm takes no lock; wasm built with the `atomics` target
/// feature and hosts take the C core's spin lock.
#[derive(Clone, Copy, Debug, Default)]
pub struct AlligatorAlloc {
    _private: (),
}

impl AlligatorAlloc {
    /// For `static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;`
    pub const INIT: AlligatorAlloc = AlligatorAlloc { _private: () };

    /// The same as [`AlligatorAlloc::INIT`].
    pub const fn new() -> AlligatorAlloc {
        AlligatorAlloc::INIT
    }
}

unsafe impl GlobalAlloc for AlligatorAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            alligator_malloc(layout.size()) as *mut u8
        } else {
            alligator_memalign(layout.align(), layout.size()) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        alligator_free(ptr as *mut c_void)
    }

    /// `calloc`: memory fresh from `memory.grow` is not zeroed again.
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            alligator_calloc(1, layout.size()) as *mut u8
        } else {
            let p = alligator_memalign(layout.align(), layout.size()) as *mut u8;
            if !p.is_null() {
                core::ptr::write_bytes(p, 0, layout.size());
            }
            p
        }
    }

    /// In place when the block can grow or shrink where it is.
    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            return alligator_realloc(ptr as *mut c_void, new_size) as *mut u8;
        }
        if new_size <= alligator_malloc_usable_size(ptr as *mut c_void) {
            return ptr;
        }
        let p = alligator_memalign(layout.align(), new_size) as *mut u8;
        if !p.is_null() {
            core::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
            alligator_free(ptr as *mut c_void);
        }
        p
    }
}

/// `alligator_stats_t`: the heap's numbers, O(21) to take.
/// `heap_bytes == in_use_bytes + free_bytes + overhead_bytes` always holds.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Memory obtained from the heap backend (`memory.grow`).
    pub heap_bytes: usize,
    /// Usable bytes of live allocations.
    pub in_use_bytes: usize,
    /// The highest `in_use_bytes` so far.
    pub peak_in_use_bytes: usize,
    /// Reusable without growing: free spans and free segments.
    pub free_bytes: usize,
    /// `heap_bytes - in_use_bytes - free_bytes`.
    pub overhead_bytes: usize,
    pub live_allocations: usize,
    pub minipages: usize,
    pub large_blocks: usize,
    /// Bytes in large blocks' spans.
    pub large_bytes: usize,
    pub free_spans: usize,
    pub free_span_bytes: usize,
    /// A span from the highest non-empty bin (within 12.5% of the largest).
    pub largest_free_bytes: usize,
    /// Requests that returned NULL (ENOMEM).
    pub oom_count: usize,
    /// Calls that grew the heap.
    pub grow_count: usize,
    /// [`CLASSES`].
    pub class_count: usize,
    /// Per size class: segment bytes.
    pub class_size: [usize; CLASSES],
    /// Per size class: segments per MiniPage.
    pub class_slots: [usize; CLASSES],
    /// Per size class: MiniPages.
    pub class_pages: [usize; CLASSES],
    /// Per size class: segments in use.
    pub class_used: [usize; CLASSES],
    /// `1 - largest_free_bytes / free_span_bytes` (0: all free memory in one span).
    pub fragmentation: f64,
}

/// The heap's statistics (`alligator_stats`, O(21)).
pub fn stats() -> Stats {
    let mut s = core::mem::MaybeUninit::<Stats>::uninit();
    unsafe {
        alligator_stats(s.as_mut_ptr());
        s.assume_init()
    }
}

/// Walks the whole heap and checks every invariant: the number of problems
/// (0 = consistent).  O(heap): for tests and debugging.
pub fn validate() -> usize {
    unsafe { alligator_validate(None, core::ptr::null_mut()) as usize }
}

/// [`validate`], passing each problem's message to `report`.
pub fn validate_with<F: FnMut(&str)>(mut report: F) -> usize {
    unsafe extern "C" fn each(ctx: *mut c_void, message: *const u8) {
        let f = &mut *(ctx as *mut &mut dyn FnMut(&str));
        f(c_str(message));
    }
    let mut f: &mut dyn FnMut(&str) = &mut report;
    unsafe { alligator_validate(Some(each), &mut f as *mut _ as *mut c_void) as usize }
}

/// What a span of the heap is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    Free,
    Large,
    MiniPage,
    /// The header that closes a contiguous stretch of memory.
    End,
    Unknown(u32),
}

/// `alligator_span_info`: one span of the heap map.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpanInfo {
    /// The header's address.
    pub address: usize,
    /// Units × 2080.
    pub bytes: usize,
    /// 1 free, 2 large, 3 MiniPage, 4 end ([`SpanInfo::kind`]).
    pub raw_kind: u32,
    /// MiniPage: its size class.
    pub cls: u32,
    /// MiniPage: segments in use.
    pub used: u32,
    /// MiniPage: segments.
    pub slots: u32,
}

impl SpanInfo {
    pub fn kind(&self) -> SpanKind {
        match self.raw_kind {
            1 => SpanKind::Free,
            2 => SpanKind::Large,
            3 => SpanKind::MiniPage,
            4 => SpanKind::End,
            k => SpanKind::Unknown(k),
        }
    }
}

/// Fills `out` with the heap's spans in address order; returns how many the
/// heap has (more than `out.len()` means `out` was too short).  O(heap).
/// Allocates nothing.
pub fn heap_map_into(out: &mut [SpanInfo]) -> usize {
    unsafe { alligator_heap_map(out.as_mut_ptr(), out.len()) }
}

/// The heap's spans in address order.  O(heap).
pub fn heap_map() -> Vec<SpanInfo> {
    let mut v: Vec<SpanInfo> = Vec::new();
    loop {
        // room for the spans the Vec's own allocation may add
        let want = heap_map_into(&mut []) + 8;
        v.resize(want, SpanInfo::default());
        let n = heap_map_into(&mut v);
        if n <= v.len() {
            v.truncate(n);
            return v;
        }
    }
}

/// Bytes usable at `ptr`, a block from Alligator (`malloc_usable_size`).
///
/// # Safety
/// `ptr` must be null or a live block from Alligator.
pub unsafe fn usable_size(ptr: *const u8) -> usize {
    alligator_malloc_usable_size(ptr as *mut c_void)
}

/// The kind of a misuse report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misuse {
    DoubleFree,
    /// A pointer Alligator never returned.
    InvalidPointer,
    /// A broken free vector or header (a write into freed memory).
    Corruption,
    /// A canary overwritten (the `checked` feature).
    Overflow,
    Other(i32),
}

impl Misuse {
    fn from_c(kind: i32) -> Misuse {
        match kind {
            1 => Misuse::DoubleFree,
            2 => Misuse::InvalidPointer,
            3 => Misuse::Corruption,
            4 => Misuse::Overflow,
            k => Misuse::Other(k),
        }
    }
}

/// A misuse hook: the kind, the pointer, and the one-line message
/// (`alligator: double free: 0x10a30 (in free)`).
pub type MisuseHook = fn(kind: Misuse, ptr: usize, message: &str);

static HOOK: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn on_misuse(kind: i32, ptr: *mut c_void, message: *const u8) {
    let text = c_str(message);
    alligator_rs_record_error(text.as_ptr(), text.len());
    let h = HOOK.load(Ordering::Acquire);
    if h != 0 {
        let hook: MisuseHook = core::mem::transmute(h);
        hook(Misuse::from_c(kind), ptr as usize, text);
    }
}

/// Calls `hook` on misuse (double free, foreign pointer, corruption) instead
/// of the default (the message to stderr, or on wasm32-unknown-unknown to
/// [`last_error`], then abort: a bare trap there).  As with
/// `alligator_set_error_handler`, a hook that returns makes the faulty call
/// do nothing; to stop, call `std::process::abort()` in it.  `None` restores
/// the default.  The message is kept for [`last_error`] either way.
pub fn set_misuse_hook(hook: Option<MisuseHook>) {
    HOOK.store(hook.map_or(0, |h| h as usize), Ordering::Release);
    unsafe {
        alligator_set_error_handler(if hook.is_some() {
            Some(on_misuse as ErrorFn)
        } else {
            None
        });
    }
}

/// The last misuse message (`alligator: double free: 0x... (in free)`), if
/// any was reported through [`set_misuse_hook`] or, on
/// wasm32-unknown-unknown, by the default handler before its trap.
pub fn last_error() -> Option<String> {
    let s = unsafe { c_str(alligator_rs_last_error()) };
    if s.is_empty() {
        None
    } else {
        Some(String::from(s.trim_end()))
    }
}

/// wasm32-unknown-unknown: JS reads the last misuse message after the trap
/// with this export (a NUL-terminated string in the module's memory).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[no_mangle]
pub extern "C" fn alligator_last_error() -> *const u8 {
    unsafe { alligator_rs_last_error() }
}

unsafe fn c_str<'a>(p: *const u8) -> &'a str {
    let mut n = 0;
    while *p.add(n) != 0 {
        n += 1;
    }
    core::str::from_utf8(core::slice::from_raw_parts(p, n))
        .unwrap_or("alligator: (message not UTF-8)")
}

/// The C side's layout facts (c/shim.c), for tests/layout.rs.
#[doc(hidden)]
pub fn c_layout() -> &'static [usize] {
    unsafe { core::slice::from_raw_parts(alligator_rs_layout.as_ptr(), alligator_rs_layout_count) }
}
