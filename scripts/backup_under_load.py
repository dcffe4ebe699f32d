"""`make backup` during a write load, then `make restore` of each backup into an empty database, table by table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dealsite_load \\
    RESTORE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dealsite_load_restore \\
    .venv/bin/python scripts/backup_under_load.py [--seconds 30]

Both databases must exist (or be SQLite files, which are made); both are emptied: never point them at data you
keep. The first gets the seed deals; a writer process then creates and deletes deals with their parties and
citations for --seconds, one transaction each, through the ORM, and after each commit notes a digest of every
table (it is the only writer, so nothing changes in between). Meanwhile `make backup` runs again and again. Each
backup is then restored with `make restore` into the second database, emptied first, and its tables' digests must
equal those after one of the writer's commits: nothing missing, nothing changed. Prints a line per backup and the
count of failures (a restore that fails, or a database that was never the source's); exits 1 on any.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
COMPARED_APPS = {"deals", "auth", "admin", "authtoken"}
# Renewed by a restore (deals.rules.content_version.renew); permissions are made by migrate, not restored.
SKIPPED = {"deals.ContentVersion", "auth.Permission"}
KEPT = 3  # deals the writer keeps at a time: each commit adds one and deletes the oldest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--write", metavar="STATES", help=argparse.SUPPRESS)
    parser.add_argument("--digest", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write:
        return write(Path(options.write), options.seconds)
    if options.digest:
        print(json.dumps(digests()))
        return 0
    return run(options.seconds)


def run(seconds: float) -> int:
    source, target = os.environ["DATABASE_URL"], os.environ["RESTORE_DATABASE_URL"]
    assert source != target, "two databases"
    work = ROOT / "backups" / f"load-{time.strftime('%Y%m%dT%H%M%S')}"
    work.mkdir(parents=True)
    # Restores go to copies of a migrated, empty database (`make restore` migrates first: then nothing to do).
    template = target + "_migrated"
    empty(template)
    manage(template, "migrate", "--noinput", "-v0")
    empty(source, template)
    manage(source, "load_seed_data", "-v0")
    states_file = work / "states.jsonl"
    writer = subprocess.Popen(
        [PY, __file__, "--write", str(states_file), "--seconds", str(seconds)],
        env={**os.environ, "DATABASE_URL": source, "CYCLES_REFRESH_IN_BACKGROUND": "0"},
    )
    backups = []
    time.sleep(1)
    while writer.poll() is None:
        done = subprocess.run(["make", "-s", "backup"], cwd=ROOT, env=env(source), capture_output=True, text=True)
        found = re.search(r"written to (\S+)", done.stdout)
        if done.returncode or not found:
            print(f"backup failed: {done.stdout}{done.stderr}", file=sys.stderr)
            backups.append(None)
        else:
            backups.append(ROOT / found.group(1))
    if writer.returncode:
        print("the writer failed", file=sys.stderr)
        return 2
    states = [json.loads(line) for line in states_file.read_text().splitlines()]
    print(f"{len(states) - 1} commits by the writer in {seconds:g} s, {len(backups)} backups")

    failures = 0
    for number, backup in enumerate(backups, 1):
        if backup is None:
            failures += 1
            continue
        empty(target, template)
        done = subprocess.run(
            ["make", "-s", "restore", f"FILE={backup}"], cwd=ROOT, env=env(target), capture_output=True, text=True
        )
        if done.returncode:
            failures += 1
            lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("make")]
            error = next((line for line in reversed(lines) if "Error" in line), lines[-1] if lines else "?")
            print(f"backup {number} ({backup.name}): restore FAILED: {error[:300]}")
            continue
        restored = json.loads(manage(target, "--digest", script=True))
        matches = [state["commit"] for state in states if state["tables"] == restored]
        if matches:
            print(f"backup {number} ({backup.name}): {len(restored)} tables equal to those after commit {matches[0]}")
        else:
            failures += 1
            nearest = min(states, key=lambda state: differing(state["tables"], restored))
            print(
                f"backup {number} ({backup.name}): restored, but never the source's; against commit "
                f"{nearest['commit']}, these tables differ: {', '.join(differing(nearest['tables'], restored))}"
            )
    print(f"{len(backups)} trials, {failures} failures")
    return 1 if failures else 0


def differing(expected: dict, restored: dict) -> list[str]:
    return sorted(label for label in expected.keys() | restored.keys() if expected.get(label) != restored.get(label))


def env(database_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url}


def manage(database_url: str, *args: str, script: bool = False) -> str:
    command = [PY, __file__, *args] if script else [PY, str(ROOT / "manage.py"), *args]
    return subprocess.run(command, cwd=ROOT, env=env(database_url), check=True, capture_output=True, text=True).stdout


def empty(database_url: str, template: str | None = None) -> None:
    """Drop and make again a PostgreSQL database (a copy of `template`), or an SQLite file."""
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.unlink(missing_ok=True)
        if template:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        return
    import psycopg

    base, _slash, name = database_url.rpartition("/")
    copy = f' TEMPLATE "{template.rpartition("/")[2]}"' if template else ""
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"{copy}')


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    import django

    django.setup()


def digests() -> dict[str, str]:
    """A digest of every compared table, its rows in key order (content types by what they name)."""
    setup_django()
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    # Made by migrate, so compared by what they name: their ids may differ from one database to another.
    content_types = {pk: [app, model] for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")}
    permissions = {
        pk: [app, codename]
        for pk, app, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    tables = {}
    # Many-to-many tables too (an alliance's deals, a group's permissions).
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if model._meta.app_label not in COMPARED_APPS or label in SKIPPED or model._meta.proxy:
            continue
        rows = []
        for row in model.objects.order_by("pk").values():
            if row.get("content_type_id") is not None:
                row["content_type_id"] = content_types[row["content_type_id"]]
            if row.get("permission_id") is not None:
                row["permission_id"] = permissions[row["permission_id"]]
            if model._meta.auto_created:
                del row["id"]  # a many-to-many table's rows are links, written anew under ids of their own
            rows.append(repr(sorted(row.items())))
        if model._meta.auto_created:
            rows.sort()
        tables[label] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return tables


def write(states_file: Path, seconds: float) -> int:
    setup_django()
    from django.db import transaction

    from deals.models import Citation, Company, Deal, DealParty, Role, Source

    investor, investee = Company.objects.order_by("pk")[:2]
    source = Source.objects.order_by("pk").first()
    end = time.monotonic() + seconds
    with states_file.open("w") as states:
        states.write(json.dumps({"commit": 0, "tables": digests()}) + "\n")
        commit = 0
        while time.monotonic() < end:
            commit += 1
            with transaction.atomic():
                deal = Deal.objects.create(title=f"Load deal {commit}", slug=f"load-{commit}", kind="equity")
                DealParty.objects.create(deal=deal, company=investor, role=Role.INVESTOR, amount=commit)
                DealParty.objects.create(deal=deal, company=investee, role=Role.INVESTEE)
                Citation.objects.create(deal=deal, source=source, quote=f"quote {commit}")
                oldest = Deal.objects.filter(slug=f"load-{commit - KEPT}").first()
                if oldest is not None:
                    oldest.delete()
            states.write(json.dumps({"commit": commit, "tables": digests()}) + "\n")
            states.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
