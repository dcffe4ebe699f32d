from django.db import models


class SortIndex(models.Index):
    """An index that serves the lists' sorts, where empty values go last: `ORDER BY x DESC NULLS LAST`.

    Give descending fields as "-x". SQLite sorts NULLs lowest, so a plain descending index already
    ends with them (and SQLite refuses NULLS LAST in an index); PostgreSQL sorts NULLs highest, so its
    descending columns are created DESC NULLS LAST, or the index could not serve the sort.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        statement = super().create_sql(model, schema_editor, using=using, **kwargs)
        if schema_editor.connection.vendor == "postgresql":
            columns = statement.parts["columns"]
            columns.col_suffixes = [
                f"{suffix} NULLS LAST" if suffix == "DESC" else suffix for suffix in columns.col_suffixes
            ]
        return statement
