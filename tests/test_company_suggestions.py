"""Company suggestions for the filters: a few public companies matching the typed text, fetched by a small script."""

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, make_deal

URL = reverse("deals:company-suggestions")


def suggested(client, text):
    response = client.get(URL, {"q": text})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_matches_by_name_alias_or_slug_in_name_order(client, world):
    assert suggested(client, "goo") == [
        {"slug": "google", "name": "Google"},
        {"slug": "google-cloud", "name": "Google Cloud"},
    ]
    assert [company["slug"] for company in suggested(client, "AWS")] == ["aws"]  # alias
    assert [company["slug"] for company in suggested(client, "cloud")] == ["google-cloud"]


def test_only_companies_a_filter_accepts_are_suggested(client, world):
    assert suggested(client, "secret") == []


def test_no_text_suggests_nothing(client, world):
    assert suggested(client, "") == []
    assert suggested(client, "   ") == []


def test_at_most_ten_suggestions(client, db):
    investee = CompanyFactory(slug="target", name="Target")
    for number in range(12):
        make_deal(CompanyFactory(slug=f"fund-{number:02}", name=f"Fund {number:02}"), investee)
    assert [company["slug"] for company in suggested(client, "fund")] == [f"fund-{n:02}" for n in range(10)]


def test_overlong_text_is_a_400_with_a_message(client, db):
    response = client.get(URL, {"q": "x" * 101})
    assert response.status_code == 400
    assert response.json() == {"errors": {"q": ["Enter at most 100 characters."]}}


def test_names_come_back_as_data_not_markup(client, db):
    make_deal(CompanyFactory(slug="tag-co", name="<b>Tag</b> & Co"), CompanyFactory(slug="other"))
    assert suggested(client, "tag") == [{"slug": "tag-co", "name": "<b>Tag</b> & Co"}]


@pytest.mark.parametrize("path", ["/deals/", "/companies/", "/alliances/", "/circular/"])
def test_list_pages_load_the_script_and_mark_company_fields_without_listing_every_company(client, world, path):
    content = client.get(path).content.decode()
    assert "/static/js/company-suggest.js" in content
    assert f'data-suggest-url="{URL}"' in content
    assert "<datalist" not in content
    assert 'value="secret-co"' not in content


def test_a_typed_slug_still_filters_without_the_script(client, world):
    response = client.get("/deals/", {"investor": "amazon"})
    assert response.status_code == 200
    assert 'value="amazon"' in response.content.decode()


def _filter_form(response) -> str:
    content = response.content.decode()
    return content[content.index('<form class="filters"') : content.index("</form>", content.index('class="filters"'))]


def test_each_page_marks_its_fields_in_its_own_language(client, world):
    # The filter forms share their fields across requests: what a field shows must follow each request.
    english = _filter_form(client.get("/deals/"))
    spanish = _filter_form(client.get("/es/deals/"))
    english_again = _filter_form(client.get("/deals/"))

    assert f'data-suggest-url="{URL}"' in english and 'placeholder="e.g. amazon"' in english
    assert 'data-suggest-url="/es/companies/suggest.json"' in spanish and 'placeholder="p. ej. amazon"' in spanish
    assert english_again == english


def test_a_value_typed_in_one_request_is_not_shown_in_the_next(client, world):
    assert 'value="amazon"' in client.get("/deals/", {"investor": "amazon"}).content.decode()
    assert 'value="amazon"' not in client.get("/deals/").content.decode()
    errors = client.get("/deals/", {"investor": "no-such-co"})
    assert errors.status_code == 400 and "no-such-co" in errors.content.decode()
    assert "no-such-co" not in client.get("/deals/").content.decode()
