#!/usr/bin/env bash
# run.sh — runs every libFuzzer target for SECONDS each, from a copy of its checked-in seeds, and fails on any
# finding (crash, sanitizer report, leak, timeout, out of memory), naming the target and the reproducer.
#   tests/fuzz/run.sh SECONDS BUILD_DIR [TARGET]...
# BUILD_DIR is a clang build with -DMEISTRING_FUZZ=ON -DMEISTRING_SANITIZE=ON (tests/fuzz/README.md); the
# targets must be built (cmake --build BUILD_DIR --target fuzzers). FUZZ_JOBS targets run at once (default: 2,
# or 1 on a single core). Reproducers are kept in BUILD_DIR/fuzz-findings/TARGET/, logs in BUILD_DIR/fuzz-logs/;
# the source tree is never written. One line of figures per target:
#   fuzz: TARGET seconds=… runs=… exec_per_s=… cov=… of=… pct=… ft=… corpus=… result=ok|crash|leak|timeout|oom|…
set -uo pipefail

if [ $# -lt 2 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS BUILD_DIR [TARGET]..." >&2
    exit 2
fi
seconds=$1
build=$(cd "$2" && pwd) || exit 2
shift 2
here=$(cd "$(dirname "$0")" && pwd)

# target, -max_len: a programme with its files (sync) and a module (doc) are tens of KB; words are short; the
# server's request bodies are capped at 64 KiB but their parsing is decided in the first few KB; an edit is a
# few hundred operations; stored answers are a few KB and their edits a few hundred operations; a kiosk
# configuration is under 2 KB, and its lines are cut at 1 KB; a hundred edits to a packed hyphenation image; a
# paragraph read aloud is a few KB
declare -A max_len=([fuzz_doc]=65536 [fuzz_sync]=65536 [fuzz_hyphen]=1024 [fuzz_request]=16384 [fuzz_edit]=4096 [fuzz_image]=65536 [fuzz_answers]=16384 [fuzz_kiosk_config]=4096 [fuzz_hyph_tab]=600 [fuzz_numbers]=4096)
all=(fuzz_doc fuzz_sync fuzz_hyphen fuzz_request fuzz_edit fuzz_image fuzz_answers fuzz_kiosk_config fuzz_hyph_tab fuzz_numbers)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

cores=$(nproc 2>/dev/null || echo 1)
jobs=${FUZZ_JOBS:-$((cores > 1 ? 2 : 1))}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/meistring-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$build/fuzz-findings" "$build/fuzz-logs"

for t in "${targets[@]}"; do
    if [ -z "${max_len[$t]:-}" ]; then
        echo "run.sh: unknown target $t (known: ${all[*]})" >&2
        exit 2
    fi
    if [ ! -x "$build/$t" ]; then
        echo "run.sh: $build/$t is not built (cmake --build $build --target fuzzers)" >&2
        exit 2
    fi
done

# Runs one target; writes its figures line to $tmp/$t.result.
run_one() {
    local t=$1 name=${1#fuzz_}
    local corpus="$tmp/$t-corpus" findings="$build/fuzz-findings/$t" log="$build/fuzz-logs/$t.log"
    mkdir -p "$corpus" "$findings"
    cp -r "$here/seeds/$name/." "$corpus/" 2>/dev/null
    local dict=()
    [ -f "$here/dict/$name.dict" ] && dict=(-dict="$here/dict/$name.dict")
    local before
    before=$(ls -A "$findings")
    # leak checking is libFuzzer's own (per input); the fuzz_sync target lowers ASan's quarantine itself
    "$build/$t" "$corpus" "${dict[@]}" -max_total_time="$seconds" -max_len="${max_len[$t]}" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 &
    local pid=$!
    wait $pid
    local rc=$?
    rm -rf "/dev/shm/meistring-fuzz-sync-$pid" "/tmp/meistring-fuzz-sync-$pid" # left by a crashed fuzz_sync
    local new result=ok repro=""
    new=$(comm -13 <(printf '%s\n' "$before" | sort) <(ls -A "$findings" | sort) | head -1)
    if [ -n "$new" ]; then
        repro="$findings/$new"
        case "$new" in
        crash-*) result=crash ;;
        leak-*) result=leak ;;
        timeout-*) result=timeout ;;
        oom-*) result=oom ;;
        slow-unit-*) result=slow ;;
        *) result=finding ;;
        esac
    elif [ $rc -ne 0 ]; then
        result="failed(exit $rc)"
    fi
    local runs eps cov ft corp of
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    of=$(sed -n 's/^INFO: Loaded 1 modules *(\([0-9]*\) inline 8-bit counters.*/\1/p' "$log" | head -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    corp=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    local pct=0
    [ -n "$cov" ] && [ -n "$of" ] && [ "$of" -gt 0 ] && pct=$((100 * cov / of))
    echo "fuzz: $t seconds=$seconds runs=${runs:-0} exec_per_s=${eps:-0} cov=${cov:-0} of=${of:-0} pct=$pct" \
        "ft=${ft:-0} corpus=${corp:-0} result=$result${repro:+ reproducer=$repro}" >"$tmp/$t.result"
    if [ "$result" != ok ] && [ "$result" != slow ]; then
        {
            echo "--- $t: $result; the end of $log:"
            grep -vE '^#[0-9]+[[:space:]]' "$log" | tail -40
            [ -n "$repro" ] && echo "--- reproduce: $build/$t $repro"
        } >"$tmp/$t.detail"
    fi
}

echo "run.sh: ${#targets[@]} targets × ${seconds} s, $jobs at a time"
running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

status=0
for t in "${targets[@]}"; do
    cat "$tmp/$t.result"
    if [ -f "$tmp/$t.detail" ]; then
        cat "$tmp/$t.detail"
        status=1
    fi
done
if [ $status -ne 0 ]; then
    echo "run.sh: FINDINGS (reproducers above, kept in $build/fuzz-findings/)"
else
    echo "run.sh: no findings"
fi
exit $status
