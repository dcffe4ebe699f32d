"""Stale writes: a change based on an older copy of a deal is refused instead of overwriting a newer edit.

A client states what its change is based on in one of two ways: the deal's `version` in the body
(409 Conflict when the deal has moved on), or the ETag of its GET in `If-Match` (412 Precondition
Failed when the deal, as that client would see it now, is no longer the same). A write that states
neither is applied as sent: scripts that set a field without reading the deal first stay simple.
"""

from hashlib import md5

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.cache import quote_etag
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException

from deals.api.json_renderer import JSONRenderer
from deals.models import Deal
from deals.rules import services


class StaleWrite(APIException):
    """The refusal's body as built, so `version` stays a number (DRF would turn every value into text)."""

    default_code = "stale"

    def __init__(self, body: dict):
        super().__init__(body["detail"])
        self.detail = body


class Conflict(StaleWrite):
    status_code = status.HTTP_409_CONFLICT


class PreconditionFailed(StaleWrite):
    status_code = status.HTTP_412_PRECONDITION_FAILED


def refusal(deal: Deal, message: str) -> dict:
    who, when = services.last_change(deal)
    return {
        "detail": " ".join((message, _("Read the deal again, apply your change to it and send its current version."))),
        "version": Deal.objects.filter(pk=deal.pk).values_list("version", flat=True).first(),
        "changed_by": who,
        "changed_at": when,
    }


def check_version(deal: Deal, submitted_version: int | None) -> None:
    """409 when the `version` sent is not the deal's current one (the admin's rule, `services.check_version`)."""
    try:
        services.check_version(deal, submitted_version)
    except DjangoValidationError as stale:
        raise Conflict(refusal(deal, " ".join(stale.messages))) from stale


def current_etag(view, deal: Deal) -> str:
    """The ETag a GET of this deal would carry for this client now (the hash of its JSON body)."""
    fresh = view.get_queryset().get(pk=deal.pk)
    body = JSONRenderer().render(view.get_serializer(fresh).data, JSONRenderer.media_type)
    return quote_etag(md5(body, usedforsecurity=False).hexdigest())


def check_if_match(view, deal: Deal, if_match: str | None) -> None:
    """412 unless one of the ETags in `If-Match` is the current one (or it is `*`)."""
    if if_match is None:
        return
    tags = {tag.strip() for tag in if_match.split(",") if tag.strip()}
    if "*" in tags or current_etag(view, deal) in tags:
        return
    who, when = services.last_change(deal)
    message = _(
        "This deal changed since you read it: it was last saved by %(who)s at %(when)s, or a company or source "
        "it shows was edited since. Nothing was saved."
    ) % {"who": who, "when": when}
    raise PreconditionFailed(refusal(deal, message))
