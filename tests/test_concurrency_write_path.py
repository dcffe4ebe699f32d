"""Writers that really race: each in its own thread with its own database connection, released together by a barrier.

Only on PostgreSQL: SQLite lets one writer at a time into the whole database, so the row locks these tests are
about do not exist there. Each test runs TRIALS races on a fresh deal and reports how many went wrong.
"""

import re
import threading
from functools import partial

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.admin_forms import deal_form, party
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_deal, make_user

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (one writer at a time for the whole file), so there is "
        "no race to test; run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

TRIALS = 10
CONFLICT = "This deal was changed by"


def _race(*writers):
    """Run the writers at once, each in a thread of its own (so a connection of its own); return their results."""
    barrier = threading.Barrier(len(writers))
    results = [None] * len(writers)

    def run(index, writer):
        try:
            barrier.wait(timeout=30)
            results[index] = writer()
        except Exception as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, writer)) for index, writer in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


@pytest.fixture
def pair(db):
    return CompanyFactory(name="Amazon", slug="amazon"), CompanyFactory(name="Anthropic", slug="anthropic")


def _deal(pair, trial):
    amazon, anthropic = pair
    return make_deal(amazon, anthropic, published=False, title=f"Deal {trial}", slug=f"deal-{trial}", summary="old")


def _admin_post_data(deal, version, **fields):
    parties = list(deal.parties.order_by("pk"))
    citations = list(deal.citations.order_by("pk"))
    return deal_form(
        slug=deal.slug,
        parties=[{**party(p.company, p.role), "id": p.pk, "deal": deal.pk} for p in parties],
        citations=[
            {"id": c.pk, "deal": deal.pk, "source": c.source_id, "supports": c.supports, "quote": c.quote}
            for c in citations
        ],
        initial={"parties": len(parties), "citations": len(citations)},
        version=version,
        **{"summary": deal.summary, **fields},
    )


def _admin_client(name):
    client = Client()
    client.force_login(make_user(name, "Editors"))
    return client


def _admin_saved(response) -> bool:
    """A save the admin accepted redirects; a refused one shows the form again with the conflict message."""
    if response.status_code == 302:
        return True
    assert response.status_code == 200 and CONFLICT in response.content.decode(), response.status_code
    return False


def test_two_api_patches_of_different_fields_keep_both_and_raise_the_version_by_two(pair):
    alice, bob = token_client(make_user("alice", "Editors")), token_client(make_user("bob", "Editors"))
    lost = []
    for trial in range(TRIALS):
        deal = _deal(pair, trial)
        url = f"/api/v1/deals/{deal.slug}/"
        responses = _race(
            partial(alice.patch, url, {"title": "Alice's title"}, format="json"),
            partial(bob.patch, url, {"summary": "Bob's summary"}, format="json"),
        )
        assert [r.status_code for r in responses] == [200, 200], [r.content for r in responses]
        deal.refresh_from_db()
        kept = (deal.title, deal.summary, deal.version) == ("Alice's title", "Bob's summary", 3)
        if not kept:
            lost.append((trial, deal.title, deal.summary, deal.version))
    assert not lost, f"{len(lost)} of {TRIALS} trials lost a change or a version: {lost}"


def test_two_admin_saves_at_one_version_accept_exactly_one(pair):
    alice, bob = _admin_client("alice"), _admin_client("bob")
    wrong = []
    for trial in range(TRIALS):
        deal = _deal(pair, trial)
        url = reverse("admin:deals_deal_change", args=[deal.pk])
        version = re.search(r'name="version" value="(\d+)"', alice.get(url).content.decode()).group(1)
        responses = _race(
            partial(alice.post, url, _admin_post_data(deal, version, title="Alice's title")),
            partial(bob.post, url, _admin_post_data(deal, version, title="Bob's title")),
        )
        accepted = [_admin_saved(response) for response in responses]
        deal.refresh_from_db()
        winner = "Alice's title" if accepted[0] else "Bob's title"
        if accepted.count(True) != 1 or deal.title != winner or deal.version != int(version) + 1:
            wrong.append((trial, accepted, deal.title, deal.version))
    assert not wrong, f"{len(wrong)} of {TRIALS} trials did not refuse the second save: {wrong}"


def test_an_admin_save_and_an_api_patch_at_one_version_accept_exactly_one(pair):
    alice, bob = _admin_client("alice"), token_client(make_user("bob", "Editors"))
    wrong = []
    for trial in range(TRIALS):
        deal = _deal(pair, trial)
        url = reverse("admin:deals_deal_change", args=[deal.pk])
        version = deal.version
        responses = _race(
            partial(alice.post, url, _admin_post_data(deal, version, title="Alice's title")),
            partial(
                bob.patch,
                f"/api/v1/deals/{deal.slug}/",
                {"summary": "Bob's summary", "version": version},
                format="json",
            ),
        )
        admin_saved = _admin_saved(responses[0])
        assert responses[1].status_code in (200, 409), responses[1].content
        api_saved = responses[1].status_code == 200
        deal.refresh_from_db()
        expected = ("Alice's title", "old") if admin_saved else (f"Deal {trial}", "Bob's summary")
        if admin_saved == api_saved or (deal.title, deal.summary) != expected or deal.version != version + 1:
            wrong.append((trial, admin_saved, api_saved, deal.title, deal.summary, deal.version))
    assert not wrong, f"{len(wrong)} of {TRIALS} trials did not refuse the second save: {wrong}"
