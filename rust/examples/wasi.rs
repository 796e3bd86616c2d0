//! A wasm32-wasi program over Alligator, run in Node by test/rust.test.js
//! (also builds and runs on hosts): Rust's allocations, the C library's
//! malloc and, on wasm, raw `memory.grow` share memory without overlaps;
//! wasi-libc's own allocations come from Alligator.  Prints the statistics.
use alligator::AlligatorAlloc;
use std::alloc::{GlobalAlloc, Layout};

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

#[path = "../tests/common/mod.rs"]
mod common;

extern "C" {
    fn malloc(n: usize) -> *mut u8;
    fn free(p: *mut u8);
    fn strdup(s: *const u8) -> *mut u8;
}

struct CMalloc;
unsafe impl GlobalAlloc for CMalloc {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        malloc(l.size())
    }
    unsafe fn dealloc(&self, p: *mut u8, _: Layout) {
        free(p)
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    let grow: Option<common::Grower> = Some(common::memory_grow);
    #[cfg(not(target_arch = "wasm32"))]
    let grow: Option<common::Grower> = None;
    let regions =
        common::mix(&[&ALLOC, &CMalloc], grow, 300).unwrap_or_else(|e| panic!("mix: {}", e));
    println!("mix: {} regions, no overlaps", regions);
    let before = alligator::stats().live_allocations;
    let s = unsafe { strdup(b"from wasi-libc\0".as_ptr()) };
    let counted = alligator::stats().live_allocations - before;
    // (the pointer escapes: LLVM would otherwise delete a strdup/free pair)
    let usable = unsafe { alligator::usable_size(s) };
    println!(
        "strdup: {} allocation(s) in Alligator's heap, {} bytes usable",
        counted, usable
    );
    unsafe { free(s) };
    common::check_stats().unwrap_or_else(|e| panic!("stats: {}", e));
    let st = alligator::stats();
    println!(
        "stats: heap_bytes={} in_use_bytes={} live_allocations={} grow_count={} validate={}",
        st.heap_bytes,
        st.in_use_bytes,
        st.live_allocations,
        st.grow_count,
        alligator::validate()
    );
}
