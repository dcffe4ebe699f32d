#!/usr/bin/env bash
# The site as production runs it: gunicorn with WEB_CONCURRENCY workers (default 3) and the task worker
# (`manage.py db_worker`, which rebuilds the derived figures), on PostgreSQL and Redis, migrated and with the static
# files collected. Ctrl-C (or TERM) stops both; if either stops on its own, the other is stopped too and the
# script fails.
#
#   SECRET_KEY=… ALLOWED_HOSTS=dealsite.example scripts/serve_production.sh
#
# DATABASE_URL and CACHE_URL default to the local services (database `dealsite`, Redis db 0); PORT (8000) and
# BIND_HOST (127.0.0.1) say where gunicorn listens. The other settings are read as usual (README "Configuration").
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBUG="${DEBUG:-0}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dealsite}"
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/0}"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-3}"
BIND="${BIND_HOST:-127.0.0.1}:${PORT:-8000}"
PYTHON=.venv/bin/python

"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py collectstatic --noinput -v0

"$PYTHON" manage.py db_worker --no-reload &
WORKER=$!
.venv/bin/gunicorn dealsite.wsgi --workers "$WEB_CONCURRENCY" --bind "$BIND" --log-level warning &
SERVER=$!
echo "Serving http://$BIND with $WEB_CONCURRENCY workers (gunicorn $SERVER, task worker $WORKER)" >&2

stop() {
  kill -TERM "$SERVER" "$WORKER" 2>/dev/null || true
  wait "$SERVER" "$WORKER" 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM

status=0
wait -n "$SERVER" "$WORKER" || status=$?
echo "gunicorn or the task worker stopped (exit $status): stopping the other" >&2
stop
exit "$((status == 0 ? 1 : status))"
