"""Who pays whom in each published deal, for what, and how sure the money is: the MoneyFlow rows.

Every total of the site is a sum of these rows, so the rules of counting live here, once:

- Roles decide the direction: investor → investee, customer → provider, acquirer → target. Partners
  pay nobody. One agreement may hold several directions (an investment and the lab's purchase of the
  investor's cloud): each is its own flow, and a party's stated share belongs to that party in that role.
- The deal's amount belongs to its main direction (the investee's for investments, the provider's for
  cloud and chip deals, the target's for acquisitions); other directions count only stated shares.
- A flow carries the payer's own share (or the payee's, when only it states one); without one, the whole
  amount when a single payer pays a single payee and no party goes unnamed. A round with several
  investors of unknown shares credits none of them: the rest of the amount flows from "the other
  investors" together (a row without payer), so the investee still receives it.
- Certainty: money "up to" an amount, conditional or non-binding is `further_usd`, never committed. With
  tranches, each tranche counts as its own qualifier and commitment says.
- A deal in talks or superseded by a later deal keeps its rows, not counted; a cancelled deal moves no money.
- A deal recorded as part of another (`part_of`) counts its own money; the container counts only what
  its parts do not carry between the same two groups, in the same direction. A deal that expands
  another records the money it adds, so both count.
- A non-USD amount without a rate has no dollar value: its flow is `unconverted`, shown as such, never 0.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction

from deals.core.batches import batches, column_of, filtered
from deals.core.choices import (
    PAYERS_OF,
    Commitment,
    DealKind,
    DealStatus,
    FlowPurpose,
    Qualifier,
    RelationKind,
    Role,
)
from deals.core.money import usd_equivalent
from deals.figures.derived_locks import lock_deals, lock_everything
from deals.figures.groups import groups_of
from deals.models import Deal, DealParty, DealRelation, MoneyFlow, Tranche

ZERO = Decimal(0)
NOT_COUNTED = (DealStatus.IN_TALKS, DealStatus.CANCELLED)
# The receiving role whose side the deal's own amount is on, by kind; other kinds take the first present.
MAIN_PAYEE_ROLE = {
    DealKind.EQUITY: Role.INVESTEE,
    DealKind.CONVERTIBLE_NOTE: Role.INVESTEE,
    DealKind.FUNDING_ROUND: Role.INVESTEE,
    DealKind.RECAPITALISATION: Role.INVESTEE,
    DealKind.CLOUD_COMPUTE: Role.PROVIDER,
    DealKind.CHIP_SUPPLY: Role.PROVIDER,
    DealKind.ACQUISITION: Role.TARGET,
}
RECEIVING_ORDER = (Role.INVESTEE, Role.PROVIDER, Role.TARGET)


def purpose_of(kind: str, payee_role: str) -> str:
    if payee_role == Role.TARGET:
        return FlowPurpose.ACQUISITION
    if payee_role == Role.INVESTEE:
        return FlowPurpose.DEBT if kind == DealKind.CONVERTIBLE_NOTE else FlowPurpose.EQUITY
    if kind == DealKind.CHIP_SUPPLY:
        return FlowPurpose.CHIPS
    if kind == DealKind.CLOUD_COMPUTE:
        return FlowPurpose.COMPUTE
    if kind == DealKind.EXCLUSIVE_DISTRIBUTION:
        return FlowPurpose.LICENCE
    return FlowPurpose.OTHER


class Money(NamedTuple):
    """Committed money and the further money that is only up to, conditional or non-binding (None: unknown)."""

    committed: Decimal | None
    further: Decimal | None

    @property
    def known(self) -> bool:
        return self.committed is not None or self.further is not None

    @property
    def most(self) -> Decimal:
        return (self.committed or ZERO) + (self.further or ZERO)

    def plus(self, other: "Money") -> "Money":
        if not other.known:
            return self
        if not self.known:
            return other
        return Money(
            (self.committed or ZERO) + (other.committed or ZERO), (self.further or ZERO) + (other.further or ZERO)
        )

    def less(self, other: "Money") -> "Money":
        """What is left once `other` (carried elsewhere) is taken out, never below zero."""
        if not self.known or not other.known:
            return self
        return Money(
            max(ZERO, (self.committed or ZERO) - (other.committed or ZERO)),
            max(ZERO, (self.further or ZERO) - (other.further or ZERO)),
        )


UNKNOWN = Money(None, None)


def certain(amount: Decimal | None, qualifier: str, commitment: str) -> Money:
    """One stated amount split by its certainty: "up to", conditional and non-binding money is further."""
    if amount is None:
        return UNKNOWN
    if qualifier == Qualifier.UP_TO or commitment != Commitment.COMMITTED:
        return Money(ZERO, amount)
    return Money(amount, ZERO)


def with_tranches(amount: Money, stated: Decimal | None, qualifier: str, tranches: list[tuple]) -> Money:
    """An amount told in tranches: each tranche by its own certainty, what they leave out by the amount's."""
    if not tranches:
        return amount
    total = Money(ZERO, ZERO)
    for tranche_usd, tranche_qualifier, tranche_commitment in tranches:
        total = total.plus(certain(tranche_usd, tranche_qualifier, tranche_commitment))
    if stated is not None and stated > total.most:
        rest = stated - total.most
        total = total.plus(
            Money(ZERO, rest) if amount.committed == ZERO or qualifier == Qualifier.UP_TO else Money(rest, ZERO)
        )
    return total


