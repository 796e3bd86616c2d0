//! Misuse reaches the hook from Rust (host and wasm32-wasi; the
//! wasm32-unknown-unknown default path is in test/rust.test.js).
use alligator::AlligatorAlloc;

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

mod common;

#[test]
fn double_free_and_foreign_pointer_reach_the_hook() {
    assert_eq!(alligator::last_error(), None);
    let m = common::misuse_with_hook().unwrap();
    assert!(m[0].starts_with("alligator: double free: 0x"), "{:?}", m);
    assert!(
        m[1].starts_with("alligator: invalid pointer: 0x"),
        "{:?}",
        m
    );
}
