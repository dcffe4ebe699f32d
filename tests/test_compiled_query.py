"""deals.lists.compiled_query: a values query compiled once per number of keys gives the rows the ORM gives."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Q
from django.db.models.query import ModelIterable

from deals.lists.compiled_query import CompiledQuery, KeyedQuery
from deals.models import Company, Deal, DealParty
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db

PARTY_VALUES = ("deal_id", "company_id", "role", "amount_usd", "company__updated_at", "company__name")


def parties_of(deal_ids):
    return DealParty.objects.filter(deal_id__in=deal_ids).order_by("deal_id", "role").values_list(*PARTY_VALUES)


def test_rows_equal_the_querysets_own_for_any_number_of_keys_and_after_other_lengths():
    deals = [
        make_deal(CompanyFactory(), CompanyFactory(), announced_on=datetime.date(2020, 1, day)) for day in (1, 2, 3)
    ]
    party = deals[0].parties.first()
    party.amount, party.currency = Decimal("12.5"), "USD"
    party.save()
    query = KeyedQuery(parties_of)
    named = KeyedQuery(lambda ids: parties_of(ids).values_list(*PARTY_VALUES, named=True))
    for ids in ([deals[0].pk], [deal.pk for deal in deals], [deals[2].pk, deals[0].pk], [deals[1].pk]):
        expected = list(parties_of(ids))
        assert query.rows(ids) == expected
        assert named.rows(ids) == list(parties_of(ids).values_list(*PARTY_VALUES, named=True))
        assert [row.company__name for row in named.rows(ids)] == [row[-1] for row in expected]
    amounts = {row[3] for row in query.rows([deals[0].pk])}
    assert Decimal("12.50") in amounts and all(isinstance(value, Decimal) for value in amounts if value is not None)
    assert all(isinstance(row[4], datetime.datetime) for row in query.rows([deals[0].pk]))
    assert query.rows([]) == []


def test_text_keys_find_their_rows():
    CompanyFactory(slug="alpha", name="Alpha"), CompanyFactory(slug="beta", name="Beta")
    by_slug = KeyedQuery(lambda slugs: Company.objects.filter(slug__in=slugs).values_list("name"), key_type=str)
    assert by_slug.rows(["beta"]) == [("Beta",)]
    assert sorted(by_slug.rows(["alpha", "beta"])) == [("Alpha",), ("Beta",)]
    assert by_slug.rows(["gamma"]) == []


def test_a_query_that_takes_a_key_twice_is_refused():
    twice = KeyedQuery(lambda ids: Company.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids)).values_list("pk"))
    with pytest.raises(ValueError, match="each key once"):
        twice.rows([1])


def test_a_compiled_query_gives_the_rows_its_queryset_gives():
    make_deal(CompanyFactory(name="Alpha"), CompanyFactory(name="Beta"), amount=Decimal("2500000"))
    deals = Deal.objects.with_citation_count().order_by("pk")
    shapes = [
        deals.only("title", "amount"),
        deals.values("title", "citation_count", "amount", "updated_at"),
        deals.values_list("citation_count", "title"),
        deals.values_list("title", flat=True),
        deals.values_list("title", "amount", named=True),
    ]
    for queryset in shapes:
        compiled = CompiledQuery(queryset)
        for _ in range(2):
            rows = compiled.run()
            expected = list(queryset.all())
            if queryset._iterable_class is ModelIterable:
                rows = [
                    (deal.pk, deal.title, deal.amount, deal.citation_count, deal.get_deferred_fields()) for deal in rows
                ]
                expected = [
                    (deal.pk, deal.title, deal.amount, deal.citation_count, deal.get_deferred_fields())
                    for deal in expected
                ]
            assert rows == expected
    assert CompiledQuery(Deal.objects.filter(pk__in=[])).run() == []
    with pytest.raises(TypeError):
        CompiledQuery(DealParty.objects.prefetch_related("company"))


def test_the_objects_select_related_reads_come_with_their_rows(django_assert_num_queries):
    holding = CompanyFactory(slug="holding", name="Holding")
    unit = CompanyFactory(slug="unit", name="Unit", parent=holding)
    make_deal(unit, CompanyFactory(slug="lab", name="Lab"), amount=Decimal("7.25"))
    parties = (
        DealParty.objects.select_related("company__parent", "deal")
        .only("role", "amount", "company__name", "company__parent__slug", "deal__title")
        .order_by("pk")
    )
    compiled = CompiledQuery(parties)
    expected = shown(parties)
    for _ in range(2):
        with django_assert_num_queries(1):
            rows = shown(compiled.run())
        assert rows == expected
    assert [row[3] for row in expected] == ["holding", None]


def shown(parties) -> list[tuple]:
    """What a page would show of each party: its own columns and those of the objects read with it."""
    return [
        (
            party.role,
            party.amount,
            party.company.name,
            party.company.parent and party.company.parent.slug,
            party.deal.title,
        )
        for party in parties
    ]
