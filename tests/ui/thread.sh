#!/usr/bin/env bash
# thread.sh CLIENT FILL WORKDIR SIZE PCT — a long thread with the therapist through the real client (issue 14).
# FILL (build/bench_messages) writes 2,000 messages into a data dir through the real store, sealed; then:
#   - home says how many replies are new, counted without reading the thread;
#   - the thread opens at its newest message, with «Skriv en melding» under it (a newest message taller than the
#     screen from its start), and is read aloud from there;
#   - Page Up walks back through it without skipping or repeating a message across the stretches read from the
#     store, and Home, pressed on, reaches the first message and the thread's heading;
#   - the place in the thread (the message at the top of the view) survives «Hjelp nå» and Back, a larger text
#     size and the tablet turned;
#   - Tab reaches «Skriv en melding» (off screen at 400 %: the focus scrolls it in); a message sent appears at the bottom, under the newest;
#   - a message the server refused, in an older stretch, is sent again from its «Send på nytt».
set -euo pipefail
client=$1 fill=$2 work=$3 size=$4 pct=$5
n=2000
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$fill" filled "$n"
export SDL_AUDIODRIVER=dummy
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# run NAME: the script NAME.txt on a fresh copy of the filled thread (or on DATA when set)
run() {
    local data=${DATA:-$1.data}
    [ -n "${DATA:-}" ] || cp -a filled "$data"
    { [ "$pct" = 100 ] || echo "set text_pct $pct"; cat "$1.txt"; } > "$1.run"
    "$client" --headless "$size" --data-dir "$data" --script "$1.run" || fail "$1.txt (see above)"
}
# the numbers of the messages a description shows, in order
shown() {
    python3 - "$@" <<'EOF'
import json, re, sys
for f in sys.argv[1:]:
    d = json.load(open(f))
    print(f, *[m.group(1) for e in d["elements"] if e["role"] == "text"
               for m in [re.match(r"Melding (\d+) av", e["text"])] if m])
EOF
}

# 1. Home counts the two new replies; the thread opens at the newest
cat > open.txt <<EOF
seek button Meldinger
expect button Meldinger · 2 nye
seek button Meldinger
tap-on button Meldinger
expect screen messages
expect text Melding $n av $n
expect-not text Melding 1 av $n
check-layout
describe open.json
shot thread-open.png
key Escape
expect screen home
expect-not button · 2 nye
quit
EOF
run open
python3 - "$n" <<'EOF'
import json, sys
n = sys.argv[1]
d = json.load(open("open.json"))
el = d["elements"]
texts = [i for i, e in enumerate(el) if e["role"] == "text" and e["text"].startswith("Melding ")]
assert texts, "no message on screen"
last = el[texts[-1]]
assert last["text"].startswith("Melding %s av %s" % (n, n)), "the last message shown is not the newest: " + last["text"][:40]
head = el[texts[-1] - 1]
assert head["role"] == "status" and head["text"].startswith("Behandleren ·") and head["bounds"][3] > 30, \
    "the newest message's head (who, when) is not on screen: %s" % head
write = [i for i, e in enumerate(el) if e["role"] == "button" and e["text"] == "Skriv en melding"]
bottom = last["bounds"][1] + last["bounds"][3]
if bottom < d["size"][1] - 100:  # the newest ends on screen: the way to write is under it, whole
    assert write and write[0] > texts[-1], "«Skriv en melding» is not under the newest message"
    b = el[write[0]]["bounds"]
    assert b[1] + b[3] <= d["size"][1], "«Skriv en melding» is not wholly on screen: %s" % b
else:  # taller than the screen: shown from its start
    assert not write, "the newest message is cut above while the way to write shows"

EOF

# 2. Read aloud from where it opened: the first message on screen is said (not the heading far above)
first=$(python3 - <<'EOF'
import json
d = json.load(open("open.json"))
area = [e for e in d["elements"] if e["role"] == "text" and e["text"].startswith("Melding ")]
# the first message whose text shows whole (an element cut by the bar is read after a scroll, not first)
print(next(e["text"] for e in area if e["bounds"][3] > 0)[:24])
EOF
)
cat > speak.txt <<EOF
set speech_pct 200
seek button Meldinger
tap-on button Meldinger
tap-on button Les høyt
wait-spoken 20000 ${first}
quit
EOF
run speak

