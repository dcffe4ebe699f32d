"""Facts of real deals, entered through the API and through the admin, read back from the page, the API and the CSVs.

Each deal below is shaped like one that happened (issue 19): warrants that vest as gigawatts are deployed, a
non-binding letter of intent paid per gigawatt, an investment plus a purchase back in one agreement, a euro round
with its rate, a count of chips, a recapitalisation, a round with co-investors the source does not name, an
exclusive cloud provider, a multi-year contract with its start and end. Then the rules every path enforces.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.urls import reverse

from deals.models import Company, Deal, DealRelation, Publication, Source
from deals.rules import services
from tests.admin_forms import citation, deal_form, party
from tests.api_world import token_client
from tests.factories import CitationFactory, CompanyFactory, SourceFactory, make_deal, make_user

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:deals_deal_add")
COMPANIES = {
    "amd": "AMD",
    "openai": "OpenAI",
    "nvidia": "Nvidia",
    "amazon": "Amazon",
    "aws": "Amazon Web Services",
    "anthropic": "Anthropic",
    "google-cloud": "Google Cloud",
    "mistral": "Mistral AI",
    "asml": "ASML",
    "microsoft": "Microsoft",
    "softbank": "SoftBank",
    "oracle": "Oracle",
}


@pytest.fixture
def companies(db):
    return {slug: CompanyFactory(slug=slug, name=name) for slug, name in COMPANIES.items()}


@pytest.fixture
def article(db):
    return SourceFactory(url="https://news.example.com/the-deal", title="The deal, reported", publisher="Example News")


@pytest.fixture
def publisher(db):
    return make_user("paula", "Editors", "Publishers")


@pytest.fixture
def api(publisher):
    return token_client(publisher)


@pytest.fixture
def admin_client(client, publisher):
    client.force_login(publisher)
    return client


@dataclass
class Shape:
    """A deal as an editor enters it, and what each surface must then show."""

    slug: str
    title: str
    kind: str
    fields: dict
    parties: list  # (company slug, role, share, qualifier, commitment)
    options: list = field(default_factory=list)
    page: list = field(default_factory=list)  # texts the deal page shows
    api: dict = field(default_factory=dict)  # values of the API's deal JSON
    csv: dict = field(default_factory=dict)  # cells of the deal's row in /deals/export.csv
    party_rows: list = field(default_factory=list)  # (company slug, role, amount, qualifier, commitment)


AMD_WARRANT = "tranches vest as 1 GW and then up to 6 GW are deployed, and as AMD shares reach price targets"

SHAPES = [
    Shape(
        slug="amd-openai-6gw",
        title="OpenAI to deploy 6 GW of AMD GPUs, with warrants for AMD shares",
        kind="chip_supply",
        fields={"capacity_gw": "6", "delivery_on": "2026-07-01", "delivery_precision": "month"},
        parties=[("openai", "customer", None, "exact", "committed"), ("amd", "provider", None, "exact", "committed")],
        options=[
            {
                "kind": "warrant",
                "holder": "openai",
                "issuer": "amd",
                "shares": "160000000",
                "shares_qualifier": "up_to",
                "exercise_price": "0.01",
                "exercise_currency": "USD",
                "stake_percent": "10",
                "vesting": AMD_WARRANT,
                "expires_on": "2030-10-05",
            }
        ],
        page=["Warrants and options", "Warrant", "up to 160,000,000 shares", "$0.01", AMD_WARRANT, "6 GW", "July 2026"],
        api={"capacity_gw": "6.000", "delivery_on": "2026-07-01", "delivery_precision": "month"},
        csv={
            "options": f"warrant: OpenAI on AMD, up_to 160000000 shares, at 0.01 USD, 10%, vesting: {AMD_WARRANT}, "
            "expires 2030-10-05",
            "delivery_on": "2026-07-01",
            "delivery_precision": "month",
        },
    ),
    Shape(
        slug="nvidia-openai-loi",
        title="Nvidia and OpenAI sign a letter of intent for up to $100B",
        kind="equity",
        fields={
            "amount": "100000000000",
            "amount_qualifier": "up_to",
            "commitment": "non_binding",
            "amount_per_unit": "10000000000",
            "per_unit": "GW deployed",
            "capacity_gw": "10",
        },
        parties=[
            ("nvidia", "investor", "100000000000", "up_to", "non_binding"),
            ("openai", "investee", None, "exact", "committed"),
        ],
        page=["up to $100B", "Non-binding", "$10B per GW deployed", "10 GW"],
        api={"commitment": "non_binding", "amount_qualifier": "up_to", "per_unit": "GW deployed"},
        csv={"commitment": "non_binding", "amount_per_unit": "10000000000.00", "per_unit": "GW deployed"},
        party_rows=[("nvidia", "investor", "100000000000.00", "up_to", "non_binding")],
    ),
    Shape(
        slug="amazon-openai-two-way",
        title="Amazon invests in OpenAI, which buys AWS compute",
        kind="partnership",
        fields={"amount_in_words": "tens of billions of dollars"},
        parties=[
            ("amazon", "investor", "50000000000", "exact", "committed"),
            ("openai", "investee", None, "exact", "committed"),
            ("openai", "customer", "38000000000", "about", "committed"),
            ("aws", "provider", None, "exact", "committed"),
        ],
        page=["tens of billions of dollars", "Investor", "Investee", "Customer", "Provider", "$50B", "about $38B"],
        api={"amount": None, "amount_in_words": "tens of billions of dollars"},
        csv={"investors": "Amazon", "investees": "OpenAI", "customers": "OpenAI", "providers": "Amazon Web Services"},
        party_rows=[
            ("amazon", "investor", "50000000000.00", "exact", "committed"),
            ("openai", "customer", "38000000000.00", "about", "committed"),
            ("aws", "provider", "", "exact", "committed"),
        ],
    ),
    Shape(
        slug="mistral-series-c",
        title="Mistral AI raises €1.7B led by ASML",
        kind="funding_round",
        fields={
            "amount": "1700000000",
            "currency": "EUR",
            "usd_rate": "1.17",
            "valuation_post_usd": "13700000000",
        },
        parties=[
            ("asml", "lead_investor", "1300000000", "exact", "committed"),
            ("mistral", "investee", None, "exact", "committed"),
        ],
        page=["€1.7B", "≈ $1.99B in US dollars", "1.17 US$ per EUR", "Post-money valuation", "$13.7B", "€1.3B"],
        api={
            "currency": "EUR",
            "usd_rate": "1.170000",
            "amount_usd": "1989000000.00",
            "valuation_post_usd": "13700000000.00",
        },
        csv={"currency": "EUR", "usd_rate": "1.170000", "amount_usd": "1989000000.00"},
        party_rows=[("asml", "lead_investor", "1300000000.00", "exact", "committed")],
    ),
    Shape(
        slug="anthropic-google-tpus",
        title="Anthropic to use up to one million Google TPUs",
        kind="cloud_compute",
        fields={
            "quantity": "1000000",
            "quantity_unit": "tpus",
            "quantity_qualifier": "up_to",
            "amount_in_words": "tens of billions of dollars",
            "capacity_gw": "1",
            "capacity_qualifier": "at_least",
            "delivery_on": "2026-01-01",
            "delivery_precision": "year",
        },
        parties=[
            ("anthropic", "customer", None, "exact", "committed"),
            ("google-cloud", "provider", None, "exact", "committed"),
        ],
        page=["up to 1,000,000 TPUs", "tens of billions of dollars", "First delivery:", "2026"],
        api={"quantity": "1000000.000", "quantity_unit": "tpus", "quantity_qualifier": "up_to"},
        csv={"quantity": "1000000.000", "quantity_unit": "tpus", "quantity_qualifier": "up_to"},
    ),
    Shape(
        slug="openai-recapitalisation",
        title="OpenAI completes its recapitalisation",
        kind="recapitalisation",
        fields={"stake_after_percent": "27", "stake_value_usd": "135000000000", "valuation_post_usd": "500000000000"},
        parties=[
            ("microsoft", "investor", None, "exact", "committed"),
            ("openai", "investee", None, "exact", "committed"),
        ],
        page=[
            "Recapitalisation / restructuring",
            "Stake held after the deal",
            "27%",
            "Value of the stake",
            "$135B",
            "$500B",
        ],
        api={"kind": "recapitalisation", "stake_after_percent": "27.000", "stake_value_usd": "135000000000.00"},
        csv={"kind": "recapitalisation", "stake_after_percent": "27.000", "stake_value_usd": "135000000000.00"},
    ),
    Shape(
        slug="openai-40b-round",
        title="OpenAI raises $40B from SoftBank, Microsoft and others",
        kind="funding_round",
        fields={
            "amount": "40000000000",
            "others_unnamed": True,
            "commitment": "conditional",
            "conditions": "the restructuring into a for-profit company by year end",
        },
        parties=[
            ("softbank", "lead_investor", "30000000000", "exact", "conditional"),
            ("microsoft", "investor", None, "exact", "committed"),
            ("openai", "investee", None, "exact", "committed"),
        ],
        page=[
            "and others the source does not name",
            "Conditional",
            "on the restructuring into a for-profit company",
            '$30B <span class="muted">(conditional)</span>',
        ],
        api={"others_unnamed": True, "commitment": "conditional"},
        csv={
            "others_unnamed": "true",
            "commitment": "conditional",
            "conditions": "the restructuring into a for-profit company by year end",
        },
        party_rows=[("softbank", "lead_investor", "30000000000.00", "exact", "conditional")],
    ),
    Shape(
        slug="aws-openai-frontier",
        title="AWS becomes the exclusive third-party cloud for OpenAI Frontier",
        kind="cloud_compute",
        fields={
            "exclusivity": "exclusive",
            "exclusivity_scope": "third-party cloud for OpenAI Frontier",
            "amount_reported": True,
            "amount": "38000000000",
        },
        parties=[("openai", "customer", None, "exact", "committed"), ("aws", "provider", None, "exact", "committed")],
        page=["Exclusivity", "Exclusive", "for third-party cloud for OpenAI Frontier", "Reported"],
        api={
            "exclusivity": "exclusive",
            "exclusivity_scope": "third-party cloud for OpenAI Frontier",
            "amount_reported": True,
        },
        csv={
            "exclusivity": "exclusive",
            "exclusivity_scope": "third-party cloud for OpenAI Frontier",
            "amount_reported": "true",
        },
    ),
    Shape(
        slug="openai-oracle-300b",
        title="OpenAI signs a $300B compute contract with Oracle",
        kind="cloud_compute",
        fields={
            "amount": "300000000000",
            "starts_on": "2027-03-15",
            "starts_precision": "year",
            "ends_on": "2032-01-01",
            "ends_precision": "year",
            "duration_months": "60",
        },
        parties=[
            ("openai", "customer", None, "exact", "committed"),
            ("oracle", "provider", None, "exact", "committed"),
        ],
        page=["$300B", "Starts:", "2027", "Ends:", "2032", "5 years"],
        api={"starts_on": "2027-01-01", "starts_precision": "year", "ends_on": "2032-01-01", "duration_months": 60},
        csv={"starts_on": "2027-01-01", "starts_precision": "year", "ends_on": "2032-01-01", "ends_precision": "year"},
    ),
]


def _api_payload(shape: Shape, article) -> dict:
    return {
        "slug": shape.slug,
        "title": shape.title,
        "kind": shape.kind,
        "status": "announced",
        "announced_on": "2025-10-06",
        **shape.fields,
        "parties": [
            {"company": slug, "role": role, "amount": amount, "amount_qualifier": qualifier, "commitment": commitment}
            for slug, role, amount, qualifier, commitment in shape.parties
        ],
        "options": shape.options,
        "citations": [{"source_id": article.pk, "supports": "general", "quote": "as reported"}],
    }


def enter_through_api(api, shape: Shape, article) -> None:
    created = api.post("/api/v1/deals/", _api_payload(shape, article), format="json")
    assert created.status_code == 201, created.content
    published = api.patch(f"/api/v1/deals/{shape.slug}/", {"publication": "published"}, format="json")
    assert published.status_code == 200, published.content


def enter_through_admin(client, shape: Shape, article, companies) -> None:
    fields = {}
    for name, value in shape.fields.items():
        if value is True:
            fields[name] = "on"
        elif value is not False:
            fields[name] = value
    data = deal_form(
        slug=shape.slug,
        title=shape.title,
        kind=shape.kind,
        announced_on="2025-10-06",
        publication="published",
        amount_qualifier=shape.fields.get("amount_qualifier", "exact"),
        amount_as_stated="",
        parties=[
            party(companies[slug], role, amount or "", qualifier, commitment)
            for slug, role, amount, qualifier, commitment in shape.parties
        ],
        options=[
            {**option, "holder": companies[option["holder"]].pk, "issuer": companies[option["issuer"]].pk}
            for option in shape.options
        ],
        citations=[citation(article, "general", "as reported")],
        **{name: value for name, value in fields.items() if name != "amount_qualifier"},
    )
    for name in [name for name, value in data.items() if value is False]:
        del data[name]
    if not shape.fields.get("amount"):
        data["amount"] = ""
    response = client.post(ADD_URL, data, follow=True)
    page = response.content.decode()
    assert "was added successfully" in page, _form_errors(page)


def _form_errors(page: str) -> str:
    import re

    return " | ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)) or page[-2000:]


def csv_rows(client, url="/deals/export.csv", **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.slug for shape in SHAPES])
@pytest.mark.parametrize("channel", ["api", "admin"])
def test_each_fact_is_entered_and_read_back_everywhere(client, api, admin_client, companies, article, shape, channel):
    if channel == "api":
        enter_through_api(api, shape, article)
    else:
        enter_through_admin(admin_client, shape, article, companies)
    deal = Deal.objects.get(slug=shape.slug)
    assert deal.publication == Publication.PUBLISHED

    client.logout()
    page = client.get(deal.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    for text in shape.page:
        assert text in html, f"the page does not show {text!r}"

    data = client.get(f"/api/v1/deals/{shape.slug}/").json()
    for name, value in shape.api.items():
        assert data[name] == value, name
    assert [
        (p["company"], p["role"], p["amount"], p["amount_qualifier"], p["commitment"]) for p in data["parties"]
    ] == sorted(
        [
            (slug, role, _money(amount), qualifier, commitment)
            for slug, role, amount, qualifier, commitment in shape.parties
        ],
        key=lambda row: (row[1], COMPANIES[row[0]]),
    )
    for sent, shown in zip(shape.options, data["options"], strict=True):
        assert shown["holder"] == sent["holder"] and shown["issuer"] == sent["issuer"]
        assert shown["shares"] == int(sent["shares"]) and shown["shares_qualifier"] == sent["shares_qualifier"]
        assert Decimal(shown["exercise_price"]) == Decimal(sent["exercise_price"])
        assert shown["vesting"] == sent["vesting"] and shown["expires_on"] == sent["expires_on"]

    (row,) = [row for row in csv_rows(client) if row["slug"] == shape.slug]
    for name, value in shape.csv.items():
        assert row[name] == value, name
    party_rows = {
        (r["company_slug"], r["role"], r["amount"], r["amount_qualifier"], r["commitment"])
        for r in csv_rows(client, "/deals/parties.csv")
        if r["deal_slug"] == shape.slug
    }
    assert len(party_rows) == len(shape.parties)
    assert set(shape.party_rows) <= party_rows


def _money(amount):
    return None if amount is None else f"{Decimal(amount):.2f}"


def test_the_parties_csv_is_linked_from_the_deals_list_and_keeps_its_filters(client, companies, article):
    deal = make_deal(
        companies["amazon"], companies["anthropic"], title="Amazon invests in Anthropic", others_unnamed=True
    )
    make_deal(companies["google-cloud"], companies["anthropic"], title="Google invests in Anthropic")

    listing = client.get("/deals/", {"investor": "amazon"}).content.decode()
    assert 'href="/deals/parties.csv?investor=amazon"' in listing

    rows = csv_rows(client, "/deals/parties.csv", investor="amazon")
    assert {(r["deal_slug"], r["company"], r["role"], r["others_unnamed"]) for r in rows} == {
        (deal.slug, "Amazon", "investor", "true"),
        (deal.slug, "Anthropic", "investee", "true"),
    }


def test_the_api_lists_the_parties_of_the_filtered_deals_as_json_and_csv(client, api, companies, article):
    enter_through_api(api, SHAPES[6], article)  # the $40B round, with unnamed co-investors
    make_deal(companies["amazon"], companies["anthropic"])

    rows = client.get("/api/v1/deals/parties/", {"investee": "openai"}).json()
    assert rows["count"] == 3
    softbank = next(row for row in rows["results"] if row["company"] == "softbank")
    assert softbank == {
        "deal": "openai-40b-round",
        "deal_title": SHAPES[6].title,
        "company": "softbank",
        "company_name": "SoftBank",
        "role": "lead_investor",
        "role_display": "Lead investor",
        "amount": "30000000000.00",
        "currency": "USD",
        "amount_qualifier": "exact",
        "commitment": "conditional",
        "amount_usd": "30000000000.00",
        "others_unnamed": True,
    }
    table = client.get("/api/v1/deals/parties/", {"investee": "openai", "format": "csv"}).content.decode()
    header, *lines = list(csv.reader(io.StringIO(table)))
    assert header[:6] == ["deal", "deal_title", "company", "company_name", "role", "role_display"]
    assert len(lines) == 3
    bad = client.get("/api/v1/deals/parties/", {"announced_after": "2025-02-30"})
    assert bad.status_code == 400


def test_the_api_csv_has_the_new_facts(client, api, companies, article):
    enter_through_api(api, SHAPES[1], article)
    response = client.get("/api/v1/deals/nvidia-openai-loi/?format=csv")
    row = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["commitment"] == "non_binding"
    assert row["per_unit"] == "GW deployed"
    assert '"commitment": "non_binding"' in row["parties"]


# The rules: one place (deals.rules.services, called by Deal.clean(), the admin's formsets and the API's serializer).


def _deal(api, slug, **fields):
    payload = {
        "slug": slug,
        "title": slug,
        "kind": "equity",
        "announced_on": "2025-10-06",
        "parties": [{"company": "amazon", "role": "investor"}, {"company": "anthropic", "role": "investee"}],
        **fields,
    }
    return api.post("/api/v1/deals/", payload, format="json")


def _admin_deal(client, companies, article=None, **fields):
    data = deal_form(
        parties=fields.pop("parties", None)
        or [party(companies["amazon"], "investor"), party(companies["anthropic"], "investee")],
        citations=[citation(article)] if article else [],
        **fields,
    )
    return client.post(ADD_URL, data)


def test_a_currency_must_be_an_iso_4217_code(api, admin_client, companies):
    response = _deal(api, "bad-currency", currency="EUX", amount="5")
    assert response.status_code == 400
    assert "“EUX” is not a currency: enter a three-letter ISO 4217 currency code" in response.json()["currency"][0]
    assert _deal(api, "euros", currency="eur", amount="5", usd_rate="1.1").status_code == 201
    assert Deal.objects.get(slug="euros").currency == "EUR"

    page = _admin_deal(admin_client, companies, currency="XYZ").content.decode()
    assert "“XYZ” is not a currency" in page
    assert not Deal.objects.filter(slug="amazon-invests-in-anthropic").exists()


def test_a_non_usd_amount_is_published_only_with_its_rate(api, admin_client, companies, article):
    citations = [{"source_id": article.pk, "supports": "general"}]
    draft = _deal(api, "mistral-eur", currency="EUR", amount="1700000000", citations=citations)
    assert draft.status_code == 201, "a draft without a rate is fine"

    refused = api.patch("/api/v1/deals/mistral-eur/", {"publication": "published"}, format="json")
    assert refused.status_code == 400
    assert "can be published only with its rate" in refused.json()["usd_rate"][0]
    accepted = api.patch("/api/v1/deals/mistral-eur/", {"publication": "published", "usd_rate": "1.17"}, format="json")
    assert accepted.status_code == 200

    page = _admin_deal(
        admin_client, companies, article, currency="EUR", amount="5", publication="published"
    ).content.decode()
    assert "can be published only with its rate" in page

    unconverted = make_deal(
        companies["amazon"], companies["anthropic"], published=False, currency="GBP", title="Pounds"
    )
    response = admin_client.post(
        reverse("admin:deals_deal_changelist"),
        {"action": "publish_selected", "_selected_action": [unconverted.pk]},
        follow=True,
    )
    assert "has no US-dollar rate" in response.content.decode()
    unconverted.refresh_from_db()
    assert unconverted.publication == Publication.DRAFT


def test_stated_shares_cannot_exceed_the_amount_unless_it_is_a_bound(api, admin_client, companies):
    parties = [
        {"company": "amazon", "role": "investor", "amount": "6000000000"},
        {"company": "microsoft", "role": "investor", "amount": "6000000000"},
        {"company": "anthropic", "role": "investee"},
    ]
    refused = _deal(api, "too-much", amount="10000000000", parties=parties)
    assert refused.status_code == 400
    assert "The investor shares add up to $12B, more than the deal's amount of $10B" in refused.json()["parties"][0]
    assert _deal(api, "up-to", amount="10000000000", amount_qualifier="up_to", parties=parties).status_code == 201

    page = _admin_deal(
        admin_client,
        companies,
        amount="10000000000",
        amount_qualifier="exact",
        parties=[
            party(companies["amazon"], "investor", "6000000000"),
            party(companies["microsoft"], "investor", "6000000000"),
            party(companies["anthropic"], "investee"),
        ],
    ).content.decode()
    assert "more than the deal&#x27;s amount of $10B" in page or "more than the deal's amount of $10B" in page


def test_a_founding_year_is_between_1800_and_this_year(api, admin_client):
    response = api.post("/api/v1/companies/", {"slug": "future", "name": "Future", "founded_year": 3000}, format="json")
    assert response.status_code == 400
    assert "between 1800 and" in response.json()["founded_year"][0]

    data = {"name": "Old", "slug": "old", "kind": "other", "founded_year": "1700", "country": "", "website": ""}
    page = admin_client.post(reverse("admin:deals_company_add"), data).content.decode()
    assert "between 1800 and" in page and "1700 is not" in page
    assert not Company.objects.filter(slug="old").exists()


def test_a_deal_cannot_relate_to_itself(api, admin_client, companies):
    deal = make_deal(companies["amazon"], companies["anthropic"], published=False, title="Itself")
    response = api.patch(
        f"/api/v1/deals/{deal.slug}/", {"related": [{"kind": "part_of", "deal": deal.slug}]}, format="json"
    )
    assert response.status_code == 400
    assert "cannot be related to itself" in response.json()["related"][0]

    data = deal_form(
        title=deal.title,
        slug=deal.slug,
        amount="1000000000",
        parties=[
            {**party(companies["amazon"], "investor"), "id": deal.parties.get(role="investor").pk, "deal": deal.pk},
            {**party(companies["anthropic"], "investee"), "id": deal.parties.get(role="investee").pk, "deal": deal.pk},
        ],
        citations=[
            {"source": c.source_id, "supports": c.supports, "quote": "", "id": c.pk, "deal": deal.pk}
            for c in deal.citations.all()
        ],
        relations=[{"kind": "part_of", "to_deal": deal.pk}],
        initial={"parties": 2, "citations": deal.citations.count()},
        version=deal.version,
    )
    response = admin_client.post(reverse("admin:deals_deal_change", args=[deal.pk]), data)
    assert response.status_code == 200, "a form error, not a 500"
    assert "cannot be related to itself" in response.content.decode()
    assert not DealRelation.objects.exists()


def test_relations_cannot_loop(api, admin_client, companies):
    a = make_deal(companies["amazon"], companies["anthropic"], title="A")
    b = make_deal(companies["amazon"], companies["anthropic"], title="B")
    c = make_deal(companies["amazon"], companies["anthropic"], title="C")
    DealRelation.objects.create(from_deal=a, to_deal=b, kind="part_of")
    DealRelation.objects.create(from_deal=b, to_deal=c, kind="supersedes")

    loop = api.patch(f"/api/v1/deals/{b.slug}/", {"related": [{"kind": "part_of", "deal": a.slug}]}, format="json")
    assert loop.status_code == 400
    assert "This would make a loop: “A” already is part of this deal" in loop.json()["related"][0]
    back = api.patch(f"/api/v1/deals/{c.slug}/", {"related": [{"kind": "supersedes", "deal": b.slug}]}, format="json")
    assert back.status_code == 400 and "loop" in back.json()["related"][0]
    other_kind = api.patch(
        f"/api/v1/deals/{c.slug}/", {"related": [{"kind": "expands", "deal": b.slug}]}, format="json"
    )
    assert other_kind.status_code == 200

    data = deal_form(
        title=c.title,
        slug=c.slug,
        amount="1000000000",
        parties=[
            {**party(companies["amazon"], "investor"), "id": c.parties.get(role="investor").pk, "deal": c.pk},
            {**party(companies["anthropic"], "investee"), "id": c.parties.get(role="investee").pk, "deal": c.pk},
        ],
        citations=[
            {"source": x.source_id, "supports": x.supports, "quote": "", "id": x.pk, "deal": c.pk}
            for x in c.citations.all()
        ],
        relations=[
            {"kind": "expands", "to_deal": b.pk, "id": c.relations_out.get().pk, "from_deal": c.pk},
            {"kind": "supersedes", "to_deal": b.pk},
        ],
        initial={"parties": 2, "citations": c.citations.count(), "relations_out": 1},
        version=Deal.objects.get(pk=c.pk).version,
    )
    page = admin_client.post(reverse("admin:deals_deal_change", args=[c.pk]), data).content.decode()
    assert "This would make a loop" in page


def test_related_deals_are_written_through_the_api(api, companies):
    earlier = make_deal(companies["openai"], companies["aws"], title="OpenAI and AWS, $38B", kind="cloud_compute")
    response = _deal(api, "aws-grows", related=[{"kind": "expands", "deal": earlier.slug}])
    assert response.status_code == 201, response.content
    assert response.json()["related"] == [
        {"slug": earlier.slug, "title": earlier.title, "relation": "expands", "direction": "outgoing"}
    ]
    # A deal read and sent back is unchanged (incoming rows belong to the other deal and are skipped).
    earlier_read = api.get(f"/api/v1/deals/{earlier.slug}/").json()
    assert earlier_read["related"][0]["direction"] == "incoming"
    assert (
        api.patch(f"/api/v1/deals/{earlier.slug}/", {"related": earlier_read["related"]}, format="json").status_code
        == 200
    )
    assert DealRelation.objects.filter(from_deal__slug="aws-grows", to_deal=earlier, kind="expands").exists()

    unknown = api.patch("/api/v1/deals/aws-grows/", {"related": [{"kind": "expands", "deal": "nope"}]}, format="json")
    assert unknown.status_code == 400 and "No deal with this slug: nope." in unknown.json()["related"][0]
    # Malformed links are a 400 that shows the expected shape (their braces once broke DRF's formatting: a 500).
    bad_row = api.patch("/api/v1/deals/aws-grows/", {"related": [{"kind": "marries", "deal": 3}]}, format="json")
    assert bad_row.status_code == 400
    assert bad_row.json()["related"] == [
        'Each link is an object {"kind": "expands" | "supersedes" | "part_of", "deal": "<slug>"}.'
    ]
    not_a_list = api.patch("/api/v1/deals/aws-grows/", {"related": "expands"}, format="json")
    assert not_a_list.status_code == 400
    assert not_a_list.json()["related"] == ["Expected a list of {kind, deal} objects."]
    cleared = api.patch("/api/v1/deals/aws-grows/", {"related": []}, format="json")
    assert (
        cleared.json()["related"]
        == [{"slug": earlier.slug, "title": earlier.title, "relation": "expands", "direction": "incoming"}]
        or cleared.json()["related"] == []
    )
    assert not DealRelation.objects.filter(from_deal__slug="aws-grows").exists()


def test_an_impossible_date_says_so(api, admin_client, companies):
    response = _deal(api, "feb-30", announced_on="2025-02-30")
    assert response.status_code == 400
    assert response.json()["announced_on"] == ["2025-02-30 is not a date: February 2025 has 28 days."]
    response = _deal(api, "month-13", starts_on="2025-13-01")
    assert "there is no month 13" in response.json()["starts_on"][0]

    page = _admin_deal(admin_client, companies, announced_on="2025-02-30").content.decode()
    assert "2025-02-30 is not a date: February 2025 has 28 days." in page
    form = admin_client.get(ADD_URL).content.decode()
    assert "for a month, e.g. 2025-10-01" in form


def test_a_month_precision_date_is_kept_as_its_first_day(api, companies):
    response = _deal(
        api,
        "a-month",
        announced_on="2025-10-17",
        announced_precision="month",
        delivery_on="2026-09-20",
        delivery_precision="month",
    )
    assert response.status_code == 201, response.content
    assert response.json()["announced_on"] == "2025-10-01"
    assert response.json()["delivery_on"] == "2026-09-01"


def test_the_schema_says_what_a_patch_of_citations_does_and_how_links_are_written(api, article, companies):
    schema = api.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    citations = schema["PatchedDealRequest"]["properties"]["citations"]["description"]
    assert "REPLACES the deal's citations" in citations and "Left out of a PATCH, they are kept" in citations
    related = schema["PatchedDealRequest"]["properties"]["related"]
    assert related["items"]["$ref"].endswith("/RelationInputRequest")
    assert set(schema["RelationInputRequest"]["properties"]) == {"kind", "deal"}
    assert schema["Deal"]["properties"]["related"]["items"]["$ref"].endswith("/RelatedDeal")
    for name in ("commitment", "amount_reported", "options", "exclusivity", "quantity_unit", "starts_on", "warnings"):
        assert schema["Deal"]["properties"][name].get("description"), name
    assert schema["Party"]["properties"]["commitment"]["description"]

    # And it does replace them.
    other = SourceFactory()
    _deal(api, "cited", citations=[{"source_id": article.pk, "supports": "general"}])
    api.patch("/api/v1/deals/cited/", {"citations": [{"source_id": other.pk, "supports": "amount"}]}, format="json")
    assert list(Deal.objects.get(slug="cited").citations.values_list("source_id", flat=True)) == [other.pk]


def test_the_same_article_is_one_source_whatever_its_tracking_parameters(api, admin_client):
    first = api.post(
        "/api/v1/sources/",
        {"url": "https://elpais.com/economia/amazon-anthropic/?utm_source=twitter&fbclid=abc", "title": "Amazon bets"},
        format="json",
    )
    assert first.status_code == 201
    assert first.json()["url"] == "https://elpais.com/economia/amazon-anthropic"

    again = api.post(
        "/api/v1/sources/",
        {"url": "https://elpais.com/economia/amazon-anthropic?gclid=xyz&utm_medium=social", "title": "Again"},
        format="json",
    )
    assert again.status_code == 400
    assert f"already recorded as source #{first.json()['id']}, “Amazon bets”" in again.json()["url"][0]

    data = {
        "url": "https://ELPAIS.com/economia/amazon-anthropic/",
        "title": "Once more",
        "publisher": "",
        "language": "",
    }
    data["published_precision"] = "day"
    page = admin_client.post(reverse("admin:deals_source_add"), data).content.decode()
    assert "already recorded as source #" in page
    assert Source.objects.count() == 1

    kept = api.post(
        "/api/v1/sources/",
        {"url": "https://elpais.com/economia/other?id=7&utm_campaign=x#comments", "title": "Other"},
        format="json",
    )
    assert kept.json()["url"] == "https://elpais.com/economia/other?id=7"


def test_a_titleless_source_is_named_by_publisher_and_date(client, api, companies):
    source = SourceFactory(url="", title="", publisher="El País", published_on="2023-09-25")
    source.refresh_from_db()
    assert str(source) == source.display_name == "El País, Sept. 25, 2023"
    deal = make_deal(companies["amazon"], companies["anthropic"], cite=False)
    CitationFactory(deal=deal, source=source, supports="amount")

    assert "El País, Sept. 25, 2023" in client.get(deal.get_absolute_url()).content.decode()
    data = client.get(f"/api/v1/deals/{deal.slug}/").json()
    assert data["citations"][0]["source_name"] == "El País, Sept. 25, 2023"
    assert client.get(f"/api/v1/sources/{source.pk}/").json()["display_name"] == "El País, Sept. 25, 2023"
    (row,) = csv_rows(client)
    assert row["sources"] == "amount: El País, Sept. 25, 2023"
    created = api.post("/api/v1/sources/", {"publisher": "Reuters", "published_on": "2025-10-06"}, format="json")
    assert created.status_code == 201 and created.json()["display_name"] == "Reuters, Oct. 6, 2025"


def test_the_api_warns_of_likely_duplicates(api, companies):
    existing = make_deal(companies["amazon"], companies["anthropic"], title="Amazon's $4B", announced_on="2025-10-02")
    response = _deal(api, "amazon-again")
    assert response.status_code == 201
    assert response.json()["warnings"] == [
        f"Possible duplicate: “{existing.title}” ({existing.slug}) has the same parties and was announced in the same "
        "month."
    ]
    assert api.get("/api/v1/deals/amazon-again/").json()["warnings"] == []
    changed = api.patch("/api/v1/deals/amazon-again/", {"summary": "Still the same?"}, format="json")
    assert len(changed.json()["warnings"]) == 1
    other = _deal(api, "next-month", announced_on="2025-11-02")
    assert other.json()["warnings"] == []


def test_the_rules_hold_for_a_csv_import_too(companies):
    deal = Deal(slug="pounds", title="Pounds", kind="equity", currency="GBX", amount=Decimal(5))
    with pytest.raises(Exception) as refused:
        deal.full_clean()
    assert "is not a currency" in str(refused.value)
    deal.currency, deal.publication = "GBP", Publication.PUBLISHED
    with pytest.raises(Exception) as refused:
        deal.full_clean()
    assert "published only with its rate" in str(refused.value)
    with pytest.raises(Exception) as refused:
        services.validate_party_shares(Decimal(10), "USD", "about", [("customer", Decimal(11))])
    assert "customer shares add up to $11" in str(refused.value)


def test_a_csv_import_takes_the_new_facts_and_obeys_the_same_rules(admin_client):
    from tests.test_admin_import_export import _confirm, _upload

    header = (
        "slug,title,kind,status,publication,announced_on,announced_precision,amount,currency,amount_qualifier,"
        "commitment,quantity,quantity_unit,quantity_qualifier,exclusivity,exclusivity_scope,starts_on,starts_precision\n"
    )
    bad = _upload(
        admin_client,
        "deal",
        header
        + "eux,Bad money,equity,announced,draft,2025-10-06,day,5,EUX,exact,committed,,,exact,none,,,day\n"
        + "tpus,TPUs without a unit,cloud_compute,announced,draft,2025-10-06,day,,USD,exact,committed,5,,exact,"
        + "none,,,day\n",
    ).content.decode()
    assert "“EUX” is not a currency" in bad
    assert "Say what the quantity counts" in bad
    assert not Deal.objects.exists()

    good = _upload(
        admin_client,
        "deal",
        header + "nvidia-loi,Nvidia LOI,equity,announced,draft,2025-09-22,day,100000000000,USD,up_to,non_binding,"
        "1000000,gpus,up_to,exclusive,preferred compute partner,2026-07-01,month\n",
    )
    _confirm(admin_client, "deal", good)
    deal = Deal.objects.get(slug="nvidia-loi")
    assert (deal.commitment, deal.quantity, deal.quantity_unit, deal.exclusivity) == (
        "non_binding",
        Decimal("1000000"),
        "gpus",
        "exclusive",
    )
    assert (str(deal.starts_on), deal.starts_precision) == ("2026-07-01", "month")


SEED = """
companies:
  - {slug: amd, name: AMD, kind: chipmaker}
  - {slug: openai, name: OpenAI, kind: ai_lab}
