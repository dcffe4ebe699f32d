"""Who may do what in the admin: anonymous, editor, publisher, superuser × read, create, change, publish, delete,
and publishing or unpublishing by the other ways the admin writes a deal: a history revert, a CSV import."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from deals.models import Deal, Publication
from tests.admin_forms import DEAL_FIELDS, deal_form, party
from tests.factories import CompanyFactory, make_deal, make_user

ALLOWED, REFUSED, LOGIN = "allowed", "refused", "login"

MATRIX = {
    #             read     create   change   publish  delete   revert→published  revert→draft  import→draft
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "editor": (ALLOWED, ALLOWED, ALLOWED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
    "publisher": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    "superuser": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
}
ACTIONS = ("read", "create", "change", "publish", "delete", "revert_publish", "revert_unpublish", "import_unpublish")
# How a refusal shows: a 403, or for the paths that publish as a side effect, the rule's message on the page.
NO_PERMISSION = "You do not have permission to publish or unpublish deals."
REFUSAL_SHOWN_AS_MESSAGE = {"publish", "revert_publish", "revert_unpublish", "import_unpublish"}


def _client(role):
    client = Client()
    users = {
        "editor": lambda: make_user("erin", "Editors"),
        "publisher": lambda: make_user("paula", "Editors", "Publishers"),
        "superuser": lambda: make_user("root", superuser=True),
    }
    if role in users:
        client.force_login(users[role]())
    return client


@pytest.fixture
def matrix_world(db):
    amazon, anthropic = CompanyFactory(name="Amazon"), CompanyFactory(name="Anthropic")
    draft = make_deal(amazon, anthropic, published=False, title="Sourced draft")
    return amazon, anthropic, draft


def _revert(client, deal, publication):
    """Restore the deal's latest version in its history whose publication was `publication`, as the revert form
    does: the form filled in with that version's values, and the current version."""
    record = deal.history.filter(publication=publication).first()
    url = reverse("admin:deals_deal_simple_history", args=[deal.pk, record.history_id])
    values = {name: getattr(record, name) for name in DEAL_FIELDS}
    response = client.post(url, deal_form(**values, version=Deal.objects.get(pk=deal.pk).version), follow=True)
    return response, Deal.objects.get(pk=deal.pk).publication == record.publication


def _import(client, deal, publication):
    """Upload a CSV with the deal's row at `publication`, and confirm the import if the preview allows it."""
    content = f"slug,title,kind,publication\n{deal.slug},{deal.title},{deal.kind},{publication}\n"
    upload = {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("deals.csv", content.encode())}
    response = client.post(reverse("admin:deals_deal_import"), upload, follow=True)
    page = response.content.decode()
    if "Confirm import" in page:
        names = ("import_file_name", "original_file_name", "format", "resource")
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
        response = client.post(
            reverse("admin:deals_deal_process_import"), {name: hidden.get(name, "") for name in names}, follow=True
        )
    return response, Deal.objects.get(pk=deal.pk).publication == publication


def _once_public_draft(amazon, anthropic):
    """A sourced draft that was published once (its history has a published version)."""
    deal = make_deal(amazon, anthropic, title="Once public")
    deal.publication = Publication.DRAFT
    deal.save()
    return deal


def _attempt(action, client, matrix_world):
    """Try the action; return the response and whether its effect happened."""
    amazon, anthropic, draft = matrix_world
    if action == "revert_publish":
        return _revert(client, _once_public_draft(amazon, anthropic), Publication.PUBLISHED)
    if action == "revert_unpublish":
        return _revert(client, make_deal(amazon, anthropic, title="Public deal"), Publication.DRAFT)
    if action == "import_unpublish":
        return _import(client, make_deal(amazon, anthropic, title="Public deal"), Publication.DRAFT)
    change_url = reverse("admin:deals_deal_change", args=[draft.pk])
    if action == "read":
        response = client.get(change_url)
        return response, response.status_code == 200 and b"Sourced draft" in response.content
    if action == "create":
        data = deal_form(slug="new-deal", parties=[party(amazon, "investor"), party(anthropic, "investee")])
        response = client.post(reverse("admin:deals_deal_add"), data)
        return response, Deal.objects.filter(slug="new-deal").exists()
    if action == "change":
        parties = list(draft.parties.order_by("pk"))
        data = deal_form(
            title="Changed title",
            slug=draft.slug,
            parties=[{**party(p.company, p.role), "id": p.pk, "deal": draft.pk} for p in parties],
            citations=[
                {"id": c.pk, "deal": draft.pk, "source": c.source_id, "supports": c.supports, "quote": ""}
                for c in draft.citations.all()
            ],
            initial={"parties": len(parties), "citations": draft.citations.count()},
            version=draft.version,
        )
        response = client.post(change_url, data)
        return response, Deal.objects.filter(title="Changed title").exists()
    if action == "publish":
        response = client.post(
            reverse("admin:deals_deal_changelist"), {"action": "publish_selected", "_selected_action": [draft.pk]}
        )
        return response, Deal.objects.get(pk=draft.pk).publication == Publication.PUBLISHED
    response = client.post(reverse("admin:deals_deal_delete", args=[draft.pk]), {"post": "yes"})
    return response, not Deal.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("action", ACTIONS)
def test_admin_permission_matrix(role, action, matrix_world):
    expected = MATRIX[role][ACTIONS.index(action)]

    response, happened = _attempt(action, _client(role), matrix_world)

    assert happened == (expected == ALLOWED), f"{role} {action}: status {response.status_code}"
    if expected == LOGIN:
        redirects = [url for url, _status in getattr(response, "redirect_chain", [])] or [response["Location"]]
        assert reverse("admin:login") in redirects[-1]
    if expected == REFUSED and action not in REFUSAL_SHOWN_AS_MESSAGE:
        assert response.status_code == 403
    if expected == REFUSED and action in REFUSAL_SHOWN_AS_MESSAGE - {"publish"}:
        assert NO_PERMISSION in response.content.decode()
