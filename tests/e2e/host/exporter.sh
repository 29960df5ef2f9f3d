#!/bin/sh
# Host end-to-end tests of `daxtrace exporter`: a real Prometheus (Debian's) scrapes it every
# second while the page-cache reflink workload of cow.sh runs, and the values Prometheus returns
# through its query API are exact. The exporter runs as the systemd unit runs it: user nobody
# with exactly the unit's capabilities (packaging/daxtrace-exporter.service), which it gives up
# once attached. Then the exposition itself (promtool, OpenMetrics), HTTP errors, usage errors.
set -u
here=$(dirname "$0")
. "$here/lib.sh"

for tool in prometheus promtool curl python3 setpriv; do
	if ! command -v $tool > /dev/null; then
		skip exporter "$tool missing (tools/deps.sh installs it)"
		exit 0
	fi
done
setup_xfs
chmod 755 "$workdir"

N=4
# The unit's CapabilityBoundingSet: classic tracepoints (the remap kinds) need tracefs, 0700 root.
UNIT_CAPS=,+bpf,+perfmon,+dac_read_search
# tracefs as systemd mounts it, in the exporter's own mount namespace (lib.sh as_nobody_in)
# shellcheck disable=SC2016 # run by the namespace's shell
TRACEFS='for m in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	while mountpoint -q $m 2> /dev/null; do umount $m || exit 1; done
done && mount -t tracefs tracefs /sys/kernel/tracing'

# scrape [CURL OPTIONS]: one exposition from the exporter at $port.
scrape() {
	curl -sS --max-time 5 "$@" "http://127.0.0.1:$port/metrics"
}

# value SERIES: the value of one series ("name{labels}", exactly as exposed) in $exposition.
value() {
	echo "$exposition" | awk -v s="$1" '$1 == s { print $2 }'
}

# query PROMQL: the value Prometheus returns for an instant query (empty if no result).
query() {
	curl -sS --max-time 5 "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty'
}

# query_until PROMQL WANT: polls Prometheus (1 s scrapes) until PROMQL is WANT, 30 s at most;
# prints the last value. Counters only grow: a value past WANT stays wrong and fails.
query_until() {
	for _ in $(seq 60); do
		got=$(query "$1")
		[ "$got" = "$2" ] && break
		sleep 0.5
	done
	echo "$got"
}

start_prometheus() {
	prom_port=$(free_port)
	mkdir -p "$workdir/prom"
	cat > "$workdir/prom/config.yml" <<-YML
		global:
		  scrape_interval: 1s
		  scrape_timeout: 1s
		scrape_configs:
		  - job_name: daxtrace
		    static_configs:
		      - targets: ['127.0.0.1:$port']
	YML
	prometheus --config.file="$workdir/prom/config.yml" --storage.tsdb.path="$workdir/prom/data" \
		--web.listen-address="127.0.0.1:$prom_port" > "$workdir/prom/log" 2>&1 &
	prom=$!
	for _ in $(seq 100); do
		curl -sf "http://127.0.0.1:$prom_port/-/ready" > /dev/null && return 0
		sleep 0.1
	done
	return 1
}

stop() {
	for pid in "$@"; do
		kill "$pid" 2> /dev/null
		wait "$pid" 2> /dev/null
	done
}

