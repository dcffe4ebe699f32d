"""Derived figures rebuilt by tasks (Django's tasks API through the django-tasks backport), off the saving request.

A save (deals.figures.signals) says which deals and companies it changed (`figures_changed`); when its transaction
commits, one `refresh_figures` task is queued for everything the transaction changed, and `manage.py db_worker` runs it:
the deals' money flows, then the alliances, company totals and pages of every company they involve, in that order.
A company that moves to another parent queues `regroup_companies`. A task that changed published money then asks
for the circular deals to be rebuilt (`rebuild_cycles`, seconds on a large database): a rebuild is queued only
when none is waiting, and it runs after the figure tasks (a lower priority), so a burst of saves costs one rebuild.

Every task recomputes from the deals as they are when it runs: running one twice, or late, gives the same figures.
Figure tasks take turns through a lock (an advisory lock on PostgreSQL, a lock file beside the SQLite database),
so two workers never rewrite the same tables at once.

With the immediate backend (TASKS_BACKEND=immediate; the tests) the figures are rebuilt inside the saving request,
as they were before the queue, and the circular deals right after its commit.
"""

import fcntl
import logging
import zlib
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.backends.immediate import ImmediateBackend

from deals.core.batches import column_of
from deals.figures import alliances, company_totals, cycles, derived_locks, flows, periods, proxy_war
from deals.figures.groups import descendants_of, groups_of
from deals.models import DealParty
from deals.rules import content_version
from deals.rules.public import refresh_public_companies

logger = logging.getLogger(__name__)
ATTEMPTS = 2
ADVISORY_LOCK_KEY = zlib.crc32(b"dealsite.cycles.refresh")
# The figure tasks run before a waiting rebuild of the circular deals, which then reads all their flows.
FIGURES_PRIORITY = 10
CYCLES_PRIORITY = 0
# A task shown as running for longer than this is taken for one whose worker was killed.
RUNNING_AT_MOST = timedelta(hours=1)


@contextmanager
def exclusive():
    """Hold the database-wide lock of figure rebuilds (shared by every worker serving the database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        return
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        yield
        return
    name = Path(str(connection.settings_dict["NAME"]))
    with open(name.with_name(name.name + ".figures-lock"), "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def runs_at_once() -> bool:
    """True when tasks run where they are enqueued (the immediate backend), not in a worker."""
    return isinstance(refresh_figures.get_backend(), ImmediateBackend)


@contextmanager
def _turn():
    """A worker's task waits for its turn; one run at once is already inside the saving request's transaction."""
    if runs_at_once():
        yield
    else:
        with exclusive():
            yield


def retried(refresh, what: str):
    """Run a refresh in a savepoint, once more after a database error (a deadlock, a serialization failure with a
    concurrent save): every refresh recomputes from the deals, so a second run gives the right figures."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return refresh()
        except DatabaseError:
            if attempt == ATTEMPTS:
                raise
            logger.warning("Refreshing %s failed; trying again", what, exc_info=True)


def refresh_money_of_deals(deal_ids, companies=frozenset(), months=frozenset()) -> None:
    """Rewrite the flows of these deals (and of the deals they are part of), then the alliances, company totals and
    proxy war of every company they involve (and of `companies`, which a change left, and of their groups' heads),
    and the charts' months their flows were and are in (and `months`, those of deleted deals)."""
    deal_ids, companies, months = set(deal_ids), set(companies), {tuple(month) for month in months}
    refresh = lambda: _refresh_money_of_deals(deal_ids, companies, months)  # noqa: E731
    retried(refresh, f"the figures of deals {sorted(deal_ids)}")


def _refresh_money_of_deals(deal_ids, companies, months) -> None:
    # Every group whose rows this rewrites, locked at once in ascending order (deals.figures.derived_locks); the steps
    # below take the same locks again, which costs nothing.
    touched = set(companies) | set(groups_of(companies).values())
    for deal_id in deal_ids | flows.containers_of(deal_ids):
        touched |= company_totals.companies_of_deal(deal_id)
    derived_locks.lock_companies(touched)
    months = months | periods.months_of_deals(flows.rewritten_with(deal_ids))
    rewritten = flows.rebuild(deal_ids)
    periods.refresh(months | periods.months_of_deals(rewritten))
    involved = set(companies) | set(groups_of(companies).values())
    for deal_id in rewritten | set(deal_ids):
        involved |= company_totals.companies_of_deal(deal_id)
    alliances.refresh(alliances.pairs_of_companies(involved))
    company_totals.refresh(involved)
    proxy_war.refresh(involved)
    refresh_public_companies(involved)


