"""The small world every test lives in: a visitor, an editor, a publisher, an admin, and real deals."""

import pytest
from django.core.management import call_command

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
