"""A visitor narrows the deal list with a facet and sorts it by a column header, in a real browser, on a laptop and on
a phone (where the facets fold with the filters behind the "Filter" button and the headers become a bar)."""

import pytest

pytestmark = pytest.mark.browser

WIDTHS = {"laptop": 1366, "phone": 390}


def shown_total(page) -> int:
    summary = page.locator(".pagination-summary").first.inner_text()
    return int(summary.rsplit(" ", 1)[-1].replace(",", ""))


def header_of(page, label: str):
    # (On a phone the table's rows are blocks: its cells lose their table roles.)
    return page.locator("th.sortable", has_text=label)


def titles(page) -> list[str]:
    return page.locator("table.data-table tbody a.deal-title").all_inner_texts()


def amounts(page) -> list[str]:
    return [text.split("\n")[0].strip() for text in page.locator("table.data-table tbody td.num").all_inner_texts()]


@pytest.mark.parametrize("device", WIDTHS)
def test_a_facet_narrows_the_list_and_a_header_sorts_it(live_server, world, browser, screenshot, device):
    context = browser.new_context(viewport={"width": WIDTHS[device], "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/deals/")
    everything = shown_total(page)
    if device == "phone":
        # Folded with the filters: the results come first.
        assert not page.locator(".facets").is_visible()
        page.get_by_text("Filter", exact=True).click()
    facet = page.locator(".facet", has=page.get_by_role("heading", name="Kind", exact=True))
    equity = facet.get_by_role("link", name="Equity investment")
    count = int(equity.locator(".facet-count").inner_text())
    assert 0 < count < everything
    equity.click()
    page.wait_for_url("**/deals/?kind=equity#results")
    assert shown_total(page) == count
    assert len(titles(page)) == count
    assert page.get_by_label("Kind", exact=True).input_value() == "equity"
    selected = page.locator(".facet-value.selected")
    assert selected.count() == 1 and "Equity investment" in selected.inner_text()
    screenshot(page, f"facets-{device}")

    header = header_of(page, "Amount")
    assert header.get_attribute("aria-sort") is None
    header.get_by_role("link").click()
    page.wait_for_url("**/deals/?kind=equity&ordering=-usd#results")
    assert header_of(page, "Amount").get_attribute("aria-sort") == "descending"
    assert header_of(page, "Announced").get_attribute("aria-sort") is None
    largest_first = titles(page)
    assert shown_total(page) == count and len(largest_first) == count
    assert amounts(page)[:2] == ["up to $4B", "$2B"]
    # The link leads to the results, also where the filters in use are open above them (a phone).
    assert page.locator("table.data-table").is_visible()
    screenshot(page, f"sorted-{device}")

    # Again, from the keyboard: the other way round.
    link = header_of(page, "Amount").get_by_role("link")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/deals/?kind=equity&ordering=usd#results")
    assert header_of(page, "Amount").get_attribute("aria-sort") == "ascending"
    known = [title for title in largest_first if title in titles(page)]
    assert titles(page)[: len(known)] != largest_first[: len(known)]

    # The value chosen removes its filter, keeping the order; then, with no filter in use, a phone folds them again.
    page.locator(".facet-value.selected").click()
    page.wait_for_url("**/deals/?ordering=usd#results")
    assert shown_total(page) == everything
    assert page.locator(".facets").is_visible() == (device == "laptop")
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1
    context.close()
