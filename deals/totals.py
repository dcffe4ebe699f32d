"""Money each company has invested, received, sold and bought, summed in the database.

A party is credited with its own stated share; without one, with the whole deal amount when
it is alone on its side of the deal (the only investor, the only customer). The amount of a
round with several investors of unknown shares is credited to none of them. As for alliances,
deals in talks or cancelled add nothing to the totals.
"""

from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Subquery, Sum, When
from django.db.models.functions import Coalesce

from deals.models import DealParty, Publication, Role
from deals.models.choices import STATUSES_IN_TOTALS

INVESTING = (Role.INVESTOR, Role.LEAD_INVESTOR)
SIDES = {
    "invested_usd": INVESTING,
    "received_usd": (Role.INVESTEE,),
    "provided_usd": (Role.PROVIDER,),
    "bought_usd": (Role.CUSTOMER,),
}
MONEY = DecimalField(max_digits=22, decimal_places=2)


def credited_usd(roles):
    """A DealParty expression: the US dollars that party is credited with on its side of the deal."""
    on_side = DealParty.objects.filter(deal=OuterRef("deal"), role__in=roles)
    others_on_side = on_side.exclude(company=OuterRef("company"))
    return Coalesce("amount_usd", Case(When(~Exists(others_on_side), then=F("deal__amount_usd"))), output_field=MONEY)


def _published_parties(**lookups):
    return DealParty.objects.filter(deal__publication=Publication.PUBLISHED, **lookups).order_by()


def _counted_parties(**lookups):
    return _published_parties(deal__status__in=STATUSES_IN_TOTALS, **lookups)


def total_of(roles):
    """A Company expression: the sum credited to the company over its published deals in these roles."""
    parties = _counted_parties(company=OuterRef("pk"), role__in=roles).annotate(credited=credited_usd(roles))
    return Subquery(parties.values("company").annotate(total=Sum("credited")).values("total"), output_field=MONEY)


def deal_count():
    """A Company expression: how many published deals the company is a party to."""
    counted = _published_parties(company=OuterRef("pk")).values("company").annotate(n=Count("deal", distinct=True))
    return Coalesce(Subquery(counted.values("n")), 0)


# Each stored company total and the expression that computes it (deals.company_totals keeps them).
COMPANY_TOTALS = {
    **{name: (lambda roles=roles: total_of(roles)) for name, roles in SIDES.items()},
    "deal_count": deal_count,
}
