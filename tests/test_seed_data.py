"""The seed articles' deals, loaded by the management command."""

from decimal import Decimal

from django.core.management import call_command

from deals.models import Alliance, Citation, Company, Deal, DealParty, Publication, Source


def counts():
    return (
        Company.objects.count(),
        Deal.objects.count(),
        DealParty.objects.count(),
        Citation.objects.count(),
        Source.objects.count(),
        Alliance.objects.count(),
    )


def test_loading_twice_changes_nothing(seed):
    before = counts()
    history_before = Deal.history.count()

    call_command("load_seed_data", verbosity=0)

    assert counts() == before
    assert Deal.history.count() == history_before
    assert before[:2] == (15, 25)


def test_an_editors_change_survives_a_reload(seed):
    Deal.objects.filter(slug="google-anthropic-2b").update(title="Edited by an editor")

    call_command("load_seed_data", verbosity=0)

    assert Deal.objects.get(slug="google-anthropic-2b").title == "Edited by an editor"


def test_every_seed_deal_is_published_and_cited(seed):
    assert not Deal.objects.exclude(publication=Publication.PUBLISHED).exists()
    assert not Deal.objects.filter(citations__isnull=True).exists()
    assert not Deal.objects.filter(published_at__isnull=True).exists()


def test_google_anthropic_tranches(seed):
    deal = Deal.objects.get(slug="google-anthropic-2b")

    assert deal.amount == Decimal("2000000000")
    assert deal.status == "reported"
    assert [(t.label, t.amount, t.amount_qualifier) for t in deal.tranches.all()] == [
        ("now", Decimal("500000000.00"), "exact"),
        ("later", Decimal("1500000000.00"), "up_to"),
    ]


def test_amazon_openai_50b_of_110b(seed):
    deal = Deal.objects.get(slug="openai-110b-round")

    assert deal.amount_usd == Decimal("110000000000")
    amazon = deal.parties.get(company__slug="amazon")
    assert (amazon.role, amazon.amount_usd) == ("investor", Decimal("50000000000"))
    assert set(deal.parties.values_list("company__slug", flat=True)) == {"amazon", "nvidia", "softbank", "openai"}
    assert [(t.label, t.amount, t.company.slug) for t in deal.tranches.all()] == [
        ("initial", Decimal("15000000000.00"), "amazon"),
        ("on conditions", Decimal("35000000000.00"), "amazon"),
    ]


def test_figures_as_stated(seed):
    first = Deal.objects.get(slug="amazon-anthropic-4b-2023")
    assert (first.amount_qualifier, first.amount_as_stated) == ("up_to", "up to $4B (about €3.8B)")
    assert first.announced_display == "Sept. 25, 2023"

    google_stake = Deal.objects.get(slug="google-cloud-anthropic-minority-stake")
    assert (google_stake.stake_percent, google_stake.stake_qualifier) == (Decimal("14"), "about")
    assert Deal.objects.get(slug="microsoft-openai-alliance").stake_percent == Decimal("27")
    assert Deal.objects.get(slug="openai-trainium-2gw").capacity_gw == Decimal("2")
    assert Deal.objects.get(slug="openai-aws-10b-expansion").duration_months == 96
    assert Deal.objects.get(slug="amazon-openai-10b-talks").status == "in_talks"
    assert Deal.objects.get(slug="openai-amd-gpus-and-stake").announced_display == "October 2025"


def test_sources_without_a_link_are_marked(seed):
    linked = Source.objects.exclude(url="")
    assert [s.publisher for s in linked] == ["EL PAÍS"]
    assert Source.objects.filter(url="").count() == 4
    assert not any(source.has_link for source in Source.objects.filter(url=""))


def test_related_deals_and_parents(seed):
    expansion = Deal.objects.get(slug="openai-aws-10b-expansion")
    assert set(expansion.relations_out.values_list("kind", "to_deal__slug")) == {
        ("expands", "openai-aws-38b-cloud"),
        ("part_of", "openai-110b-round"),
    }
    assert Company.objects.get(slug="aws").parent.slug == "amazon"
    assert Company.objects.get(slug="google-cloud").parent.slug == "google"


def test_alliances_fold_subsidiaries_into_their_parent(seed):
    amazon_anthropic = Alliance.objects.get(slug="amazon--anthropic")
    assert amazon_anthropic.deal_count == 7
    # The 2023 "up to $4B" is further money; the later $4B is committed.
    assert (amazon_anthropic.total_usd, amazon_anthropic.further_usd) == (Decimal("4000000000"), Decimal("4000000000"))
    assert not Alliance.objects.filter(slug__contains="aws").exists()
    amazon_openai = Alliance.objects.get(slug="amazon--openai")
    # Amazon's $15B initial + OpenAI's $38B + $10B with AWS committed; the $35B on conditions apart; the $10B in
    # talks (superseded by the round) adds nothing.
    assert (amazon_openai.total_usd, amazon_openai.further_usd) == (Decimal("63000000000"), Decimal("35000000000"))
    assert not Alliance.objects.filter(slug="amazon--nvidia").exists(), "co-investors are not allies"
