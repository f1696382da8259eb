#!/bin/sh
# hyph-utf8.sh SRC DST — converts a hyphen-no pattern file from ISO8859-1 to UTF-8 (libhyphen reads the
# charset from the first line, so that line becomes "UTF-8"). Run by the build.
set -eu
{ echo UTF-8; tail -n +2 "$1" | iconv -f ISO-8859-1 -t UTF-8; } > "$2.tmp"
mv "$2.tmp" "$2"
