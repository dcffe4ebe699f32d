"""Fast inserts of many plain rows: `executemany` with primary keys chosen here, no model instances.

For loading hundreds of thousands of generated rows, Django's `bulk_create` spends most of its time
building model instances and compiling statements of at most 999 parameters on SQLite. This writes
each row as a tuple instead. Columns come from the model, with its defaults for what a row leaves
out, so the writer follows the schema. No signals are sent: derived tables must be rebuilt afterwards.
"""

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

ROWS_PER_EXECUTEMANY = 5000


class RowWriter:
    """Inserts rows given as {attname: value} dicts into one model's table, numbering them from the free keys."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.generated]
        now = timezone.now()
        self.defaults = {
            field.attname: now
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            else field.get_default()
            for field in self.fields
        }
        self.adapters = {field.attname: _adapter(field) for field in self.fields}
        self.adapters = {name: adapt for name, adapt in self.adapters.items() if adapt is not None}
        self.next_pk = (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
        self.pending: list[tuple] = []
        self.written = 0

    def add(self, row: dict) -> int:
        """Queue one row and return its primary key."""
        pk = self.next_pk
        self.next_pk += 1
        values = {**self.defaults, **row, self.model._meta.pk.attname: pk}
        for name, adapt in self.adapters.items():
            values[name] = adapt(values[name])
        self.pending.append(tuple(values[field.attname] for field in self.fields))
        if len(self.pending) >= ROWS_PER_EXECUTEMANY:
            self.flush()
        return pk

    def flush(self) -> None:
        if self.pending:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.pending)
            self.written += len(self.pending)
            self.pending = []


def _adapter(field):
    """Dates and datetimes go through the backend's own conversion (SQLite keeps datetimes naive, in UTC)."""
    if isinstance(field, models.DateTimeField):
        return _skip_none(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _skip_none(connection.ops.adapt_datefield_value)
    return None


def _skip_none(adapt):
    return lambda value: None if value is None else adapt(value)


def reset_sequences(*models_written: type[models.Model]) -> None:
    """After keys were chosen here, move the database's own counters past them (PostgreSQL needs it)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_written)):
            cursor.execute(sql)
