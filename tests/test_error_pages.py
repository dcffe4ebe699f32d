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
    _broken(monkeypatch, "deals.web.views.home.public_deals")

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


@pytest.fixture
def error_log():
    """What the configured stderr handler writes (settings.LOGGING), read from a buffer put in place of stderr."""
    import io
    import logging
    import sys

    handler = next(h for h in logging.getLogger("django.request").handlers if getattr(h, "stream", None) is sys.stderr)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.parametrize(("url", "target"), [("/", "deals.web.views.home.public_deals"), ("/api/v1/deals/", None)])
def test_a_server_error_is_one_log_line_with_the_request_id_the_answer_shows(
    client, monkeypatch, error_log, url, target
):
    _broken(monkeypatch, target or "deals.api.deal_rows.party_links")

    response = client.get(url)

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    if url.startswith("/api/"):
        assert response.json()["request_id"] == request_id
    else:
        assert f"<code>{request_id}</code>" in response.content.decode()
    lines = error_log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert f"request_id={request_id} Internal Server Error: {url}" in lines[0]
    assert "RuntimeError: the database fell over" in lines[0]


def test_a_sane_request_id_from_the_proxy_is_kept_and_any_other_replaced(client, monkeypatch, error_log):
    _broken(monkeypatch, "deals.web.views.home.public_deals")

    kept = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a.42")
    replaced = client.get("/", HTTP_X_REQUEST_ID="<script>\x00 " + "x" * 100)

    assert kept["X-Request-ID"] == "lb-7f3a.42" and "<code>lb-7f3a.42</code>" in kept.content.decode()
    assert len(replaced["X-Request-ID"]) == 32 and "<script>" not in error_log.getvalue()
    assert "request_id=lb-7f3a.42 " in error_log.getvalue()


def test_a_request_that_succeeds_logs_nothing_and_carries_its_id(client, error_log):
    response = client.get("/healthz")

    assert response.status_code == 200 and response["X-Request-ID"]
    assert client.get("/no-such-page/").status_code == 404
    assert error_log.getvalue() == ""


def test_the_500_page_in_spanish_names_the_request_id(client, monkeypatch):
    _broken(monkeypatch, "deals.web.views.home.public_deals")

    response = client.get("/es/")

    assert f"indica este identificador de la petición: <code>{response['X-Request-ID']}</code>" in (
        response.content.decode()
    )