# The cow.sh workload (each remap kind once, N + 1 sharing breaks by write and unshare, all
# completed) plus N first-touch mmap writes to a second clone: N page-cache mkwrites, N more
# breaks. Prometheus's values are then exact.
test_prometheus() {
	port=$(free_port)
	in_background "$workdir/exporter.log" as_nobody_in "$TRACEFS" "$UNIT_CAPS" "$DAXTRACE" \
		exporter --listen "127.0.0.1:$port" -d "$devno"
	runner=$!
	if ! wait_for_line "$workdir/exporter.log" 'msg=listening'; then
		fail prometheus "the exporter did not start: $(cat "$workdir/exporter.log")"
		stop $runner
		return
	fi
	# the process as_nobody_in started (in a subshell of this one): its log names it
	exporter=$(sed -n 's/.* msg=starting .*pid=\([0-9]*\).*/\1/p' "$workdir/exporter.log")
	check prometheus/capabilities "$(awk '/^CapEff/ { print $2 }' /proc/"$exporter"/status)" \
		0000000000000000 dropped
	if ! start_prometheus; then
		fail prometheus "prometheus did not start: $(tail -5 "$workdir/prom/log")"
		stop "$exporter"
		return
	fi
	check prometheus "$(query_until 'up{job="daxtrace"}' 1)" 1 up
	a=$mnt/prom-a b=$mnt/prom-b c=$mnt/prom-c d=$mnt/prom-d
	"$WORKLOAD" create "$a" 8m > /dev/null
	drop_caches
	(
		exec > /dev/null
		"$WORKLOAD" clone "$a" "$b" && "$WORKLOAD" clonerange "$a" "$c" 1m 64k 0 &&
			"$WORKLOAD" dedupe "$a" "$b" 0 64k && "$WORKLOAD" unshare "$b" 2m 8k &&
			"$WORKLOAD" pwrite "$b" $N --stride 1m --offset 4m && "$WORKLOAD" fsync "$b" &&
			"$WORKLOAD" clone "$a" "$d" && "$WORKLOAD" mwrite "$d" $N --stride 1m &&
			"$WORKLOAD" fsync "$d"
	)
	breaks=$((2 * N + 1))
	cow_bytes=$((8192 + 2 * N * 4096))
	check prometheus "$(query_until 'sum(daxtrace_cow_bytes_total)' $cow_bytes)" $cow_bytes \
		cow-bytes
	check prometheus "$(query 'sum(daxtrace_cow_breaks_total)')" $breaks cow-breaks
	check prometheus "$(query 'sum(daxtrace_mkwrite_total)')" $N mkwrite
	for kind in clone:2:16777216 clone_range:1:65536 dedupe:1:65536 unshare:1:8192 other:0:; do
		name=${kind%%:*} counts=${kind#*:}
		check prometheus "$(query "sum(daxtrace_remaps_total{kind=\"$name\"})")" \
			"${counts%%:*}" "remaps-$name"
		[ -n "${counts#*:}" ] && check prometheus \
			"$(query "sum(daxtrace_remap_bytes_total{kind=\"$name\"})")" "${counts#*:}" \
			"remap-bytes-$name"
	done
	check prometheus "$(query 'sum(daxtrace_faults_total)')" 0 no-dax-faults
	check prometheus "$(query 'count(daxtrace_faults_total)')" 16 fault-series
	check prometheus "$(query "count(daxtrace_mkwrite_total{device=\"$devno\"})")" 1 device
	check prometheus "$(query 'sum(daxtrace_lost_events_total)')" 0 lost
	# all but sync: dax_finish_sync_fault is reached by fentry or kprobe only, neither here
	check prometheus "$(query 'count(daxtrace_probe_attached{point!="sync"} == 0)')" "" all-attached
	check prometheus "$(query 'daxtrace_probe_attached{point="sync",kind="none"}')" 0 sync-none
	check prometheus "$(query 'sum(daxtrace_probe_attached)')" \
		"$(grep -c 'msg="probe point attached"' "$workdir/exporter.log")" points
	# nothing counted twice: later scrapes return the same
	sleep 2.5
	check prometheus "$(query 'sum(daxtrace_cow_breaks_total)')" $breaks stable
	stop $prom "$exporter" $runner # the exporter is no child of ours: its log tells it stopped
	wait_for_line "$workdir/exporter.log" 'msg=stopped status=0'
	check prometheus/log "$(grep -c 'msg=stopped status=0' "$workdir/exporter.log")" 1 stopped
}

# The exposition: promtool finds nothing to say, OpenMetrics when asked for, HTTP errors.
test_exposition() {
	port=$(free_port)
	in_background "$workdir/exporter.log" "$DAXTRACE" exporter --listen "127.0.0.1:$port" \
		-d "$devno" --log-format json
	exporter=$!
	if ! wait_for_line "$workdir/exporter.log" '"msg":"listening"'; then
		fail exposition "the exporter did not start: $(cat "$workdir/exporter.log")"
		stop "$exporter"
		return
	fi
	f=$mnt/exposition
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	"$WORKLOAD" mwrite "$f" $N --stride 1m > /dev/null
	exposition=$(scrape)
	check exposition "$(value "daxtrace_mkwrite_total{device=\"$devno\"}")" $N mkwrite
	lint=$(echo "$exposition" | promtool check metrics 2>&1)
	check exposition/promtool "$?:$lint" "0:" lint
	headers=$(scrape -o /dev/null -D - | tr -d '\r')
	check exposition/text "$(echo "$headers" | sed -n 's/^Content-Type: //p')" \
		"text/plain; version=0.0.4; charset=utf-8" content-type
	om=$(scrape -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5')
	check exposition/openmetrics "$(echo "$om" | tail -n 1)" "# EOF" eof
	check exposition/openmetrics "$(echo "$om" | grep -c '^# TYPE daxtrace_mkwrite counter$')" 1 \
		type
	check exposition/openmetrics "$(echo "$om" | grep -c "^daxtrace_mkwrite_total{device=\"$devno\"} $N\$")" \
		1 sample
	status() {
		curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"
	}
	check exposition/http "$(status "http://127.0.0.1:$port/")" 200 index
	check exposition/http "$(curl -s "http://127.0.0.1:$port/" | grep -c 'href="/metrics"')" 1 \
		index-link
	check exposition/http "$(status "http://127.0.0.1:$port/nope")" 404 not-found
	check exposition/http "$(status -X POST -d x "http://127.0.0.1:$port/metrics")" 405 post
	check exposition/http "$(status -X DELETE "http://127.0.0.1:$port/metrics")" 405 delete
	check exposition/http "$(status -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)" \
		"http://127.0.0.1:$port/metrics")" 431 big-header
	check exposition/http "$(status "http://127.0.0.1:$port/$(head -c 20000 /dev/zero | tr '\0' a)")" \
		414 long-url
	kill -TERM $exporter
	wait $exporter
	check exposition/stop $? 0 status
	check exposition/log "$(jq -sr '[.[].msg] | first, last' "$workdir/exporter.log" | tr '\n' ' ')" \
		"starting stopped " json-lines
	check exposition/log "$(grep -vc '^{' "$workdir/exporter.log")" 0 only-json
}

# A point that cannot attach is logged and published as 0, and the exporter serves on: --share
# where this kernel has neither fentry nor kprobes (the census's only ways in). And while
# kernel.bpf_stats_enabled is 1, each program's runs and run time.
test_partial_attach_and_program_runs() {
	if [ "$("$DAXTRACE" doctor --json | jq -r '.plan[] | select(.point == "share.assoc").kind')" != none ]; then
		skip partial-attach "share.assoc attaches on this kernel: the partial plan is the guests' share test"
		return
	fi
	port=$(free_port)
	in_background "$workdir/exporter.log" "$DAXTRACE" exporter --listen "127.0.0.1:$port" \
		-d "$devno" --share
	exporter=$!
	if ! wait_for_line "$workdir/exporter.log" 'msg=listening'; then
		fail partial-attach "the exporter did not start: $(cat "$workdir/exporter.log")"
		stop $exporter
		return
	fi
	check partial-attach "$(grep -c 'level=warn msg="probe point not attached" point=share.assoc why=' "$workdir/exporter.log")" \
		1 logged-once
	stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
	echo 1 > /proc/sys/kernel/bpf_stats_enabled
	f=$mnt/partial
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	"$WORKLOAD" mwrite "$f" $N --stride 1m > /dev/null
	exposition=$(scrape)
	echo "$stats" > /proc/sys/kernel/bpf_stats_enabled
	stop $exporter
	check partial-attach "$(value 'daxtrace_probe_attached{point="share.assoc",kind="none"}')" 0 \
		published
	check partial-attach "$(value "daxtrace_mkwrite_total{device=\"$devno\"}")" $N serves
	check partial-attach "$(value daxtrace_shared_pages_peak)" 0 share-families
	# the mkwrite point's program (TARGET__KIND) ran at least once per mkwrite: every XFS
	# write fault runs it
	program=$("$DAXTRACE" doctor --json |
		jq -r '.plan[] | select(.point == "mkwrite.xfs") | "\(.targets)__\(.kind)"')
	runs=$(value "daxtrace_bpf_runs_total{program=\"$program\"}")
	check program-runs "$([ "${runs:-0}" -ge $N ] && echo ok || echo "$program ran ${runs:-0} times")" \
		ok at-least-n
	check program-runs \
		"$(echo "$exposition" | grep -c "^daxtrace_bpf_run_seconds_total{program=\"$program\"} 0\.[0-9]*[1-9]")" \
		1 seconds
}

# --cgroup-labels --max-series 2: three cgroups write N, N + 1 and N + 2 pages in turn; the first
# two get series of their own (their paths), the third counts as "other", folded once.
test_cgroup_labels() {
	if ! cgroup2_root; then
		fail cgroup-labels "no cgroup2 mount on this host, and none could be made"
		return
	fi
	parent=daxtrace-exporter-$$
	port=$(free_port)
	in_background "$workdir/exporter.log" "$DAXTRACE" exporter --listen "127.0.0.1:$port" \
		-d "$devno" --cgroup-labels --max-series 2
	exporter=$!
	if ! wait_for_line "$workdir/exporter.log" 'msg=listening'; then
		fail cgroup-labels "the exporter did not start: $(cat "$workdir/exporter.log")"
		stop $exporter
		return
	fi
	i=0
	for group in a b c; do
		mkdir -p "$cgroup_root/$parent/$group"
		f=$mnt/cgroup-$group
		"$WORKLOAD" create "$f" 16m > /dev/null
		drop_caches
		sh -c "echo \$\$ > '$cgroup_root/$parent/$group/cgroup.procs' &&
			exec '$WORKLOAD' mwrite '$f' $((N + i)) --stride 1m > /dev/null"
		i=$((i + 1))
	done
	exposition=$(scrape)
	stop $exporter
	for group in a b c; do
		rmdir "$cgroup_root/$parent/$group"
	done
	rmdir "$cgroup_root/$parent"
	series="daxtrace_mkwrite_total{device=\"$devno\",cgroup="
	check cgroup-labels "$(value "$series\"/$parent/a\"}")" $N a
	check cgroup-labels "$(value "$series\"/$parent/b\"}")" $((N + 1)) b
	check cgroup-labels "$(value "$series\"other\"}")" $((N + 2)) other
	check cgroup-labels "$(echo "$exposition" | grep -c "^daxtrace_mkwrite_total{")" 3 series
	check cgroup-labels "$(value daxtrace_folded_series_total)" 1 folded
	# the families without a cgroup label sum the cgroups per device
	check cgroup-labels "$(echo "$exposition" | grep -c "^daxtrace_writeback_flushes_total{device=\"$devno\"} ")" \
		1 device-only
}

# Bad input: one line and exit 2; a port in use: exit 1 before anything is loaded.
test_usage() {
	for args in "--listen nowhere" "--listen 127.0.0.1:0" "--listen 1.2.3.4.5:80" \
		"--max-series 5" "--cgroup-labels --max-series 0" "--log-format xml" "-p 1" "-j" \
		"-- true"; do
		# shellcheck disable=SC2086 # each case is several words
		err=$("$DAXTRACE" exporter $args 2>&1)
		check "exporter-usage/$args" "$?:$(echo "$err" | head -n 1 | grep -c '^daxtrace exporter: ')" \
			"2:1"
	done
	port=$(free_port)
	python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
print("held", flush=True); time.sleep(30)' "$port" > "$workdir/holder" &
	holder=$!
	wait_for_line "$workdir/holder" held
	err=$(timeout 10 "$DAXTRACE" exporter --listen "127.0.0.1:$port" 2>&1)
	check exporter-usage/port-in-use $? 1 status
	check exporter-usage/port-in-use \
		"$(echo "$err" | grep -c "level=error msg=\"cannot listen on 127.0.0.1:$port: Address already in use\"")" \
		1 message
	check exporter-usage/port-in-use "$(echo "$err" | grep -c 'probe point')" 0 nothing-loaded
	stop $holder
}

test_prometheus
test_exposition
test_partial_attach_and_program_runs
test_cgroup_labels
test_usage
exit 0
