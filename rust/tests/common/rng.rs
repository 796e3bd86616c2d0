//! The benchmark's generator (xorshift64*, the same sequence as
//! bench/workloads.c), shared by the tests and bench/rust.
/// xorshift64*, as bench/workloads.c.
#[allow(dead_code)]
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u32) -> Rng {
        Rng(0x9E37_79B9_7F4A_7C15 ^ ((seed as u64) << 1 | 1))
    }
    pub fn next(&mut self) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }
    /// uniform in [lo, hi]
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + ((self.next() as u64 * (hi - lo + 1) as u64) >> 32) as u32
    }
}
