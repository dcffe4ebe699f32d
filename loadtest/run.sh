#!/usr/bin/env bash
# The production shape under load: scripts/serve_production.sh (3 gunicorn workers and the task worker) on PostgreSQL
# and Redis, holding the seed deals. Two checks, and the run fails if either does:
#   1. 60 seconds at 32 concurrent clients (locust): no error response.
#   2. The API's anonymous throttle across the workers: at API_ANON_RATE=60/minute, 200 requests from one address
#      let 60 through in all and answer the rest 429, one at a time and 6 at a time (loadtest/throttle_check.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${LOADTEST_PORT:-8011}"
DURATION="${LOADTEST_DURATION:-60s}"
USERS="${LOADTEST_USERS:-32}"
THROTTLE_RATE="${LOADTEST_THROTTLE_RATE:-60}"
OUT=loadtest/results
mkdir -p "$OUT"

[ -x loadtest/.venv/bin/locust ] || { python3 -m venv loadtest/.venv && loadtest/.venv/bin/pip install -q locust==2.47.0; }

# Production settings on plain HTTP (no TLS on loopback).
export DEBUG=0 SECURE_SSL_REDIRECT=0 SECRET_KEY="loadtest-only-$(date +%s)-not-a-production-secret-key-000000" \
  ALLOWED_HOSTS=127.0.0.1 WEB_CONCURRENCY="${LOADTEST_WORKERS:-3}" PORT
# A database and a Redis db of the load test's own (emptied on each run): LOADTEST_DATABASE_URL, LOADTEST_CACHE_URL.
export DATABASE_URL="${LOADTEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dealsite_loadtest}"
export CACHE_URL="${LOADTEST_CACHE_URL:-redis://127.0.0.1:6379/2}"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py flush --noinput -v0
.venv/bin/python manage.py load_seed_data -v0
# The seed's figures (alliances, totals, circular deals) are queued tasks: run them before serving.
.venv/bin/python manage.py db_worker --batch --no-startup-delay --no-reload -v0
.venv/bin/python -c 'import os, redis; redis.Redis.from_url(os.environ["CACHE_URL"]).flushdb()'

SERVER=
serve() {  # serve API_ANON_RATE: start the production script with that anonymous rate, wait for it to answer
  API_ANON_RATE="$1" scripts/serve_production.sh 2>>"$OUT/server.log" &
  SERVER=$!
  # It migrates and collects the static files first: up to five minutes on a loaded machine.
  for _ in $(seq 1500); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.2
  done
  echo "the server did not answer on port $PORT (see $OUT/server.log)" >&2
  exit 1
}
stop() { [ -z "$SERVER" ] || { kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }; }
trap stop EXIT
: >"$OUT/server.log"

# 1. Load. 32 clients share one address, so the anonymous rate is raised for this phase: otherwise the throttle
#    would rightly answer most of their API requests with 429.
serve 1000000/minute
loadtest/.venv/bin/locust -f loadtest/locustfile.py --headless -u "$USERS" -r "$USERS" -t "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/stats" --only-summary >/dev/null 2>"$OUT/locust.log" || true
load_status=0
python3 - "$OUT/stats_stats.csv" <<'PY' || load_status=$?
import csv, sys
rows = {row["Name"]: row for row in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
print(f"{'endpoint':32} {'requests':>9} {'failures':>9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
for name, row in rows.items():
    print(f"{name:32} {row['Request Count']:>9} {row['Failure Count']:>9} {float(row['Requests/s']):8.1f} "
          f"{row['50%']:>7} {row['99%']:>7}")
sys.exit(1 if int(total["Failure Count"]) or not int(total["Request Count"]) else 0)
PY
stop

# 2. The throttle, shared by the workers through Redis: its history starts empty.
.venv/bin/python -c 'import os, redis; redis.Redis.from_url(os.environ["CACHE_URL"]).flushdb()'
serve "$THROTTLE_RATE/minute"
throttle_status=0
python3 loadtest/throttle_check.py "http://127.0.0.1:$PORT" "$THROTTLE_RATE" 1 || throttle_status=$?
.venv/bin/python -c 'import os, redis; redis.Redis.from_url(os.environ["CACHE_URL"]).flushdb()'
python3 loadtest/throttle_check.py "http://127.0.0.1:$PORT" "$THROTTLE_RATE" 6 || throttle_status=$?
stop

[ "$load_status" -eq 0 ] || echo "FAILED: error responses under load (see $OUT/)" >&2
[ "$throttle_status" -eq 0 ] || echo "FAILED: the throttle did not hold across workers" >&2
exit $((load_status || throttle_status))
