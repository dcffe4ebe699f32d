"""CSV in and out of the admin. A file with a bad row imports nothing and says which row and why."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.forms import SelectableFieldsExportForm

from deals.exchange.resources import CompanyResource, DealResource, SourceResource
from deals.models import Company, Deal, Publication, Source
from tests.factories import CompanyFactory, make_deal

COMPANY_HEADER = "slug,name,kind,parent,country,founded_year,website,legal_form,aliases,description\n"


def _upload(client, model: str, content: str):
    return client.post(
        reverse(f"admin:deals_{model}_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile(f"{model}.csv", content.encode())},
        follow=True,
    )


def _confirm(client, model: str, preview):
    page = preview.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    return client.post(
        reverse(f"admin:deals_{model}_process_import"),
        {name: fields.get(name, "") for name in ("import_file_name", "original_file_name", "format", "resource")},
        follow=True,
    )


def _export(client, model: str, resource):
    """Submit the export form with every column ticked, as its defaults are."""
    columns = {
        SelectableFieldsExportForm.create_boolean_field_name(resource, name): "on"
        for name in resource().get_export_order()
    }
    return client.post(reverse(f"admin:deals_{model}_export"), {"format": "0", "resource": "0", **columns})


def test_a_good_company_file_imports_after_confirmation(editor_client):
    CompanyFactory(name="Amazon", slug="amazon")
    content = (
        COMPANY_HEADER
        + "aws,Amazon Web Services,cloud,amazon,US,2006,https://aws.amazon.com,,AWS,Amazon's cloud\n"
        + "openai,OpenAI,ai_lab,,US,2015,https://openai.com,,,Maker of ChatGPT\n"
    )

    preview = _upload(editor_client, "company", content)
    assert "Confirm import" in preview.content.decode()
    assert not Company.objects.filter(slug="aws").exists(), "nothing is written before confirmation"

    _confirm(editor_client, "company", preview)
    aws = Company.objects.get(slug="aws")
    assert aws.parent.slug == "amazon"
    assert aws.founded_year == 2006
    assert Company.objects.filter(slug="openai").exists()


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(editor_client):
    content = (
        COMPANY_HEADER
        + "openai,OpenAI,ai_lab,,US,2015,https://openai.com,,,\n"
        + "evil,Evil Corp,ai_lab,,US,2015,javascript:alert(1),,,\n"
        + "nvidia,Nvidia,chipmaker,,US,1993,https://nvidia.com,,,\n"
    )

    response = _upload(editor_client, "company", content)

    page = response.content.decode()
    assert "Some rows failed to validate" in page
    assert "Enter a web address that starts with http:// or https://." in page
    assert re.search(r"<td>\s*2\s*</td>", page), "the bad row is named by its number"
    assert "Confirm import" not in page
    assert Company.objects.count() == 0


def test_imported_deals_are_drafts(editor_client):
    header = "slug,title,kind,status,publication,announced_on,announced_precision,amount,currency\n"
    preview = _upload(
        editor_client, "deal", header + "big-deal,Big deal,equity,announced,published,2024-01-02,day,100,USD\n"
    )
    _confirm(editor_client, "deal", preview)

    assert Deal.objects.get(slug="big-deal").publication == Publication.DRAFT


def test_export_of_deals_and_sources(editor_client):
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    make_deal(amazon, anthropic, slug="amazon-anthropic", title="Amazon invests")

    deals_csv = _export(editor_client, "deal", DealResource)
    sources_csv = _export(editor_client, "source", SourceResource)

    assert deals_csv["Content-Type"].startswith("text/csv")
    text = deals_csv.content.decode()
    assert "amazon-anthropic,Amazon invests,equity" in text
    assert "anthropic:investee; amazon:investor" in text
    assert Source.objects.get().url in sources_csv.content.decode()


def test_exported_csv_cannot_run_formulas(editor_client):
    CompanyFactory(name='=HYPERLINK("http://evil")', slug="evil")

    text = _export(editor_client, "company", CompanyResource).content.decode()

    assert ",=HYPERLINK" not in text
    assert "HYPERLINK" in text


DEAL_HEADER = "slug,title,kind,publication\n"


def _public_deal():
    amazon, anthropic = CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic")
    return make_deal(amazon, anthropic, slug="public-deal", title="Public")


def test_an_editor_cannot_unpublish_by_importing_a_draft_row(editor_client):
    deal = make_deal(
        CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic"), slug="public-deal", title="Public"
    )

    response = _upload(editor_client, "deal", DEAL_HEADER + "public-deal,Public but edited,equity,draft\n")

    page = response.content.decode()
    assert "Some rows failed to validate" in page
    assert "You do not have permission to publish or unpublish deals." in page
    assert re.search(r"<td>\s*1\s*</td>", page), "the refused row is named by its number"
    assert "Confirm import" not in page
    deal.refresh_from_db()
    assert (deal.publication, deal.title) == (Publication.PUBLISHED, "Public")


def test_a_publisher_may_unpublish_by_import_and_an_editor_may_edit_a_published_row(publisher_client, editor):
    deal = make_deal(
        CompanyFactory(slug="amazon"), CompanyFactory(slug="anthropic"), slug="public-deal", title="Public"
    )

    _confirm(
        publisher_client, "deal", _upload(publisher_client, "deal", DEAL_HEADER + "public-deal,Public,equity,draft\n")
    )
    deal.refresh_from_db()
    assert deal.publication == Publication.DRAFT

    deal.publication = Publication.PUBLISHED
    deal.save()
    publisher_client.force_login(editor)
    preview = _upload(publisher_client, "deal", DEAL_HEADER + "public-deal,Public and edited,equity,published\n")
    _confirm(publisher_client, "deal", preview)
    deal.refresh_from_db()
    assert (deal.publication, deal.title) == (Publication.PUBLISHED, "Public and edited")
