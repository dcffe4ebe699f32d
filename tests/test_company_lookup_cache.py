"""A company filter's company is kept under the content version (deals.lists.filters.CompanySlugField): a filtered list
read again does not look the company up, and a page read after any change finds the company as it is now.
A GET reads the content version once however many things it keeps under it (deals.web.middleware)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.models import Deal, Publication
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db

NO_SUCH_COMPANY = "No company with this slug"


@pytest.fixture
def cloud():
    cloud = CompanyFactory(slug="cloud", name="Cloud")
    make_deal(CompanyFactory(slug="lab"), cloud, title="Lab invests in Cloud")
    return cloud


def sql_of(client, path, params) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
        assert response.status_code == 200, response.content
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("path", ["/deals/", "/api/v1/deals/", "/alliances/", "/api/v1/alliances/", "/circular/"])
def test_a_filtered_list_read_again_reads_the_version_once_and_no_company(client, cloud, path):
    first = sql_of(client, path, {"company": "cloud"})
    again = sql_of(client, path, {"company": "cloud"})
    assert any("deals_company" in sql and '"slug" IN' in sql for sql in first)
    assert not any("deals_company" in sql and '"slug" IN' in sql for sql in again)
    assert sum("deals_contentversion" in sql for sql in again) == 1
    assert len(again) < len(first)


def test_a_new_slug_is_found_and_the_old_one_refused_at_once(client, api_client, cloud):
    assert "Lab invests in Cloud" in client.get("/deals/", {"company": "cloud"}).content.decode()
    cloud.slug = "cloud-co"
    cloud.save()

    old = client.get("/deals/", {"company": "cloud"})
    assert old.status_code == 400
    assert NO_SUCH_COMPANY in old.content.decode()
    assert api_client.get("/api/v1/deals/", {"company": "cloud"}).status_code == 400
    assert "Lab invests in Cloud" in client.get("/deals/", {"company": "cloud-co"}).content.decode()


def test_a_company_that_loses_its_page_is_refused_at_once(client, cloud):
    assert client.get("/deals/", {"company": "cloud"}).status_code == 200
    for deal in Deal.objects.filter(parties__company=cloud):
        deal.publication = Publication.DRAFT
        deal.save()

    response = client.get("/deals/", {"company": "cloud"})
    assert response.status_code == 400
    assert NO_SUCH_COMPANY in response.content.decode()


def test_an_unknown_slug_is_refused_each_time_and_found_once_it_exists(client, cloud):
    for _ in range(2):
        assert client.get("/deals/", {"company": "newcomer"}).status_code == 400
    make_deal(CompanyFactory(slug="newcomer"), cloud, title="Newcomer invests in Cloud")
    assert "Newcomer invests in Cloud" in client.get("/deals/", {"company": "newcomer"}).content.decode()
