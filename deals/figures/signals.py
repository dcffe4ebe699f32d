"""Keep derived data (alliances, circular deals, company totals, which sources are public, the search documents) in
step with deals, parties, citations and companies."""

from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from deals.figures import company_totals, flows, periods
from deals.figures.groups import groups_of
from deals.figures.tasks import figures_changed
from deals.models import Citation, Company, Deal, DealParty, DealRelation, Publication, Source, Tranche
from deals.rules import content_version
from deals.rules.public import refresh_public_sources, sources_of_deal
from deals.search import documents

# The deal's columns that any derived figure (flows, alliances, totals and years, circular deals, company pages)
# reads: a save that changes none of them (a summary, a title) recomputes nothing.
FIGURE_FIELDS = (
    "publication",
    "kind",
    "status",
    "currency",
    "usd_rate",
    "amount",
    "amount_usd",
    "amount_qualifier",
    "commitment",
    "others_unnamed",
    "announced_on",
)


def _figures_moved(instance) -> bool:
    stored = getattr(instance, "_stored_figures", None)
    return stored is None or any(getattr(instance, name) != value for name, value in stored.items())


@receiver(post_save, sender=Deal)
def deal_saved(sender, instance, raw=False, **kwargs):
    if not raw and _figures_moved(instance):
        figures_changed({instance.pk})


@receiver(pre_delete, sender=Deal)
def deal_deleting(sender, instance, **kwargs):
    # The parties and relations are gone by post_delete: note now whose figures the deletion touches.
    instance._totals_companies = company_totals.companies_of_deal(instance.pk)
    instance._containers = flows.containers_of({instance.pk})
    instance._months = periods.months_of_deals({instance.pk})


@receiver(post_delete, sender=Deal)
def deal_deleted(sender, instance, **kwargs):
    figures_changed(
        getattr(instance, "_containers", set()),
        getattr(instance, "_totals_companies", set()),
        months=getattr(instance, "_months", set()),
    )


@receiver(post_save, sender=Tranche)
@receiver(post_delete, sender=Tranche)
def tranche_changed(sender, instance, raw=False, **kwargs):
    if not raw and Deal.objects.filter(pk=instance.deal_id).exists():
        figures_changed({instance.deal_id}, cycles=_published(instance.deal_id))


@receiver(post_save, sender=DealRelation)
@receiver(post_delete, sender=DealRelation)
def relation_changed(sender, instance, raw=False, **kwargs):
    """A part, a container and a superseded deal count differently: both ends' money is rewritten."""
    if not raw:
        existing = set(
            Deal.objects.filter(pk__in={instance.from_deal_id, instance.to_deal_id}).values_list("pk", flat=True)
        )
        if existing:
            figures_changed(existing, cycles=True)


@receiver(pre_save, sender=Company)
def company_saving(sender, instance, raw=False, **kwargs):
    stored = ("slug", "parent_id", "name", "aliases", "kind")
    previous = Company.objects.filter(pk=instance.pk).values(*stored).first() if instance.pk else None
    instance._regroup = bool(previous) and (previous["slug"], previous["parent_id"]) != (
        instance.slug,
        instance.parent_id,
    )
    # The proxy war pairs AI labs with big-tech, cloud and chip groups by kind.
    instance._kind_changed = bool(previous) and previous["kind"] != instance.kind
    instance._renamed = bool(previous) and (previous["name"], previous["aliases"]) != (instance.name, instance.aliases)
    if instance._regroup:
        # The top of the group it leaves, read before the save: its alliances and totals change too.
        instance._former_group = groups_of({instance.pk})[instance.pk]


@receiver(post_save, sender=Company)
def company_saved(sender, instance, raw=False, **kwargs):
    """A company moved to another parent (or renamed its slug): the alliances and totals of the groups it left and
    joined are rebuilt, by a task."""
    if getattr(instance, "_regroup", False) and not raw:
        figures_changed(regrouped={instance.pk}, former_groups={instance._former_group})
    elif getattr(instance, "_kind_changed", False) and not raw:
        figures_changed(company_ids={instance.pk})


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
    stored = None if raw or not instance.pk else Deal.objects.filter(pk=instance.pk).values(*FIGURE_FIELDS).first()
    instance._stored_figures = stored
    instance._was_published = stored is not None and stored["publication"] == Publication.PUBLISHED


@receiver(post_save, sender=Deal)
@receiver(post_delete, sender=Deal)
def deal_flows_changed(sender, instance, raw=False, **kwargs):
    """Cycles come from published deals only: a draft edited and left a draft changes none."""
    if raw or not (instance.is_published or getattr(instance, "_was_published", False)):
        return
    if kwargs.get("signal") is post_delete or _figures_moved(instance):
        figures_changed(cycles=True)


@receiver(post_save, sender=DealParty)
@receiver(post_delete, sender=DealParty)
def party_flows_changed(sender, instance, raw=False, **kwargs):
    if not raw and _published(instance.deal_id):
        figures_changed(cycles=True)


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
    figures_changed({instance.deal_id}, {instance.company_id, *moved_from})


@receiver(post_save, sender=Company)
def company_totals_created(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        company_totals.refresh([instance.pk])


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


# The deals being deleted in this context: their parties' deletions must not write the deal's search document
# again (the document is deleted before the parties, and the deal after them).
_deals_deleted = ContextVar("deals_deleted", default=frozenset())


@receiver(post_save, sender=Deal)
def deal_document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        documents.refresh_deals({instance.pk})


@receiver(pre_delete, sender=Deal)
def deal_document_deleting(sender, instance, **kwargs):
    _deals_deleted.set(_deals_deleted.get() | {instance.pk})


@receiver(post_delete, sender=Deal)
def deal_document_deleted(sender, instance, **kwargs):
    _deals_deleted.set(_deals_deleted.get() - {instance.pk})


@receiver(post_save, sender=DealParty)
@receiver(post_delete, sender=DealParty)
def party_document_changed(sender, instance, raw=False, **kwargs):
    """A deal's document holds its parties' names."""
    if not raw and instance.deal_id not in _deals_deleted.get():
        documents.refresh_deals({instance.deal_id})


@receiver(post_save, sender=Company)
def company_document_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    documents.refresh_companies({instance.pk})
    if getattr(instance, "_renamed", False):
        documents.refresh_deals(documents.deals_of_company(instance.pk))


@receiver(post_save, sender=Source)
def source_document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        documents.refresh_sources({instance.pk})
