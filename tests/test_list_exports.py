"""CSV export of the companies and alliances lists: the list's filters and order, every row, spreadsheet-safe."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, make_deal


def exported(client, url_name, **params):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def listed(client, url_name, **params):
    response = client.get(reverse(url_name), {"page_size": 100, **params})
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.mark.parametrize(
    "params",
    [{}, {"kind": "cloud"}, {"q": "amazon"}, {"role": "investor"}, {"ordering": "-invested"}, {"ordering": "-deals"}],
)
def test_the_companies_export_has_the_rows_of_the_list_in_its_order(client, world, params):
    rows = exported(client, "deals:company-export", **params)

    assert [row["slug"] for row in rows] == [company.slug for company in listed(client, "deals:company-list", **params)]


def test_a_company_row(client, world):
    rows = {row["slug"]: row for row in exported(client, "deals:company-export")}

    aws = rows["aws"]
    assert aws["name"] == "Amazon Web Services"
    assert aws["kind"] == "cloud"
    assert aws["parent"] == "amazon"
    assert aws["url"] == "http://testserver/companies/aws/"
    amazon = rows["amazon"]
    assert amazon["website"] == "https://amazon.com"
    assert int(amazon["deal_count"]) >= 1
    assert amazon["invested_usd"] != ""
    assert "draft" not in " ".join(rows)


@pytest.mark.parametrize(
    "params", [{}, {"company": "anthropic"}, {"year_from": "2025"}, {"ordering": "-deals"}, {"ordering": "latest"}]
)
def test_the_alliances_export_has_the_rows_of_the_list_in_its_order(client, world, params):
    rows = exported(client, "deals:alliance-export", **params)

    expected = [(a.company_a.slug, a.company_b.slug) for a in listed(client, "deals:alliance-list", **params)]
    assert [(row["company_a_slug"], row["company_b_slug"]) for row in rows] == expected


def test_an_alliance_row_links_to_its_page(client, world):
    row = exported(client, "deals:alliance-export", ordering="-total")[0]

    assert row["url"] == f"http://testserver/alliances/{row['company_a_slug']}--{row['company_b_slug']}/"
    assert client.get(row["url"].removeprefix("http://testserver")).status_code == 200
    assert float(row["committed_usd"]) > 0  # committed money; "up to" money is in further_usd
    assert int(row["deal_count"]) >= 1


@pytest.mark.parametrize(
    ("url_name", "params", "message"),
    [
        ("deals:company-export", {"kind": "bank"}, "kind: Select a valid choice."),
        ("deals:alliance-export", {"year_from": "soon"}, "year_from: Enter a number."),
    ],
)
def test_an_unusable_filter_is_a_400_with_the_reason(client, world, url_name, params, message):
    response = client.get(reverse(url_name), params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_formulas_in_names_cannot_run(client, db):
    make_deal(CompanyFactory(name="=cmd|' /C calc'!A0", slug="formula"), CompanyFactory(name="@SUM(1)", slug="at"))

    companies = {row["slug"]: row["name"] for row in exported(client, "deals:company-export")}
    alliance = exported(client, "deals:alliance-export")[0]

    assert companies == {"formula": "'=cmd|' /C calc'!A0", "at": "'@SUM(1)"}
    assert {alliance["company_a"], alliance["company_b"]} == {"'=cmd|' /C calc'!A0", "'@SUM(1)"}


@pytest.mark.parametrize("url_name", ["deals:company-list", "deals:alliance-list"])
def test_the_list_links_to_the_export_with_its_filters(client, world, url_name):
    html = client.get(reverse(url_name), {"q": "amazon", "page": "1"}).content.decode()

    export_url = reverse(url_name.replace("-list", "-export"))
    assert f'href="{export_url}?q=amazon"' in html
