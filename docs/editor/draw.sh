#!/bin/sh
# Draws docs/editor.png: Neovim editing a copy of the Dashuipo policy with one typo (`per lat`),
# the diagnostic beside the line and the hover over the rule [2.1.2].
# Needs: tally on PATH (or TALLY=path/to/tally), Neovim 0.7+, tmux, aha, chromium-headless-shell
# and a Chinese font (Debian: neovim tmux aha chromium-headless-shell fonts-wqy-zenhei).
# Run from the repository's root: sh docs/editor/draw.sh
set -eu
root=$(pwd)
tally=${TALLY:-$(command -v tally)}
work=$(mktemp -d)
trap 'tmux -L tally-shot kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
sed 's/per late,/per lat,/' policies/dashuipo-2020.policy > "$work/dashuipo-2020.policy"
cd "$work"
tmux -L tally-shot new-session -d -x 124 -y 30 \
  "env PATH=$(dirname "$tally"):\$PATH TERM=screen-256color nvim -u '$root/docs/editor/init.lua' +70 dashuipo-2020.policy"
sleep 3
tmux -L tally-shot send-keys 'zt'
sleep 0.5
tmux -L tally-shot send-keys '84G^'
sleep 1
tmux -L tally-shot send-keys 'K'
sleep 2
tmux -L tally-shot capture-pane -e -p | aha --black --title tally > raw.html
# A wide (Chinese) character takes two cells of the terminal: give it two cells' width in HTML too.
python3 - raw.html page.html <<'PY'
import sys, unicodedata
text = open(sys.argv[1], encoding="utf-8").read()
out = []
for ch in text:
    if unicodedata.east_asian_width(ch) in "WF":
        out.append('<span class="w">' + ch + "</span>")
    else:
        out.append(ch)
style = ("<style>body{margin:0;padding:8px}pre{margin:0;font:15px/1.25 'DejaVu Sans Mono',monospace}"
         ".w{display:inline-block;width:2ch;text-align:center;font-family:'WenQuanYi Zen Hei',sans-serif}</style>")
open(sys.argv[2], "w", encoding="utf-8").write("".join(out).replace("</head>", style + "</head>", 1))
PY
chromium-headless-shell --no-sandbox --hide-scrollbars --screenshot="$root/docs/editor.png" \
  --window-size=1140,600 "file://$work/page.html" 2>/dev/null
echo "wrote docs/editor.png"
