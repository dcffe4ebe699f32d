"""A public company asked for by its slug is read by SQL compiled once; what the API answers stays DRF's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from deals.models import Company
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    parent = CompanyFactory(slug="parent-co", name="Parent Co")
    child = CompanyFactory(slug="child-co", name="Child <Co>", parent=parent)
    make_deal(child, CompanyFactory(slug="partner"), title="A deal", slug="a-deal")
    CompanyFactory(slug="hidden-co", name="Hidden")  # in no published deal: no page
    return parent, child


def test_the_answer_is_the_one_staff_get_through_drf(api_client, editor, group):
    public = api_client.get("/api/v1/companies/child-co/")
    staff = token_client(editor).get("/api/v1/companies/child-co/")

    assert public.status_code == staff.status_code == 200
    assert public.json() == staff.json()
    assert public.json()["parent"] == "parent-co" and public.json()["parent_name"] == "Parent Co"
    assert public["Last-Modified"] == http_date(int(max(company.updated_at for company in group).timestamp()))


def test_read_again_it_is_one_query_with_its_parent(api_client, group):
    api_client.get("/api/v1/companies/child-co/")
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/v1/companies/child-co/")

    assert response.status_code == 200
    [query] = queries.captured_queries  # the company and its parent, in one query
    assert "child-co" in query["sql"] and "JOIN" in query["sql"]


def test_it_reads_the_rows_as_they_are_now(api_client, group):
    parent, _ = group
    api_client.get("/api/v1/companies/child-co/")
    Company.objects.filter(pk=parent.pk).update(name="Renamed Parent")

    assert api_client.get("/api/v1/companies/child-co/").json()["parent_name"] == "Renamed Parent"


@pytest.mark.parametrize("slug", ["hidden-co", "no-such-co", "bad%20slug", "nul%00byte", "%E2%9C%93"])
def test_anything_else_is_drfs_404(api_client, group, slug):
    response = api_client.get(f"/api/v1/companies/{slug}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_staff_still_see_companies_without_a_page(editor, group):
    assert token_client(editor).get("/api/v1/companies/hidden-co/").status_code == 200


@pytest.mark.parametrize("kind", ["companies", "deals", "alliances", "sources"])
def test_a_key_with_a_nul_byte_is_a_404_on_every_database(api_client, group, kind):
    response = api_client.get(f"/api/v1/{kind}/nul%00byte/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
