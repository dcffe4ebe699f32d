"""The small world every test lives in: a visitor, an editor, a publisher, an admin, and real deals."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import make_user


@pytest.fixture
def editor(db):
    return make_user("erin", "Editors")


@pytest.fixture
def publisher(db):
    return make_user("paula", "Editors", "Publishers")


@pytest.fixture
def superuser(db):
    return make_user("root", superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def seed(db):
    """The deals of the five seed articles, loaded through the real command."""
    call_command("load_seed_data", verbosity=0)


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English: a request to a Spanish page leaves Spanish active in the thread."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """API throttling counts requests in the cache: each test starts with none counted."""
    cache.clear()


@pytest.fixture
def api_client():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def world(db):
    """The companies and deals the public-page tests browse (see tests/public_world.py)."""
    from tests import public_world

    return public_world.build()
