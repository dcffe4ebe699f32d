"""Load the reviewed seed file: companies, sources and deals with parties, tranches, citations and relations.

Records that exist already (same slug, or same source URL / title) are left as they are, so editors'
changes survive and a second run changes nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from deals.core.validators import normalize_source_url
from deals.models import Citation, Company, Deal, DealOption, DealParty, DealRelation, Publication, Source, Tranche
from deals.rules import services

SEED_FILE = Path(__file__).with_name("seed.yaml")
DEAL_FIELDS = [
    "title",
    "kind",
    "status",
    "announced_on",
    "announced_precision",
    "currency",
    "amount_qualifier",
    "amount_as_stated",
    "commitment",
    "conditions",
    "amount_reported",
    "amount_in_words",
    "per_unit",
    "others_unnamed",
    "stake_qualifier",
    "capacity_qualifier",
    "quantity_unit",
    "quantity_qualifier",
    "exclusivity",
    "exclusivity_scope",
    "starts_on",
    "starts_precision",
    "ends_on",
    "ends_precision",
    "duration_months",
    "delivery_on",
    "delivery_precision",
    "summary",
]
DECIMAL_FIELDS = [
    "amount",
    "usd_rate",
    "amount_usd",
    "amount_per_unit",
    "stake_percent",
    "stake_after_percent",
    "stake_value_usd",
    "valuation_usd",
    "valuation_pre_usd",
    "valuation_post_usd",
    "capacity_gw",
    "quantity",
]
# A party's and a tranche's optional keys, with the model's default when left out.
PARTY_FIELDS = ["amount_qualifier", "commitment"]
TRANCHE_FIELDS = ["amount_qualifier", "commitment", "condition", "expected_on"]
OPTION_FIELDS = ["kind", "shares", "shares_qualifier", "exercise_currency", "vesting", "expires_on"]


@dataclass
class LoadReport:
    created: dict = field(default_factory=lambda: {"companies": 0, "sources": 0, "deals": 0, "citations": 0})

    def __str__(self):
        return ", ".join(f"{count} {name}" for name, count in self.created.items()) + " created"


def _decimal(value):
    return None if value is None else Decimal(str(value))


def load(path: Path = SEED_FILE) -> LoadReport:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    report = LoadReport()
    with transaction.atomic():
        companies = _load_companies(data["companies"], report)
        sources = {entry["key"]: _load_source(entry, report) for entry in data["sources"]}
        for entry in data["deals"]:
            _load_deal(entry, companies, sources, report)
        for entry in data["deals"]:
            _load_relations(entry)
    return report


def _load_companies(entries, report) -> dict[str, Company]:
    companies = {}
    for entry in entries:
        company, created = Company.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "kind": entry["kind"],
                "country": entry.get("country", ""),
                "founded_year": entry.get("founded_year"),
                "website": entry.get("website", ""),
                "legal_form": entry.get("legal_form", ""),
                "description": entry.get("description", ""),
                "aliases": "\n".join(entry.get("aliases", [])),
            },
        )
        report.created["companies"] += created
        companies[company.slug] = company
    for entry in entries:
        company = companies[entry["slug"]]
        if entry.get("parent") and company.parent_id is None:
            company.parent = companies[entry["parent"]]
            company.save()
    return companies


def _load_source(entry, report) -> Source:
    url = normalize_source_url(entry.get("url", ""))
    title, publisher, published_on = entry.get("title", ""), entry.get("publisher", ""), entry.get("published_on")
    # Without a URL a source is its title; without a title either, its publisher and date ("El País, 25 Sept 2023").
    lookup = {"url": url} if url else {"url": "", "title": title, "publisher": publisher, "published_on": published_on}
    source, created = Source.objects.get_or_create(
        **lookup,
        defaults={
            "title": title,
            "publisher": publisher,
            "published_on": published_on,
            "published_precision": entry.get("published_precision", "day"),
            "language": entry.get("language", ""),
        },
    )
    report.created["sources"] += created
    return source


def _load_deal(entry, companies, sources, report) -> None:
    if Deal.objects.filter(slug=entry["slug"]).exists():
        return
    values = {name: entry[name] for name in DEAL_FIELDS if name in entry}
    values.update({name: _decimal(entry[name]) for name in DECIMAL_FIELDS if name in entry})
    parties = [(companies[party["company"]], party["role"]) for party in entry["parties"]]
    services.validate_parties(parties)
    deal = Deal(slug=entry["slug"], publication=Publication.PUBLISHED, **values)
    # The rules every editor's deal obeys (the rate of a published non-USD amount, dates, units, shares).
    services.validate_deal(deal)
    services.validate_party_shares(
        deal.amount,
        deal.currency,
        deal.amount_qualifier,
        ((party["role"], _decimal(party.get("amount"))) for party in entry["parties"]),
    )
    deal.save()
    for citation in entry["citations"]:
        Citation.objects.create(
            deal=deal, source=sources[citation["source"]], supports=citation["supports"], quote=citation["quote"]
        )
        report.created["citations"] += 1
    services.validate_publishable(deal.publication, deal.citations.count())
    services.stamp_publication(deal)
    deal.save()
    for party in entry["parties"]:
        DealParty.objects.create(
            deal=deal,
            company=companies[party["company"]],
            role=party["role"],
            amount=_decimal(party.get("amount")),
            **{name: party[name] for name in PARTY_FIELDS if name in party},
        )
    for tranche in entry.get("tranches", []):
        Tranche.objects.create(
            deal=deal,
            position=tranche["position"],
            label=tranche["label"],
            amount=_decimal(tranche["amount"]),
            company=companies.get(tranche.get("company")),
            **{name: tranche[name] for name in TRANCHE_FIELDS if name in tranche},
        )
    for option in entry.get("options", []):
        DealOption.objects.create(
            deal=deal,
            holder=companies[option["holder"]],
            issuer=companies[option["issuer"]],
            exercise_price=_decimal(option.get("exercise_price")),
            stake_percent=_decimal(option.get("stake_percent")),
            **{name: option[name] for name in OPTION_FIELDS if name in option},
        )
    report.created["deals"] += 1


def _load_relations(entry) -> None:
    deal = Deal.objects.get(slug=entry["slug"])
    links = [(relation["kind"], Deal.objects.get(slug=relation["deal"])) for relation in entry.get("related", [])]
    if links and not deal.relations_out.exists():
        services.validate_relations(deal, links)
    for kind, other in links:
        DealRelation.objects.get_or_create(from_deal=deal, to_deal=other, kind=kind)