@dataclass
class _Deal:
    pk: int
    kind: str
    status: str
    currency: str
    usd_rate: Decimal | None
    amount: Decimal | None
    amount_usd: Decimal | None
    qualifier: str
    commitment: str
    others_unnamed: bool
    announced_on: datetime.date | None
    superseded: bool = False
    parties: list = field(default_factory=list)
    tranches: list = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.status not in NOT_COUNTED and not self.superseded

    @property
    def unconverted(self) -> bool:
        return self.amount is not None and self.amount_usd is None


class _Party(NamedTuple):
    company_id: int
    role: str
    amount: Decimal | None
    share_usd: Decimal | None
    qualifier: str
    commitment: str


def _amount(deal: _Deal, stated_usd, qualifier, commitment, tranches) -> Money:
    money = certain(stated_usd, qualifier, commitment)
    converted = [(usd_equivalent(amount, deal.currency, deal.usd_rate), q, c) for amount, q, c in tranches]
    if converted and all(usd is not None for usd, _q, _c in converted):
        money = with_tranches(money, stated_usd, qualifier, converted)
    if deal.commitment != Commitment.COMMITTED and money.known:
        money = Money(ZERO, money.most)  # a non-binding or conditional deal commits nothing of its parts
    return money


def deal_flows(deal: _Deal) -> list[dict]:
    """The flows of one deal, before containers and parts are reconciled: dicts of MoneyFlow fields."""
    if deal.status == DealStatus.CANCELLED:
        return []  # no money moves
    present = {party.role for party in deal.parties}
    main_role = MAIN_PAYEE_ROLE.get(deal.kind) or next((r for r in RECEIVING_ORDER if r in present), None)
    result = []
    for payee_role in RECEIVING_ORDER:
        payees = [p for p in deal.parties if p.role == payee_role]
        payers = [p for p in deal.parties if p.role in PAYERS_OF[payee_role]]
        if not payees or not payers:
            continue
        is_main = payee_role == main_role
        alone = len(payers) == 1 and len(payees) == 1 and not deal.others_unnamed
        pair_money = []
        for payer in payers:
            for payee in payees:
                if payer.company_id == payee.company_id:
                    continue
                money, unconverted = UNKNOWN, False
                if payer.amount is not None and len(payees) == 1:
                    money = _amount(deal, payer.share_usd, payer.qualifier, payer.commitment, _tranches_of(deal, payer))
                    unconverted = payer.share_usd is None
                elif payee.amount is not None and len(payers) == 1:
                    money = _amount(deal, payee.share_usd, payee.qualifier, payee.commitment, [])
                    unconverted = payee.share_usd is None
                elif is_main and alone:
                    tranches = [t[1:] for t in deal.tranches if t[0] in (None, payer.company_id)]
                    money = _amount(deal, deal.amount_usd, deal.qualifier, deal.commitment, tranches)
                    unconverted = deal.unconverted
                pair_money.append(money)
                result.append(_row(deal, payer.company_id, payee.company_id, payee_role, money, unconverted))
        if is_main and not alone and deal.amount is not None and (len(payees) == 1 or len(payers) == 1):
            result.extend(_rest_of_round(deal, payers, payees, payee_role, pair_money))
    return result


