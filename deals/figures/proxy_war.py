"""The proxy war: each AI lab with the big-tech, cloud and chip groups that invest in it, and what each put in.

Backers are corporate groups (Google Cloud's stake counts as Google's), so a lab backed by rival
giants shows them side by side. Amounts follow `deals.figures.flows`: a backer's own share, else the whole
deal when it invested alone; deals in talks are listed but not added up.

The figures are stored (ProxyWarLab, ProxyWarBacker), rewritten a lab at a time by the figure tasks; pages read
a page of labs, their backers and the first deals of each.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from deals.core.batches import batches, filtered
from deals.core.choices import CompanyKind
from deals.core.links import detail_url
from deals.figures.flows import Flow, flows
from deals.figures.totals import INVESTING
from deals.models import Company, Deal, DealParty, MoneyFlow, ProxyWarBacker, ProxyWarLab, Role

BACKER_KINDS = (CompanyKind.BIG_TECH, CompanyKind.CLOUD, CompanyKind.CHIPMAKER)


@dataclass
class Backer:
    company: Company
    flows: list[Flow] = field(default_factory=list)

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


def _investments(lab_ids: set[int] | None) -> list[Flow]:
    """The folded investment flows from a backer group to an AI lab group (to these labs when given)."""
    if lab_ids is None:
        found = flows(_backed_lab_deals())
    else:
        found = [flow for batch in batches(lab_ids) for flow in flows(_backed_lab_deals(), payee_groups=batch)]
    return [flow for flow in found if flow.is_investment]


def labs_and_backers(lab_ids: Iterable[int] | None = None) -> list[Lab]:
    """Every backed AI lab (of these groups when given), the most backed first; its backers the largest first."""
    lab_ids = None if lab_ids is None else set(lab_ids)
    investments = _investments(lab_ids)
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
    for labs in batches(backers):
        joint_rows = MoneyFlow.objects.filter(
            deal__in=_backed_lab_deals(), payer__isnull=True, payee_group__in=labs, counted=True
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


def labs_of(company_ids: Iterable[int]) -> set[int]:
    """The labs whose figures a change to these companies (their deals, kind or group) may move: the companies
    themselves and every group they pay as investors."""
    company_ids = set(company_ids)
    paid = MoneyFlow.objects.filter(payee_role=Role.INVESTEE, payee_group__isnull=False)
    found = set(company_ids)
    for some in filtered(paid, "payer_group__in", company_ids):
        found |= set(some.values_list("payee_group_id", flat=True).distinct())
    return found


@transaction.atomic
def refresh(company_ids: Iterable[int] | None = None, labs: Iterable[int] = ()) -> int:
    """Rewrite the stored figures of the labs these companies touch (`labs_of`) and of `labs`, or of every lab
    when None; return the labs written. Only figure tasks write them, one at a time (deals.figures.tasks)."""
    if company_ids is None:
        lab_ids = None
        ProxyWarBacker.objects.all().delete()
        ProxyWarLab.objects.all().delete()
    else:
        lab_ids = labs_of(company_ids) | set(labs)
        for some in filtered(ProxyWarBacker.objects.all(), "lab_id__in", lab_ids):
            some.delete()
        for some in filtered(ProxyWarLab.objects.all(), "lab_id__in", lab_ids):
            some.delete()
    labs = labs_and_backers(lab_ids)
    ProxyWarLab.objects.bulk_create((_lab_row(lab) for lab in labs), batch_size=2000)
    ProxyWarBacker.objects.bulk_create(
        (_backer_row(lab, backer) for lab in labs for backer in lab.backers), batch_size=2000
    )
    return len(labs)


def _lab_row(lab: Lab) -> ProxyWarLab:
    return ProxyWarLab(
        lab=lab.company,
        total_usd=lab.total_usd,
        further_usd=lab.further_usd,
        joint_usd=lab.joint_usd,
        joint_further_usd=lab.joint_further_usd,
        backer_count=len(lab.backers),
    )


def _backer_row(lab: Lab, backer: Backer) -> ProxyWarBacker:
    return ProxyWarBacker(
        lab=lab.company,
        backer=backer.company,
        total_usd=backer.total_usd,
        further_usd=backer.further_usd,
        complete=backer.complete,
        deal_count=len(backer.flows),
    )


# What pages read.


@dataclass
class ShownBacker:
    company: Company
    total_usd: Decimal | None
    further_usd: Decimal | None
    complete: bool
    deal_count: int
    # (deal, flow) pairs: the first investments only.
    investments: list = field(default_factory=list)
    # The page listing every deal between the two groups.
    alliance_url: str = ""

    @property
    def more_deals(self) -> int:
        return self.deal_count - len(self.investments)


@dataclass
class ShownLab:
    company: Company
    total_usd: Decimal
    further_usd: Decimal
    joint_usd: Decimal
    joint_further_usd: Decimal
    backer_count: int
    backers: list[ShownBacker] = field(default_factory=list)

    @property
    def more_backers(self) -> int:
        return self.backer_count - len(self.backers)


def stored_labs():
    """The backed labs, the most backed first (as `labs_and_backers` orders them), their companies selected."""
    return ProxyWarLab.objects.select_related("lab").order_by("-total_usd", "-backer_count", "lab__name")


def stored_backers(lab_ids: Iterable[int], per_lab: int | None = None):
    """The backers of these labs, each lab's largest first (its first `per_lab` only, when given)."""
    largest = Coalesce("total_usd", Value(Decimal(0)), output_field=ProxyWarBacker.total_usd.field).desc()
    rows = ProxyWarBacker.objects.filter(lab__in=list(lab_ids)).select_related("backer")
    if per_lab is not None:
        rank = Window(RowNumber(), partition_by=[F("lab_id")], order_by=[largest, F("backer__name").asc()])
        rows = rows.annotate(rank=rank).filter(rank__lte=per_lab)
    return rows.order_by("lab_id", largest, "backer__name")


