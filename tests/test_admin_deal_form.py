"""The deal form of the admin, as an Editors-group user (not a superuser) fills it in."""

import pytest
from django.urls import reverse

from deals.models import Deal, Publication
from tests.admin_forms import citation, deal_form, party
from tests.factories import CompanyFactory, SourceFactory

ADD_URL = reverse("admin:deals_deal_add")


@pytest.fixture
def amazon(db):
    return CompanyFactory(name="Amazon", slug="amazon", kind="big_tech")


@pytest.fixture
def anthropic(db):
    return CompanyFactory(name="Anthropic", slug="anthropic")


@pytest.fixture
def article(db):
    return SourceFactory(title="Amazon bets on AI", url="https://elpais.com/economia/amazon-anthropic.html")


def errors_of(response) -> str:
    assert response.status_code == 200, "the form should be shown again with its errors"
    return response.content.decode()


def test_editor_adds_a_deal_with_parties_tranches_and_citations(editor_client, amazon, anthropic, article):
    data = deal_form(
        parties=[party(amazon, "investor", "4000000000"), party(anthropic, "investee")],
        tranches=[
            {
                "position": 1,
                "label": "now",
                "amount": "1250000000",
                "amount_qualifier": "exact",
                "commitment": "committed",
            }
        ],
        citations=[citation(article, "amount", "Amazon invertirá hasta 4.000 millones")],
    )
    response = editor_client.post(ADD_URL, data, follow=True)

    assert response.status_code == 200
    deal = Deal.objects.get(slug="amazon-invests-in-anthropic")
    assert deal.publication == Publication.DRAFT, "an editor without the publish permission saves drafts"
    assert {(p.company.slug, p.role) for p in deal.parties.all()} == {("amazon", "investor"), ("anthropic", "investee")}
    assert deal.tranches.get().label == "now"
    assert deal.citations.get().quote == "Amazon invertirá hasta 4.000 millones"
    assert str(deal.amount_usd) == "4000000000.00"
    assert "was added successfully" in response.content.decode()


def test_editor_changes_a_deal_and_its_inlines(editor_client, amazon, anthropic, article):
    editor_client.post(
        ADD_URL, deal_form(parties=[party(amazon, "investor"), party(anthropic, "investee")], citations=[])
    )
    deal = Deal.objects.get()
    parties = list(deal.parties.order_by("pk"))
    data = deal_form(
        title="Amazon invests up to $4B in Anthropic",
        parties=[
            {**party(amazon, "investor"), "id": parties[0].pk},
            {**party(anthropic, "investee"), "id": parties[1].pk},
        ],
        citations=[citation(article)],
        initial={"parties": 2},
    )
    for index, saved in enumerate(parties):
        data[f"parties-{index}-deal"] = deal.pk
        data[f"parties-{index}-id"] = saved.pk
    response = editor_client.post(reverse("admin:deals_deal_change", args=[deal.pk]), data, follow=True)

    assert "was changed successfully" in response.content.decode()
    deal.refresh_from_db()
    assert deal.title == "Amazon invests up to $4B in Anthropic"
    assert deal.citations.count() == 1


def test_the_editor_form_offers_company_autocomplete_and_adding_sources(editor_client):
    page = editor_client.get(ADD_URL).content.decode()

    assert 'class="admin-autocomplete"' in page
    assert 'data-model-name="dealparty" data-field-name="company"' in page
    assert 'data-model-name="tranche" data-field-name="company"' in page
    assert reverse("admin:deals_source_add") in page, "sources can be added from the deal form"


def test_fewer_than_two_parties_is_refused(editor_client, amazon):
    response = editor_client.post(ADD_URL, deal_form(parties=[party(amazon, "partner")]))

    assert "A deal needs at least two parties" in errors_of(response)
    assert not Deal.objects.exists()


def test_the_same_company_twice_is_not_two_parties(editor_client, amazon):
    response = editor_client.post(ADD_URL, deal_form(parties=[party(amazon, "partner"), party(amazon, "investor")]))

    assert "A deal needs at least two parties" in errors_of(response)


def test_an_investee_needs_an_investor(editor_client, amazon, anthropic):
    response = editor_client.post(ADD_URL, deal_form(parties=[party(amazon, "partner"), party(anthropic, "investee")]))

    assert "An investee needs an investor" in errors_of(response)
    assert not Deal.objects.exists()


