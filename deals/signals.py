"""Keep derived data (alliances, circular deals, company totals, which sources are public) in step with deals,
parties, citations and companies."""

import logging
from collections.abc import Callable

from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from deals import alliances, company_totals, content_version, cycles, derived_locks, flows
from deals.models import Citation, Company, Deal, DealParty, DealRelation, Publication, Source, Tranche
from deals.public import refresh_public_companies, refresh_public_sources, sources_of_deal

logger = logging.getLogger(__name__)
ATTEMPTS = 2


def keep_in_step(refresh: Callable[[], object], what: str) -> None:
    """Run a refresh of derived figures inside the editor's transaction without ever failing the editor's save.

    The refresh runs in a savepoint. A database error in it (a deadlock with another transaction's locks, a
    serialization failure) rolls back the refresh only, which is tried once more; if it fails again the save
    goes on without it, and the same refresh runs again in a transaction of its own once the save has
    committed. Should that fail too, the error is logged: `manage.py check_figures` lists what differs.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                refresh()
            return
        except DatabaseError:
            if attempt < ATTEMPTS:
                logger.warning("Refreshing %s failed; trying again", what, exc_info=True)
    logger.exception("Refreshing %s failed twice: the save goes on, the refresh runs again after it", what)
    transaction.on_commit(lambda: _refresh_after_commit(refresh, what))


def _refresh_after_commit(refresh: Callable[[], object], what: str) -> None:
    try:
        with transaction.atomic():
            refresh()
    except DatabaseError:
        logger.exception("Refreshing %s after the save failed: run `manage.py check_figures`", what)


def refresh_money_of_deals(deal_ids, companies=frozenset()) -> None:
    """Rewrite the flows of these deals (and of the deals they are part of), then the alliances and company totals
    of every company they involve (and of `companies`, which a change left)."""
    deal_ids, companies = set(deal_ids), set(companies)
    keep_in_step(lambda: _refresh_money_of_deals(deal_ids, companies), f"the figures of deals {sorted(deal_ids)}")


def _refresh_money_of_deals(deal_ids, companies) -> None:
    # Every group whose rows this rewrites, locked at once in ascending order (deals.derived_locks); the steps
    # below take the same locks again, which costs nothing.
    touched = set(companies)
    for deal_id in deal_ids | flows.containers_of(deal_ids):
        touched |= company_totals.companies_of_deal(deal_id)
    derived_locks.lock_companies(touched)
    rewritten = flows.rebuild(deal_ids)
    involved = set(companies)
    for deal_id in rewritten | set(deal_ids):
        involved |= company_totals.companies_of_deal(deal_id)
    alliances.refresh(alliances.pairs_of_companies(involved))
    company_totals.refresh(involved)
    refresh_public_companies(involved)


@receiver(post_save, sender=Deal)
def deal_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_money_of_deals({instance.pk})


@receiver(pre_delete, sender=Deal)
def deal_deleting(sender, instance, **kwargs):
    # The parties are gone by post_delete: note now whose alliances and totals the deletion touches.
    instance._alliance_pairs = alliances.pairs_of_deal(instance.pk)
    instance._totals_companies = company_totals.companies_of_deal(instance.pk)


@receiver(post_delete, sender=Deal)
def deal_deleted(sender, instance, **kwargs):
    keep_in_step(lambda: _deal_deleted(instance), f"the figures of deleted deal {instance.pk}")


def _deal_deleted(instance) -> None:
    containers = flows.containers_of({instance.pk})
    companies = set(getattr(instance, "_totals_companies", set()))
    for container in containers:
        companies |= company_totals.companies_of_deal(container)
    derived_locks.lock_companies(companies | {g for pair in getattr(instance, "_alliance_pairs", ()) for g in pair})
    flows.rebuild(containers)
    alliances.refresh(getattr(instance, "_alliance_pairs", set()) | alliances.pairs_of_companies(companies))
    company_totals.refresh(companies)
    refresh_public_companies(companies)


@receiver(post_save, sender=Tranche)
@receiver(post_delete, sender=Tranche)
def tranche_changed(sender, instance, raw=False, **kwargs):
    if not raw and Deal.objects.filter(pk=instance.deal_id).exists():
        refresh_money_of_deals({instance.deal_id})
        if _published(instance.deal_id):
            cycles.refresh_on_commit()


@receiver(post_save, sender=DealRelation)
@receiver(post_delete, sender=DealRelation)
def relation_changed(sender, instance, raw=False, **kwargs):
    """A part, a container and a superseded deal count differently: both ends' money is rewritten."""
    if not raw:
        existing = set(
            Deal.objects.filter(pk__in={instance.from_deal_id, instance.to_deal_id}).values_list("pk", flat=True)
        )
        if existing:
            refresh_money_of_deals(existing)
            cycles.refresh_on_commit()


