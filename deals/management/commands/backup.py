import datetime
import gzip
import io
import os
import tempfile
from contextlib import closing, contextmanager
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

# Rebuilt by `migrate` on the target database, or worthless after a restore (the search documents: by `restore`).
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission", "deals.dealsearch", "deals.companysearch", "deals.sourcesearch"}
SUFFIXES = (".jsonl", ".jsonl.gz")


class Command(BaseCommand):
    help = (
        "Write every row of the database (content, history, users, groups), as one consistent snapshot, to a "
        "JSON Lines file, gzipped if .gz; `restore` loads it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Output file (default: backups/dealsite-<timestamp>.jsonl.gz).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args, path=None, database=DEFAULT_DB_ALIAS, **options):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(path or f"backups/dealsite-{stamp}.jsonl.gz")
        if not target.name.endswith(SUFFIXES):
            raise CommandError(f"Name the backup file .jsonl or .jsonl.gz, not {target.name}.")
        target.parent.mkdir(parents=True, exist_ok=True)
        with written_atomically(target) as stream, one_snapshot(database):
            count = dump(stream, database)
        self.stdout.write(self.style.SUCCESS(f"Backup of {count} rows written to {target}"))


def models_to_back_up(using: str) -> list:
    """Every concrete model, in the order `dumpdata` would write them (referenced rows first where it can)."""
    app_list = {
        app_config: None
        for app_config in apps.get_app_configs()
        if app_config.models_module is not None and app_config.label not in EXCLUDED_APPS
    }
    return [
        model
        for model in serializers.sort_dependencies(app_list.items(), allow_cycles=True)
        if model._meta.label_lower not in EXCLUDED_MODELS
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
    ]


def dump(stream, using: str) -> int:
    count = 0

    def rows():
        nonlocal count
        for model in models_to_back_up(using):
            for row in model._base_manager.using(using).order_by(model._meta.pk.name).iterator():
                count += 1
                yield row

    # Natural keys for the rows `migrate` makes anew (content types, permissions), whose ids may differ.
    # Closed at once on an error, so that a server-side cursor is closed before its transaction rolls back.
    with closing(rows()) as objects:
        Serializer().serialize(objects, stream=stream, use_natural_foreign_keys=True, use_natural_primary_keys=False)
    return count


@contextmanager
def one_snapshot(using: str):
    """Every table read as of one moment: rows written meanwhile are in none of them, not in some.

    PostgreSQL: one REPEATABLE READ, READ ONLY transaction (its snapshot is taken at the first query).
    SQLite: one read transaction (its read lock, or in WAL mode its snapshot, lasts until it ends).
    Inside a transaction the caller opened (a test's), that transaction decides what is seen.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@contextmanager
def written_atomically(target: Path):
    """A text stream whose content becomes `target` only once all of it is on disk.

    It is written to a temporary file beside the target, flushed and fsynced, then renamed over it: a backup
    that fails leaves no file under the target's name (and an earlier file of that name as it was).
    """
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    try:
        with open(fd, "wb") as raw:
            compressed = (
                gzip.GzipFile(filename=target.name.removesuffix(".gz"), fileobj=raw, mode="wb")
                if (target.suffix == ".gz")
                else None
            )
            text = io.TextIOWrapper(compressed or raw, encoding="ascii", newline="\n")
            yield text
            text.flush()
            text.detach()
            if compressed is not None:
                compressed.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    """JSON Lines, as `loaddata` reads them (Django's `jsonl`), carrying any text exactly as stored.

    Not XML: Django's XML serializer refuses control characters, and its deserializer strips every value
    (leading and trailing spaces, a CRLF's CR). JSON escapes whatever a string holds; in ASCII, no character
    of the text can end a line of the file.
    """

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = Encoder
        self.json_kwargs["ensure_ascii"] = True
