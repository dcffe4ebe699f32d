"""One search document per deal, company and source (deals.search keeps them and finds in them).

Each holds its record's words folded (lower case, accents removed: deals.search.text.fold), so that a search for
"credit agricole" finds "Crédit Agricole" on every database. `name` is the record's own name or title, `names` the
other names it goes by (aliases, a deal's parties, a source's publisher): a match there ranks above one only in
`text`, which holds every word and is what the index is built on (SQLite FTS5, PostgreSQL pg_trgm).
"""

from django.db import models


class SearchDocument(models.Model):
    name = models.TextField()
    names = models.TextField()
    text = models.TextField()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class DealSearch(SearchDocument):
    """A deal's title, summary, and its parties' names and aliases."""

    deal = models.OneToOneField(
        "deals.Deal", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )


class CompanySearch(SearchDocument):
    """A company's name and aliases."""

    company = models.OneToOneField(
        "deals.Company", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )


class SourceSearch(SearchDocument):
    """A source's title and publisher."""

    source = models.OneToOneField(
        "deals.Source", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
