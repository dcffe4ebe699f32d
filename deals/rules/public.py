"""What visitors may see: published deals, the companies and alliances those deals make, the sources they cite."""

from django.db.models import Exists, OuterRef, Q

from deals.core.batches import column_of, filtered
from deals.models import Alliance, Citation, Company, Deal, DealParty, Publication, Source


def public_deals():
    return Deal.objects.published()


def _in_published_deal():
    return Exists(DealParty.objects.filter(deal__publication=Publication.PUBLISHED, company=OuterRef("pk")))


def companies_in_published_deals():
    """The companies the lists show and suggest: those that are a party to a published deal.

    One EXISTS, which the database runs as a semi-join; `public_companies` adds their groups.
    """
    return Company.objects.filter(_in_published_deal())


def public_companies():
    """Companies in a published deal, their parents, and the groups that head an alliance: those with a page.

    Read from the stored mark that refresh_public_companies keeps.
    """
    return Company.objects.filter(has_page=True)


def _has_page():
    """Whether a company has a page, as a condition on a company row. Each EXISTS starts from the company (its
    parties, its subsidiaries, its alliances), never from every deal."""
    subsidiary_in_published_deal = Company.objects.filter(_in_published_deal(), parent=OuterRef("pk"))
    return (
        _in_published_deal()
        | Exists(subsidiary_in_published_deal)
        | Exists(Alliance.objects.filter(company_a=OuterRef("pk")))
        | Exists(Alliance.objects.filter(company_b=OuterRef("pk")))
    )


def refresh_public_companies(company_ids=None) -> int:
    """Mark whether each company has a page: the given companies and their parents (a deal can make the
    parent and every group above a company public), or every company when None. Returns the rows updated.

    Call after the alliances are refreshed: heading an alliance gives a group its page."""
    if company_ids is None:
        return Company.objects.update(has_page=_has_page())
    return sum(
        some.update(has_page=_has_page())
        for some in filtered(Company.objects.all(), "pk__in", _with_parents(company_ids))
    )


def _with_parents(company_ids) -> set[int]:
    found, frontier = set(), set(company_ids)
    while frontier:
        found |= frontier
        frontier = column_of(Company.objects.filter(parent__isnull=False), "pk__in", frontier, "parent_id") - found
    return found


def public_sources():
    """The sources a visitor can follow: those cited by a published deal (kept by refresh_public_sources)."""
    return Source.objects.filter(cited_publicly=True)


def refresh_public_sources(source_ids=None) -> int:
    """Mark whether a published deal cites each source (all of them when no ids are given); returns the count."""
    sources = Source.objects.all() if source_ids is None else Source.objects.filter(pk__in=source_ids)
    published_citation = Citation.objects.filter(source=OuterRef("pk"), deal__publication=Publication.PUBLISHED)
    return sources.update(cited_publicly=Exists(published_citation))


def sources_of_deal(deal_id) -> set[int]:
    return set(Citation.objects.filter(deal_id=deal_id).values_list("source_id", flat=True))


def alliances_of(company, alliances=None):
    """The alliances of the company's group; for a subsidiary, only those it takes part in through its deals."""
    alliances = Alliance.objects.all() if alliances is None else alliances
    group = company.group
    return _through_deals_of(company, alliances.filter(Q(company_a=group) | Q(company_b=group)))


def largest_alliances(count: int, group_id: int, company_id: int | None):
    """The `count` first of alliances_of(company) by total value, largest first (ties by slug): by the company's
    group's id and, for a subsidiary, its own id (None for a group).

    The group is company_a of some alliances and company_b of others: each side is read in the order of its
    index (side, -total_usd, slug) and stops after `count`, and only those are sorted, instead of every
    alliance of a group with thousands.
    """
    largest = ("-total_usd", "slug")

    def side(field, group_id, company_id):
        alliances = Alliance.objects.filter(**{field: group_id})
        if company_id is not None:
            alliances = _through_deals_of_id(company_id, alliances)
        first = alliances.order_by(*largest).values("pk")[:count]
        # Selected once more: SQLite takes no LIMIT in the parts of a UNION.
        return Alliance.objects.filter(pk__in=first).order_by().values("pk")

    sides = side("company_a", group_id, company_id).union(side("company_b", group_id, company_id), all=True)
    return Alliance.objects.filter(pk__in=sides).order_by(*largest)[:count]


def _through_deals_of(company, alliances):
    """For a subsidiary, only the alliances it takes part in through its deals."""
    if company.group != company:
        alliances = _through_deals_of_id(company.pk, alliances)
    return alliances


def _through_deals_of_id(company_id: int, alliances):
    through_deals = Alliance.deals.through.objects.filter(
        deal__in=DealParty.objects.filter(company=company_id).values("deal_id")
    )
    return alliances.filter(pk__in=through_deals.values("alliance_id"))
