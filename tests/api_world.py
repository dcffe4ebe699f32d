"""The API's small world: Amazon invests in Anthropic (published), Google in it too (a draft), and who asks."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from deals.core.choices import CompanyKind, DealKind
from deals.models import Company, Deal, Role, Source
from tests.factories import CitationFactory, CompanyFactory, PartyFactory, SourceFactory, TrancheFactory, make_deal


def token_client(user) -> APIClient:
    """A client that authenticates the way scripts do: `Authorization: Token <key>`."""
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@dataclass
class World:
    amazon: Company
    aws: Company
    anthropic: Company
    google: Company
    secret: Company
    published: Deal
    compute: Deal
    draft: Deal
    article: Source
    draft_only_article: Source


def build_world() -> World:
    amazon = CompanyFactory(name="Amazon", slug="amazon", kind=CompanyKind.BIG_TECH)
    aws = CompanyFactory(name="Amazon Web Services", slug="aws", kind=CompanyKind.CLOUD, parent=amazon)
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic", kind=CompanyKind.AI_LAB, country="US")
    google = CompanyFactory(name="Google", slug="google", kind=CompanyKind.BIG_TECH)
    secret = CompanyFactory(name="Stealth Lab", slug="stealth-lab", kind=CompanyKind.AI_LAB, country="FR")
    article = SourceFactory(title="Amazon invests $4B in Anthropic", publisher="Reuters")
    draft_only_article = SourceFactory(title="Rumour: Google and Stealth Lab")

    published = make_deal(
        amazon,
        anthropic,
        cite=False,
        title="Amazon invests up to $4B in Anthropic",
        slug="amazon-anthropic-2023",
        amount=Decimal("4000000000"),
        amount_qualifier="up_to",
        announced_on=datetime.date(2023, 9, 25),
        stake_percent=Decimal("15"),
    )
    CitationFactory(deal=published, source=article, quote="up to $4 billion")
    TrancheFactory(deal=published, label="initial", amount=Decimal("1250000000"), company=amazon)

    compute = make_deal(
        anthropic,
        aws,
        title="Anthropic trains on AWS Trainium",
        slug="anthropic-aws-compute",
        kind=DealKind.CLOUD_COMPUTE,
        amount=None,
        announced_on=datetime.date(2024, 3, 1),
    )
    compute.parties.all().delete()
    PartyFactory(deal=compute, company=anthropic, role=Role.CUSTOMER)
    PartyFactory(deal=compute, company=aws, role=Role.PROVIDER)

    draft = make_deal(
        google, secret, published=False, cite=False, title="Google backs Stealth Lab", slug="google-stealth"
    )
    CitationFactory(deal=draft, source=draft_only_article)
    return World(amazon, aws, anthropic, google, secret, published, compute, draft, article, draft_only_article)
