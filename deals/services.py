"""The rules about deals, in one place: the admin, the API and the commands all call these."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from deals.models import Deal, DealParty, Publication
from deals.models.choices import Role
from deals.money import USD, usd_equivalent

PUBLISH_PERMISSION = "deals.publish_deal"

INVESTING = {Role.INVESTOR, Role.LEAD_INVESTOR}
# A role on one side of a flow of money needs its counterpart on the other side.
ROLE_PAIRS = [
    ({Role.INVESTEE}, INVESTING, _lazy("An investee needs an investor: add the company that invests.")),
    (INVESTING, {Role.INVESTEE}, _lazy("An investor needs an investee: add the company that receives the money.")),
    ({Role.PROVIDER}, {Role.CUSTOMER}, _lazy("A provider needs a customer: add the company that buys.")),
    ({Role.CUSTOMER}, {Role.PROVIDER}, _lazy("A customer needs a provider: add the company that supplies.")),
    ({Role.TARGET}, {Role.ACQUIRER}, _lazy("A target needs an acquirer: add the company that buys it.")),
    ({Role.ACQUIRER}, {Role.TARGET}, _lazy("An acquirer needs a target: add the company being bought.")),
]


def validate_parties(parties: Iterable[tuple[object, str]]) -> None:
    """Check the (company, role) pairs of one deal; raise ValidationError listing every problem."""
    parties = list(parties)
    errors = []
    companies = {company for company, _role in parties}
    if len(companies) < 2:
        errors.append(_("A deal needs at least two parties (two different companies)."))
    seen = set()
    for company, role in parties:
        if (company, role) in seen:
            errors.append(
                _("%(company)s is listed twice as %(role)s.") % {"company": company, "role": Role(role).label}
            )
        seen.add((company, role))
    roles = {role for _company, role in parties}
    for present, needed, message in ROLE_PAIRS:
        if roles & present and not roles & needed:
            errors.append(message)
    if errors:
        raise ValidationError(errors)


def _usd_limit():
    field = Deal._meta.get_field("amount_usd")
    return Decimal(10) ** (field.max_digits - field.decimal_places)


def validate_usd_equivalents(currency: str, usd_rate, amounts: Iterable) -> None:
    """The deal's amounts converted at its rate must fit the US-dollar fields they are stored in."""
    limit = _usd_limit()
    for amount in amounts:
        value = usd_equivalent(amount, (currency or USD).upper(), usd_rate)
        if value is not None and value >= limit:
            raise ValidationError(_("At this rate the US-dollar equivalent is too large to record: check the rate."))


def validate_publishable(publication: str, citation_count: int) -> None:
    if publication == Publication.PUBLISHED and citation_count < 1:
        raise ValidationError(_("A deal can be published only when it cites at least one source."))


def check_publish_permission(user, old_publication: str | None, new_publication: str) -> None:
    """Changing whether a deal is public, either way, needs the publish permission."""
    touches_public = Publication.PUBLISHED in (old_publication, new_publication)
    if old_publication != new_publication and touches_public and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("You do not have permission to publish or unpublish deals."))


def stamp_publication(deal: Deal) -> None:
    """Record when a deal is first published (the feed lists deals by this date)."""
    if deal.publication == Publication.PUBLISHED and deal.published_at is None:
        deal.published_at = timezone.now()


def set_publication(deals: Iterable[Deal], publication: str) -> tuple[list[Deal], list[Deal]]:
    """Publish or unpublish deals; return (changed, refused). Unsourced deals are refused publication."""
    changed, refused = [], []
    with transaction.atomic():
        for deal in deals:
            if publication == Publication.PUBLISHED and not deal.citations.exists():
                refused.append(deal)
                continue
            if deal.publication != publication:
                deal.publication = publication
                stamp_publication(deal)
                deal.save()
                changed.append(deal)
    return changed, refused


def last_change(deal: Deal) -> tuple[str, str]:
    """Who saved the deal last and when (UTC), from its history, for messages about conflicting edits."""
    latest = deal.history.select_related("history_user").first()
    who = str(latest.history_user) if latest and latest.history_user else _("someone else")
    when = timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M %Z") if latest else _("an unknown time")
    return who, when


def check_version(deal: Deal, submitted_version: int | None) -> None:
    """Refuse an edit based on an older version of the deal than the one saved now.

    The error (code "stale") names who saved the newer version and when.
    """
    if deal.pk is None or submitted_version is None:
        return
    current = Deal.objects.filter(pk=deal.pk).values_list("version", flat=True).first()
    if current is not None and current != submitted_version:
        who, when = last_change(deal)
        raise ValidationError(
            _(
                "This deal was changed by %(who)s since you opened it (at %(when)s; it is now at version %(current)d, "
                "you started from version %(yours)d). Nothing was saved."
            )
            % {"who": who, "when": when, "current": current, "yours": submitted_version},
            code="stale",
        )


def likely_duplicates(deal: Deal):
    """Other deals with the same set of companies announced in the same month."""
    if deal.announced_on is None:
        return Deal.objects.none()
    company_ids = set(deal.parties.values_list("company_id", flat=True))
    if not company_ids:
        return Deal.objects.none()
    candidates = (
        Deal.objects.exclude(pk=deal.pk)
        .filter(announced_on__year=deal.announced_on.year, announced_on__month=deal.announced_on.month)
        .filter(pk__in=DealParty.objects.filter(company_id__in=company_ids).values("deal_id"))
        .prefetch_related("parties")
    )
    return [other for other in candidates if {p.company_id for p in other.parties.all()} == company_ids]