def regroup(company_ids, former_groups=None) -> None:
    """Companies moved to another parent (or changed slug): the flows of their deals (and their subsidiaries')
    are rewritten, then the alliances of every pair with the groups they left (`former_groups`, their tops
    before the change) or joined on a side, and the totals and years of those groups' members. Without
    `former_groups` (unknown), every alliance and total."""
    derived_locks.lock_everything()
    members = set()
    for company_id in company_ids:
        members |= descendants_of(company_id)
    deal_ids = column_of(DealParty.objects.all(), "company_id__in", members, "deal_id")
    # The labs the groups paid through these companies before the move.
    labs_before = proxy_war.labs_of(set(former_groups or ()) | members)
    # A container's parts are taken out by group: its money, and so its months, may move.
    months = periods.months_of_deals(flows.rewritten_with(deal_ids))
    periods.refresh(months | periods.months_of_deals(flows.rebuild(deal_ids)))
    if former_groups is None:
        alliances.refresh()
        company_totals.refresh()
        proxy_war.refresh()
        refresh_public_companies()
        return
    groups = set(former_groups) | set(groups_of(company_ids).values())
    other_sides = alliances.refresh(involving=groups)
    involved = set()
    for group in groups:
        involved |= descendants_of(group)
    company_totals.refresh(involved)
    proxy_war.refresh(groups, labs=labs_before)
    refresh_public_companies(involved | other_sides)


@task(priority=FIGURES_PRIORITY)
def refresh_figures(
    deal_ids: list[int], company_ids: list[int] = (), cycles: bool = False, months: list[list[int]] = ()
) -> None:
    """The figures of these deals and companies (and the charts' `months`, [year, month] each); then, when `cycles`,
    a rebuild of the circular deals."""
    with _turn():
        refresh_money_of_deals(set(deal_ids), set(company_ids), months)
        _figures_shown_changed()
    if cycles:
        request_cycles_rebuild()


@task(priority=FIGURES_PRIORITY)
def regroup_companies(company_ids: list[int], cycles: bool = True, former_groups: list[int] | None = None) -> None:
    with _turn():
        regroup(set(company_ids), None if former_groups is None else set(former_groups))
        _figures_shown_changed()
    if cycles:
        request_cycles_rebuild()


@task(priority=FIGURES_PRIORITY)
def rebuild_all_figures() -> None:
    """Every derived figure from the deals (`manage.py check_figures` lists what this would change)."""
    with _turn():
        flows.rebuild()
        alliances.refresh()
        company_totals.refresh()
        periods.refresh()
        proxy_war.refresh()
        refresh_public_companies()
        _figures_shown_changed()
    request_cycles_rebuild()


@task(priority=CYCLES_PRIORITY)
def rebuild_cycles() -> int:
    """The circular deals (the Cycle tables) from the published deals' flows; returns the loops kept."""
    with _turn():
        return cycles.refresh()


def _figures_shown_changed() -> None:
    """Pages kept under the content version (dealsite.page_cache, list totals) showed the figures before a worker
    rebuilt them, after the save that queued it had bumped the version: bumped again. Run at once, the rebuild
    was part of the save itself."""
    if not runs_at_once():
        content_version.bump()


FIGURE_TASKS = (refresh_figures, regroup_companies, rebuild_all_figures, rebuild_cycles)


def enqueue(figure_task, *args, **kwargs):
    """Queue a task; run at once, a failure fails the caller, as an in-request rebuild did."""
    result = figure_task.enqueue(*args, **kwargs)
    if runs_at_once() and result.status == TaskResultStatus.FAILED:
        raise RuntimeError(f"{figure_task.name} failed:\n{result.errors[-1].traceback}")
    return result


