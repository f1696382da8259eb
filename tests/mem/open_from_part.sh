#!/usr/bin/env bash
# open_from_part.sh CLIENT — issue 14: a page opened from the module's list shows its first screen from the part
# of the page at its top (pages_part), as a start at a saved place does, and the whole page is laid out on the next
# event: a 64k-word page laid out whole before its first frame took 60 ms. Opening the demo's longest page, then
# the next page (a turn), each first frame is drawn from a part (--stats: page-parts), and what the patient sees
# once the rest is laid out is the page whole: its status counts every screen, its words are where the layout put
# them (check-layout). A turn back to the previous page's last screen needs the whole page and takes no part, and
# neither does a turn to a page laid out already (page 4 again, twice: found in review, each took a part and its
# first frame counted «skjerm 1 av 2»).
set -uo pipefail
client=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_AUDIODRIVER=dummy
fail() { echo "open_from_part: $*" >&2; exit 1; }
cat > "$work/open.txt" <<'S'
expect-setting mode paged
tap-on button Modul 1
tap-on button 3. Kroppens alarmsystem
expect screen page
expect status Side 3 av 4 · skjerm 1 av
check-layout
key End
key Right
expect status Side 4 av 4 · skjerm 1 av
check-layout
key Left
expect status Side 3 av 4 · skjerm 17 av 17
key Right
expect status Side 4 av 4 · skjerm 1 av
key Left
key Right
quit
S
"$client" --headless 800x1280 --script "$work/open.txt" --data-dir "$work/data" --stats > /dev/null 2> "$work/log" ||
    { tail -5 "$work/log"; fail "opening the longest page failed"; }
n=$(sed -n 's/.*page-parts=\([0-9]*\).*/\1/p' "$work/log")
[ -n "$n" ] || fail "--stats says nothing of page-parts"
[ "$n" -eq 2 ] || fail "$n first frames drawn from a part of the page, not 2 (the longest page opened, the next)"
echo "the longest page and the next opened: each first frame from a part of the page"
