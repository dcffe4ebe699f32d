"""The rules about deals, in one place: the admin, the API and the commands all call these."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.models import HistoricalRecords

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


class PublishPermissionDenied(PermissionDenied):
    """Publishing or unpublishing without the publish permission (a 403 in the API and the admin)."""


class StaleDeal(ValidationError):
    """An edit based on an older version of the deal than the one saved now (code "stale")."""


def validate_publishable(publication: str, citation_count: int) -> None:
    if publication == Publication.PUBLISHED and citation_count < 1:
        raise ValidationError(_("A deal can be published only when it cites at least one source."), code="unsourced")


def check_publish_permission(user, old_publication: str | None, new_publication: str) -> None:
    """Changing whether a deal is public, either way, needs the publish permission."""
    touches_public = Publication.PUBLISHED in (old_publication, new_publication)
    if old_publication != new_publication and touches_public and not user.has_perm(PUBLISH_PERMISSION):
        raise PublishPermissionDenied(_("You do not have permission to publish or unpublish deals."))


def acting_user(deal: Deal):
    """Who is saving the deal: the user the admin names (simple-history's `_history_user`), else the user of the
    request being served (simple-history's HistoryRequestMiddleware; DRF puts its token user on that request too),
    else None: code run outside a request (management commands, migrations, the shell) acts for the operator."""
    user = getattr(deal, "_history_user", None)
    if user is not None:
        return user
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


def declare_citations(deal: Deal, count: int) -> None:
    """Say how many citations the deal will have once this write is done, for a write that saves the deal before
    its citations (the admin's inline, the API's nested list). Without it the saved citations are counted."""
    deal._citations_after_save = count


def expect_version(deal: Deal, version: int) -> None:
    """The next save of this deal is refused (StaleDeal) unless the stored row is still at `version`."""
    deal._expected_version = version


def check_publication(deal: Deal, old_publication: str | None) -> None:
    """THE rule on publishing: changing whether a deal is public needs the publish permission, and a published
    deal cites at least one source. Deal.save() runs it on every save (admin form, actions and history revert,
    CSV import, API), against the stored row read under its lock; the paths may check earlier to report nicely."""
    citations = deal.__dict__.pop("_citations_after_save", None)
    user = acting_user(deal)
    if user is None:
        return  # not on behalf of a user: the operator's own code (load_seed_data checks citations itself)
    check_publish_permission(user, old_publication, deal.publication)
    if deal.publication == Publication.PUBLISHED:
        if citations is None:
            citations = deal.citations.count() if old_publication is not None else 0
        validate_publishable(deal.publication, citations)


def stamp_publication(deal: Deal) -> None:
    """Record when a deal is first published (the feed lists deals by this date)."""
    if deal.publication == Publication.PUBLISHED and deal.published_at is None:
        deal.published_at = timezone.now()


def prepare_save(deal: Deal, stored: dict | None) -> None:
    """Run by Deal.save() inside its transaction, with the stored row (None for a new deal) read under a row lock:
    the version the write was based on must still be the stored one, and the publishing rule must hold."""
    expected = deal.__dict__.pop("_expected_version", None)
    if stored is not None and expected is not None and stored["version"] != expected:
        raise stale_error(deal, stored["version"], expected)
    check_publication(deal, stored["publication"] if stored else None)
    if stored is not None and deal.published_at is None:
        deal.published_at = stored["published_at"]  # a history revert brings none (history leaves it out)
    stamp_publication(deal)


def set_publication(deals: Iterable[Deal], publication: str) -> tuple[list[Deal], list[Deal]]:
    """Publish or unpublish deals; return (changed, refused). Unsourced deals are refused publication.

    Each deal is read again under its row lock and saved from that row, so an edit saved meanwhile is kept.
    """
    changed, refused = [], []
    deals = list(deals)
    with transaction.atomic():
        locked = Deal.objects.select_for_update(no_key=True).filter(pk__in=[deal.pk for deal in deals]).order_by("pk")
        current = {deal.pk: deal for deal in locked}
        for deal in (current[deal.pk] for deal in deals if deal.pk in current):
            if publication == Publication.PUBLISHED and not deal.citations.exists():
                refused.append(deal)
                continue
            if deal.publication != publication:
                deal.publication = publication
                try:
                    with transaction.atomic():
                        deal.save()
                except ValidationError:
                    refused.append(deal)
                    continue
                changed.append(deal)
    return changed, refused


def last_change(deal: Deal) -> tuple[str, str]:
    """Who saved the deal last and when (UTC), from its history, for messages about conflicting edits."""
    latest = deal.history.select_related("history_user").first()
    who = str(latest.history_user) if latest and latest.history_user else _("someone else")
    when = timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M %Z") if latest else _("an unknown time")
    return who, when


def stale_error(deal: Deal, current: int, submitted: int) -> StaleDeal:
    who, when = last_change(deal)
    return StaleDeal(
        _(
            "This deal was changed by %(who)s since you opened it (at %(when)s; it is now at version %(current)d, "
            "you started from version %(yours)d). Nothing was saved."
        )
        % {"who": who, "when": when, "current": current, "yours": submitted},
        code="stale",
    )


def check_version(deal: Deal, submitted_version: int | None) -> None:
    """Refuse an edit based on an older version of the deal than the one saved now.

    The row is read under a lock (SELECT ... FOR NO KEY UPDATE), held to the end of the caller's transaction, so no
    other save can come between this check and the caller's save; the save checks the version again (expect_version).
    The error (StaleDeal, code "stale") names who saved the newer version and when.
    """
    if deal.pk is None or submitted_version is None:
        return
    with transaction.atomic():
        current = (
            Deal.objects.select_for_update(no_key=True).filter(pk=deal.pk).values_list("version", flat=True).first()
        )
    if current is not None and current != submitted_version:
        raise stale_error(deal, current, submitted_version)
    expect_version(deal, submitted_version)


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