def _rest_of_round(deal: _Deal, payers, payees, payee_role, pair_money: list[Money]) -> list[dict]:
    """The part of a round's amount no named party's own share accounts for: paid (or received) jointly."""
    if deal.unconverted:
        rest, unconverted = UNKNOWN, True
    else:
        stated = sum((money.most for money in pair_money if money.known), ZERO)
        if deal.amount_usd <= stated:
            return []
        rest = _amount(deal, deal.amount_usd - stated, deal.qualifier, deal.commitment, [])
        unconverted = False
    if len(payees) == 1:
        return [_row(deal, None, payees[0].company_id, payee_role, rest, unconverted)]
    return [_row(deal, payers[0].company_id, None, payee_role, rest, unconverted)]


def _tranches_of(deal: _Deal, payer: _Party) -> list[tuple]:
    return [t[1:] for t in deal.tranches if t[0] == payer.company_id]


def _row(deal: _Deal, payer_id, payee_id, payee_role, money: Money, unconverted: bool) -> dict:
    return {
        "deal_id": deal.pk,
        "payer_id": payer_id,
        "payee_id": payee_id,
        "payee_role": payee_role,
        "purpose": purpose_of(deal.kind, payee_role),
        "committed_usd": money.committed,
        "further_usd": money.further,
        "unconverted": unconverted and not money.known,
        "counted": deal.counted,
        "in_parts_usd": None,
        "announced_on": deal.announced_on,
    }


def _load(deal_ids: set[int] | None) -> dict[int, _Deal]:
    if deal_ids is None:
        return _load_batch(None)
    loaded = {}
    for batch in batches(deal_ids):
        loaded.update(_load_batch(set(batch)))
    return loaded


def _load_batch(deal_ids: set[int] | None) -> dict[int, _Deal]:
    deals = Deal.objects.published().order_by()
    if deal_ids is not None:
        deals = deals.filter(pk__in=deal_ids)
    fields = ("pk", "kind", "status", "currency", "usd_rate", "amount", "amount_usd", "amount_qualifier", "commitment")
    loaded = {
        row[0]: _Deal(*row)
        for row in deals.values_list(*fields, "others_unnamed", "announced_on").iterator(chunk_size=5000)
    }
    if not loaded:
        return loaded
    keys = None if deal_ids is None else list(loaded)
    parties = DealParty.objects.order_by("deal_id", "pk")
    tranches = Tranche.objects.order_by("deal_id", "position", "pk")
    superseded = DealRelation.objects.filter(kind=RelationKind.SUPERSEDES, from_deal__publication="published")
    if keys is not None:
        parties, tranches = parties.filter(deal_id__in=keys), tranches.filter(deal_id__in=keys)
        superseded = superseded.filter(to_deal_id__in=keys)
    party_fields = ("deal_id", "company_id", "role", "amount", "amount_usd", "amount_qualifier", "commitment")
    for deal_id, *values in parties.values_list(*party_fields).iterator(chunk_size=5000):
        if deal_id in loaded:
            loaded[deal_id].parties.append(_Party(*values))
    tranche_fields = ("deal_id", "company_id", "amount", "amount_qualifier", "commitment")
    for deal_id, *values in tranches.values_list(*tranche_fields).iterator(chunk_size=5000):
        if deal_id in loaded:
            loaded[deal_id].tranches.append(tuple(values))
    for deal_id in superseded.values_list("to_deal_id", flat=True):
        if deal_id in loaded:
            loaded[deal_id].superseded = True
    return loaded


