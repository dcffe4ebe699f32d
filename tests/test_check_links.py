"""`manage.py check_links` against a local HTTP server the test starts (never the internet)."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(2)
        status = {"/ok": 200, "/gone": 404, "/broken": 500, "/moved": 301, "/slow": 200}.get(self.path, 404)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(*args) -> str:
    out = StringIO()
    call_command("check_links", *args, stdout=out)
    return out.getvalue()


def test_dead_and_redirected_links_are_reported_and_good_ones_are_not(server, closed_port):
    good = SourceFactory(url=f"{server}/ok", archived_url=f"{server}/gone")
    gone = SourceFactory(url=f"{server}/gone")
    broken = SourceFactory(url=f"{server}/broken")
    moved = SourceFactory(url=f"{server}/moved")
    refused = SourceFactory(url=f"http://127.0.0.1:{closed_port}/x")
    SourceFactory(url="")

    lines = run("--timeout", "1", "--concurrency", "2").splitlines()

    assert f"dead\tsource #{good.pk}\tarchived\t{server}/gone\t404" in lines
    assert f"dead\tsource #{gone.pk}\tlink\t{server}/gone\t404" in lines
    assert f"dead\tsource #{broken.pk}\tlink\t{server}/broken\t500" in lines
    assert f"redirected\tsource #{moved.pk}\tlink\t{server}/moved\t301 → /ok" in lines
    assert any(line.startswith(f"dead\tsource #{refused.pk}\tlink\t") for line in lines)
    assert not any(f"{server}/ok\t" in line for line in lines)
    assert lines[-1] == "6 links checked: 4 dead, 1 redirected, 1 ok."


def test_a_link_that_does_not_answer_in_time_is_dead(server):
    slow = SourceFactory(url=f"{server}/slow")
    started = time.monotonic()
    output = run("--timeout", "0.3")
    assert time.monotonic() - started < 1.9
    assert f"dead\tsource #{slow.pk}\tlink\t{server}/slow\t" in output
    assert "timed out" in output


def test_bad_options_are_refused():
    with pytest.raises(CommandError):
        run("--concurrency", "0")
