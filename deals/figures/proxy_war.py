"""The proxy war: each AI lab with the big-tech, cloud and chip groups that invest in it, and what each put in.

Backers are corporate groups (Google Cloud's stake counts as Google's), so a lab backed by rival
giants shows them side by side. Amounts follow `deals.figures.flows`: a backer's own share, else the whole
deal when it invested alone; deals in talks are listed but not added up.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from deals.core.choices import CompanyKind
from deals.figures.flows import Flow, flows
from deals.figures.totals import INVESTING
from deals.models import Company, Deal, DealParty, MoneyFlow, Role

BACKER_KINDS = (CompanyKind.BIG_TECH, CompanyKind.CLOUD, CompanyKind.CHIPMAKER)


@dataclass
class Backer:
    company: Company
    flows: list[Flow] = field(default_factory=list)
    # (deal, flow) pairs, filled by `with_deals` for the labs on show only.
    investments: list[tuple[Deal, Flow]] = field(default_factory=list)

    @property
    def total_usd(self) -> Decimal | None:
        counted = [flow.counted_usd for flow in self.flows if flow.counted_usd is not None]
        return sum(counted, Decimal(0)) if counted else None

    @property
    def further_usd(self) -> Decimal | None:
        further = [flow.counted_further_usd for flow in self.flows if flow.counted_further_usd]
        return sum(further, Decimal(0)) if further else None

    @property
    def complete(self) -> bool:
        return all(flow.counted_usd is not None for flow in self.flows)


@dataclass
class Lab:
    company: Company
    backers: list[Backer]
    # Rounds whose investors are named without their shares: what they put in together (deals.figures.flows).
    joint_usd: Decimal = Decimal(0)
    joint_further_usd: Decimal = Decimal(0)

    @property
    def total_usd(self) -> Decimal:
        return sum((backer.total_usd or Decimal(0) for backer in self.backers), self.joint_usd)

    @property
    def further_usd(self) -> Decimal:
        return sum((backer.further_usd or Decimal(0) for backer in self.backers), self.joint_further_usd)


def _backed_lab_deals():
    """Published deals in which an AI lab receives investment from a big-tech, cloud or chip company (or a unit)."""
    lab_investee = DealParty.objects.filter(deal=OuterRef("pk"), role=Role.INVESTEE, company__kind=CompanyKind.AI_LAB)
    backer = DealParty.objects.filter(deal=OuterRef("pk"), role__in=INVESTING).filter(
        Q(company__kind__in=BACKER_KINDS) | Q(company__parent__kind__in=BACKER_KINDS)
    )
    return Deal.objects.published().filter(Exists(lab_investee), Exists(backer))


def labs_and_backers() -> list[Lab]:
    """Every backed AI lab, the most backed first; its backers the largest first (without their deals yet)."""
    investments = [flow for flow in flows(_backed_lab_deals()) if flow.is_investment]
    companies = Company.objects.in_bulk({flow.payer_id for flow in investments} | {f.payee_id for f in investments})
    investments = [
        flow
        for flow in investments
        if companies[flow.payee_id].kind == CompanyKind.AI_LAB and companies[flow.payer_id].kind in BACKER_KINDS
    ]
    backers = defaultdict(dict)
    for flow in sorted(investments, key=lambda f: (f.announced_on is None, f.announced_on, f.deal_id)):
        lab_backers = backers[flow.payee_id]
        lab_backers.setdefault(flow.payer_id, Backer(companies[flow.payer_id])).flows.append(flow)
    joint = defaultdict(lambda: [Decimal(0), Decimal(0)])
    joint_rows = MoneyFlow.objects.filter(
        deal__in=_backed_lab_deals(), payer__isnull=True, payee_group__in=list(backers), counted=True
    ).values_list("payee_group_id", "committed_usd", "further_usd")
    for lab_id, committed, further in joint_rows:
        joint[lab_id][0] += committed or 0
        joint[lab_id][1] += further or 0
    labs = [
        Lab(
            companies[lab_id],
            sorted(by_backer.values(), key=lambda b: (-(b.total_usd or 0), b.company.name)),
            *joint.get(lab_id, (Decimal(0), Decimal(0))),
        )
        for lab_id, by_backer in backers.items()
    ]
    return sorted(labs, key=lambda lab: (-lab.total_usd, -len(lab.backers), lab.company.name))


def with_deals(labs: list[Lab]) -> list[Lab]:
    """Fill in the deals of these labs' backers (one page of labs), in one query."""
    backers = [backer for lab in labs for backer in lab.backers]
    deals = Deal.objects.in_bulk({flow.deal_id for backer in backers for flow in backer.flows})
    for backer in backers:
        backer.investments = [(deals[flow.deal_id], flow) for flow in backer.flows]
    return labs
