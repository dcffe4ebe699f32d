"""Who may do what in the admin: anonymous, editor, publisher, superuser × read, create, change, publish, delete."""

import pytest
from django.test import Client
from django.urls import reverse

from deals.models import Deal, Publication
from tests.admin_forms import deal_form, party
from tests.factories import CompanyFactory, make_deal, make_user

ALLOWED, REFUSED, LOGIN = "allowed", "refused", "login"

MATRIX = {
    #             read     create   change   publish  delete
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "editor": (ALLOWED, ALLOWED, ALLOWED, REFUSED, REFUSED),
    "publisher": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    "superuser": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
}
ACTIONS = ("read", "create", "change", "publish", "delete")


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


def _attempt(action, client, matrix_world):
    """Try the action; return the response and whether its effect happened."""
    amazon, anthropic, draft = matrix_world
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
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    if expected == REFUSED and action != "publish":
        assert response.status_code == 403
