#!/usr/bin/env bash
# SIP load benchmark: the highest call rate sipp sustains with < 0.1% failed
# calls (a) sipp -> sipp directly, (b) through Kamailio (kamailio.cfg here),
# (c) through Ringfence standalone; then CPU per process and sipp's
# INVITE->200 response-time percentiles at half of each maximum.
#
#   bench/sip-load/run.sh [--duration S] [--targets "direct kamailio ringfence"] [--rules FILE] [--out FILE.md]
#   (target ringfence-1thread: Ringfence with its UDP sockets on the main thread, --no-udp-thread;
#    RINGFENCE_NODE_FLAGS="--max-semi-space-size=64": extra node flags for Ringfence, for GC experiments;
#    SIPLOAD_PORT_BASE=25070: UDP ports base, base+10 and base+20 instead of 15070-15090)
#                         [--retries N] [--warmup S] [--pin] [--kamailio-shm MB]
#                         [--half-duration S] [--start-rate N] [--max-rate N] [--kamailio-children N]
#                         [--known "direct=6000 kamailio=4000 ringfence=6000"]
#   --duration S: seconds per search step (10); --half-duration S: seconds of the half-rate run (20);
#   --start-rate / --max-rate: the search's range in calls/s (250 / 16000); --known: skip the
#   search and measure at half of these maxima; --retries N: reruns of a failing step (1).
#
# Every target is measured the same way: a fresh target per step, warmed up
# first (--warmup seconds at up to 500 calls/s, with callers of its own, so
# a JIT-compiled proxy is measured running, not starting), then the step; a
# failing step is run again up to --retries times (the machine is shared:
# one noisy step should not end a search). --pin puts both sipps on CPU 0
# and the proxy on CPU 1.
#
# Needs sipp (Debian sip-tester) and kamailio; all traffic stays on 127.0.0.1.
# Ringfence runs from dist/bench/sip-load/serve.js when built (npm run build),
# else through tsx. Only processes this script started are stopped.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"  # node --import tsx resolves from here
SCN="$ROOT/test/e2e/sipp"
DUR=10
HALF_DUR=20
TARGETS="direct kamailio ringfence"
RULES=""
OUT=""
START_RATE=250
MAX_RATE=16000
KAM_CHILDREN=4
# Kamailio's shared memory, MB. With 256 MB its tm module ran out of memory
# ("new_t(): out of mem") at 2,000 calls/s within seconds and answered 500:
# the baseline was measuring its memory setting, not its speed.
KAM_SHM=1024
RETRIES=1
WARMUP=3
PIN=0
KNOWN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DUR=$2; shift 2 ;;
    --half-duration) HALF_DUR=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --rules) RULES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --start-rate) START_RATE=$2; shift 2 ;;
    --kamailio-children) KAM_CHILDREN=$2; shift 2 ;;
    --max-rate) MAX_RATE=$2; shift 2 ;;
    --known) KNOWN=$2; shift 2 ;;  # "direct=3750 kamailio=1600": skip the search, measure at half of these
    --retries) RETRIES=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --pin) PIN=1; shift ;;
    --kamailio-shm) KAM_SHM=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$RULES" ]; then
  RULES="$ROOT/examples/rules/china-ingress.yaml"
  [ -f "$RULES" ] || RULES="$ROOT/examples/rules/minimal.yaml"
