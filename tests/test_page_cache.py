"""Public responses are kept whole in the shared cache under the content version (dealsite.page_cache): a second
anonymous read is a hit with the same body, a save by any way retires every kept page, editors and writes never
see a kept page, each language is kept apart, and PAGE_CACHE_SECONDS = 0 turns it off."""

import pytest
from django.test import override_settings
from django.urls import reverse

from deals.models import Company
from tests.api_world import token_client

pytestmark = pytest.mark.django_db

PUBLIC_ADDRESSES = [
    "/",
    "/deals/?kind=equity",
    "/companies/anthropic/",
    "/alliances/",
    "/circular/",
    "/network/",
    "/charts/",
    "/feeds/deals.atom",
    "/api/v1/deals/",
    "/api/v1/companies/anthropic/",
    "/api/v1/deals/?format=csv",
]


@pytest.fixture(autouse=True)
def _cache_on():
    with override_settings(PAGE_CACHE_SECONDS=600):
        yield


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_a_second_anonymous_read_is_a_hit_with_the_same_body(client, world, address):
    first = client.get(address)
    second = client.get(address)

    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert not second.cookies


def test_a_hit_runs_one_query_the_content_version(client, world, django_assert_num_queries):
    client.get("/deals/")
    with django_assert_num_queries(1):
        assert client.get("/deals/")["X-Cache"] == "hit"


def test_a_head_request_is_answered_from_the_kept_get(client, world):
    client.get("/alliances/")
    response = client.head("/alliances/")
    assert response.status_code == 200 and response["X-Cache"] == "hit"


def test_an_admin_save_retires_the_kept_pages(editor, world):
    from django.test import Client

    visitor, editor_client = Client(), Client()
    editor_client.force_login(editor)
    before = visitor.get("/companies/anthropic/")
    assert "Anthropic" in before.content.decode()
    company = world.companies["anthropic"]
    form = {
        "name": "Anthropic PBC",
        "slug": "anthropic",
        "kind": company.kind,
        "parent": "",
        "aliases": "",
        "country": company.country,
        "founded_year": "",
        "website": "",
        "legal_form": company.legal_form,
        "description": "",
    }
    saved = editor_client.post(reverse("admin:deals_company_change", args=[company.pk]), form)
    assert saved.status_code == 302, saved.content.decode()[:2000]

    after = visitor.get("/companies/anthropic/")
    assert after["X-Cache"] == "miss"
    assert "<h1>Anthropic PBC</h1>" in after.content.decode()
    assert visitor.get("/companies/anthropic/")["X-Cache"] == "hit"


def test_an_api_save_retires_the_kept_pages(client, publisher, world):
    before = client.get("/api/v1/companies/openai/")
    assert before.json()["name"] == "OpenAI"
    assert client.get("/api/v1/companies/openai/")["X-Cache"] == "hit"

    changed = token_client(publisher).patch("/api/v1/companies/openai/", {"name": "OpenAI Group"}, format="json")
    assert changed.status_code == 200

    after = client.get("/api/v1/companies/openai/")
    assert after["X-Cache"] == "miss"
    assert after.json()["name"] == "OpenAI Group"
    assert Company.objects.get(slug="openai").name == "OpenAI Group"


def test_editors_never_get_kept_pages(client, editor, world):
    from django.test import Client

    Client().get("/deals/")  # kept by an anonymous visit
    client.force_login(editor)
    for _round in range(2):
        response = client.get("/deals/")
        assert response.status_code == 200 and "X-Cache" not in response
    api = token_client(editor)
    api.get("/api/v1/deals/")
    assert "X-Cache" not in api.get("/api/v1/deals/")


def test_an_editor_page_is_not_kept_for_visitors(client, editor, world):
    from django.test import Client

    client.force_login(editor)
    client.get("/deals/")
    assert Client().get("/deals/")["X-Cache"] == "miss"


def test_writes_are_never_answered_from_the_cache(client, world):
    client.get("/api/v1/deals/")
    response = client.post("/api/v1/deals/", {}, content_type="application/json")
    assert response.status_code in (401, 403) and "X-Cache" not in response


def test_spanish_and_english_are_kept_apart(client, world):
    english = client.get("/deals/")
    spanish = client.get("/es/deals/")
    assert (english["X-Cache"], spanish["X-Cache"]) == ("miss", "miss")
    assert 'lang="en"' in english.content.decode() and 'lang="es"' in spanish.content.decode()
    assert client.get("/es/deals/").content == spanish.content
    assert client.get("/deals/", HTTP_ACCEPT_LANGUAGE="es").content == english.content


def test_the_api_keeps_each_format_apart(client, world):
    as_json = client.get("/api/v1/deals/", HTTP_ACCEPT="application/json")
    as_csv = client.get("/api/v1/deals/", HTTP_ACCEPT="text/csv")
    assert as_json["Content-Type"].startswith("application/json")
    assert as_csv["Content-Type"].startswith("text/csv") and as_csv["X-Cache"] == "miss"
    assert client.get("/api/v1/deals/", HTTP_ACCEPT="text/csv").content == as_csv.content


def test_a_kept_api_answer_honours_its_etag(client, world):
    first = client.get("/api/v1/deals/")
    again = client.get("/api/v1/deals/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["X-Cache"] == "hit"


def test_streamed_exports_and_refused_filters_are_not_kept(client, world):
    for address in ("/deals/export.csv", "/deals/?kind=bogus"):
        client.get(address)
        assert client.get(address)["X-Cache"] == "miss"


def test_kept_api_answers_still_count_against_the_rate(client, world):
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}):
        statuses = [client.get("/api/v1/deals/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_off_means_no_hits(client, world):
    with override_settings(PAGE_CACHE_SECONDS=0):
        for _round in range(2):
            assert "X-Cache" not in client.get("/deals/")


def _rest_framework():
    from django.conf import settings

    return settings.REST_FRAMEWORK


def test_each_host_is_kept_apart(client, world):
    """The API's rows hold absolute addresses of the host asked for."""
    client.get("/api/v1/companies/openai/", HTTP_HOST="localhost")
    response = client.get("/api/v1/companies/openai/")
    assert response["X-Cache"] == "miss"
    assert response.json()["api_url"] == "http://testserver/api/v1/companies/openai/"
