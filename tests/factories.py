"""factory_boy factories: the smallest valid objects, overridable per test."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import factory
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User
from django.test import TestCase, override_settings

from deals.core.choices import CompanyKind, DealKind
from deals.models import Citation, Company, Deal, DealParty, Publication, Role, Source, Tranche
from deals.rules.permissions import ensure_groups


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    kind = CompanyKind.AI_LAB
    country = "US"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.com/article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    publisher = "Example News"
    published_on = datetime.date(2024, 1, 15)
    language = "en"


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    title = factory.Sequence(lambda n: f"Deal {n}")
    slug = factory.Sequence(lambda n: f"deal-{n}")
    kind = DealKind.EQUITY
    announced_on = datetime.date(2024, 1, 15)
    amount = Decimal("1000000000")
    currency = "USD"


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealParty

    deal = factory.SubFactory(DealFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Role.INVESTOR


class TrancheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tranche

    deal = factory.SubFactory(DealFactory)
    label = "initial"
    amount = Decimal("500000000")


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    deal = factory.SubFactory(DealFactory)
    source = factory.SubFactory(SourceFactory)


def make_deal(investor, investee, *, published=True, cite=True, **fields) -> Deal:
    """A deal in which `investor` invests in `investee` (the common case in tests)."""
    deal = DealFactory(**fields)
    PartyFactory(deal=deal, company=investor, role=Role.INVESTOR)
    PartyFactory(deal=deal, company=investee, role=Role.INVESTEE)
    if cite:
        CitationFactory(deal=deal)
    if published:
        deal.publication = Publication.PUBLISHED
        deal.save()
    return deal


HELD_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@contextmanager
def saved_as_one_batch():
    """Many saves whose figures are rebuilt once, at the end, as a worker does for one transaction.

    The tests run tasks at once, after every save: without this, a hundred deals rebuild the figures four hundred
    times. Inside the block the tasks are held (a backend that only keeps them), so each save adds its deals to the
    transaction's pending work (deals.figures.tasks.figures_changed); the commit callbacks that queue that work then
    run at the end, with the immediate backend back.
    """
    with TestCase.captureOnCommitCallbacks() as callbacks, override_settings(TASKS=HELD_TASKS):
        yield
    for callback in callbacks:
        callback()


def make_user(username: str, *groups: str, superuser: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", "correct horse battery staple")
    user.is_staff = bool(groups) or superuser
    user.is_superuser = superuser
    user.save()
    if groups:
        # Transactional tests (live server) flush the tables the data migration filled.
        create_permissions(apps.get_app_config("deals"), verbosity=0)
        ensure_groups(Group, Permission)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user
