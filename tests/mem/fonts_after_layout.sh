#!/usr/bin/env bash
# fonts_after_layout.sh CLIENT — issue 14: once a page is laid out, the fonts its words were measured with are
# closed (each holds its own FreeType face and HarfBuzz's copies of the font's tables, ~150 KB a face; the
# words' widths are kept). Reading the demo's longest page to its end, then turning back and changing the text
# size, every word still measures and draws (check-layout); at most the one measuring font a new word on the
# status line opened again is left open (--stats: measuring-fonts), not one per face the page used.
set -uo pipefail
client=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_AUDIODRIVER=dummy
fail() { echo "fonts_after_layout: $*" >&2; exit 1; }
{ echo "tap-on button Modul 1"
  echo "tap-on button 3. Kroppens alarmsystem"
  echo "expect screen page"
  for i in $(seq 1 20); do echo "key PageDown"; done
  echo "key PageUp"
  echo "check-layout"
  echo "set text_pct 150"
  echo "check-layout"
  echo quit; } > "$work/read.txt"
"$client" --headless 800x1280 --script "$work/read.txt" --data-dir "$work/data" --stats > /dev/null 2> "$work/log" ||
    { tail -5 "$work/log"; fail "reading the longest page failed"; }
n=$(sed -n 's/.*measuring-fonts=\([0-9]*\).*/\1/p' "$work/log")
[ -n "$n" ] || fail "--stats says nothing of measuring-fonts"
[ "$n" -le 1 ] || fail "$n measuring fonts open after the page was laid out (at most 1: the page's words are measured)"
echo "after the longest page was laid out: $n measuring font open"
