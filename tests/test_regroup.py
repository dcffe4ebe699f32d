"""A company given another parent (or none): only the figures of the groups it leaves and joins are rebuilt, by the
task, and every stored figure still equals what the deals give (`manage.py check_figures`). A deal edit that
changes no figure (its summary) rebuilds nothing."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from deals.core.choices import CompanyKind, DealKind
from deals.figures import alliances, company_totals, flows, tasks
from deals.figures.groups import groups_of
from deals.models import Alliance, Company, Deal
from tests.money_world import buys, company, invests

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    # On commit (here: at the end of each block) the circular deals are rebuilt, as after a request.
    with django_capture_on_commit_callbacks(execute=True):
        return _build()


def _build():
    amazon = company("amazon", CompanyKind.BIG_TECH)
    aws = company("aws", CompanyKind.CLOUD, parent=amazon)
    google = company("google", CompanyKind.BIG_TECH)
    anthropic = company("anthropic", CompanyKind.AI_LAB)
    openai = company("openai", CompanyKind.AI_LAB)
    nvidia = company("nvidia", CompanyKind.CHIPMAKER)
    bystander = company("bystander", CompanyKind.AI_LAB)
    invests(amazon, anthropic, 4, on="2023-09-25")
    buys(anthropic, aws, 1, on="2024-11-01")
    invests(google, anthropic, 2, on="2024-01-10")
    buys(aws, nvidia, 3, kind=DealKind.CHIP_SUPPLY, on="2025-02-01")
    buys(google, aws, 1, on="2025-03-01")
    buys(openai, nvidia, 100, kind=DealKind.CHIP_SUPPLY, on="2025-09-22")
    buys(bystander, nvidia, 5, kind=DealKind.CHIP_SUPPLY, on="2022-05-05")
    return Company.objects.in_bulk(field_name="slug")


def check_figures() -> str:
    out = io.StringIO()
    call_command("check_figures", stdout=out)
    return out.getvalue()


@pytest.fixture
def set_parent(superuser, django_capture_on_commit_callbacks):
    def patch(slug, parent):
        client = APIClient()
        client.force_authenticate(superuser)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.patch(f"/api/v1/companies/{slug}/", {"parent": parent}, format="json")
        assert response.status_code == 200, response.content

    return patch


@pytest.mark.parametrize(
    ("slug", "parents"),
    [
        ("aws", ["google", None, "amazon"]),  # to another group, out of any, back
        ("anthropic", ["amazon", "google", None]),  # a lab whose deals are with its new group: money within it
        ("google", ["amazon"]),  # a whole group under another, with its subsidiaries' deals
    ],
)
def test_a_new_parent_leaves_every_figure_equal_to_the_deals(world, set_parent, slug, parents):
    for parent in parents:
        set_parent(slug, parent)
        assert "0 differences" in check_figures()


def test_only_the_groups_left_and_joined_are_recomputed(world, set_parent):
    with (
        mock.patch("deals.figures.alliances.refresh", wraps=alliances.refresh) as refresh,
        mock.patch("deals.figures.company_totals.refresh", wraps=company_totals.refresh) as totals,
    ):
        set_parent("aws", "google")

    [(args, kwargs)] = [(call.args, call.kwargs) for call in refresh.call_args_list]
    assert args == () and kwargs == {"involving": {world["amazon"].pk, world["google"].pk}}
    [(recomputed,), _kwargs] = totals.call_args
    assert recomputed == {world["amazon"].pk, world["aws"].pk, world["google"].pk}
    assert "0 differences" in check_figures()
    assert Alliance.objects.filter(company_a=world["bystander"]).exists()  # a pair of neither group, kept as it was
    assert groups_of({world["aws"].pk}) == {world["aws"].pk: world["google"].pk}


def test_a_summary_edit_recomputes_nothing_but_a_new_status_does(world, superuser, django_capture_on_commit_callbacks):
    deal = Deal.objects.get(parties__company=world["openai"])
    client = APIClient()
    client.force_authenticate(superuser)
    with (
        mock.patch("deals.figures.flows.rebuild", wraps=flows.rebuild) as rebuild,
        mock.patch("deals.figures.tasks.request_cycles_rebuild", wraps=tasks.request_cycles_rebuild) as cycles,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.patch(f"/api/v1/deals/{deal.slug}/", {"summary": "Retold."}, format="json")
        assert response.status_code == 200, response.content
        assert not rebuild.called and not cycles.called

        with django_capture_on_commit_callbacks(execute=True):
            response = client.patch(f"/api/v1/deals/{deal.slug}/", {"status": "cancelled"}, format="json")
        assert response.status_code == 200, response.content
        assert rebuild.called and cycles.called
    assert "0 differences" in check_figures()
