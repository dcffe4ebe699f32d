"""Hostile strings typed by an editor, through the admin and the API, are stored whole and shown inert everywhere."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from deals.models import Company, Deal, Source
from tests.admin_forms import citation, deal_form, party

CORPUS = {
    "script": '<script>alert("x")</script>',
    "attribute": '"><img src=x onerror=alert(1)>',
    "quote": "' onmouseover='alert(1)' x='",
    "js_url": "javascript:alert(document.cookie)",
    "rtl": "\u202eevil\u202c text",
    "sql": "'; DROP TABLE deals_deal; --",
    "formula": '=HYPERLINK("http://evil.example","click")',
    "long": "Long summary " + "word " * 2000 + "THE END",
}
RAW_HTML_MARKERS = ('<script>alert("x")', "<img src=x", "onmouseover='alert")
JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)


def html_outside_json_data(page: str) -> str:
    """The page without its JSON data blocks, after checking each parses: inside them text is data, not markup."""
    for block in JSON_SCRIPT.findall(page):
        json.loads(block)
    return JSON_SCRIPT.sub("", page)


def _admin_writes(client):
    """One company, source and published deal per hostile string, all through the admin forms."""
    other = Company.objects.create(name="Counterparty", slug="counterparty", kind="ai_lab")
    for key, text in CORPUS.items():
        short = text[:150]
        response = client.post(
            reverse("admin:deals_company_add"),
            {
                "name": f"{key} {short}",
                "slug": f"hostile-{key}",
                "kind": "big_tech",
                "description": text,
                "aliases": short,
                "legal_form": short[:100],
                "country": "",
                "founded_year": "",
                "website": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        response = client.post(
            reverse("admin:deals_source_add"),
            {
                "url": f"https://news.example.com/{key}",
                "title": short,
                "publisher": short,
                "published_on": "",
                "published_precision": "day",
                "language": "en",
            },
        )
        assert response.status_code == 302
        company = Company.objects.get(slug=f"hostile-{key}")
        source = Source.objects.get(url=f"https://news.example.com/{key}")
        data = deal_form(
            title=f"{key} {short}",
            slug=f"hostile-deal-{key}",
            summary=text,
            amount_as_stated=short,
            publication="published",
            parties=[party(company, "investor"), party(other, "investee")],
            tranches=[
                {"position": 1, "label": short[:100], "amount": "5", "amount_qualifier": "exact", "condition": short}
            ],
            citations=[citation(source, "amount", text[:2000])],
        )
        response = client.post(reverse("admin:deals_deal_add"), data)
        assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.content.decode(), re.S)


@pytest.fixture
def hostile_world(superuser):
    from django.test import Client

    client = Client()
    client.force_login(superuser)
    _admin_writes(client)
    return client


def test_everything_is_stored_whole(hostile_world):
    assert Deal.objects.get(slug="hostile-deal-long").summary == CORPUS["long"]
    assert Company.objects.get(slug="hostile-rtl").description == CORPUS["rtl"]
    assert Deal.objects.filter(slug__startswith="hostile-deal-").count() == len(CORPUS)


PUBLIC_HTML = [
    "/",
    "/deals/",
    "/deals/?q=%3Cscript%3E",
    "/companies/",
    "/alliances/",
    "/circular/",
    "/network/",
    "/proxy-war/",
    "/charts/",
    "/es/deals/",
]


@pytest.mark.parametrize("url", PUBLIC_HTML)
def test_lists_show_hostile_text_inert(client, hostile_world, url):
    response = client.get(url)

    assert response.status_code == 200
    page = html_outside_json_data(response.content.decode())
    for marker in RAW_HTML_MARKERS:
        assert marker not in page, (url, marker)


@pytest.mark.parametrize("key", CORPUS)
def test_detail_pages_show_hostile_text_inert_and_whole(client, hostile_world, key):
    for url in (f"/deals/hostile-deal-{key}/", f"/companies/hostile-{key}/", f"/es/deals/hostile-deal-{key}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for marker in RAW_HTML_MARKERS:
            assert marker not in page, (url, marker)
    deal_page = client.get(f"/deals/hostile-deal-{key}/").content.decode()
    if key == "long":
        assert "THE END" in deal_page, "long text is shown whole"
    assert 'href="javascript:' not in deal_page


def test_feed_stays_well_formed_xml(client, hostile_world):
    for url in ("/feeds/deals.atom", "/companies/hostile-script/feed.atom"):
        response = client.get(url)
        assert response.status_code == 200
        ET.fromstring(response.content)
        assert b'<script>alert("x")' not in response.content


def test_csv_export_is_whole_and_formula_safe(client, hostile_world):
    response = client.get("/deals/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = [cell for row in rows for cell in row]

    assert response.status_code == 200
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any("DROP TABLE" in cell for cell in cells)


def test_api_returns_the_text_as_data(hostile_world):
    api = APIClient()
    listing = api.get("/api/v1/deals/", {"page_size": 100})
    assert listing.status_code == 200
    detail = api.get("/api/v1/deals/hostile-deal-long/")
    assert detail.json()["summary"] == CORPUS["long"]
    assert api.get("/api/v1/companies/hostile-script/").json()["description"] == CORPUS["script"]
    assert "DROP TABLE" in api.get("/api/v1/deals/", {"format": "csv", "q": "sql"}).content.decode()
    json.loads(listing.content)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 301, "Ensure this value has at most 300 characters"),
        ("title", "null\x00byte", "Null characters are not allowed."),
        ("slug", "<script>", "Enter a valid “slug”"),
    ],
)
def test_bad_values_give_form_errors_not_truncation(superuser, client, field, value, message):
    client.force_login(superuser)
    amazon = Company.objects.create(name="Amazon", slug="amazon")
    openai = Company.objects.create(name="OpenAI", slug="openai")

    response = client.post(
        reverse("admin:deals_deal_add"),
        deal_form(parties=[party(amazon, "investor"), party(openai, "investee")], **{field: value}),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Deal.objects.exists()


def test_api_writes_of_hostile_text_are_stored_whole_or_refused(superuser):
    api = APIClient()
    api.force_authenticate(superuser)
    Company.objects.create(name="OpenAI", slug="openai")

    created = api.post(
        "/api/v1/companies/",
        {"name": CORPUS["attribute"], "slug": "attr", "kind": "other", "description": CORPUS["long"]},
        format="json",
    )
    refused = api.post("/api/v1/companies/", {"name": "nul\x00", "slug": "nul", "kind": "other"}, format="json")
    bad_url = api.post("/api/v1/sources/", {"url": CORPUS["js_url"], "title": "x"}, format="json")

    assert created.status_code == 201, created.content
    assert Company.objects.get(slug="attr").description == CORPUS["long"]
    assert refused.status_code == 400 and "name" in refused.json()
    assert bad_url.status_code == 400 and "url" in bad_url.json()
