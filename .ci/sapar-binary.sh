#!/usr/bin/env bash
# Sourced by the CI steps that run the `sapar` binary. It is built the way the test step builds it
# (`cargo test --workspace`, which resolves the dependencies' features across every package and its
# dev-dependencies), so after that step this is a no-op: `cargo build -p sapar` would resolve the
# features differently and compile a second copy of most dependencies. Sets SAPAR to the binary.
cargo test --workspace --locked --no-run --quiet
SAPAR="${CARGO_TARGET_DIR:-$PWD/target}/debug/sapar"
if [ ! -x "$SAPAR" ]; then
    echo "error: the test build did not leave the sapar binary at $SAPAR" >&2
    exit 1
fi