def request_cycles_rebuild() -> None:
    """Queue a rebuild of the circular deals unless one is waiting: it has not read the flows yet, so it will see
    every change committed before this call (a running one may have read them already: another is queued)."""
    if not runs_at_once():
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=rebuild_cycles.module_path)
        if waiting.exists():
            return
    enqueue(rebuild_cycles)


class _Work:
    """What one transaction changed, queued as one task when it commits."""

    def __init__(self):
        self.deal_ids, self.company_ids, self.regrouped, self.cycles = set(), set(), set(), False
        self.former_groups, self.months = set(), set()

    def __bool__(self):
        return bool(self.deal_ids or self.company_ids or self.regrouped or self.cycles or self.months)


def figures_changed(
    deal_ids=(), company_ids=(), *, cycles=False, regrouped=(), former_groups=None, months=(), using=None
) -> None:
    """A save changed these deals (and left these companies, and the charts' `months`, (year, month) each, of deals
    deleted; or moved the `regrouped` companies to another parent, out of the groups headed by `former_groups`);
    `cycles` when it changed published money. Queued on commit; run at once with the immediate backend."""
    deal_ids, company_ids, regrouped = set(deal_ids), set(company_ids), set(regrouped)
    months = {tuple(month) for month in months}
    if runs_at_once():
        if regrouped:
            enqueue(regroup_companies, sorted(regrouped), cycles=False, former_groups=_listed(former_groups))
        if deal_ids or company_ids or months:
            enqueue(refresh_figures, sorted(deal_ids), sorted(company_ids), months=_listed_months(months))
        if cycles or regrouped:
            _cycles_on_commit(using)
        return
    db = transaction.get_connection(using)
    work = getattr(db, "figures_work", None)
    if work is None:
        work = db.figures_work = _Work()
    work.deal_ids |= deal_ids
    work.company_ids |= company_ids
    work.months |= months
    work.regrouped |= regrouped
    if regrouped:
        # One regroup whose former groups are unknown makes the task rebuild everything.
        known = work.former_groups is not None and former_groups is not None
        work.former_groups = work.former_groups | set(former_groups) if known else None
    work.cycles = work.cycles or cycles
    # One callback per call, so that one registered in a savepoint rolled back leaves the others; the first to run
    # queues everything, the rest find nothing.
    transaction.on_commit(lambda: _queue(db), using=using)


def _listed_months(months) -> list[list[int]]:
    return [list(month) for month in sorted(months)]


def _listed(groups):
    return None if groups is None else sorted(groups)


def _queue(db) -> None:
    work = getattr(db, "figures_work", None)
    if not work:
        return
    db.figures_work = None
    if work.regrouped:
        enqueue(regroup_companies, sorted(work.regrouped), cycles=True, former_groups=_listed(work.former_groups))
    if work.deal_ids or work.company_ids or work.months:
        months = {"months": _listed_months(work.months)} if work.months else {}
        enqueue(refresh_figures, sorted(work.deal_ids), sorted(work.company_ids), cycles=work.cycles, **months)
    elif work.cycles and not work.regrouped:
        request_cycles_rebuild()


def _cycles_on_commit(using=None) -> None:
    """Rebuild the cycles once the transaction commits; of many calls in one transaction, the last asks."""
    db = transaction.get_connection(using)
    ticket = object()
    db.cycles_refresh_ticket = ticket

    def run():
        if getattr(db, "cycles_refresh_ticket", None) is ticket:
            request_cycles_rebuild()

    transaction.on_commit(run, using=using)


def pending() -> bool:
    """Whether figure tasks are waiting or running: the figures on show may not include the latest saves."""
    if runs_at_once():
        return False
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(refresh_figures.get_backend(), DatabaseBackend):
        return False
    paths = [each.module_path for each in FIGURE_TASKS]
    recent = timezone.now() - RUNNING_AT_MOST
    tasks = DBTaskResult.objects.filter(task_path__in=paths)
    return (
        tasks.filter(status=TaskResultStatus.READY).exists()
        or tasks.filter(status=TaskResultStatus.RUNNING, started_at__gte=recent).exists()
    )
