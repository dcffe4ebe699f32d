"""The small world every test lives in: a visitor, an editor, a publisher, an admin, and real deals."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from tests import shared_data
from tests.factories import make_user
from tests.shared_data import shared_fixture


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


@shared_fixture
def seed_articles():
    """The deals of the five seed articles, loaded through the real command."""
    call_command("load_seed_data", verbosity=0)


@pytest.fixture
def seed(seed_articles):
    """The deals of the five seed articles (tests/shared_data.py: loaded once for consecutive tests)."""


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English: a request to a Spanish page leaves Spanish active in the thread."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_at_once():
    """Figure tasks run where they are queued: a save's figures are current when it returns, its circular deals
    right after its commit (tests/test_figure_tasks.py covers the database queue and its worker)."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _own_shared_cache(tmp_path_factory):
    """The default cache is shared by every process (settings.CACHE_URL): each test process gets a folder of its own,
    so that one clearing it between tests does not clear another's mid-test (nor a server's running from here)."""
    from django.conf import settings

    folder = str(tmp_path_factory.mktemp("django-cache"))
    default = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": folder}
    throttle = {**default, "LOCATION": f"{folder}/throttle"}
    with override_settings(CACHES={**settings.CACHES, "default": default, "throttle": throttle}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _whole_pages_not_kept():
    """Each request runs its view, so that a test can read the response's context and count its queries; the kept
    pages (dealsite/page_cache.py) have tests of their own (tests/test_page_cache.py), which turn them on."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: no API requests counted by the throttle, no list totals remembered
    (a rolled-back test leaves the content version at a number the next test reaches with other rows)."""
    for each in caches.all():
        each.clear()


@pytest.fixture
def api_client():
    """An anonymous API client."""
    return APIClient()


@shared_fixture
def public_world():
    """The companies and deals the public-page tests browse (see tests/public_world.py)."""
    from tests.public_world import build

    return build()


@shared_fixture
def shared_api_world():
    """The API tests' companies and deals (see tests/api_world.py)."""
    from tests.api_world import build_world

    return build_world()


@pytest.fixture
def world(public_world):
    """The companies and deals the public-page tests browse; a module may have a `world` of its own."""
    return public_world


# Speed: the shared fixtures above (`seed_articles`, `public_world`) are built once for each run of tests that ask
# for them, not once per test (tests/shared_data.py); passwords are hashed with MD5, not 1,000,000 rounds of PBKDF2.


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def _shelf(django_db_setup, django_db_blocker):
    shelf = shared_data.Shelf(django_db_blocker)
    shared_data.shelf = shelf
    yield shelf
    shelf.empty()


@pytest.fixture
def _django_db_helper(request, _shelf):
    """pytest-django's per-test transaction, begun once the shared data the test asks for is in the database."""
    _shelf.prepare_for(request)
    request.getfixturevalue("_django_db_helper")  # pytest-django's own, which this one overrides
    _shelf.check_nested()


def pytest_runtest_call(item):
    if shared_data.shelf is not None:
        shared_data.shelf.check_used(item)
