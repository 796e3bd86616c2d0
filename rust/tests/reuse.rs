//! wee_alloc's leak pattern (alternating 85196 B and 80000 B): the heap
//! stays flat.  One test per binary: nothing else allocates meanwhile.
use alligator::AlligatorAlloc;

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

mod common;

#[test]
fn wee_alloc_pattern_keeps_the_heap_flat() {
    let (warm, end) = common::wee_alloc_pattern(20_000, false);
    assert_eq!(warm, end, "alternating frees: heap grew");
    let (warm, end) = common::wee_alloc_pattern(20_000, true);
    assert_eq!(warm, end, "one of each alive: heap grew");
    println!("heap after warm-up {} B, at the end {} B", warm, end);
    common::check_stats().unwrap();
}
