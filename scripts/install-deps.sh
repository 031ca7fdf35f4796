#!/usr/bin/env bash
# Installs what the build and the tests need on a Debian 12 (bookworm) machine, idempotently:
# clang/LLVM 19, libbpf + bpftool from bookworm-backports (bookworm's libbpf 1.1 is too old for
# struct_ops links), libelf/zlib, the sanitizer runtime, and qemu + busybox for the sched_ext VM.
# Anything already installed is skipped. Needs root (or sudo) only when something is missing.
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

bookworm_pkgs=(clang-19 llvm-19 libclang-rt-19-dev lld-19 libelf-dev zlib1g-dev pkg-config make
               qemu-system-x86 busybox-static cpio xz-utils zstd procps util-linux
               binutils systemd)   # nm, systemd-analyze: native test-reliability
backports_pkgs=(libbpf-dev bpftool)
bookworm_pkgs+=(wrk)   # scripts/http-bench.sh: the HTTP sample under load

for p in "${bookworm_pkgs[@]}" "${backports_pkgs[@]}"; do have_pkg "$p" || need+=("$p"); done
# libbpf-dev must come from backports (>= 1.4); an old one from bookworm counts as missing.
if have_pkg libbpf-dev; then
  v=$(dpkg-query -W -f='${Version}' libbpf-dev)
  dpkg --compare-versions "$v" ge 1:1.4 || need+=(libbpf-dev)
fi
[ ${#need[@]} -eq 0 ] && { echo "install-deps: all system packages present"; exit 0; }

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${need[*]}"

if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  $SUDO tee /etc/apt/sources.list.d/morpheus-bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
$SUDO apt-get update -qq
export DEBIAN_FRONTEND=noninteractive
inst_bw=(); inst_bp=()
for p in "${need[@]}"; do
  case " ${backports_pkgs[*]} " in *" $p "*) inst_bp+=("$p");; *) inst_bw+=("$p");; esac
done
# -t bookworm: never let another suite pull a newer libc (see the kernel-toolchain notes).
[ ${#inst_bw[@]} -eq 0 ] || $SUDO apt-get install -y -qq -t bookworm --no-install-recommends "${inst_bw[@]}"
[ ${#inst_bp[@]} -eq 0 ] || $SUDO apt-get install -y -qq -t bookworm-backports --no-install-recommends "${inst_bp[@]}"
echo "install-deps: done"
