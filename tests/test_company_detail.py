"""The company page: family, totals, partners, deals by role, timeline, and only published deals."""

from django.urls import reverse

from tests.factories import CompanyFactory, make_deal, saved_as_one_batch


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
    assert totals.invested_usd == 50_000_000_000  # its $50B of the $110B round
    assert totals.invested_further_usd == 4_000_000_000  # "up to $4B" in Anthropic: never committed


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
    partners = {partner.slug: partner for partner in response.context["partners"]}
    assert set(partners) == {"amazon", "nvidia", "softbank"}
    assert partners["amazon"].deal_count == 3
    assert partners["amazon"].total_usd == 98_000_000_000  # 38 + 10 + Amazon's 50 of the round
    assert 'href="/alliances/amazon--openai/"' in response.content.decode()


def test_a_subsidiary_shows_the_alliances_it_takes_part_in(client, world):
    partners = [partner.slug for partner in page(client, "aws").context["partners"]]
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
    with saved_as_one_batch():
        for _ in range(30):
            make_deal(company, CompanyFactory())
    # company with its totals (and its stored deal count), subsidiaries, deals, parties, partners (a company
    # without parent is its group), and its stored money by year for the chart; partners are counted only when
    # there are more than the page shows (one query more); the content version the response cache keys on
    with django_assert_max_num_queries(7):
        assert client.get("/companies/busy/").status_code == 200


def test_a_company_with_many_partners_shows_the_largest_and_links_to_the_rest(client, db, monkeypatch):
    from decimal import Decimal

    from deals.web.views import companies

    monkeypatch.setattr(companies, "COMPANY_PAGE_PARTNERS", 3)
    hub = CompanyFactory(slug="hub", name="Hub")
    for number in range(5):
        make_deal(hub, CompanyFactory(slug=f"partner-{number}", name=f"Partner {number}"), amount=Decimal(number + 1))
    response = page(client, "hub")
    assert [partner.slug for partner in response.context["partners"]] == [
        "partner-4",
        "partner-3",
        "partner-2",
    ]
    content = response.content.decode()
    assert "Showing the 3 largest of 5 partners, by total value." in content
    assert '<a href="/alliances/?company=hub&amp;ordering=-total">All partners in the alliances list →</a>' in content
    alliances = client.get("/alliances/", {"company": "hub", "ordering": "-total"})
    assert len(alliances.context["page"].object_list) == 5


def test_the_partner_count_is_remembered_until_a_partner_is_added(
    client, db, monkeypatch, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from deals.web.views import companies

    monkeypatch.setattr(companies, "COMPANY_PAGE_PARTNERS", 1)
    hub = CompanyFactory(slug="hub", name="Hub")
    for number in range(3):
        make_deal(hub, CompanyFactory(slug=f"partner-{number}"), amount=Decimal(number + 1))
    counted = _queries_of(client, "/companies/hub/")
    remembered = _queries_of(client, "/companies/hub/")
    assert len(remembered) == len(counted) - 1
    assert "Showing the 1 largest of 3 partners" in page(client, "hub").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        make_deal(hub, CompanyFactory(slug="partner-new"), amount=Decimal(9))
    assert "Showing the 1 largest of 4 partners" in page(client, "hub").content.decode()
    # A subsidiary has its own count (its group's alliances that it takes part in).
    part = CompanyFactory(slug="hub-part", parent=hub)
    with django_capture_on_commit_callbacks(execute=True):
        make_deal(part, CompanyFactory(slug="partner-of-part"), amount=Decimal(1))
        make_deal(part, CompanyFactory(slug="other-of-part"), amount=Decimal(2))
    assert "Showing the 1 largest of 2 partners" in page(client, "hub-part").content.decode()
    assert "Showing the 1 largest of 6 partners" in page(client, "hub").content.decode()


def _queries_of(client, path) -> list:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return queries.captured_queries


def test_all_partners_shown_need_no_note(client, world):
    assert "largest of" not in page(client, "openai").content.decode()


def test_the_deal_count_is_the_stored_one_and_follows_edits(client, db):
    company = CompanyFactory(slug="counted")
    deals = [make_deal(company, CompanyFactory()) for _ in range(3)]
    assert "All 3 deals in the deals list" in page(client, "counted").content.decode()
    deals[0].publication = "draft"
    deals[0].save()
    assert "All 2 deals in the deals list" in page(client, "counted").content.decode()


def test_the_years_table_is_stored_and_follows_edits(client, db):
    from deals.figures import charts

    company = CompanyFactory(slug="yearly")
    deal = make_deal(company, CompanyFactory())
    stored = charts.company_years(company)
    assert [(row.year, row.sides["invested_usd"], row.deal_count) for row in stored] == [
        (deal.announced_on.year, deal.amount, 1)
    ]
    deal.amount = deal.amount * 2
    deal.save()
    assert charts.company_years(company)[0].sides["invested_usd"] == stored[0].sides["invested_usd"] * 2


def _newest_deals_setup():
    import datetime

    busy = CompanyFactory(slug="busy")
    dates = [datetime.date(2024, 3, 1), datetime.date(2023, 5, 1), None, datetime.date(2024, 3, 1)]
    for number, day in enumerate(dates * 3):
        # Same dates and the same titles in turn: the order falls back on the title, then on the id.
        make_deal(busy, CompanyFactory(), announced_on=day, title=f"Deal {number % 2}")
    make_deal(CompanyFactory(), CompanyFactory())  # another company's deal, never shown
    return busy


def test_the_newest_deals_are_the_same_whichever_way_they_are_read(client, db, monkeypatch):
    from deals.web.views import companies

    _newest_deals_setup()
    pages = {}
    for walk in (True, False):
        monkeypatch.setattr(companies, "WALK_ALL_DEALS_FROM", 0 if walk else 10**9)
        response = page(client, "busy")
        by_role = [(role, [deal.pk for deal in deals]) for role, deals in response.context["deals_by_role"]]
        pages[walk] = (by_role, [deal.pk for deal in response.context["timeline"]])
    assert pages[True] == pages[False]
    deals = [(deal.announced_on, deal.title, deal.pk) for deal in response.context["deals_by_role"][0][1]]
    assert len(deals) == 12
    dated = [deal for deal in deals if deal[0] is not None]
    assert dated == sorted(dated, key=lambda deal: (-deal[0].toordinal(), deal[1], deal[2]))
    assert [deal[0] for deal in deals[-3:]] == [None] * 3


def test_the_largest_partners_come_from_both_sides_of_the_alliances(client, db, monkeypatch):
    from decimal import Decimal

    from deals.rules.public import alliances_of
    from deals.web.views import companies

    monkeypatch.setattr(companies, "COMPANY_PAGE_PARTNERS", 4)
    # "mid" sorts between the partners' slugs, so it is company_b of some alliances and company_a of others;
    # two pairs of partners have the same total, ordered by the alliance's slug.
    mid = CompanyFactory(slug="mid", name="Mid")
    for slug, amount in [("aa", 5), ("ab", 2), ("zz", 5), ("zy", 3), ("ac", 1), ("zx", 2)]:
        make_deal(mid, CompanyFactory(slug=slug, name=slug.upper()), amount=Decimal(amount))
    response = page(client, "mid")
    expected = list(alliances_of(response.context["company"]).order_by("-total_usd", "slug")[:4])
    assert [partner.alliance_slug for partner in response.context["partners"]] == [each.slug for each in expected]
    assert [partner.slug for partner in response.context["partners"]] == ["aa", "zz", "zy", "ab"]
    assert response.context["partner_count"] == 6
