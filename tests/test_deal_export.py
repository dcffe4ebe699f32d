"""CSV export of the deals list: the same filters, every matching row, safe to open in a spreadsheet."""

import csv
import io

import pytest

from deals.exchange.csv_safety import spreadsheet_safe
from tests.factories import CompanyFactory, make_deal, saved_as_one_batch


def rows(client, **params):
    response = client.get("/deals/export.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dealsite-deals.csv"'
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_has_every_published_deal_and_no_draft(client, world):
    exported = {row["slug"] for row in rows(client)}
    assert len(exported) == 7
    assert "secret-investment" not in exported


def test_the_export_uses_the_same_filters_as_the_list(client, world):
    exported = rows(client, investor="amazon", announced_after="2024-01-01")
    assert [row["slug"] for row in exported] == ["openai-110b-round"]
    row = exported[0]
    assert row["title"] == "OpenAI raises $110B from Amazon, Nvidia and SoftBank"
    assert row["investors"] == "Amazon; Nvidia; SoftBank"
    assert row["investees"] == "OpenAI"
    assert row["amount_usd"] == "110000000000.00"
    assert row["announced_on"] == "2026-02-01"
    assert row["announced_precision"] == "month"
    assert row["url"] == "http://testserver/deals/openai-110b-round/"


def test_the_export_is_not_paginated(client, db):
    investor, investee = CompanyFactory(slug="investor"), CompanyFactory()
    with saved_as_one_batch():
        for _ in range(130):
            make_deal(investor, investee)
    assert len(rows(client, investor="investor", page_size=10, page=2)) == 130


def test_the_export_keeps_the_order(client, world):
    assert [row["slug"] for row in rows(client, ordering="-usd")][:2] == ["openai-110b-round", "openai-aws-cloud"]


def test_an_invalid_filter_is_a_400_with_the_reason(client, world):
    response = client.get("/deals/export.csv", {"announced_before": "2023-13-45"})
    assert response.status_code == 400
    assert "announced_before: Enter a valid date." in response.content.decode()


def test_a_formula_in_any_text_cannot_run(client, db):
    hostile = CompanyFactory(name='=HYPERLINK("http://evil.example","click")', slug="hostile")
    make_deal(hostile, CompanyFactory(), title="+cmd|' /C calc'!A0", summary="@SUM(1+1)", amount_as_stated="-2+3")
    row = rows(client)[0]
    assert row["title"] == "'+cmd|' /C calc'!A0"
    assert row["summary"] == "'@SUM(1+1)"
    assert row["amount_as_stated"] == "'-2+3"
    assert row["investors"] == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("x;=1+2", "x;'=1+2"),
        ("a, @A1", "a, '@A1"),
        ("2024-01-01", "2024-01-01"),
        ("Amazon", "Amazon"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_the_export_runs_six_queries_per_chunk(client, db, django_assert_max_num_queries):
    """The deals, then for the chunk: parties, tranches, warrants and options, related deals, sources."""
    investor, investee = CompanyFactory(), CompanyFactory()
    with saved_as_one_batch():
        for _ in range(50):
            make_deal(investor, investee)
    with django_assert_max_num_queries(6):
        b"".join(client.get("/deals/export.csv").streaming_content)


SPLIT_FORMULAS = {
    "x;=1+2": "x;'=1+2",
    "Round A, -5% on paper": "Round A, '-5% on paper",
    "first line\n@SUM(A1:A9)": "first line\n'@SUM(A1:A9)",
    "tab\t+1": "tab\t'+1",
    "=1;=2": "'=1;'=2",
    "a ; =HYPERLINK(1)": "a ; '=HYPERLINK(1)",
    "a well-known 2-3 deal; no formula": "a well-known 2-3 deal; no formula",
}


def test_a_formula_after_a_separator_cannot_run_when_a_spreadsheet_splits_there(client, db):
    """A spreadsheet that reads the file with `;` (or tabs, or lines) as its separator sees a cell start after each;
    a formula there is guarded too, in the page's export and the API's CSV alike."""
    investor, investee = CompanyFactory(slug="investor"), CompanyFactory(slug="investee")
    for number, text in enumerate(SPLIT_FORMULAS):
        make_deal(investor, investee, slug=f"deal-{number}", title=text, summary=text, amount_as_stated=text)

    exported = {row["slug"]: row for row in rows(client)}
    api_csv = client.get("/api/v1/deals/", {"format": "csv", "page_size": 100})
    assert api_csv.status_code == 200
    from_api = {row["slug"]: row for row in csv.DictReader(io.StringIO(api_csv.content.decode()))}

    for number, (text, safe) in enumerate(SPLIT_FORMULAS.items()):
        slug = f"deal-{number}"
        assert (exported[slug]["title"], exported[slug]["summary"], exported[slug]["amount_as_stated"]) == (
            safe,
            safe,
            safe,
        ), text
        assert from_api[slug]["title"] == safe, text
