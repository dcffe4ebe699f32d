"""The site's icon: linked from every page, and /favicon.ico (which browsers ask for anyway) leads to it."""

from pathlib import Path

from django.contrib.staticfiles import finders


def test_favicon_ico_redirects_to_the_vendored_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    icon = Path(finders.find("img/favicon.svg")).read_text(encoding="utf-8")
    assert icon.startswith("<svg") and "http" not in icon.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_pages_link_the_icon(client, db):
    for path in ["/", "/es/deals/"]:
        content = client.get(path).content.decode()
        assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in content
