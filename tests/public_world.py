"""The deals a visitor browses in the public-page tests: a few real-looking ones, and one draft.

Amazon invests in Anthropic, Google too (with a stake); OpenAI buys AWS compute, later expanded;
OpenAI raises a $110B round from Amazon, Nvidia and SoftBank with stated shares; SoftBank and
OpenAI form a euro partnership; Google Cloud sells TPUs to Anthropic with no amount disclosed.
A draft deal of "Secret Co" stays off every public page.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from deals.core.choices import CitedField, CompanyKind, DatePrecision, DealKind, DealStatus, Qualifier, RelationKind
from deals.models import Company, Deal, DealRelation, Role
from tests.factories import CitationFactory, CompanyFactory, DealFactory, PartyFactory, SourceFactory, TrancheFactory

BILLION = Decimal(1_000_000_000)


@dataclass
class World:
    companies: dict[str, Company]
    deals: dict[str, Deal]


def _company(slug, name, kind, country="US", **fields):
    return CompanyFactory(slug=slug, name=name, kind=kind, country=country, **fields)


def _deal(slug, parties, *, published=True, citations=(CitedField.GENERAL,), **fields):
    deal = DealFactory(slug=slug, **fields)
    for company, role, *share in parties:
        PartyFactory(deal=deal, company=company, role=role, amount=share[0] if share else None)
    source = SourceFactory(title=f"Report on {fields['title']}", publisher="Example News")
    for supports in citations:
        CitationFactory(deal=deal, source=source, supports=supports)
    if published:
        deal.publication = "published"
        deal.save()
    return deal


def build() -> World:
    amazon = _company("amazon", "Amazon", CompanyKind.BIG_TECH, aliases="Amazon.com", website="https://amazon.com")
    aws = _company("aws", "Amazon Web Services", CompanyKind.CLOUD, parent=amazon, aliases="AWS")
    anthropic = _company("anthropic", "Anthropic", CompanyKind.AI_LAB, legal_form="Public benefit corporation")
    google = _company("google", "Google", CompanyKind.BIG_TECH)
    google_cloud = _company("google-cloud", "Google Cloud", CompanyKind.CLOUD, parent=google)
    openai = _company("openai", "OpenAI", CompanyKind.AI_LAB)
    nvidia = _company("nvidia", "Nvidia", CompanyKind.CHIPMAKER)
    softbank = _company("softbank", "SoftBank", CompanyKind.INVESTOR, country="JP")
    secret = _company("secret-co", "Secret Co", CompanyKind.OTHER)

    deals = {}
    deals["amazon-anthropic"] = _deal(
        "amazon-invests-in-anthropic",
        [(amazon, Role.INVESTOR), (anthropic, Role.INVESTEE)],
        title="Amazon invests up to $4B in Anthropic",
        summary="Anthropic will train its models on AWS Trainium chips.",
        kind=DealKind.EQUITY,
        announced_on=datetime.date(2023, 9, 25),
        amount=4 * BILLION,
        amount_qualifier=Qualifier.UP_TO,
        citations=(CitedField.AMOUNT, CitedField.GENERAL),
    )
    deals["google-anthropic"] = _deal(
        "google-backs-anthropic",
        [(google, Role.INVESTOR), (anthropic, Role.INVESTEE)],
        title="Google reportedly backs Anthropic with $2B",
        kind=DealKind.EQUITY,
        status=DealStatus.REPORTED,
        announced_on=datetime.date(2023, 10, 1),
        announced_precision=DatePrecision.MONTH,
        amount=2 * BILLION,
        stake_percent=Decimal("10"),
        stake_qualifier=Qualifier.ABOUT,
        citations=(CitedField.AMOUNT, CitedField.STAKE),
    )
    deals["openai-aws"] = _deal(
        "openai-aws-cloud",
        [(openai, Role.CUSTOMER), (aws, Role.PROVIDER)],
        title="OpenAI signs a $38B cloud deal with AWS",
        kind=DealKind.CLOUD_COMPUTE,
        announced_on=datetime.date(2025, 11, 3),
        amount=38 * BILLION,
        duration_months=84,
        citations=(CitedField.AMOUNT, CitedField.DURATION),
    )
    deals["openai-aws-expansion"] = _deal(
        "openai-aws-expansion",
        [(openai, Role.CUSTOMER), (aws, Role.PROVIDER)],
        title="OpenAI and AWS add $10B to their cloud deal",
        kind=DealKind.CLOUD_COMPUTE,
        announced_on=datetime.date(2026, 1, 20),
        amount=10 * BILLION,
    )
    DealRelation.objects.create(
        from_deal=deals["openai-aws-expansion"], to_deal=deals["openai-aws"], kind=RelationKind.EXPANDS
    )
    deals["openai-round"] = _deal(
        "openai-110b-round",
        [
            (amazon, Role.INVESTOR, 50 * BILLION),
            (nvidia, Role.INVESTOR, 30 * BILLION),
            (softbank, Role.INVESTOR, 30 * BILLION),
            (openai, Role.INVESTEE),
        ],
        title="OpenAI raises $110B from Amazon, Nvidia and SoftBank",
        kind=DealKind.FUNDING_ROUND,
        announced_on=datetime.date(2026, 2, 1),
        announced_precision=DatePrecision.MONTH,
        amount=110 * BILLION,
        valuation_usd=730 * BILLION,
        capacity_gw=Decimal("2"),
        citations=(CitedField.AMOUNT, CitedField.TRANCHES, CitedField.VALUATION, CitedField.CAPACITY),
    )
    TrancheFactory(
        deal=deals["openai-round"], position=1, label="initial", amount=15 * BILLION, company=amazon, condition=""
    )
    TrancheFactory(
        deal=deals["openai-round"],
        position=2,
        label="later",
        amount=35 * BILLION,
        company=amazon,
        condition="on conditions",
    )
    deals["softbank-openai-eur"] = _deal(
        "softbank-openai-europe",
        [(softbank, Role.PARTNER), (openai, Role.PARTNER)],
        title="SoftBank and OpenAI launch a European venture",
        kind=DealKind.PARTNERSHIP,
        announced_on=datetime.date(2024, 5, 1),
        amount=1 * BILLION,
        currency="EUR",
        usd_rate=Decimal("1.1"),
    )
    deals["google-cloud-tpus"] = _deal(
        "anthropic-google-cloud-tpus",
        [(anthropic, Role.CUSTOMER), (google_cloud, Role.PROVIDER)],
        title="Anthropic expands its use of Google Cloud TPUs",
        kind=DealKind.CLOUD_COMPUTE,
        announced_on=datetime.date(2025, 10, 23),
        amount=None,
    )
    deals["draft"] = _deal(
        "secret-investment",
        [(secret, Role.INVESTOR), (anthropic, Role.INVESTEE)],
        published=False,
        title="Secret Co invests in Anthropic",
        kind=DealKind.EQUITY,
        amount=7 * BILLION,
    )
    companies = {c.slug: c for c in (amazon, aws, anthropic, google, google_cloud, openai, nvidia, softbank, secret)}
    return World(companies=companies, deals=deals)
