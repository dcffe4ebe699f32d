"""PostgreSQL timestamps read with the standard library's C parser instead of a regular expression per value.

Django reads each `timestamptz` through psycopg's pure-Python loader, then sets the connection's time zone on
it: about 3 µs a value, 0.7 ms for the 256 update times behind an API page of 50 deals (its Last-Modified).
Django's connections run in UTC (USE_TZ), where PostgreSQL writes a timestamp in ISO form ending in "+00";
`datetime.fromisoformat` reads that in under 1 µs. Anything else (another offset, a year before 1 or after
9999, infinity) is read the usual way, so every value comes out as Django's own loader gives it.
"""

import datetime

from django.db.backends.postgresql.psycopg_any import BaseTzLoader

UTC_SUFFIX = b"+00"


class UtcTimestampLoader(BaseTzLoader):
    """Django's loader (BaseTzLoader), with a fast path for timestamps written in UTC."""

    timezone = datetime.UTC

    def load(self, data):
        text = bytes(data)
        if text.endswith(UTC_SUFFIX):
            try:
                return datetime.datetime.fromisoformat(text.decode()).replace(tzinfo=self.timezone)
            except ValueError:
                pass
        return super().load(data)


def install(sender, connection, **kwargs) -> None:
    """connection_created receiver: on a PostgreSQL connection in UTC with ISO dates, read timestamps fast."""
    if connection.vendor != "postgresql" or connection.timezone != datetime.UTC:
        return
    if not (connection.connection.info.parameter_status("DateStyle") or "").startswith("ISO"):
        return
    connection.connection.adapters.register_loader("timestamptz", UtcTimestampLoader)
