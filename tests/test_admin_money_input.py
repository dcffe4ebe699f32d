"""Amounts typed in the admin as people write them ("1.5B", "€15M", "1.250 millones"), on the deal form and its
party and tranche inlines; the API keeps taking plain decimals."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from deals.models import Deal
from tests.admin_forms import deal_form, party
from tests.api_world import token_client
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:deals_deal_add")


@pytest.fixture
def companies():
    return CompanyFactory(name="Amazon", slug="amazon"), CompanyFactory(name="Anthropic", slug="anthropic")


def add(client, companies, parties=None, **fields):
    investor, investee = companies
    parties = parties or [party(investor, "investor"), party(investee, "investee")]
    return client.post(ADD_URL, deal_form(parties=parties, **fields))


def saved(response) -> Deal:
    assert response.status_code == 302, response.content.decode()
    return Deal.objects.get()


@pytest.mark.parametrize(
    "typed, amount, currency",
    [
        ("1.5B", "1500000000", "USD"),
        ("1.5 bn", "1500000000", "USD"),
        ("500M", "500000000", "USD"),
        ("500 million", "500000000", "USD"),
        ("$2,000,000", "2000000", "USD"),
        ("2.5 billion", "2500000000", "USD"),
        ("€15M", "15000000", "EUR"),
        ("15 millones de euros", "15000000", "EUR"),
        ("1.250 millones", "1250000000", "USD"),
        ("4000000000", "4000000000", "USD"),
        ("4000000000.00", "4000000000", "USD"),
    ],
)
def test_the_deal_amount_is_read_as_written(editor_client, companies, typed, amount, currency):
    deal = saved(add(editor_client, companies, amount=typed, currency="", amount_as_stated="", usd_rate="1.1"))
    assert deal.amount == Decimal(amount)
    assert deal.currency == currency


def test_what_was_typed_becomes_the_amount_as_stated_when_empty(editor_client, companies):
    deal = saved(add(editor_client, companies, amount="1.5 bn", amount_as_stated=""))
    assert deal.amount_as_stated == "1.5 bn"
    Deal.objects.all().delete()
    kept = saved(add(editor_client, companies, amount="1.5 bn", amount_as_stated="about $1.5 billion"))
    assert kept.amount_as_stated == "about $1.5 billion"
    Deal.objects.all().delete()
    plain = saved(add(editor_client, companies, amount="1500000000", amount_as_stated=""))
    assert plain.amount_as_stated == ""


def test_a_symbol_that_contradicts_the_chosen_currency_is_an_error(editor_client, companies):
    response = add(editor_client, companies, amount="€15M", currency="GBP", usd_rate="1.3")
    assert response.status_code == 200
    assert "The amount is written in EUR but the currency is GBP." in response.content.decode()
    assert not Deal.objects.exists()
    canadian = saved(add(editor_client, companies, amount="$20M", currency="CAD", usd_rate="0.7"))
    assert canadian.amount == Decimal("20000000") and canadian.currency == "CAD"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1.5X", "Unknown unit “X”: use K, M, B, thousand, million, billion or millones."),
        ("abc", "Enter an amount, e.g. 1.5B, 500 million or $2,000,000."),
        ("-5M", "An amount cannot be negative."),
        ("5000 trillion", "That amount is too large: check the number and its unit."),
        ("1.2.3M", "Enter an amount, e.g. 1.5B, 500 million or $2,000,000."),
    ],
)
def test_unreadable_amounts_are_clear_form_errors(editor_client, companies, typed, message):
    response = add(editor_client, companies, amount=typed)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Deal.objects.exists()


def test_party_shares_and_tranches_take_written_amounts_in_the_deals_currency(editor_client, companies):
    investor, investee = companies
    tranche = {"position": 1, "label": "now", "amount": "1.25B", "amount_qualifier": "exact", "commitment": "committed"}
    deal = saved(
        add(
            editor_client,
            companies,
            parties=[party(investor, "investor", "€4B"), party(investee, "investee")],
            tranches=[tranche],
            amount="€4 bn",
            currency="",
            usd_rate="1.08",
        )
    )
    assert deal.currency == "EUR"
    assert deal.parties.get(company=investor).amount == Decimal("4000000000")
    assert deal.tranches.get().amount == Decimal("1250000000")


def test_a_share_in_another_currency_than_the_deals_is_an_error(editor_client, companies):
    investor, investee = companies
    parties = [party(investor, "investor", "£4B"), party(investee, "investee")]
    response = add(editor_client, companies, parties=parties, amount="4B", currency="USD")
    assert response.status_code == 200
    assert "The amount is written in GBP but the currency is USD." in response.content.decode()


def test_the_form_shows_a_preview_script_that_calls_no_network(editor_client):
    content = editor_client.get(ADD_URL).content.decode()
    assert "/static/js/money-preview.js" in content
    assert 'name="amount"' in content and "data-money-preview" in content
    assert 'name="parties-0-amount"' in content
    script = Path(finders.find("js/money-preview.js")).read_text(encoding="utf-8")
    assert "fetch(" not in script and "XMLHttpRequest" not in script and "http" not in script


def test_the_api_keeps_taking_plain_decimals_only(editor, companies):
    client = token_client(editor)
    investor, investee = companies
    body = {
        "title": "API deal",
        "slug": "api-deal",
        "kind": "equity",
        "amount": "1.5B",
        "parties": [{"company": "amazon", "role": "investor"}, {"company": "anthropic", "role": "investee"}],
    }
    assert client.post("/api/v1/deals/", body, format="json").status_code == 400
    body["amount"] = "1500000000"
    response = client.post("/api/v1/deals/", body, format="json")
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["amount"]) == Decimal("1500000000")
