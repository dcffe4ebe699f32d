"""The company filters suggest companies as the visitor types (static/js/company-suggest.js), under the site's CSP."""

import pytest

pytestmark = pytest.mark.browser


def test_typing_in_a_company_filter_suggests_matching_slugs(live_server, world, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/deals/")
    investor = page.locator("#id_investor")
    with page.expect_response(lambda response: "/companies/suggest.json?q=goo" in response.url):
        investor.type("goo")
    page.wait_for_function(
        "document.getElementById(document.getElementById('id_investor').getAttribute('list')).options.length === 2"
    )
    options = page.locator(f"#{investor.get_attribute('list')} option")
    assert [options.nth(i).get_attribute("value") for i in range(2)] == ["google", "google-cloud"]
    assert [error for error in errors if "Content Security Policy" in error or "Uncaught" in error] == []
