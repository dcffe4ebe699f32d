"""Hostile strings typed by an editor, through the admin and the API, are stored whole and shown inert everywhere.

Every free-text field an editor fills in (a company's name, aliases, legal form and description; a
source's title and publisher; a deal's title, summary and amount as stated; a tranche's label and
condition; a citation's quote) gets each string of the corpus, once through the admin's forms and
once through the API. Then every public page, the feeds, the CSV export, the network downloads and
the API are read back: no 500, nothing raw that a browser would run, every text whole. Values that
cannot be stored (null bytes, over the limit) are a form error or a 400, never a silent cut.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from deals.models import Company, Deal, Source
from tests.admin_forms import citation, deal_form, party
from tests.api_world import token_client

CORPUS = {
    "script": '<script>alert("x")</script>',
    "attribute": '"><img src=x onerror=alert(1)>',
    "quote": "' onmouseover='alert(1)' x='",
    "js_url": "javascript:alert(document.cookie)",
    "rtl": "\u202eevil\u202c text \u200f",
    "sql": "'; DROP TABLE deals_deal; --",
    "formula": '=HYPERLINK("http://evil.example","click")',
    "long": "Long summary " + "word " * 2000 + "THE END",
}
RAW_HTML_MARKERS = ('<script>alert("x")', "<img src=x", "onmouseover='alert")
JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)
CHANNELS = {"admin": "hostile", "api": "api-hostile"}


def texts(channel: str, key: str) -> dict:
    """What goes into each text field for one corpus string, cut to each field's documented limit."""
    text, prefix = CORPUS[key], CHANNELS[channel]
    short = text[:150].strip()
    return {
        "company_slug": f"{prefix}-{key}",
        "company_name": f"{prefix} {key} {short}",
        "company_description": text,
        "company_aliases": short,
        "company_legal_form": short[:100].strip(),
        "source_url": f"https://news.example.com/{prefix}/{key}",
        "source_title": short,
        "source_publisher": short,
        "deal_slug": f"{prefix}-deal-{key}",
        "deal_title": f"{prefix} {key} {short}",
        "deal_summary": text,
        "deal_amount_as_stated": short,
        "tranche_label": short[:100].strip(),
        "tranche_condition": short,
        "citation_quote": text[:2000].strip(),
    }


