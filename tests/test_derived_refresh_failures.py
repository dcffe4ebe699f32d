"""A refresh of derived figures that fails never fails the editor's save (deals.signals.keep_in_step).

It runs in a savepoint: a database error rolls back the refresh alone, which is tried once more; failing again,
the save goes on and the refresh runs in a transaction of its own after the commit.
"""

import logging
from decimal import Decimal

import pytest
from django.db import OperationalError

from deals import alliances
from deals.figures_check import differences
from deals.models import Alliance, Deal
from tests.factories import CompanyFactory, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal():
    amazon = CompanyFactory(name="Amazon", slug="amazon")
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic")
    return make_deal(amazon, anthropic, slug="amazon-anthropic", amount=Decimal(4_000_000_000))


def _failing(monkeypatch, times: int) -> list:
    """alliances.refresh fails `times` times after writing (a deadlock detected mid-refresh), then works."""
    real, calls = alliances.refresh, []

    def refresh(*args, **kwargs):
        calls.append(args)
        real(*args, **kwargs)
        if len(calls) <= times:
            Alliance.objects.update(total_usd=Decimal(1))  # a half-written refresh, rolled back with it
            raise OperationalError("deadlock detected")

    monkeypatch.setattr(alliances, "refresh", refresh)
    return calls


def _saved(deal, amount):
    deal.amount = Decimal(amount)
    deal.save()


def test_a_refresh_that_fails_once_is_tried_again_in_the_save(deal, monkeypatch, django_capture_on_commit_callbacks):
    calls = _failing(monkeypatch, times=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _saved(deal, 8_000_000_000)
    assert len(calls) == 2
    assert not [c for c in callbacks if "keep_in_step" in getattr(c, "__qualname__", "")]
    assert Alliance.objects.get().total_usd == Decimal(8_000_000_000)
    assert not differences()


def test_a_refresh_that_fails_twice_keeps_the_save_and_runs_again_after_the_commit(
    deal, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    calls = _failing(monkeypatch, times=2)
    with caplog.at_level(logging.WARNING, logger="deals.signals"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _saved(deal, 8_000_000_000)
        # The save stands; the figures are the ones before it (the half-written refresh rolled back).
        assert Deal.objects.get(pk=deal.pk).amount == Decimal(8_000_000_000)
        assert Alliance.objects.get().total_usd == Decimal(4_000_000_000)
        assert "failed twice" in caplog.text
        for callback in callbacks:
            callback()
    assert len(calls) == 3
    assert Alliance.objects.get().total_usd == Decimal(8_000_000_000)
    assert not differences()
