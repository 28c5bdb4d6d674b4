#!/usr/bin/env bash
# Runs the whole platform on this machine: services, migrations, the project's broker, ingest,
# alerts, the dashboard and a fleet of simulated tags. Ctrl-C stops everything it started.
#   TAGS=300 RATE=1/10s npm start
set -euo pipefail
cd "$(dirname "$0")/../.."
export EM_RUN_DIR="${EM_RUN_DIR:-$PWD/.run}"
TAGS="${TAGS:-300}"
RATE="${RATE:-1/10s}"
mkdir -p "$EM_RUN_DIR/logs"

bash infra/scripts/setup.sh
# Users first: the demo fleet's case files are opened as the district officers (POST /api/clients's code).
npx tsx infra/cli/seed-demo-users.ts
npx tsx firmware-sim/main.ts --tags "$TAGS" --seed-only
npx tsx infra/cli/broker.ts
npx tsx infra/cli/seed-demo-cases.ts

pids=()
start() {
  local name=$1; shift
  "$@" >>"$EM_RUN_DIR/logs/$name.log" 2>&1 &
  pids+=($!)
  echo "[run] $name started (pid $!, log .run/logs/$name.log)"
}
stop() {
  echo "[run] stopping"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

# node --import tsx (not npx tsx): one process per service, so stopping it stops the service.
start broker-sync node --import tsx infra/cli/broker.ts --watch
start ingest node --import tsx ingest/main.ts
start alerts node --import tsx alerts/main.ts
start dashboard node --import tsx dashboard/main.ts
url="http://${HTTP_HOST:-127.0.0.1}:${HTTP_PORT:-8080}/"
for _ in $(seq 1 150); do curl -fsS "${url}api/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "${url}api/health" >/dev/null || { echo "[run] dashboard did not come up; see .run/logs/dashboard.log"; exit 1; }
echo
echo "  Dashboard: ${url}"
echo "  API docs:  ${url}docs"
echo "  Sign in:   operator / ${DEMO_PASSWORD:-demo-password} (or officer.bishkek, supervisor.osh, ...)"
echo
# In the background with `wait`, so that a TERM to this script runs the trap at once (bash defers
# traps while a foreground child runs); its progress still prints here.
node --import tsx firmware-sim/main.ts --tags "$TAGS" --rate "$RATE" &
pids+=($!)
wait "$!"
