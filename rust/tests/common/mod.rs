//! Checks shared by the integration tests (host, wasm32-wasi) and the
//! wasm32-unknown-unknown module (examples/unknown.rs).
#![allow(dead_code)]
use std::alloc::{GlobalAlloc, Layout};

#[path = "rng.rs"]
mod rng;
pub use rng::Rng;

/// A piece of memory some user owns, filled with its tag.
struct Region {
    start: usize,
    len: usize,
    tag: u8,
    owner: usize,
    layout: Layout,
}

fn fill(r: &Region) {
    unsafe { std::ptr::write_bytes(r.start as *mut u8, r.tag, r.len) }
}

fn intact(r: &Region) -> bool {
    let s = unsafe { std::slice::from_raw_parts(r.start as *const u8, r.len) };
    s.iter().all(|&b| b == r.tag)
}

/// Another user of `memory.grow`: pages taken behind the allocators' backs.
pub type Grower = fn(pages: usize) -> Option<usize>;

#[cfg(target_arch = "wasm32")]
pub fn memory_grow(pages: usize) -> Option<usize> {
    let old = core::arch::wasm32::memory_grow(0, pages);
    if old == usize::MAX {
        None
    } else {
        Some(old * 65536)
    }
}

/// Allocations from several allocators (`users`: the global allocator and
/// others, e.g. wasi-libc's malloc or Rust's own `System`) and from a
/// `memory.grow` user, interleaved, some freed; then every live region must
/// be disjoint from every other and still hold its fill.
pub fn mix(users: &[&dyn GlobalAlloc], grow: Option<Grower>, rounds: u32) -> Result<usize, String> {
    let mut rng = Rng::new(7);
    let mut live: Vec<Region> = Vec::with_capacity(rounds as usize * (users.len() + 1));
    for round in 0..rounds {
        for (owner, a) in users.iter().enumerate() {
            // small and large blocks, some big enough to grow the heap
            let len = if rng.next() % 4 == 0 {
                rng.between(2049, 200_000)
            } else {
                rng.between(1, 2048)
            } as usize;
            let layout = Layout::from_size_align(len, 1 << rng.between(0, 4)).unwrap();
            let p = unsafe { a.alloc(layout) };
            if p.is_null() {
                return Err(format!("user {} could not allocate {} bytes", owner, len));
            }
            if p as usize % layout.align() != 0 {
                return Err(format!(
                    "user {}: {:p} not aligned to {}",
                    owner,
                    p,
                    layout.align()
                ));
            }
            let r = Region {
                start: p as usize,
                len,
                tag: (round as u8) ^ (owner as u8 * 37) | 1,
                owner,
                layout,
            };
            fill(&r);
            live.push(r);
        }
        if let Some(g) = grow {
            if round % 8 == 3 {
                let pages = rng.between(1, 3) as usize;
                let start = g(pages).ok_or_else(|| "memory.grow failed".to_string())?;
                let r = Region {
                    start,
                    len: pages * 65536,
                    tag: 0xA5,
                    owner: usize::MAX,
                    layout: Layout::new::<u8>(),
                };
                fill(&r);
                live.push(r);
            }
        }
        // free a random live block (never the grown pages: nobody owns them)
        if rng.next() % 3 == 0 && !live.is_empty() {
            let i = rng.between(0, live.len() as u32 - 1) as usize;
            if live[i].owner != usize::MAX {
                let r = live.swap_remove(i);
                if !intact(&r) {
                    return Err(format!(
                        "user {}'s block {:#x}+{} was overwritten",
                        r.owner, r.start, r.len
                    ));
                }
                unsafe { users[r.owner].dealloc(r.start as *mut u8, r.layout) };
            }
        }
    }
    let mut sorted: Vec<&Region> = live.iter().collect();
    sorted.sort_by_key(|r| r.start);
    for w in sorted.windows(2) {
        if w[0].start + w[0].len > w[1].start {
            return Err(format!(
                "overlap: {:#x}+{} (user {}) and {:#x}+{} (user {})",
                w[0].start,
                w[0].len,
                w[0].owner as isize,
                w[1].start,
                w[1].len,
                w[1].owner as isize
            ));
        }
    }
    for r in &live {
        if !intact(r) {
            return Err(format!(
                "region {:#x}+{} (user {}) was overwritten",
                r.start, r.len, r.owner as isize
            ));
        }
    }
    let n = live.len();
    for r in live {
        if r.owner != usize::MAX {
            unsafe { users[r.owner].dealloc(r.start as *mut u8, r.layout) };
        }
    }
    Ok(n)
}

