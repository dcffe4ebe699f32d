"""Load the reviewed seed file: companies, sources and deals with parties, tranches, citations and relations.

Records that exist already (same slug, or same source URL / title) are left as they are, so editors'
changes survive and a second run changes nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from deals import services
from deals.models import Citation, Company, Deal, DealParty, DealRelation, Publication, Source, Tranche

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
    "stake_qualifier",
    "capacity_qualifier",
    "duration_months",
    "summary",
]
DECIMAL_FIELDS = ["amount", "usd_rate", "amount_usd", "stake_percent", "valuation_usd", "capacity_gw"]


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
    url = entry.get("url", "")
    lookup = {"url": url} if url else {"url": "", "title": entry["title"]}
    source, created = Source.objects.get_or_create(
        **lookup,
        defaults={
            "title": entry["title"],
            "publisher": entry.get("publisher", ""),
            "published_on": entry.get("published_on"),
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
    deal = Deal.objects.create(slug=entry["slug"], publication=Publication.PUBLISHED, **values)
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
            deal=deal, company=companies[party["company"]], role=party["role"], amount=_decimal(party.get("amount"))
        )
    for tranche in entry.get("tranches", []):
        Tranche.objects.create(
            deal=deal,
            position=tranche["position"],
            label=tranche["label"],
            amount=_decimal(tranche["amount"]),
            amount_qualifier=tranche.get("amount_qualifier", "exact"),
            company=companies.get(tranche.get("company")),
            commitment=tranche.get("commitment", "committed"),
            condition=tranche.get("condition", ""),
        )
    report.created["deals"] += 1


def _load_relations(entry) -> None:
    for relation in entry.get("related", []):
        DealRelation.objects.get_or_create(
            from_deal=Deal.objects.get(slug=entry["slug"]),
            to_deal=Deal.objects.get(slug=relation["deal"]),
            kind=relation["kind"],
        )
