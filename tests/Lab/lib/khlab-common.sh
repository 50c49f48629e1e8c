# shellcheck shell=bash
# Shared helpers for the shims that run inside lab hosts. Host identity comes from the host's private /etc.
# shellcheck disable=SC1091
source /etc/khlab/host.env
KHRUN=/run/khlab
KHHOST=$KHLAB_STATE/hosts/$KHLAB_NAME
mkdir -p "$KHRUN" 2>/dev/null || true

# Lab clock: real time plus a lab-wide offset (lab clock advance).
khlab_now() { echo $(( $(date +%s) + $(cat "$KHLAB_STATE/clock" 2>/dev/null || echo 0) )); }

# "slow" fault: added latency per command.
khlab_latency() { local s; [[ -f /etc/khlab/slow ]] && s=$(cat /etc/khlab/slow) && sleep "$s"; return 0; }

khlab_swap_active() { [[ -f $KHRUN/swap-active ]]; }

# Render the fake /proc/swaps and /proc/meminfo (bind-mounted files; write in place, never rename).
khlab_render_proc() {
  if khlab_swap_active; then
    printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swap.img                               file\t\t%s\t\t0\t\t-2\n' "$KHLAB_SWAP_KB" > "$KHHOST/proc-swaps"
  else
    printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n' > "$KHHOST/proc-swaps"
  fi
  local total=$((KHLAB_MEM_MB * 1024)) swap=0
  khlab_swap_active && swap=$KHLAB_SWAP_KB
  awk -v t="$total" -v s="$swap" '
    /^MemTotal:/ {printf "MemTotal:       %8d kB\n", t; next}
    /^MemFree:/ {printf "MemFree:        %8d kB\n", t*0.8; next}
    /^MemAvailable:/ {printf "MemAvailable:   %8d kB\n", t*0.85; next}
    /^SwapTotal:/ {printf "SwapTotal:      %8d kB\n", s; next}
    /^SwapFree:/ {printf "SwapFree:       %8d kB\n", s; next}
    {print}' "$KHLAB_STATE/meminfo.template" > "$KHHOST/proc-meminfo"
}

# fstab has an active (uncommented) swap entry?
khlab_fstab_swap() { grep -Eq '^[[:space:]]*[^#[:space:]][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]' /etc/fstab; }
