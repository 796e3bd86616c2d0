//! Compiles Alligator's C core (every `csrc/*.c` except the backends
//! `csrc/heap_*.c`, plus the backend for the target and `c/shim.c`) with
//! clang into `liballigator_c.a`.  No crates.io dependency: this is what the
//! `cc` crate would do, for the three kinds of target the crate supports.
//!
//! `csrc` is the repository's `src/` (a symlink; `cargo package` stores the
//! files themselves).  Compiler: `CC_<target>`, `TARGET_CC` (cross) or
//! `HOST_CC` (native), `CC`, else `clang`; flags added from `CFLAGS_<target>`,
//! `TARGET_CFLAGS`/`HOST_CFLAGS`, `CFLAGS`; archiver `AR_<target>`,
//! `TARGET_AR`/`HOST_AR`, `AR`, else `llvm-ar` (wasm-ld needs its symbol
//! index; GNU ar does not index wasm objects).  WASI headers: `WASI_SYSROOT`,
//! else `/usr/share/wasi-sysroot`, else Debian's `/usr/include/wasm32-wasi`.
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn var(name: &str) -> Option<String> {
    println!("cargo:rerun-if-env-changed={}", name);
    env::var(name).ok().filter(|v| !v.is_empty())
}

/// The cc crate's lookup order for a tool or flag variable.
fn target_var(base: &str, target: &str, cross: bool) -> Option<String> {
    var(&format!("{}_{}", base, target))
        .or_else(|| var(&format!("{}_{}", base, target.replace('-', "_"))))
        .or_else(|| {
            var(&format!(
                "{}_{}",
                if cross { "TARGET" } else { "HOST" },
                base
            ))
        })
        .or_else(|| var(base))
}

fn split(flags: Option<String>) -> Vec<String> {
    flags
        .map(|f| f.split_whitespace().map(String::from).collect())
        .unwrap_or_default()
}

fn on_path(name: &str) -> bool {
    env::var_os("PATH")
        .map(|p| env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
}

fn llvm_ar() -> String {
    (0..=30)
        .rev()
        .map(|v| {
            if v == 0 {
                "llvm-ar".to_string()
            } else {
                format!("llvm-ar-{}", v)
            }
        })
        .find(|n| on_path(n))
        .unwrap_or_else(|| "llvm-ar".to_string())
}

/// The C files of a directory, sorted; `heap_*.c` (the backends) left out.
fn core_sources(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| {
            panic!(
                "alligator: cannot read the C sources in {}: {}",
                dir.display(),
                e
            )
        })
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".c") && !name.starts_with("heap_")
        })
        .collect();
    v.sort();
    v
}

