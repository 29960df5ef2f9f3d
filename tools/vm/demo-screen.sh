#!/bin/sh
# `make demo`, inside the guest, after the batch tables: the interactive daxtop as a terminal of
# 80, 100 and 200 columns shows it (tmux capture-pane), counting since start (key a) the whole
# mixed workload.
set -eu
export BUILD="${BUILD:-build}"
sock=/tmp/demo-tmux
tm() { tmux -S "$sock" "$@"; }
rm -f "$DAX_MNT"/*
tm new-session -d -x 100 -y 40 "env TERM=screen LANG=C.UTF-8 $BUILD/daxtop -i 1 --dax-only"
# the first screen, then since start
for _ in $(seq 100); do tm capture-pane -p | grep -q "h help" && break; sleep 0.1; done
tm send-keys a
sleep 0.5
tools/vm/demo-workload.sh
sleep 2
for width in 80 100 200; do
	tm resize-window -x "$width" -y 40
	sleep 1.5
	echo "== daxtop in a terminal of $width columns (tmux capture-pane), counts since start (key a)"
	tm capture-pane -p | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
done
tm send-keys q
sleep 0.5
tm kill-server 2> /dev/null || true
