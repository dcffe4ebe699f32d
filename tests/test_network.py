"""The network of alliances: the page (drawing data and its table), its filters, and the GraphML and JSON downloads."""

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from html import escape

import networkx as nx
import pytest

from deals.core.choices import CompanyKind, DealKind
from deals.models import Company, Role
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


def downloaded_json(response):
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


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
    downloaded = downloaded_json(client.get("/network.json", query))
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
    data = downloaded_json(client.get("/network.json"))

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
        response = client.get("/network.json")
        b"".join(response.streaming_content)
    # The nodes, then for each batch of nodes their alliances, those alliances' links and which linked deals are
    # not published.
    with django_assert_max_num_queries(4):
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


def expected_graphml(data: dict) -> bytes:
    """The GraphML networkx writes of the JSON download's nodes and edges (what the site wrote before streaming)."""
    graph = nx.Graph(name="Dealsite alliances")
    for node in data["nodes"]:
        graph.add_node(node["id"], label=node["label"], kind=node["kind"], colour=node["colour"], url=node["url"])
    for edge in data["edges"]:
        graph.add_edge(
            edge["source"],
            edge["target"],
            total_usd=float(edge["total_usd"]),
            deal_count=edge["deal_count"],
            dominant_kind=edge["dominant_kind"],
            first_announced=edge["first_announced"] or "",
            latest_announced=edge["latest_announced"] or "",
            deal_ids=",".join(map(str, edge["deal_ids"])),
        )
    return "".join(f"{line}\n" for line in nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)).encode()


def expected_json(world_edges) -> bytes:
    return json.dumps(world_edges, ensure_ascii=False).encode()


@pytest.mark.parametrize("query", [{}, {"company_kind": "investor"}, {"year": "1999"}])
@pytest.mark.parametrize("language", ["", "/es"])
def test_the_streamed_downloads_are_the_documents_written_whole(client, world, monkeypatch, query, language):
    """Written a few rows at a time, in bounded memory, byte for byte what json.dumps and networkx write of the
    whole network; with one node per batch, edges still come in networkx's order (node by node)."""
    from deals.figures import network

    companies = Company.objects.in_bulk(field_name="slug")
    invests(companies["amazon"], companies["openai"], 2, on="2024-01-02")
    Company.objects.filter(slug="nvidia").update(name='Nvidia \u00e9 & <Co> "q"\r\nTwo\rThree')
    monkeypatch.setattr(network, "NODES_PER_BATCH", 1)
    monkeypatch.setattr(network, "CHUNK", 1)
    monkeypatch.setattr(network, "WRITE_BYTES", 10)

    data = _whole_network(query, language)
    body = b"".join(client.get(f"{language}/network.json", query).streaming_content)
    assert body == expected_json(data)
    graphml = b"".join(client.get(f"{language}/network.graphml", query).streaming_content)
    assert graphml == expected_graphml(data)


def _whole_network(query, language) -> dict:
    """The network the site gave before streaming: every alliance with its companies, largest first."""
    from django.urls import reverse
    from django.utils import translation

    from deals.lists.money_filters import NetworkFilterSet
    from deals.models import Alliance, Deal

    filterset = NetworkFilterSet(query, queryset=Alliance.objects.all())
    assert filterset.is_valid()
    alliances = list(filterset.qs.select_related("company_a", "company_b").order_by("-total_usd", "slug"))
    published = set(Deal.objects.published().values_list("pk", flat=True))
    nodes = {}
    with translation.override(language.strip("/") or "en"):
        for alliance in alliances:
            for each in (alliance.company_a, alliance.company_b):
                nodes.setdefault(
                    each.pk,
                    {
                        "id": each.slug,
                        "label": each.name,
                        "kind": each.kind,
                        "colour": network_colour(each.kind),
                        "url": reverse("deals:company-detail", kwargs={"slug": each.slug}),
                    },
                )
    edges = [
        {
            "source": alliance.company_a.slug,
            "target": alliance.company_b.slug,
            "total_usd": str(alliance.total_usd),
            "deal_count": alliance.deal_count,
            "dominant_kind": alliance.dominant_kind,
            "first_announced": alliance.first_announced and alliance.first_announced.isoformat(),
            "latest_announced": alliance.latest_announced and alliance.latest_announced.isoformat(),
            "deal_ids": sorted(pk for pk in alliance.deals.values_list("pk", flat=True) if pk in published),
        }
        for alliance in alliances
    ]
    return {"nodes": list(nodes.values()), "edges": edges}


def network_colour(kind):
    from deals.figures.network import COMPANY_COLOURS

    return COMPANY_COLOURS[kind]


def _contrast(colour: str, against: str = "#ffffff") -> float:
    def luminance(hex_colour):
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(against)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_lines_and_points_have_palettes_of_their_own_with_a_legend(client, world):
    response = client.get("/network/")
    page = response.content.decode()
    data = drawing(response)

    line_colours = set(re.findall(r'<line [^>]*stroke="(#[0-9a-f]{6})"', page))
    point_colours = set(re.findall(r'<path d="[^"]+" fill="(#[0-9a-f]{6})" stroke="#1c2430"', page))
    assert len(line_colours) == len(DealKind) and len(point_colours) == len(CompanyKind)
    assert not line_colours & point_colours
    # Lines stand out from the white page (WCAG 1.4.11: 3:1); points carry a dark outline that does.
    assert min(_contrast(colour) for colour in line_colours) >= 3
    assert min(_contrast(colour, "#1c2430") for colour in point_colours) >= 3
    # Not by hue alone: lines come in three patterns, points in a shape for each kind.
    assert page.count('stroke-dasharray="7 4"') == 3 and page.count('stroke-dasharray="0.1 5"') == 3
    assert len(set(re.findall(r'<path d="([^"]+)" fill=', page))) == len(CompanyKind)
    for kind in DealKind:
        assert f"</svg>{kind.label}</li>" in page
    for kind in CompanyKind:
        assert f"</svg>{escape(str(kind.label))}</li>" in page

    edges = {(edge["source"], edge["target"]): edge for edge in data["edges"]}
    assert edges[("nvidia", "openai")]["line"] == "dashed"
    assert edges[("openai", "softbank")]["line"] == "solid"
    assert {edge["colour"] for edge in data["edges"]} <= line_colours
    shapes = {node["id"]: node["shape"] for node in data["nodes"]}
    assert shapes["nvidia"] == "diamond" and shapes["openai"] == "ellipse"
    assert {node["colour"] for node in data["nodes"]} <= point_colours
