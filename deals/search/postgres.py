"""PostgreSQL: a GIN index of trigrams (pg_trgm) on each search document table's `text`.

LIKE '%word%' then reads the index for a word of three characters or more, so a part of a word matches as it does
on SQLite; a shorter word is read from the documents (the index narrows nothing for it). Full-text search's
tsvector was not chosen: it matches whole words (or their beginnings), where visitors expect "ropic" to find
Anthropic as the lists always did. The text is folded before it is stored, so neither unaccent nor ILIKE is needed.
Migration 0019 creates the indexes.
"""


def matching_keys(document_model, words: list[str]):
    """The keys of the documents holding every word, as a queryset of one column."""
    documents = document_model.objects.all()
    for word in words:
        documents = documents.filter(text__contains=word)
    return documents.values("pk")
