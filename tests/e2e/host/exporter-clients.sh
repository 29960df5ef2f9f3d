#!/bin/sh
# Bad clients against `daxtrace exporter` (bad_clients.py): 50 connections held open, fixed bad
# requests answered 4xx, 2,000 random malformed or hostile requests, each on its own connection;
# meanwhile a valid GET /metrics answers 200 within 1 s, and afterwards the exporter is alive,
# its counts exact (N mkwrites before the requests, N after) and its log untouched. The seed is
# printed: EXPORTER_CLIENTS_SEED=N replays a run.
set -u
here=$(dirname "$0")
. "$here/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip exporter-clients "needs root (BPF, mount)"
	exit 0
fi
setup_xfs

N=8
REQUESTS=${EXPORTER_CLIENTS_REQUESTS:-2000}
t="exporter-clients"

# A port nobody listens on: the kernel's pick for a socket bound to port 0.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$DAXTRACE" exporter --listen "127.0.0.1:$port" -d "$devno" 2> "$workdir/exporter.err" &
exporter=$!
for _ in $(seq 100); do
	grep -q 'msg=listening' "$workdir/exporter.err" && break
	kill -0 $exporter 2> /dev/null || break
	sleep 0.1
done
if ! grep -q 'msg=listening' "$workdir/exporter.err"; then
	fail "$t" "the exporter did not start listening: $(tail -n 3 "$workdir/exporter.err")"
	kill $exporter 2> /dev/null
	wait $exporter
	exit 0
fi

# mkwrites FILE: N page-cache mkwrites (test_mkwrite in run.sh) on a fresh file.
mkwrites() {
	"$WORKLOAD" create "$1" 16m > /dev/null
	drop_caches
	"$WORKLOAD" mwrite "$1" $N --stride 1m > /dev/null
}

# metric PREFIX: the sum of the samples whose line starts with PREFIX, in a scrape ("none" if
# there is none).
metric() {
	python3 -c '
import sys, urllib.request
body = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read()
values = [float(l.rsplit(" ", 1)[1]) for l in body.decode().splitlines()
          if l.startswith(sys.argv[2])]
print("%d" % sum(values) if values else "none")
' "$port" "$1"
}

mkwrite_total() {
	metric "daxtrace_mkwrite_total{device=\"$devno\"} "
}

mkwrites "$mnt/before"
check "$t" "$(mkwrite_total)" $N mkwrite-before
log_before=$(wc -l < "$workdir/exporter.err")

start=$(date +%s)
# shellcheck disable=SC2086 # an optional "--seed N"
python3 "$here/bad_clients.py" --port "$port" --requests "$REQUESTS" \
	${EXPORTER_CLIENTS_SEED:+--seed "$EXPORTER_CLIENTS_SEED"} > "$workdir/clients.out"
clients_status=$?
elapsed=$(($(date +%s) - start))
head -n 1 "$workdir/clients.out"
# The summary, read from its file: dash's echo would decode the backslashes of its strings.
tail -n 1 "$workdir/clients.out" > "$workdir/summary.json"
jq -e . "$workdir/summary.json" > /dev/null 2>&1 || echo '{}' > "$workdir/summary.json"
summary() {
	jq "$@" "$workdir/summary.json"
}
check "$t" "$clients_status" 0 helper-ran
echo "$t: $REQUESTS random requests in $elapsed s; answers by class:" \
	"$(summary -c .classes); by status: $(summary -c .codes)"
echo "$t: by kind and answer: $(summary -c .by_kind)"

# The fixed requests: the status each must get (listed with its reason in bad_clients.py).
summary -r '.fixed[]? | "\(.name) \(.want) \(.got)"' > "$workdir/fixed"
while read -r name want got; do
	case $want in
	null) echo "$t: $name answered $got (recorded, not checked: see bad_clients.py)" ;;
	*) check "$t" "$got" "$want" "fixed/$name" ;;
	esac
done < "$workdir/fixed"
check "$t" "$(grep -c . "$workdir/fixed")" "$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1])
import bad_clients; print(len(bad_clients.fixed_requests()))' "$here")" fixed-all-sent

# 505 is the answer to an HTTP version libmicrohttpd does not speak (HTTP/0.9 and /2.0 request
# lines, the HTTP/2 preface): any other 5xx is the exporter's.
check "$t" "$(summary '[(.codes // {}) | to_entries[] | select((.key | tonumber) >= 500 and
	.key != "505") | .value] | add // 0')" 0 no-5xx
summary -c '.five_xx[]? | select(.status != 505)'
check "$t" "$(summary '[.classes[]?] | add')" "$REQUESTS" every-request-answered-or-closed

# The valid scrapes, taken with the held connections open: 200 within 1 s, each.
echo "$t: valid scrapes (ms): $(summary -c '[.metrics[]?.ms]')"
check "$t" "$(summary '[.metrics[]? | select(.status == 200)] | length')" \
	$((REQUESTS / 100 + 2)) scrapes-200
check "$t" "$(summary '[.metrics[]? | select(.ms >= 1000)] | length')" 0 \
	scrapes-under-1s
check "$t" "$(summary '[.metrics[]? | select(.idle_open == 50)] | length')" \
	$((REQUESTS / 100 + 2)) held-connections-open
# A connection the exporter keeps after the client's half-close holds one of its 128 slots
check "$t" "$(summary '.classes.held')" 0 none-held-after-half-close

kill -0 $exporter 2> /dev/null
check "$t" $? 0 alive
mkwrites "$mnt/after"
check "$t" "$(mkwrite_total)" $((2 * N)) mkwrite-after
check "$t" "$(metric 'daxtrace_lost_events_total{')" 0 lost
# a bad request is the client's problem: the exporter logs nothing for it (libmicrohttpd runs
# without MHD_USE_ERROR_LOG), so no client can flood the service's log
log_lines=$(($(wc -l < "$workdir/exporter.err") - log_before))
check "$t" "$log_lines" 0 log-lines
kill -TERM $exporter
wait $exporter
check "$t" $? 0 exit-status
exit 0
