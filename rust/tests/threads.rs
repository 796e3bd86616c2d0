//! Hosts take the C lock: threads allocating at once keep the heap whole.
#![cfg(not(target_arch = "wasm32"))]
use alligator::AlligatorAlloc;

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

mod common;

#[test]
fn threads_share_one_heap() {
    let before = alligator::stats().live_allocations;
    let handles: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                let mut rng = common::Rng::new(t);
                let mut keep: Vec<Vec<u8>> = Vec::new();
                for i in 0..5_000u32 {
                    let n = rng.between(1, 5000) as usize;
                    keep.push(vec![(i as u8) ^ (t as u8); n]);
                    if keep.len() > 64 {
                        let v = keep.swap_remove(rng.between(0, 63) as usize);
                        assert!(v.iter().all(|&b| b == v[0]));
                    }
                }
                keep.len()
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(alligator::validate(), 0);
    assert!(alligator::stats().live_allocations <= before + 8);
}
