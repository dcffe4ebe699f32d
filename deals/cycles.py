"""Circular deals: loops of money between companies in the published deals (Amazon → OpenAI → Amazon).

The flows of `deals.flows` make a directed graph of companies; every simple cycle of two to
MAX_LENGTH companies in it is a circular deal. The bound keeps the search and the page finite: on a
large, dense graph the number of long loops grows exponentially, and loops of more than five
companies say little a reader can follow. The search runs after each commit that changes published
deals and its results are kept in the Cycle table, so pages read them in a few queries.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import islice

import networkx as nx
from django.db import transaction

from deals.flows import Flow, flows
from deals.models import Cycle

MAX_LENGTH = 5
# At most this many per view are kept; on a dense graph they are the ones that moved the most money.
MAX_KEPT = 10_000
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

    @property
    def complete(self) -> bool:
        """Whether every deal of the leg has a known, committed amount (else the total is a floor)."""
        return all(flow.counted_usd is not None for flow in self.flows)

    @property
    def first_date(self):
        dates = [flow.announced_on for flow in self.flows if flow.announced_on]
        return min(dates) if dates else None


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

    @property
    def years(self) -> list[int]:
        return sorted({flow.announced_on.year for step in self.steps for flow in step.flows if flow.announced_on})


def find(*, fold: bool = True, max_length: int = MAX_LENGTH, limit: int = MAX_KEPT) -> list[FoundCycle]:
    """The `limit` circular deals with the largest smaller leg, each told from the leg with its earliest deal."""
    legs = defaultdict(list)
    for flow in flows(fold=fold):
        legs[(flow.payer_id, flow.payee_id)].append(flow)
    steps = {edge: Step(*edge, sorted(leg, key=_chronological)) for edge, leg in legs.items()}
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


@transaction.atomic
def refresh() -> None:
    """Rebuild the Cycle table from the published deals, folded and unfolded."""
    Cycle.companies.through.objects.all().delete()
    Cycle.objects.all().delete()
    for fold in (True, False):
        found = find(fold=fold)
        for start in range(0, len(found), WRITE_BATCH):
            _write(found[start : start + WRITE_BATCH], fold)


def _write(found: list[FoundCycle], fold: bool) -> None:
    rows = Cycle.objects.bulk_create(
        [
            Cycle(
                folded=fold,
                signature=cycle.signature,
                length=len(cycle.steps),
                steps=[_step_json(step) for step in cycle.steps],
                smaller_flow_usd=cycle.smaller_flow_usd,
                deal_count=len({flow.deal_id for step in cycle.steps for flow in step.flows}),
                first_year=cycle.years[0] if cycle.years else None,
                last_year=cycle.years[-1] if cycle.years else None,
            )
            for cycle in found
        ]
    )
    Cycle.companies.through.objects.bulk_create(
        [
            Cycle.companies.through(cycle_id=row.pk, company_id=company_id)
            for row, cycle in zip(rows, found, strict=True)
            for company_id in cycle.company_ids
        ]
    )


def _step_json(step: Step) -> dict:
    return {
        "payer": step.payer_id,
        "payee": step.payee_id,
        "total_usd": _text(step.total_usd),
        "complete": step.complete,
        "deals": [
            {"id": flow.deal_id, "usd": _text(flow.amount_usd), "committed": flow.committed} for flow in step.flows
        ],
    }


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def refresh_on_commit(using=None) -> None:
    """Rebuild the cycles once the current transaction commits; of many calls in one transaction, the last runs."""
    connection = transaction.get_connection(using)
    ticket = object()
    connection.cycles_refresh_ticket = ticket

    def run():
        if getattr(connection, "cycles_refresh_ticket", None) is ticket:
            refresh()

    transaction.on_commit(run, using=using)
