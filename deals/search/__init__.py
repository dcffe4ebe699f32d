"""Indexed search over deals, companies, sources and alliances: one interface, a backend per database.

`matching(queryset, q)` keeps the rows whose search document (deals.models.search) holds every word of `q`, as a
part of a word, ignoring case and accents, and annotates each with `search_rank`; `by_relevance` orders by it,
before the queryset's own order. An alliance matches when each word is in either company's document.

Words shorter than the index's trigrams (one or two characters) still match: SQLite reads them with LIKE from the
documents the other words leave (or from every document, when no word is long enough), PostgreSQL likewise.
"""

from django.db import connections
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest

from deals.models import Alliance, Company, CompanySearch, Deal, DealSearch, Source, SourceSearch
from deals.search import postgres, sqlite
from deals.search.text import terms

DOCUMENTS = {Deal: DealSearch, Company: CompanySearch, Source: SourceSearch}
RANK = "search_rank"


def backend(using: str):
    return postgres if connections[using].vendor == "postgresql" else sqlite


def matching(queryset, q: str):
    """The rows of `queryset` that match `q`, each with its `search_rank` (higher is better)."""
    words = terms(q)
    if not words:
        return queryset.annotate(**{RANK: Value(0)})
    keys = backend(queryset.db).matching_keys
    if queryset.model is Alliance:
        for word in words:
            companies = keys(CompanySearch, [word])
            queryset = queryset.filter(Q(company_a__in=companies) | Q(company_b__in=companies))
        rank = Greatest(_rank("company_a__search_document__", words), _rank("company_b__search_document__", words))
        return queryset.annotate(**{RANK: rank})
    document = DOCUMENTS[queryset.model]
    return queryset.filter(pk__in=keys(document, words)).annotate(**{RANK: _rank("search_document__", words)})


def by_relevance(queryset):
    """The best matches first; ties in the queryset's own order (its order_by, else its model's)."""
    query = queryset.query
    order = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    return queryset.order_by(F(RANK).desc(), *order)


def _rank(document: str, words: list[str]):
    """How well a document matches: the whole query as its name, at the start of its name, in its name, then each
    word in its name or its other names (aliases, parties, publisher). Read only for the rows that match."""
    phrase = " ".join(words)
    name, names = f"{document}name", f"{document}names"
    whole = Case(
        When(**{name: phrase}, then=Value(30)),
        When(**{f"{name}__startswith": phrase}, then=Value(20)),
        When(**{f"{name}__contains": phrase}, then=Value(10)),
        default=Value(0),
        output_field=IntegerField(),
    )
    each = [
        Case(
            When(**{f"{name}__contains": word}, then=Value(2)),
            When(**{f"{names}__contains": word}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for word in words
    ]
    return sum(each, whole)
