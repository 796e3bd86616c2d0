//! One heap for everyone: Rust's allocations, the C library's malloc (on
//! wasm32-wasi: wasi-libc's own calls land in Alligator too) and another
//! `memory.grow` user never overlap.
use alligator::AlligatorAlloc;
use std::alloc::{GlobalAlloc, Layout, System};

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

mod common;

extern "C" {
    fn malloc(n: usize) -> *mut u8;
    fn free(p: *mut u8);
    #[cfg(target_os = "wasi")]
    fn strdup(s: *const u8) -> *mut u8;
}

/// The C library's malloc, called as C code would (the mix asks for <= 16).
struct CMalloc;
unsafe impl GlobalAlloc for CMalloc {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        assert!(l.align() <= 16);
        malloc(l.size())
    }
    unsafe fn dealloc(&self, p: *mut u8, _: Layout) {
        free(p)
    }
}

#[cfg(target_arch = "wasm32")]
const GROW: Option<common::Grower> = Some(common::memory_grow);
#[cfg(not(target_arch = "wasm32"))]
const GROW: Option<common::Grower> = None;

#[test]
fn rust_c_and_memory_grow_never_overlap() {
    let n = common::mix(&[&ALLOC, &CMalloc, &System], GROW, 400).unwrap();
    assert!(n > 400);
    common::check_stats().unwrap();
}

/// wasm32-wasi: Alligator is the C library's malloc, and wasi-libc's own
/// allocations (strdup) come from it.
#[cfg(target_os = "wasi")]
#[test]
fn wasi_libc_allocates_from_alligator() {
    let before = alligator::stats().live_allocations;
    let p = unsafe { strdup(b"one heap\0".as_ptr()) };
    assert!(!p.is_null());
    assert_eq!(alligator::stats().live_allocations, before + 1);
    assert!(unsafe { alligator::usable_size(p) } >= 9);
    let q = unsafe { malloc(100) };
    assert_eq!(alligator::stats().live_allocations, before + 2);
    unsafe {
        free(q);
        free(p);
    }
    assert_eq!(alligator::stats().live_allocations, before);
}
