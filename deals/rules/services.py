"""The rules about deals, in one place: the admin, the API and the commands all call these."""

from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.models import HistoricalRecords

from deals.core.choices import Qualifier, RelationKind, Role
from deals.core.money import USD, format_money, usd_equivalent
from deals.core.validators import normalize_source_url
from deals.models import Deal, DealParty, DealRelation, Publication, Source

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


def needs_rate(deal: Deal) -> bool:
    """An amount in another currency than the dollar, with neither a rate nor a dollar equivalent."""
    currency = (deal.currency or USD).upper()
    return currency != USD and deal.amount is not None and deal.usd_rate is None


def validate_deal(deal: Deal) -> None:
    """The rules about a deal's own figures (Deal.clean() calls this: the admin form, the API and CSV imports).

    Raises a ValidationError keyed by field, each message saying what to do.
    """
    errors = {}
    if deal.publication == Publication.PUBLISHED and needs_rate(deal):
        errors["usd_rate"] = _(
            "An amount in %(currency)s can be published only with its rate: enter the US dollars per %(currency)s "
            "on the date of the deal (e.g. 1.17 for the euro in 2025), or save the deal as a draft."
        ) % {"currency": (deal.currency or "").upper()}
    if deal.starts_on and deal.ends_on and deal.ends_on < deal.starts_on:
        errors["ends_on"] = _("The agreement ends before it starts: check the start and end dates.")
    if deal.quantity is not None and not deal.quantity_unit:
        errors["quantity_unit"] = _("Say what the quantity counts: chips, GPUs, TPUs, GW, MW or other units.")
    if deal.amount_per_unit is not None and not deal.per_unit.strip():
        errors["per_unit"] = _('Say what the amount per unit is paid for, e.g. "GW deployed".')
    if errors:
        raise ValidationError(errors)


# Co-investors' shares add up to the round; a customer's to the contract. Each side is summed on its own, so a
# two-way agreement (an investment plus a purchase back) may state both.
SHARE_SIDES = {Role.INVESTOR: Role.INVESTOR, Role.LEAD_INVESTOR: Role.INVESTOR}


def validate_party_shares(amount, currency: str, qualifier: str, shares: Iterable[tuple[str, object]]) -> None:
    """The stated shares (role, amount in the deal's currency) of one side cannot add up to more than the deal's
    amount, unless that amount is only a bound ("up to", "at least")."""
    if amount is None or qualifier in (Qualifier.UP_TO, Qualifier.AT_LEAST):
        return
    totals: dict[str, Decimal] = {}
    for role, share in shares:
        if share is not None:
            side = SHARE_SIDES.get(role, role)
            totals[side] = totals.get(side, Decimal(0)) + Decimal(share)
    for side, total in totals.items():
        if total > amount:
            currency = (currency or USD).upper()
            raise ValidationError(
                _(
                    "The %(role)s shares add up to %(total)s, more than the deal's amount of %(amount)s: correct a "
                    'share or the amount, or mark the amount as "up to" or "at least" if the source does.'
                )
                % {
                    "role": Role(side).label.lower(),
                    "total": format_money(total, currency),
                    "amount": format_money(amount, currency),
                }
            )


def validate_relations(deal: Deal, relations: Iterable[tuple[str, Deal]]) -> None:
    """A deal's links to others, as (kind, other deal), replacing its stored ones: none to itself, and no loop
    (A part of B part of A; A supersedes B supersedes A)."""
    relations = list(relations)
    errors = []
    for _kind, other in relations:
        if other is not None and deal.pk is not None and other.pk == deal.pk:
            errors.append(_("A deal cannot be related to itself: choose another deal."))
    if deal.pk is not None and not errors:
        for kind, other in relations:
            path = _path_back(other, deal, kind)
            if path is not None:
                chain = " → ".join(f"“{step.title}”" for step in path)
                errors.append(
                    _(
                        "This would make a loop: %(chain)s already %(kind)s this deal. A deal cannot %(verb)s one "
                        "that %(kind)s it: remove one of the two links."
                    )
                    % {"chain": chain, "kind": RelationKind(kind).label, "verb": _verb(kind)}
                )
    if errors:
        raise ValidationError(errors)


