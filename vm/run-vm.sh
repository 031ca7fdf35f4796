#!/usr/bin/env bash
# run-vm.sh - boot the sched_ext test kernel under qemu (TCG) and run a script in the guest.
#
#   run-vm.sh --kernel DIR --build BUILD --results DIR [--timeout SEC] SCRIPT
#
# DIR is fetch-kernel.sh's output (vmlinuz + modules/). A busybox initramfs is built in
# BUILD/vm; the guest mounts the host's root read-only over 9p, the results directory writable
# at the same path, chroots into the host's file system and runs `bash SCRIPT RESULTS`.
# Paths are the same inside and outside, so SCRIPT and the binaries under BUILD are the host's.
# KVM does not work on this kind of machine (see shared notes): TCG only.
# The whole qemu run is bounded by --timeout (default 840 s); the exit status is qemu's
# (124 on timeout). The guest's console goes to RESULTS/console.log and to stdout.
set -euo pipefail
KDIR=; BUILD=; RESULTS=; TIMEOUT=840; SMP=${MORPHEUS_VM_SMP:-2}; MEM=${MORPHEUS_VM_MEM:-2048}
while [ $# -gt 0 ]; do
  case "$1" in
    --kernel) KDIR=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    -*) echo "run-vm: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
SCRIPT=${1:?usage: run-vm.sh --kernel DIR --build BUILD --results DIR SCRIPT}
HERE=$(cd "$(dirname "$0")" && pwd)
for d in "$KDIR" "$BUILD" "$RESULTS"; do [ -d "$d" ] || { echo "run-vm: no such directory: '$d'" >&2; exit 2; }; done
SCRIPT=$(readlink -f "$SCRIPT"); RESULTS=$(readlink -f "$RESULTS")
# The checkout (the build's parent): the guest keeps it visible even under its own /tmp.
KEEP=$(readlink -f "${MORPHEUS_VM_KEEP:-$BUILD/..}")

# The initramfs: busybox, the init script and the 9p modules.
IRD="$BUILD/vm/initramfs"
rm -rf "$IRD"; mkdir -p "$IRD"/{bin,proc,sys,dev,modules,newroot}
BB=$(command -v busybox) || { echo "run-vm: busybox not found (busybox-static)" >&2; exit 2; }
cp "$BB" "$IRD/bin/busybox"
cp "$HERE/guest/init" "$IRD/init"; chmod +x "$IRD/init"
cp "$KDIR"/modules/*.ko "$IRD/modules/" 2>/dev/null || true
(cd "$IRD" && find . | cpio -o -H newc --quiet | gzip -1) > "$BUILD/vm/initramfs.cpio.gz"

# Single-threaded TCG: with thread=multi the guest kernel now and then oopsed on an int3 while it
# patched its static keys as sched_ext enabled (a cross-vCPU code-modification race in the
# emulator). Both vCPUs on one host thread cost no wall time here (230 s vs 286 s).
# Bound everything: timeout kills qemu if the guest hangs.
set +e
timeout --kill-after=10 "$TIMEOUT" qemu-system-x86_64 \
  -accel tcg,thread="${MORPHEUS_VM_TCG_THREAD:-single}" -cpu max -smp "$SMP" -m "$MEM" -nographic -no-reboot \
  -kernel "$KDIR/vmlinuz" -initrd "$BUILD/vm/initramfs.cpio.gz" \
  -append "console=ttyS0 panic=-1 quiet loglevel=4 morpheus.script=$SCRIPT morpheus.results=$RESULTS morpheus.keep=$KEEP" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs local,path="$RESULTS",mount_tag=results,security_model=none,multidevs=remap \
  -nic none < /dev/null 2>&1 | tee "$RESULTS/console.log"
exit "${PIPESTATUS[0]}"
