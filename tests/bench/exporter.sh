# shellcheck shell=sh # sourced by run.sh (#!/bin/sh)
# shellcheck disable=SC2154 # work, mnt, devno and workdir are set by run.sh (setup_xfs)
# The exporter's own costs (sourced by run.sh; its fault-path overhead is config E of the
# interleaved runs, lib.sh):
#  (a) scrape time with about EXPORTER_SERIES series: `daxtrace exporter --cgroup-labels
#      --max-series 100 -d DEV`, and EXPORTER_CGROUPS cgroups (v2) in each of which a process
#      makes 8 page-cache mkwrites on the loop XFS, so each cgroup gets its own series; then
#      EXPORTER_SCRAPES GETs of /metrics one after the other, each timed by the client from
#      connect to the last byte (python3, one connection each, as Prometheus does);
#  (b) CPU while idle: the same exporter, no workload, a scrape every 15 s for
#      EXPORTER_IDLE_SECONDS; utime + stime from /proc/PID/stat over that time, as % of a core.
#
# Environment: BENCH_EXPORTER_CGROUPS (38), BENCH_EXPORTER_SCRAPES (200),
# BENCH_EXPORTER_IDLE_SECONDS (60), BENCH_EXPORTER_PORT (19798).

EXPORTER_CGROUPS=${BENCH_EXPORTER_CGROUPS:-38}
EXPORTER_SCRAPES=${BENCH_EXPORTER_SCRAPES:-200}
EXPORTER_IDLE_SECONDS=${BENCH_EXPORTER_IDLE_SECONDS:-60}

# exporter_cgroup_root: a cgroup v2 hierarchy to make groups in. The host's, or else one of our
# own, mounted in run.sh's private mount namespace (teardown_xfs unmounts it).
exporter_cgroup_root() {
	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	if [ -z "$root" ]; then
		root=$workdir/cgroup2
		mkdir -p "$root" && mount -t cgroup2 none "$root" || return 1
	fi
	echo "$root"
}

# exporter_ticks PID: utime + stime so far, in clock ticks.
exporter_ticks() {
	# shellcheck disable=SC2046 # the fields of /proc/PID/stat after the command name
	set -- $(sed 's/.*) //' "/proc/$1/stat")
	echo $((${12} + ${13}))
}

# exporter_bench: prints the JSON of both measurements.
exporter_bench() {
	root=$(exporter_cgroup_root) || {
		echo '{"error": "no cgroup v2 hierarchy, and none could be mounted"}'
		return 0
	}
	"$DAXTRACE" exporter --listen "127.0.0.1:$EXPORTER_PORT" -d "$devno" --cgroup-labels \
		--max-series 100 2> "$work/exporter-bench.log" &
	exporter=$!
	# shellcheck disable=SC2034 # lib.sh's wait_for and stop_tracer follow tracer_pid
	tracer_pid=$exporter
	wait_for "$work/exporter-bench.log" "msg=listening" "daxtrace exporter"
	groups=
	for g in $(seq 1 "$EXPORTER_CGROUPS"); do
		group=$root/daxtrace-bench-$$-$g
		mkdir "$group"
		groups="$groups $group"
		"$WORKLOAD" create "$mnt/exporter-$g" 16m > /dev/null
	done
	drop_caches
	for group in $groups; do
		sh -c "echo \$\$ > '$group/cgroup.procs'; exec '$WORKLOAD' mwrite \
			'$mnt/exporter-${group##*-}' 8 --stride 1m > /dev/null"
	done
	python3 - "$EXPORTER_PORT" "$EXPORTER_SCRAPES" > "$work/exporter-scrapes" << 'EOF'
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
request = b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
for i in range(count):
    start = time.perf_counter()
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(request)
    data = b""
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        data += chunk
    sock.close()
    ms = (time.perf_counter() - start) * 1000
    body = data.split(b"\r\n\r\n", 1)[1]
    series = sum(1 for line in body.split(b"\n") if line and not line.startswith(b"#"))
    print("%.4f %d %d %s" % (ms, series, len(body), data.split(b" ", 2)[1].decode()))
EOF
	# (b) idle: a scrape every 15 s, as Prometheus does by default
	ticks_before=$(exporter_ticks "$exporter")
	start_ns=$(date +%s%N)
	elapsed=0
	while [ "$elapsed" -lt "$EXPORTER_IDLE_SECONDS" ]; do
		curl -s -o /dev/null "http://127.0.0.1:$EXPORTER_PORT/metrics"
		sleep 15
		elapsed=$(($(date +%s) - start_ns / 1000000000))
	done
	ticks=$(($(exporter_ticks "$exporter") - ticks_before))
	idle_s=$(awk -v a="$start_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$exporter/status")
	stop_tracer
	for group in $groups; do
		rmdir "$group"
	done
	[ "$root" != "$workdir/cgroup2" ] || umount "$root"
	sort -g "$work/exporter-scrapes" | awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" \
		-v idle_s="$idle_s" -v rss="$rss_kb" -v cgroups="$EXPORTER_CGROUPS" '
		{ ms[NR] = $1; if ($2 > series) series = $2; if ($3 > bytes) bytes = $3
		  if ($4 != 200) bad++ }
		END {
			p50 = ms[int(NR * 0.50 + 0.999)]; p99 = ms[int(NR * 0.99 + 0.999)]
			printf "{\"cgroups\":%d,\"series\":%d,\"bytes\":%d,\"scrapes\":%d,", cgroups,
				series, bytes, NR
			printf "\"not_200\":%d,\"scrape_ms\":{\"p50\":%.3f,\"p99\":%.3f,", bad + 0, p50, p99
			printf "\"min\":%.3f,\"max\":%.3f},", ms[1], ms[NR]
			printf "\"idle\":{\"seconds\":%s,\"scrape_every_s\":15,\"cpu_ticks\":%d,", idle_s,
				ticks
			printf "\"clk_tck\":%d,\"cpu_percent\":%.4f},\"rss_kb\":%d}\n", hz,
				100 * ticks / hz / idle_s, rss
		}'
}

# exporter_table JSON: the report's lines.
exporter_table() {
	echo "$1" | jq -r 'if .error then "exporter: \(.error)" else
		"scrape of \(.series) series (\(.bytes) bytes, \(.cgroups) cgroups with labels): p50 \(
		.scrape_ms.p50) ms, p99 \(.scrape_ms.p99) ms, max \(.scrape_ms.max) ms over \(.scrapes
		) scrapes (\(.not_200) not 200)\nidle with a scrape every 15 s: \(.idle.cpu_ticks) ticks in \(
		.idle.seconds) s = \(.idle.cpu_percent) % of a core; RSS \(.rss_kb) kB" end'
}