def _parts_of(container_ids: set[int] | None) -> dict[int, set[int]]:
    """Each container deal's published parts."""
    relations = DealRelation.objects.filter(kind=RelationKind.PART_OF, from_deal__publication="published")
    chosen = [relations] if container_ids is None else filtered(relations, "to_deal_id__in", container_ids)
    parts = defaultdict(set)
    for some in chosen:
        for part, container in some.values_list("from_deal_id", "to_deal_id"):
            if part != container:
                parts[container].add(part)
    return parts


def containers_of(deal_ids: Iterable[int]) -> set[int]:
    """The deals these deals are part of, and theirs in turn."""
    found, frontier = set(), set(deal_ids)
    relations = DealRelation.objects.filter(kind=RelationKind.PART_OF)
    while frontier:
        above = column_of(relations, "from_deal_id__in", frontier, "to_deal_id")
        frontier = above - found
        found |= above
    return found


def compute(deal_ids: set[int] | None = None) -> list[dict]:
    """The flows of these published deals (all when None), containers reconciled with their parts."""
    loaded = _load(deal_ids)
    parts = _parts_of(None if deal_ids is None else set(loaded))
    missing_parts = {p for ps in parts.values() for p in ps} - set(loaded)
    part_deals = {**loaded, **_load(missing_parts)} if missing_parts else loaded
    raw = {pk: deal_flows(deal) for pk, deal in part_deals.items()}
    companies = {row[key] for rows in raw.values() for row in rows for key in ("payer_id", "payee_id")} - {None}
    groups = groups_of(companies)
    for rows in raw.values():
        for row in rows:
            row["payer_group_id"] = groups.get(row["payer_id"])
            row["payee_group_id"] = groups.get(row["payee_id"])
    for container, part_ids in parts.items():
        if container in loaded:
            _take_out_parts(raw[container], [row for part in part_ids for row in raw.get(part, ()) if row["counted"]])
    return [row for pk in loaded for row in raw[pk]]


def _take_out_parts(container_rows: list[dict], part_rows: list[dict]) -> None:
    carried = defaultdict(lambda: Money(ZERO, ZERO))
    for row in part_rows:
        key = (row["payer_group_id"], row["payee_group_id"])
        carried[key] = carried[key].plus(Money(row["committed_usd"], row["further_usd"]))
    for row in container_rows:
        key = (row["payer_group_id"], row["payee_group_id"])
        if key not in carried or None in key:
            continue
        money = Money(row["committed_usd"], row["further_usd"])
        left = money.less(carried[key])
        if money.known:
            row["committed_usd"], row["further_usd"] = left.committed, left.further
            row["in_parts_usd"] = money.most - left.most


def rewritten_with(deal_ids: Iterable[int]) -> set[int]:
    """The deals whose flows a change to these deals rewrites: they, the deals they supersede, their containers."""
    wanted = set(deal_ids)
    # A deal that supersedes another decides whether that one counts: both are rewritten.
    supersedes = DealRelation.objects.filter(kind=RelationKind.SUPERSEDES)
    wanted |= column_of(supersedes, "from_deal_id__in", wanted, "to_deal_id")
    return wanted | containers_of(wanted)


