#!/usr/bin/env bash
# Idempotent set-up of everything the platform needs on a Debian machine:
#   1. installs PostgreSQL, Redis, Mosquitto and Chromium with apt-get if they are missing,
#   2. starts any of them that is down,
#   3. installs npm dependencies (and checks that native modules really built),
#   4. creates the database, runs the migrations and imports the administrative units,
#   5. starts the project's own Mosquitto (infra/mosquitto config) on its own port, or makes a
#      running one reload its device credentials.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf '[setup] %s\n' "$*"; }
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

missing=()
command -v psql >/dev/null && command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v mosquitto >/dev/null || missing+=(mosquitto)
# The browser tests drive Debian's Chromium with playwright-core (no bundled browser download).
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  log "starting PostgreSQL"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  $SUDO mkdir -p /var/lib/redis /var/log/redis
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  log "starting the system Mosquitto (the platform itself uses its own broker)"
  $SUDO mosquitto -d -c /etc/mosquitto/mosquitto.conf || log "system Mosquitto did not start; the project broker does not need it"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies"
  # Not `npm ci`: with omit-lockfile-registry-resolved (set on these machines) the lock file lacks
  # other platforms' optional packages and `npm ci` refuses it; `npm install` honours the locked
  # versions all the same.
  npm install --no-audit --no-fund
fi
# npm 11 may hold back install scripts: prove the native and binary pieces are really there.
node -e "require('msgpackr-extract')" 2>/dev/null || { log "msgpackr-extract native module missing; rebuilding"; npm rebuild msgpackr-extract; }
node -e "require('esbuild').transformSync('let a: number = 1', { loader: 'ts' })" >/dev/null || { log "esbuild binary missing; rebuilding"; npm rebuild esbuild; }

log "migrating ${DATABASE_URL:-default database}"
npx tsx infra/cli/migrate.ts
npx tsx infra/cli/import-units.ts
if [ "${EM_SKIP_BROKER:-}" != "1" ]; then
  log "starting the project broker"
  npx tsx infra/cli/broker.ts
fi
# The web UI (dashboard/web, Vite): built when missing or older than any of its sources.
web_stamp=dashboard/web/dist/index.html
if [ ! -f "$web_stamp" ] || [ -n "$(find dashboard/web package-lock.json -path dashboard/web/dist -prune -o -type f -newer "$web_stamp" -print -quit)" ]; then
  log "building the web UI"
  npm run --silent build:web
fi
log "done"
