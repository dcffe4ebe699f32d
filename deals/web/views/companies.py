from collections import defaultdict
from functools import cache, partial

from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from deals.core.links import detail_url
from deals.exchange.csv_export import companies_csv_response
from deals.lists.compiled_query import KeyedQuery
from deals.lists.counts import remembered_total
from deals.lists.filters import CompanyFilterSet
from deals.lists.party_links import attach_party_links
from deals.models import Alliance, CompanyTotals, DealParty, Role
from deals.models.deal import NEWEST_FIRST
from deals.rules.public import (
    alliances_of,
    companies_in_published_deals,
    largest_alliances,
    public_companies,
    public_deals,
)
from deals.web.rows import DEAL_ROW_FIELDS, Partner
from deals.web.views.exporting import export_filtered
from deals.web.views.listing import render_list

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
    companies = public_companies()
    company = get_object_or_404(companies.select_related("parent", "totals"), slug=slug)
    deal_count = _deal_count(company)
    recent = attach_party_links(_NEWEST_DEALS[deal_count >= WALK_ALL_DEALS_FROM].rows([company.pk]))
    largest = _largest_partners(company, COMPANY_PAGE_PARTNERS + 1)
    partners = largest[:COMPANY_PAGE_PARTNERS]
    context = {
        "company": company,
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
    if company == group:
        keys, subsidiary = [group.pk, group.pk], False
    else:
        keys, subsidiary = [group.pk, company.pk, group.pk, company.pk], True
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
        for row in _largest_alliance_rows(count, subsidiary).rows(keys)
    ]


@cache
def _largest_alliance_rows(count: int, subsidiary: bool) -> KeyedQuery:
    """largest_alliances() as named rows of PARTNER_VALUES, compiled once per count and shape (a group, or a
    subsidiary that also names itself) and run with the keys."""

    def alliances(keys):
        group_a, company_a, group_b, company_b = keys if subsidiary else (keys[0], None, keys[1], None)
        return largest_alliances(count, group_a, group_b, company_a, company_b).values_list(*PARTNER_VALUES, named=True)

    return KeyedQuery(alliances)


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


def _newest_page(company_ids: list[int], walk_all_deals: bool):
    (company_id,) = company_ids
    return _page_of(_newest_deals(company_id, walk_all_deals))


# The page's deals, by whether all deals are walked: built and compiled once, run with the company's id.
_NEWEST_DEALS = {walk: KeyedQuery(partial(_newest_page, walk_all_deals=walk)) for walk in (False, True)}


def _by_role(company, deals):
    """[(role label, deals)] in the order roles are declared; a deal appears under each role the company has."""
    grouped = defaultdict(list)
    for deal in deals:
        for party in deal.party_links:
            if party.company_id == company.pk:
                grouped[party.role].append(deal)
    return [(role.label, grouped[role]) for role in Role if grouped[role]]
