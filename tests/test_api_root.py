"""The API can be found: /api/v1/ lists its collections, and every page's footer links to it."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_collection(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        name: f"http://testserver/api/v1/{name}/" for name in ("companies", "deals", "alliances", "sources", "cycles")
    }


def test_every_page_links_to_the_api_its_docs_and_how_totals_are_counted(client):
    page = client.get("/").content.decode()
    assert '<a href="/api/v1/">API (JSON and CSV)</a>' in page
    assert '<a href="/api/v1/docs/">API documentation</a>' in page
    assert '<a href="/figures/">How totals are counted</a>' in page
    assert "How totals are counted" in client.get("/figures/").content.decode()
