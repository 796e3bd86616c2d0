//! The benchmark's Rust workloads, the same kinds as bench/workloads.c
//! (random actions with and without realloc, small-object churn, buffers
//! grown by realloc), as a wasm module exporting `bench_run`.  Built twice by
//! `make bench-rust`: with the target's default allocator and with
//! Alligator (`--features alligator`); bench/rust/run.js times the calls.
//! Every block is stamped and checked, and the checksum depends only on the
//! workload, so both builds must return the same one.
use std::alloc::{alloc, dealloc, realloc, Layout};

#[cfg(feature = "alligator")]
#[global_allocator]
static ALLOC: alligator::AlligatorAlloc = alligator::AlligatorAlloc::INIT;

/// The size floor: memory.grow and a pointer, nothing freed.
#[cfg(feature = "bump")]
mod bump {
    use std::alloc::{GlobalAlloc, Layout};
    use std::sync::atomic::{AtomicUsize, Ordering};
    pub struct Bump(AtomicUsize);
    unsafe impl GlobalAlloc for Bump {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            let mut at = self.0.load(Ordering::Relaxed);
            if at == 0 {
                at = core::arch::wasm32::memory_size(0) * 65536;
            }
            let p = (at + l.align() - 1) & !(l.align() - 1);
            let end = p + l.size();
            let have = core::arch::wasm32::memory_size(0) * 65536;
            if end > have
                && core::arch::wasm32::memory_grow(0, (end - have + 65535) / 65536) == usize::MAX
            {
                return std::ptr::null_mut();
            }
            self.0.store(end, Ordering::Relaxed);
            p as *mut u8
        }
        unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
    }
    #[global_allocator]
    static ALLOC: Bump = Bump(AtomicUsize::new(0));
}

#[path = "../../../rust/tests/common/rng.rs"]
mod rng;
use rng::Rng;

struct Sum(u32);
impl Sum {
    fn mix(&mut self, v: u32) {
        self.0 = (self.0 ^ v).wrapping_mul(16_777_619);
    }
}

unsafe fn stamp(p: *mut u8, n: usize, tag: u32) {
    *p = tag as u8;
    *p.add(n / 2) = (tag >> 8) as u8;
    *p.add(n - 1) = (tag >> 16) as u8;
}
/// What stamp() left at offset 0 and n / 2 (later writes win in short blocks).
fn first(n: usize, tag: u32) -> u8 {
    if n == 1 {
        (tag >> 16) as u8
    } else if n / 2 == 0 {
        (tag >> 8) as u8
    } else {
        tag as u8
    }
}
fn middle(n: usize, tag: u32) -> u8 {
    if n / 2 == n - 1 {
        (tag >> 16) as u8
    } else {
        (tag >> 8) as u8
    }
}
unsafe fn check(p: *const u8, n: usize, tag: u32, sum: &mut Sum) {
    assert!(
        *p == first(n, tag)
            && *p.add(n / 2) == middle(n, tag)
            && *p.add(n - 1) == (tag >> 16) as u8
    );
    sum.mix(n as u32);
}

fn lay(n: usize) -> Layout {
    Layout::from_size_align(n, 8).unwrap()
}

/// talc's wasm benchmark: 2500 slots, each step allocates into an empty slot
/// (1..10000 bytes) or frees (or, with `with_realloc`, half the time
/// reallocates) a full one.
fn random_actions(rng: &mut Rng, steps: u32, with_realloc: bool, sum: &mut Sum) {
    const SLOTS: usize = 2500;
    let mut slots: Vec<(*mut u8, usize, u32)> = vec![(std::ptr::null_mut(), 0, 0); SLOTS];
    unsafe {
        for _ in 0..steps {
            let i = rng.between(0, SLOTS as u32 - 1) as usize;
            let (p, n, tag) = slots[i];
            if p.is_null() {
                let n = rng.between(1, 10000) as usize;
                let tag = rng.next();
                let p = alloc(lay(n));
                assert!(!p.is_null());
                stamp(p, n, tag);
                slots[i] = (p, n, tag);
            } else if with_realloc && rng.next() & 1 == 1 {
                let m = rng.between(1, 10000) as usize;
                let q = realloc(p, lay(n), m);
                assert!(!q.is_null() && *q == first(n, tag));
                let tag = rng.next();
                stamp(q, m, tag);
                slots[i] = (q, m, tag);
            } else {
                check(p, n, tag, sum);
                dealloc(p, lay(n));
                slots[i].0 = std::ptr::null_mut();
            }
        }
        for &(p, n, tag) in &slots {
            if !p.is_null() {
                check(p, n, tag, sum);
                dealloc(p, lay(n));
            }
        }
    }
}

/// Lists and trees of 8..256-byte nodes, built and torn down in rounds, as
/// Rust code makes them: Box, Vec and BTreeMap.
fn small_churn(rng: &mut Rng, rounds: u32, sum: &mut Sum) {
    struct Node {
        next: Option<Box<Node>>,
        payload: Vec<u8>,
    }
    let mut trees: Vec<std::collections::BTreeMap<u32, Box<[u8]>>> = vec![Default::default(); 3];
    for round in 0..rounds {
        let mut head: Option<Box<Node>> = None;
        for _ in 0..rng.between(500, 2000) {
            let n = rng.between(8, 64) as usize;
            head = Some(Box::new(Node {
                next: head,
                payload: vec![n as u8; n],
            }));
        }
        let t = &mut trees[round as usize % 3];
        for (_, v) in std::mem::take(t) {
            sum.mix(v.len() as u32 ^ v[0] as u32);
        }
        for _ in 0..rng.between(1000, 2000) {
            let n = rng.between(8, 256) as usize;
            t.insert(rng.next(), vec![n as u8; n].into_boxed_slice());
        }
        while let Some(mut node) = head {
            sum.mix(node.payload.len() as u32);
            head = node.next.take();
        }
    }
}

/// Four buffers grown from empty to megabytes by pushes (realloc growth),
/// in turn, with short-lived strings in between.
fn growth(rng: &mut Rng, rounds: u32, sum: &mut Sum) {
    for _ in 0..rounds {
        let mut bufs: Vec<Vec<u8>> = (0..4).map(|_| Vec::new()).collect();
        let target = rng.between(1 << 20, 4 << 20) as usize;
        let mut k = 0;
        while bufs.iter().any(|b| b.len() < target) {
            let b = &mut bufs[k % 4];
            let chunk = rng.between(1, 4096) as usize;
            b.extend(std::iter::repeat(k as u8).take(chunk));
            let s = format!("{}:{}", k, b.len());
            sum.mix(s.len() as u32);
            k += 1;
        }
        for b in &bufs {
            sum.mix(b.len() as u32 ^ b[b.len() - 1] as u32);
        }
    }
}

/// Runs workload `w` (0 random_actions, 1 random_actions_realloc,
/// 2 small_churn, 3 growth) at `scale` percent; returns its checksum.
#[no_mangle]
pub extern "C" fn bench_run(w: u32, scale: u32) -> u32 {
    let mut rng = Rng::new(12345 + w);
    let mut sum = Sum(2_166_136_261);
    let s = |n: u32| (n as u64 * scale as u64 / 100).max(1) as u32;
    match w {
        0 => random_actions(&mut rng, s(400_000), false, &mut sum),
        1 => random_actions(&mut rng, s(400_000), true, &mut sum),
        2 => small_churn(&mut rng, s(40), &mut sum),
        3 => growth(&mut rng, s(4), &mut sum),
        _ => return 0,
    }
    sum.0
}
