//! Statistics and the heap map follow the allocations exactly.  The only test
//! in its binary: the test harness runs each test on a thread of its own, so
//! a test beside it could allocate between two readings of the counters.
use alligator::AlligatorAlloc;

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

mod common;

#[test]
fn stats_follow_allocations() {
    let before = alligator::stats();
    let boxes: Vec<Box<[u8; 3000]>> = (0..10).map(|_| Box::new([7u8; 3000])).collect();
    let mid = alligator::stats();
    // 10 boxes and the Vec that holds them
    assert_eq!(mid.live_allocations, before.live_allocations + 11);
    assert!(mid.large_blocks >= before.large_blocks + 10);
    assert!(mid.in_use_bytes >= before.in_use_bytes + 30_000);
    assert!(mid.peak_in_use_bytes >= mid.in_use_bytes);
    common::check_stats().unwrap();
    drop(boxes);
    assert_eq!(alligator::stats().live_allocations, before.live_allocations);
    let mut problems = Vec::new();
    assert_eq!(
        alligator::validate_with(|m| problems.push(m.to_string())),
        0
    );
    assert!(problems.is_empty());
    let map = alligator::heap_map();
    assert!(map
        .windows(2)
        .all(|w| w[0].address + w[0].bytes <= w[1].address));
    assert_eq!(map.last().map(|s| s.kind()), Some(alligator::SpanKind::End));
}
