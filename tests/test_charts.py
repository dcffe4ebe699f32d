"""Money over time: each chart's table holds the database's sums, and the chart beside it is drawn from them."""

import datetime
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from deals.core.choices import STATUSES_IN_TOTALS, CompanyKind, DealKind, Qualifier
from deals.models import Deal, DealParty, Publication, Role
from tests.money_world import BILLION, CANCELLED, IN_TALKS, buys, company, deal, invests

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def world(db):
    fund = company("fund", CompanyKind.INVESTOR, name="Fund")
    other = company("other-fund", CompanyKind.INVESTOR, name="Other Fund")
    lab = company("lab", CompanyKind.AI_LAB, name="Lab")
    cloud = company("cloud", CompanyKind.CLOUD, name="Cloud")
    invests(fund, lab, 4, on=datetime.date(2023, 9, 25))
    buys(lab, cloud, 1, on=datetime.date(2023, 11, 1))
    invests(fund, lab, 2, on=datetime.date(2023, 12, 31), kind=DealKind.CONVERTIBLE_NOTE)
    deal(
        [(fund, Role.INVESTOR, 3 * BILLION), (other, Role.INVESTOR), (lab, Role.INVESTEE)],
        amount=10 * BILLION,
        kind=DealKind.FUNDING_ROUND,
        on=datetime.date(2024, 2, 10),
    )
    invests(other, lab, 1, on=datetime.date(2025, 6, 1))
    invests(fund, lab, 7, on=None)
    invests(fund, lab, 50, on=datetime.date(2024, 5, 1), **IN_TALKS)
    invests(fund, lab, 60, on=datetime.date(2024, 5, 1), **CANCELLED)
    invests(fund, lab, 70, on=datetime.date(2024, 5, 1), published=False)
    return {"fund": fund, "other": other, "lab": lab, "cloud": cloud}


def table(page: str, table_id: str) -> list[list[str]]:
    """The table's body rows: the row heading's text, then each cell's <data value> (or "—")."""
    body = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([_cell(cell) for cell in cells])
    return rows


def _cell(html: str) -> str:
    value = re.search(r'<data value="([^"]*)"', html)
    return value.group(1) if value else re.sub(r"<[^>]+>", "", html).strip()


