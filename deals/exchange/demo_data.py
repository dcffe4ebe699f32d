"""Invented but plausible data at scale, for demos and benchmarks: companies, sources and published deals.

Everything comes from one `random.Random(seed)`, consumed in a fixed order, so a seed always gives
the same rows. Rows are written in bulk (`deals.exchange.bulk_insert`: no per-row signals, no history
records) and the derived tables are rebuilt once at the end. A few companies get thousands of
deals: within each role, a company's chance of being picked falls with its rank (a Zipf-like law).
"""

import bisect
import datetime
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db import connection, transaction
from django.utils import translation

from deals.core.choices import CitedField, CompanyKind, DatePrecision, DealKind, DealStatus, Qualifier, Role
from deals.core.dates import truncate
from deals.core.money import USD, format_money, usd_equivalent
from deals.exchange.bulk_insert import RowWriter, reset_sequences
from deals.figures import alliances, company_totals, cycles, flows, periods, proxy_war
from deals.models import Alliance, Citation, Company, Deal, DealParty, MoneyFlow, Publication, Source, Tranche
from deals.rules import content_version, services
from deals.rules.public import public_companies, public_sources, refresh_public_companies, refresh_public_sources
from deals.search import documents as search_documents

FIRST_DAY = datetime.date(2011, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
SPAN_DAYS = (LAST_DAY - FIRST_DAY).days
ZIPF_EXPONENT = 0.8
GIANTS = 30
SUBSIDIARY_SHARE = 0.04
SOURCES_PER_DEAL = 0.5
PROGRESS_STEP = 1000
DRAW_ATTEMPTS = 50

CONSONANTS = "bcdfghklmnprstvxz"
VOWELS = "aeiou"
ENDINGS = ["", "a", "ex", "ia", "on", "ix", "us", "ora", "ium", "ent"]
SUFFIXES = {
    CompanyKind.AI_LAB: ["AI", "Labs", "Intelligence", "Research", "Minds"],
    CompanyKind.BIG_TECH: ["Corporation", "Technologies", "Group", "Inc."],
    CompanyKind.CLOUD: ["Cloud", "Compute", "Hosting"],
    CompanyKind.CHIPMAKER: ["Semiconductor", "Silicon", "Microsystems"],
    CompanyKind.INVESTOR: ["Capital", "Ventures", "Partners", "Fund"],
    CompanyKind.INFRASTRUCTURE: ["Data Centers", "Infrastructure", "Power", "GPU Cloud"],
    CompanyKind.OTHER: ["Software", "Robotics", "Health", "Analytics", "Media"],
}
SUBSIDIARY_SUFFIXES = ["Cloud", "Ventures", "Research", "Capital", "Devices", "Europe", "Asia"]
PARENT_KINDS = {CompanyKind.BIG_TECH, CompanyKind.CLOUD, CompanyKind.CHIPMAKER}
KIND_WEIGHTS = {
    CompanyKind.AI_LAB: 30,
    CompanyKind.INVESTOR: 22,
    CompanyKind.OTHER: 20,
    CompanyKind.INFRASTRUCTURE: 12,
    CompanyKind.CLOUD: 6,
    CompanyKind.CHIPMAKER: 6,
    CompanyKind.BIG_TECH: 4,
}
GIANT_KIND_WEIGHTS = {
    CompanyKind.BIG_TECH: 30,
    CompanyKind.AI_LAB: 25,
    CompanyKind.CLOUD: 15,
    CompanyKind.CHIPMAKER: 15,
    CompanyKind.INVESTOR: 15,
}
COUNTRY_WEIGHTS = {"US": 55, "CN": 8, "GB": 6, "FR": 4, "DE": 4, "CA": 4, "IL": 3, "JP": 3, "IN": 3, "KR": 2, "": 8}

# Which kinds of company take each role.
ROLE_POOLS = {
    Role.INVESTOR: {CompanyKind.INVESTOR, CompanyKind.BIG_TECH, CompanyKind.CLOUD, CompanyKind.CHIPMAKER},
    Role.INVESTEE: {CompanyKind.AI_LAB, CompanyKind.INFRASTRUCTURE, CompanyKind.OTHER},
    Role.PROVIDER: {CompanyKind.CLOUD, CompanyKind.CHIPMAKER, CompanyKind.INFRASTRUCTURE, CompanyKind.BIG_TECH},
    Role.CUSTOMER: {CompanyKind.AI_LAB, CompanyKind.BIG_TECH, CompanyKind.OTHER, CompanyKind.INFRASTRUCTURE},
    Role.PARTNER: set(CompanyKind),
    Role.ACQUIRER: {CompanyKind.BIG_TECH, CompanyKind.INVESTOR, CompanyKind.AI_LAB, CompanyKind.CHIPMAKER},
    Role.TARGET: {CompanyKind.AI_LAB, CompanyKind.OTHER, CompanyKind.INFRASTRUCTURE},
}
ROLE_POOLS[Role.LEAD_INVESTOR] = ROLE_POOLS[Role.INVESTOR]

DEAL_KIND_WEIGHTS = {
    DealKind.FUNDING_ROUND: 25,
    DealKind.CLOUD_COMPUTE: 18,
    DealKind.EQUITY: 15,
    DealKind.PARTNERSHIP: 12,
    DealKind.CHIP_SUPPLY: 10,
    DealKind.ACQUISITION: 8,
    DealKind.CONVERTIBLE_NOTE: 4,
    DealKind.JOINT_VENTURE: 3,
    DealKind.EXCLUSIVE_DISTRIBUTION: 3,
    DealKind.OTHER: 2,
}
# Median amount in US dollars; None where most such deals state no amount.
MEDIAN_USD = {
    DealKind.FUNDING_ROUND: 60e6,
    DealKind.CLOUD_COMPUTE: 400e6,
    DealKind.EQUITY: 200e6,
    DealKind.PARTNERSHIP: None,
    DealKind.CHIP_SUPPLY: 300e6,
    DealKind.ACQUISITION: 500e6,
    DealKind.CONVERTIBLE_NOTE: 100e6,
    DealKind.JOINT_VENTURE: 1e9,
    DealKind.EXCLUSIVE_DISTRIBUTION: 150e6,
    DealKind.OTHER: None,
}
STATUS_WEIGHTS = {
    DealStatus.ANNOUNCED: 45,
    DealStatus.COMPLETED: 35,
    DealStatus.REPORTED: 10,
    DealStatus.IN_TALKS: 6,
    DealStatus.CANCELLED: 4,
}
PRECISION_WEIGHTS = {DatePrecision.DAY: 80, DatePrecision.MONTH: 15, DatePrecision.YEAR: 5}
QUALIFIER_WEIGHTS = {Qualifier.EXACT: 75, Qualifier.UP_TO: 12, Qualifier.ABOUT: 8, Qualifier.AT_LEAST: 5}
# US dollars per unit: a plausible range for each currency.
CURRENCY_RATES = {"EUR": (1.05, 1.20), "GBP": (1.22, 1.40), "JPY": (0.0066, 0.0095)}
CURRENCY_WEIGHTS = {USD: 88, "EUR": 6, "GBP": 3, "JPY": 3}
PUBLISHERS = [
    ("Silicon Wire", "silicon-wire.example", "en"),
    ("The Compute Ledger", "compute-ledger.example", "en"),
    ("AI Deal Journal", "ai-deal-journal.example", "en"),
    ("Frontier Markets Daily", "frontier-markets.example", "en"),
    ("Chip Street", "chip-street.example", "en"),
    ("Cloud Capital Review", "cloud-capital.example", "en"),
    ("Venture Tape", "venture-tape.example", "en"),
    ("Diario de Tecnología", "diario-tecnologia.example", "es"),
]
CITED_FIGURES = [CitedField.AMOUNT, CitedField.PARTIES, CitedField.DATE, CitedField.STATUS, CitedField.VALUATION]
TRANCHE_LABELS = ["initial", "second", "on milestones"]
TRANCHE_KINDS = {DealKind.FUNDING_ROUND, DealKind.EQUITY, DealKind.CONVERTIBLE_NOTE, DealKind.CLOUD_COMPUTE}
TRANCHE_SHARE = 0.12
SHARES_STATED = 0.4


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _press_figure(value: float) -> Decimal:
    """Two significant figures, as the press states them: $45M, $1.2B."""
    return Decimal(f"{value:.2g}").quantize(Decimal(1))


def _recent_day(rng: random.Random) -> datetime.date:
    """A day in the fifteen years, more often a recent one: deals multiply over time."""
    return FIRST_DAY + datetime.timedelta(days=int(SPAN_DAYS * rng.random() ** 0.5))


@functools.cache
def _stated(amount: Decimal | None, currency: str, qualifier: str) -> str:
    return format_money(amount, currency, qualifier)


@dataclass
class Summary:
    companies: int = 0
    subsidiaries: int = 0
    sources: int = 0
    deals: int = 0
    parties: int = 0
    tranches: int = 0
    citations: int = 0
    derived: dict = field(default_factory=dict)

    def __str__(self):
        derived = "".join(f", {count} {name}" for name, count in self.derived.items())
        return (
            f"{self.companies} companies ({self.subsidiaries} subsidiaries), {self.deals} deals, {self.parties} "
            f"parties, {self.tranches} tranches, {self.citations} citations of {self.sources} sources{derived}"
        )


@dataclass
class _Company:
    rank: int
    pk: int
    name: str
    slug: str
    kind: str


class _Pool:
    """Companies that can take one role, drawn with a weight falling with their rank."""

    def __init__(self, members: list[_Company], fallback: "_Pool | None" = None):
        self.members, self.fallback = members, fallback
        total, self.cumulative = 0.0, []
        for company in members:
            total += 1 / (company.rank + 1) ** ZIPF_EXPONENT
            self.cumulative.append(total)

    def draw(self, rng: random.Random, taken: set[int]) -> _Company:
        """A company not in `taken`; a pool too small for the deal lends from the fallback (all companies)."""
        for _attempt in range(DRAW_ATTEMPTS):
            position = bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])
            company = self.members[min(position, len(self.members) - 1)]
            if company.rank not in taken:
                return company
        if self.fallback is not None:
            return self.fallback.draw(rng, taken)
        return next(company for company in self.members if company.rank not in taken)


