#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest: `daxtrace exporter` beside `daxtrace top` on one DAX
# workload (PTE reads, read-then-write mkwrites, PMD faults, PMD fallbacks, a SIGBUS, reflink
# sharing breaks). One scrape's counters equal top's totals, each latency histogram's _count
# equals its counter (every fault starts after attach, so all are timed), nothing is lost.
here=$(dirname "$0")
. "$here/lib.sh"
family=${FAMILY:-auto}
N=8
P=2 # 2 MiB extents of the PMD file
fresh_xfs exporter # its PMD counts are exact
PORT=9795

# sum SERIES [LABEL...]: the sum of the series of a family whose labels include each LABEL.
sum() {
	name=$1
	shift
	echo "$scrape" | awk -v name="$name" -v want="$*" '
		index($1, name "{") == 1 || $1 == name {
			n = split(want, labels, " ")
			for (i = 1; i <= n; i++)
				if (!index($1, labels[i])) next
			total += $2
		}
		END { print total + 0 }'
}

# as_json: the exporter's sums under top's JSON keys, one object to compare at once.
exporter_totals() {
	printf '{"faults":%s,"pte":%s,"pmd":%s,"read":%s,"write":%s,"nopage":%s,"fallback":%s,' \
		"$(sum daxtrace_faults_total)" "$(sum daxtrace_faults_total 'size="pte"')" \
		"$(sum daxtrace_faults_total 'size="pmd"')" \
		"$(sum daxtrace_faults_total 'access="read"')" \
		"$(sum daxtrace_faults_total 'access="write"')" \
		"$(sum daxtrace_faults_total 'result="nopage"')" \
		"$(sum daxtrace_faults_total 'result="fallback"')"
	printf '"sigbus":%s,"mkwrite":%s,"cow":%s,"cow_bytes":%s}\n' \
		"$(sum daxtrace_faults_total 'result="sigbus"')" "$(sum daxtrace_mkwrite_total)" \
		"$(sum daxtrace_cow_breaks_total)" "$(sum daxtrace_cow_bytes_total)"
}

# start_exporter LOG [OPTIONS]: in the background ($exporter), once it serves (60 s under TCG).
start_exporter() {
	log=$1
	shift
	ip link set lo up
	"$DAXTRACE" exporter --attach="$family" -d "$(mountpoint -d "$DAX_MNT")" \
		--listen 127.0.0.1:$PORT "$@" 2> "$log" &
	exporter=$!
	for _ in $(seq 600); do
		grep -q 'msg=listening' "$log" && break
		sleep 0.1
	done
}

test_exporter_beside_top() {
	dir=$DAX_MNT/exporter
	mkdir -p "$dir"
	for f in pte rw; do "$WORKLOAD" create "$dir/$f" 4m > /dev/null; done
	"$WORKLOAD" create "$dir/pmd" $((2 * P))m > /dev/null
	"$WORKLOAD" create "$dir/fallback" $((2 * P))m > /dev/null
	"$WORKLOAD" create "$dir/eof" 4k > /dev/null
	"$WORKLOAD" create "$dir/src" 4m > /dev/null
	start_exporter "$dir.log"
	out=$(top_json -- sh -c "exec > /dev/null; '$WORKLOAD' mread '$dir/pte' $N &&
		'$WORKLOAD' mreadwrite '$dir/rw' $N && '$WORKLOAD' mread '$dir/pmd' $P --stride 2m --huge &&
		'$WORKLOAD' mread '$dir/fallback' $P --stride 2m &&
		'$WORKLOAD' mread '$dir/fallback' $P --stride 2m --huge &&
		'$WORKLOAD' past-eof '$dir/eof'; '$WORKLOAD' clone '$dir/src' '$dir/clone' &&
		'$WORKLOAD' mreadwrite '$dir/clone' $N --stride 64k")
	scrape=$(curl -sS --max-time 30 http://127.0.0.1:$PORT/metrics)
	kill $exporter
	wait $exporter
	verdict exporter/status $? "exit status" 0
	want=$(echo "$out" | jq -c '.total | {faults, pte, pmd, read, write, nopage, fallback, sigbus, mkwrite, cow, cow_bytes}')
	# the workload's own expectations, so that both cannot be wrong alike
	verdict exporter/top "$want" ".total" \
		"{\"faults\":$((5 * N + 4 * P + 1)),\"pte\":$((5 * N + 2 * P + 1)),\"pmd\":$((2 * P)),\"read\":$((3 * N + 4 * P + 1)),\"write\":$((2 * N)),\"nopage\":$((5 * N + 3 * P)),\"fallback\":$P,\"sigbus\":1,\"mkwrite\":$((2 * N)),\"cow\":$N,\"cow_bytes\":$((N * 4096))}"
	verdict exporter/counters "$(exporter_totals)" "the scrape's sums" "$want"
	verdict exporter/fallback-reasons \
		"$(sum daxtrace_pmd_fallbacks_total 'reason="entry_conflict"'):$(sum daxtrace_pmd_fallbacks_total)" \
		"entry_conflict:all" "$(echo "$out" | jq -r '"\(.total.fallback_reasons.entry_conflict):\(.total.fallback)"')"
	for size in pte pmd; do
		for access in read write; do
			verdict "exporter/latency-count-$size-$access" \
				"$(sum daxtrace_fault_latency_seconds_count "size=\"$size\"" "access=\"$access\"")" \
				_count "$(sum daxtrace_faults_total "size=\"$size\"" "access=\"$access\"")"
		done
	done
	verdict exporter/mkwrite-latency-count "$(sum daxtrace_mkwrite_latency_seconds_count)" _count \
		"$(sum daxtrace_mkwrite_total)"
	verdict exporter/cow-latency-count "$(sum daxtrace_cow_break_latency_seconds_count)" _count \
		"$(sum daxtrace_cow_breaks_total)"
	verdict exporter/lost "$(sum daxtrace_lost_events_total)" lost 0
	verdict exporter/device-info "$(echo "$scrape" | grep -c '^daxtrace_device_info{.*,pmem="pmem0",mode="fsdax"} 1$')" \
		device_info 1
	echo "$scrape" | grep -v '_bucket' | grep -v '^#' | sed 's/^/exporter-scrape: /'
}

# --share: N pages of A, cloned to B, read through both: N pages with two owners (the census of
# share-suite.sh's test_share_clone).
test_exporter_share() {
	a=$DAX_MNT/exporter-share-a b=$DAX_MNT/exporter-share-b
	"$WORKLOAD" create "$a" 4m > /dev/null
	start_exporter "$a.log" --share
	"$WORKLOAD" mwrite "$a" $N > /dev/null && "$WORKLOAD" clone "$a" "$b" > /dev/null &&
		"$WORKLOAD" mread "$a" $N > /dev/null && "$WORKLOAD" mread "$b" $N > /dev/null
	scrape=$(curl -sS --max-time 30 http://127.0.0.1:$PORT/metrics)
	kill $exporter
	wait $exporter
	if grep -q 'msg="probe point not attached" point=share.assoc' "$a.log"; then
		skip exporter/share "no fentry or kprobes here: the census cannot run"
		return
	fi
	verdict exporter/share "$(sum daxtrace_shared_pages):$(sum daxtrace_shared_pages_peak):$(sum daxtrace_page_owners 'owners="2"')" \
		"shared:peak:owners=2" "$N:$N:$N"
	verdict exporter/share-device "$(sum daxtrace_shared_pages "device=\"$(mountpoint -d "$DAX_MNT")\"")" \
		device $N
}

test_exporter_beside_top
test_exporter_share
exit 0
