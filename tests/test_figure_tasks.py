"""Derived figures rebuilt by the task queue: a save queues its figures on commit and returns; `db_worker` brings them
current. The rest of the suite runs tasks at once (tests/conftest.py); here they go through the database backend."""

import io
import signal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from deals.figures import figures_check, tasks
from deals.models import Alliance, Company, Cycle, Deal
from tests.money_world import buys, company, invests

pytestmark = pytest.mark.django_db(transaction=True)

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued(settings):
    settings.TASKS = QUEUED
    assert not tasks.runs_at_once()


def run_worker():
    """`manage.py db_worker --batch`: every queued task, then exit (its signal handlers are put back after)."""
    handlers = {each: signal.getsignal(each) for each in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0, stdout=io.StringIO())
    finally:
        for each, handler in handlers.items():
            signal.signal(each, handler)


def of_task(figure_task):
    return DBTaskResult.objects.filter(task_path=figure_task.module_path)


def loop():
    a, b = company("a"), company("b")
    invests(a, b, 2)
    buys(b, a, 1)
    return a, b


def test_a_save_queues_its_figures_and_the_worker_brings_them_current(queued):
    loop()
    assert of_task(tasks.refresh_figures).filter(status=TaskResultStatus.READY).exists()
    assert tasks.pending()
    assert not Alliance.objects.exists()
    assert not Cycle.objects.exists()
    assert figures_check.differences()

    run_worker()

    assert not tasks.pending()
    assert figures_check.differences() == []
    assert Alliance.objects.count() == 1
    assert Cycle.objects.filter(folded=True).count() == 1
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


def test_one_transaction_queues_one_task(queued):
    with transaction.atomic():
        loop()
    assert of_task(tasks.refresh_figures).count() == 1
    (queued_task,) = of_task(tasks.refresh_figures)
    deal_ids, _company_ids = queued_task.args_kwargs["args"]
    assert sorted(deal_ids) == sorted(Deal.objects.values_list("pk", flat=True))
    assert queued_task.args_kwargs["kwargs"] == {"cycles": True}


def test_a_burst_of_saves_costs_one_rebuild_of_the_circular_deals(queued):
    loop()
    for number in range(3):
        invests(company(f"c{number}"), Company.objects.get(slug="a"), number + 1)
    assert of_task(tasks.refresh_figures).count() > 5

    run_worker()

    assert of_task(tasks.rebuild_cycles).count() == 1
    assert figures_check.differences() == []


def test_a_rebuild_is_queued_once_while_one_waits(queued):
    loop()
    run_worker()
    tasks.request_cycles_rebuild()
    tasks.request_cycles_rebuild()
    assert of_task(tasks.rebuild_cycles).filter(status=TaskResultStatus.READY).count() == 1


def test_running_the_tasks_twice_changes_nothing(queued):
    a, b = loop()
    run_worker()
    tasks.refresh_figures.call([a.pk], [b.pk], True)
    tasks.rebuild_all_figures.call()
    run_worker()
    assert figures_check.differences() == []


def test_a_new_parent_is_queued_not_rebuilt_in_the_request(queued):
    a, b = loop()
    run_worker()
    parent = company("parent")
    with (
        mock.patch("deals.figures.alliances.refresh") as refresh,
        mock.patch("deals.figures.company_totals.refresh") as totals,
    ):
        a.parent = parent
        a.save()
    assert not refresh.called and not totals.called
    assert of_task(tasks.regroup_companies).filter(status=TaskResultStatus.READY).count() == 1
    assert figures_check.differences()

    run_worker()

    assert figures_check.differences() == []
    assert Alliance.objects.get().slug == "b--parent"


def test_the_admin_says_when_totals_are_being_updated(queued, editor_client):
    loop()
    notice = "Totals are being updated; they will be current in a few seconds."
    assert notice in editor_client.get("/admin/deals/deal/").content.decode()
    change = f"/admin/deals/deal/{Deal.objects.first().pk}/change/"
    assert notice in editor_client.get(change).content.decode()

    run_worker()

    assert notice not in editor_client.get("/admin/deals/deal/").content.decode()
    assert notice not in editor_client.get(change).content.decode()


def test_the_command_rebuilds_the_circular_deals_now_or_queues_it(queued):
    loop()
    with mock.patch("deals.figures.tasks.request_cycles_rebuild"):
        run_worker()
    assert not Cycle.objects.exists()
    call_command("refresh_cycles", "--enqueue", stdout=io.StringIO())
    assert of_task(tasks.rebuild_cycles).filter(status=TaskResultStatus.READY).count() == 1
    out = io.StringIO()
    call_command("refresh_cycles", stdout=out)
    assert "2 circular deals kept." in out.getvalue()
    assert figures_check.differences() == []


def test_a_save_with_tasks_run_at_once_has_its_figures_at_once():
    a, b = loop()
    assert tasks.runs_at_once()
    assert Alliance.objects.count() == 1
    assert not DBTaskResult.objects.exists()
