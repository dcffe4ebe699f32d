"""The search documents kept in step with the records they describe (deals.models.search).

deals/figures/signals.py refreshes a record's document in the transaction that saves it (a deal's also when one of its
parties or a party's company changes); bulk loads (generated data, a restore) rebuild them all.
"""

from collections import defaultdict

from django.db import transaction

from deals.models import Company, CompanySearch, Deal, DealParty, DealSearch, Source, SourceSearch
from deals.search.text import fold, joined

BATCH = 2000


def refresh_deals(keys) -> None:
    keys = set(keys)
    if not keys:
        return
    documents = []
    for start in range(0, len(keys), BATCH):
        documents += _deal_documents(sorted(keys)[start : start + BATCH])
    _replace(DealSearch, keys, documents)


def refresh_companies(keys) -> None:
    keys = set(keys)
    if keys:
        rows = Company.objects.filter(pk__in=keys).values_list("pk", "name", "aliases")
        _replace(CompanySearch, keys, [_company_document(*row) for row in rows])


def refresh_sources(keys) -> None:
    keys = set(keys)
    if keys:
        rows = Source.objects.filter(pk__in=keys).values_list("pk", "title", "publisher")
        _replace(SourceSearch, keys, [_source_document(*row) for row in rows])


def deals_of_company(company_id) -> set[int]:
    return set(DealParty.objects.filter(company_id=company_id).values_list("deal_id", flat=True))


def rebuild() -> int:
    """Every document written again from the records; returns how many there are."""
    with transaction.atomic():
        for model in (DealSearch, CompanySearch, SourceSearch):
            model.objects.all().delete()
        companies = Company.objects.order_by("pk").values_list("pk", "name", "aliases")
        CompanySearch.objects.bulk_create((_company_document(*row) for row in companies.iterator()), batch_size=BATCH)
        sources = Source.objects.order_by("pk").values_list("pk", "title", "publisher")
        SourceSearch.objects.bulk_create((_source_document(*row) for row in sources.iterator()), batch_size=BATCH)
        deal_keys = list(Deal.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(deal_keys), BATCH):
            DealSearch.objects.bulk_create(_deal_documents(deal_keys[start : start + BATCH]))
    return DealSearch.objects.count() + CompanySearch.objects.count() + SourceSearch.objects.count()


def _replace(model, keys: set, documents: list) -> None:
    model.objects.filter(pk__in=keys).delete()
    model.objects.bulk_create(documents, batch_size=BATCH)


def _deal_documents(keys: list[int]) -> list[DealSearch]:
    names = defaultdict(list)
    parties = DealParty.objects.filter(deal_id__in=keys).order_by("pk")
    for deal_id, name, aliases in parties.values_list("deal_id", "company__name", "company__aliases"):
        names[deal_id] += [name, aliases]
    documents = []
    for pk, title, summary in Deal.objects.filter(pk__in=keys).values_list("pk", "title", "summary"):
        other_names = fold(joined(*dict.fromkeys(names[pk])))
        documents.append(
            DealSearch(
                deal_id=pk, name=fold(title), names=other_names, text=fold(joined(title, summary)) + "\n" + other_names
            )
        )
    return documents


def _company_document(pk, name, aliases) -> CompanySearch:
    return CompanySearch(company_id=pk, name=fold(name), names=fold(aliases), text=fold(joined(name, aliases)))


def _source_document(pk, title, publisher) -> SourceSearch:
    return SourceSearch(source_id=pk, name=fold(title), names=fold(publisher), text=fold(joined(title, publisher)))
