#!/usr/bin/env bash
# field_lit_message.sh CLIENT WORKDIR — expect-field-lit's failure names the sentence being said cut on a character
# boundary: «%.60s» cut the «æ» that spans bytes 59–60 of this sentence in two, and the message was no UTF-8.
# The script's last step fails on purpose; the test passes when that failure is printed, and printed as UTF-8.
set -u
client=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cat > lit.txt <<'EOF'
set speech_pct 200
seek button {msg.button}
tap-on button {msg.button}
seek button {msg.write}
tap-on button {msg.write}
type Jeg skrev dette i dag for å sjekke at teksten blir kuttet ærlig på grensen mellom tegn.
tap-on button {speech.button}
key alt+Right
key alt+Right
key alt+Right
key alt+Right
key alt+Right
key alt+Right
wait-spoken 3000 Jeg skrev
expect-field-lit ikke i feltet
EOF
SDL_AUDIODRIVER=dummy "$client" --headless 800x1280 --script lit.txt --data-dir data 2> err.txt
rc=$?
[ "$rc" = 1 ] && grep -q 'expect-field-lit: "ikke i feltet"' err.txt || { cat err.txt; echo "FAIL: expected the step's failure (exit $rc)"; exit 1; }
iconv -f UTF-8 -t UTF-8 err.txt > /dev/null || { echo "FAIL: the failure message is not UTF-8"; exit 1; }
