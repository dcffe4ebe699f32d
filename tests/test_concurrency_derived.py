"""The derived figures (money flows, alliances, company totals and years) under writers that really race.

Each writer runs in its own thread with its own connection and transaction (tests.test_concurrency_write_path),
released together by a barrier. A refresh of derived rows must never fail the editor's save, and once the
writers are done every stored figure must be what `check_figures` computes from the deals.
"""

import time
from decimal import Decimal
from functools import partial

import pytest
from django.conf import settings

from deals.core.choices import DealKind, RelationKind
from deals.figures import alliances, company_totals, flows
from deals.figures.figures_check import differences
from deals.models import Alliance, DealRelation, MoneyFlow
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_deal, make_user
from tests.test_concurrency_write_path import _race

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: SQLite lets one writer at a time into the whole file, so derived rows cannot "
        "race; run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

TRIALS = 15


def _pair(trial):
    return (
        CompanyFactory(name=f"Investor {trial}", slug=f"investor-{trial}"),
        CompanyFactory(name=f"Lab {trial}", slug=f"lab-{trial}"),
    )


def _parties(investor, investee, share):
    return [
        {"company": investor.slug, "role": "investor", "amount": str(share)},
        {"company": investee.slug, "role": "investee"},
    ]


def _client(name, *groups):
    """An API client that answers 500 for a server error, as a real client sees it, instead of raising it."""
    client = token_client(make_user(name, *groups))
    client.raise_request_exception = False
    return client


def _figures_wrong() -> list[str]:
    return [str(difference) for difference in differences()]


def test_two_api_writes_to_two_deals_of_one_pair_answer_2xx_and_keep_the_alliance_right():
    alice, bob = _client("alice", "Editors"), _client("bob", "Editors")
    failed, wrong = [], []
    for trial in range(TRIALS):
        investor, lab = _pair(trial)
        first = make_deal(investor, lab, slug=f"first-{trial}", kind=DealKind.EQUITY, amount=Decimal(1_000_000))
        second = make_deal(investor, lab, slug=f"second-{trial}", kind=DealKind.CONVERTIBLE_NOTE, amount=Decimal(2e6))
        # Each write changes the money and replaces the parties: a save and four party changes, each refreshing
        # the flows, the pair's alliance and both companies' totals and years inside the request.
        responses = _race(
            partial(
                alice.patch,
                f"/api/v1/deals/{first.slug}/",
                {"amount": "3000000", "parties": _parties(investor, lab, 3_000_000)},
                format="json",
            ),
            partial(
                bob.patch,
                f"/api/v1/deals/{second.slug}/",
                {"amount": "5000000", "kind": "cloud_compute", "parties": _parties(investor, lab, 5_000_000)},
                format="json",
            ),
        )
        codes = [response.status_code for response in responses]
        if any(code >= 300 for code in codes):
            failed.append((trial, codes))
        alliance = Alliance.objects.get(slug=f"investor-{trial}--lab-{trial}")
        if (alliance.deal_count, alliance.total_usd) != (2, Decimal(8_000_000)):
            wrong.append((trial, alliance.deal_count, alliance.total_usd))
    requests = 2 * TRIALS
    errors = sum(code >= 300 for _trial, codes in failed for code in codes)
    assert not failed and not wrong, (
        f"{errors} of {requests} requests failed: {failed}; {len(wrong)} of {TRIALS} alliances wrong: {wrong}"
    )
    assert not _figures_wrong()


def test_two_api_writes_to_two_parts_of_one_deal_rewrite_its_flows_once():
    """Both writes rewrite the container's money flows (it counts what its parts do not carry)."""
    alice, bob = _client("alice", "Editors"), _client("bob", "Editors")
    failed, wrong = [], []
    for trial in range(TRIALS):
        investor, lab = _pair(trial)
        container = make_deal(investor, lab, slug=f"round-{trial}", amount=Decimal(10_000_000))
        parts = [make_deal(investor, lab, slug=f"part-{n}-{trial}", amount=Decimal(1_000_000)) for n in (1, 2)]
        for part in parts:
            DealRelation.objects.create(from_deal=part, to_deal=container, kind=RelationKind.PART_OF)
        responses = _race(
            *(
                partial(client.patch, f"/api/v1/deals/{part.slug}/", {"amount": "2000000"}, format="json")
                for client, part in zip((alice, bob), parts, strict=True)
            )
        )
        codes = [response.status_code for response in responses]
        if any(code >= 300 for code in codes):
            failed.append((trial, codes))
        container_flows = MoneyFlow.objects.filter(deal=container).values_list("committed_usd", flat=True)
        found = _figures_wrong()
        if list(container_flows) != [Decimal(6_000_000)] or found:
            wrong.append((trial, list(container_flows), found[:3]))
    errors = sum(code >= 300 for _trial, codes in failed for code in codes)
    assert not failed and not wrong, (
        f"{errors} of {2 * TRIALS} requests failed: {failed}; "
        f"{len(wrong)} of {TRIALS} trials left the container's flows wrong: {wrong}"
    )


def _full_rebuild():
    flows.rebuild()
    alliances.refresh()
    company_totals.refresh()


def test_a_deal_published_during_a_full_rebuild_is_published_and_every_figure_agrees():
    publisher = _client("paula", "Editors", "Publishers")
    # Enough published deals that the full rebuild takes a while.
    for number in range(12):
        investor, lab = _pair(f"x{number}")
        make_deal(investor, lab, slug=f"published-{number}", amount=Decimal(1_000_000 + number))
    failed, wrong = [], []
    for trial in range(TRIALS):
        investor, lab = _pair(trial)
        make_deal(investor, lab, slug=f"old-{trial}", kind=DealKind.EQUITY, amount=Decimal(1_000_000))
        draft = make_deal(investor, lab, published=False, slug=f"draft-{trial}", amount=Decimal(4_000_000))

        def publish(draft=draft, pause=(trial % 5) * 0.01):
            time.sleep(pause)  # from the rebuild's start to its end, over the trials
            return publisher.patch(f"/api/v1/deals/{draft.slug}/", {"publication": "published"}, format="json")

        _rebuilt, response = _race(_full_rebuild, publish)
        if response.status_code != 200:
            failed.append((trial, response.status_code, response.content[:300]))
        found = _figures_wrong()
        if found:
            wrong.append((trial, found[:3]))
    assert not failed and not wrong, (
        f"{len(failed)} of {TRIALS} publishes failed: {failed}; "
        f"{len(wrong)} of {TRIALS} trials left figures that differ from the deals: {wrong}"
    )
