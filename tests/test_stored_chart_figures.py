"""The charts and the proxy war read stored figures (MonthFigures, ProxyWarLab, ProxyWarBacker): they show what the
money flows give, a save keeps them so (a month and a lab at a time), and `check_figures` compares them."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from deals.core.choices import CompanyKind, DealKind
from deals.core.money import CENT
from deals.figures import charts
from deals.figures.figures_check import differences
from deals.figures.proxy_war import labs_and_backers, stored_backers, stored_labs
from deals.models import Company, Deal, MoneyFlow, MonthFigures, ProxyWarLab, Publication
from tests.money_world import company, invests

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(db):
    call_command("generate_demo_data", companies=60, deals=400, seed=3, stdout=StringIO())


def quarters_from_the_flows() -> dict:
    """{(year, quarter, kind): (committed, further, deals)}, summed straight from the flows as the page once did."""
    sums = (
        MoneyFlow.objects.filter(counted=True, announced_on__isnull=False)
        .filter(Q(committed_usd__isnull=False) | Q(further_usd__isnull=False))
        .annotate(year=ExtractYear("announced_on"), quarter=ExtractQuarter("announced_on"), kind=F("deal__kind"))
        .values("year", "quarter", "kind")
        .annotate(total=Sum("committed_usd"), further=Sum("further_usd"), deals=Count("deal", distinct=True))
    )
    return {
        (row["year"], row["quarter"], row["kind"]): (
            (row["total"] or Decimal(0)).quantize(CENT),
            (row["further"] or Decimal(0)).quantize(CENT),
            row["deals"],
        )
        for row in sums
    }


def quarters_on_the_chart() -> dict:
    kinds, rows = charts.money_by_quarter()
    shown = {}
    for row in rows:
        year, quarter = int(row.label[:4]), int(row.label[-1])
        for (kind, _label), value in zip(kinds, row.by_kind, strict=True):
            if value is not None:
                shown[(year, quarter, kind)] = value
    return shown


def assert_the_chart_sums_the_flows():
    expected = quarters_from_the_flows()
    assert quarters_on_the_chart() == {key: committed for key, (committed, _further, _deals) in expected.items()}
    _kinds, rows = charts.money_by_quarter()
    by_quarter = {}
    for (year, quarter, _kind), (_committed, further, deals) in expected.items():
        total = by_quarter.setdefault((year, quarter), [Decimal(0), 0])
        total[0] += further
        total[1] += deals
    dated = [row for row in rows if row.total is not None]
    shown = {(int(row.label[:4]), int(row.label[-1])): [row.further, row.deal_count] for row in dated}
    assert shown == by_quarter


def assert_the_proxy_war_is_what_the_flows_give():
    computed = labs_and_backers()
    stored = list(stored_labs())
    assert [row.lab_id for row in stored] == [lab.company.pk for lab in computed]
    backers = {}
    for row in stored_backers([row.lab_id for row in stored]):
        backers.setdefault(row.lab_id, []).append(row)
    for row, lab in zip(stored, computed, strict=True):
        assert (row.total_usd, row.further_usd, row.backer_count) == (lab.total_usd, lab.further_usd, len(lab.backers))
        assert (row.joint_usd, row.joint_further_usd) == (lab.joint_usd, lab.joint_further_usd)
        assert [(b.backer_id, b.total_usd, b.further_usd, b.complete, b.deal_count) for b in backers[row.lab_id]] == [
            (b.company.pk, b.total_usd, b.further_usd, b.complete, len(b.flows)) for b in lab.backers
        ]


def test_generated_data_charts_and_proxy_war_match_the_flows(generated):
    assert MonthFigures.objects.exists() and ProxyWarLab.objects.exists()
    assert_the_chart_sums_the_flows()
    assert_the_proxy_war_is_what_the_flows_give()
    assert differences() == []


def test_saves_keep_the_stored_figures_current(generated, django_capture_on_commit_callbacks):
    published = Deal.objects.filter(publication=Publication.PUBLISHED, amount_usd__isnull=False).order_by("pk")
    moved, rekinded, deleted, unpublished = published[:4]
    # The circular deals are rebuilt when a save commits, as on the site.
    with django_capture_on_commit_callbacks(execute=True):
        moved.announced_on = datetime.date(2019, 11, 5)  # a month no other deal is in
        moved.save()
        rekinded.kind = DealKind.OTHER if rekinded.kind != DealKind.OTHER else DealKind.EQUITY
        rekinded.save()
        deleted.delete()
        unpublished.publication = Publication.DRAFT
        unpublished.save()
    assert MonthFigures.objects.filter(year=2019, month=11).exists()
    assert differences() == []

    with django_capture_on_commit_callbacks(execute=True):
        backer = Company.objects.filter(kind=CompanyKind.BIG_TECH, parent__isnull=True).first()
        backer.kind = CompanyKind.OTHER  # no longer a backer in the proxy war
        backer.save()
        lab = Company.objects.filter(kind=CompanyKind.AI_LAB, parent__isnull=True).first()
        lab.parent = Company.objects.filter(kind=CompanyKind.CHIPMAKER).exclude(pk=lab.pk).first()
        lab.save()
    assert differences() == []
    assert_the_chart_sums_the_flows()
    assert_the_proxy_war_is_what_the_flows_give()


def test_check_figures_reports_a_tampered_month_and_backer(generated, capsys):
    MonthFigures.objects.filter(pk=MonthFigures.objects.order_by("pk").first().pk).update(deal_count=999)
    ProxyWarLab.objects.filter(pk=ProxyWarLab.objects.order_by("pk").first().pk).update(backer_count=999)
    with pytest.raises(CommandError, match="2 figures differ"):
        call_command("check_figures")
    out = capsys.readouterr().out
    assert "months of the charts" in out and "proxy war labs" in out


def test_a_deleted_deal_leaves_its_month(db):
    amazon, lab = company("amazon", CompanyKind.BIG_TECH), company("lab", CompanyKind.AI_LAB)
    lonely = invests(amazon, lab, 4, on=datetime.date(2021, 2, 1))
    invests(amazon, lab, 1, on=datetime.date(2024, 3, 15))
    assert MonthFigures.objects.filter(year=2021, month=2).exists()
    lonely.delete()
    assert not MonthFigures.objects.filter(year=2021, month=2).exists()
    assert ProxyWarLab.objects.get(lab=lab).total_usd == Decimal(1_000_000_000)
