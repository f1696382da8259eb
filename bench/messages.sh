#!/usr/bin/env bash
# bench/messages.sh — issue 14's thread figures (figures, never pass/fail): for an empty thread and for 10, 1,000
# and 10,000 messages (build/bench_messages fills a data dir through the real store, sealed), the client's own
# --stats figures, medians of several runs:
#   home-first-frame-ms   launch → home's first frame (the client's first-frame-ms)
#   open-ms               the tap on «Meldinger» → the thread's first frame presented (the store read with it)
#   scroll-frame-ms       mean and max of the thread's frames while End and 30 × Page Up scroll it
#   bench/messages.sh [BUILD_DIR] [WxH]    (default: build, 800x1280)
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
size=${2:-800x1280}
bin=$build/meistring
fill=$build/bench_messages
[ -x "$bin" ] && [ -x "$fill" ] || { echo "messages: build first (needs $bin and $fill)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SDL_AUDIODRIVER=dummy
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf 'quit\n' > "$tmp/home.txt"
{
    echo "tap-on button Meldinger"
    echo "expect screen messages"
    echo "key End"
    for i in $(seq 1 30); do echo "key PageUp"; done
    echo "quit"
} > "$tmp/thread.txt"

for n in 0 10 1000 10000; do
    "$fill" "$tmp/d$n" "$n" || { echo "messages: cannot fill a thread of $n"; continue; }
    "$bin" --headless "$size" --script "$tmp/home.txt" --data-dir "$tmp/d$n" >/dev/null 2>&1 # warm: caches, migration
    firsts=()
    for i in $(seq 1 7); do
        firsts+=("$("$bin" --headless "$size" --script "$tmp/home.txt" --data-dir "$tmp/d$n" --stats 2>&1 |
            sed -n 's/.*first-frame-ms=\([0-9.]*\).*/\1/p')")
    done
    opens=()
    means=()
    maxes=()
    for i in 1 2 3; do
        line=$("$bin" --headless "$size" --script "$tmp/thread.txt" --data-dir "$tmp/d$n" --stats 2>&1 |
            grep 'screen=messages ')
        opens+=("$(sed -n 's/.*open-max-ms=\([0-9.]*\).*/\1/p' <<< "$line")")
        means+=("$(sed -n 's/.*frame-mean-ms=\([0-9.]*\).*/\1/p' <<< "$line")")
        maxes+=("$(sed -n 's/.*frame-max-ms=\([0-9.]*\).*/\1/p' <<< "$line")")
    done
    echo "messages-$n home-first-frame-ms=$(median "${firsts[@]}") open-ms=$(median "${opens[@]}")" \
        "scroll-frame-ms mean=$(median "${means[@]:-0}") max=$(median "${maxes[@]:-0}") ($size, medians of 7 and 3 runs; 0: nothing to scroll)"
done
