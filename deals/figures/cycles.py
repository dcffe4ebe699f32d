"""Circular deals: loops of money between companies in the published deals (Amazon → OpenAI → Amazon).

The flows of `deals.figures.flows` make a directed graph of companies; every simple cycle of two to
MAX_LENGTH companies in it is a circular deal. The bound keeps the search and the page finite: on a
large, dense graph the number of long loops grows exponentially, and loops of more than five
companies say little a reader can follow. The search runs in a task (`deals.figures.tasks.rebuild_cycles`)
queued after each commit that changes published deals, and its results are kept in the Cycle table,
so pages read them in a few queries.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import islice

import networkx as nx
from django.db import transaction

from deals.figures.flows import Flow, flows, folded
from deals.models import Cycle, CycleLeg
from deals.rules import content_version

MAX_LENGTH = 5
# At most this many per view are kept; on a dense graph they are the ones that moved the most money.
MAX_KEPT = 10_000
# A leg between two giants may hold hundreds of deals; the page lists the largest and links to the rest.
DEALS_PER_LEG = 10
WRITE_BATCH = 2000


def cycles_by_smaller_flow(
    values: dict[tuple[int, int], Decimal | None], max_length: int = MAX_LENGTH
) -> Iterator[tuple[int, ...]]:
    """Every simple cycle of 2 to `max_length` nodes, each once, largest smaller-leg first.

    `values` gives each edge (payer, payee) its money, None when unknown (those come last). The
    edges are added to the graph from the largest down, and each addition yields the cycles it
    closes: a cycle appears when its smallest edge is added, so cycles come out sorted by it and
    a caller may stop after the first few thousand of a graph that holds millions.
    """
    on_cycles = _within_strong_components(values)
    order = sorted(on_cycles, key=lambda edge: (values[edge] is None, -(values[edge] or 0), edge))
    successors, predecessors = defaultdict(set), defaultdict(set)
    for payer, payee in order:
        successors[payer].add(payee)
        predecessors[payee].add(payer)
        for path in _paths_back(payee, payer, successors, predecessors, max_length - 1):
            yield _rotated((payer, *path))


def _within_strong_components(values) -> list[tuple[int, int]]:
    """The edges that can be on a cycle: those inside a strongly connected part of the graph."""
    graph = nx.DiGraph(edge for edge in values if edge[0] != edge[1])
    component = {}
    for number, members in enumerate(nx.strongly_connected_components(graph)):
        for node in members:
            component[node] = number
    return [(a, b) for a, b in graph.edges if component[a] == component[b]]


def _paths_back(start: int, goal: int, successors, predecessors, max_edges: int) -> Iterator[list[int]]:
    """Every simple path of at most `max_edges` edges from `start` to `goal` (which it does not list)."""
    distance = _distances_to(goal, predecessors, max_edges // 2 + 1)
    unknown = max_edges // 2 + 2
    path, on_path = [start], {start, goal}
    stack = [iter(successors[start])]
    while stack:
        for node in stack[-1]:
            if node == goal:
                if len(path) <= max_edges:
                    yield list(path)
            elif node not in on_path and len(path) + distance.get(node, unknown) <= max_edges:
                path.append(node)
                on_path.add(node)
                stack.append(iter(successors[node]))
                break
        else:
            stack.pop()
            on_path.discard(path.pop())


def _distances_to(goal: int, predecessors, depth: int) -> dict[int, int]:
    """How many edges each node needs to reach `goal`, for the nodes at most `depth` edges away."""
    distance = {goal: 0}
    frontier = [goal]
    for steps in range(1, depth + 1):
        following = []
        for node in frontier:
            for previous in predecessors[node]:
                if previous not in distance:
                    distance[previous] = steps
                    following.append(previous)
        frontier = following
    return distance


def _rotated(nodes: tuple[int, ...]) -> tuple[int, ...]:
    first = nodes.index(min(nodes))
    return nodes[first:] + nodes[:first]


@dataclass
class Step:
    """One leg of a loop: every flow from one company to the next, with what is known of its money."""

    payer_id: int
    payee_id: int
    flows: list[Flow]

    @cached_property
    def total_usd(self) -> Decimal | None:
        counted = [flow.counted_usd for flow in self.flows if flow.counted_usd is not None]
        return sum(counted, Decimal(0)) if counted else None

    @cached_property
    def further_usd(self) -> Decimal | None:
        """Money beyond the committed total that is only "up to", conditional or non-binding."""
        further = [flow.counted_further_usd for flow in self.flows if flow.counted_further_usd]
        return sum(further, Decimal(0)) if further else None

    @property
    def complete(self) -> bool:
        """Whether every deal of the leg has a known amount and counts (else the committed total is a floor)."""
        return all(flow.counted_usd is not None for flow in self.flows)

    def as_row(self, fold: bool) -> CycleLeg:
        """The leg as the CycleLeg table keeps it: its total and its largest deals (all of them when few)."""
        largest = sorted(self.flows, key=lambda flow: (flow.counted_usd is None, -(flow.counted_usd or 0)))
        return CycleLeg(
            folded=fold,
            payer_id=self.payer_id,
            payee_id=self.payee_id,
            total_usd=self.total_usd,
            further_usd=self.further_usd,
            complete=self.complete,
            deal_count=len(self.flows),
            deals=[
                {
                    "id": flow.deal_id,
                    "usd": _text(flow.amount_usd),
                    "further": _text(flow.further_usd or None),
                    "committed": flow.committed,
                }
                for flow in sorted(largest[:DEALS_PER_LEG], key=_chronological)
            ],
        )

    @cached_property
    def first_date(self):
        dates = [flow.announced_on for flow in self.flows if flow.announced_on]
        return min(dates) if dates else None

    @cached_property
    def years(self) -> set[int]:
        return {flow.announced_on.year for flow in self.flows if flow.announced_on}

    @cached_property
    def deal_ids(self) -> set[int]:
        return {flow.deal_id for flow in self.flows}


@dataclass
class FoundCycle:
    signature: str
    steps: list[Step]

    @property
    def company_ids(self) -> list[int]:
        return [step.payer_id for step in self.steps]

    @property
    def smaller_flow_usd(self) -> Decimal | None:
        """The least that went round the loop: the smallest leg, unknown when a leg's money is unknown."""
        totals = [step.total_usd for step in self.steps]
        return None if None in totals else min(totals)

    @cached_property
    def years(self) -> list[int]:
        return sorted(set().union(*(step.years for step in self.steps)))

    def as_row(self, fold: bool) -> Cycle:
        return Cycle(
            folded=fold,
            signature=self.signature,
            members="," + ",".join(map(str, self.company_ids)) + ",",
            length=len(self.steps),
            smaller_flow_usd=self.smaller_flow_usd,
            deal_count=len(set().union(*(step.deal_ids for step in self.steps))),
            first_year=self.years[0] if self.years else None,
            last_year=self.years[-1] if self.years else None,
        )


