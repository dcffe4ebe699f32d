"""A list page's SQL is compiled once per list, filters and page (deals.lists.counts.FilteredRows): asked again, the page
builds no queryset, but it reads the rows afresh, and every other filter value or page gets its own SQL."""

import datetime
import re

import pytest

from deals.lists.counts import FilteredRows
from deals.lists.filters import CompanyFilterSet, DealFilterSet
from deals.models import Company, Publication
from tests.factories import CompanyFactory, make_deal
from tests.money_world import buys, company, invests

pytestmark = pytest.mark.django_db


def api_titles(api_client, params) -> list[str]:
    response = api_client.get("/api/v1/deals/", params)
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def page_titles(client, params) -> list[str]:
    response = client.get("/deals/", params)
    assert response.status_code == 200
    return [deal.title for deal in response.context["page"].object_list]


@pytest.mark.parametrize("titles", [api_titles, page_titles], ids=["api", "pages"])
def test_a_page_asked_again_shows_what_changed_since(titles, client, api_client):
    get = api_client if titles is api_titles else client
    investor = CompanyFactory(slug="investor")
    make_deal(investor, CompanyFactory(), title="Old", announced_on=datetime.date(2020, 1, 1))
    for params in ({"investor": "investor"}, {"kind": "equity"}, {"investor": "investor", "ordering": "-usd"}):
        assert titles(get, params) == ["Old"]
    new = make_deal(investor, CompanyFactory(), title="New", announced_on=datetime.date(2021, 1, 1))
    assert titles(get, {"investor": "investor"}) == ["New", "Old"]
    assert titles(get, {"kind": "equity"}) == ["New", "Old"]
    new.title = "Renamed"
    new.save()
    assert titles(get, {"investor": "investor", "ordering": "-usd"}) == ["Old", "Renamed"]
    new.publication = Publication.DRAFT
    new.save()
    assert titles(get, {"investor": "investor"}) == ["Old"]


@pytest.mark.parametrize("titles", [api_titles, page_titles], ids=["api", "pages"])
def test_each_filter_value_and_page_has_its_own_rows(titles, client, api_client):
    get = api_client if titles is api_titles else client
    first, second = CompanyFactory(slug="first"), CompanyFactory(slug="second")
    for year in (2020, 2021, 2022):
        make_deal(first, CompanyFactory(), title=f"First {year}", announced_on=datetime.date(year, 1, 1))
        make_deal(second, CompanyFactory(), title=f"Second {year}", announced_on=datetime.date(year, 1, 1))
    assert titles(get, {"investor": "first"}) == ["First 2022", "First 2021", "First 2020"]
    assert titles(get, {"investor": "second"}) == ["Second 2022", "Second 2021", "Second 2020"]
    assert titles(get, {"investor": "first", "announced_before": "2021-06-01"}) == ["First 2021", "First 2020"]
    assert titles(get, {"investor": "first", "announced_before": "2020-06-01"}) == ["First 2020"]
    assert titles(get, {"investor": "first", "ordering": "announced"}) == ["First 2020", "First 2021", "First 2022"]
    assert titles(get, {"investor": "first", "page_size": 2}) == ["First 2022", "First 2021"]
    assert titles(get, {"investor": "first", "page_size": 2, "page": 2}) == ["First 2020"]
    assert titles(get, {"investor": "second", "page_size": 2, "page": 2}) == ["Second 2020"]


def test_the_same_page_again_filters_no_queryset(api_client, client, monkeypatch):
    make_deal(CompanyFactory(slug="investor"), CompanyFactory())
    filtered = []
    filter_queryset = DealFilterSet.filter_queryset
    monkeypatch.setattr(
        DealFilterSet, "filter_queryset", lambda self, qs: filtered.append(1) or filter_queryset(self, qs)
    )
    for params in ({"investor": "investor", "announced_after": "2000-01-01"}, {"kind": "equity"}):
        assert len(api_titles(api_client, params)) == len(page_titles(client, params)) == 1
        assert filtered
        filtered.clear()
        assert len(api_titles(api_client, params)) == len(page_titles(client, params)) == 1
        assert not filtered


def test_a_filterset_whose_rows_depend_on_more_than_its_values_is_refused():
    """FilterSets say whether their values decide their rows (values_decide_rows); the companies' do not."""
    filterset = CompanyFilterSet({}, queryset=Company.objects.all())
    with pytest.raises(TypeError, match="more than its filters' values"):
        FilteredRows(filterset, start="companies", published_only=True)


def test_the_alliances_of_a_company_follow_its_group(client, django_capture_on_commit_callbacks):
    """A company's alliances are its group's: the same filter values look for another group once the parent
    changes, though the page's SQL was compiled for the first."""
    with django_capture_on_commit_callbacks(execute=True):
        amazon, aws, anthropic, google = company("amazon"), company("aws"), company("anthropic"), company("google")
        aws.parent = amazon
        aws.save()
        invests(aws, anthropic, 4)
        invests(google, CompanyFactory(slug="other"), 1)

    def alliances_of_aws() -> list[str]:
        response = client.get("/alliances/", {"company": "aws"})
        assert response.status_code == 200
        return [alliance.slug for alliance in response.context["page"].object_list]

    assert alliances_of_aws() == ["amazon--anthropic"]
    with django_capture_on_commit_callbacks(execute=True):
        aws.parent = google
        aws.save()
    assert alliances_of_aws() == ["anthropic--google"]


def test_the_circular_page_of_a_company_follows_its_group(client, django_capture_on_commit_callbacks):
    """Loops are folded by group: the same filter values look for another loop member once the parent changes."""
    with django_capture_on_commit_callbacks(execute=True):
        amazon, aws, anthropic, google = company("amazon"), company("aws"), company("anthropic"), company("google")
        aws.parent = amazon
        aws.save()
        invests(amazon, anthropic, 4)
        buys(anthropic, aws, 1)
        invests(google, anthropic, 3)
        buys(anthropic, google, 2)

    def loops_of_aws() -> list[set[str]]:
        page = client.get("/circular/", {"company": "aws"}).content.decode()
        titles = re.findall(r'class="loop-title">(.*?)</h3>', page, re.DOTALL)
        return [set(re.findall(r'href="/companies/([\w-]+)/"', title)) for title in titles]

    assert loops_of_aws() == [{"amazon", "anthropic"}]
    with django_capture_on_commit_callbacks(execute=True):
        aws.parent = google
        aws.save()
    assert loops_of_aws() == [{"google", "anthropic"}]
