"""Detail page addresses come from a per-language template: the same as reverse() gives, in every language."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from deals.core.links import detail_url


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_same_addresses_as_reverse(language):
    with translation.override(language):
        assert detail_url("deals:deal-detail", slug="a-deal_2") == reverse(
            "deals:deal-detail", kwargs={"slug": "a-deal_2"}
        )
        assert detail_url("deals:alliance-detail", slug_a="amazon", slug_b="openai") == reverse(
            "deals:alliance-detail", kwargs={"slug_a": "amazon", "slug_b": "openai"}
        )
    assert detail_url("deals:company-detail", slug="aws") == "/companies/aws/"
    with translation.override("es"):
        assert detail_url("deals:company-detail", slug="aws") == "/es/companies/aws/"


def test_a_value_that_is_not_a_slug_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        detail_url("deals:company-detail", slug="not/a slug")


def test_pages_link_rows_in_the_page_language(client, world):
    content = client.get("/es/deals/").content.decode()
    assert 'href="/es/companies/amazon/"' in content
    assert 'href="/es/deals/amazon-invests-in-anthropic/"' in content
