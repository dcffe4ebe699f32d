"""A timestamp column read as whole seconds since 1970, the precision of an HTTP Last-Modified.

An integer costs the database driver next to nothing to read; a datetime costs a parse of its text on SQLite and
a Python loader on PostgreSQL: a third of a millisecond for the companies of a page of 50 deals.
"""

from django.db import NotSupportedError
from django.db.models import BigIntegerField, Func
from django.utils.functional import cached_property


class EpochSeconds(Func):
    arity = 1
    output_field = BigIntegerField()

    @cached_property
    def convert_value(self):
        # Both databases give an int already: no int() of every row's value (Django's default for integers).
        return self._convert_value_noop

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"EpochSeconds is written for SQLite and PostgreSQL, not {connection.vendor}.")

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps aware datetimes in SQLite as UTC text ("2024-05-06 07:08:09.999999"), which strftime reads as
        # UTC, rounding to the millisecond: so only the first 19 characters, the whole seconds, are given. The `%`
        # is doubled twice: once for the template, once for the backend's placeholder conversion.
        template = "CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER)"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)) AS BIGINT)"
        return super().as_sql(compiler, connection, template=template, **extra_context)
