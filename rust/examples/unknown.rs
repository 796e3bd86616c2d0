//! A wasm32-unknown-unknown module over Alligator: no imports at all.
//! test/rust.test.js instantiates it with a plain `WebAssembly.instantiate`
//! and calls these exports.  Rust's own allocator (`System`, its dlmalloc)
//! is the other `memory.grow` user in the mix test.  (Empty on hosts.)
#![cfg(target_arch = "wasm32")]
use alligator::AlligatorAlloc;
use std::alloc::System;

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

#[path = "../tests/common/mod.rs"]
mod common;

static mut MESSAGE: [u8; 512] = [0; 512];

/// The last failure's text (NUL-terminated), for the JS test.
#[no_mangle]
pub extern "C" fn test_message() -> *const u8 {
    unsafe { std::ptr::addr_of!(MESSAGE) as *const u8 }
}

fn report(r: Result<(), String>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => {
            let b = e.as_bytes();
            let n = b.len().min(511);
            let m = unsafe { &mut *std::ptr::addr_of_mut!(MESSAGE) };
            m[..n].copy_from_slice(&b[..n]);
            m[n] = 0;
            1
        }
    }
}

/// Rust allocations, Rust's own dlmalloc (System) and raw memory.grow: no
/// overlaps.
#[no_mangle]
pub extern "C" fn test_mix() -> i32 {
    report(common::mix(&[&ALLOC, &System], Some(common::memory_grow), 400).map(|_| ()))
}

#[no_mangle]
pub extern "C" fn test_stats() -> i32 {
    report(common::check_stats())
}

/// Returns 0 when the heap stayed flat.
#[no_mangle]
pub extern "C" fn test_wee_alloc(both_alive: i32) -> i32 {
    let (warm, end) = common::wee_alloc_pattern(20_000, both_alive != 0);
    report(if warm == end {
        Ok(())
    } else {
        Err(format!("heap grew from {} to {} bytes", warm, end))
    })
}

#[no_mangle]
pub extern "C" fn test_misuse_hook() -> i32 {
    report(common::misuse_with_hook().map(|_| ()))
}

#[no_mangle]
pub extern "C" fn heap_bytes() -> usize {
    alligator::stats().heap_bytes
}

/// The default misuse handler: the message goes to alligator_last_error,
/// then a trap (`unreachable`).
#[no_mangle]
pub extern "C" fn double_free() {
    let v: Box<[u8; 300]> = Box::new([1; 300]);
    let p = Box::into_raw(v);
    unsafe {
        drop(Box::from_raw(p));
        drop(Box::from_raw(p));
    }
}
