"""Small worlds for the money views: companies and deals in a line or two each, sourced and published.

`deal(...)` takes the parties as (company, role) or (company, role, own share in US dollars).
Build a world inside `django_capture_on_commit_callbacks(execute=True)`: the cycle search runs
after the commit, as it does on the site.
"""

import datetime
from decimal import Decimal

from deals.core.choices import CompanyKind, DealKind, DealStatus
from deals.models import Deal, Publication, Role
from tests.factories import CitationFactory, CompanyFactory, DealFactory, PartyFactory, SourceFactory

BILLION = Decimal(1_000_000_000)


def company(slug: str, kind=CompanyKind.OTHER, **fields):
    return CompanyFactory(slug=slug, name=fields.pop("name", slug.replace("-", " ").title()), kind=kind, **fields)


def deal(parties, *, published=True, amount=None, on=datetime.date(2024, 3, 15), **fields) -> Deal:
    made = DealFactory(amount=amount, announced_on=on, **fields)
    for company_, role, *share in parties:
        PartyFactory(deal=made, company=company_, role=role, amount=share[0] if share else None)
    source = SourceFactory(title=f"Report on {made.title}", url=f"https://news.example.com/{made.slug}")
    CitationFactory(deal=made, source=source)
    if published:
        made.publication = Publication.PUBLISHED
        made.save()
    return made


def invests(investor, investee, billions=None, **fields) -> Deal:
    fields.setdefault("kind", DealKind.EQUITY)
    return deal([(investor, Role.INVESTOR), (investee, Role.INVESTEE)], amount=_usd(billions), **fields)


def buys(customer, provider, billions=None, **fields) -> Deal:
    fields.setdefault("kind", DealKind.CLOUD_COMPUTE)
    return deal([(customer, Role.CUSTOMER), (provider, Role.PROVIDER)], amount=_usd(billions), **fields)


def _usd(billions):
    return None if billions is None else Decimal(str(billions)) * BILLION


IN_TALKS = {"status": DealStatus.IN_TALKS}
CANCELLED = {"status": DealStatus.CANCELLED}
