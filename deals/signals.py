"""Keep derived tables (alliances) in step with every change to deals, parties and companies."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from deals import alliances
from deals.models import Company, Deal, DealParty


@receiver(post_save, sender=Deal)
def deal_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        alliances.refresh(alliances.pairs_of_deal(instance.pk))


@receiver(pre_delete, sender=Deal)
def deal_deleting(sender, instance, **kwargs):
    instance._alliance_pairs = alliances.pairs_of_deal(instance.pk)


@receiver(post_delete, sender=Deal)
def deal_deleted(sender, instance, **kwargs):
    alliances.refresh(getattr(instance, "_alliance_pairs", set()))


@receiver(post_save, sender=DealParty)
@receiver(post_delete, sender=DealParty)
def party_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    others = DealParty.objects.filter(deal_id=instance.deal_id).values_list("company_id", flat=True)
    affected = alliances.pairs_of_companies({instance.company_id, *others})
    alliances.refresh(affected)


@receiver(pre_save, sender=Company)
def company_saving(sender, instance, raw=False, **kwargs):
    previous = Company.objects.filter(pk=instance.pk).values("slug", "parent_id").first() if instance.pk else None
    instance._regroup = bool(previous) and previous != {"slug": instance.slug, "parent_id": instance.parent_id}


@receiver(post_save, sender=Company)
def company_saved(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_regroup", False) and not raw:
        alliances.refresh()
