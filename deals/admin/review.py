"""The review queue: drafts waiting for a publisher, each with who changed what since its last published version.

A deal's last published version is its newest history record that was published; its parties, tranches, options,
citations and related deals as they stood then are read from their own history (simple-history), for every deal of
the page at once: the page runs the same number of queries whatever its length.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from deals.core.choices import Publication
from deals.models import Citation, Company, Deal, DealOption, DealParty, DealRelation, Source, Tranche
from deals.rules import services

QUEUE_LENGTH = 50
# Fields whose change says nothing to a reviewer: bookkeeping, or set by publishing itself.
UNREVIEWED_FIELDS = ["version", "updated_at", "publication", "published_at"]


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Pending:
    deal: Deal
    last_published: datetime | None  # None: never published
    changed_by: list[str] = field(default_factory=list)
    changed_at: datetime | None = None
    fields: list[FieldChange] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return self.last_published is not None and not (self.fields or self.added or self.removed)


@dataclass(frozen=True)
class RelatedRows:
    """One kind of row a deal has, and how a row of it reads in the queue."""

    label: str
    model: type[Model]
    deal_field: str  # the foreign key to the deal
    shown: tuple[str, ...]


RELATED = (
    RelatedRows(_("Parties"), DealParty, "deal", ("company", "role", "amount", "amount_qualifier", "commitment")),
    RelatedRows(
        _("Tranches"),
        Tranche,
        "deal",
        ("position", "label", "amount", "amount_qualifier", "commitment", "company", "condition", "expected_on"),
    ),
    RelatedRows(
        _("Options and warrants"),
        DealOption,
        "deal",
        ("kind", "holder", "issuer", "shares", "stake_percent", "exercise_price", "exercise_currency", "expires_on"),
    ),
    RelatedRows(_("Citations"), Citation, "deal", ("source", "supports", "quote")),
    RelatedRows(_("Related deals"), DealRelation, "from_deal", ("kind", "to_deal")),
)
NAMED_BY = {Company: "name", Source: "title", Deal: "title"}


def drafts():
    """The drafts, the most recently changed first."""
    return Deal.objects.filter(publication=Publication.DRAFT).order_by("-updated_at", "-pk")


def pending(deals: list[Deal]) -> list[Pending]:
    """Each deal with its changes since its last published version."""
    ids = [deal.pk for deal in deals]
    records = defaultdict(list)  # newest first
    for record in Deal.history.filter(id__in=ids).select_related("history_user").order_by("-history_date", "-pk"):
        records[record.id].append(record)
    queue = []
    for deal in deals:
        history = records[deal.pk]
        published = next((record for record in history if record.publication == Publication.PUBLISHED), None)
        item = Pending(deal, published.history_date if published else None)
        since = [record for record in history if published is None or record.history_date > published.history_date]
        item.changed_by = list(dict.fromkeys(_user_name(record.history_user) for record in since))
        item.changed_at = history[0].history_date if history else deal.updated_at
        if published is not None and history:
            delta = history[0].diff_against(published, excluded_fields=UNREVIEWED_FIELDS)
            item.fields = [_field_change(Deal, change) for change in delta.changes]
        queue.append(item)
    _compare_related(queue)
    return queue


def _compare_related(queue: list[Pending]) -> None:
    by_deal = {item.deal.pk: item for item in queue}
    latest_published = max((item.last_published for item in queue if item.last_published), default=None)
    names = _Names()
    compared = {}  # (deal id, related) -> (rows at the last publication, rows now)
    for related in RELATED:
        foreign_key = f"{related.deal_field}_id"
        now = defaultdict(list)
        for row in related.model.objects.filter(**{f"{foreign_key}__in": list(by_deal)}):
            now[getattr(row, foreign_key)].append(row)
        then = defaultdict(dict)  # deal id -> row id -> its newest record at the deal's last publication
        if latest_published is not None:
            records = related.model.history.filter(
                **{f"{foreign_key}__in": list(by_deal), "history_date__lte": latest_published}
            ).order_by("history_date", "history_id")
            for record in records:
                item = by_deal[getattr(record, foreign_key)]
                if item.last_published is not None and record.history_date <= item.last_published:
                    then[item.deal.pk][record.id] = record
        for deal_id in by_deal:
            before = [record for record in then[deal_id].values() if record.history_type != "-"]
            names.want(related, [*before, *now[deal_id]])
            compared[deal_id, related] = (before, now[deal_id])
    names.load()
    for (deal_id, related), (before, after) in compared.items():
        old = [names.describe(related, row) for row in before]
        new = [names.describe(related, row) for row in after]
        added = [text for text in new if text not in old]
        removed = [text for text in old if text not in new]
        item = by_deal[deal_id]
        if added:
            item.added[str(related.label)] = added
        if removed:
            item.removed[str(related.label)] = removed


class _Names:
    """The names of the companies, sources and deals the rows point to, read in one query per model."""

    def __init__(self):
        self.wanted = defaultdict(set)
        self.names = {}

    def want(self, related: RelatedRows, rows) -> None:
        for name in related.shown:
            target = _target(related.model, name)
            if target is not None:
                self.wanted[target].update(getattr(row, f"{name}_id") for row in rows if getattr(row, f"{name}_id"))

    def load(self) -> None:
        for model, ids in self.wanted.items():
            attribute = NAMED_BY[model]
            self.names[model] = dict(model.objects.filter(pk__in=ids).values_list("pk", attribute))

    def describe(self, related: RelatedRows, row) -> str:
        parts = []
        for name in related.shown:
            target = _target(related.model, name)
            if target is not None:
                key = getattr(row, f"{name}_id")
                value = self.names[target].get(key, key) if key else None
            else:
                value = _shown(related.model, name, getattr(row, name))
            if value not in (None, ""):
                parts.append(str(value))
        return " · ".join(parts)


def _target(model: type[Model], name: str):
    model_field = model._meta.get_field(name)
    return model_field.related_model if model_field.is_relation else None


def _shown(model: type[Model], name: str, value) -> str:
    model_field = model._meta.get_field(name)
    if value in (None, ""):
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return str(value)


def _field_change(model: type[Model], change) -> FieldChange:
    label = str(model._meta.get_field(change.field).verbose_name)
    return FieldChange(
        label, _shown(model, change.field, change.old) or "—", _shown(model, change.field, change.new) or "—"
    )


def _user_name(user) -> str:
    if user is None:
        return str(_("someone outside the admin (a command or import)"))
    return user.get_full_name() or user.get_username()


class ReviewQueueAdmin:
    """DealAdmin's review queue page (admin/deals/deal/review/) and its one-click publishing."""

    def get_urls(self):
        review = path("review/", self.admin_site.admin_view(self.review_view), name="deals_deal_review")
        return [review, *super().get_urls()]

    def review_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            self._publish_reviewed(request)
            return HttpResponseRedirect(reverse("admin:deals_deal_review"))
        waiting = drafts()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queue"),
            "opts": self.model._meta,
            "queue": pending(list(waiting[:QUEUE_LENGTH])),
            "waiting": waiting.count(),
            "can_publish": self.has_publish_permission(request),
        }
        return TemplateResponse(request, "admin/deals/deal/review_queue.html", context)

    def _publish_reviewed(self, request) -> None:
        if not self.has_publish_permission(request):
            raise PermissionDenied
        try:
            deal = Deal.objects.get(pk=int(request.POST.get("deal", "")), publication=Publication.DRAFT)
            reviewed_version = int(request.POST.get("version", ""))
        except (ValueError, Deal.DoesNotExist):
            self.message_user(
                request, _("That draft is no longer waiting: it was published or deleted."), messages.WARNING
            )
            return
        if deal.version != reviewed_version:
            self.message_user(
                request,
                _("“%(title)s” changed after you loaded the queue: review its changes again before publishing.")
                % {"title": deal.title},
                messages.WARNING,
            )
            return
        changed, refused = services.set_publication([deal], Publication.PUBLISHED)
        if changed:
            self.message_user(
                request,
                format_html('{} <a href="{}">{}</a>', _("Published:"), deal.get_absolute_url(), deal.title),
                messages.SUCCESS,
            )
        else:
            self._report(request, changed, refused)
