"""What visitors may see: published deals, the companies and alliances those deals make, the sources they cite."""

from django.db.models import Exists, OuterRef, Q

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

    Each EXISTS starts from the company (its parties, its subsidiaries, its alliances), never from every deal.
    """
    subsidiary_in_published_deal = Company.objects.filter(_in_published_deal(), parent=OuterRef("pk"))
    return Company.objects.filter(
        _in_published_deal()
        | Exists(subsidiary_in_published_deal)
        | Exists(Alliance.objects.filter(company_a=OuterRef("pk")))
        | Exists(Alliance.objects.filter(company_b=OuterRef("pk")))
    )


def public_sources():
    """The sources a visitor can follow: those cited by a published deal."""
    cited_publicly = Citation.objects.filter(source=OuterRef("pk"), deal__publication=Publication.PUBLISHED)
    return Source.objects.filter(Exists(cited_publicly))


def alliances_of(company, alliances=None):
    """The alliances of the company's group; for a subsidiary, only those it takes part in through its deals."""
    alliances = Alliance.objects.all() if alliances is None else alliances
    group = company.group
    alliances = alliances.filter(Q(company_a=group) | Q(company_b=group))
    if group != company:
        through_deals = Alliance.deals.through.objects.filter(deal__parties__company=company)
        alliances = alliances.filter(pk__in=through_deals.values("alliance_id"))
    return alliances
