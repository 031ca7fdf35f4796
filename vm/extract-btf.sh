#!/usr/bin/env bash
# extract-btf.sh VMLINUZ OUT_VMLINUX_H - the test kernel's BTF as a C header, without booting it.
# A bzImage carries the compressed ELF vmlinux after its setup code; we find the payload by the
# compressor's magic (zstd, xz or gzip, whichever the kernel config chose), decompress from each
# candidate offset until one yields an ELF with a .BTF section, and let bpftool dump it.
set -euo pipefail
img=$1; out=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
try() { # $1 = offset, $2 = decompressor
  tail -c +$(( $1 + 1 )) "$img" | $2 > "$tmp/vmlinux" 2>/dev/null || true
  [ -s "$tmp/vmlinux" ] && [ "$(head -c 4 "$tmp/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] \
    && bpftool btf dump file "$tmp/vmlinux" format c > "$tmp/vmlinux.h" 2>/dev/null
}
offsets() { LC_ALL=C grep -obUaP "$1" "$img" 2>/dev/null | cut -d: -f1 | head -5; }
for o in $(offsets '\x28\xb5\x2f\xfd'); do try "$o" "zstd -qdc" && { mv "$tmp/vmlinux.h" "$out"; exit 0; }; done
for o in $(offsets '\xfd7zXZ\x00');    do try "$o" "xz -qdc"   && { mv "$tmp/vmlinux.h" "$out"; exit 0; }; done
for o in $(offsets '\x1f\x8b\x08');    do try "$o" "gzip -qdc" && { mv "$tmp/vmlinux.h" "$out"; exit 0; }; done
echo "extract-btf: no vmlinux with BTF found in $img" >&2; exit 1
