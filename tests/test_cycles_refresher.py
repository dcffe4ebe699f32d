"""Circular deals rebuilt off the request path: a save returns at once, the background thread catches up."""

import io
import threading
from unittest import mock

import pytest
from django.core.management import call_command

from deals import cycles
from deals.cycles_refresher import Refresher, refresher
from deals.models import Cycle
from tests.money_world import buys, company, invests

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def in_background(settings):
    settings.CYCLES_REFRESH_IN_BACKGROUND = True
    yield
    assert refresher.wait(timeout=30)


def test_the_thread_finds_the_new_loop(in_background, client):
    # The test database is SQLite in memory with a shared cache, where a write meeting the thread's fails at once
    # rather than waiting as on a file: the deals are saved first, then the thread is asked, as a save asks it.
    with mock.patch("deals.cycles_refresher.refresher.request") as request:
        a, b = company("a"), company("b")
        invests(a, b, 2)
        buys(b, a, 1)
    assert request.called
    assert not Cycle.objects.exists()
    refresher.request()
    assert refresher.wait(timeout=30)
    assert Cycle.objects.filter(folded=True).count() == 1
    content = client.get("/circular/").content.decode()
    assert content.count('class="card loop"') == 1
    assert '<a href="/companies/a/">A</a> <span aria-hidden="true">→</span> <a href="/companies/b/">B</a>' in content


def test_the_saving_request_does_not_run_the_search(in_background):
    with mock.patch("deals.cycles_refresher.refresher.request") as request, mock.patch.object(cycles, "refresh") as run:
        a, b = company("a"), company("b")
        invests(a, b, 2)
    assert request.called
    assert not run.called


def test_requests_during_a_rebuild_are_coalesced_into_one_more():
    worker = Refresher()
    calls = []
    started, release = threading.Event(), threading.Event()

    def slow_refresh():
        calls.append(1)
        if len(calls) == 1:
            started.set()
            release.wait(10)
        return 0

    with mock.patch("deals.cycles_refresher.refresh_exclusively", slow_refresh):
        worker.request()
        assert started.wait(10)
        for _ in range(10):
            worker.request()
        release.set()
        assert worker.wait(timeout=10)
    assert len(calls) == 2
    assert worker.runs == 2


def test_a_failed_rebuild_keeps_the_thread_usable(caplog):
    worker = Refresher()
    with mock.patch("deals.cycles_refresher.refresh_exclusively", side_effect=RuntimeError("boom")):
        worker.request()
        assert worker.wait(timeout=10)
    assert "Rebuilding the circular deals failed" in caplog.text
    with mock.patch("deals.cycles_refresher.refresh_exclusively", return_value=0):
        worker.request()
        assert worker.wait(timeout=10)
    assert worker.runs == 1


def test_the_command_rebuilds_now(settings):
    settings.CYCLES_REFRESH_IN_BACKGROUND = True
    with mock.patch("deals.cycles_refresher.refresher.request"):
        a, b = company("a"), company("b")
        invests(a, b, 2)
        buys(b, a, 1)
    assert not Cycle.objects.exists()
    call_command("refresh_cycles", stdout=io.StringIO())
    assert Cycle.objects.filter(folded=True).count() == 1
