"""Every migration reverses: the whole schema goes to zero and back."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_migrate_to_zero_and_back():
    call_command("migrate", "deals", "zero", verbosity=0)
    assert "deals_deal" not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)
    assert "deals_deal" in connection.introspection.table_names()
    # The data migrations ran again too: the editors' groups are back.
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Publishers"}
