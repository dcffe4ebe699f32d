"""The network of alliances: the page (drawing data and its table), its filters, and the GraphML and JSON downloads."""

import io
import json
import os
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from deals.core.choices import CompanyKind, DealKind
from deals.models import Role
from tests.money_world import buys, company, deal, invests

pytestmark = pytest.mark.django_db

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture
def world(db):
    amazon = company("amazon", CompanyKind.BIG_TECH, name="Amazon")
    aws = company("aws", CompanyKind.CLOUD, parent=amazon, name="Amazon Web Services")
    anthropic = company("anthropic", CompanyKind.AI_LAB, name="Anthropic")
    openai = company("openai", CompanyKind.AI_LAB, name="OpenAI")
    nvidia = company("nvidia", CompanyKind.CHIPMAKER, name="Nvidia")
    softbank = company("softbank", CompanyKind.INVESTOR, name="SoftBank <Group>")
    return {
        "amazon-anthropic": invests(amazon, anthropic, 4, on="2023-09-25"),
        "anthropic-aws": buys(anthropic, aws, 1, on="2024-11-01"),
        "openai-nvidia": buys(openai, nvidia, 100, kind=DealKind.CHIP_SUPPLY, on="2025-09-22"),
        "softbank-openai": invests(softbank, openai, 30, on="2025-03-31"),
        "draft": invests(nvidia, anthropic, 9, published=False),
    }


def drawing(response):
    match = re.search(r'<script id="network-data" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def test_the_page_draws_every_alliance_and_lists_the_same_edges_in_a_table(client, world):
    response = client.get("/network/")
    page = response.content.decode()

    data = drawing(response)
    edges = {(edge["source"], edge["target"]): edge for edge in data["edges"]}
    assert set(edges) == {("amazon", "anthropic"), ("nvidia", "openai"), ("openai", "softbank")}
    assert {node["id"]: node["url"] for node in data["nodes"]} == {
        "amazon": "/companies/amazon/",
        "anthropic": "/companies/anthropic/",
        "nvidia": "/companies/nvidia/",
        "openai": "/companies/openai/",
        "softbank": "/companies/softbank/",
    }
    assert edges[("nvidia", "openai")]["width"] > edges[("openai", "softbank")]["width"]
    assert edges[("openai", "softbank")]["width"] > edges[("amazon", "anthropic")]["width"]
    assert edges[("nvidia", "openai")]["kind"] == DealKind.CHIP_SUPPLY
    assert edges[("nvidia", "openai")]["colour"] != edges[("openai", "softbank")]["colour"]

    rows = re.findall(r"<tr>\s*<td data-label=\"Company\">(.*?)</tr>", page, re.S)
    assert len(rows) == 3
    assert "$5B" in rows[2]  # Amazon (AWS folded in) with Anthropic
    assert "$100B" in rows[0] and "Chip supply or purchase" in rows[0]
    assert "SoftBank &lt;Group&gt;" in page
    assert "SoftBank <Group>" not in page.split('id="network-data"')[0]


def test_the_page_has_no_inline_script(client, world):
    page = client.get("/network/").content.decode()
    for attributes, _body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    assert "/static/vendor/cytoscape/cytoscape.min.js" in page
    assert "/static/js/network.js" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"company_kind": "chipmaker"}, {("nvidia", "openai")}),
        ({"company_kind": "investor"}, {("openai", "softbank")}),
        ({"deal_kind": "cloud_compute"}, {("amazon", "anthropic")}),
        ({"year": "2025"}, {("nvidia", "openai"), ("openai", "softbank")}),
        ({"deal_kind": "equity", "year": "2024"}, set()),
        ({"deal_kind": "cloud_compute", "year": "2024"}, {("amazon", "anthropic")}),
    ],
)
def test_filters_by_company_kind_deal_kind_and_year(client, world, query, expected):
    response = client.get("/network/", query)
    assert response.status_code == 200
    assert {(edge["source"], edge["target"]) for edge in drawing(response)["edges"]} == expected
    downloaded = client.get("/network.json", query).json()
    assert {(edge["source"], edge["target"]) for edge in downloaded["edges"]} == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"company_kind": "bank"}, "Select a valid choice. bank is not one of the available choices."),
        ({"year": "next"}, "Enter a number."),
        ({"year": "99999"}, "Ensure this value is less than or equal to 2200."),
    ],
)
def test_bad_filters_are_a_400_with_the_reason(client, world, query, message):
    page = client.get("/network/", query)
    assert page.status_code == 400
    assert message in page.content.decode()
    for download in ("/network.json", "/network.graphml"):
        response = client.get(download, query)
        assert response.status_code == 400
        assert message in json.dumps(response.json())