def shown_labs(lab_rows, backers_per_lab: int, deals_per_backer: int) -> list[ShownLab]:
    """A page of labs with their largest backers and each backer's first deals, in a fixed number of queries."""
    labs = {row.lab_id: _shown_lab(row) for row in lab_rows}
    for row in stored_backers(labs, backers_per_lab):
        labs[row.lab_id].backers.append(_shown_backer(row))
    return with_investments(list(labs.values()), deals_per_backer)


def shown_backers(lab_row, backer_rows, deals_per_backer: int) -> ShownLab:
    """One lab with these of its backers (a page of them) and each backer's first deals."""
    lab = _shown_lab(lab_row)
    lab.backers = [_shown_backer(row) for row in backer_rows]
    return with_investments([lab], deals_per_backer)[0]


def with_investments(labs: list[ShownLab], limit: int) -> list[ShownLab]:
    """Fill in each shown backer's first `limit` investments in the lab, oldest first."""
    pairs = {(lab.company.pk, backer.company.pk) for lab in labs for backer in lab.backers}
    if not pairs:
        return labs
    found = flows(
        _backed_lab_deals(),
        payee_groups=sorted({lab for lab, _backer in pairs}),
        payer_groups=sorted({backer for _lab, backer in pairs}),
        payee_role=Role.INVESTEE,
    )
    by_pair = defaultdict(list)
    for flow in sorted(found, key=lambda f: (f.announced_on is None, f.announced_on, f.deal_id)):
        pair = (flow.payee_id, flow.payer_id)
        if flow.is_investment and pair in pairs and len(by_pair[pair]) < limit:
            by_pair[pair].append(flow)
    deals = Deal.objects.in_bulk({flow.deal_id for shown in by_pair.values() for flow in shown})
    for lab in labs:
        for backer in lab.backers:
            shown = by_pair.get((lab.company.pk, backer.company.pk), [])
            backer.investments = [(deals[flow.deal_id], flow) for flow in shown]
            slugs = sorted((lab.company.slug, backer.company.slug))
            backer.alliance_url = detail_url("deals:alliance-detail", slug_a=slugs[0], slug_b=slugs[1])
    return labs


def _shown_lab(row: ProxyWarLab) -> ShownLab:
    return ShownLab(row.lab, row.total_usd, row.further_usd, row.joint_usd, row.joint_further_usd, row.backer_count)


def _shown_backer(row: ProxyWarBacker) -> ShownBacker:
    return ShownBacker(row.backer, row.total_usd, row.further_usd, row.complete, row.deal_count)
