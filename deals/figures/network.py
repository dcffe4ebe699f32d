"""The network of alliances as nodes and edges: for the page's drawing, and as JSON and GraphML downloads.

Nodes are corporate groups (alliances already count AWS as Amazon), edges are alliances, with
their US-dollar total, their dominant kind of deal and, for the downloads, their published deals.
"""

import math
from collections import defaultdict
from decimal import Decimal

import networkx as nx
from django.urls import reverse
from django.utils.translation import gettext as _

from deals.core.choices import CompanyKind, DealKind
from deals.models import Alliance, Deal

# One colour per kind of deal, shared by the drawing, its legend and the charts.
KIND_COLOURS = {
    DealKind.EQUITY: "#1f77b4",
    DealKind.CONVERTIBLE_NOTE: "#17becf",
    DealKind.FUNDING_ROUND: "#2ca02c",
    DealKind.CLOUD_COMPUTE: "#ff7f0e",
    DealKind.CHIP_SUPPLY: "#d62728",
    DealKind.PARTNERSHIP: "#9467bd",
    DealKind.EXCLUSIVE_DISTRIBUTION: "#8c564b",
    DealKind.ACQUISITION: "#e377c2",
    DealKind.JOINT_VENTURE: "#bcbd22",
    DealKind.RECAPITALISATION: "#393b79",
    DealKind.OTHER: "#7f7f7f",
}
COMPANY_COLOURS = {
    CompanyKind.AI_LAB: "#0f5f8c",
    CompanyKind.BIG_TECH: "#1c2430",
    CompanyKind.CLOUD: "#ff7f0e",
    CompanyKind.CHIPMAKER: "#d62728",
    CompanyKind.INVESTOR: "#2ca02c",
    CompanyKind.INFRASTRUCTURE: "#9467bd",
    CompanyKind.OTHER: "#7f7f7f",
}
MIN_WIDTH, MAX_WIDTH = 1.0, 12.0


def legend() -> dict[str, list[tuple[str, str]]]:
    """(label, colour) of each kind of deal (the lines) and of company (the points)."""
    return {
        "deals": [(kind.label, KIND_COLOURS[kind]) for kind in DealKind],
        "companies": [(kind.label, COMPANY_COLOURS[kind]) for kind in CompanyKind],
    }


def edge_widths(totals: list[Decimal]) -> list[float]:
    """Line widths growing with the logarithm of the money, so $100M and $100B both stay visible."""
    logs = [math.log10(float(total)) if total and total > 0 else None for total in totals]
    known = [value for value in logs if value is not None]
    if not known:
        return [MIN_WIDTH for _total in totals]
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    return [
        MIN_WIDTH if value is None else round(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * (value - low) / span, 2)
        for value in logs
    ]


def graph_data(alliances) -> dict:
    """Nodes and edges of the page's drawing, for alliances with their companies selected."""
    alliances = list(alliances)
    nodes = {}
    for alliance in alliances:
        for company in (alliance.company_a, alliance.company_b):
            nodes.setdefault(company.pk, _node(company))
    edges = [
        {
            "id": alliance.slug,
            "source": alliance.company_a.slug,
            "target": alliance.company_b.slug,
            "total_usd": str(alliance.total_usd),
            "width": width,
            "kind": alliance.dominant_kind,
            "colour": KIND_COLOURS.get(alliance.dominant_kind, KIND_COLOURS[DealKind.OTHER]),
            "deal_count": alliance.deal_count,
            "label": _("%(a)s and %(b)s") % {"a": alliance.company_a.name, "b": alliance.company_b.name},
        }
        for alliance, width in zip(alliances, edge_widths([a.total_usd for a in alliances]), strict=True)
    ]
    return {"nodes": list(nodes.values()), "edges": edges}


def _node(company) -> dict:
    return {
        "id": company.slug,
        "label": company.name,
        "kind": company.kind,
        "colour": COMPANY_COLOURS.get(company.kind, COMPANY_COLOURS[CompanyKind.OTHER]),
        "url": reverse("deals:company-detail", kwargs={"slug": company.slug}),
    }


def download_data(alliances) -> dict:
    """The whole filtered network with each edge's published deals, in four queries."""
    alliances = list(alliances.select_related("company_a", "company_b").order_by("-total_usd", "slug"))
    deal_ids = defaultdict(list)
    links = Alliance.deals.through.objects.filter(
        alliance__in=[a.pk for a in alliances], deal__in=Deal.objects.published()
    ).order_by("alliance_id", "deal_id")
    for alliance_id, deal_id in links.values_list("alliance_id", "deal_id"):
        deal_ids[alliance_id].append(deal_id)
    nodes = {}
    for alliance in alliances:
        for company in (alliance.company_a, alliance.company_b):
            nodes.setdefault(company.pk, _node(company))
    edges = [
        {
            "source": alliance.company_a.slug,
            "target": alliance.company_b.slug,
            "total_usd": str(alliance.total_usd),
            "deal_count": alliance.deal_count,
            "dominant_kind": alliance.dominant_kind,
            "first_announced": alliance.first_announced and alliance.first_announced.isoformat(),
            "latest_announced": alliance.latest_announced and alliance.latest_announced.isoformat(),
            "deal_ids": deal_ids[alliance.pk],
        }
        for alliance in alliances
    ]
    return {"nodes": list(nodes.values()), "edges": edges}


def graphml_lines(data: dict):
    """The network as GraphML (undirected; deal ids as a comma-separated attribute, GraphML having no lists)."""
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
    return nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)