def test_the_graphml_download_parses_with_networkx_and_elementtree(client, world):
    response = client.get("/network.graphml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/graphml+xml")
    body = b"".join(response.streaming_content)

    graph = nx.read_graphml(io.BytesIO(body))
    assert set(graph.nodes) == {"amazon", "anthropic", "nvidia", "openai", "softbank"}
    assert graph.nodes["softbank"]["label"] == "SoftBank <Group>"
    assert graph.nodes["amazon"]["url"] == "/companies/amazon/"
    edge = graph.edges["amazon", "anthropic"]
    assert edge["total_usd"] == 5_000_000_000
    assert edge["deal_count"] == 2
    assert sorted(map(int, edge["deal_ids"].split(","))) == sorted(
        [world["amazon-anthropic"].pk, world["anthropic-aws"].pk]
    )

    root = ET.fromstring(body)
    assert root.tag == f"{GRAPHML}graphml"
    assert len(root.findall(f"{GRAPHML}graph/{GRAPHML}edge")) == 3


def test_the_json_download_lists_nodes_and_edges_with_their_published_deals(client, world):
    data = client.get("/network.json").json()

    assert {node["id"] for node in data["nodes"]} == {"amazon", "anthropic", "nvidia", "openai", "softbank"}
    edges = {(edge["source"], edge["target"]): edge for edge in data["edges"]}
    assert edges[("amazon", "anthropic")]["deal_ids"] == sorted(
        [world["amazon-anthropic"].pk, world["anthropic-aws"].pk]
    )
    assert edges[("amazon", "anthropic")]["total_usd"] == "5000000000.00"
    assert edges[("nvidia", "openai")]["dominant_kind"] == "chip_supply"
    assert all(world["draft"].pk not in edge["deal_ids"] for edge in data["edges"])


@pytest.mark.parametrize("extra", [0, 15])
def test_the_page_and_downloads_run_a_fixed_number_of_queries(client, world, extra, django_assert_max_num_queries):
    hub = company("hub", CompanyKind.CLOUD)
    for number in range(extra):
        deal([(company(f"lab-{number}"), Role.CUSTOMER), (hub, Role.PROVIDER)])

    with django_assert_max_num_queries(3):
        assert client.get("/network/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/network.json").status_code == 200
    with django_assert_max_num_queries(3):
        response = client.get("/network.graphml")
        b"".join(response.streaming_content)


def test_the_network_page_in_spanish(client, world):
    page = client.get("/es/network/").content.decode()
    assert '<html lang="es">' in page
    assert '"url": "/es/companies/amazon/"' in page


@pytest.mark.browser
def test_in_a_browser_the_network_is_drawn_and_a_click_opens_a_company(live_server, world, monkeypatch):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the live server's database calls are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda message: "Content Security Policy" in message.text and problems.append(message.text))
        page.on("response", lambda r: r.status >= 400 and "favicon" not in r.url and problems.append(r.url))
        page.goto(f"{live_server.url}/network/")
        page.wait_for_function("document.getElementById('network-graph').cy !== undefined")
        assert page.locator("#network-graph canvas").count() > 0
        box = page.locator("#network-graph").bounding_box()
        position = page.evaluate("document.getElementById('network-graph').cy.$id('anthropic').renderedPosition()")
        page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
        page.wait_for_url("**/companies/anthropic/")
        assert page.get_by_role("heading", name="Anthropic", exact=True).is_visible()
        browser.close()
    assert problems == []
