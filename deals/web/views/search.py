"""The site-wide search: companies, deals, alliances and sources matching the words, each group best first."""

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from deals import search
from deals.lists.counts import remembered_count
from deals.models import Alliance
from deals.rules.public import companies_in_published_deals, public_deals, public_sources

# Rows shown per group; the group links to its whole list.
GROUP_ROWS = 5
SOURCE_ROW_FIELDS = ("title", "publisher", "url", "published_on", "published_precision")


class SearchForm(forms.Form):
    # As long as the lists' q (deals.lists.filters): the link to a group's whole list then finds the same rows.
    q = forms.CharField(label=_("Search"), max_length=200, required=False)


@dataclass
class Group:
    rows: list
    count: int
    list_url: str | None


def _group(queryset: QuerySet, q: str, list_name: str | None) -> Group:
    found = search.by_relevance(search.matching(queryset, q))
    list_url = f"{reverse(list_name)}?{urlencode({'q': q})}" if list_name else None
    return Group(rows=list(found[:GROUP_ROWS]), count=remembered_count(found), list_url=list_url)


def search_page(request):
    form = SearchForm(request.GET)
    context = {"form": form, "q": ""}
    if not form.is_valid():
        return render(request, "deals/search.html", context, status=400)
    q = form.cleaned_data["q"]
    if q:
        alliances = Alliance.objects.select_related("company_a", "company_b").only(
            "slug", "company_a__name", "company_a__slug", "company_b__name", "company_b__slug"
        )
        context.update(
            q=q,
            companies=_group(companies_in_published_deals().only("name", "slug"), q, "deals:company-list"),
            deals=_group(
                public_deals().only("title", "slug", "kind", "announced_on", "announced_precision"),
                q,
                "deals:deal-list",
            ),
            alliances=_group(alliances, q, "deals:alliance-list"),
            # Sources have no list page: the group shows the best ones, each linking to its article.
            sources=_group(public_sources().only(*SOURCE_ROW_FIELDS), q, None),
        )
    return render(request, "deals/search.html", context)