sources:
  - {key: wire, publisher: Reuters, published_on: 2025-10-06, language: en}
deals:
  - slug: amd-openai-seed
    title: OpenAI and AMD, 6 GW
    kind: chip_supply
    status: announced
    announced_on: 2025-10-06
    commitment: conditional
    conditions: deployment milestones
    amount_in_words: tens of billions of dollars
    amount_reported: true
    others_unnamed: false
    quantity: 6
    quantity_unit: gw
    exclusivity: preferred
    exclusivity_scope: AI compute
    starts_on: 2026-07-01
    starts_precision: month
    delivery_on: 2026-07-01
    delivery_precision: month
    valuation_post_usd: 500000000000
    parties:
      - {company: openai, role: customer, amount: 1000, amount_qualifier: about, commitment: conditional}
      - {company: amd, role: provider}
    tranches:
      - {position: 1, label: first GW, amount: 10, commitment: conditional, condition: 1 GW deployed}
    options:
      - {kind: warrant, holder: openai, issuer: amd, shares: 160000000, shares_qualifier: up_to, exercise_price: 0.01,
         vesting: as 1 GW … 6 GW are deployed, expires_on: 2030-10-05}
    citations:
      - {source: wire, supports: general, quote: AMD and OpenAI}
  - slug: amd-openai-later
    title: OpenAI and AMD, more
    kind: chip_supply
    status: announced
    parties:
      - {company: openai, role: customer}
      - {company: amd, role: provider}
    citations:
      - {source: wire, supports: general, quote: more}
    related:
      - {kind: expands, deal: amd-openai-seed}