class _NoProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class Generator:
    def __init__(self, companies: int, deals: int, seed: int, progress=None):
        if companies < 10 or deals < 1:
            raise ValueError("Generate at least 10 companies and 1 deal.")
        self.rng = random.Random(seed)
        self.company_count, self.deal_count = companies, deals
        self.progress = progress or _NoProgress()
        self.summary = Summary()

    def run(self) -> Summary:
        # Titles and stated amounts are written in English whatever language is active.
        with transaction.atomic(), translation.override("en"):
            companies = self._companies()
            sources = self._sources()
            self._deals(companies, sources)
            reset_sequences(Company, Source, Deal, DealParty, Tranche, Citation)
            self._rebuild_derived()
        _vacuum()
        return self.summary

    def _step(self, label: str, total: int, items):
        """Iterate, moving the progress bar every PROGRESS_STEP items."""
        self.progress.start(label, total)
        for number, item in enumerate(items, start=1):
            yield item
            if number % PROGRESS_STEP == 0:
                self.progress.advance(PROGRESS_STEP)
        self.progress.advance(total % PROGRESS_STEP)
        self.progress.finish()

    # Companies -----------------------------------------------------------------------------------------

    def _word(self, taken: set[str]) -> str:
        while True:
            syllables = "".join(
                self.rng.choice(CONSONANTS) + self.rng.choice(VOWELS) for _ in range(self.rng.randint(2, 3))
            )
            word = (syllables + self.rng.choice(ENDINGS)).capitalize()
            if word not in taken:
                taken.add(word)
                return word

    def _companies(self) -> list[_Company]:
        """Ranked companies, the best known first; subsidiaries hang off the larger tech companies."""
        writer = RowWriter(Company)
        parent_ranks = max(5, min(200, self.company_count // 10))
        words, names, companies, parents = set(), set(), [], []
        for rank in self._step("companies", self.company_count, range(self.company_count)):
            kind = _weighted(self.rng, GIANT_KIND_WEIGHTS if rank < GIANTS else KIND_WEIGHTS)
            parent = None
            if rank >= parent_ranks and parents and self.rng.random() < SUBSIDIARY_SHARE:
                parent = self.rng.choice(parents)
                name = f"{parent.name.split()[0]} {self.rng.choice(SUBSIDIARY_SUFFIXES)}"
                if name in names:
                    parent = None
            if parent is None:
                name = f"{self._word(words)} {self.rng.choice(SUFFIXES[kind])}"
            names.add(name)
            slug = name.lower().replace(".", "").replace(" ", "-") + f"-{rank + 1}"
            pk = writer.add(
                {
                    "name": name,
                    "slug": slug,
                    "kind": kind,
                    "parent_id": parent.pk if parent else None,
                    "country": _weighted(self.rng, COUNTRY_WEIGHTS),
                    "founded_year": 2025 - int(55 * self.rng.random() ** 2),
                    "website": f"https://{slug}.example",
                    "description": f"{name}: {CompanyKind(kind).label}, invented for demonstrations.",
                }
            )
            company = _Company(rank, pk, name, slug, kind)
            companies.append(company)
            if rank < parent_ranks and kind in PARENT_KINDS:
                parents.append(company)
            self.summary.subsidiaries += parent is not None
        writer.flush()
        self.summary.companies = writer.written
        return companies

    # Sources -------------------------------------------------------------------------------------------

    def _sources(self) -> tuple[list[datetime.date], list[int]]:
        """Sources sorted by date, so a deal can cite those published around its announcement."""
        count = max(10, int(self.deal_count * SOURCES_PER_DEAL))
        days = sorted(_recent_day(self.rng) for _ in range(count))
        writer, pks = RowWriter(Source), []
        for number, day in self._step("sources", count, enumerate(days, start=1)):
            publisher, domain, language = self.rng.choice(PUBLISHERS)
            row = {
                "url": f"https://{domain}/{day:%Y/%m/%d}/story-{number}",
                "title": f"{publisher}: AI industry deals, report {number}",
                "publisher": publisher,
                "published_on": day,
                "language": language,
            }
            pks.append(writer.add(row))
        writer.flush()
        self.summary.sources = writer.written
        return days, pks

    # Deals ---------------------------------------------------------------------------------------------

    def _deals(self, companies: list[_Company], sources) -> None:
        everyone = _Pool(companies)
        pools = {
            role: _Pool([c for c in companies if c.kind in kinds] or companies, fallback=everyone)
            for role, kinds in ROLE_POOLS.items()
        }
        writers = {model: RowWriter(model) for model in (Deal, DealParty, Tranche, Citation)}
        for number in self._step("deals", self.deal_count, range(1, self.deal_count + 1)):
            self._deal(number, pools, sources, writers)
        for writer in writers.values():
            writer.flush()
        self.summary.deals = writers[Deal].written
        self.summary.parties = writers[DealParty].written
        self.summary.tranches = writers[Tranche].written
        self.summary.citations = writers[Citation].written

    def _deal(self, number: int, pools, sources, writers) -> None:
        rng = self.rng
        kind = _weighted(rng, DEAL_KIND_WEIGHTS)
        members: list[tuple[_Company, str]] = []
        taken = set()
        for role in self._roles(kind):
            company = pools[role].draw(rng, taken)
            taken.add(company.rank)
            members.append((company, role))
        services.validate_parties([(company.rank, role) for company, role in members])

        precision = _weighted(rng, PRECISION_WEIGHTS)
        day = _recent_day(rng)
        announced_on = truncate(day, precision)
        currency = _weighted(rng, CURRENCY_WEIGHTS)
        usd_rate = None
        if currency != USD:
            usd_rate = Decimal(str(round(rng.uniform(*CURRENCY_RATES[currency]), 6)))
        amount = self._amount(kind, usd_rate)
        qualifier = _weighted(rng, QUALIFIER_WEIGHTS) if amount is not None else Qualifier.EXACT
        amount_usd = usd_equivalent(amount, currency, usd_rate)
        stake = self._stake(kind)
        title = _title(kind, members, amount_usd)
        deal_id = writers[Deal].add(
            {
                "title": title,
                "slug": f"{members[0][0].slug}-{members[1][0].slug}-{number}",
                "kind": kind,
                "status": _weighted(rng, STATUS_WEIGHTS),
                "publication": Publication.PUBLISHED,
                "published_at": datetime.datetime.combine(
                    day + datetime.timedelta(days=rng.randint(0, 20)),
                    datetime.time(rng.randint(6, 22), rng.randint(0, 59)),
                    tzinfo=datetime.UTC,
                ),
                "announced_on": announced_on,
                "announced_precision": precision,
                "amount": amount,
                "currency": currency,
                "amount_qualifier": qualifier,
                "usd_rate": usd_rate,
                "amount_usd": amount_usd,
                "amount_as_stated": _stated(amount, currency, qualifier),
                "stake_percent": stake,
                "valuation_usd": _valuation(amount_usd, stake),
                "capacity_gw": self._capacity(kind),
                "duration_months": self._duration(kind),
                "summary": f"{title}. Invented for demonstrations, like its sources.",
            }
        )
        for (company, role), share in zip(members, self._shares(members, amount), strict=True):
            writers[DealParty].add(
                {
                    "deal_id": deal_id,
                    "company_id": company.pk,
                    "role": role,
                    "amount": share,
                    "amount_usd": usd_equivalent(share, currency, usd_rate),
                    "deal_announced_on": announced_on,
                    "deal_published": True,  # every generated deal is published (above)
                }
            )
        for tranche in self._tranches(kind, amount, day, members):
            writers[Tranche].add({"deal_id": deal_id, **tranche})
        for source_id, figure in self._citations(day, sources):
            writers[Citation].add({"deal_id": deal_id, "source_id": source_id, "supports": figure})

    def _roles(self, kind: str) -> list[str]:
        rng = self.rng
        if kind == DealKind.FUNDING_ROUND:
            return [Role.INVESTEE, Role.LEAD_INVESTOR] + [Role.INVESTOR] * rng.choice([0, 1, 1, 2, 2, 3, 4])
        if kind == DealKind.EQUITY:
            return [Role.INVESTEE] + [Role.INVESTOR] * rng.choice([1, 1, 1, 2])
        if kind == DealKind.CONVERTIBLE_NOTE:
            return [Role.INVESTEE, Role.INVESTOR]
        if kind in (DealKind.CLOUD_COMPUTE, DealKind.CHIP_SUPPLY):
            return [Role.PROVIDER] + [Role.CUSTOMER] * rng.choice([1, 1, 1, 1, 2])
        if kind == DealKind.EXCLUSIVE_DISTRIBUTION:
            return [Role.PROVIDER, Role.CUSTOMER]
        if kind == DealKind.ACQUISITION:
            return [Role.ACQUIRER, Role.TARGET]
        if kind == DealKind.JOINT_VENTURE:
            return [Role.PARTNER] * rng.choice([2, 2, 3, 4])
        return [Role.PARTNER] * rng.choice([2, 2, 2, 3])

    def _amount(self, kind: str, usd_rate: Decimal | None) -> Decimal | None:
        median = MEDIAN_USD[kind]
        if self.rng.random() < (0.7 if median is None else 0.1):
            return None
        value = (median or 50e6) * self.rng.lognormvariate(0, 1.3)
        return _press_figure(value / float(usd_rate) if usd_rate else value)

    def _stake(self, kind: str) -> Decimal | None:
        rng = self.rng
        if kind == DealKind.ACQUISITION:
            return Decimal(100) if rng.random() < 0.7 else Decimal(rng.randint(51, 99))
        if kind in (DealKind.EQUITY, DealKind.CONVERTIBLE_NOTE, DealKind.FUNDING_ROUND) and rng.random() < 0.4:
            return Decimal(rng.randint(5, 499)) / 10
        return None

    def _capacity(self, kind: str) -> Decimal | None:
        if kind == DealKind.CLOUD_COMPUTE and self.rng.random() < 0.3:
            return Decimal(self.rng.randint(1, 50)) / 10
        return None

    def _duration(self, kind: str) -> int | None:
        long_term = (DealKind.CLOUD_COMPUTE, DealKind.CHIP_SUPPLY, DealKind.EXCLUSIVE_DISTRIBUTION)
        if kind in long_term and self.rng.random() < 0.6:
            return self.rng.choice([12, 24, 36, 48, 60, 84, 120])
        return None

    def _shares(self, members, amount: Decimal | None) -> list[Decimal | None]:
        """Own shares: stated for the investors of some rounds with several of them."""
        shares: list[Decimal | None] = [None] * len(members)
        investors = [i for i, (_company, role) in enumerate(members) if role in services.INVESTING]
        if amount is None or len(investors) < 2 or self.rng.random() >= SHARES_STATED:
            return shares
        remaining = amount
        for i in investors:
            share = (remaining * Decimal(self.rng.randint(20, 60)) / 100).quantize(Decimal(1))
            shares[i], remaining = share, remaining - share
        return shares

    def _tranches(self, kind: str, amount: Decimal | None, day: datetime.date, members) -> list[dict]:
        if amount is None or kind not in TRANCHE_KINDS or self.rng.random() >= TRANCHE_SHARE:
            return []
        count = self.rng.choice([2, 2, 3])
        first = (amount * Decimal(self.rng.randint(30, 70)) / 100).quantize(Decimal(1))
        amounts = [first] + [((amount - first) / (count - 1)).quantize(Decimal(1))] * (count - 1)
        payer = next((company for company, role in members if role in services.INVESTING), None)
        return [
            {
                "position": position,
                "label": TRANCHE_LABELS[position - 1],
                "amount": value,
                "company_id": payer.pk if payer and position == 1 else None,
                "condition": "" if position == 1 else "on reaching agreed milestones",
                "expected_on": None if position == 1 else day + datetime.timedelta(days=180 * (position - 1)),
            }
            for position, value in enumerate(amounts, start=1)
        ]

    def _citations(self, day: datetime.date, sources) -> list[tuple[int, str]]:
        """1 to 3 sources published around the deal, each for a different figure."""
        days, pks = sources
        around = bisect.bisect_left(days, day)
        count = self.rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
        figures = [CitedField.GENERAL, *self.rng.sample(CITED_FIGURES, count - 1)]
        return [(pks[min(len(pks) - 1, max(0, around + self.rng.randint(-3, 8)))], figure) for figure in figures]

    # Derived tables ------------------------------------------------------------------------------------

    def _rebuild_derived(self) -> None:
        _analyze()
        for name, rebuild in derived_table_rebuilds():
            self.progress.start(name, 1)
            self.summary.derived[name] = rebuild()
            self.progress.advance()
            self.progress.finish()
        content_version.renew()
        _analyze()


def _analyze() -> None:
    """Fresh planner statistics. Without them PostgreSQL plans the rebuilds for empty tables: minutes, not seconds."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _vacuum() -> None:
    """On PostgreSQL, mark the new rows visible to all, so counts read the indexes alone (VACUUM needs autocommit)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _valuation(amount_usd: Decimal | None, stake: Decimal | None) -> Decimal | None:
    if amount_usd is None or not stake:
        return None
    return (amount_usd * 100 / stake).quantize(Decimal(1_000_000), rounding=ROUND_HALF_UP)


def _title(kind: str, members, amount_usd: Decimal | None) -> str:
    first, second = members[0][0].name, members[1][0].name
    money = f" {_stated(amount_usd, USD, Qualifier.EXACT)}" if amount_usd else ""
    if kind == DealKind.FUNDING_ROUND:
        return f"{first} raises{money} led by {second}"
    if kind in (DealKind.EQUITY, DealKind.CONVERTIBLE_NOTE):
        return f"{second} invests{money} in {first}"
    if kind in (DealKind.CLOUD_COMPUTE, DealKind.CHIP_SUPPLY, DealKind.EXCLUSIVE_DISTRIBUTION):
        return f"{second} commits{money} to {first}"
    if kind == DealKind.ACQUISITION:
        return f"{first} acquires {second}"
    return f"{first} and {second} team up"


def _rebuild_flows() -> int:
    flows.rebuild()
    return MoneyFlow.objects.count()


def _rebuild_alliances() -> int:
    alliances.refresh()
    return Alliance.objects.count()


def derived_table_rebuilds() -> list[tuple[str, Callable[[], int]]]:
    """(name, rebuild) for every table derived from the deals; each rebuild returns its row count."""
    return [
        ("money flows", _rebuild_flows),
        ("alliances", _rebuild_alliances),
        ("company totals", company_totals.refresh),
        ("months of the charts", periods.refresh),
        ("labs in the proxy war", proxy_war.refresh),
        ("circular deals", cycles.refresh),
        ("public sources", _mark_public_sources),
        ("companies with a page", _mark_public_companies),
        ("search documents", search_documents.rebuild),
    ]


def _mark_public_sources() -> int:
    refresh_public_sources()
    return public_sources().count()


def _mark_public_companies() -> int:
    refresh_public_companies()
    return public_companies().count()


def has_content() -> dict[str, int]:
    """The content already in the database that generated data would mix with."""
    counts = {"companies": Company.objects.count(), "deals": Deal.objects.count(), "sources": Source.objects.count()}
    return {name: count for name, count in counts.items() if count}


def flush_content() -> None:
    """Delete every row of the deals app (content, history, derived tables) in one transaction, without signals."""
    with transaction.atomic():
        for model in apps.get_app_config("deals").get_models(include_auto_created=True):
            model._base_manager.all()._raw_delete(using=connection.alias)


def generate(companies: int, deals: int, seed: int, progress=None) -> Summary:
    return Generator(companies, deals, seed, progress).run()
