#!/usr/bin/env bash
# 60 seconds, 32 concurrent clients, against gunicorn on loopback; fails on any error response.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${LOADTEST_PORT:-8011}"
DURATION="${LOADTEST_DURATION:-60s}"
USERS="${LOADTEST_USERS:-32}"
OUT=loadtest/results
mkdir -p "$OUT"

[ -x loadtest/.venv/bin/locust ] || { python3 -m venv loadtest/.venv && loadtest/.venv/bin/pip install -q locust==2.47.0; }

# Production settings on plain HTTP (no TLS on loopback). 32 clients share one address, so the anonymous
# API rate is raised for the run: otherwise the throttle would rightly answer most requests with 429.
export DEBUG=0 SECURE_SSL_REDIRECT=0 SECRET_KEY="loadtest-only-$(date +%s)-not-a-production-secret-key-000000" \
  ALLOWED_HOSTS=127.0.0.1 API_ANON_RATE="${API_ANON_RATE:-1000000/minute}"
# A database of its own holding exactly the seed deals, made afresh on each run (LOADTEST_DATABASE_URL to change).
DB_FILE=loadtest/seed.sqlite3
export DATABASE_URL="${LOADTEST_DATABASE_URL:-sqlite:///$PWD/$DB_FILE}"
[ -n "${LOADTEST_DATABASE_URL:-}" ] || rm -f "$DB_FILE"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_seed_data -v0
# The seed's figures (alliances, totals, circular deals) are queued tasks: run them before serving.
.venv/bin/python manage.py db_worker --batch --no-startup-delay --no-reload -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn dealsite.wsgi --bind "127.0.0.1:$PORT" --workers 3 --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

loadtest/.venv/bin/locust -f loadtest/locustfile.py --headless -u "$USERS" -r "$USERS" -t "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/stats" --only-summary >/dev/null 2>"$OUT/locust.log" || true

python3 - "$OUT/stats_stats.csv" <<'PY'
import csv, sys
rows = {row["Name"]: row for row in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
print(f"{'endpoint':32} {'requests':>9} {'failures':>9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
for name, row in rows.items():
    print(f"{name:32} {row['Request Count']:>9} {row['Failure Count']:>9} {float(row['Requests/s']):8.1f} "
          f"{row['50%']:>7} {row['99%']:>7}")
sys.exit(1 if int(total["Failure Count"]) else 0)
PY