def _verb(kind: str) -> str:
    return {
        RelationKind.EXPANDS: _("expand"),
        RelationKind.SUPERSEDES: _("supersede"),
        RelationKind.PART_OF: _("be part of"),
    }[kind]


def _path_back(start: Deal, target: Deal, kind: str) -> list[Deal] | None:
    """The deals from `start` along stored `kind` links up to (not including) `target`, or None if it is not
    reached. The target's own stored links are left out: the ones being saved replace them."""
    previous = {start.pk: None}
    titles = {start.pk: start}
    level = [start.pk]
    while level:
        links = (
            DealRelation.objects.filter(from_deal_id__in=level, kind=kind)
            .exclude(from_deal_id=target.pk)
            .select_related("to_deal")
        )
        level = []
        for link in links:
            if link.to_deal_id == target.pk:
                path, step = [], link.from_deal_id
                while step is not None:
                    path.append(titles[step])
                    step = previous[step]
                return list(reversed(path))
            if link.to_deal_id not in previous:
                previous[link.to_deal_id] = link.from_deal_id
                titles[link.to_deal_id] = link.to_deal
                level.append(link.to_deal_id)
    return None


def validate_source(source: Source) -> None:
    """One source per article: the same address with or without a trailing slash or tracking parameters is the
    same source."""
    existing = same_source(source.url, exclude_pk=source.pk)
    if existing is not None:
        raise ValidationError(
            {
                "url": _(
                    "This article is already recorded as source #%(id)d, “%(name)s”: cite that source instead of "
                    "adding it again."
                )
                % {"id": existing.pk, "name": existing.display_name}
            }
        )


def same_source(url: str, exclude_pk=None) -> Source | None:
    """The recorded source with this address, however either was spelt (slash, utm_*, fbclid, gclid…)."""
    normalized = normalize_source_url(url)
    if not normalized:
        return None
    base = normalized.split("?")[0]
    candidates = Source.objects.exclude(pk=exclude_pk).filter(url__startswith=base)
    return next((source for source in candidates if normalize_source_url(source.url) == normalized), None)


def source_for_url(url: str) -> Source:
    """The source recorded at this address, however spelt (case of scheme and host, trailing slash, tracking
    parameters), else a new one, not saved yet, whose publisher is read from the host: the editor completes its
    title and date later. A new one is checked as every path checks a source (http or https only, the Source model's
    own validators); a refused address raises ValidationError."""
    url = (url or "").strip()
    existing = same_source(url)
    if existing is not None:
        return existing
    source = Source(url=url, publisher=publisher_of(url))
    source.full_clean()
    return source


def publisher_of(url: str) -> str:
    """The host an article is published on, as a publisher's name until an editor writes a better one:
    "https://www.ElPais.com/economia/…" → "elpais.com"."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.removeprefix("www.")
    return host[: Source._meta.get_field("publisher").max_length]


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
    """Publish or unpublish deals; return (changed, refused). Unsourced deals, and deals in another currency
    than the dollar without a rate, are refused publication.

    Each deal is read again under its row lock and saved from that row, so an edit saved meanwhile is kept.
    """
    changed, refused = [], []
    deals = list(deals)
    with transaction.atomic():
        locked = Deal.objects.select_for_update(no_key=True).filter(pk__in=[deal.pk for deal in deals]).order_by("pk")
        current = {deal.pk: deal for deal in locked}
        for deal in (current[deal.pk] for deal in deals if deal.pk in current):
            if publication == Publication.PUBLISHED and (not deal.citations.exists() or needs_rate(deal)):
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


def duplicate_warnings(deal: Deal) -> list[str]:
    """The admin's warning about likely duplicates, as sentences for the API's `warnings`."""
    return [
        _("Possible duplicate: “%(title)s” (%(slug)s) has the same parties and was announced in the same month.")
        % {"title": other.title, "slug": other.slug}
        for other in likely_duplicates(deal)
    ]
