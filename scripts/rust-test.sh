#!/usr/bin/env bash
# The Rust crate's cargo tests (mk/rust.mk, `make rust-test`): on the host
# with rustup's toolchain and with Debian's, on wasm32-wasi in Node (a cargo
# runner: scripts/devtools/run-wasi.js), and `cargo package`, whose verify
# step builds the crate from the packaged (vendored) C sources.  Offline;
# target directories under $RUST_B.  Prints "rust: N passed, M failed".
set -uo pipefail
# The C core and shim must build without a warning on every target (CFLAGS
# reaches clang through build.rs).
export CFLAGS="${CFLAGS:-} -Werror"
cd "$(dirname "$0")/.."
B=${RUST_B:-$PWD/build}
NODE=${NODE:-node}
RUSTUP_CARGO=${RUSTUP_CARGO:-$HOME/.cargo/bin/cargo}
DEB=(env PATH=/usr/bin:/bin RUSTC=/usr/bin/rustc /usr/bin/cargo)
passed=0 failed=0 log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run NAME COMMAND...: cargo test, counting its "test result" lines
run() {
  local name=$1; shift
  echo "+ ($name) $*"
  (cd rust && "$@") >"$log" 2>&1
  local rc=$?
  local p f
  p=$(awk '/^test result:/ {s += $4} END {print s + 0}' "$log")
  f=$(awk '/^test result:/ {s += $6} END {print s + 0}' "$log")
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
  if [ $rc -ne 0 ]; then cat "$log"; echo "rust: $name FAILED"; else echo "  $name: $p passed"; fi
  passed=$((passed + p)) failed=$((failed + f))
}

skip() { echo "rust: $1 skipped ($2)"; }

if [ -x "$RUSTUP_CARGO" ]; then
  run "host, $("$RUSTUP_CARGO" --version)" "$RUSTUP_CARGO" test --offline --target-dir "$B/rust"
else
  skip "host with rustup's cargo" "no $RUSTUP_CARGO"
fi
if [ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ]; then
  run "host, Debian $(/usr/bin/rustc --version)" "${DEB[@]}" test --offline --target-dir "$B/rust-debian"
  if [ -e /usr/lib/rustlib/wasm32-wasi/lib/self-contained/libc.a ]; then
    # --nocapture: a failed assertion aborts the module (panic=abort), and a
    # captured panic message would be lost with it.
    run "wasm32-wasi in Node" env CARGO_TARGET_WASM32_WASI_RUNNER="$NODE $PWD/scripts/devtools/run-wasi.js" \
      "${DEB[@]}" test --offline --target wasm32-wasi --target-dir "$B/rust-debian" -- --nocapture
  else
    skip "wasm32-wasi" "Debian's libstd-rust-dev-wasm32 is not installed"
  fi
else
  skip "host and wasm32-wasi with Debian's Rust" "no /usr/bin/cargo (Debian's rustc and cargo)"
fi

# Formatting (rustfmt's defaults), where rustup's cargo fmt is installed.
if [ -x "${RUSTUP_CARGO%/cargo}/cargo-fmt" ]; then
  echo "+ (format) cargo fmt --check"
  if (cd rust && "$RUSTUP_CARGO" fmt --check) >"$log" 2>&1 && (cd bench/rust && "$RUSTUP_CARGO" fmt --check) >>"$log" 2>&1; then
    echo "  format: rust/ and bench/rust/ as rustfmt writes them"
    passed=$((passed + 1))
  else
    cat "$log"; echo "rust: format FAILED (run cargo fmt in rust/ and bench/rust/)"
    failed=$((failed + 1))
  fi
else
  skip "cargo fmt --check" "no rustup cargo-fmt"
fi

# The package: csrc/ (a symlink to src/) must be stored as files, and the
# packaged crate must build on its own.
PKG_CARGO=$RUSTUP_CARGO; [ -x "$PKG_CARGO" ] || PKG_CARGO=/usr/bin/cargo
if [ -x "$PKG_CARGO" ]; then
  echo "+ (package) $PKG_CARGO package --offline --allow-dirty"
  if (cd rust && "$PKG_CARGO" package --offline --allow-dirty --target-dir "$B/rust") >"$log" 2>&1 &&
     missing=$(comm -23 <(cd src && ls *.c *.h | sort) \
       <(tar tzf "$B"/rust/package/alligator-*.crate | sed -n 's|^alligator-[^/]*/csrc/||p' | sort)) &&
     [ -z "$missing" ]; then
    echo "  package: csrc/ holds every src/ file, the packaged crate builds"
    passed=$((passed + 1))
  else
    cat "$log"; echo "rust: package FAILED (missing from csrc/: ${missing:-?})"
    failed=$((failed + 1))
  fi
fi
echo "rust: $passed passed, $failed failed"
[ "$failed" = 0 ]
