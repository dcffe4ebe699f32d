#!/usr/bin/env bash
# Recompute every stored figure from the deals and fail on any difference (manage.py check_figures), on the
# seed deals and on generated demo data, in the database DATABASE_URL names (a throwaway SQLite file when unset).
#
# Usage: scripts/check_figures.sh [DEALS]   DEALS: how many demo deals to generate after the seed check (100000).
# On PostgreSQL it uses (and empties) the database named by CHECK_FIGURES_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
DEALS="${1:-100000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export DATABASE_URL="${CHECK_FIGURES_DATABASE_URL:-sqlite:///$WORK/figures.sqlite3}"

$PY manage.py migrate --noinput -v0
$PY manage.py flush --noinput
$PY manage.py load_seed_data -v0
# The seed's saves queued their figure tasks (deals/figures/tasks.py): the worker runs them, as it would beside the site.
$PY manage.py db_worker --batch --no-startup-delay --no-reload -v0
echo "check_figures on the seed deals:"
$PY manage.py check_figures
echo "check_figures on $DEALS generated deals:"
$PY manage.py generate_demo_data --companies $((DEALS / 10)) --deals "$DEALS" --seed 1 --flush >/dev/null
$PY manage.py db_worker --batch --no-startup-delay --no-reload -v0
$PY manage.py check_figures
