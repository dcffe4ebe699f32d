"""A backup restored into an empty database gives back every row."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from deals.models import Deal
from tests.factories import make_user

COMPARED_APPS = {"deals", "auth", "admin", "authtoken"}


def snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in COMPARED_APPS and model._meta.label != "auth.Permission"
    }


# Transactional: PostgreSQL cannot TRUNCATE (flush) inside the test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_every_row(seed, tmp_path, editor_client):
    make_user("paula", "Editors", "Publishers")
    deal = Deal.objects.get(slug="google-anthropic-2b")
    deal.title = "Edited so history has a change"
    deal.save()
    before = snapshot()
    backup = tmp_path / "backup.xml.gz"

    call_command("backup", str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Deal.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    after = snapshot()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, label
    assert sum(len(rows) for rows in before.values()) > 300, "the seed, its history and the users"


def test_restore_refuses_a_database_with_data(seed, tmp_path):
    backup = tmp_path / "backup.xml"
    call_command("backup", str(backup), verbosity=0)

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(backup), verbosity=0)
