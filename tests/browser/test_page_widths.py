"""Every public page fits a laptop (1366 px) and a phone (390 px): the document is never wider than the window, and no
table is cut off (on a phone a wide table may scroll sideways inside its own box). Screenshots of the main pages at
both widths are written to test-output/ for a person to look at."""

import pytest
from django.core.management import call_command

from deals.models import Alliance, Company, Deal, Publication
from tests.factories import make_user

pytestmark = pytest.mark.browser

WIDTHS = {"laptop": 1366, "phone": 390}
# On a phone a wide table may scroll sideways in its own box; on a laptop every table shows whole.
SIDEWAYS = {"laptop": False, "phone": True}
SCREENSHOTS = {"home", "deal-list", "company", "charts", "deal-list-es"}

# What overflows, as the page's own geometry says it: the document against the window, and each table against the
# boxes around it (a box that scrolls sideways holds a wide table rightly; one that hides overflow cuts it off).
OVERFLOWS = """(sideways) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the document is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  }
  document.querySelectorAll("table").forEach((table, index) => {
    const name = table.id || table.className || `table ${index + 1}`;
    const rect = table.getBoundingClientRect();
    if (rect.width === 0) return;
    // (20 px: a sideways scrollbar takes that much of a box's height without hiding a row.)
    for (let box = table.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowY) && box.scrollHeight > box.clientHeight + 20) {
        problems.push(`${name}: rows hidden in a box ${box.clientHeight}px high`);
        return;
      }
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX) && table.scrollWidth > box.clientWidth + 1) {
        const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
        const wide = `${name}: ${table.scrollWidth}px wide in a box ${box.clientWidth}px wide`;
        if (!(scrolls && sideways)) problems.push(wide);
        return;
      }
    }
    if (rect.right > width + 1) problems.push(`${name}: ends at ${Math.round(rect.right)}px, past the window`);
  });
  return problems;
}"""


def public_pages() -> dict[str, str]:
    deal = Deal.objects.filter(publication=Publication.PUBLISHED).order_by("-amount_usd").first()
    company = Company.objects.get(slug="openai")
    alliance = Alliance.objects.order_by("-deal_count", "slug").first()
    return {
        "home": "/",
        "deal-list": "/deals/",
        "deal-list-filtered": "/deals/?investor=amazon&ordering=-usd",
        "deal": deal.get_absolute_url(),
        "company-list": "/companies/",
        "company": company.get_absolute_url(),
        "alliance-list": "/alliances/",
        "alliance": alliance.get_absolute_url(),
        "circular": "/circular/",
        "network": "/network/",
        "proxy-war": "/proxy-war/",
        "charts": "/charts/",
        "company-chart": f"/charts/companies/{company.slug}/",
        "figures": "/figures/",
        "deal-list-es": "/es/deals/",
        "company-es": f"/es{company.get_absolute_url()}",
        "not-found": "/deals/no-such-deal/",
    }


@pytest.fixture
def seeded(transactional_db):
    call_command("load_seed_data", verbosity=0)


@pytest.mark.parametrize("device", WIDTHS)
def test_every_public_page_fits_the_window(live_server, seeded, browser, screenshot, device):
    context = browser.new_context(viewport={"width": WIDTHS[device], "height": 900}, locale="en-US")
    page = context.new_page()
    problems = {}
    for name, url in public_pages().items():
        status = page.goto(f"{live_server.url}{url}").status
        assert status == (404 if name == "not-found" else 200), (name, url, status)
        found = page.evaluate(OVERFLOWS, SIDEWAYS[device])
        if found:
            problems[name] = found
        if name in SCREENSHOTS:
            screenshot(page, f"{name}-{device}")
    context.close()
    assert not problems, problems


@pytest.mark.parametrize("device", WIDTHS)
def test_the_admin_deal_form_fits_the_window(live_server, seeded, browser, screenshot, device):
    make_user("ada", superuser=True)
    context = browser.new_context(viewport={"width": WIDTHS[device], "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/deals/deal/add/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/deals/deal/add/")
    screenshot(page, f"admin-deal-form-{device}")
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.goto(f"{live_server.url}/admin/deals/deal/")
    screenshot(page, f"admin-deal-list-{device}")
    deal_list = page.evaluate(OVERFLOWS, False)
    context.close()
    if device == "laptop":
        assert width[0] <= width[1] + 1, f"the add form is {width[0]}px wide in a {width[1]}px window"
        assert not deal_list, f"the deal list does not fit: {deal_list}"


def test_on_a_phone_the_filters_fold_behind_a_button_unless_in_use(live_server, seeded, browser):
    phone = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900}, locale="en-US").new_page()
    phone.goto(f"{live_server.url}/deals/")
    kind = phone.get_by_label("Kind", exact=True)
    assert not kind.is_visible()
    assert phone.locator("table.data-table").is_visible()
    phone.get_by_text("Filter", exact=True).click()
    assert kind.is_visible()

    phone.goto(f"{live_server.url}/deals/?kind=equity")
    assert phone.get_by_label("Kind", exact=True).is_visible()

    laptop = browser.new_context(viewport={"width": WIDTHS["laptop"], "height": 900}, locale="en-US").new_page()
    laptop.goto(f"{live_server.url}/deals/")
    assert laptop.get_by_label("Kind", exact=True).is_visible()
    assert not laptop.get_by_text("Filter", exact=True).is_visible()