def _write_through_admin(client, counterparty):
    for key in CORPUS:
        t = texts("admin", key)
        response = client.post(
            reverse("admin:deals_company_add"),
            {
                "name": t["company_name"],
                "slug": t["company_slug"],
                "kind": "big_tech",
                "description": t["company_description"],
                "aliases": t["company_aliases"],
                "legal_form": t["company_legal_form"],
                "country": "",
                "founded_year": "",
                "website": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        response = client.post(
            reverse("admin:deals_source_add"),
            {
                "url": t["source_url"],
                "title": t["source_title"],
                "publisher": t["source_publisher"],
                "published_on": "",
                "published_precision": "day",
                "language": "en",
            },
        )
        assert response.status_code == 302
        company = Company.objects.get(slug=t["company_slug"])
        source = Source.objects.get(url=t["source_url"])
        data = deal_form(
            title=t["deal_title"],
            slug=t["deal_slug"],
            summary=t["deal_summary"],
            amount_as_stated=t["deal_amount_as_stated"],
            publication="published",
            parties=[party(company, "investor"), party(counterparty, "investee")],
            tranches=[
                {
                    "position": 1,
                    "label": t["tranche_label"],
                    "amount": "5",
                    "amount_qualifier": "exact",
                    "commitment": "committed",
                    "condition": t["tranche_condition"],
                }
            ],
            citations=[citation(source, "amount", t["citation_quote"])],
        )
        response = client.post(reverse("admin:deals_deal_add"), data)
        assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.content.decode(), re.S)


def _write_through_api(api, counterparty):
    for key in CORPUS:
        t = texts("api", key)
        response = api.post(
            "/api/v1/companies/",
            {
                "name": t["company_name"],
                "slug": t["company_slug"],
                "kind": "big_tech",
                "description": t["company_description"],
                "aliases": [t["company_aliases"]],
                "legal_form": t["company_legal_form"],
            },
        )
        assert response.status_code == 201, response.content
        response = api.post(
            "/api/v1/sources/",
            {"url": t["source_url"], "title": t["source_title"], "publisher": t["source_publisher"]},
        )
        assert response.status_code == 201, response.content
        deal = {
            "title": t["deal_title"],
            "slug": t["deal_slug"],
            "kind": "equity",
            "summary": t["deal_summary"],
            "amount_as_stated": t["deal_amount_as_stated"],
            "parties": [
                {"company": t["company_slug"], "role": "investor"},
                {"company": counterparty.slug, "role": "investee"},
            ],
            "tranches": [
                {"position": 1, "label": t["tranche_label"], "amount": "5", "condition": t["tranche_condition"]}
            ],
            "citations": [{"source_id": response.json()["id"], "supports": "amount", "quote": t["citation_quote"]}],
        }
        response = api.post("/api/v1/deals/", deal)
        assert response.status_code == 201, response.content
        response = api.patch(f"/api/v1/deals/{t['deal_slug']}/", {"publication": "published"})
        assert response.status_code == 200, response.content


@pytest.fixture
def hostile_world(superuser):
    counterparty = Company.objects.create(name="Counterparty", slug="counterparty", kind="ai_lab")
    admin = Client()
    admin.force_login(superuser)
    _write_through_admin(admin, counterparty)
    _write_through_api(token_client(superuser), counterparty)


def html_outside_json_data(page: str) -> str:
    """The page without its JSON data blocks, after checking each parses: inside them text is data, not markup."""
    for block in JSON_SCRIPT.findall(page):
        json.loads(block)
    return JSON_SCRIPT.sub("", page)


def _get_inert(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    for marker in RAW_HTML_MARKERS:
        assert marker not in html_outside_json_data(page), (url, marker)
    return page


EVERY_WRITE = [(channel, key) for channel in CHANNELS for key in CORPUS]


def test_everything_is_stored_whole(hostile_world):
    for channel, key in EVERY_WRITE:
        t = texts(channel, key)
        company = Company.objects.get(slug=t["company_slug"])
        source = Source.objects.get(url=t["source_url"])
        deal = Deal.objects.get(slug=t["deal_slug"])
        tranche, cited = deal.tranches.get(), deal.citations.get()
        stored = {
            "company_name": company.name,
            "company_description": company.description,
            "company_aliases": company.aliases,
            "company_legal_form": company.legal_form,
            "source_title": source.title,
            "source_publisher": source.publisher,
            "deal_title": deal.title,
            "deal_summary": deal.summary,
            "deal_amount_as_stated": deal.amount_as_stated,
            "tranche_label": tranche.label,
            "tranche_condition": tranche.condition,
            "citation_quote": cited.quote,
        }
        assert stored == {name: t[name] for name in stored}, (channel, key)
        assert deal.is_published


PUBLIC_LISTS = [
    "/",
    "/deals/",
    "/deals/?q=%3Cscript%3E",
    "/companies/",
    "/companies/?q=%22%3E%3Cimg",
    "/alliances/",
    "/circular/",
    "/network/",
    "/proxy-war/",
    "/charts/",
    "/es/deals/",
    "/es/companies/",
]


def test_list_pages_show_hostile_text_inert(client, hostile_world):
    for url in PUBLIC_LISTS:
        _get_inert(client, url)


def test_detail_pages_show_every_text_inert_and_whole(client, hostile_world):
    for channel, key in EVERY_WRITE:
        t = texts(channel, key)
        deal_page = _get_inert(client, f"/deals/{t['deal_slug']}/")
        for name in ("deal_title", "deal_summary", "deal_amount_as_stated", "tranche_condition", "citation_quote"):
            assert escape(t[name]) in deal_page, (channel, key, name)
        assert 'href="javascript:' not in deal_page
        _get_inert(client, f"/es/deals/{t['deal_slug']}/")

        company_page = _get_inert(client, f"/companies/{t['company_slug']}/")
        for name in ("company_name", "company_description"):
            assert escape(t[name]) in company_page, (channel, key, name)
        _get_inert(client, "/alliances/{}--{}/".format(*sorted(["counterparty", t["company_slug"]])))
        _get_inert(client, f"/charts/companies/{t['company_slug']}/")


def test_feeds_stay_well_formed_xml_with_titles_whole(client, hostile_world):
    site_feed = client.get("/feeds/deals.atom")
    assert site_feed.status_code == 200
    titles = {entry.text for entry in ET.fromstring(site_feed.content).iter("{http://www.w3.org/2005/Atom}title")}
    for channel, key in EVERY_WRITE:
        t = texts(channel, key)
        assert t["deal_title"] in titles, (channel, key)
        company_feed = client.get(f"/companies/{t['company_slug']}/feed.atom")
        assert company_feed.status_code == 200
        ET.fromstring(company_feed.content)
        assert b'<script>alert("x")' not in company_feed.content


def test_network_downloads_stay_well_formed(client, hostile_world):
    network = client.get("/network.json")
    assert network.status_code == 200
    names = json.dumps(json.loads(b"".join(network.streaming_content)), ensure_ascii=False)
    assert texts("api", "attribute")["company_name"].replace('"', '\\"') in names
    graphml = client.get("/network.graphml")
    assert graphml.status_code == 200
    ET.fromstring(b"".join(graphml.streaming_content) if graphml.streaming else graphml.content)


def test_csv_export_is_whole_and_formula_safe(client, hostile_world):
    response = client.get("/deals/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = {cell for row in rows for cell in row}

    assert response.status_code == 200
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    for channel, key in EVERY_WRITE:
        t = texts(channel, key)
        defused = "'" if key == "formula" else ""
        # A formula after a `;` is guarded too, as a spreadsheet splitting on `;` would see it (exchange.csv_safety).
        assert f"{defused}{t['deal_summary']}".replace("; --", "; '--") in cells, (channel, key)
        assert t["deal_title"].replace("; --", "; '--") in cells, (channel, key)


def test_api_returns_every_text_as_data(hostile_world):
    api = Client()
    listing = api.get("/api/v1/deals/", {"page_size": 100})
    assert listing.status_code == 200
    assert len(json.loads(listing.content)["results"]) == len(EVERY_WRITE)
    for channel, key in EVERY_WRITE:
        t = texts(channel, key)
        deal = api.get(f"/api/v1/deals/{t['deal_slug']}/").json()
        assert (deal["title"], deal["summary"], deal["amount_as_stated"]) == (
            t["deal_title"],
            t["deal_summary"],
            t["deal_amount_as_stated"],
        )
        assert (deal["tranches"][0]["label"], deal["tranches"][0]["condition"]) == (
            t["tranche_label"],
            t["tranche_condition"],
        )
        cited = deal["citations"][0]
        assert (cited["quote"], cited["source_title"], cited["source_publisher"]) == (
            t["citation_quote"],
            t["source_title"],
            t["source_publisher"],
        )
        company = api.get(f"/api/v1/companies/{t['company_slug']}/").json()
        assert (company["name"], company["description"], company["aliases"], company["legal_form"]) == (
            t["company_name"],
            t["company_description"],
            [t["company_aliases"]],
            t["company_legal_form"],
        )
    as_csv = api.get("/api/v1/deals/", {"format": "csv", "page_size": 100})
    assert as_csv.status_code == 200
    # The text whole, its formula after a `;` guarded as a spreadsheet splitting on `;` would see it (csv_safety).
    assert texts("api", "sql")["deal_summary"].replace("; --", "; '--") in as_csv.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 301, "Ensure this value has at most 300 characters"),
        ("title", "null\x00byte", "Null characters are not allowed."),
        ("summary", "null\x00byte", "Null characters are not allowed."),
        ("amount_as_stated", "x" * 201, "Ensure this value has at most 200 characters"),
        ("slug", "<script>", "Enter a valid “slug”"),
    ],
)
def test_bad_values_give_admin_form_errors_not_truncation(superuser, client, field, value, message):
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


