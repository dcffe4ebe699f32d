"""Who may do what through the API: anonymous, editor, publisher, superuser × read, create, change, publish, delete.

The same roles and actions as the admin's matrix (tests/test_permissions_admin.py), on a draft deal.
"""

import pytest
from rest_framework.test import APIClient

from deals.models import Deal, Publication
from tests.api_world import token_client
from tests.factories import CompanyFactory, make_deal, make_user

ALLOWED = "allowed"
REFUSED = "refused (403)"
LOGIN = "login needed (401)"
HIDDEN = "not found (404)"

MATRIX = {
    #             read     create   change   publish  delete
    "anonymous": (HIDDEN, LOGIN, LOGIN, LOGIN, LOGIN),
    "editor": (ALLOWED, ALLOWED, ALLOWED, REFUSED, REFUSED),
    "publisher": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    "superuser": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
}
ACTIONS = ("read", "create", "change", "publish", "delete")
STATUS = {ALLOWED: (200, 201, 204), REFUSED: (403,), LOGIN: (401,), HIDDEN: (404,)}


def _client(role) -> APIClient:
    users = {
        "editor": lambda: make_user("erin", "Editors"),
        "publisher": lambda: make_user("paula", "Editors", "Publishers"),
        "superuser": lambda: make_user("root", superuser=True),
    }
    return token_client(users[role]()) if role in users else APIClient()


@pytest.fixture
def draft(db):
    amazon = CompanyFactory(name="Amazon", slug="amazon")
    anthropic = CompanyFactory(name="Anthropic", slug="anthropic")
    return make_deal(amazon, anthropic, published=False, title="Sourced draft", slug="sourced-draft")


def _attempt(action, client, draft):
    """Try the action; return the response and whether its effect happened."""
    url = f"/api/v1/deals/{draft.slug}/"
    if action == "read":
        response = client.get(url)
        return response, response.status_code == 200 and response.json()["title"] == "Sourced draft"
    if action == "create":
        body = {
            "title": "New deal",
            "slug": "new-deal",
            "kind": "equity",
            "parties": [{"company": "amazon", "role": "investor"}, {"company": "anthropic", "role": "investee"}],
        }
        response = client.post("/api/v1/deals/", body, format="json")
        return response, Deal.objects.filter(slug="new-deal").exists()
    if action == "change":
        response = client.patch(url, {"title": "Changed title"}, format="json")
        return response, Deal.objects.get(pk=draft.pk).title == "Changed title"
    if action == "publish":
        response = client.patch(url, {"publication": "published"}, format="json")
        return response, Deal.objects.get(pk=draft.pk).publication == Publication.PUBLISHED
    response = client.delete(url)
    return response, not Deal.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("action", ACTIONS)
def test_api_permission_matrix(role, action, draft):
    expected = MATRIX[role][ACTIONS.index(action)]

    response, happened = _attempt(action, _client(role), draft)

    assert happened == (expected == ALLOWED), f"{role} {action}: status {response.status_code}"
    assert response.status_code in STATUS[expected], f"{role} {action}: {response.status_code} {response.content}"
    if expected == LOGIN:
        assert response["WWW-Authenticate"].startswith("Token")
    if expected == REFUSED:
        assert "permission" in response.json()["detail"]
