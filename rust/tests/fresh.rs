//! alloc_zeroed is calloc: memory fresh from the heap backend is not zeroed
//! again.  On hosts that is visible without timing: the simulated linear
//! memory is untouched anonymous mmap, so a 256 MiB zeroed block must not
//! become resident (malloc + memset would make all of it resident).
#![cfg(target_os = "linux")]
use alligator::AlligatorAlloc;
use std::alloc::{GlobalAlloc, Layout};

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    statm
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<usize>()
        .unwrap()
        * 4096
}

#[test]
fn alloc_zeroed_does_not_touch_fresh_memory() {
    let a = AlligatorAlloc::INIT;
    let n = 256 << 20;
    let layout = Layout::from_size_align(n, 16).unwrap();
    let before = resident_bytes();
    let p = unsafe { a.alloc_zeroed(layout) };
    assert!(!p.is_null());
    let grew = resident_bytes().saturating_sub(before);
    assert!(grew < 16 << 20, "alloc_zeroed made {} bytes resident", grew);
    // and it is zero (reading an untouched page maps the shared zero page)
    let s = unsafe { std::slice::from_raw_parts(p, n) };
    assert!(s.iter().step_by(4096).all(|&b| b == 0));
    unsafe { a.dealloc(p, layout) };
}