# Each text field the API writes, with its length limit (None: a text of any length, stored whole).
API_TEXT_FIELDS = {
    "/api/v1/companies/": {"name": 200, "legal_form": 100, "description": None},
    "/api/v1/sources/": {"title": 500, "publisher": 200},
    "/api/v1/deals/": {"title": 300, "summary": None, "amount_as_stated": 200},
}
VALID = {
    "/api/v1/companies/": {"name": "Nul Labs", "slug": "nul-labs", "kind": "other"},
    "/api/v1/sources/": {"url": "https://news.example.com/nul", "title": "Nul"},
    "/api/v1/deals/": {
        "title": "Nul deal",
        "slug": "nul-deal",
        "kind": "equity",
        "parties": [{"company": "amazon", "role": "investor"}, {"company": "openai", "role": "investee"}],
    },
}
BAD_TEXTS = [
    pytest.param(url, field, "nul\x00", id=f"{url.split('/')[3]}-{field}-null_byte")
    for url, fields in API_TEXT_FIELDS.items()
    for field in fields
] + [
    pytest.param(url, field, "x" * (limit + 1), id=f"{url.split('/')[3]}-{field}-too_long")
    for url, fields in API_TEXT_FIELDS.items()
    for field, limit in fields.items()
    if limit
]
NESTED_TEXT_FIELDS = [("tranches", "label"), ("tranches", "condition"), ("citations", "quote")]


