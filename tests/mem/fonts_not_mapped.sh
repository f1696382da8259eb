#!/usr/bin/env bash
# fonts_not_mapped.sh CLIENT BENCH_LAUNCH — issue 14: font files are read, never mapped. A mapping kept every 64 KB
# window the kernel maps around a touched page resident in the client: ~860 KB of the longest page's peak at
# 100 %, for three faces. Reading that page to its end at 100 % and at 400 %, the process's every mapping at its
# peak PSS (bench_launch --smaps-at-peak) names no .ttf or .otf file, every word still measures and draws
# (check-layout), and the reads of the fonts stay few (--stats: font-reads; plain reads cost ~11,800 system
# calls at 100 %: FreeType reads a glyph's advance 2 bytes at a time).
set -uo pipefail
client=$1
launch=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_AUDIODRIVER=dummy
fail() { echo "fonts_not_mapped: $*" >&2; exit 1; }
for pct in 100 400; do
    { echo "set text_pct $pct"
      echo "seek button Modul 1"
      echo "tap-on button Modul 1"
      echo "seek button 3. Kroppens alarmsystem"
      echo "tap-on button 3. Kroppens alarmsystem"
      echo "expect screen page"
      for i in $(seq 1 40); do echo "key PageDown"; done
      echo "check-layout"
      echo quit; } > "$work/read$pct.txt"
    "$launch" --smaps-at-peak "$work/smaps$pct" "$client" --headless 800x1280 --script "$work/read$pct.txt" \
        --data-dir "$work/data$pct" --stats > "$work/out$pct" 2>&1 || { tail -5 "$work/out$pct"; fail "reading at $pct % failed"; }
    [ -s "$work/smaps$pct" ] || fail "no smaps at the peak at $pct %: the check cannot see"
    grep -q 'libSDL2-2.0' "$work/smaps$pct" || fail "the smaps at $pct % names no libSDL2: the check cannot see"
    mapped=$(grep -E '^[0-9a-f]+-[0-9a-f]+ .*\.(ttf|otf)$' "$work/smaps$pct" | sed 's,.*/,,' | sort -u | tr '\n' ' ')
    [ -z "$mapped" ] || fail "at $pct % the peak maps font files: $mapped"
    reads=$(sed -n 's/.*font-reads=\([0-9]*\).*/\1/p' "$work/out$pct")
    [ -n "$reads" ] || fail "--stats says nothing of font-reads"
    [ "$reads" -le 1000 ] || fail "$reads system calls read the fonts at $pct % (at most 1,000: the kept blocks serve glyphs)"
    echo "reading the longest page at $pct %: no font file mapped at the peak, $reads reads of the fonts"
done
