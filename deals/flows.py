"""Who pays whom in each published deal: investor → investee, customer → provider, acquirer → target.

A flow carries the payer's own stated share (or the payee's, when only it states one). Without a
stated share it carries the whole deal amount when the deal has a single payer paying a single
payee; otherwise its amount is unknown, as a joint round's total is not credited to each investor
(the same rule as the company totals in `deals.totals`). Cancelled deals move no money and make no
flow; a deal in talks makes a flow whose money is not committed, which totals leave out.

Subsidiaries count as their top parent (AWS as Amazon) unless `fold=False`; a flow between two
members of one group (Amazon → AWS) then disappears.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from deals.alliances import group_of_companies
from deals.models import Deal, DealParty, DealStatus, Role
from deals.models.choices import PAYERS_OF, STATUSES_IN_TOTALS


class Flow(NamedTuple):
    deal_id: int
    payer_id: int
    payee_id: int
    payee_role: str
    amount_usd: Decimal | None
    committed: bool
    announced_on: datetime.date | None

    @property
    def counted_usd(self) -> Decimal | None:
        """The amount that totals add up: known, and committed (not in talks)."""
        return self.amount_usd if self.committed else None

    @property
    def is_investment(self) -> bool:
        return self.payee_role == Role.INVESTEE


class _Party(NamedTuple):
    company_id: int
    role: str
    share_usd: Decimal | None


def flows(deals=None, *, fold: bool = True) -> list[Flow]:
    """The money flows of the published deals (of `deals`, a Deal queryset, when given).

    Two queries, and one more to fold subsidiaries into their parents.
    """
    counted = Deal.objects.published().exclude(status=DealStatus.CANCELLED)
    if deals is not None:
        counted = counted.filter(pk__in=deals.order_by().values("pk"))
    facts = {
        pk: (amount_usd, status in STATUSES_IN_TOTALS, announced_on)
        for pk, amount_usd, status, announced_on in counted.order_by().values_list(
            "pk", "amount_usd", "status", "announced_on"
        )
    }
    by_deal = defaultdict(list)
    parties = DealParty.objects.filter(deal__in=counted.order_by().values("pk")).order_by("deal_id", "pk")
    for deal_id, company_id, role, share in parties.values_list("deal_id", "company_id", "role", "amount_usd"):
        by_deal[deal_id].append(_Party(company_id, role, share))
    result = []
    for deal_id, members in by_deal.items():
        result.extend(_deal_flows(deal_id, members, *facts[deal_id]))
    return folded(result) if fold else result


def _deal_flows(deal_id, members: list[_Party], deal_usd, committed, announced_on) -> Iterable[Flow]:
    pairs = [
        (payer, payee)
        for payee in members
        for payer in members
        if payer.role in PAYERS_OF.get(payee.role, ()) and payer.company_id != payee.company_id
    ]
    payees_of = defaultdict(int)
    payers_of = defaultdict(int)
    for payer, payee in pairs:
        payees_of[payer] += 1
        payers_of[payee] += 1
    for payer, payee in pairs:
        if payer.share_usd is not None and payees_of[payer] == 1:
            amount = payer.share_usd
        elif payee.share_usd is not None and payers_of[payee] == 1:
            amount = payee.share_usd
        elif len(pairs) == 1:
            amount = deal_usd
        else:
            amount = None
        yield Flow(deal_id, payer.company_id, payee.company_id, payee.role, amount, committed, announced_on)


def folded(raw: list[Flow], groups: dict[int, int] | None = None) -> list[Flow]:
    """Each flow between the top parents of its companies; flows of one deal between the same groups merged."""
    groups = group_of_companies() if groups is None else groups
    merged: dict[tuple, list[Flow]] = defaultdict(list)
    for flow in raw:
        payer, payee = groups.get(flow.payer_id, flow.payer_id), groups.get(flow.payee_id, flow.payee_id)
        if payer != payee:
            merged[(flow.deal_id, payer, payee, flow.payee_role)].append(flow)
    result = []
    for (deal_id, payer, payee, role), parts in merged.items():
        known = [part.amount_usd for part in parts if part.amount_usd is not None]
        amount = sum(known, Decimal(0)) if known else None
        result.append(Flow(deal_id, payer, payee, role, amount, parts[0].committed, parts[0].announced_on))
    return result