@pytest.mark.parametrize(("url", "field", "value"), BAD_TEXTS)
def test_bad_values_through_the_api_are_400_on_the_field(superuser, url, field, value):
    Company.objects.create(name="Amazon", slug="amazon")
    Company.objects.create(name="OpenAI", slug="openai")
    api = token_client(superuser)

    response = api.post(url, {**VALID[url], field: value}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Deal.objects.exists() and not Source.objects.exists() and Company.objects.count() == 2


def test_a_text_without_a_limit_is_stored_whole_through_the_api(superuser):
    api = token_client(superuser)
    long_text = "word " * 20_000 + "THE END"

    response = api.post("/api/v1/companies/", {**VALID["/api/v1/companies/"], "description": long_text})

    assert response.status_code == 201
    assert Company.objects.get(slug="nul-labs").description == long_text


@pytest.mark.parametrize(("nested", "field"), NESTED_TEXT_FIELDS)
def test_bad_values_in_a_deals_rows_are_400_on_the_row(superuser, nested, field):
    Company.objects.create(name="Amazon", slug="amazon")
    Company.objects.create(name="OpenAI", slug="openai")
    source = Source.objects.create(url="https://news.example.com/a", title="A")
    rows = {
        "tranches": {"position": 1, "label": "initial", "amount": "5"},
        "citations": {"source_id": source.pk, "supports": "amount"},
    }
    api = token_client(superuser)

    response = api.post("/api/v1/deals/", {**VALID["/api/v1/deals/"], nested: [{**rows[nested], field: "nul\x00"}]})

    assert response.status_code == 400, response.content
    assert field in response.json()[nested]["0"]
    assert not Deal.objects.exists()


COMPANY_REFERENCES = {
    "party": (
        "/api/v1/deals/",
        lambda slug: {
            **VALID["/api/v1/deals/"],
            "parties": [{"company": slug, "role": "investor"}, {"company": "openai", "role": "investee"}],
        },
    ),
    "tranche": (
        "/api/v1/deals/",
        lambda slug: {
            **VALID["/api/v1/deals/"],
            "tranches": [{"position": 1, "label": "initial", "amount": "5", "company": slug}],
        },
    ),
    "parent": ("/api/v1/companies/", lambda slug: {**VALID["/api/v1/companies/"], "parent": slug}),
}


@pytest.mark.parametrize("slug", ["amazon\x00", "\x00", "nul\x00byte"])
@pytest.mark.parametrize("reference", COMPANY_REFERENCES)
def test_a_nul_byte_in_a_company_reference_is_a_400_with_a_message(superuser, reference, slug):
    """PostgreSQL refuses text holding a NUL byte: the API answers before asking it (was a 500 there)."""
    Company.objects.create(name="Amazon", slug="amazon")
    Company.objects.create(name="OpenAI", slug="openai")
    url, body = COMPANY_REFERENCES[reference]

    response = token_client(superuser).post(url, body(slug), format="json")

    assert response.status_code == 400, response.content
    assert "Enter the slug of a company." in json.dumps(response.json())
    assert not Deal.objects.exists() and Company.objects.count() == 2
