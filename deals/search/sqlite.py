"""SQLite: an FTS5 table with the trigram tokenizer over each search document table's `text`.

The FTS5 table holds no copy of the text (an external-content table, rowid = the record's key); triggers on the
document table keep it in step, so every write of a document, by the ORM or by a raw insert, updates the index.
A trigram index finds substrings of three characters or more; a shorter word is matched with LIKE on the documents.
Migration 0019 creates the tables and their triggers.
"""

from django.db.models.expressions import RawSQL

TRIGRAM = 3


def fts_table(document_model) -> str:
    return f"{document_model._meta.db_table}_fts"


def matching_keys(document_model, words: list[str]):
    """The keys of the documents holding every word, as a queryset of one column."""
    documents = document_model.objects.all()
    indexed = [word for word in words if len(word) >= TRIGRAM]
    if indexed:
        table = fts_table(document_model)
        found = RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', (fts_query(indexed),))
        documents = documents.filter(pk__in=found)
    for word in words:
        if len(word) < TRIGRAM:
            documents = documents.filter(text__contains=word)
    return documents.values("pk")


def fts_query(words: list[str]) -> str:
    """Each word as an FTS5 string (quotes doubled), so no character of it is query syntax: `"a" "b"` finds the
    documents holding both as substrings."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)