# 3. Page Up walks back through the stretches without a gap; Home, pressed on, reaches the first message
{
    echo "seek button Meldinger"
    echo "tap-on button Meldinger"
    echo "describe up-00.json"
    # far enough to cross a stretch or more (MS_MESSAGES_STRETCH, 50): a message at 400 % on a phone is four screens
    for i in $(seq -w 1 "$([ "$pct" = 100 ] && echo 60 || echo 260)"); do
        echo "key PageUp"
        echo "describe up-$i.json"
    done
    for i in $(seq 1 60); do echo "key Home"; done
    echo "expect heading Meldinger med behandleren"
    echo "seek text Melding 1 av $n"
    echo "check-layout"
    echo "shot thread-first.png"
    echo "key End"
    echo "expect text Melding $n av $n"
    echo "quit"
} > walk.txt
run walk
shown up-*.json > walk.shown
python3 - <<'EOF'
seen, prev = set(), None
for line in open("walk.shown"):
    f, *nums = line.split()
    nums = [int(x) for x in nums]
    assert nums, f + " shows no message"
    assert nums == sorted(nums), f + " shows the messages out of order: %s" % nums
    if prev:
        # one screen up: what shows now ends where (or just after where) the screen before began
        assert nums[0] <= prev[0], f + ": Page Up went down (%s after %s)" % (nums, prev)
        assert nums[-1] + 1 >= prev[0], f + ": a message was skipped (%s after %s)" % (nums, prev)
    seen.update(nums)
    prev = nums
lo = min(seen)
missing = [k for k in range(lo, 2001) if k not in seen]
assert not missing, "never shown: %s" % missing[:10]
assert lo < 2000 - 50, "Page Up stayed within the first stretch read (down to %d)" % lo
print("page up: messages %d..2000 in order, none skipped" % lo)
EOF

# 4. The place survives «Hjelp nå» and Back, a larger text size and the tablet turned
w=${size%x*}
h=${size#*x}
cat > place.txt <<EOF
seek button Meldinger
tap-on button Meldinger
key PageUp
key PageUp
key PageUp
describe place-0.json
tap-on button Hjelp nå
expect screen help
key Escape
expect screen messages
describe place-1.json
set text_pct $([ "$pct" = 400 ] && echo 300 || echo 200)
describe place-2.json
resize $h $w
describe place-3.json
resize $w $h
quit
EOF
run place
shown place-*.json > place.shown
python3 - <<'EOF'
rows = [[int(x) for x in line.split()[1:]] for line in open("place.shown")]
assert rows[1] == rows[0], "Back from «Hjelp nå» moved the thread: %s → %s" % (rows[0], rows[1])
for i in (2, 3):
    # the message at the top of the view is still the one at the top (a relayout moves the rest)
    assert any(k in rows[i] for k in rows[0][:2]), \
        "relayout %d lost the place: %s → %s" % (i, rows[0], rows[i])
print("place kept:", rows)
EOF

# 5. Tab reaches «Skriv en melding»; a message sent appears at the bottom, under the newest
cat > send.txt <<EOF
seek button Meldinger
tap-on button Meldinger
tab-to Skriv en melding
expect-focus Skriv en melding
key Return
expect screen write
type Hei, dette er den nyeste!
tap-on button Send
expect screen messages
expect text Hei, dette er den nyeste!
describe sent.json
quit
EOF
run send
python3 - "$n" <<'EOF'
import json, sys
el = json.load(open("sent.json"))["elements"]
texts = [e["text"] for e in el if e["role"] == "text" and (e["text"].startswith("Melding ") or e["text"].startswith("Hei,"))]
assert texts[-1] == "Hei, dette er den nyeste!", "the message sent is not the last: %s" % texts[-3:]
assert len(texts) < 2 or texts[-2].startswith("Melding %s av" % sys.argv[1]), "the newest before it is not over it"
EOF
# 6. «Send på nytt» on a refused message two stretches back (older ones read in front of it since it was drawn);
#    Page Up up to its head: nine presses, as a press is now less than the view (it was more, and skipped lines)
"$fill" refused "$n" 1901
cat > resend.txt <<EOF
seek button Meldinger
tap-on button Meldinger
key Home
key Home
key Home
seek button Send på nytt
expect text Melding 1901 av $n
tap-on button Send på nytt
expect status Meldingen er lagret og sendes nå
expect-not button Send på nytt
describe resent-0.json
$(for i in 1 2 3 4 5 6 7 8 9; do echo "key PageUp"; echo "describe resent-$i.json"; done)
quit
EOF
DATA=refused run resend
python3 - <<'EOF'
import glob, json
heads = []
for f in sorted(glob.glob("resent-*.json")):
    el = json.load(open(f))["elements"]
    for i, e in enumerate(el):
        if e["text"].startswith("Melding 1901 av") and i > 0 and el[i - 1]["text"].startswith("Du ·"):
            heads.append(el[i - 1]["text"])
assert heads, "the head of message 1901 never showed"
assert all(h.endswith("lagret på nettbrettet") for h in heads), "1901 is not queued again: %s" % heads
EOF
echo "thread at $size, $pct %: ok"
