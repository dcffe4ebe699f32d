#!/usr/bin/env bash
# Fuzz the API against its own OpenAPI schema: every operation, every schemathesis check.
#
# A throwaway SQLite database gets the seed deals (plus a draft), a staff account with the
# Editors and Publishers permissions and its token; a local server serves it; schemathesis
# reads /api/v1/schema/ and exercises every operation as that account. Exit status is
# schemathesis's own: any server error or response that disagrees with the schema fails.
#
# Usage: scripts/schemathesis.sh [extra schemathesis options]; MAX_EXAMPLES (default 10) bounds the fuzzing phase.
# SCHEMATHESIS_DATABASE_URL=postgres://user@host:port/name fuzzes on PostgreSQL instead (NUL bytes, ranges and
# text types that SQLite lets through): that database is dropped and created afresh, and dropped at the end.
# SCHEMATHESIS_SERVER_LOG=path keeps the server's log.
# One worker: Hypothesis parses lambdas' source with `ast`, which CPython 3.11 does not do safely in threads.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
WORK="$(mktemp -d)"
SERVER_PID=""
# Drops (drop) or drops and creates (create) the PostgreSQL database of SCHEMATHESIS_DATABASE_URL.
postgres_database() {
  $PY - "$1" "$SCHEMATHESIS_DATABASE_URL" <<'PYTHON'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

action, url = sys.argv[1], urlsplit(sys.argv[2])
name = url.path.lstrip("/")
with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as maintenance:
    maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    if action == "create":
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
PYTHON
}
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "${SCHEMATHESIS_DATABASE_URL:-}" ]; then postgres_database drop || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${SCHEMATHESIS_DATABASE_URL:-}" ]; then
  postgres_database create
  export DATABASE_URL="$SCHEMATHESIS_DATABASE_URL"
else
  export DATABASE_URL="sqlite:///$WORK/db.sqlite3"
fi
export DEBUG=1
# Throttling is tested on its own; here it would only turn the fuzzer's requests into 429s.
export API_ANON_RATE="1000000/minute"
# No task worker runs beside this server: the API's writes rebuild their figures in the request.
export TASKS_BACKEND=immediate

$PY manage.py migrate --noinput -v0
$PY manage.py load_seed_data -v0
TOKEN="$($PY scripts/schemathesis_world.py)"

PORT="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
$PY manage.py runserver --noreload "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
  if $PY -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api/v1/schema/')" 2>/dev/null; then
    break
  fi
  sleep 0.2
done

status=0
.venv/bin/schemathesis --config-file scripts/schemathesis.toml run \
  "http://127.0.0.1:$PORT/api/v1/schema/?format=json" \
  --header "Authorization: Token $TOKEN" \
  --max-examples "${MAX_EXAMPLES:-10}" \
  --workers 1 \
  --seed "${SCHEMATHESIS_SEED:-20251123}" \
  "$@" || status=$?
[ -n "${SCHEMATHESIS_SERVER_LOG:-}" ] && cp "$WORK/server.log" "$SCHEMATHESIS_SERVER_LOG"

if grep -q "Internal Server Error" "$WORK/server.log"; then
  echo "The server logged errors:" >&2
  grep -A30 "Internal Server Error" "$WORK/server.log" | head -80 >&2
  status=1
fi
exit "$status"
