"""The admin says whose it is: Dealsite's editors, not Django's administration."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_login_page_and_the_index_name_dealsite(client, admin_user):
    login = client.get("/admin/login/").content.decode()
    assert "Dealsite editors" in login
    assert "Django administration" not in login
    client.force_login(admin_user)
    index = client.get("/admin/").content.decode()
    assert "<title>Companies, deals and sources | Dealsite editors</title>" in index
    assert 'href="/"' in index


def test_in_spanish(client, admin_user):
    client.force_login(admin_user)
    index = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Django" not in index.split("<title>")[1].split("</title>")[0]
