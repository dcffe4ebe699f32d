"""The company page: family, totals, partners, deals by role, timeline, and only published deals."""

from django.urls import reverse

from tests.factories import CompanyFactory, make_deal


def page(client, slug):
    response = client.get(reverse("deals:company-detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response


def test_parent_and_subsidiaries_link_to_each_other(client, world):
    amazon = page(client, "amazon").content.decode()
    assert '<a href="/companies/aws/">Amazon Web Services</a>' in amazon
    aws = page(client, "aws").content.decode()
    assert '<a href="/companies/amazon/">Amazon</a>' in aws


def test_totals_by_role(client, world):
    totals = page(client, "openai").context["company"].totals
    assert totals.received_usd == 110_000_000_000
    assert totals.bought_usd == 48_000_000_000
    assert totals.invested_usd is None
    content = page(client, "openai").content.decode()
    assert "$110B" in content and "$48B" in content


def test_an_investor_is_credited_with_its_stated_share_not_the_whole_round(client, world):
    totals = page(client, "amazon").context["company"].totals
    assert totals.invested_usd == 54_000_000_000  # $4B in Anthropic + $50B of the $110B round


def test_an_investor_of_unknown_share_among_several_is_not_credited_with_the_round(client, db):
    startup = CompanyFactory(slug="startup")
    first, second = CompanyFactory(slug="first"), CompanyFactory(slug="second")
    deal = make_deal(first, startup)
    deal.parties.create(company=second, role="investor")
    assert page(client, "first").context["company"].totals.invested_usd is None
    assert page(client, "startup").context["company"].totals.received_usd == 1_000_000_000


def test_deals_grouped_by_role(client, world):
    response = page(client, "openai")
    groups = {role: [deal.slug for deal in deals] for role, deals in response.context["deals_by_role"]}
    assert groups == {
        "Investee": ["openai-110b-round"],
        "Customer": ["openai-aws-expansion", "openai-aws-cloud"],
        "Partner": ["softbank-openai-europe"],
    }
    content = response.content.decode()
    assert "As investee" in content and "As customer" in content


def test_partners_are_the_alliances_with_their_totals(client, world):
    response = page(client, "openai")
    partners = {partner.slug: alliance for alliance, partner in response.context["partners"]}
    assert set(partners) == {"amazon", "nvidia", "softbank"}
    assert partners["amazon"].deal_count == 3
    assert partners["amazon"].total_usd == 98_000_000_000  # 38 + 10 + Amazon's 50 of the round
    assert 'href="/alliances/amazon--openai/"' in response.content.decode()


def test_a_subsidiary_shows_the_alliances_it_takes_part_in(client, world):
    partners = [partner.slug for _alliance, partner in page(client, "aws").context["partners"]]
    assert partners == ["openai"]


def test_timeline_runs_oldest_first(client, world):
    timeline = [deal.slug for deal in page(client, "anthropic").context["timeline"]]
    assert timeline == ["amazon-invests-in-anthropic", "google-backs-anthropic", "anthropic-google-cloud-tpus"]


def test_draft_deals_do_not_appear(client, world):
    content = page(client, "anthropic").content.decode()
    assert "Secret Co" not in content
    assert "secret-investment" not in content


def test_a_company_known_only_from_drafts_is_404(client, world):
    assert client.get(reverse("deals:company-detail", kwargs={"slug": "secret-co"})).status_code == 404


def test_an_unknown_company_is_404(client, world):
    assert client.get("/companies/no-such-company/").status_code == 404


def test_the_website_link_is_external_and_safe(client, world):
    content = page(client, "amazon").content.decode()
    assert '<a href="https://amazon.com" rel="noopener noreferrer" target="_blank">' in content


def test_the_query_count_does_not_grow_with_the_number_of_deals(client, db, django_assert_max_num_queries):
    company = CompanyFactory(slug="busy")
    for _ in range(30):
        make_deal(company, CompanyFactory())
    # company with its totals, subsidiaries, count, deals, parties, partners (a company without parent is its
    # group), and the money by year for the chart
    with django_assert_max_num_queries(7):
        assert client.get("/companies/busy/").status_code == 200
