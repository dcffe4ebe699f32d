"""Editors in a real browser, on a laptop's screen (1366 px): amounts as written (issue 22, item 9), a deal in one
screen (10), the review queue (11) and the admin's name (12)."""

import pytest

from deals.models import Deal, Publication, Source
from tests.factories import CompanyFactory, make_deal, make_user

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PASSWORD = "correct horse battery staple"
WIDTHS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport=LAPTOP, locale="en-US")
    yield context.new_page()
    context.close()


@pytest.fixture
def companies(transactional_db):
    return CompanyFactory(name="Microsoft", slug="microsoft"), CompanyFactory(name="OpenAI", slug="openai")


def log_in(page, live_server, username: str, then: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{then}")


def fits(page) -> None:
    scroll_width, window_width = page.evaluate(WIDTHS)
    assert scroll_width <= window_width + 1, f"the page is {scroll_width}px wide in a {window_width}px window"


def choose_company(page, row: str, name: str) -> None:
    """Choose a company in an autocomplete box (Select2) of an inline row, e.g. row "parties-0"."""
    page.locator(f"#{row} .field-company .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(name)
    page.locator(".select2-results__option", has_text=name).first.click()


def add_parties(page, investor: str, investee: str) -> None:
    choose_company(page, "parties-0", investor)
    page.locator("#id_parties-0-role").select_option("investor")
    choose_company(page, "parties-1", investee)
    page.locator("#id_parties-1-role").select_option("investee")


def preview_of(page) -> str:
    return page.locator("#id_amount + .money-preview").inner_text().strip()


def test_an_amount_typed_as_written_is_echoed_as_it_will_be_shown_and_saved_so(
    live_server, companies, laptop, screenshot
):
    make_user("erin", "Editors")
    log_in(laptop, live_server, "erin", "/admin/deals/deal/add/")

    amount = laptop.locator("#id_amount")
    amount.fill("1.5B")
    assert preview_of(laptop) == "= $1.5B"
    amount.fill("€15M")
    assert preview_of(laptop) == "= €15M"

    laptop.locator("#id_title").fill("Microsoft invests €15M in OpenAI")
    laptop.locator("#id_kind").select_option("equity")
    add_parties(laptop, "Microsoft", "OpenAI")
    laptop.locator("input[name=_save]").click()
    laptop.wait_for_url("**/admin/deals/deal/")
    screenshot(laptop, "admin-deal-list-laptop")

    row = laptop.locator("#result_list tr", has_text="Microsoft invests €15M in OpenAI")
    assert row.locator(".field-amount_display").inner_text() == "€15M"
    assert row.locator(".field-parties_display").inner_text() == "Microsoft → OpenAI"
    deal = Deal.objects.get()
    assert (deal.amount, deal.currency, deal.amount_as_stated) == (15_000_000, "EUR", "€15M")
    fits(laptop)


def test_an_editor_enters_a_deal_in_one_screen_and_follows_the_message_to_its_page(
    live_server, companies, laptop, screenshot
):
    make_user("paula", "Editors", "Publishers")
    log_in(laptop, live_server, "paula", "/admin/deals/deal/add/")
    fits(laptop)

    laptop.locator("#id_kind").select_option("equity")
    laptop.locator("#id_publication").select_option("published")
    laptop.locator("#id_announced_on").fill("2025-01-15")
    laptop.locator("#id_amount").fill("1.5B")
    add_parties(laptop, "Microsoft", "OpenAI")
    laptop.locator("#id_citations-0-source_url").fill("https://www.Example.com/news/microsoft-openai/")
    laptop.locator("#id_citations-0-supports").select_option("amount")
    laptop.locator("input[name=_save]").click()  # without a title

    summary = laptop.locator("#error-summary")
    summary.wait_for()
    assert summary.bounding_box()["y"] < laptop.locator("#id_kind").bounding_box()["y"], "listed above the fields"
    link = summary.get_by_role("link", name="Title: This field is required.")
    screenshot(laptop, "admin-deal-form-errors-laptop")
    fits(laptop)
    link.click()
    assert laptop.evaluate("() => document.activeElement.id") == "id_title"
    assert (
        laptop.locator("#id_citations-0-source_url").input_value() == "https://www.Example.com/news/microsoft-openai/"
    )
    assert not Source.objects.exists(), "nothing was saved"

    laptop.keyboard.type("Microsoft invests $1.5B in OpenAI")
    if not laptop.locator("#id_slug").input_value():
        laptop.locator("#id_slug").fill("microsoft-invests-in-openai")
    laptop.locator("input[name=_save]").click()
    laptop.wait_for_url("**/admin/deals/deal/")

    message = laptop.locator(".messagelist .success", has_text="is published")
    assert "“Microsoft invests $1.5B in OpenAI” is published" in message.inner_text()
    message.get_by_role("link", name="see its public page").click()
    deal = Deal.objects.get()
    laptop.wait_for_url(f"{live_server.url}{deal.get_absolute_url()}")
    assert "Microsoft invests $1.5B in OpenAI" in laptop.locator("h1").inner_text()
    assert "$1.5B" in laptop.locator("main").inner_text()
    source = deal.citations.get().source
    assert (source.url, source.publisher) == ("https://www.example.com/news/microsoft-openai", "example.com")


def test_a_draft_waits_in_the_review_queue_with_its_changes_and_one_click_publishes_it(
    live_server, companies, laptop, screenshot
):
    deal = make_deal(*companies, title="Microsoft invests in OpenAI")
    deal.title, deal.publication = "Microsoft invests $10B in OpenAI", Publication.DRAFT
    deal.save()
    make_user("paula", "Editors", "Publishers")
    log_in(laptop, live_server, "paula", "/admin/deals/deal/review/")

    item = laptop.locator(f"#review-{deal.pk}")
    assert item.locator("h2 a").inner_text() == "Microsoft invests $10B in OpenAI"
    changed = item.locator("tr", has_text="Title")
    assert changed.locator("del").inner_text() == "Microsoft invests in OpenAI"
    assert changed.locator("ins").inner_text() == "Microsoft invests $10B in OpenAI"
    screenshot(laptop, "admin-review-queue-laptop")
    fits(laptop)
    item.get_by_role("button", name="Publish").click()
    laptop.locator(".messagelist").wait_for()

    assert "Published: Microsoft invests $10B in OpenAI" in laptop.locator(".messagelist").inner_text()
    assert "No draft is waiting." in laptop.locator("#content-main").inner_text()
    deal.refresh_from_db()
    assert deal.publication == Publication.PUBLISHED


def test_the_login_and_admin_pages_say_dealsite_editors(live_server, transactional_db, laptop):
    make_user("erin", "Editors")
    laptop.goto(f"{live_server.url}/admin/login/")
    for page_name in ("login", "index"):
        assert "Dealsite editors" in laptop.title(), page_name
        assert laptop.locator("#site-name").inner_text() == "Dealsite editors"
        assert "Django administration" not in laptop.content()
        if page_name == "login":
            log_in(laptop, live_server, "erin", "/admin/")
