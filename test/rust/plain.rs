// A Rust wasm32-wasi program on the default allocator: the control for the
// check (test/rust.test.js) that finds wasi-libc's dlmalloc in a module.
fn main() {
    let v: Vec<String> = (0..100).map(|i| i.to_string()).collect();
    println!("{}", v.len());
}
