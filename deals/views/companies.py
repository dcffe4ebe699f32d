from collections import defaultdict

from django.shortcuts import get_object_or_404, render

from deals.filters import CompanyFilterSet
from deals.models import Role
from deals.public import alliances_of, companies_in_published_deals, public_companies, public_deals
from deals.views.listing import render_list

# The company page shows its most recent deals; the deals list has them all.
COMPANY_PAGE_DEALS = 100


def company_list(request):
    companies = companies_in_published_deals().select_related("parent", "totals")
    filterset = CompanyFilterSet(request.GET, queryset=companies, request=request)
    return render_list(request, "deals/company_list.html", filterset)


def company_detail(request, slug):
    company = get_object_or_404(public_companies().select_related("parent", "totals"), slug=slug)
    deals = public_deals().involving(company)
    recent = list(deals.with_parties()[:COMPANY_PAGE_DEALS])
    group = company.group
    partners = [
        (alliance, alliance.company_b if alliance.company_a_id == group.pk else alliance.company_a)
        for alliance in alliances_of(company).select_related("company_a", "company_b")
    ]
    context = {
        "company": company,
        "subsidiaries": public_companies().filter(parent=company),
        "deal_count": deals.count(),
        "deals_by_role": _by_role(company, recent),
        "timeline": sorted(recent, key=lambda deal: (deal.announced_on is None, deal.announced_on)),
        "partners": partners,
    }
    return render(request, "deals/company_detail.html", context)


def _by_role(company, deals):
    """[(role label, deals)] in the order roles are declared; a deal appears under each role the company has."""
    grouped = defaultdict(list)
    for deal in deals:
        for party in deal.parties.all():
            if party.company_id == company.pk:
                grouped[party.role].append(deal)
    return [(role.label, grouped[role]) for role in Role if grouped[role]]
