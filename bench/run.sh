#!/usr/bin/env bash
# KubeHa benchmarks (bench/README.md). Needs root, the lab's prerequisites, Chromium and ansible (Debian packages).
#   bench/run.sh            full run: overhead, scale 10/50/100, live log + 500,000-line log; writes bench/results/
#   bench/run.sh --quick    smoke (about a minute): 3-host overhead with forks 5, scale 3, a short log stream;
#                           writes artifacts/bench-quick/. Fails only when the harness breaks, never on a figure.
#   bench/run.sh SCENARIO [ARGS]   one scenario: overhead | scale --workers N | livelog   (add --quick for the small one)
# Every scenario holds the machine-global lab lock (/tmp/kubeha-lab.lock) while it runs and leaves the lab down.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}

command -v ansible-playbook >/dev/null || { echo "ansible-playbook missing: tests/scripts/install-prerequisites.sh installs ansible-core" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium missing: apt-get install -y chromium" >&2; exit 1; }

if [ "${KUBEHA_BENCH_NO_BUILD:-0}" != "1" ]; then
    dotnet build bench/KubeHa.Bench -c "$configuration" -nologo -clp:ErrorsOnly >/dev/null || { echo "build failed" >&2; exit 1; }
fi
bench="$root/bench/KubeHa.Bench/bin/$configuration/net10.0/KubeHa.Bench.dll"

quick=0
[ "${1:-}" = "--quick" ] && quick=1
out=${KUBEHA_BENCH_OUT:-$root/bench/results}
[ $quick = 1 ] && out=${KUBEHA_BENCH_OUT:-$root/artifacts/bench-quick}
mkdir -p "$out"

scenario() {
    # The exact command of each figure, as the JSON and the README record it.
    local line="bench/run.sh $*"
    # Run from the output directory: WebApplicationFactory finds the app's content root through the manifest there.
    # Under an outer holder of the lock (KUBEHA_LAB_LOCKED=1 already set, e.g. a whole CI run under flock) taking it
    # again would wait for ourselves.
    local lock=(flock /tmp/kubeha-lab.lock)
    [ "${KUBEHA_LAB_LOCKED:-0}" = "1" ] && lock=()
    (cd "$(dirname "$bench")" && KUBEHA_BENCH_COMMAND="$line" "${lock[@]}" env KUBEHA_LAB_LOCKED=1 dotnet "$bench" "$@" --out "$out")
}

case "${1:-}" in
    overhead|scale|livelog) scenario "$@" || { echo "bench/run.sh $*: FAILED (reason above; no figure kept)" >&2; exit 1; }
        (cd "$(dirname "$bench")" && dotnet "$bench" report --out "$out" >/dev/null); exit 0 ;;
esac

failed=0
if [ $quick = 1 ]; then
    rm -f "$out"/*.json
    scenario overhead --quick || failed=1
    scenario scale --workers 1 --quick || failed=1
    scenario livelog --quick || failed=1
else
    scenario overhead || failed=1
    for n in 10 50 100; do scenario scale --workers "$n" || failed=1; done
    scenario livelog || failed=1
fi
(cd "$(dirname "$bench")" && dotnet "$bench" report --out "$out")
[ $failed = 0 ] || echo "bench/run.sh: a scenario FAILED (reasons above and in $out/*.failed.json)" >&2
exit $failed
