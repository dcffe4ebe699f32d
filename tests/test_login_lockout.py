"""Brute force on the admin login is locked out after a few failures."""

from axes.models import AccessAttempt
from django.urls import reverse

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery staple"


def _login(client, password, address="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": "erin", "password": password, "next": "/admin/"}, **extra)


def test_five_failures_lock_out_even_the_right_password(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong").status_code == 200
    locked = _login(client, "wrong")
    after = _login(client, PASSWORD)

    assert locked.status_code == 429
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()

    assert _login(client, "wrong").status_code == 200


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, editor, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", forwarded=f"198.51.100.{attempt}")

    assert _login(client, PASSWORD, forwarded="198.51.100.99").status_code == 429


def test_behind_one_proxy_the_lockout_counts_the_address_the_proxy_saw(client, editor, settings):
    """Same rule as the API throttle (dealsite.client_ip): only the entry our proxy appended is trusted."""
    settings.NUM_PROXIES = 1
    proxy = "10.0.0.254"
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", address=proxy, forwarded=f"198.51.100.{attempt}, 203.0.113.7")

    assert _login(client, PASSWORD, address=proxy, forwarded="198.51.100.99, 203.0.113.7").status_code == 429
    other_client = _login(client, PASSWORD, address=proxy, forwarded="203.0.113.8")
    assert other_client.status_code == 302, "another visitor behind the same proxy is not locked out"


MALFORMED_FORWARDED_FOR = ["1.2.3.4:8080", "garbage", "nul\x00", "198.51.100.1, 999.1.1.1", "[2001:db8::1]:443", " , "]


def test_behind_a_proxy_a_malformed_forwarded_for_counts_the_connections_address(client, editor, settings):
    """An entry that is not an address never reaches axes' inet column (a 500 on PostgreSQL): the proxy's own
    address is counted instead, for every malformed value alike."""
    settings.NUM_PROXIES = 1
    proxy = "10.0.0.254"
    for forwarded in MALFORMED_FORWARDED_FOR:
        response = _login(client, "wrong", address=proxy, forwarded=forwarded)
        assert response.status_code in (200, 429), (forwarded, response.status_code)

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {proxy}
    assert _login(client, PASSWORD, address=proxy, forwarded="garbage").status_code == 429
    assert _login(client, PASSWORD, address=proxy, forwarded="203.0.113.8").status_code == 302


def test_the_api_throttle_counts_a_malformed_forwarded_for_as_the_connections_address(api_client, db, settings):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    statuses = [
        api_client.get("/api/v1/companies/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded).status_code
        for forwarded in ["1.2.3.4:8080", "garbage", "nul\x00", "203.0.113.9:1"]
    ]
    assert statuses == [200, 200, 200, 429]
    other = api_client.get("/api/v1/companies/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.status_code == 200
