from django.db.models import Count, Q, Sum
from django.shortcuts import render

from deals.models import Alliance
from deals.models.choices import STATUSES_IN_TOTALS
from deals.public import companies_in_published_deals, public_deals

LATEST_DEALS = 6
LARGEST_ALLIANCES = 6


def home(request):
    counted = Q(status__in=STATUSES_IN_TOTALS)
    figures = public_deals().aggregate(deal_count=Count("pk"), total_usd=Sum("amount_usd", filter=counted))
    context = {
        **figures,
        "company_count": companies_in_published_deals().count(),
        "latest_deals": public_deals().with_parties()[:LATEST_DEALS],
        "largest_alliances": Alliance.objects.select_related("company_a", "company_b")[:LARGEST_ALLIANCES],
    }
    return render(request, "deals/home.html", context)
