"""Keeps the Alliance table equal to the published deals: one row per pair of corporate groups.

A deal makes a pair of every two groups that deal with each other (investor and investee,
customer and provider, acquirer and target, partners; not two co-investors). A pair's money is
the sum of the counted money flows between the two groups, both ways (`deals.figures.flows` holds the
rules): committed money in `total_usd`, money only "up to", conditional or non-binding in
`further_usd`, and the flows of undisclosed amount counted, never taken as 0.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from django.db import transaction
from django.db.models import Q

from deals.core.batches import batches, column_of, filtered
from deals.core.choices import are_counterparts
from deals.figures.derived_locks import lock_everything, lock_groups
from deals.figures.groups import every_group
from deals.models import Alliance, Company, Deal, DealParty, MoneyFlow


@dataclass
class _PairTotals:
    deal_ids: list = field(default_factory=list)
    committed: Decimal = Decimal(0)
    further: Decimal = Decimal(0)
    undisclosed: int = 0
    first: object = None
    latest: object = None
    kinds: Counter = field(default_factory=Counter)

    def add(self, deal):
        self.deal_ids.append(deal["pk"])
        self.kinds[deal["kind"]] += 1
        day = deal["announced_on"]
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.latest = day if self.latest is None else max(self.latest, day)

    def add_flow(self, committed, further):
        if committed is None and further is None:
            self.undisclosed += 1
        self.committed += committed or 0
        self.further += further or 0

    @property
    def main_kind(self) -> str:
        """The kind of most of the pair's deals; a tie goes to the kind whose code sorts first, never row order."""
        return min(self.kinds.items(), key=lambda item: (-item[1], item[0]))[0]


def _compute(deal_queries, groups) -> dict[tuple[int, int], _PairTotals]:
    """Which deals each pair of groups has (parties that deal with each other), and its money (figures.flows), over
    the deals of `deal_queries` (querysets of deals, each a batch)."""
    deals, parties = {}, defaultdict(list)
    for deal_query in deal_queries:
        deals.update((d["pk"], d) for d in deal_query.values("pk", "kind", "status", "announced_on"))
        # A subquery, not a list of ids, and no ordering (whose join to companies led SQLite to a plan
        # probing the list once per company: minutes at 100,000 deals).
        party_rows = DealParty.objects.filter(deal__in=deal_query.values("pk")).order_by()
        for deal_id, company_id, role in party_rows.values_list("deal_id", "company_id", "role").iterator(5000):
            parties[deal_id].append((groups[company_id], role))
    pairs = defaultdict(_PairTotals)
    for deal_id, members in parties.items():
        for pair in _counterpart_pairs(members):
            pairs[pair].add(deals[deal_id])
    for deal_query in deal_queries:
        flow_rows = MoneyFlow.objects.filter(
            deal__in=deal_query.values("pk"), counted=True, payer_group__isnull=False, payee_group__isnull=False
        ).order_by()
        for payer, payee, committed, further in flow_rows.values_list(
            "payer_group_id", "payee_group_id", "committed_usd", "further_usd"
        ).iterator(5000):
            pair = tuple(sorted((payer, payee)))
            if pair in pairs:
                pairs[pair].add_flow(committed, further)
    return pairs


def _counterpart_pairs(members) -> set[tuple[int, int]]:
    return {
        tuple(sorted((group_a, group_b)))
        for (group_a, role_a), (group_b, role_b) in combinations(members, 2)
        if group_a != group_b and are_counterparts(role_a, role_b)
    }


def _ordered(a: int, b: int, slugs: dict[int, str]) -> tuple[int, int]:
    return (a, b) if slugs[a] < slugs[b] else (b, a)


