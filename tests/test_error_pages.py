"""Our own 404 and 500 pages for people, in their language; JSON errors for API clients."""

import pytest

pytestmark = pytest.mark.django_db


def _broken(monkeypatch, target):
    def fail(*args, **kwargs):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr(target, fail)


@pytest.fixture
def client(client):
    # Answer as production does (DEBUG is off in tests) instead of re-raising into the test.
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    ("url", "heading"),
    [("/no-such-page/", "Page not found"), ("/es/no-such-page/", "Página no encontrada")],
)
def test_an_unknown_page_is_our_404_in_the_visitors_language(client, url, heading):
    response = client.get(url)

    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'class="site-header"' in page


@pytest.mark.parametrize(
    ("url", "heading", "home"),
    [("/", "Server error", 'href="/"'), ("/es/", "Error del servidor", 'href="/es/"')],
)
def test_a_crashing_page_is_our_500_in_the_visitors_language(client, monkeypatch, url, heading, home):
    _broken(monkeypatch, "deals.views.home.public_deals")

    response = client.get(url)

    assert response.status_code == 500
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'class="site-header"' in page and home in page
    assert "RuntimeError" not in page and "the database fell over" not in page


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/no-such-collection/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_crashing_api_request_is_a_json_500(client, monkeypatch):
    _broken(monkeypatch, "deals.api.deal_rows.party_links")

    response = client.get("/api/v1/deals/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "the database fell over" not in response.json()["detail"]
