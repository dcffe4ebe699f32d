"""The proxy war: each AI lab with its big-tech, cloud and chip backers and what each put in."""

import re

import pytest
from django.core.management import call_command

from deals.core.choices import CompanyKind, DealKind
from deals.models import Company, Role
from tests.money_world import BILLION, IN_TALKS, buys, company, deal, invests

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    amazon = company("amazon", CompanyKind.BIG_TECH, name="Amazon")
    google = company("google", CompanyKind.BIG_TECH, name="Google")
    google_cloud = company("google-cloud", CompanyKind.CLOUD, parent=google, name="Google Cloud")
    nvidia = company("nvidia", CompanyKind.CHIPMAKER, name="Nvidia")
    softbank = company("softbank", CompanyKind.INVESTOR, name="SoftBank")
    anthropic = company("anthropic", CompanyKind.AI_LAB, name="Anthropic")
    openai = company("openai", CompanyKind.AI_LAB, name="OpenAI")
    lonely = company("lonely-lab", CompanyKind.AI_LAB, name="Lonely Lab")
    return {
        "amazon-anthropic": invests(amazon, anthropic, 4, title="Amazon invests $4B in Anthropic"),
        "amazon-anthropic-talks": invests(amazon, anthropic, 4, title="Amazon weighs $4B more", **IN_TALKS),
        "google-anthropic": invests(google, anthropic, 2, title="Google invests $2B in Anthropic"),
        "google-cloud-anthropic": invests(google_cloud, anthropic, title="Google Cloud takes a stake"),
        "round": deal(
            [
                (amazon, Role.INVESTOR, 50 * BILLION),
                (nvidia, Role.INVESTOR),
                (softbank, Role.INVESTOR),
                (openai, Role.INVESTEE),
            ],
            amount=110 * BILLION,
            kind=DealKind.FUNDING_ROUND,
            title="OpenAI raises $110B",
        ),
        "compute": buys(anthropic, amazon, 9, title="Anthropic buys compute"),
        "softbank-lonely": invests(softbank, lonely, 1),
        "draft": invests(nvidia, lonely, 5, published=False),
    }


def section(page, slug):
    return re.search(rf'<section class="card lab" aria-labelledby="lab-{slug}">(.*?)</section>', page, re.S).group(1)


def backers(page, slug):
    """(backer, what it put in) rows of a lab's table."""
    rows = re.findall(r"<tr>(.*?)</tr>", section(page, slug), re.S)[1:]
    return [
        (
            re.search(r'data-label="Backer"><a [^>]*>(.*?)</a>', row).group(1),
            re.sub(r"\s+", " ", re.search(r'data-label="Put in"[^>]*>(.*?)</td>', row, re.S).group(1)).strip(),
        )
        for row in rows
    ]


def test_each_lab_lists_its_big_tech_and_chip_backers_with_what_each_put_in(client, world):
    page = client.get("/proxy-war/").content.decode()

    assert page.index('id="lab-openai"') < page.index('id="lab-anthropic"')  # the most backed first
    assert backers(page, "openai") == [("Amazon", "$50B"), ("Nvidia", "not stated")]
    assert backers(page, "anthropic") == [
        ("Amazon", "$4B, plus undisclosed amounts"),
        ("Google", "$2B, plus undisclosed amounts"),
    ]
    anthropic = section(page, "anthropic")
    assert "Google Cloud takes a stake" in anthropic  # folded into Google
    assert "Amazon weighs $4B more" in anthropic and "In talks" in anthropic
    assert f'href="{world["amazon-anthropic"].get_absolute_url()}"' in anthropic
    assert "Anthropic buys compute" not in page  # buying is not backing
    assert "SoftBank" not in page and "Lonely Lab" not in page  # an investor fund, and a draft


def test_the_seed_shows_the_rival_camps(client, db):
    call_command("load_seed_data", verbosity=0)
    page = client.get("/proxy-war/").content.decode()

    assert [name for name, _amount in backers(page, "openai")] == ["Amazon", "Microsoft", "Nvidia"]
    assert dict(backers(page, "openai"))["Microsoft"] == "$14B"
    assert [name for name, _amount in backers(page, "anthropic")] == ["Amazon", "Google"]
    assert [name for name, _amount in backers(page, "inflection-ai")] == ["Microsoft", "Nvidia"]


def test_the_proxy_war_in_spanish(client, world):
    page = client.get("/es/proxy-war/").content.decode()
    assert '<html lang="es">' in page
    assert "50.000 millones de US$" in page


@pytest.mark.parametrize("extra", [0, 10])
def test_the_page_runs_a_fixed_number_of_queries(client, world, extra, django_assert_max_num_queries):
    chipmaker = company("chips", CompanyKind.CHIPMAKER)
    for number in range(extra):
        invests(chipmaker, company(f"lab-{number}", CompanyKind.AI_LAB), number + 1)

    # The stored figures: the labs (and their count, remembered under the content version), their first backers,
    # those backers' flows and deals.
    with django_assert_max_num_queries(6):
        assert client.get("/proxy-war/").status_code == 200
    # Then the content version and the page of labs: the backers and their deals are remembered under it.
    with django_assert_max_num_queries(2):
        assert client.get("/proxy-war/").status_code == 200


def test_the_cached_page_follows_edits(client, world):
    assert "Lonely Lab" not in client.get("/proxy-war/").content.decode()
    amazon = Company.objects.get(slug="amazon")
    invests(amazon, Company.objects.get(slug="lonely-lab"), 3, title="Amazon backs Lonely Lab")
    assert "Amazon backs Lonely Lab" in client.get("/proxy-war/").content.decode()
    amazon.name = "Amazon.com"
    amazon.save()
    assert "Amazon.com" in client.get("/proxy-war/").content.decode()


def test_long_labs_are_capped_with_links_to_the_rest(client, world, monkeypatch):
    monkeypatch.setattr("deals.web.views.money.BACKERS_PER_LAB", 1)
    monkeypatch.setattr("deals.web.views.money.DEALS_PER_BACKER", 1)
    page = client.get("/proxy-war/").content.decode()
    # Anthropic's largest backer only, with its first deal; the rest are a link away.
    assert [name for name, _put_in in backers(page, "anthropic")] == ["Amazon"]
    assert '<a href="/proxy-war/anthropic/">and 1 more backer of Anthropic</a>' in section(page, "anthropic")
    assert '<a href="/alliances/amazon--anthropic/">and 1 more deal</a>' in section(page, "anthropic")
    assert "Amazon weighs $4B more" not in page

    lab_page = client.get("/proxy-war/anthropic/").content.decode()
    assert [name for name, _put_in in backers(lab_page, "anthropic")] == ["Amazon", "Google"]
    assert "more backer" not in lab_page
    assert client.get("/proxy-war/lonely-lab-unknown/").status_code == 404


def test_the_lab_page_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    # The lab, its backers (and their count), their flows and deals.
    with django_assert_max_num_queries(6):
        assert client.get("/proxy-war/anthropic/").status_code == 200
