#!/usr/bin/env bash
# libs_on_demand.sh CLIENT — issue 14: reading costs only the libraries reading needs. espeak-ng (with pcaudio,
# sonic and pulse-simple: 300 kB resident) is opened when read-aloud first starts, libjpeg (136 kB) by the first
# JPEG: a patient reading the demo's longest page, at 100 % and at 400 %, maps neither. The dynamic loader names
# every library it opens (LD_DEBUG=files), those opened later by dlopen too; a run that starts read-aloud must show
# espeak-ng opened, so the check is seen to see it.
set -uo pipefail
client=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_AUDIODRIVER=dummy
fail() { echo "libs_on_demand: $*" >&2; exit 1; }
opened() { sed -n 's/.*calling init: \(\/.*\)/\1/p' "$1" | sed 's,.*/,,' | sort -u; }

for pct in 100 400; do
    { echo "set text_pct $pct"
      echo "seek button Modul 1"
      echo "tap-on button Modul 1"
      echo "seek button 3. Kroppens alarmsystem"
      echo "tap-on button 3. Kroppens alarmsystem"
      echo "expect screen page"
      for i in $(seq 1 12); do echo "key PageDown"; done
      echo quit; } > "$work/read$pct.txt"
    LD_DEBUG=files "$client" --headless 800x1280 --script "$work/read$pct.txt" --data-dir "$work/data$pct" \
        > /dev/null 2> "$work/read$pct.log" || { tail -5 "$work/read$pct.log"; fail "reading at $pct % failed"; }
    libs=$(opened "$work/read$pct.log")
    grep -q '^libSDL2-2.0.so' <<< "$libs" || fail "LD_DEBUG named no libraries: the check cannot see"
    for lib in libespeak-ng libjpeg; do
        grep -q "^$lib" <<< "$libs" && fail "reading at $pct % mapped $lib, which only read-aloud or a JPEG needs"
    done
done
echo "reading at 100 % and 400 %: neither libespeak-ng nor libjpeg mapped"

cat > "$work/speak.txt" <<'S'
tap-on button Modul 2
tap-on button Start modulen
tap-on button Les høyt
wait-speech playing 5000
wait 300
quit
S
LD_DEBUG=files "$client" --headless 800x1280 --script "$work/speak.txt" --data-dir "$work/speak" \
    > /dev/null 2> "$work/speak.log" || { tail -5 "$work/speak.log"; fail "read-aloud did not start"; }
opened "$work/speak.log" | grep -q '^libespeak-ng' || fail "read-aloud played without libespeak-ng opened?"
echo "read-aloud: libespeak-ng opened when it started"
