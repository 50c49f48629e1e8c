#!/usr/bin/env bash
# Runs the whole KubeHa test suite: installs missing Debian prerequisites, builds once, runs every test project,
# prints "N passed, N failed", and fails when a test fails, a project ran no test, or no test ran at all
# (a stale obj/ can make `dotnet test` print nothing and exit 0; counting TRX results per project catches that).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

bash tests/scripts/install-prerequisites.sh || { echo "could not install test prerequisites"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}

dotnet restore KubeHa.sln --force-evaluate >/dev/null || { echo "restore failed"; exit 1; }
dotnet build KubeHa.sln -c "$configuration" --no-restore -nologo -clp:ErrorsOnly || { echo "build failed"; exit 1; }

results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

mapfile -t projects < <(dotnet sln KubeHa.sln list | grep -E '^tests/.*(Tests|E2E)\.csproj$' | sort)

user_filter="${TEST_FILTER:-}"

# Lab tests (Category=Lab: simulated cluster hosts in network namespaces) run by default; they are part of the gate.
# KUBEHA_LAB_TESTS=0 leaves them out (e.g. on a machine without network namespaces).
if [ "${KUBEHA_LAB_TESTS:-1}" = "0" ]; then
    echo "Lab tests skipped (KUBEHA_LAB_TESTS=0)."
    mapfile -t projects < <(printf '%s\n' "${projects[@]}" | grep -v 'KubeHa.Lab.Tests')
    TEST_FILTER="${TEST_FILTER:+$TEST_FILTER&}Category!=Lab"
fi
if [ ${#projects[@]} -eq 0 ]; then echo "no test projects found in KubeHa.sln"; exit 1; fi

failed_projects=()
for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    echo "=== $name"
    dotnet test "$project" -c "$configuration" --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
        --results-directory "$results" ${TEST_FILTER:+--filter "$TEST_FILTER"} \
        || failed_projects+=("$name")
done

total_passed=0 total_failed=0 total_skipped=0
for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    trx="$results/$name.trx"
    if [ ! -f "$trx" ]; then
        echo "$name: no test results (did the project build and run?)"
        failed_projects+=("$name")
        continue
    fi
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    executed=$(get executed); passed=$(get passed); failed=$(get failed); notexec=$(get notExecuted)
    echo "$name: executed ${executed:-0}, passed ${passed:-0}, failed ${failed:-0}, not executed ${notexec:-0}"
    if [ "${executed:-0}" -eq 0 ] && [ -z "$user_filter" ]; then
        echo "$name: no test ran"
        failed_projects+=("$name")
    fi
    total_passed=$((total_passed + ${passed:-0}))
    total_failed=$((total_failed + ${failed:-0}))
    total_skipped=$((total_skipped + ${notexec:-0}))
done

# Benchmark smoke (bench/run.sh --quick, 3-4 minutes on the lab): fails only when the harness breaks, never on a
# figure. KUBEHA_BENCH_SMOKE=0 skips it.
if [ "${KUBEHA_BENCH_SMOKE:-1}" = "1" ] && [ -z "$user_filter" ]; then
    echo "=== bench smoke"
    KUBEHA_BENCH_NO_BUILD=1 CONFIGURATION="$configuration" bash bench/run.sh --quick || failed_projects+=("bench-smoke")
fi

echo
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
if [ "$total_passed" -eq 0 ]; then echo "no test ran"; exit 1; fi
if [ ${#failed_projects[@]} -gt 0 ] || [ "$total_failed" -gt 0 ]; then
    echo "FAILED: ${failed_projects[*]}"
    # The failed tests by name with the first line of their message, last, where a CI summary's tail shows them.
    for trx in "$results"/*.trx; do
        [ -f "$trx" ] || continue
        python3 - "$trx" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") != "Failed":
        continue
    m = r.find("./t:Output/t:ErrorInfo/t:Message", ns)
    first = (m.text or "").strip().splitlines()[0][:300] if m is not None and m.text else ""
    print(f"  failed: {r.get('testName')}: {first}")
PY
    done
    exit 1
fi
