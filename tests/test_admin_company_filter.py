"""The admin's deal list filters by a typed company, so the sidebar stays small with thousands of companies."""

from django.urls import reverse

from tests.factories import CompanyFactory, make_deal

CHANGELIST = reverse("admin:deals_deal_changelist")


def _deals():
    amazon = CompanyFactory(name="Amazon", slug="amazon")
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic")
    google = CompanyFactory(name="Google", slug="google")
    for number in range(30):
        CompanyFactory(name=f"Lab {number}", slug=f"lab-{number}")
    make_deal(amazon, anthropic, title="Amazon backs Anthropic")
    make_deal(google, anthropic, title="Google backs Anthropic", published=False)
    make_deal(google, CompanyFactory(name="Other Lab", slug="other-lab"), title="Google backs Other Lab")


def _titles(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {deal.title for deal in response.context["cl"].result_list}


def test_a_slug_or_part_of_a_name_narrows_the_list(publisher_client):
    _deals()

    assert _titles(publisher_client, company="anthropic") == {"Amazon backs Anthropic", "Google backs Anthropic"}
    assert _titles(publisher_client, company="oogl") == {"Google backs Anthropic", "Google backs Other Lab"}
    assert _titles(publisher_client, company="nobody") == set()


def test_the_company_filter_combines_with_the_others(publisher_client):
    _deals()

    assert _titles(publisher_client, company="anthropic", publication="draft") == {"Google backs Anthropic"}


def test_the_sidebar_is_one_search_box_not_a_link_per_company(publisher_client):
    _deals()

    page = publisher_client.get(CHANGELIST, {"publication": "published"}).content.decode()

    assert "By company" in page
    assert 'name="company"' in page
    assert "Lab 7" not in page
    # The typed filter keeps the other filters the list already has.
    assert '<input type="hidden" name="publication" value="published">' in page


def test_a_typed_company_is_shown_escaped(publisher_client):
    _deals()

    page = publisher_client.get(CHANGELIST, {"company": '"><script>alert(1)</script>'}).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&quot;&gt;&lt;script&gt;" in page
