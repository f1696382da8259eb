#!/usr/bin/env bash
# ext4_scan.sh — runs a command on a small, fresh ext4 filesystem and then reads the filesystem's RAW image, free
# blocks and journal included, for bytes that must not be there (the wipe of a returned tablet, docs/wipe.md).
#
#   ext4_scan.sh [--work DIR] [--size MIB] [--canary C]... [--no-control] -- COMMAND [ARG]...
#
# COMMAND runs with MNT (the mounted filesystem) and CANARY_FILE (outside the image) in its environment; besides
# the --canary options, every line the command leaves in CANARY_FILE is a canary too ("label<TAB>canary" or just
# the canary). A canary is a fixed byte string, or "hex:0a1b…" for binary bytes (a key). Then: sync, unmount
# cleanly, scan. Exit 0 when the command succeeded, no canary is in the image and the control was found; 1 with
# a line per finding ("FOUND: canary <label> at offset N (block B, in use|free)") or another failure; 77 (skip)
# only when neither a loop mount nor fuse2fs can mount the image, saying why.
#
# The control: before the command runs, a file outside the data with a text and a binary control canary is
# written and synced; after the command it is unlinked (so its blocks are free, never reused by the command);
# the scan must find both in the free blocks, or the test fails: a scan that finds nothing because it is broken
# (wrong image, data not flushed, a bad pattern) must not pass for a clean wipe.
#
# EXT4_SCAN_MOUNT=loop|fuse forces one way of mounting (to try the fallback on a machine that has both).
set -u
args=("$@")
work=
size=32
control=1
canaries=()
while [ $# -gt 0 ]; do
    case $1 in
    --work) work=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --canary) canaries+=("$2"); shift 2 ;;
    --no-control) control=0; shift ;;
    --) shift; break ;;
    *) echo "ext4_scan: unknown option $1" >&2; exit 2 ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: ext4_scan.sh [--work DIR] [--size MIB] [--canary C]... -- COMMAND [ARG]..." >&2; exit 2; }

# a mount namespace of our own where there is one: a mount left by a crash dies with the namespace
if [ "${EXT4_SCAN_INSIDE:-}" != 1 ] && unshare -m true 2> /dev/null; then
    EXT4_SCAN_INSIDE=1 exec unshare -m --propagation private bash "$0" "${args[@]}"
fi

[ -n "$work" ] || work=$(mktemp -d /tmp/ext4_scan.XXXXXX)
mkdir -p "$work"
work=$(cd "$work" && pwd)
img=$work/ext4.img
mnt=$work/mnt
canary_file=$work/canaries.txt
rm -f "$img" "$canary_file"
mkdir -p "$mnt"
: > "$canary_file"

fail() {
    echo "FAIL: $*"
    exit 1
}
skip() {
    echo "SKIP: $*"
    exit 77
}

for tool in mkfs.ext4 python3; do
    command -v $tool > /dev/null || skip "$tool is not installed (e2fsprogs, python3)"
done
truncate -s "${size}M" "$img" || fail "cannot make the image $img"
mkfs.ext4 -F -q "$img" || fail "mkfs.ext4 failed on $img"

# mount: the kernel's ext4 through a loop device, else ext4 in user space through fuse2fs
how=
fuse_pid=
why=()
case ${EXT4_SCAN_MOUNT:-} in
'' | loop | fuse) ;;
*) why+=("EXT4_SCAN_MOUNT=$EXT4_SCAN_MOUNT names neither loop nor fuse") ;;
esac
if [ "${EXT4_SCAN_MOUNT:-loop}" = loop ]; then
    if out=$(mount -o loop "$img" "$mnt" 2>&1); then
        how=loop
    else
        why+=("loop mount: $out")
    fi
fi
if [ -z "$how" ] && [ "${EXT4_SCAN_MOUNT:-fuse}" = fuse ]; then
    if ! command -v fuse2fs > /dev/null; then
        why+=("fuse2fs: not installed (Debian package fuse2fs)")
    elif [ ! -c /dev/fuse ]; then
        why+=("fuse2fs: no /dev/fuse")
    else
        # foreground in the background, so that we can wait for it to write everything back after the unmount;
        # hard_remove: FUSE's close() releases the file later, and an unlink before that would only rename the
        # file to .fuse_hidden* (kept in the directory), which a kernel mount never does
        fuse2fs -f "$img" "$mnt" -o rw,fakeroot,hard_remove > "$work/fuse2fs.log" 2>&1 &
        fuse_pid=$!
        for _ in $(seq 100); do
            mountpoint -q "$mnt" && break
            kill -0 $fuse_pid 2> /dev/null || break
            sleep 0.05
        done
        if mountpoint -q "$mnt"; then
            how=fuse2fs
        else
            why+=("fuse2fs: $(cat "$work/fuse2fs.log")")
            kill $fuse_pid 2> /dev/null
            wait $fuse_pid 2> /dev/null
            fuse_pid=
        fi
    fi
