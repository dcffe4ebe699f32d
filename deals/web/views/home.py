from django.db.models import Count, Q, Sum
from django.shortcuts import render

from deals.lists.counts import COUNT_SECONDS
from deals.models import Alliance, MoneyFlow
from deals.rules import content_version
from deals.rules.public import companies_in_published_deals, public_deals

LATEST_DEALS = 6
LARGEST_ALLIANCES = 6


def site_totals() -> dict:
    """The headline figures: they read every flow and deal (0.7 s at 100,000 deals on SQLite), and change only
    with the content, so they are kept under the content version as the lists' counts are."""
    # Every flow of money is a distinct payment, so their sum counts each dollar once (deals.figures.flows).
    money = MoneyFlow.objects.filter(counted=True, deal__publication="published").aggregate(
        committed_total=Sum("committed_usd"),
        further_total=Sum("further_usd", filter=Q(further_usd__gt=0)),
        undisclosed_count=Count("pk", filter=Q(committed_usd__isnull=True, further_usd__isnull=True)),
    )
    return {
        **money,
        "deal_count": public_deals().count(),
        "company_count": companies_in_published_deals().count(),
    }


def home(request):
    context = {
        **content_version.remembered("home:totals", site_totals, seconds=COUNT_SECONDS),
        "latest_deals": public_deals().with_parties()[:LATEST_DEALS],
        "largest_alliances": Alliance.objects.select_related("company_a", "company_b")[:LARGEST_ALLIANCES],
    }
    return render(request, "deals/home.html", context)


def figures_explained(request):
    """How every total of the site is counted: the page each total links to."""
    return render(request, "deals/figures.html")
