"""Two editors read the same deal through the API: the second write does not silently overwrite the first."""

import pytest

from deals.models import Deal
from deals.rules import services
from tests.api_world import build_world, token_client
from tests.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/deals/amazon-anthropic-2023/"


@pytest.fixture
def clients():
    build_world()
    return token_client(make_user("alice", "Editors")), token_client(make_user("bob", "Editors"))


def test_a_stale_version_is_refused_with_409_naming_who_changed_it_and_when(clients):
    alice, bob = clients
    alices_copy, bobs_copy = alice.get(URL).json(), bob.get(URL).json()
    assert alices_copy["version"] == bobs_copy["version"]

    first = bob.patch(URL, {"title": "Bob's title", "version": bobs_copy["version"]}, format="json")
    second = alice.patch(URL, {"summary": "Alice's summary", "version": alices_copy["version"]}, format="json")

    assert first.status_code == 200
    assert first.json()["version"] == bobs_copy["version"] + 1
    assert second.status_code == 409
    refusal = second.json()
    assert refusal["detail"].startswith("This deal was changed by bob since you opened it (at 20")
    assert "Nothing was saved." in refusal["detail"]
    assert refusal["version"] == bobs_copy["version"] + 1
    assert refusal["changed_by"] == "bob"
    assert refusal["changed_at"].endswith("UTC")
    deal = Deal.objects.get(slug="amazon-anthropic-2023")
    assert (deal.title, deal.summary) == ("Bob's title", bobs_copy["summary"]), "Bob's edit is kept whole"


def test_a_write_with_the_current_version_succeeds_and_bumps_it(clients):
    alice, bob = clients
    bob.patch(URL, {"title": "Bob's title"}, format="json")
    current = alice.get(URL).json()

    response = alice.put(
        URL,
        {
            **{k: current[k] for k in ("title", "slug", "kind", "parties")},
            "summary": "Both",
            "version": current["version"],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == current["version"] + 1
    deal = Deal.objects.get(slug="amazon-anthropic-2023")
    assert (deal.title, deal.summary, deal.version) == ("Bob's title", "Both", current["version"] + 1)


def test_a_stale_if_match_is_refused_with_412_and_a_current_one_is_accepted(clients):
    alice, bob = clients
    alices_etag, bobs_etag = alice.get(URL)["ETag"], bob.get(URL)["ETag"]

    first = bob.patch(URL, {"title": "Bob's title"}, format="json", HTTP_IF_MATCH=bobs_etag)
    second = alice.patch(URL, {"title": "Alice's title"}, format="json", HTTP_IF_MATCH=alices_etag)

    assert first.status_code == 200, first.content
    assert second.status_code == 412
    assert second.json()["detail"].startswith("This deal changed since you read it: it was last saved by bob at 20")
    assert Deal.objects.get(slug="amazon-anthropic-2023").title == "Bob's title"

    fresh_etag = alice.get(URL)["ETag"]
    third = alice.patch(URL, {"title": "Alice's title"}, format="json", HTTP_IF_MATCH=fresh_etag)
    assert third.status_code == 200, third.content
    assert Deal.objects.get(slug="amazon-anthropic-2023").title == "Alice's title"


def test_an_edit_to_a_company_the_deal_shows_also_fails_if_match(clients):
    alice, bob = clients
    etag = alice.get(URL)["ETag"]
    bob.patch("/api/v1/companies/anthropic/", {"name": "Anthropic PBC"}, format="json")

    response = alice.patch(URL, {"title": "Alice's title"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert Deal.objects.get(slug="amazon-anthropic-2023").title == "Amazon invests up to $4B in Anthropic"


def test_a_write_without_version_or_if_match_applies_as_sent(clients):
    alice, bob = clients
    bob.patch(URL, {"title": "Bob's title"}, format="json")

    response = alice.patch(URL, {"title": "Alice's title"}, format="json")

    assert response.status_code == 200
    assert Deal.objects.get(slug="amazon-anthropic-2023").title == "Alice's title"


def test_the_spanish_refusal_is_translated(clients):
    alice, bob = clients
    version = alice.get(URL).json()["version"]
    bob.patch(URL, {"title": "Bob's title"}, format="json")

    response = alice.patch(URL, {"title": "x", "version": version}, format="json", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 409
    assert "bob" in response.json()["detail"]
    assert "Nothing was saved" not in response.json()["detail"]


@pytest.mark.parametrize("version", [0, -1, "two", None, 1.5, True])
def test_a_malformed_version_is_400(clients, version):
    alice, _bob = clients

    response = alice.patch(URL, {"title": "x", "version": version}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()


def test_a_patch_keeps_the_field_another_writer_saved_meanwhile_and_both_count(clients, monkeypatch):
    """Bob's PATCH of the summary lands after Alice's PATCH of the title read the deal and before it saved (on
    PostgreSQL the row lock makes Bob wait or Alice re-read; tests/test_concurrency_write_path.py races them for real):
    Alice's PATCH changes only the title, on the row as Bob left it, and the version counts both saves."""
    alice, bob = clients
    version = alice.get(URL).json()["version"]
    validate = services.validate_usd_equivalents

    def bob_saves_meanwhile(*args):
        monkeypatch.setattr(services, "validate_usd_equivalents", validate)
        assert bob.patch(URL, {"summary": "Bob's summary"}, format="json").status_code == 200
        return validate(*args)

    monkeypatch.setattr(services, "validate_usd_equivalents", bob_saves_meanwhile)

    response = alice.patch(URL, {"title": "Alice's title"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["summary"]) == ("Alice's title", "Bob's summary")
    assert response.json()["version"] == version + 2
    deal = Deal.objects.get(slug="amazon-anthropic-2023")
    assert (deal.title, deal.summary, deal.version) == ("Alice's title", "Bob's summary", version + 2)
