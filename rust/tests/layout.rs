//! The Rust mirrors of alligator_stats_t and alligator_span_info have the C
//! layout (offsets from c/shim.c), and MALLOC_ALIGN is C's malloc alignment.
use alligator::{SpanInfo, Stats};
use std::mem::{size_of, MaybeUninit};

macro_rules! offsets {
    ($t:ty; $($f:ident),*) => {{
        let u = MaybeUninit::<$t>::uninit();
        let base = u.as_ptr() as usize;
        vec![size_of::<$t>(), $(unsafe { std::ptr::addr_of!((*u.as_ptr()).$f) } as usize - base),*]
    }};
}

#[test]
fn layouts_match_the_c_side() {
    let mut rust = vec![alligator::MALLOC_ALIGN, alligator::CLASSES];
    rust.extend(offsets!(Stats; heap_bytes, in_use_bytes, peak_in_use_bytes, free_bytes, overhead_bytes,
        live_allocations, minipages, large_blocks, large_bytes, free_spans, free_span_bytes, largest_free_bytes,
        oom_count, grow_count, class_count, class_size, class_slots, class_pages, class_used, fragmentation));
    rust.extend(offsets!(SpanInfo; address, bytes, raw_kind, cls, used, slots));
    assert_eq!(rust, alligator::c_layout());
}