/// Debian ships wasi-libc's headers as /usr/include/wasm32-wasi; clang wants
/// a sysroot with include/ (only headers matter: this compiles, Rust links).
fn wasi_sysroot(out: &Path) -> Option<PathBuf> {
    if let Some(s) = var("WASI_SYSROOT") {
        return Some(PathBuf::from(s));
    }
    if Path::new("/usr/share/wasi-sysroot/include").is_dir() {
        return Some(PathBuf::from("/usr/share/wasi-sysroot"));
    }
    let debian = Path::new("/usr/include/wasm32-wasi");
    if debian.is_dir() {
        let root = out.join("wasi-sysroot");
        fs::create_dir_all(&root).unwrap();
        let link = root.join("include");
        if fs::read_link(&link).ok().as_deref() != Some(debian) {
            let _ = fs::remove_file(&link);
            #[cfg(unix)]
            std::os::unix::fs::symlink(debian, &link).unwrap();
        }
        return Some(root);
    }
    None
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let target = env::var("TARGET").unwrap();
    let host = env::var("HOST").unwrap();
    let cross = target != host;
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap();
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap();
    let features = env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let atomics = features.split(',').any(|f| f == "atomics");
    let csrc = manifest.join("csrc");
    let shim = manifest.join("c");
    println!("cargo:rerun-if-changed={}", csrc.display());
    println!("cargo:rerun-if-changed={}", shim.display());

    let wasm = arch == "wasm32" || arch == "wasm64";
    let mut flags: Vec<String> = vec![
        "-std=c11".into(),
        "-Wall".into(),
        "-Wextra".into(),
        "-fno-builtin".into(),
    ];
    let opt = env::var("OPT_LEVEL").unwrap_or_else(|_| "2".into());
    flags.push(format!("-O{}", opt));
    if env::var("DEBUG")
        .map(|d| d != "false" && d != "0")
        .unwrap_or(false)
    {
        flags.push("-g".into());
    }
    flags.push(format!("-I{}", csrc.display()));
    // The backend: memory.grow on wasm, the simulated linear memory on hosts.
    let backend = if wasm { "heap_wasi.c" } else { "heap_host.c" };
    if !wasm {
        // Beside the C library's own malloc (and the lock, always, on hosts).
        flags.push("-DALLIGATOR_PREFIX".into());
        flags.push("-fPIC".into());
        if !cross {
            // a native build: the compiler's own default target
        } else {
            flags.push(format!("--target={}", target));
        }
    } else if os == "wasi" {
        // The libc malloc (unprefixed): wasi-libc's dlmalloc.o is never linked.
        // wasm32-wasi, wasm32-wasip1, wasm32-wasip2, wasm32-wasip1-threads:
        // the C side is the same wasm32-wasi object code.
        flags.push(format!("--target={}-wasi", arch));
        match wasi_sysroot(&out) {
            Some(root) => flags.push(format!("--sysroot={}", root.display())),
            None => panic!(
                "alligator: no wasi-libc headers for {} (set WASI_SYSROOT, or install Debian's wasi-libc)",
                target
            ),
        }
    } else {
        // wasm32-unknown-unknown: freestanding, the crate's own few headers.
        flags.push(format!("--target={}-unknown-unknown", arch));
        flags.push("-DALLIGATOR_PREFIX".into());
        flags.push(format!("-isystem{}", shim.join("include").display()));
    }
    if wasm && atomics {
        // Shared memory (-C target-feature=+atomics): the C lock, and objects
        // wasm-ld accepts for a shared memory.
        flags.push("-DALLIGATOR_THREADS".into());
        flags.push("-matomics".into());
        flags.push("-mbulk-memory".into());
    }
    if env::var_os("CARGO_FEATURE_CHECKED").is_some() {
        flags.push("-DALLIGATOR_CHECKED".into());
    }
    if env::var_os("CARGO_FEATURE_DEBUG").is_some() {
        flags.push("-DALLIGATOR_DEBUG".into());
    }
    flags.extend(split(target_var("CFLAGS", &target, cross)));

    let mut sources = core_sources(&csrc);
    assert!(
        !sources.is_empty(),
        "alligator: no C sources in {}",
        csrc.display()
    );
    sources.push(csrc.join(backend));
    sources.push(shim.join("shim.c"));

    // What was used, for whoever debugs a build.
    fs::write(
        out.join("cflags.txt"),
        format!("{}\nTARGET_FEATURE={}\n", flags.join(" "), features),
    )
    .unwrap();

    let cc = target_var("CC", &target, cross).unwrap_or_else(|| "clang".into());
    let mut cc_words = cc.split_whitespace();
    let cc_prog = cc_words.next().unwrap().to_string();
    let cc_pre: Vec<String> = cc_words.map(String::from).collect();

    // Compile every file at once (a handful of small files).
    let mut jobs = Vec::new();
    let mut objects = Vec::new();
    for (i, src) in sources.iter().enumerate() {
        let stem = src.file_stem().unwrap().to_string_lossy();
        let obj = out.join(format!("{:02}-{}.o", i, stem));
        let mut cmd = Command::new(&cc_prog);
        cmd.args(&cc_pre)
            .args(&flags)
            .arg("-c")
            .arg(src)
            .arg("-o")
            .arg(&obj);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!(
                "alligator: cannot run the C compiler `{}` (set CC or TARGET_CC): {}",
                cc, e
            )
        });
        jobs.push((src.clone(), child));
        objects.push(obj);
    }
    let mut failed = false;
    for (src, child) in jobs {
        let o = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&o.stderr);
        for line in text.lines() {
            println!("cargo:warning={}", line);
        }
        if !o.status.success() {
            eprintln!("{}", text);
            eprintln!(
                "alligator: `{} {}` failed on {}",
                cc,
                flags.join(" "),
                src.display()
            );
            failed = true;
        }
    }
    if failed {
        panic!("alligator: the C core did not compile");
    }

    let ar = target_var("AR", &target, cross).unwrap_or_else(llvm_ar);
    let lib = out.join("liballigator_c.a");
    let _ = fs::remove_file(&lib);
    let status = Command::new(&ar)
        .arg("crs")
        .arg(&lib)
        .args(&objects)
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "alligator: cannot run `{}` (set AR; llvm-ar is needed for wasm): {}",
                ar, e
            )
        });
    assert!(status.success(), "alligator: `{}` failed", ar);

    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=alligator_c");
    // For Rust code: the number of size classes, read from the C header.
    let header = fs::read_to_string(csrc.join("alligator.h")).unwrap();
    let classes = header
        .lines()
        .find_map(|l| {
            l.strip_prefix("#define ALLIGATOR_CLASSES ")
                .map(|v| v.trim().to_string())
        })
        .expect("alligator: no ALLIGATOR_CLASSES in alligator.h");
    fs::write(out.join("consts.rs"), format!("/// Size classes (`ALLIGATOR_CLASSES` in alligator.h).\npub const CLASSES: usize = {};\n", classes)).unwrap();
}
