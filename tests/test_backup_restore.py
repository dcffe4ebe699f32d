"""A backup restored into an empty database gives back every row."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from deals import content_version
from deals.models import Deal, Publication
from tests.factories import make_user

COMPARED_APPS = {"deals", "auth", "admin", "authtoken"}
# A restore renews the content version (deals.content_version.renew): the one row not given back as it was.
RENEWED = {"deals.ContentVersion"}


def snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in COMPARED_APPS and model._meta.label not in {"auth.Permission", *RENEWED}
    }


# Transactional: PostgreSQL cannot TRUNCATE (flush) inside the test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_every_row(seed, tmp_path, editor_client):
    make_user("paula", "Editors", "Publishers")
    deal = Deal.objects.get(slug="google-anthropic-2b")
    deal.title = "Edited so history has a change"
    deal.save()
    before = snapshot()
    backup = tmp_path / "backup.jsonl.gz"

    call_command("backup", str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Deal.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    after = snapshot()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, label
    assert sum(len(rows) for rows in before.values()) > 300, "the seed, its history and the users"


@pytest.mark.django_db(transaction=True)
def test_after_a_restore_lists_show_the_restored_totals_not_ones_counted_before(seed, tmp_path, client):
    backup = tmp_path / "backup.jsonl.gz"
    call_command("backup", str(backup), verbosity=0)
    backed_up_version = content_version.current()
    restored_total = _deal_total(client)
    unpublished = Deal.objects.filter(publication=Publication.PUBLISHED).first()
    unpublished.publication = Publication.DRAFT
    unpublished.save()
    assert _deal_total(client) == restored_total - 1  # kept in the cache under the version after the backup's

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), verbosity=0)
    assert content_version.current() != backed_up_version
    edited = Deal.objects.get(pk=unpublished.pk)
    edited.title = "Edited after the restore"
    edited.save()
    assert _deal_total(client) == restored_total


def _deal_total(client) -> int:
    return client.get("/deals/").context["page"].paginator.count


def test_restore_refuses_a_database_with_data(seed, tmp_path):
    backup = tmp_path / "backup.jsonl"
    call_command("backup", str(backup), verbosity=0)

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(backup), verbosity=0)