@transaction.atomic
def rebuild(deal_ids: Iterable[int] | None = None) -> set[int]:
    """Rewrite the flows of these deals (and of the deals they are part of), or of every deal when None.

    Returns the ids of the deals whose flows were rewritten. Drafts keep no flows.
    """
    if deal_ids is None:
        lock_everything()
        MoneyFlow.objects.all().delete()
        rows = compute(None)
        MoneyFlow.objects.bulk_create((MoneyFlow(**row) for row in rows), batch_size=2000)
        return {row["deal_id"] for row in rows}
    wanted = rewritten_with(deal_ids)
    if not wanted:
        return wanted
    # Under the lock of the deals' groups, no other refresh rewrites these rows meanwhile (deals.figures.derived_locks):
    # the rows of a deal have no key to upsert on, and a part and its container rewrite the container's.
    lock_deals(wanted)
    for rows in filtered(MoneyFlow.objects.all(), "deal_id__in", wanted):
        rows.delete()
    MoneyFlow.objects.bulk_create((MoneyFlow(**row) for row in compute(wanted)), batch_size=2000)
    return wanted


class Flow(NamedTuple):
    """A stored flow as the derived figures read it."""

    deal_id: int
    payer_id: int
    payee_id: int
    payee_role: str
    amount_usd: Decimal | None
    committed: bool
    announced_on: datetime.date | None
    further_usd: Decimal | None = None

    @property
    def counted_usd(self) -> Decimal | None:
        """The committed money that totals add up: known, and in a deal that counts."""
        return self.amount_usd if self.committed else None

    @property
    def counted_further_usd(self) -> Decimal | None:
        return self.further_usd if self.committed else None

    @property
    def is_investment(self) -> bool:
        return self.payee_role == Role.INVESTEE


def flows(deals=None, *, fold: bool = True, payee_groups=None, payer_groups=None, payee_role=None) -> list[Flow]:
    """The stored flows between two named companies (of `deals`, a Deal queryset, when given; to the groups
    `payee_groups`, from the groups `payer_groups` and paid as `payee_role`, when given).

    With `fold`, between the top parents of the companies: flows of one deal between the same two groups merged,
    and flows within a group (Amazon → AWS) left out.
    """
    rows = MoneyFlow.objects.filter(payer__isnull=False, payee__isnull=False).order_by("deal_id", "pk")
    if deals is not None:
        rows = rows.filter(deal_id__in=deals.order_by().values("pk"))
    if payee_groups is not None:
        rows = rows.filter(payee_group__in=payee_groups)
    if payer_groups is not None:
        rows = rows.filter(payer_group__in=payer_groups)
    if payee_role is not None:
        rows = rows.filter(payee_role=payee_role)
    payer, payee = ("payer_group_id", "payee_group_id") if fold else ("payer_id", "payee_id")
    values = rows.values_list(
        "deal_id", payer, payee, "payee_role", "committed_usd", "counted", "announced_on", "further_usd"
    )
    result = [Flow(*row) for row in values.iterator(chunk_size=5000)]
    # The rows hold the groups as the last rebuild found them, which a regroup rewrites: no need to read them again.
    return folded(result, groups={}) if fold else result


def folded(raw: list[Flow], groups: dict[int, int] | None = None) -> list[Flow]:
    """Flows between groups: those of one deal between the same two groups merged, those within a group dropped."""
    if groups is None:
        groups = groups_of({f.payer_id for f in raw} | {f.payee_id for f in raw})
    merged: dict[tuple, list[Flow]] = defaultdict(list)
    for flow in raw:
        payer, payee = groups.get(flow.payer_id, flow.payer_id), groups.get(flow.payee_id, flow.payee_id)
        if payer != payee:
            merged[(flow.deal_id, payer, payee, flow.payee_role)].append(flow)
    result = []
    for (deal_id, payer, payee, role), parts in merged.items():
        money = Money(None, None)
        for part in parts:
            money = money.plus(Money(part.amount_usd, part.further_usd))
        first = parts[0]
        result.append(
            Flow(deal_id, payer, payee, role, money.committed, first.committed, first.announced_on, money.further)
        )
    return result