"""


def test_the_seed_loader_takes_every_new_key(tmp_path, client):
    from deals.exchange.seed import loader

    path = tmp_path / "seed.yaml"
    path.write_text(SEED, encoding="utf-8")
    loader.load(path)
    loader.load(path)  # a second run changes nothing

    deal = Deal.objects.get(slug="amd-openai-seed")
    assert (deal.commitment, deal.conditions, deal.amount_reported, deal.exclusivity) == (
        "conditional",
        "deployment milestones",
        True,
        "preferred",
    )
    assert (deal.quantity, deal.quantity_unit, str(deal.starts_on), deal.delivery_precision) == (
        Decimal(6),
        "gw",
        "2026-07-01",
        "month",
    )
    customer = deal.parties.get(role="customer")
    assert (customer.amount_qualifier, customer.commitment) == ("about", "conditional")
    assert deal.tranches.get().commitment == "conditional"
    option = deal.options.get()
    assert (option.shares, option.shares_qualifier, option.exercise_price) == (160000000, "up_to", Decimal("0.01"))
    assert DealRelation.objects.get().to_deal == deal
    source = Source.objects.get()
    assert source.display_name == "Reuters, Oct. 6, 2025"
    page = client.get(deal.get_absolute_url()).content.decode()
    assert "Reuters, Oct. 6, 2025" in page and "tens of billions of dollars" in page
