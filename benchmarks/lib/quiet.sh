# Shared by the benchmark scripts (sourced, not run): logging and waiting for a quiet machine.
# The caller may set QUIET (1-minute load average to wait below, default 1.5) and QUIET_MAX_WAIT (seconds, default 600).
log() { printf '[%s] %s\n' "$(date -u +%T)" "$*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }
QUIET="${QUIET:-1.5}" QUIET_MAX_WAIT="${QUIET_MAX_WAIT:-600}"
# Waits while the load average is above QUIET (other work on a shared machine), at most QUIET_MAX_WAIT seconds;
# echoes the load it measures at, so each figure can be recorded with it.
quiet() {
  local waited=0
  while awk -v l="$(load1)" -v q="$QUIET" 'BEGIN { exit !(l > q) }' && [ "$waited" -lt "$QUIET_MAX_WAIT" ]; do
    [ "$waited" = 0 ] && log "load average $(load1) > $QUIET: waiting (at most ${QUIET_MAX_WAIT}s)"
    sleep 10; waited=$((waited + 10))
  done
  local l; l="$(load1)"
  awk -v l="$l" -v q="$QUIET" 'BEGIN { exit !(l > q) }' && log "still busy after ${waited}s (load $l); measuring anyway"
  echo "$l"
}