/// wee_alloc's unbounded leak (rustwasm/wee_alloc#106): alternating
/// allocations of 85196 and 80000 bytes.  `both_alive`: one of each alive at
/// a time.  Returns the heap size after warm-up and at the end; they must be
/// equal.
pub fn wee_alloc_pattern(rounds: usize, both_alive: bool) -> (usize, usize) {
    let mut after_warmup = 0;
    let mut keep: Vec<Vec<u8>> = Vec::with_capacity(2);
    for i in 0..rounds {
        let n = if i % 2 == 0 { 85196 } else { 80000 };
        let mut v: Vec<u8> = Vec::with_capacity(n);
        v.push(i as u8);
        if both_alive {
            if keep.len() == 2 {
                keep.remove(0);
            }
            keep.push(v);
        } else {
            drop(v);
        }
        if i == 100 {
            after_warmup = alligator::stats().heap_bytes;
        }
    }
    drop(keep);
    (after_warmup, alligator::stats().heap_bytes)
}

/// The statistics agree with themselves and with the heap map.
pub fn check_stats() -> Result<(), String> {
    let s = alligator::stats();
    if s.heap_bytes != s.in_use_bytes + s.free_bytes + s.overhead_bytes {
        return Err(format!(
            "heap_bytes {} != in use + free + overhead ({:?})",
            s.heap_bytes, s
        ));
    }
    if s.class_count != alligator::CLASSES {
        return Err(format!(
            "class_count {} != {}",
            s.class_count,
            alligator::CLASSES
        ));
    }
    if !(0.0..=1.0).contains(&s.fragmentation) {
        return Err(format!("fragmentation {}", s.fragmentation));
    }
    let pages: usize = s.class_pages.iter().sum();
    if pages != s.minipages {
        return Err(format!(
            "class_pages sum {} != minipages {}",
            pages, s.minipages
        ));
    }
    let map = alligator::heap_map();
    let s = alligator::stats(); // after heap_map's own allocation
    let count = |k| map.iter().filter(|m| m.kind() == k).count();
    let minis = count(alligator::SpanKind::MiniPage);
    let larges = count(alligator::SpanKind::Large);
    let frees = count(alligator::SpanKind::Free);
    if (minis, larges, frees) != (s.minipages, s.large_blocks, s.free_spans) {
        return Err(format!(
            "heap map has {} MiniPages, {} large, {} free; stats {} {} {}",
            minis, larges, frees, s.minipages, s.large_blocks, s.free_spans
        ));
    }
    let large_bytes: usize = map
        .iter()
        .filter(|m| m.kind() == alligator::SpanKind::Large)
        .map(|m| m.bytes)
        .sum();
    if large_bytes != s.large_bytes {
        return Err(format!(
            "heap map large bytes {} != stats {}",
            large_bytes, s.large_bytes
        ));
    }
    let problems = alligator::validate();
    if problems != 0 {
        return Err(format!("validate: {} problems", problems));
    }
    Ok(())
}

/// A double free and a foreign pointer, seen by the misuse hook (which
/// returns: the faulty call does nothing).  Returns the messages.
pub fn misuse_with_hook() -> Result<Vec<String>, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    fn hook(kind: alligator::Misuse, _ptr: usize, message: &str) {
        let bit = match kind {
            alligator::Misuse::DoubleFree => 1,
            alligator::Misuse::InvalidPointer => 2,
            _ => 4,
        };
        assert!(message.starts_with("alligator: "));
        SEEN.fetch_or(bit, Ordering::SeqCst);
    }
    alligator::set_misuse_hook(Some(hook));
    let a = alligator::AlligatorAlloc::INIT;
    let layout = Layout::from_size_align(100, 8).unwrap();
    let mut messages = Vec::new();
    unsafe {
        let p = a.alloc(layout);
        a.dealloc(p, layout);
        a.dealloc(p, layout); // the double free
    }
    messages.push(alligator::last_error().unwrap_or_default());
    let mut local = [0u8; 64];
    unsafe { a.dealloc(local.as_mut_ptr().add(16), layout) }; // never from Alligator
    messages.push(alligator::last_error().unwrap_or_default());
    alligator::set_misuse_hook(None);
    let seen = SEEN.load(Ordering::SeqCst);
    if seen != 3 {
        return Err(format!(
            "hook saw kinds {:#b}, messages {:?}",
            seen, messages
        ));
    }
    if !messages[0].contains("double free") || !messages[1].contains("invalid pointer") {
        return Err(format!("messages {:?}", messages));
    }
    if alligator::validate() != 0 {
        return Err("heap inconsistent after the ignored misuse".into());
    }
    Ok(messages)
}
