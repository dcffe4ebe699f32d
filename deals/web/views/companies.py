from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from deals.core.links import detail_url
from deals.exchange.csv_export import companies_csv_response
from deals.lists.counts import remembered_total
from deals.lists.facets import COMPANY_FACETS
from deals.lists.filters import CompanyFilterSet
from deals.models import Alliance, CompanyTotals, DealParty, Role
from deals.models.deal import NEWEST_FIRST
from deals.rules.public import (
    alliances_of,
    companies_in_published_deals,
    largest_alliances,
    public_companies,
    public_deals,
)
from deals.web import api_links
from deals.web.views.exporting import export_filtered
from deals.web.views.listing import DEAL_ROW_FIELDS, render_list

# The company page shows its most recent deals; the deals list has them all.
COMPANY_PAGE_DEALS = 100
# The company page shows its largest partners; the alliance list, filtered by the company, has them all.
COMPANY_PAGE_PARTNERS = 50
# From this many deals, a company's newest are found by walking all deals newest first (_newest_deals).
WALK_ALL_DEALS_FROM = 3000
# What the partners table reads of an alliance: its figures and its two companies' names and addresses.
PARTNER_VALUES = ("slug", "deal_count", "total_usd", "further_usd", "latest_announced", "company_a_id")
PARTNER_VALUES += ("company_a__name", "company_a__slug", "company_b__name", "company_b__slug")
# Suggestions for the company filters: a few names, for text this long at most.
SUGGESTIONS = 10
SUGGEST_MAX_LENGTH = 100


class Partner(NamedTuple):
    """A row of a company page's partners table: the partner and the figures of their alliance."""

    slug: str
    name: str
    alliance_slug: str
    alliance_url: str
    deal_count: int
    total_usd: Decimal | None
    further_usd: Decimal | None
    latest_announced: date | None


def _filtered(request):
    companies = companies_in_published_deals().select_related("parent", "totals")
    return CompanyFilterSet(request.GET, queryset=companies, request=request)


def company_list(request):
    return render_list(
        request, "deals/company_list.html", _filtered(request), facets=COMPANY_FACETS, api="api:company-list"
    )


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
    companies = public_companies()
    company = get_object_or_404(companies.select_related("parent", "totals"), slug=slug)
    deal_count = _deal_count(company)
    recent = list(_page_of(_newest_deals(company.pk, deal_count >= WALK_ALL_DEALS_FROM)).with_parties())
    largest = _largest_partners(company, COMPANY_PAGE_PARTNERS + 1)
    partners = largest[:COMPANY_PAGE_PARTNERS]
    context = {
        "company": company,
        "api_links": api_links.for_object("api:company-detail", slug=company.slug),
        "subsidiaries": companies.filter(parent=company),
        "deal_count": deal_count,
        "deals_by_role": _by_role(company, recent),
        "timeline": sorted(recent, key=lambda deal: (deal.announced_on is None, deal.announced_on)),
        "partners": partners,
        # Counted only when the page cannot show them all.
        "partner_count": _partner_count(company) if len(largest) > COMPANY_PAGE_PARTNERS else len(partners),
    }
    return render(request, "deals/company_detail.html", context)


def _largest_partners(company, count: int) -> list[Partner]:
    """The Partner rows of the company's `count` largest alliances (deals.rules.public.largest_alliances)."""
    group = company.group
    own = None if company == group else company.pk
    alliances = largest_alliances(count, group.pk, own).values_list(*PARTNER_VALUES, named=True)
    return [
        Partner(
            *(
                (row.company_b__slug, row.company_b__name)
                if row.company_a_id == group.pk
                else (row.company_a__slug, row.company_a__name)
            ),
            row.slug,
            detail_url("deals:alliance-detail", slug_a=row.company_a__slug, slug_b=row.company_b__slug),
            row.deal_count,
            row.total_usd,
            row.further_usd,
            row.latest_announced,
        )
        for row in alliances
    ]


def _partner_count(company) -> int:
    """alliances_of(company).count(), remembered under the content version by the company's key (no SQL is built
    to find it). For a group, counted on each side's own index (company_a, company_b): with
    `company_a = group OR company_b = group` PostgreSQL reads every alliance row (4 ms for the largest group)."""

    def count() -> int:
        group = company.group
        if company != group:
            return alliances_of(company).count()
        first = Alliance.objects.filter(company_a=group).order_by().values("company_a")
        second = Alliance.objects.filter(company_b=group).order_by().values("company_b")
        return first.union(second, all=True).count()

    return remembered_total(f"partners:{company._state.db}:{company.pk}", count)


def _deal_count(company) -> int:
    """The stored count of the company's published deals (deals.figures.company_totals), else counted."""
    try:
        return company.totals.deal_count
    except CompanyTotals.DoesNotExist:
        return public_deals().involving(company).count()


def _newest_deals(company_id: int, walk_all_deals: bool):
    """The company's published deals, newest first (ties by title, then id), in the cheaper of two ways.

    Reading the company's parties and sorting its deals reads all of its deals; walking all published deals
    newest first (index deal_newest_first) and keeping the company's stops after the page, having read about
    COMPANY_PAGE_DEALS × all deals / the company's deals: far less for a company in many deals, every deal for
    one in a few. At 100,000 deals both cost the same at about 3,000 deals of the company (WALK_ALL_DEALS_FROM).
    (SQLite follows the query's shape; PostgreSQL plans both shapes alike, as a semi-join, and picks by its
    statistics.)
    """
    if walk_all_deals:
        deals = public_deals().filter(Exists(DealParty.objects.filter(deal=OuterRef("pk"), company_id=company_id)))
    else:
        deals = public_deals().involving(company_id)
    return deals.order_by(*NEWEST_FIRST)


def _page_of(newest):
    """The first COMPANY_PAGE_DEALS of `newest`, their ids chosen first: PostgreSQL then walks deal_newest_first
    alone (an index-only scan) and reads only the page's deal rows, not those of every deal it passes."""
    page = public_deals().filter(pk__in=newest.values("pk")[:COMPANY_PAGE_DEALS])
    return page.order_by(*NEWEST_FIRST).only(*DEAL_ROW_FIELDS)


def _by_role(company, deals):
    """[(role label, deals)] in the order roles are declared; a deal appears under each role the company has."""
    grouped = defaultdict(list)
    for deal in deals:
        for party in deal.parties.all():
            if party.company_id == company.pk:
                grouped[party.role].append(deal)
    return [(role.label, grouped[role]) for role in Role if grouped[role]]
