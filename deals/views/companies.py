from collections import defaultdict

from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from deals.csv_export import companies_csv_response
from deals.filters import CompanyFilterSet
from deals.models import CompanyTotals, Role
from deals.public import alliances_of, companies_in_published_deals, public_companies, public_deals
from deals.views.exporting import export_filtered
from deals.views.listing import render_list

# The company page shows its most recent deals; the deals list has them all.
COMPANY_PAGE_DEALS = 100
# Suggestions for the company filters: a few names, for text this long at most.
# The company page shows its largest partners; the alliance list, filtered by the company, has them all.
COMPANY_PAGE_PARTNERS = 50
SUGGESTIONS = 10
SUGGEST_MAX_LENGTH = 100


def _filtered(request):
    companies = companies_in_published_deals().select_related("parent", "totals")
    return CompanyFilterSet(request.GET, queryset=companies, request=request)


def company_list(request):
    return render_list(request, "deals/company_list.html", _filtered(request))


def company_export(request):
    return export_filtered(request, _filtered(request), companies_csv_response)


def company_suggestions(request):
    """`?q=text`: up to SUGGESTIONS companies a filter accepts, whose name, alias or slug contains the text."""
    text = request.GET.get("q", "").strip()
    if "\x00" in text:
        # Refused before the query: PostgreSQL cannot compare text holding NUL bytes.
        message = ProhibitNullCharactersValidator.message
        return JsonResponse({"errors": {"q": [str(message)]}}, status=400, json_dumps_params={"ensure_ascii": False})
    if len(text) > SUGGEST_MAX_LENGTH:
        message = _("Enter at most %(count)d characters.") % {"count": SUGGEST_MAX_LENGTH}
        return JsonResponse({"errors": {"q": [message]}}, status=400, json_dumps_params={"ensure_ascii": False})
    results = []
    if text:
        matching = public_companies().filter(
            Q(name__icontains=text) | Q(aliases__icontains=text) | Q(slug__contains=text)
        )
        results = list(matching.order_by("name").values("slug", "name")[:SUGGESTIONS])
    response = JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


def company_detail(request, slug):
    company = get_object_or_404(public_companies().select_related("parent", "totals"), slug=slug)
    deals = public_deals().involving(company)
    recent = list(deals.with_parties()[:COMPANY_PAGE_DEALS])
    group = company.group
    alliances = alliances_of(company).select_related("company_a", "company_b").order_by("-total_usd", "slug")
    largest = list(alliances[: COMPANY_PAGE_PARTNERS + 1])
    partners = [
        (alliance, alliance.company_b if alliance.company_a_id == group.pk else alliance.company_a)
        for alliance in largest[:COMPANY_PAGE_PARTNERS]
    ]
    context = {
        "company": company,
        "subsidiaries": public_companies().filter(parent=company),
        "deal_count": _deal_count(company, deals),
        "deals_by_role": _by_role(company, recent),
        "timeline": sorted(recent, key=lambda deal: (deal.announced_on is None, deal.announced_on)),
        "partners": partners,
        # Counted only when the page cannot show them all.
        "partner_count": alliances.count() if len(largest) > COMPANY_PAGE_PARTNERS else len(partners),
    }
    return render(request, "deals/company_detail.html", context)


def _deal_count(company, deals) -> int:
    """The stored count of the company's published deals (deals.company_totals), else counted."""
    try:
        return company.totals.deal_count
    except CompanyTotals.DoesNotExist:
        return deals.count()


def _by_role(company, deals):
    """[(role label, deals)] in the order roles are declared; a deal appears under each role the company has."""
    grouped = defaultdict(list)
    for deal in deals:
        for party in deal.parties.all():
            if party.company_id == company.pk:
                grouped[party.role].append(deal)
    return [(role.label, grouped[role]) for role in Role if grouped[role]]
