"""List totals are remembered under the content version (deals.lists.counts): a repeated list reads its total from the
cache, and every change that can move a total (a deal published, unpublished or deleted, a party moved, a source
cited, the circular deals rebuilt, a bulk load) shows at once in the pages and the API."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.core.choices import DealKind
from deals.models import Deal, Publication
from tests.factories import CompanyFactory, SourceFactory, make_deal
from tests.money_world import buys, company, invests

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Inside this block saves are not committed yet: the circular deals are rebuilt when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def shown_total(client, url, params=None) -> int:
    html = client.get(url, params).content.decode()
    found = re.search(r"Showing [\d,]+–[\d,]+ of ([\d,]+)", html)
    return int(found.group(1).replace(",", "")) if found else 0


def api_total(api_client, url, params=None) -> int:
    response = api_client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def queries(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_repeated_list_reads_its_total_from_the_cache(client, api_client):
    investor = CompanyFactory(slug="investor")
    for _ in range(3):
        make_deal(investor, CompanyFactory())
    for get, url in ((client, "/deals/"), (api_client, "/api/v1/deals/")):
        caches["default"].clear()
        first = queries(get, url, {"investor": "investor"})
        again = queries(get, url, {"investor": "investor", "page_size": 2})
        assert sum(sql.startswith("SELECT COUNT(*)") for sql in first) == 1
        assert sum(sql.startswith("SELECT COUNT(*)") for sql in again) == 0
        # The page's facets (deals.lists.facets) are counted once too.
        facets = sum('"facet_rows"' in sql for sql in first)
        assert facets == (6 if url == "/deals/" else 0)
        assert not any('"facet_rows"' in sql for sql in again)
        # Neither counted nor looked up again (the investor's slug: deals.lists.filters).
        assert len(again) == len(first) - 2 - facets
    assert shown_total(client, "/deals/", {"investor": "investor"}) == 3
    assert api_total(api_client, "/api/v1/deals/", {"investor": "investor"}) == 3


def test_totals_follow_publishing_unpublishing_moving_and_deleting(client, api_client):
    investor, other = CompanyFactory(slug="investor"), CompanyFactory(slug="other")
    deals = [make_deal(investor, CompanyFactory()) for _ in range(2)]
    draft = make_deal(investor, CompanyFactory(), published=False)
    make_deal(CompanyFactory(), investor)  # keeps the investor's page (and slug filter) whatever happens to the rest

    def totals():
        return (
            shown_total(client, "/deals/", {"investor": "investor"}),
            api_total(api_client, "/api/v1/deals/", {"investor": "investor"}),
            shown_total(client, "/deals/"),
        )

    assert totals() == (2, 2, 3)
    draft.publication = Publication.PUBLISHED
    draft.save()
    assert totals() == (3, 3, 4)
    deals[0].publication = Publication.DRAFT
    deals[0].save()
    assert totals() == (2, 2, 3)
    party = deals[1].parties.get(company=investor)
    party.company = other
    party.save()
    assert totals() == (1, 1, 3)
    Deal.objects.get(pk=draft.pk).delete()
    assert totals() == (0, 0, 2)


def test_the_sources_total_follows_a_new_citation(api_client):
    deal = make_deal(CompanyFactory(), CompanyFactory())
    before = api_total(api_client, "/api/v1/sources/")
    deal.citations.create(source=SourceFactory(), supports="general")
    assert api_total(api_client, "/api/v1/sources/") == before + 1


def test_the_circular_total_follows_the_rebuild_after_the_commit(client, api_client, committed):
    with committed():
        a, b, c = company("a"), company("b"), company("c")
        invests(a, b, 1)
        buys(b, c, 1)
    assert api_total(api_client, "/api/v1/cycles/") == 0
    assert shown_total(client, "/circular/") == 0
    with committed():
        buys(c, a, 1)
        # Saved, the rebuild not yet run (it runs after the commit): the pages still count the old loops.
        assert api_total(api_client, "/api/v1/cycles/") == 0
    assert api_total(api_client, "/api/v1/cycles/") == 1
    assert shown_total(client, "/circular/") == 1


def test_totals_are_right_after_a_bulk_load_that_bypasses_the_signals(client, api_client):
    assert api_total(api_client, "/api/v1/deals/") == 0
    assert shown_total(client, "/deals/") == 0
    call_command("generate_demo_data", companies=30, deals=40, seed=1, stdout=StringIO())
    published = Deal.objects.filter(publication=Publication.PUBLISHED).count()
    assert published == 40
    assert api_total(api_client, "/api/v1/deals/") == published
    assert shown_total(client, "/deals/") == published


def test_deal_list_totals_are_kept_apart_by_every_filter_value_and_shared_across_orders(client, api_client):
    """The deal lists keep their totals by the filters' values (deals.lists.counts.FilteredRows), not by their SQL: each
    value gets its own total, and only the order (or page) of the same filters reads another's."""
    investor, other = CompanyFactory(slug="investor"), CompanyFactory(slug="other")
    make_deal(investor, other, announced_on=datetime.date(2020, 5, 1), kind=DealKind.CLOUD_COMPUTE)
    make_deal(investor, CompanyFactory(), announced_on=datetime.date(2021, 5, 1), amount=Decimal("5000000"))
    make_deal(investor, CompanyFactory(), announced_on=datetime.date(2023, 5, 1))
    make_deal(other, investor, announced_on=datetime.date(2022, 5, 1))
    make_deal(investor, other, published=False)
    cases = [
        ({"investor": "investor"}, 3),
        ({"investor": "other"}, 1),
        ({"investee": "investor"}, 1),
        ({"company": "investor"}, 4),
        ({"company": "other"}, 2),
        ({"investor": "investor", "announced_after": "2021-01-01"}, 2),
        ({"investor": "investor", "announced_after": "2021-01-02"}, 2),
        ({"investor": "investor", "announced_after": "2021-05-02"}, 1),
        ({"investor": "investor", "announced_before": "2020-12-31"}, 1),
        ({"investor": "investor", "kind": "cloud_compute"}, 1),
        ({"investor": "investor", "min_usd": "10000000"}, 2),
        ({"q": "Deal"}, 4),
        ({}, 4),
    ]
    for params, total in cases:
        assert shown_total(client, "/deals/", params) == total, params
        assert api_total(api_client, "/api/v1/deals/", params) == total, params
    for params, total in cases:
        for get, url in ((client, "/deals/"), (api_client, "/api/v1/deals/")):
            in_another_order = queries(get, url, {**params, "ordering": "-usd", "page_size": 1})
            assert not any(sql.startswith("SELECT COUNT(*)") for sql in in_another_order), (url, params)
        assert api_total(api_client, "/api/v1/deals/", {**params, "ordering": "announced"}) == total, params


def test_staff_and_visitors_have_their_own_api_totals(api_client, publisher):
    investor = CompanyFactory(slug="investor")
    make_deal(investor, CompanyFactory())
    make_deal(investor, CompanyFactory(), published=False)
    api_client.force_authenticate(publisher)
    assert api_total(api_client, "/api/v1/deals/", {"investor": "investor"}) == 2
    api_client.force_authenticate(None)
    assert api_total(api_client, "/api/v1/deals/", {"investor": "investor"}) == 1
