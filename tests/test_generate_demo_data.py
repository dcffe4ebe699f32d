"""`generate_demo_data`: the same seed gives the same data, every deal is valid, derived tables are right."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q

from deals.figures import alliances
from deals.figures.figures_check import differences
from deals.models import Alliance, Citation, Company, CompanyTotals, Deal, DealParty, Publication, Source, Tranche
from deals.rules.public import public_companies, public_sources
from deals.rules.services import validate_parties
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db

SMALL = {"companies": 50, "deals": 300}


def generate(seed=1, **options) -> str:
    out = StringIO()
    call_command("generate_demo_data", **SMALL, seed=seed, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    """Every generated row by its natural keys (primary keys and timestamps of writing differ between runs)."""
    return {
        "companies": sorted(
            Company.objects.values_list("slug", "name", "kind", "parent__slug", "country", "founded_year", "website")
        ),
        "sources": sorted(Source.objects.values_list("url", "title", "publisher", "published_on", "language")),
        "deals": sorted(
            Deal.objects.values_list(
                "slug",
                "title",
                "kind",
                "status",
                "publication",
                "published_at",
                "announced_on",
                "announced_precision",
                "amount",
                "currency",
                "usd_rate",
                "amount_usd",
                "amount_qualifier",
                "amount_as_stated",
                "stake_percent",
                "valuation_usd",
                "capacity_gw",
                "duration_months",
                "summary",
            )
        ),
        "parties": sorted(DealParty.objects.values_list("deal__slug", "company__slug", "role", "amount", "amount_usd")),
        "tranches": sorted(
            Tranche.objects.values_list("deal__slug", "position", "label", "amount", "company__slug", "expected_on")
        ),
        "citations": sorted(Citation.objects.values_list("deal__slug", "source__url", "supports")),
    }


def alliance_rows() -> list:
    rows = Alliance.objects.values_list(
        "slug", "deal_count", "total_usd", "first_announced", "latest_announced", "dominant_kind"
    )
    links = sorted(Alliance.deals.through.objects.values_list("alliance__slug", "deal__slug"))
    return sorted(rows) + links


def test_fills_an_empty_database_and_says_what_it_made():
    output = generate()

    assert "Generated 50 companies" in output
    assert "300 deals" in output
    assert "\r" not in output, "no progress bar when the output is not a terminal"
    assert (Company.objects.count(), Deal.objects.count()) == (50, 300)
    assert Deal.objects.filter(publication=Publication.PUBLISHED, published_at__isnull=False).count() == 300
    assert Company.objects.filter(parent__isnull=False).exists(), "some companies are subsidiaries"


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    generate(seed=7)
    first = snapshot()

    generate(seed=7, flush=True)
    assert snapshot() == first

    generate(seed=8, flush=True)
    assert snapshot()["deals"] != first["deals"]


def test_every_deal_is_valid_sourced_and_non_negative():
    generate()

    parties = {}
    for deal_id, company_id, role in DealParty.objects.values_list("deal_id", "company_id", "role"):
        parties.setdefault(deal_id, []).append((company_id, role))
    citations = Counter(Citation.objects.values_list("deal_id", flat=True))
    for deal in Deal.objects.all():
        validate_parties(parties[deal.pk])
        assert 2 <= len(parties[deal.pk]) <= 6
        assert 1 <= citations[deal.pk] <= 3
        assert deal.announced_on is not None
    money = ["amount", "amount_usd", "valuation_usd", "capacity_gw", "stake_percent"]
    for field in money:
        assert not Deal.objects.filter(**{f"{field}__lt": 0}).exists(), field
    assert not DealParty.objects.filter(amount__lt=0).exists()
    assert not Tranche.objects.filter(amount__lt=0).exists()
    assert Tranche.objects.exists(), "a share of deals comes in tranches"


def test_a_few_companies_take_a_large_share_of_the_deals():
    generate()

    deals_per_company = sorted(CompanyTotals.objects.values_list("deal_count", flat=True), reverse=True)
    assert deals_per_company[0] > 5 * deals_per_company[len(deals_per_company) // 2]


def test_derived_tables_equal_a_fresh_rebuild():
    generate()
    generated = alliance_rows()
    assert generated, "the deals make alliances"

    Alliance.objects.all().delete()
    alliances.refresh()
    assert alliance_rows() == generated

    assert [str(d) for d in differences()] == []


def test_public_marks_and_party_dates_equal_their_definitions():
    generate()

    cited = Source.objects.filter(citations__deal__publication=Publication.PUBLISHED).distinct()
    assert set(public_sources()) == set(cited)
    in_published_deals = Company.objects.filter(deal_parties__deal__publication=Publication.PUBLISHED).distinct()
    parents = Company.objects.filter(subsidiaries__in=in_published_deals)
    alliance_heads = Company.objects.filter(
        Q(pk__in=Alliance.objects.values("company_a")) | Q(pk__in=Alliance.objects.values("company_b"))
    )
    assert set(public_companies()) == set(in_published_deals) | set(parents) | set(alliance_heads)
    assert not DealParty.objects.exclude(deal_announced_on=F("deal__announced_on")).exists()
    assert not DealParty.objects.exclude(deal_published=True).exists()


def test_refuses_a_database_with_data_unless_told_to_flush():
    CompanyFactory(name="Amazon", slug="amazon")

    with pytest.raises(CommandError, match="--flush"):
        generate()
    assert Deal.objects.count() == 0

    generate(flush=True)
    assert not Company.objects.filter(slug="amazon").exists()
    assert Deal.objects.count() == 300


def test_the_site_keeps_working_on_generated_rows():
    """Keys were chosen by the generator: the database's own counters must have moved past them."""
    generate()

    deal = make_deal(CompanyFactory(), CompanyFactory())

    assert deal.pk > Deal.objects.exclude(pk=deal.pk).order_by("-pk").values_list("pk", flat=True).first()