@transaction.atomic
def refresh(pairs: set[tuple[int, int]] | None = None, *, involving: set[int] | None = None) -> set[int]:
    """Rebuild the alliances of the given group pairs, or of every pair with a group of `involving` on a side,
    or all of them when neither is given. Returns the groups on a side of an alliance written or deleted."""
    if pairs is not None:
        pairs = {tuple(sorted(pair)) for pair in pairs if pair[0] != pair[1]}
        if not pairs:
            return set()
        lock_groups({group for pair in pairs for group in pair})
        sides = {g for pair in pairs for g in pair}
        wanted = pairs.__contains__
    elif involving is not None:
        lock_everything()  # the other sides may be any group
        sides = set(involving)
        wanted = lambda pair: pair[0] in sides or pair[1] in sides  # noqa: E731
    else:
        lock_everything()
    # Read once the lock is held: what an earlier refresh of these pairs committed is in.
    groups = every_group()
    published = [Deal.objects.published()]
    if pairs is not None or involving is not None:
        members = [c for c, g in groups.items() if g in sides]
        deal_ids = column_of(DealParty.objects.all(), "company_id__in", members, "deal_id")
        published = list(filtered(published[0], "pk__in", deal_ids))
    computed = _compute(published, groups)
    if pairs is not None or involving is not None:
        computed = {pair: totals for pair, totals in computed.items() if wanted(pair)}
    slugs = {}
    for companies in filtered(Company.objects.all(), "pk__in", {g for pair in (pairs or computed) for g in pair}):
        slugs.update(companies.values_list("pk", "slug"))

    alliances, deals_of = [], {}
    for (a, b), totals in sorted(computed.items()):
        first, second = _ordered(a, b, slugs)
        alliances.append(
            Alliance(
                company_a_id=first,
                company_b_id=second,
                slug=f"{slugs[first]}--{slugs[second]}",
                deal_count=len(totals.deal_ids),
                total_usd=totals.committed,
                further_usd=totals.further,
                undisclosed_count=totals.undisclosed,
                first_announced=totals.first,
                latest_announced=totals.latest,
                dominant_kind=totals.main_kind,
            )
        )
        deals_of[alliances[-1].slug] = set(totals.deal_ids)
    kept_slugs = {alliance.slug for alliance in alliances}
    touched = {g for pair in computed for g in pair}
    if pairs is None and involving is None:
        _delete_all_but(kept_slugs)
    else:
        existing = _existing(sides, wanted)
        touched |= {g for _pk, _slug, pair in existing for g in pair}
        stale = [pk for pk, slug, _pair in existing if slug not in kept_slugs]
        for chunk in _chunks(stale, 500):
            Alliance.objects.filter(pk__in=chunk).delete()
    # An upsert, not a delete and insert, in the order of the slugs: writing a row twice gives the same row.
    Alliance.objects.bulk_create(
        alliances,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=list(ALLIANCE_FIGURES),
    )
    for chunk in _chunks(sorted(kept_slugs), 500):
        _link_deals(dict(Alliance.objects.filter(slug__in=chunk).values_list("slug", "pk")), deals_of)
    return touched


def _link_deals(alliance_ids: dict[str, int], deals_of: dict[str, set[int]]) -> None:
    """Make each alliance's deal links its deals: the links no longer wanted deleted, the missing ones added
    (rows that stay are left alone, so a refresh that changes nothing writes nothing)."""
    through = Alliance.deals.through
    wanted = {(pk, deal_id) for slug, pk in alliance_ids.items() for deal_id in deals_of[slug]}
    stale = []
    stored = through.objects.filter(alliance_id__in=alliance_ids.values()).order_by("pk")
    for pk, alliance_id, deal_id in stored.values_list("pk", "alliance_id", "deal_id"):
        if (alliance_id, deal_id) in wanted:
            wanted.discard((alliance_id, deal_id))
        else:
            stale.append(pk)
    for chunk in _chunks(stale, 5000):
        through.objects.filter(pk__in=chunk).delete()
    missing = [through(alliance_id=alliance_id, deal_id=deal_id) for alliance_id, deal_id in sorted(wanted)]
    through.objects.bulk_create(missing, batch_size=5000, ignore_conflicts=True)


ALLIANCE_FIGURES = (
    "company_a",
    "company_b",
    "deal_count",
    "total_usd",
    "further_usd",
    "undisclosed_count",
    "first_announced",
    "latest_announced",
    "dominant_kind",
)


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _delete_all_but(kept_slugs: set[str]) -> None:
    stale = set(Alliance.objects.values_list("slug", flat=True)) - kept_slugs
    for chunk in _chunks(sorted(stale), 500):
        Alliance.objects.filter(slug__in=chunk).delete()


def _existing(sides: set[int], wanted) -> list[tuple[int, str, tuple[int, int]]]:
    """(pk, slug, pair) of the stored alliances with a group of `sides` on a side whose pair is `wanted`."""
    found = {}
    for batch in batches(sides):
        some = Alliance.objects.filter(Q(company_a__in=batch) | Q(company_b__in=batch))
        for pk, slug, a, b in some.values_list("pk", "slug", "company_a_id", "company_b_id"):
            if wanted(pair := tuple(sorted((a, b)))):
                found[pk] = (pk, slug, pair)
    return list(found.values())


def pairs_of_companies(company_ids) -> set[tuple[int, int]]:
    groups = every_group()
    return set(combinations(sorted({groups[c] for c in company_ids if c in groups}), 2))


def pairs_of_deal(deal_id: int) -> set[tuple[int, int]]:
    return pairs_of_companies(DealParty.objects.filter(deal_id=deal_id).values_list("company_id", flat=True))