def svg_of(page: str, title: str):
    for match in re.findall(r"<svg .*?</svg>", page, re.S):
        svg = ET.fromstring(match.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
        if svg.find(f"{SVG}title").text == title:
            return svg
    raise AssertionError(f"no chart titled {title}")


def committed_sums():
    """(year, quarter, kind) → sum, straight from the database."""
    sums = defaultdict(Decimal)
    deals = Deal.objects.filter(
        publication=Publication.PUBLISHED,
        status__in=STATUSES_IN_TOTALS,
        amount_usd__isnull=False,
        announced_on__isnull=False,
    )
    for day, kind, amount in deals.values_list("announced_on", "kind", "amount_usd"):
        sums[(day.year, (day.month - 1) // 3 + 1, kind)] += amount
    return sums


def test_money_per_quarter_by_kind_equals_the_database_sums(client, world):
    page = client.get("/charts/").content.decode()
    headers = re.search(r'id="quarters-table".*?<thead>(.*?)</thead>', page, re.S).group(1)
    kinds = re.findall(r"<th[^>]*>(.*?)</th>", headers)[1:-3]
    label_to_kind = {kind.label: kind.value for kind in DealKind}
    rows = table(page, "quarters-table")

    expected = committed_sums()
    assert rows[0][0] == "2023 Q3" and rows[-1][0] == "2025 Q2"
    assert len(rows) == 8  # every quarter from the first to the last, empty ones included
    seen = Decimal(0)
    for label, *cells in rows:
        year, quarter = int(label[:4]), int(label[-1])
        for kind_label, cell in zip(kinds, cells[:-3], strict=True):
            wanted = expected.get((year, quarter, label_to_kind[kind_label]))
            assert cell == ("—" if wanted is None else str(wanted)), (label, kind_label)
            seen += wanted or 0
        quarter_total = sum(v for (y, q, _k), v in expected.items() if (y, q) == (year, quarter))
        assert cells[-3] == (str(quarter_total) if quarter_total else "—")
        assert cells[-2] in ("—", "0.00")  # no money in this world is only up to, conditional or non-binding
    assert seen == sum(expected.values()) == Decimal("18000000000.00")


def test_money_only_up_to_keeps_its_certainty_in_the_quarter_table(client, world):
    invests(world["fund"], world["lab"], 4, on=datetime.date(2023, 9, 1), amount_qualifier=Qualifier.UP_TO)
    page = client.get("/charts/").content.decode()
    first_quarter = table(page, "quarters-table")[0]
    assert first_quarter[0] == "2023 Q3"
    assert first_quarter[-3] == "4000000000.00"  # the committed $4B of September 25th only
    assert first_quarter[-2] == "4000000000.00"  # the further "up to $4B", apart
    assert first_quarter[-1] == "2"
    assert "up to $4B" in page


def test_the_quarter_chart_stacks_one_bar_per_kind_and_quarter_with_money(client, world):
    page = client.get("/charts/").content.decode()
    svg = svg_of(page, "Money committed per quarter, by kind of deal")
    titles = sorted(rect.find(f"{SVG}title").text for rect in svg.iter(f"{SVG}rect"))
    assert titles == sorted(
        [
            "2023 Q3 · Equity investment: $4B",
            "2023 Q4 · Convertible note: $2B",
            "2023 Q4 · Cloud / compute commitment: $1B",
            "2024 Q1 · Funding round: $10B",
            "2025 Q2 · Equity investment: $1B",
        ]
    )


def test_the_largest_investors_equal_the_database_sums(client, world):
    page = client.get("/charts/").content.decode()
    rows = table(page, "investors-table")

    fund_invested = (
        Deal.objects.filter(
            publication=Publication.PUBLISHED,
            status__in=STATUSES_IN_TOTALS,
            parties__company=world["fund"],
            parties__role=Role.INVESTOR,
            parties__amount__isnull=True,
        ).aggregate(total=Sum("amount_usd"))["total"]
        + DealParty.objects.filter(company=world["fund"], amount_usd__isnull=False).aggregate(total=Sum("amount_usd"))[
            "total"
        ]
    )
    assert fund_invested == 16 * BILLION  # 4 + 2 + 7 alone, and its 3 of the round
    assert rows == [
        ["1", "Fund over the years", str(fund_invested.quantize(Decimal("0.01")))],
        ["2", "Other Fund over the years", "1000000000.00"],
    ]
    svg = svg_of(page, "The largest investors")
    assert [rect.find(f"{SVG}title").text for rect in svg.iter(f"{SVG}rect")] == ["Fund: $16B", "Other Fund: $1B"]


def test_each_company_page_has_its_years_equal_to_the_database_sums(client, world):
    page = client.get("/companies/fund/").content.decode()
    rows = table(page, "money-years-table")

    assert rows == [
        ["2023", "6000000000.00", "—", "—", "—", "2"],
        ["2024", "3000000000.00", "—", "—", "—", "1"],
        ["Date unknown", "7000000000.00", "—", "—", "—", "1"],
    ]
    lab_rows = table(client.get("/charts/companies/lab/").content.decode(), "money-years-table")
    assert lab_rows == [
        ["2023", "—", "6000000000.00", "—", "1000000000.00", "3"],
        ["2024", "—", "10000000000.00", "—", "—", "1"],
        ["2025", "—", "1000000000.00", "—", "—", "1"],
        ["Date unknown", "—", "7000000000.00", "—", "—", "1"],
    ]
    received = sum(Decimal(row[2]) for row in lab_rows if row[2] != "—")
    assert received == world["lab"].totals.received_usd


def test_charts_are_valid_svg_with_plain_numbers_in_spanish(client, world):
    page = client.get("/es/charts/").content.decode()

    assert '<html lang="es">' in page
    charts = re.findall(r"<svg .*?</svg>", page, re.S)
    assert len(charts) == 2
    for chart in charts:
        svg = ET.fromstring(chart.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
        for element in svg.iter():
            for name in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
                if name in element.attrib:
                    float(element.attrib[name])  # a decimal comma here would break the drawing
    assert "4000 millones de US$" in page.replace(".", "")


@pytest.mark.parametrize("extra", [0, 12])
def test_the_charts_run_a_fixed_number_of_queries(client, world, extra, django_assert_max_num_queries):
    for number in range(extra):
        invests(company(f"fund-{number}", CompanyKind.INVESTOR), world["lab"], number + 1)

    with django_assert_max_num_queries(2):
        assert client.get("/charts/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/charts/companies/lab/").status_code == 200


def test_a_company_whose_deals_state_no_amount_has_its_table_and_no_chart(client, world):
    quiet = company("quiet", CompanyKind.AI_LAB)
    buys(quiet, world["cloud"], on=datetime.date(2024, 1, 1))

    page = client.get("/companies/quiet/").content.decode()
    assert table(page, "money-years-table") == [["2024", "—", "—", "—", "—", "1"]]
    assert "<svg" not in page


def test_an_unknown_company_has_no_chart(client, world):
    assert client.get("/charts/companies/nobody/").status_code == 404
