"""The network of alliances as nodes and edges: for the page's drawing, and as JSON and GraphML downloads.

Nodes are corporate groups (alliances already count AWS as Amazon), edges are alliances, with
their US-dollar total, their dominant kind of deal and, for the downloads, their published deals.
"""

import functools
import json
import math
from collections import defaultdict
from decimal import Decimal
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils.translation import gettext as _

from deals.core.batches import batches
from deals.core.choices import CompanyKind, DealKind, Publication
from deals.core.links import detail_url_maker
from deals.models import Alliance, Deal

# Lines (kinds of deal) and points (kinds of company) are told apart by more than hue, for colour-blind readers:
# lines are dark (at least 3:1 against the white page, WCAG 1.4.11) and drawn solid for money for a stake,
# dashed for goods and services bought, dotted for working together; points are light fills with a dark outline,
# each kind its own shape. The two palettes share no colour. Lines' colours are also the charts' (charts.py).
SOLID, DASHED, DOTTED = "solid", "dashed", "dotted"
DEAL_KIND_LINES = {
    DealKind.EQUITY: ("#0072b2", SOLID),
    DealKind.CONVERTIBLE_NOTE: ("#332288", SOLID),
    DealKind.FUNDING_ROUND: ("#009e73", SOLID),
    DealKind.ACQUISITION: ("#882255", SOLID),
    DealKind.RECAPITALISATION: ("#996600", SOLID),
    DealKind.CLOUD_COMPUTE: ("#d55e00", DASHED),
    DealKind.CHIP_SUPPLY: ("#aa4499", DASHED),
    DealKind.EXCLUSIVE_DISTRIBUTION: ("#117733", DASHED),
    DealKind.PARTNERSHIP: ("#cc6677", DOTTED),
    DealKind.JOINT_VENTURE: ("#999933", DOTTED),
    DealKind.OTHER: ("#6b6b6b", DOTTED),
}
KIND_COLOURS = {kind: colour for kind, (colour, _line) in DEAL_KIND_LINES.items()}
# Shapes as Cytoscape names them; the legend draws the same shapes (SHAPE_PATHS).
COMPANY_MARKS = {
    CompanyKind.AI_LAB: ("#77aadd", "ellipse"),
    CompanyKind.BIG_TECH: ("#ee8866", "round-rectangle"),
    CompanyKind.CLOUD: ("#99ddff", "hexagon"),
    CompanyKind.CHIPMAKER: ("#bbcc33", "diamond"),
    CompanyKind.INVESTOR: ("#eedd88", "triangle"),
    CompanyKind.INFRASTRUCTURE: ("#44bb99", "rectangle"),
    CompanyKind.OTHER: ("#dddddd", "octagon"),
}
COMPANY_COLOURS = {kind: colour for kind, (colour, _shape) in COMPANY_MARKS.items()}
OUTLINE = "#1c2430"
MIN_WIDTH, MAX_WIDTH = 1.0, 12.0
# Each shape in a 16 × 16 box, for the legend's swatches.
SHAPE_PATHS = {
    "ellipse": "M8 1.5a6.5 6.5 0 1 0 0.01 0Z",
    "round-rectangle": "M4 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Z",
    "hexagon": "M4.5 2h7l3.5 6-3.5 6h-7L1 8Z",
    "diamond": "M8 1l7 7-7 7-7-7Z",
    "triangle": "M8 1.5l7 12.5H1Z",
    "rectangle": "M2 2h12v12H2Z",
    "octagon": "M5.5 1.5h5l4 4v5l-4 4h-5l-4-4v-5Z",
}