def test_a_provider_needs_a_customer(editor_client, amazon, anthropic):
    response = editor_client.post(ADD_URL, deal_form(parties=[party(amazon, "provider"), party(anthropic, "partner")]))

    assert "A provider needs a customer" in errors_of(response)


def test_a_negative_amount_is_refused(editor_client, amazon, anthropic):
    response = editor_client.post(
        ADD_URL, deal_form(amount="-5", parties=[party(amazon, "investor"), party(anthropic, "investee")])
    )

    assert "An amount cannot be negative." in errors_of(response)
    assert not Deal.objects.exists()


def test_a_negative_share_of_a_party_is_refused(editor_client, amazon, anthropic):
    response = editor_client.post(
        ADD_URL, deal_form(parties=[party(amazon, "investor", "-1"), party(anthropic, "investee")])
    )

    assert "An amount cannot be negative." in errors_of(response)


def test_a_stake_above_100_percent_is_refused(editor_client, amazon, anthropic):
    response = editor_client.post(
        ADD_URL, deal_form(stake_percent="120", parties=[party(amazon, "investor"), party(anthropic, "investee")])
    )

    assert "Ensure this value is less than or equal to 100." in errors_of(response)


def test_a_bad_currency_code_is_refused(editor_client, amazon, anthropic):
    response = editor_client.post(
        ADD_URL, deal_form(currency="$$", parties=[party(amazon, "investor"), party(anthropic, "investee")])
    )

    assert "three-letter ISO 4217 currency code" in errors_of(response)


def test_publishing_without_a_citation_is_refused(publisher_client, amazon, anthropic):
    response = publisher_client.post(
        ADD_URL,
        deal_form(publication="published", parties=[party(amazon, "investor"), party(anthropic, "investee")]),
    )

    assert "A deal can be published only when it cites at least one source." in errors_of(response)
    assert not Deal.objects.exists()


def test_a_publisher_publishes_a_sourced_deal(publisher_client, amazon, anthropic, article):
    publisher_client.post(
        ADD_URL,
        deal_form(
            publication="published",
            parties=[party(amazon, "investor"), party(anthropic, "investee")],
            citations=[citation(article)],
        ),
    )

    deal = Deal.objects.get()
    assert deal.publication == Publication.PUBLISHED
    assert deal.published_at is not None


def test_an_editor_cannot_publish_by_posting_the_field(editor_client, amazon, anthropic, article):
    editor_client.post(
        ADD_URL,
        deal_form(
            publication="published",
            parties=[party(amazon, "investor"), party(anthropic, "investee")],
            citations=[citation(article)],
        ),
    )

    assert Deal.objects.get().publication == Publication.DRAFT


def test_a_non_euro_amount_gets_its_dollar_equivalent_from_the_rate(editor_client, amazon, anthropic):
    editor_client.post(
        ADD_URL,
        deal_form(
            amount="3800000000",
            currency="eur",
            usd_rate="1.052632",
            parties=[party(amazon, "investor"), party(anthropic, "investee")],
        ),
    )

    deal = Deal.objects.get()
    assert deal.currency == "EUR"
    assert str(deal.amount_usd) == "4000001600.00"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.com/a", "vbscript:x"])
def test_a_source_url_must_be_http(editor_client, url):
    response = editor_client.post(
        reverse("admin:deals_source_add"),
        {"url": url, "title": "Hostile", "publisher": "", "published_on": "", "published_precision": "day"},
    )

    assert "Enter a web address that starts with http:// or https://." in errors_of(response)


def test_a_company_website_must_be_http(editor_client):
    response = editor_client.post(
        reverse("admin:deals_company_add"),
        {"name": "Evil", "slug": "evil", "kind": "other", "website": "javascript:alert(1)"},
    )

    assert "Enter a web address that starts with http:// or https://." in errors_of(response)


def test_a_rate_that_overflows_the_dollar_column_is_a_form_error(editor_client, amazon, anthropic):
    response = editor_client.post(
        ADD_URL,
        deal_form(
            amount="999999999999999",
            currency="EUR",
            usd_rate="99999999",
            parties=[party(amazon, "investor", "999999999999999"), party(anthropic, "investee")],
        ),
    )

    assert "At this rate the US-dollar equivalent is too large to record" in errors_of(response)
    assert not Deal.objects.exists()
