"""A page's parties as plain rows, read in one query of values and attached to its deals as `party_links`.

Prefetching the parties (DealQuerySet.with_parties) builds a model instance per party and per company and a
queryset per deal: about 10 ms for a page of 100 deals. The lists only show who took part, in which role,
and deals.rows writes these rows as it writes prefetched parties.
"""

from collections import defaultdict

from django.db.models import OuterRef, Subquery

from deals.models import Company, DealParty


def attach_party_links(deals) -> list:
    """The deals (a list is made of them), each given `party_links`: rows of (deal_id, company_id, role,
    company_slug, company_name) in the order of DealQuerySet.with_parties()."""
    deals = list(deals)
    links = defaultdict(list)
    parties = (
        DealParty.objects.filter(deal__in=[deal.pk for deal in deals])
        .annotate(company_slug=_company_field("slug"), company_name=_company_field("name"))
        .order_by("role", "company_name")
        .values_list("deal_id", "company_id", "role", "company_slug", "company_name", named=True)
    )
    for party in parties:
        links[party.deal_id].append(party)
    for deal in deals:
        deal.party_links = links[deal.pk]
    return deals


def _company_field(name):
    # A subquery rather than a join: for a page's few hundred parties PostgreSQL would hash all companies.
    return Subquery(Company.objects.filter(pk=OuterRef("company_id")).order_by().values(name))