fi
command -v sipp >/dev/null || { echo "sipp not found (apt-get install sip-tester)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/ringfence-sip-load.XXXXXX)
# Snapshot the rules (and their list files) so an edit during the run cannot change or break it.
RULES_SRC=$RULES
mkdir -p "$WORK/rules" && cp -r "$(dirname "$RULES")"/. "$WORK/rules/"
RULES="$WORK/rules/$(basename "$RULES")"
# SIPLOAD_PORT_BASE: another base port when 15070-15090 are taken (ports base, base+10, base+20).
PORT_BASE=${SIPLOAD_PORT_BASE:-15070}
UAS_PORT=$((PORT_BASE + 10))
PROXY_PORT=$PORT_BASE
UAC_PORT=$((PORT_BASE + 20))
BUF=4194304
TCK=$(getconf CLK_TCK)
PIDS=()

cleanup() {
  local p parent
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] || continue
    # Only our own children: a PID recorded long ago may belong to another process by now.
    parent=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')
    [ "$parent" = "$$" ] || [ "$parent" = "$BASHPID" ] || continue
    kill "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Clean traffic, so that no signal of the rules has a reason to reject it (a
# reject would count as a failed call): 49,000 valid US callers spread over
# 7,000 number blocks (at most 7 per block, under rotating-cli's 8), each
# calling once per step, to distinct valid Chinese mobiles (no fan-in).
awk 'BEGIN { print "SEQUENTIAL"; split("212 213 312 415 617 305 404 503 206 718", ac, " ");
  for (i = 0; i < 49000; i++) printf "+1%s%d%04d;+86138%08d;\n", ac[i % 10 + 1], 200 + int(i / 10) % 700, 1000 + int(i / 7000), i }' > "$WORK/calls.csv"
# Warm-up callers and callees of their own (other area codes, +86139 callees), so the step's callers are new to the engine.
awk 'BEGIN { print "SEQUENTIAL"; split("201 202 203 205 207 208 209 210 214 215", ac, " ");
  for (i = 0; i < 7000; i++) printf "+1%s%d%04d;+86139%08d;\n", ac[i % 10 + 1], 200 + int(i / 10) % 700, 1000 + int(i / 7000), i }' > "$WORK/warmup.csv"

# --pin: load generators on CPU 0, the proxy under test on CPU 1 (same for every target).
GEN=()
SUT=()
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || { echo "--pin needs taskset (util-linux)" >&2; exit 2; }
  GEN=(taskset -c 0)
  SUT=(taskset -c 1)
fi

# CPU ticks (user+system) of a process and all its descendants.
ticks() {
  local total=0 p
  for p in $(descendants "$1"); do
    if [ -r "/proc/$p/stat" ]; then
      local s
      # A process may end between the test and the read.
      s=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
      # fields after the command: state(1) ppid(2) ... utime(12) stime(13)
      set -- $s
      [ $# -ge 13 ] || continue
      total=$((total + ${12} + ${13}))
    fi
  done
  echo "$total"
}
descendants() {
  local p=$1 c
  echo "$p"
  for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do descendants "$c"; done
}

start_uas() {
  "${GEN[@]}" sipp -sf "$SCN/uas.xml" -i 127.0.0.1 -p "$UAS_PORT" -nostdin -buff_size "$BUF" -max_recv_loops 10000 \
    -trace_err -error_file "$WORK/uas-errors.log" >"$WORK/uas.out" 2>&1 &
  UAS_PID=$!
  PIDS+=("$UAS_PID")
}

# Starts the target; sets TARGET_PID and DEST (where the sipp caller sends).
start_target() {
  TARGET_PID=""
  case "$1" in
    direct)
      DEST="127.0.0.1:$UAS_PORT" ;;
    kamailio)
      sed -e "s/@LISTEN@/127.0.0.1:$PROXY_PORT/" -e "s/@NEXT_HOP@/127.0.0.1:$UAS_PORT/" -e "s/@CHILDREN@/$KAM_CHILDREN/" \
        "$HERE/kamailio.cfg" > "$WORK/kamailio.cfg"
      "${SUT[@]}" kamailio -DD -E -f "$WORK/kamailio.cfg" -P "$WORK/kamailio.pid" -Y "$WORK" -w "$WORK" -m "$KAM_SHM" -M 16 >"$WORK/kamailio.out" 2>&1 &
      TARGET_PID=$!
      PIDS+=("$TARGET_PID")
      DEST="127.0.0.1:$PROXY_PORT" ;;
    ringfence|ringfence-1thread)
      local js="$ROOT/dist/bench/sip-load/serve.js" extra=()
      # ringfence-1thread: UDP sockets on the main thread, as before the I/O thread (for comparison).
      [ "$1" = ringfence-1thread ] && extra=(--no-udp-thread)
      if [ -f "$js" ]; then
        # shellcheck disable=SC2086 # RINGFENCE_NODE_FLAGS: extra node flags (GC experiments), split on spaces
        "${SUT[@]}" node ${RINGFENCE_NODE_FLAGS:-} "$js" --listen "127.0.0.1:$PROXY_PORT" --next-hop "sip:127.0.0.1:$UAS_PORT" --rules "$RULES" "${extra[@]}" >"$WORK/ringfence.out" 2>&1 &
      else
        "${SUT[@]}" node --import tsx "$HERE/serve.ts" --listen "127.0.0.1:$PROXY_PORT" --next-hop "sip:127.0.0.1:$UAS_PORT" --rules "$RULES" "${extra[@]}" >"$WORK/ringfence.out" 2>&1 &
      fi
      TARGET_PID=$!
      PIDS+=("$TARGET_PID")
      for _ in $(seq 1 100); do grep -q READY "$WORK/ringfence.out" 2>/dev/null && break; sleep 0.1; done
      # Probes run in command substitutions, which do not inherit the EXIT trap: stop what this one started.
      grep -q READY "$WORK/ringfence.out" || { cat "$WORK/ringfence.out" >&2; cleanup; exit 1; }
      DEST="127.0.0.1:$PROXY_PORT" ;;
  esac
}