def legend() -> dict[str, list[dict]]:
    """The drawing's key: each kind of deal (a line: colour and pattern) and of company (a point: fill and shape)."""
    return {
        "deals": [
            {"label": kind.label, "colour": colour, "line": line}
            for kind, (colour, line) in ((kind, DEAL_KIND_LINES[kind]) for kind in DealKind)
        ],
        "companies": [
            {"label": kind.label, "colour": fill, "shape": shape, "path": SHAPE_PATHS[shape], "outline": OUTLINE}
            for kind, (fill, shape) in ((kind, COMPANY_MARKS[kind]) for kind in CompanyKind)
        ],
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
    url_of = detail_url_maker("deals:company-detail", "slug")
    nodes = {}
    for alliance in alliances:
        for company in (alliance.company_a, alliance.company_b):
            if company.pk not in nodes:
                node = _node_of(company.slug, company.name, company.kind, url_of)
                shape = COMPANY_MARKS.get(company.kind, COMPANY_MARKS[CompanyKind.OTHER])[1]
                nodes[company.pk] = {**node, "shape": shape}
    edges = [
        {
            "id": alliance.slug,
            "source": alliance.company_a.slug,
            "target": alliance.company_b.slug,
            "total_usd": str(alliance.total_usd),
            "width": width,
            "kind": alliance.dominant_kind,
            "colour": KIND_COLOURS.get(alliance.dominant_kind, KIND_COLOURS[DealKind.OTHER]),
            "line": DEAL_KIND_LINES.get(alliance.dominant_kind, DEAL_KIND_LINES[DealKind.OTHER])[1],
            "deal_count": alliance.deal_count,
            "label": _("%(a)s and %(b)s") % {"a": alliance.company_a.name, "b": alliance.company_b.name},
        }
        for alliance, width in zip(alliances, edge_widths([a.total_usd for a in alliances]), strict=True)
    ]
    return {"nodes": list(nodes.values()), "edges": edges}


# Rows read from the database at a time; the downloads hold one such chunk, never the whole network.
CHUNK = 2000
# Nodes whose GraphML edges are read together (each edge is written under the node of its pair seen first).
NODES_PER_BATCH = 500
# What the downloads write at a time.
WRITE_BYTES = 64 * 1024
EDGE_FIELDS = ("pk", "total_usd", "deal_count", "dominant_kind", "first_announced", "latest_announced")


def _ordered(alliances):
    return alliances.order_by("-total_usd", "slug")


def download_nodes(alliances) -> list[dict]:
    """The companies of the filtered alliances, in the order they first appear in the largest-first list."""
    url_of = detail_url_maker("deals:company-detail", "slug")
    sides = [(f"{side}_id", f"{side}__slug", f"{side}__name", f"{side}__kind") for side in ("company_a", "company_b")]
    rows = _ordered(alliances).values_list(*sides[0], *sides[1])
    nodes = {}
    for row in rows.iterator(chunk_size=CHUNK):
        for pk, slug, name, kind in (row[:4], row[4:]):
            if pk not in nodes:
                nodes[pk] = _node_of(slug, name, kind, url_of)
    return nodes


def _node_of(slug, name, kind, url_of) -> dict:
    return {
        "id": slug,
        "label": name,
        "kind": kind,
        "colour": COMPANY_COLOURS.get(kind, COMPANY_COLOURS[CompanyKind.OTHER]),
        "url": url_of(slug),
    }


def _published_links(alliances):
    """(alliance id, deal id) of the filtered alliances' published deals, largest alliance first, then by deal: the
    alliances joined to their deals, which SQLite reads in time linear in the links with or without statistics
    (a subquery `alliance IN (filtered alliances)` let it drive from every published deal without them, and probe
    each against every alliance: quadratic)."""
    linked = _ordered(alliances).filter(deals__publication=Publication.PUBLISHED)
    return linked.order_by("-total_usd", "slug", "deals__id").values_list("pk", "deals__id")


def _published_deal_ids(alliance_ids: list[int]) -> dict[int, list[int]]:
    """{alliance id: its published deals' ids, ascending} of these alliances, a chunk at a time, in queries that
    SQLite can only read through an index (the links by alliance, the deals by id), with or without statistics:
    a join to the deals, or a filter on alliances, let it read every published deal for each batch of nodes."""
    deal_ids = defaultdict(list)
    for chunk in batches(alliance_ids, CHUNK):
        links = Alliance.deals.through.objects.filter(alliance_id__in=chunk).order_by("alliance_id", "deal_id")
        links = list(links.values_list("alliance_id", "deal_id"))
        drafts = Deal.objects.filter(pk__in={deal for _alliance, deal in links}).exclude(
            publication=Publication.PUBLISHED
        )
        unpublished = set(drafts.values_list("pk", flat=True))
        for alliance_id, deal_id in links:
            if deal_id not in unpublished:
                deal_ids[alliance_id].append(deal_id)
    return deal_ids


def download_edges(alliances, slugs: dict[int, str]):
    """Each filtered alliance as an edge with its published deals, largest first: the alliances and their deal
    links are read side by side in the same order, a chunk at a time."""
    rows = _ordered(alliances).values_list("company_a_id", "company_b_id", *EDGE_FIELDS).iterator(chunk_size=CHUNK)
    links = _published_links(alliances).iterator(chunk_size=CHUNK)
    link = next(links, None)
    for row in rows:
        deal_ids = []
        while link is not None and link[0] == row[2]:
            deal_ids.append(link[1])
            link = next(links, None)
        # An alliance written after the nodes were read has no node yet: left out, as it was not there.
        if row[0] in slugs and row[1] in slugs:
            yield _edge(slugs[row[0]], slugs[row[1]], row[3:], deal_ids)


def _edge(source: str, target: str, figures, deal_ids: list[int]) -> dict:
    total_usd, deal_count, dominant_kind, first_announced, latest_announced = figures
    return {
        "source": source,
        "target": target,
        "total_usd": str(total_usd),
        "deal_count": deal_count,
        "dominant_kind": dominant_kind,
        "first_announced": first_announced and first_announced.isoformat(),
        "latest_announced": latest_announced and latest_announced.isoformat(),
        "deal_ids": deal_ids,
    }


def json_chunks(alliances):
    """The filtered network as JSON (`{"nodes": [...], "edges": [...]}`, as json.dumps writes it), in pieces."""
    nodes = download_nodes(alliances)
    slugs = {pk: node["id"] for pk, node in nodes.items()}
    dumps = functools.partial(json.dumps, ensure_ascii=False)
    yield '{"nodes": [' + ", ".join(map(dumps, nodes.values())) + '], "edges": ['
    del nodes
    for number, edge in enumerate(download_edges(alliances, slugs)):
        yield (", " if number else "") + dumps(edge)
    yield "]}"


def graphml_edges(alliances, nodes: dict[int, dict]):
    """The edges in the order networkx writes an undirected graph's: node by node (in the nodes' order), the
    edges to nodes after it, in the order they were added (largest first), the earlier node as source."""
    place = {pk: number for number, pk in enumerate(nodes)}
    order = list(nodes)
    for start in range(0, len(order), NODES_PER_BATCH):
        batch = order[start : start + NODES_PER_BATCH]
        touching = alliances.filter(Q(company_a__in=batch) | Q(company_b__in=batch))
        owned = []
        rows = _ordered(touching).values_list("company_a_id", "company_b_id", *EDGE_FIELDS)
        for a, b, *figures in rows.iterator(chunk_size=CHUNK):
            if a not in place or b not in place:
                continue  # written after the nodes were read
            first, second = (a, b) if place[a] < place[b] else (b, a)
            if start <= place[first] < start + NODES_PER_BATCH:
                owned.append((place[first], nodes[first]["id"], nodes[second]["id"], figures))
        deal_ids = _published_deal_ids([figures[0] for *_edge, figures in owned])
        owned.sort(key=lambda edge: edge[0])  # stable: each node's edges stay largest first
        for _place, source, target, (pk, *figures) in owned:
            yield _edge(source, target, figures, deal_ids.get(pk, []))


def graphml_chunks(alliances):
    """The filtered network as GraphML, exactly as networkx's generate_graphml (undirected, pretty-printed, deal
    ids as a comma-separated attribute, GraphML having no lists) writes it, element by element."""
    nodes = download_nodes(alliances)
    node_keys = ("label", "kind", "colour", "url")
    keys = [("d0", "graph", "name", "string")]
    if nodes:
        keys += [(f"d{number}", "node", name, "string") for number, name in enumerate(node_keys, start=1)]
    has_edges = bool(nodes)  # every node comes from an edge
    if has_edges:
        edge_keys = [("total_usd", "double"), ("deal_count", "long")]
        edge_keys += [(name, "string") for name in EDGE_TEXTS]
        keys += [(f"d{number}", "edge", name, kind) for number, (name, kind) in enumerate(edge_keys, start=5)]
    yield f"<graphml {GRAPHML_NAMESPACES}>\n"
    for key_id, scope, name, kind in reversed(keys):
        yield f'  <key id="{key_id}" for="{scope}" attr.name="{name}" attr.type="{kind}" />\n'
    yield '  <graph edgedefault="undirected">\n'
    for node in nodes.values():
        data = "".join(_data(f"d{number}", node[name]) for number, name in enumerate(node_keys, start=1))
        yield _graphml_text(f"    <node id={_attribute(node['id'])}>\n{data}    </node>\n")
    for edge in graphml_edges(alliances, nodes):
        values = [
            repr(float(edge["total_usd"])),
            str(edge["deal_count"]),
            edge["dominant_kind"],
            edge["first_announced"] or "",
            edge["latest_announced"] or "",
            ",".join(map(str, edge["deal_ids"])),
        ]
        data = "".join(_data(f"d{number}", value) for number, value in enumerate(values, start=5))
        yield _graphml_text(
            f"    <edge source={_attribute(edge['source'])} target={_attribute(edge['target'])}>\n{data}    </edge>\n"
        )
    yield '    <data key="d0">Dealsite alliances</data>\n  </graph>\n</graphml>\n'


GRAPHML_NAMESPACES = (
    'xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"'
)
EDGE_TEXTS = ("dominant_kind", "first_announced", "latest_announced", "deal_ids")


def _data(key: str, value: str) -> str:
    if not value:
        return f'      <data key="{key}" />\n'
    return f'      <data key="{key}">{escape(value)}</data>\n'


def _attribute(value: str) -> str:
    """An attribute's value in double quotes, escaped as ElementTree escapes it."""
    return '"' + escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}) + '"'


def _graphml_text(text: str) -> str:
    """As ElementTree writes it for networkx: ASCII, other characters as references; and as networkx gives it,
    split into lines (splitlines() also breaks at a carriage return) joined by line feeds."""
    text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return "".join(f"{line}\n" for line in text.splitlines())


def encoded(pieces, size: int = WRITE_BYTES):
    """Text pieces as UTF-8 bytes, joined into writes of about `size` bytes."""
    buffer, length = [], 0
    for piece in pieces:
        data = piece.encode()
        buffer.append(data)
        length += len(data)
        if length >= size:
            yield b"".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield b"".join(buffer)
