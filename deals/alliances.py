"""Keeps the Alliance table equal to the published deals: one row per pair of corporate groups.

A deal makes a pair of every two groups that deal with each other (investor and investee,
customer and provider, acquirer and target, partners; not two co-investors). A pair's total
counts, for each deal, the own share of either side where the parties state shares, otherwise
the whole deal amount when no party states one and a single party pays (a joint round's total is
not credited to each investor); deals in talks or cancelled add nothing to totals.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from django.db import transaction

from deals.models import Alliance, Company, Deal, DealParty
from deals.models.choices import PAYING_ROLES, STATUSES_IN_TOTALS, are_counterparts


def group_of_companies() -> dict[int, int]:
    """Each company's top parent (AWS → Amazon); a company without parent is its own group."""
    parents = dict(Company.objects.values_list("pk", "parent_id"))
    groups = {}
    for company_id in parents:
        top, seen = company_id, {company_id}
        while parents.get(top) and parents[top] not in seen:
            top = parents[top]
            seen.add(top)
        groups[company_id] = top
    return groups


@dataclass
class _PairTotals:
    deal_ids: list = field(default_factory=list)
    total: Decimal = Decimal(0)
    first: object = None
    latest: object = None
    kinds: Counter = field(default_factory=Counter)

    def add(self, deal, value):
        self.deal_ids.append(deal["pk"])
        if deal["status"] in STATUSES_IN_TOTALS:
            self.total += value or 0
        self.kinds[deal["kind"]] += 1
        day = deal["announced_on"]
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.latest = day if self.latest is None else max(self.latest, day)


def _pair_value(deal, shares_by_group, payer_count, a, b):
    if not shares_by_group:
        return deal["amount_usd"] if payer_count == 1 else None
    stated = [shares_by_group[g] for g in (a, b) if g in shares_by_group]
    return max(stated) if stated else None


def _compute(deal_ids_query, groups) -> dict[tuple[int, int], _PairTotals]:
    deals = {d["pk"]: d for d in deal_ids_query.values("pk", "kind", "status", "announced_on", "amount_usd")}
    parties = defaultdict(list)
    # A subquery, not a list of ids, and no ordering (whose join to companies led SQLite to a plan
    # probing the list once per company: minutes at 100,000 deals).
    party_rows = DealParty.objects.filter(deal__in=deal_ids_query.values("pk")).order_by()
    for deal_id, company_id, role, share in party_rows.values_list("deal_id", "company_id", "role", "amount_usd"):
        parties[deal_id].append((groups[company_id], role, share))
    pairs = defaultdict(_PairTotals)
    for deal_id, members in parties.items():
        shares = defaultdict(Decimal)
        for group, _role, share in members:
            if share is not None:
                shares[group] += share
        payer_count = len({group for group, role, _share in members if role in PAYING_ROLES})
        for pair in _counterpart_pairs(members):
            pairs[pair].add(deals[deal_id], _pair_value(deals[deal_id], shares, payer_count, *pair))
    return pairs


def _counterpart_pairs(members) -> set[tuple[int, int]]:
    return {
        tuple(sorted((group_a, group_b)))
        for (group_a, role_a, _a), (group_b, role_b, _b) in combinations(members, 2)
        if group_a != group_b and are_counterparts(role_a, role_b)
    }


def _ordered(a: int, b: int, slugs: dict[int, str]) -> tuple[int, int]:
    return (a, b) if slugs[a] < slugs[b] else (b, a)


@transaction.atomic
def refresh(pairs: set[tuple[int, int]] | None = None) -> None:
    """Rebuild the alliances of the given group pairs, or all of them when `pairs` is None."""
    groups = group_of_companies()
    published = Deal.objects.published()
    if pairs is not None:
        pairs = {tuple(sorted(pair)) for pair in pairs if pair[0] != pair[1]}
        if not pairs:
            return
        wanted_groups = {g for pair in pairs for g in pair}
        members = [c for c, g in groups.items() if g in wanted_groups]
        published = published.filter(pk__in=DealParty.objects.filter(company_id__in=members).values("deal_id"))
    computed = _compute(published, groups)
    if pairs is not None:
        computed = {pair: totals for pair, totals in computed.items() if pair in pairs}
    slugs = dict(
        Company.objects.filter(pk__in={g for pair in (pairs or computed) for g in pair}).values_list("pk", "slug")
    )

    stale = Alliance.objects.all()
    if pairs is not None:
        stale = stale.filter(pk__in=[a.pk for a in _existing(pairs, slugs)])
    stale.delete()
    alliances = []
    for (a, b), totals in computed.items():
        first, second = _ordered(a, b, slugs)
        alliances.append(
            Alliance(
                company_a_id=first,
                company_b_id=second,
                slug=f"{slugs[first]}--{slugs[second]}",
                deal_count=len(totals.deal_ids),
                total_usd=totals.total,
                first_announced=totals.first,
                latest_announced=totals.latest,
                dominant_kind=totals.kinds.most_common(1)[0][0],
            )
        )
    Alliance.objects.bulk_create(alliances, batch_size=1000)
    created = dict(Alliance.objects.filter(slug__in=[a.slug for a in alliances]).values_list("slug", "pk"))
    links = [
        Alliance.deals.through(alliance_id=created[alliance.slug], deal_id=deal_id)
        for alliance, totals in zip(alliances, computed.values(), strict=True)
        for deal_id in totals.deal_ids
    ]
    Alliance.deals.through.objects.bulk_create(links, batch_size=5000)


def _existing(pairs, slugs):
    for a, b in pairs:
        if a in slugs and b in slugs:
            first, second = _ordered(a, b, slugs)
            yield from Alliance.objects.filter(company_a_id=first, company_b_id=second)


def pairs_of_companies(company_ids) -> set[tuple[int, int]]:
    groups = group_of_companies()
    return set(combinations(sorted({groups[c] for c in company_ids if c in groups}), 2))


def pairs_of_deal(deal_id: int) -> set[tuple[int, int]]:
    return pairs_of_companies(DealParty.objects.filter(deal_id=deal_id).values_list("company_id", flat=True))
