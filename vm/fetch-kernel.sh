#!/usr/bin/env bash
# fetch-kernel.sh - download Debian's current sched_ext-enabled kernel for the test VM.
#
# Debian's 6.12 kernels (bookworm-backports, trixie) are built without CONFIG_SCHED_CLASS_EXT;
# its 7.x kernels in trixie-backports have it (see shared notes). This script uses a PRIVATE
# apt configuration (own sources list, state and cache directories under the cache dir) so the
# host's apt sources and package state are never touched, `apt-get download`s (never installs)
# linux-binary / linux-base / linux-modules of the current version, and extracts:
#   <cache>/<ver>/vmlinuz, <cache>/<ver>/config, <cache>/<ver>/modules/*.ko (decompressed)
# and points <cache>/current at it. Idempotent: an already extracted version is not fetched again
# (the package index is refreshed at most once a day; offline runs reuse the last version).
#
# Usage: fetch-kernel.sh [--print-dir]
# Env:   MORPHEUS_KERNEL_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/morpheus/kernel)
#        MORPHEUS_KERNEL_SUITE (default trixie-backports), MORPHEUS_DEBIAN_MIRROR
set -euo pipefail

CACHE=${MORPHEUS_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/morpheus/kernel}
SUITE=${MORPHEUS_KERNEL_SUITE:-trixie-backports}
MIRROR=${MORPHEUS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# The modules the guest needs to mount the host's root over 9p (in load order).
MODULES=(netfs 9pnet 9pnet_virtio 9p)

log() { echo "fetch-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

command -v apt-get >/dev/null || die "apt-get not found (a Debian host is required)"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
command -v xz >/dev/null || die "xz not found (install xz-utils)"

APT="$CACHE/apt"
mkdir -p "$APT/etc/sources.list.d" "$APT/etc/preferences.d" "$APT/state/lists/partial" \
         "$APT/cache/archives/partial" "$CACHE/debs"
cat > "$APT/etc/sources.list" <<SRC
deb [signed-by=$KEYRING] $MIRROR $SUITE main
SRC
: > "$APT/state/status"
# Private apt: own sources/state/cache; host apt.conf.d (proxies) still applies.
apt_p() {
  apt-get -q -o Dir::Etc::SourceList="$APT/etc/sources.list" \
    -o Dir::Etc::SourceParts="$APT/etc/sources.list.d" \
    -o Dir::Etc::Preferences="$APT/etc/preferences" \
    -o Dir::Etc::PreferencesParts="$APT/etc/preferences.d" \
    -o Dir::State="$APT/state" -o Dir::State::status="$APT/state/status" \
    -o Dir::Cache="$APT/cache" -o APT::Architecture=amd64 \
    -o APT::Architectures::=amd64 -o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}
apt_cache_p() {
  apt-cache -o Dir::Etc::SourceList="$APT/etc/sources.list" \
    -o Dir::Etc::SourceParts="$APT/etc/sources.list.d" \
    -o Dir::State="$APT/state" -o Dir::State::status="$APT/state/status" \
    -o Dir::Cache="$APT/cache" -o APT::Architecture=amd64 "$@"
}

stamp="$APT/state/updated"
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
  if apt_p update >"$APT/update.log" 2>&1; then
    touch "$stamp"
  elif [ -L "$CACHE/current" ]; then
    log "apt update failed (offline?); reusing $(readlink "$CACHE/current")"
    echo "$CACHE/current"; exit 0
  else
    cat "$APT/update.log" >&2; die "apt update of $SUITE failed and no cached kernel"
  fi
fi

# linux-image-amd64 depends on linux-image-<ver>-amd64, which depends on linux-binary-<ver>-amd64.
img=$(apt_cache_p depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$img" ] || die "cannot resolve linux-image-amd64 in $SUITE"
ver=${img#linux-image-}           # e.g. 7.3.4+deb13-amd64
[ -n "$ver" ] || die "cannot parse kernel version from $img"
DIR="$CACHE/$ver"
if [ -f "$DIR/vmlinuz" ] && [ -f "$DIR/.complete" ]; then
  ln -sfn "$ver" "$CACHE/current"
  echo "$CACHE/current"; exit 0
fi

log "downloading kernel $ver from $SUITE"
pkgs=()
for p in linux-binary-$ver linux-base-$ver linux-modules-$ver; do
  if apt_cache_p show "$p" >/dev/null 2>&1; then pkgs+=("$p"); fi
done
[ ${#pkgs[@]} -gt 0 ] || die "no linux-binary/linux-modules package for $ver (layout changed?)"
(cd "$CACHE/debs" && apt_p download "${pkgs[@]}" >&2)

rm -rf "$DIR.tmp"; mkdir -p "$DIR.tmp/x" "$DIR.tmp/modules"
for p in "${pkgs[@]}"; do
  deb=$(ls -t "$CACHE/debs/${p}_"*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || die "download of $p produced no .deb"
  dpkg-deb -x "$deb" "$DIR.tmp/x"
done
vmlinuz=$(find "$DIR.tmp/x" \( -path "*/modules/*/vmlinuz" -o -name "vmlinuz-$ver" \) | head -1)
[ -n "$vmlinuz" ] || die "no vmlinuz in the packages of $ver"
cp "$vmlinuz" "$DIR.tmp/vmlinuz"
cfg=$(find "$DIR.tmp/x" \( -path "*/modules/*/config" -o -name "config-$ver" \) | head -1)
[ -n "$cfg" ] && cp "$cfg" "$DIR.tmp/config"
if [ -f "$DIR.tmp/config" ] && ! grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$DIR.tmp/config"; then
  die "kernel $ver is built without CONFIG_SCHED_CLASS_EXT"
fi
for m in "${MODULES[@]}"; do
  f=$(find "$DIR.tmp/x" -name "$m.ko*" | head -1)
  if [ -z "$f" ]; then
    # built in (=y) is fine; only a missing =m module is an error
    log "module $m not found as a file (assumed built in)"; continue
  fi
  case "$f" in
    *.xz)  xz -dc "$f" > "$DIR.tmp/modules/$m.ko" ;;
    *.zst) zstd -qdc "$f" > "$DIR.tmp/modules/$m.ko" ;;
    *.gz)  gzip -dc "$f" > "$DIR.tmp/modules/$m.ko" ;;
    *)     cp "$f" "$DIR.tmp/modules/$m.ko" ;;
  esac
done
rm -rf "$DIR.tmp/x" "$DIR"
rm -f "$CACHE/debs/"*.deb   # the extracted files are the cache; the .debs are 120 MB
touch "$DIR.tmp/.complete"
mv "$DIR.tmp" "$DIR"
ln -sfn "$ver" "$CACHE/current"
log "kernel $ver ready in $DIR"
echo "$CACHE/current"
