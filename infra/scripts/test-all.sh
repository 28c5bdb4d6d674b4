#!/usr/bin/env bash
# The whole test suite: set-up, typecheck, lint, unit and integration tests (real PostgreSQL,
# Redis and throwaway Mosquitto brokers). Uses its own database and queue prefix, never the demo's.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kgz_em_test}"
export QUEUE_PREFIX="${TEST_QUEUE_PREFIX:-em-test}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
export NODE_ENV=test

# Tests start throwaway brokers of their own; the platform's broker is not needed here.
EM_SKIP_BROKER=1 bash infra/scripts/setup.sh
echo "[test] typecheck"; npx tsc --noEmit -p tsconfig.json
echo "[test] typecheck the web UI"; npx tsc --noEmit -p dashboard/web/tsconfig.json
echo "[test] lint"; npx eslint .
echo "[test] unit and integration tests"; npx vitest run
