"""A save that looks like an existing deal warns, with a link, and still saves."""

import datetime

from django.urls import reverse

from deals.models import Deal
from tests.admin_forms import deal_form, party
from tests.factories import CompanyFactory, make_deal


def test_same_parties_same_month_warns_with_a_link(editor_client):
    amazon, anthropic = CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic")
    existing = make_deal(amazon, anthropic, title="Amazon's $4B", announced_on=datetime.date(2023, 9, 25))

    response = editor_client.post(
        reverse("admin:deals_deal_add"),
        deal_form(
            title="Amazon invests $4B",
            slug="amazon-invests-4b",
            announced_on="2023-09-28",
            parties=[party(amazon, "investor"), party(anthropic, "investee")],
        ),
        follow=True,
    )

    page = response.content.decode()
    assert Deal.objects.filter(slug="amazon-invests-4b").exists(), "a warning does not stop the save"
    assert "Possible duplicate" in page
    assert f'href="{reverse("admin:deals_deal_change", args=[existing.pk])}"' in page


def test_other_month_or_other_parties_do_not_warn(editor_client):
    amazon, anthropic, google = (CompanyFactory(name=n) for n in ("Amazon", "Anthropic", "Google"))
    make_deal(amazon, anthropic, announced_on=datetime.date(2023, 9, 25))
    make_deal(google, anthropic, announced_on=datetime.date(2023, 10, 2))

    response = editor_client.post(
        reverse("admin:deals_deal_add"),
        deal_form(announced_on="2023-10-05", parties=[party(amazon, "investor"), party(anthropic, "investee")]),
        follow=True,
    )

    assert "Possible duplicate" not in response.content.decode()
