"""A backup restored into an empty database gives back every row."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from deals.models import Company, Deal, DealParty, Publication, Source
from deals.rules import content_version
from tests.admin_forms import deal_form, party
from tests.factories import CitationFactory, CompanyFactory, SourceFactory, make_deal, make_user

COMPARED_APPS = {"deals", "auth", "admin", "authtoken"}
# A restore renews the content version (deals.rules.content_version.renew): the one row not given back as it was.
RENEWED = {"deals.ContentVersion"}
# The search documents are not backed up: a restore writes them afresh from the rows it gives back (the legacy rows
# below are written with SQL, behind the back of what keeps the documents in step).
REBUILT = {"deals.DealSearch", "deals.CompanySearch", "deals.SourceSearch"}


def snapshot() -> dict[str, list[dict]]:
    # Content types and permissions are made anew by a flush or a migrate, under other ids: compared by what they name.
    content_types = {pk: (app, model) for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")}
    permissions = {
        pk: (app, codename)
        for pk, app, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    tables = {
        model._meta.label: list(model.objects.order_by("pk").values())
        # Many-to-many tables too (an alliance's deals, a group's permissions).
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in COMPARED_APPS
        and model._meta.label not in {"auth.Permission", *RENEWED, *REBUILT}
        and not model._meta.proxy
    }
    for label, rows in tables.items():
        for row in rows:
            if row.get("content_type_id") is not None:
                row["content_type_id"] = content_types[row["content_type_id"]]
            if row.get("permission_id") is not None:
                row["permission_id"] = permissions[row["permission_id"]]
        if apps.get_model(label)._meta.auto_created:
            # A many-to-many table's rows are links, written anew under ids of their own by a restore.
            tables[label] = sorted(tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in rows)
    return tables


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


def _back_up_and_restore(tmp_path, name="backup.jsonl.gz"):
    backup = tmp_path / name
    call_command("backup", str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), verbosity=0)


def _assert_restored_as_before(before):
    after = snapshot()
    for label, rows in before.items():
        assert after[label] == rows, label


# PostgreSQL's text cannot hold a NUL; SQLite's can, and it comes back too.
def _legacy_control_characters():
    nul = "" if connection.vendor == "postgresql" else "\x00"
    return f"Soft\x0bbreak, form\x0cfeed, bell\x07, escape\x1b, DEL\x7f, C1\x85\x9f, separators\u2028\u2029{nul}."


@pytest.mark.django_db(transaction=True)
def test_legacy_rows_with_control_characters_back_up_and_come_back_exactly(tmp_path, client):
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    deal = make_deal(amazon, anthropic, slug="amazon-anthropic")
    text = _legacy_control_characters()
    # Stored before text was cleaned at input, in the deal and in its history (written past save()).
    Deal.objects.filter(pk=deal.pk).update(summary=text, title=f"Amazon\x0binvests{text}")
    deal.history.filter(pk=deal.history.latest().pk).update(summary=text)
    Company.objects.filter(pk=amazon.pk).update(description=text)
    before = snapshot()

    _back_up_and_restore(tmp_path)

    _assert_restored_as_before(before)
    assert Deal.objects.get(slug="amazon-anthropic").summary == text
    assert deal.history.latest().summary == text
    assert client.get("/feeds/deals.atom").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_text_comes_back_byte_for_byte_spaces_and_crlf_included(tmp_path, editor_client):
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    # A textarea of the admin sends its lines with CRLF, and that is what is stored.
    data = deal_form(
        parties=[party(amazon, "investor"), party(anthropic, "investee")],
        summary="First paragraph.\r\n\r\nSecond paragraph.",
    )
    response = editor_client.post(reverse("admin:deals_deal_add"), data, follow=True)
    assert "was added successfully" in response.content.decode()
    assert Deal.objects.get().summary == "First paragraph.\r\n\r\nSecond paragraph."
    SourceFactory(title="  Indented title, trailing space ", publisher="\tTabbed\t", url="")
    CitationFactory(quote="\r\n quoted \r\n")
    before = snapshot()

    _back_up_and_restore(tmp_path)

    _assert_restored_as_before(before)
    assert Deal.objects.get(slug="amazon-invests-in-anthropic").summary == "First paragraph.\r\n\r\nSecond paragraph."
    assert Source.objects.filter(title="  Indented title, trailing space ", publisher="\tTabbed\t").exists()


@pytest.mark.django_db(transaction=True)
def test_timestamps_come_back_to_the_microsecond(tmp_path):
    company = CompanyFactory(slug="amazon")
    stamp = datetime.datetime(2026, 12, 7, 10, 11, 12, 345678, tzinfo=datetime.UTC)
    Company.objects.filter(pk=company.pk).update(updated_at=stamp)

    _back_up_and_restore(tmp_path)

    assert Company.objects.get(slug="amazon").updated_at == stamp


def test_a_backup_that_fails_leaves_no_file_under_its_name(db, tmp_path, monkeypatch):
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    make_deal(amazon, anthropic, slug="amazon-anthropic")
    earlier = tmp_path / "backup.jsonl.gz"
    earlier.write_bytes(b"an earlier backup")
    fresh = tmp_path / "fresh.jsonl.gz"

    def unwritable(*args, **kwargs):
        raise OSError("No space left on device")

    # Writing out the parties fails, after the companies and the deals.
    monkeypatch.setattr(DealParty._meta.get_field("role"), "value_from_object", unwritable)
    for target in (earlier, fresh):
        with pytest.raises((OSError, CommandError)):
            call_command("backup", str(target), verbosity=0)

    assert earlier.read_bytes() == b"an earlier backup", "an earlier file of the name is left as it was"
    assert not fresh.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["backup.jsonl.gz"], "no partial file is left"


@pytest.mark.django_db(transaction=True)
def test_an_older_xml_backup_still_restores(tmp_path):
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    make_deal(amazon, anthropic, slug="amazon-anthropic")
    before = snapshot()
    older = tmp_path / "dealsite-20261201T000000Z.xml.gz"
    # What `backup` wrote until December 2026.
    call_command(
        "dumpdata",
        format="xml",
        natural_foreign=True,
        exclude=["contenttypes", "auth.permission", "sessions", "axes"],
        output=str(older),
        verbosity=0,
    )
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(older), verbosity=0)

    _assert_restored_as_before(before)


def test_backup_names_its_format(db, tmp_path):
    with pytest.raises(CommandError, match=r"\.jsonl or \.jsonl\.gz"):
        call_command("backup", str(tmp_path / "backup.xml.gz"), verbosity=0)
