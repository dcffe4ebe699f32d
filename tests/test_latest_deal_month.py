"""The month of an alliance's latest deal, in the alliances list and a company page's partners table, in the
language of the page (deals.web.rows keeps the text per month and language)."""

import re

import pytest

ENGLISH = ("Latest deal", "February 2026")
SPANISH = ("Último acuerdo", "febrero de 2026")


def row_of(html: str, alliance_url: str) -> str:
    """The table row that links to the alliance."""
    rows = re.findall(r"<tr>(?:(?!</tr>).)*</tr>", html, re.S)
    [row] = [row for row in rows if f'href="{alliance_url}"' in row]
    return row


@pytest.mark.parametrize("page", ["/alliances/", "/companies/openai/"])
def test_the_latest_deal_month_follows_the_language_of_the_page(client, world, page):
    for prefix, (label, month) in (("", ENGLISH), ("/es", SPANISH), ("", ENGLISH)):
        html = client.get(prefix + page).content.decode()
        row = row_of(html, f"{prefix}/alliances/amazon--openai/")
        assert f'<td data-label="{label}" class="nowrap">{month}</td>' in row