def find(
    all_flows: list[Flow] | None = None, *, max_length: int = MAX_LENGTH, limit: int = MAX_KEPT
) -> list[FoundCycle]:
    """The `limit` circular deals with the largest smaller leg, each told from the leg with its earliest deal.

    `all_flows` defaults to the published deals' flows, subsidiaries folded into their parents.
    """
    legs = defaultdict(list)
    for flow in flows() if all_flows is None else all_flows:
        legs[(flow.payer_id, flow.payee_id)].append(flow)
    steps = {edge: Step(*edge, leg) for edge, leg in legs.items()}
    found = []
    for nodes in islice(
        cycles_by_smaller_flow({edge: step.total_usd for edge, step in steps.items()}, max_length), limit
    ):
        ring = [steps[edge] for edge in zip(nodes, nodes[1:] + nodes[:1], strict=True)]
        found.append(FoundCycle("-".join(map(str, nodes)), _from_earliest(ring)))
    return found


def _chronological(flow: Flow):
    return (flow.announced_on is None, flow.announced_on, flow.deal_id)


def _from_earliest(steps: list[Step]) -> list[Step]:
    dated = [i for i, step in enumerate(steps) if step.first_date]
    first = min(dated, key=lambda i: steps[i].first_date) if dated else 0
    return steps[first:] + steps[:first]


def refresh() -> int:
    """Rebuild the Cycle and CycleLeg tables from the published deals, folded and unfolded; return the loops kept.

    The search (seconds at 100,000 deals) runs before the write transaction, so on SQLite other
    writers wait only for the rewrite of the tables.
    """
    separate = flows(fold=False)
    views = [(fold, find(view)) for fold, view in ((True, folded(separate)), (False, separate))]
    written = 0
    with transaction.atomic():
        Cycle.objects.all().delete()
        CycleLeg.objects.all().delete()
        for fold, found in views:
            legs = {id(step): step for cycle in found for step in cycle.steps}
            CycleLeg.objects.bulk_create((step.as_row(fold) for step in legs.values()), batch_size=WRITE_BATCH)
            written += len(Cycle.objects.bulk_create((cycle.as_row(fold) for cycle in found), batch_size=WRITE_BATCH))
        # Rebuilt after the change that asked for it committed: pages counting the loops must see new ones.
        content_version.bump()
    return written


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)
