"""The circular page is kept whole under the content version (dealsite.page_cache): read again, it shows the same page
from one query; after any change to what a loop shows, it shows the change, as a page written afresh does."""

import re

import pytest
from django.core.cache import caches
from django.test import override_settings

from deals.models import Publication
from deals.rules import content_version
from tests.factories import CitationFactory, SourceFactory
from tests.money_world import buys, company, invests

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """Two loops: a cloud and a lab paying each other, and the lab with a chip maker."""
    with django_capture_on_commit_callbacks(execute=True):
        cloud, lab, chips = company("cloud", name="Cloud"), company("lab", name="Lab"), company("chips", name="Chips")
        stake = invests(cloud, lab, 4, title="Cloud invests in Lab", slug="stake")
        buys(lab, cloud, 2, title="Lab buys compute", slug="compute")
        invests(chips, lab, 3, title="Chips invests in Lab", slug="chips-stake")
        buys(lab, chips, 1, title="Lab buys chips", slug="gpus")
    return {"cloud": cloud, "lab": lab, "stake": stake}


def loops_markup(client, path="/circular/", **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return "".join(re.findall(r'<article class="card loop".*?</article>\n', response.content.decode(), re.DOTALL))


def written_afresh(client, path="/circular/", **params) -> str:
    for cache in caches.all():
        cache.clear()
    return loops_markup(client, path, **params)


@override_settings(PAGE_CACHE_SECONDS=600)  # the whole page kept (dealsite/page_cache.py), as in production
def test_a_page_read_again_shows_the_same_loops_from_one_query(client, world, django_assert_num_queries):
    first = loops_markup(client)
    assert first.count('<article class="card loop"') == 2
    # The content version, under which the whole page is kept.
    with django_assert_num_queries(1):
        assert loops_markup(client) == first
    second_page = written_afresh(client, page_size=1, page=2)
    assert second_page.count('<article class="card loop"') == 1
    with django_assert_num_queries(1):
        assert loops_markup(client, page_size=1, page=2) == second_page


@pytest.mark.parametrize(
    "change, shown",
    [
        ("rename a company", "Cloud &amp; Co"),
        ("retitle a deal", "Cloud&#x27;s <b>stake</b>".replace("<", "&lt;").replace(">", "&gt;")),
        ("cite a source", "Filing &quot;S-1&quot;"),
        ("unpublish a deal", None),
        ("delete a deal", None),
    ],
)
def test_a_change_shows_at_once(client, world, django_capture_on_commit_callbacks, change, shown):
    before = loops_markup(client)
    with django_capture_on_commit_callbacks(execute=True):
        if change == "rename a company":
            world["cloud"].name = "Cloud & Co"
            world["cloud"].save()
        elif change == "retitle a deal":
            world["stake"].title = "Cloud's <b>stake</b>"
            world["stake"].save()
        elif change == "cite a source":
            CitationFactory(deal=world["stake"], source=SourceFactory(title='Filing "S-1"'))
        elif change == "unpublish a deal":
            world["stake"].publication = Publication.DRAFT
            world["stake"].save()
        else:
            world["stake"].delete()

    after = loops_markup(client)
    assert after != before
    assert after == written_afresh(client)
    if shown is None:
        # The cloud's loop is gone with its deal; the chip maker's stays.
        assert after.count('<article class="card loop"') == 1
        assert "Cloud invests in Lab" not in after
    else:
        assert shown in after


def test_each_language_keeps_its_own_markup(client, world):
    english = loops_markup(client)
    spanish = loops_markup(client, "/es/circular/")
    assert "Smaller of the flows" in english
    assert "Smaller of the flows" not in spanish
    assert spanish == written_afresh(client, "/es/circular/")
    assert loops_markup(client) == english


def test_folded_and_separate_views_keep_their_own_markup(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world["cloud"].parent = company("holding", name="Holding")
        world["cloud"].save()
    folded = loops_markup(client)
    separate = loops_markup(client, separate="true")
    assert "Holding" in folded and "Holding" not in separate
    assert separate == written_afresh(client, separate="true")
    assert loops_markup(client) == folded


def test_a_version_read_once_is_forgotten_when_the_content_changes(django_assert_num_queries):
    with content_version.read_once():
        with django_assert_num_queries(1):
            first = content_version.current()
            assert content_version.current() == first
        content_version.bump()
        with django_assert_num_queries(1):
            assert content_version.current() == first + 1
        content_version.renew()
        renewed = content_version.current()
        assert renewed not in (first, first + 1)
    # Outside the block, each call reads the database.
    with django_assert_num_queries(2):
        assert content_version.current() == renewed
        assert content_version.current() == renewed