@receiver(pre_save, sender=Company)
def company_saving(sender, instance, raw=False, **kwargs):
    previous = Company.objects.filter(pk=instance.pk).values("slug", "parent_id").first() if instance.pk else None
    instance._regroup = bool(previous) and previous != {"slug": instance.slug, "parent_id": instance.parent_id}


@receiver(post_save, sender=Company)
def company_saved(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_regroup", False) and not raw:
        keep_in_step(lambda: _regrouped(instance), f"every figure after company {instance.pk} moved")
        cycles.refresh_on_commit()


def _regrouped(instance) -> None:
    derived_locks.lock_everything()
    members = flows.descendants_of(instance.pk)
    flows.rebuild(set(DealParty.objects.filter(company__in=members).values_list("deal_id", flat=True)))
    alliances.refresh()
    company_totals.refresh()
    refresh_public_companies()


def _stored(instance, field: str) -> set:
    """The value of `field` as the database holds it before a save, so that what a row
    leaves (a party's old company, a citation's old source) is refreshed too; none for a new row."""
    if not instance.pk:
        return set()
    return set(type(instance).objects.filter(pk=instance.pk).values_list(field, flat=True))


def _published(deal_id) -> bool:
    return Deal.objects.filter(pk=deal_id, publication=Publication.PUBLISHED).exists()


@receiver(pre_save, sender=Deal)
@receiver(pre_delete, sender=Deal)
def deal_changing(sender, instance, raw=False, **kwargs):
    instance._was_published = bool(instance.pk) and not raw and _published(instance.pk)


@receiver(post_save, sender=Deal)
@receiver(post_delete, sender=Deal)
def deal_flows_changed(sender, instance, raw=False, **kwargs):
    """Cycles come from published deals only: a draft edited and left a draft changes none."""
    if not raw and (instance.is_published or getattr(instance, "_was_published", False)):
        cycles.refresh_on_commit()


@receiver(post_save, sender=DealParty)
@receiver(post_delete, sender=DealParty)
def party_flows_changed(sender, instance, raw=False, **kwargs):
    if not raw and _published(instance.deal_id):
        cycles.refresh_on_commit()


@receiver(pre_save, sender=DealParty)
def party_totals_changing(sender, instance, raw=False, **kwargs):
    instance._previous_company_ids = _stored(instance, "company_id")


@receiver(post_save, sender=DealParty)
@receiver(post_delete, sender=DealParty)
def party_changed(sender, instance, raw=False, **kwargs):
    if raw or not Deal.objects.filter(pk=instance.deal_id).exists():
        return
    # A party moved to another company leaves the alliances and totals of the company it left.
    moved_from = getattr(instance, "_previous_company_ids", set())
    left = {instance.company_id, *moved_from}
    refresh_money_of_deals({instance.deal_id}, left | set(flows.groups_of(left).values()))


@receiver(post_save, sender=Company)
def company_totals_created(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        keep_in_step(lambda: company_totals.refresh([instance.pk]), f"the totals of new company {instance.pk}")


@receiver(post_save, sender=Company)
@receiver(post_delete, sender=Company)
@receiver(post_save, sender=Deal)
@receiver(post_delete, sender=Deal)
@receiver(post_save, sender=DealParty)
@receiver(post_delete, sender=DealParty)
@receiver(post_save, sender=Citation)
@receiver(post_delete, sender=Citation)
@receiver(post_save, sender=Source)
@receiver(post_delete, sender=Source)
def content_changed(sender, raw=False, **kwargs):
    if not raw:
        content_version.bump()


@receiver(post_save, sender=Deal)
def deal_sources_changed(sender, instance, raw=False, **kwargs):
    """A deal published or unpublished shows or hides the sources it cites (a deleted deal's citations are
    deleted one by one, each sending post_delete below)."""
    if not raw and instance.is_published != getattr(instance, "_was_published", False):
        refresh_public_sources(sources_of_deal(instance.pk))


@receiver(pre_save, sender=Citation)
def citation_moving(sender, instance, raw=False, **kwargs):
    instance._previous_source_ids = _stored(instance, "source_id")


@receiver(post_save, sender=Citation)
@receiver(post_delete, sender=Citation)
def citation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_public_sources({instance.source_id} | getattr(instance, "_previous_source_ids", set()))