fi
[ -n "$how" ] || skip "cannot mount an ext4 image here: $(printf '%s; ' "${why[@]}")"
echo "ext4_scan: ${size} MiB ext4 image mounted with $how at $mnt"

unmount() {
    mountpoint -q "$mnt" || return 0
    sync
    for _ in $(seq 50); do
        umount "$mnt" 2> /dev/null && break
        sleep 0.1
    done
    mountpoint -q "$mnt" && return 1
    if [ -n "$fuse_pid" ]; then
        wait $fuse_pid # fuse2fs writes its caches back to the image when it is unmounted
        fuse_pid=
    fi
    return 0
}
trap unmount EXIT

# the control, outside the data: its blocks stay in use while the command runs
ctl_text=MEISTRING-SCAN-CONTROL-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
ctl_hex=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
if ((control)); then
    python3 - "$mnt/scan-control" "$ctl_text" "$ctl_hex" << 'EOF' || fail "cannot write the control file"
import os, sys
path, text, hexed = sys.argv[1], sys.argv[2].encode(), bytes.fromhex(sys.argv[3])
with open(path, "wb") as f:
    f.write((b"control " + text + b"\n") * 64 + hexed * 16)
    f.flush()
    os.fsync(f.fileno())
EOF
    sync
fi

export MNT=$mnt CANARY_FILE=$canary_file
"$@"
status=$?
if ((control)); then
    rm -f "$mnt/scan-control"
    sync
fi
unmount || fail "cannot unmount $mnt"
trap - EXIT
[ $status -eq 0 ] || fail "the command failed (exit $status): $*"

# the scan: every canary, every offset, over the whole image
for c in "${canaries[@]}"; do printf '%s\n' "$c" >> "$canary_file"; done
((control)) && printf 'control (text)\t%s\ncontrol (binary)\thex:%s\n' "$ctl_text" "$ctl_hex" >> "$canary_file"
python3 - "$img" "$canary_file" << 'EOF'
import mmap, subprocess, sys
img, listing = sys.argv[1], sys.argv[2]
canaries = []
for raw in open(listing, encoding="utf-8").read().splitlines():
    if not raw:
        continue
    label, _, value = raw.rpartition("\t")
    label = label or value
    data = bytes.fromhex(value[4:]) if value.startswith("hex:") else value.encode()
    if len(data) < 8:
        sys.exit(f"FAIL: canary {label!r} is {len(data)} bytes: too short to mean anything when found")
    canaries.append((label, data))
block_size = 4096
out = subprocess.run(["dumpe2fs", "-h", img], capture_output=True, text=True).stdout
for line in out.splitlines():
    if line.startswith("Block size:"):
        block_size = int(line.split(":")[1])

def block_state(block):
    r = subprocess.run(["debugfs", "-R", f"testb {block}", img], capture_output=True, text=True)
    return "in use" if "marked in use" in r.stdout else "free" if "not in use" in r.stdout else "?"

found_controls, leaks = set(), 0
with open(img, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
    image_bytes = len(m)
    for label, data in canaries:
        offsets, at = [], m.find(data)
        while at >= 0:
            offsets.append(at)
            at = m.find(data, at + 1)
        if label.startswith("control"):
            if offsets:
                found_controls.add(label)
                print(f"ext4_scan: control {label} found {len(offsets)} times, first at offset {offsets[0]} "
                      f"(block {offsets[0] // block_size}, {block_state(offsets[0] // block_size)})")
            continue
        for off in offsets[:8]:
            print(f"FOUND: canary {label} at offset {off} (block {off // block_size}, "
                  f"{block_state(off // block_size)})")
        if len(offsets) > 8:
            print(f"FOUND: canary {label} {len(offsets) - 8} more times")
        leaks += len(offsets)
scanned = sum(1 for label, _ in canaries if not label.startswith("control"))
controls = sum(1 for label, _ in canaries if label.startswith("control"))
if len(found_controls) != controls:
    missing = sorted({l for l, _ in canaries if l.startswith("control")} - found_controls)
    sys.exit(f"FAIL: the control was not found in the image ({', '.join(missing)}): the scan cannot be trusted")
if leaks:
    sys.exit(f"FAIL: {leaks} occurrence(s) of {scanned} canaries in the raw image")
print(f"ext4_scan: {scanned} canaries, none in the raw image ({image_bytes} bytes, "
      f"free blocks and journal included)")
EOF
