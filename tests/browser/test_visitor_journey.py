"""A visitor, in a real browser: filters deals, opens one, checks its sources, switches to Spanish, exports."""

import csv
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def exported_rows(download):
    return list(csv.DictReader(Path(download.path()).read_text(encoding="utf-8").splitlines()))


def test_a_visitor_filters_opens_a_deal_reads_its_sources_switches_language_and_exports(
    live_server, world, page, screenshot
):
    page.goto(f"{live_server.url}/deals/")
    page.get_by_label("Investor", exact=True).fill("amazon")
    page.get_by_label("Announced from").fill("2024-01-01")
    page.get_by_label("Announced until").fill("2026-12-31")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/deals/?*investor=amazon*")
    rows = page.locator("table.data-table tbody tr")
    assert rows.count() == 1
    assert "OpenAI raises $110B from Amazon, Nvidia and SoftBank" in rows.first.inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    exported = exported_rows(download_info.value)
    assert [row["slug"] for row in exported] == ["openai-110b-round"]

    page.get_by_role("link", name="OpenAI raises $110B from Amazon, Nvidia and SoftBank").click()
    page.wait_for_url("**/deals/openai-110b-round/")
    amount = page.locator(".deal-figure", has_text="Amount")
    assert "$110B" in amount.inner_text()
    source = amount.locator(".citations a").first
    assert source.get_attribute("href").startswith("https://news.example.com/")
    assert source.get_attribute("rel") == "noopener noreferrer"
    assert source.get_attribute("target") == "_blank"
    screenshot(page, "deal-detail")

    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/es/deals/openai-110b-round/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "110.000 millones de US$" in page.locator(".deal-figure", has_text="Importe").inner_text()
    assert page.get_by_role("heading", name="Cifras y sus fuentes").is_visible()

    page.get_by_role("link", name="Acuerdos", exact=True).first.click()
    page.get_by_label("Inversor", exact=True).fill("amazon")
    page.get_by_role("button", name="Aplicar").click()
    page.wait_for_url("**/es/deals/?*investor=amazon*")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exportar CSV").click()
    exported = exported_rows(download_info.value)
    assert {row["slug"] for row in exported} == {"amazon-invests-in-anthropic", "openai-110b-round"}

    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server.url}/deals/?*investor=amazon*")
    assert page.get_by_role("heading", name="Filter and sort").is_visible()


def test_an_invalid_filter_shows_the_error_in_the_page(live_server, world, page):
    page.goto(f"{live_server.url}/deals/?min_usd=lots&kind=bribe")
    alert = page.get_by_role("alert")
    assert "Minimum (US$)" in alert.inner_text() and "Enter a number." in alert.inner_text()
    assert "No results to show." in page.inner_text("main")


def test_screenshots_of_the_home_page_and_the_deal_list(live_server, world, page, browser, screenshot):
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Who funds whom in AI").is_visible()
    screenshot(page, "home")
    page.goto(f"{live_server.url}/deals/")
    screenshot(page, "deal-list")
    page.goto(f"{live_server.url}/es/companies/openai/")
    screenshot(page, "company-detail-es")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(f"{live_server.url}/deals/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
    screenshot(phone, "deal-list-phone")
    phone.context.close()
