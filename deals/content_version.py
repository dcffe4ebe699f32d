"""A number that changes whenever the public data may have: caches of whole-database computations key on it."""

from django.db.models import F

from deals.models.content_version import ContentVersion

ROW = 1


def current() -> int:
    """The current version, in one small query (0 before the first change)."""
    return ContentVersion.objects.filter(pk=ROW).values_list("number", flat=True).first() or 0


def bump() -> None:
    """Count one more change; inside a transaction, others see it when it commits, with the change."""
    if not ContentVersion.objects.filter(pk=ROW).update(number=F("number") + 1):
        ContentVersion.objects.get_or_create(pk=ROW, defaults={"number": 1})
