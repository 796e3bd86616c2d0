//! The global allocator through std's collections, alignments, zeroing,
//! realloc, usable size, statistics and the heap map (host and wasm32-wasi).
use alligator::AlligatorAlloc;
use std::alloc::{GlobalAlloc, Layout};

#[global_allocator]
static ALLOC: AlligatorAlloc = AlligatorAlloc::INIT;

mod common;

#[test]
fn constructors() {
    const A: AlligatorAlloc = AlligatorAlloc::new();
    assert_eq!(std::mem::size_of_val(&A), 0);
    let _ = AlligatorAlloc::default();
}

#[test]
fn collections() {
    let mut v: Vec<String> = (0..5000).map(|i| format!("item {}", i)).collect();
    let mut m = std::collections::HashMap::new();
    for (i, s) in v.iter().enumerate() {
        m.insert(s.clone(), i);
    }
    v.retain(|s| s.len() % 2 == 0);
    assert!(v.iter().all(|s| m[s] < 5000));
    common::check_stats().unwrap();
}

#[test]
fn alignment_zeroing_realloc_usable_size() {
    let a = AlligatorAlloc::INIT;
    for shift in 0..13 {
        let align = 1usize << shift;
        for &size in &[1usize, 15, 16, 17, 100, 2048, 2049, 5000, 70_000] {
            let layout = Layout::from_size_align(size, align).unwrap();
            unsafe {
                let p = a.alloc(layout);
                assert!(
                    !p.is_null() && p as usize % align == 0,
                    "{} aligned {}",
                    size,
                    align
                );
                assert!(alligator::usable_size(p) >= size);
                std::ptr::write_bytes(p, 0xEE, size);
                a.dealloc(p, layout);
                // reused memory is zeroed too
                let z = a.alloc_zeroed(layout);
                assert!(z as usize % align == 0);
                assert!(
                    std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0),
                    "zeroed {} {}",
                    size,
                    align
                );
                for (i, b) in std::slice::from_raw_parts_mut(z, size)
                    .iter_mut()
                    .enumerate()
                {
                    *b = i as u8;
                }
                for &to in &[size * 3, size / 2 + 1, 100_000] {
                    let r = a.realloc(z, layout, to);
                    assert!(r as usize % align == 0);
                    let keep = size.min(to).min(size / 2 + 1);
                    assert!(std::slice::from_raw_parts(r, keep)
                        .iter()
                        .enumerate()
                        .all(|(i, &b)| b == i as u8));
                    a.dealloc(r, Layout::from_size_align(to, align).unwrap());
                    break;
                }
            }
        }
    }
    assert_eq!(alligator::validate(), 0);
}

/// (hosts: 1 TiB is past the simulated memory; wasm32 could grow to 2 GiB)
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn out_of_memory_is_null() {
    let a = AlligatorAlloc::INIT;
    let before = alligator::stats().oom_count;
    let p = unsafe { a.alloc(Layout::from_size_align(1 << 40, 16).unwrap()) };
    assert!(p.is_null());
    assert_eq!(alligator::stats().oom_count, before + 1);
}
