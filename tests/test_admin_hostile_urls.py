"""Hostile values in the admin's addresses: a 4xx or a normal page, never a 500 (on SQLite and PostgreSQL alike)."""

import pytest

from tests.factories import CompanyFactory, make_deal

NUL = "nul\x00"


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    make_deal(CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic"))
    return client


@pytest.mark.parametrize("year", ["0", "²", "99999999", "-1", "２０２４", ""])
def test_the_year_filter_with_a_value_that_is_no_year_shows_the_list(admin_client, year):
    response = admin_client.get("/admin/deals/deal/", {"year": year})

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:  # Django's own answer to a filter it cannot use: the list, with ?e=1
        assert admin_client.get(response["Location"]).status_code == 200


def test_the_year_filter_still_filters(admin_client):
    year = admin_client.get("/admin/deals/deal/").context["cl"].result_list[0].announced_on.year

    assert admin_client.get("/admin/deals/deal/", {"year": str(year)}).context["cl"].result_count == 1
    assert admin_client.get("/admin/deals/deal/", {"year": str(year + 1)}).context["cl"].result_count == 0


@pytest.mark.parametrize("model", ["deal", "company", "source"])
@pytest.mark.parametrize("object_id", ["abc", "1.5", "99999999999999999999999", NUL, "-1"])
@pytest.mark.parametrize("view", ["history", "change", "delete"])
def test_an_object_id_that_is_no_key_is_not_found(admin_client, model, object_id, view):
    response = admin_client.get(f"/admin/deals/{model}/{object_id}/{view}/")

    assert response.status_code in (302, 404), response.status_code


@pytest.mark.parametrize("version_id", ["abc", "1.5", "99999999999999999999999", NUL])
def test_a_history_version_that_is_no_key_is_not_found(admin_client, version_id):
    deal_id = admin_client.get("/admin/deals/deal/").context["cl"].result_list[0].pk

    assert admin_client.get(f"/admin/deals/deal/{deal_id}/history/{version_id}/").status_code == 404
    assert admin_client.get(f"/admin/deals/deal/abc/history/{version_id}/").status_code == 404


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/admin/deals/deal/", {"company": NUL}),
        ("/admin/deals/deal/", {"kind__exact": NUL}),
        ("/admin/deals/deal/", {"publication__exact": NUL}),
        ("/admin/deals/deal/", {"q": NUL}),
        ("/admin/deals/deal/", {"cited": NUL}),
        ("/admin/deals/deal/", {"year": "2024\x00"}),
        ("/admin/deals/company/", {"kind__exact": NUL}),
        ("/admin/deals/company/", {"country__exact": NUL}),
        ("/admin/deals/company/", {"q": NUL}),
        ("/admin/deals/source/", {"publisher__exact": NUL}),
        ("/admin/deals/source/", {"language__exact": NUL}),
        ("/admin/deals/source/", {NUL: "x"}),
    ],
)
def test_a_nul_byte_in_a_list_filter_is_refused(admin_client, url, params):
    response = admin_client.get(url, params)

    assert response.status_code == 400, response.status_code


@pytest.mark.parametrize("term", [NUL, "ama\x00zon"])
@pytest.mark.parametrize(
    "field", [("deals", "dealparty", "company"), ("deals", "company", "parent"), ("deals", "citation", "source")]
)
def test_a_nul_byte_in_the_autocomplete_term_is_refused(admin_client, term, field):
    app_label, model_name, field_name = field
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": term, "app_label": app_label, "model_name": model_name, "field_name": field_name},
    )

    assert response.status_code == 400, response.status_code


def test_the_autocomplete_still_answers(admin_client):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "amaz", "app_label": "deals", "model_name": "dealparty", "field_name": "company"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]]