stop() {
  [ -n "${1:-}" ] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# run_uac RATE SECONDS [rtt] NAME [CSV] -> prints "created successful failed cpu_uac cpu_uas cpu_target"
run_uac() {
  local rate=$1 secs=$2 rtt=${3:-} calls=$(( $1 * $2 )) name=$4 csv=${5:-$WORK/calls.csv}
  local stat="$WORK/$name.stat.csv"
  rm -f "$stat" "$WORK"/uac_*_rtt.csv
  local extra=()
  [ -n "$rtt" ] && extra=(-trace_rtt -rtt_freq 1)
  local u0 s0 t0
  u0=$(ticks "$UAS_PID"); t0=0
  [ -n "$TARGET_PID" ] && t0=$(ticks "$TARGET_PID")
  local w0; w0=$(date +%s.%N)
  (cd "$WORK" && "${GEN[@]}" sipp "$DEST" -sf "$SCN/uac.xml" -inf "$csv" -i 127.0.0.1 -p "$UAC_PORT" \
    -r "$rate" -m "$calls" -l $(( rate * 5 + 100 )) -nostdin -buff_size "$BUF" -max_recv_loops 10000 \
    -timeout "$(( secs + 20 ))s" -trace_stat -stf "$stat" -fd 1 "${extra[@]}" >"$WORK/uac.out" 2>&1) &
  local uac=$!
  PIDS+=("$uac")
  local c0=0 c1 deadline=$(( $(date +%s) + secs + 40 ))
  # sipp's own CPU: sampled while it runs (it is gone when wait returns). Overloaded, sipp may
  # ignore its -timeout while it waits for calls to end: a watchdog stops it.
  while kill -0 "$uac" 2>/dev/null; do
    c1=$(ticks "$uac" 2>/dev/null || true); [ "${c1:-0}" -gt "$c0" ] && c0=$c1
    if [ "$(date +%s)" -gt "$deadline" ]; then for p in $(descendants "$uac"); do kill -9 "$p" 2>/dev/null || true; done; fi
    sleep 0.5
  done
  wait "$uac" || true
  local w1; w1=$(date +%s.%N)
  local u1 t1=0
  u1=$(ticks "$UAS_PID")
  [ -n "$TARGET_PID" ] && t1=$(ticks "$TARGET_PID")
  local wall; wall=$(echo "$w1 - $w0" | bc -l)
  local counts
  counts=$(awk -F';' 'NR==1{for(i=1;i<=NF;i++){if($i=="TotalCallCreated")a=i;if($i=="SuccessfulCall(C)")b=i;if($i=="FailedCall(C)")c=i}} END{print $a, $b, $c}' "$stat")
  printf '%s %s %s %s\n' "$counts" \
    "$(echo "scale=1; 100 * $c0 / $TCK / $wall" | bc -l)" \
    "$(echo "scale=1; 100 * ($u1 - $u0) / $TCK / $wall" | bc -l)" \
    "$(echo "scale=1; 100 * ($t1 - $t0) / $TCK / $wall" | bc -l)"
}

# One step at RATE for target; prints the run_uac line and returns 0 when < 0.1% failed.
probe() {
  local target=$1 rate=$2 secs=$3 rtt=${4:-}
  start_uas
  start_target "$target"
  sleep 1
  # Warm up (JIT, number metadata) so the step measures a running proxy, not its first seconds; every target alike.
  [ "$WARMUP" -gt 0 ] && run_uac "$(( rate < 500 ? rate : 500 ))" "$WARMUP" "" "$target-warmup" "$WORK/warmup.csv" >/dev/null
  local line
  line=$(run_uac "$rate" "$secs" "$rtt" "$target-$rate")
  stop "$TARGET_PID"
  stop "$UAS_PID"
  sleep 1
  echo "$line"
  set -- $line
  local expected=$(( rate * secs ))
  # Calls never created, still open or failed all count against the run.
  local bad=$(( expected - $2 ))
  log "$target @ $rate cps: created=$1 ok=$2 failed=$3 cpu uac=$4% uas=$5% target=$6%"
  [ "$bad" -le $(( expected / 1000 )) ]
}

percentiles() {
  local f
  f=$(ls "$WORK"/uac_*_rtt.csv 2>/dev/null | head -1)
  [ -n "$f" ] || { echo "- - -"; return; }
  # Date_ms;response_time_ms;rtd_no : one line per call
  awk -F';' 'NR>1 && $2+0==$2 {print $2}' "$f" | sort -g | awk '{a[NR]=$1} END{ if(NR==0){print "- - -"; exit} i50=int(NR*0.5); if(i50<1)i50=1; i90=int(NR*0.9); if(i90<1)i90=1; i99=int(NR*0.99); if(i99<1)i99=1; printf "%.2f %.2f %.2f\n", a[i50], a[i90], a[i99] }'
}

# A search step: passes when any of 1 + RETRIES runs at RATE passes.
step() {
  local target=$1 rate=$2 k
  for k in $(seq 0 "$RETRIES"); do
    probe "$target" "$rate" "$DUR" >/dev/null && return 0
    [ "$k" -lt "$RETRIES" ] && log "$target @ $rate cps: failed, running the step again"
  done
  return 1
}

declare -A MAXR HALF
for target in $TARGETS; do
  known=$(echo " $KNOWN " | grep -o " $target=[0-9]*" | cut -d= -f2 || true)
  good=0; bad=0; r=$START_RATE
  if [ -n "$known" ]; then
    log "== $target: max given as $known cps"
    good=$known; r=$(( MAX_RATE + 1 ))
  else
    log "== $target: searching the highest rate with < 0.1% failed calls ($DUR s steps)"
  fi
  while [ "$r" -le "$MAX_RATE" ]; do
    if step "$target" "$r"; then good=$r; r=$(( r * 2 )); else bad=$r; break; fi
  done
  if [ "$bad" -gt 0 ] && [ "$good" -gt 0 ]; then
    for _ in 1 2 3; do
      mid=$(( (good + bad) / 2 / 50 * 50 ))
      [ "$mid" -le "$good" ] && break
      if step "$target" "$mid"; then good=$mid; else bad=$mid; fi
    done
  fi
  MAXR[$target]=$good
  log "$target: max $good cps (first failing step: ${bad:-none})"
  half=$(( good / 2 ))
  if [ "$half" -gt 0 ]; then
    line=$(probe "$target" "$half" "$HALF_DUR" rtt || true)
    HALF[$target]="$line $(percentiles)"
  fi
done

# Added latency is a difference at one rate: sipp to sipp again, at half of Ringfence's maximum.
SAME=""
if [[ " $TARGETS " == *" direct "* ]] && [ "${MAXR[ringfence]:-0}" -gt 0 ]; then
  same_rate=$(( MAXR[ringfence] / 2 ))
  line=$(probe direct "$same_rate" "$HALF_DUR" rtt || true)
  SAME="$line $(percentiles)"
fi

report() {
  echo "## SIP load: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -1), $(kamailio -v 2>/dev/null | head -1 | awk '{print $2, $3}'), node $(node --version)"
  echo
  echo "Steps of ${DUR} s; pass = fewer than 0.1% of the step's calls failed or unfinished. Rules for Ringfence: ${RULES_SRC#$ROOT/}."
  echo "Calls: INVITE/100/180/200/ACK, 200 ms hold, BYE/200 (uac.xml and uas.xml from test/e2e/sipp). UDP receive buffers 4 MiB everywhere."
  echo
  echo "| path | max calls/s | at half rate: calls/s | ok / failed | CPU sipp uac | CPU sipp uas | CPU proxy | INVITE→200 p50 / p90 / p99 ms |"
  echo "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |"
  for target in $TARGETS; do
    set -- ${HALF[$target]:-- - - - - - - - -}
    echo "| $target | ${MAXR[$target]} | $(( ${MAXR[$target]} / 2 )) | $2 / $3 | $4% | $5% | $([ "$target" = direct ] && echo - || echo "$6%") | $7 / $8 / $9 |"
  done
  echo
  if [ -n "${MAXR[direct]:-}" ] && [ -n "${MAXR[ringfence]:-}" ] && [ "${MAXR[direct]}" -gt 0 ]; then
    echo "- (c)/(a) = $(echo "scale=2; ${MAXR[ringfence]} / ${MAXR[direct]}" | bc -l)"
  fi
  if [ -n "${MAXR[kamailio]:-}" ] && [ -n "${MAXR[ringfence]:-}" ] && [ "${MAXR[kamailio]}" -gt 0 ]; then
    echo "- (c)/(b) = $(echo "scale=2; ${MAXR[ringfence]} / ${MAXR[kamailio]}" | bc -l)"
  fi
  if [ -n "$SAME" ] && [ -n "${HALF[ringfence]:-}" ]; then
    local d r
    read -r -a d <<<"$SAME"
    read -r -a r <<<"${HALF[ringfence]}"
    echo "- added INVITE→200 latency at $(( MAXR[ringfence] / 2 )) calls/s (half of (c)), Ringfence minus sipp to sipp at that rate: p50 $(echo "${r[6]} - ${d[6]}" | bc -l), p90 $(echo "${r[7]} - ${d[7]}" | bc -l), p99 $(echo "${r[8]} - ${d[8]}" | bc -l) ms (sipp to sipp: ${d[6]} / ${d[7]} / ${d[8]} ms)"
  fi
  echo "- CPU is percent of one core over the step's wall time (Kamailio: all its processes)."
  echo "- Each step: a fresh target, ${WARMUP} s of warm-up traffic (other callers), then the step; a failing step was run up to $(( RETRIES + 1 )) times. Kamailio: ${KAM_CHILDREN} children, ${KAM_SHM} MB shared memory.$([ "$PIN" = 1 ] && echo ' Pinned: sipps on CPU 0, proxy on CPU 1.')"
  grep -h STATS "$WORK/ringfence.out" 2>/dev/null | tail -1 | sed 's/^/- last Ringfence run: /' || true
}

report | tee "${OUT:-$WORK/results.md}"
log "work files in $WORK"
