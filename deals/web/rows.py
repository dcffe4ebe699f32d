"""Table rows of the lists, written in Python: a page of deals renders in a few milliseconds.

Django's template engine costs about a millisecond a deal row (a dozen lookups, an include for the
parties, a translated label per cell); these functions write the same markup, escaping every value.
The labels are translated once per table, not once per cell.
"""

import html
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from deals.core.choices import DatePrecision, DealKind, DealStatus, Role
from deals.core.dates import format_partial_date, truncate
from deals.core.links import detail_url_maker, web_link
from deals.core.money import format_money, format_range

COMMITTED_STATUSES = ("announced", "completed")
# What deal_rows and timeline_items read of a deal: the pages load these columns only (.only()).
DEAL_ROW_FIELDS = [
    "slug",
    "title",
    "kind",
    "status",
    "announced_on",
    "announced_precision",
    "amount",
    "currency",
    "amount_qualifier",
    "amount_usd",
]


def escape(value) -> str:
    """django.utils.html.escape's output (html.escape of the text), without its lazy-string check per call."""
    return html.escape(str(value))


def labels_of(choices) -> dict[str, str]:
    """{value: label} in the active language, escaped. Model.get_FOO_display() hashes every translated label
    of the field on each call (a dozen translations per cell); this translates each label once per language."""
    return _escaped_labels(choices, get_language())


def plain_labels_of(choices) -> dict[str, str]:
    """labels_of() as text, not escaped (for JSON). A shared dict: not to be changed."""
    return _plain_labels(choices, get_language())


@lru_cache(maxsize=64)
def _plain_labels(choices, language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


@lru_cache(maxsize=64)
def _escaped_labels(choices, language: str | None) -> dict[str, str]:
    return {value: escape(label) for value, label in _plain_labels(choices, language).items()}


def _parties(deal, roles, company_url) -> str:
    """The deal's parties, from the rows deals.lists.party_links attached to it."""
    items = "".join(
        f'\n    <li><a href="{escape(company_url(party.company_slug))}">{escape(party.company_name)}</a> '
        f'<span class="role">{roles.get(party.role, escape(party.role))}</span></li>'
        for party in deal.party_links
    )
    return f'\n<ul class="party-list">{items}\n</ul>\n'


def _announced(deal, language: str | None) -> str:
    """The deal's date as shown, escaped (`language`: the active one, from get_language())."""
    return _date_text(deal.announced_on, deal.announced_precision, language)


def deal_rows(deals) -> SafeString:
    """The <tr> of each deal of includes/deal_table.html: date, title with kind and status, parties, amount."""
    labels = {
        "announced": escape(_("Announced")),
        "deal": escape(_("Deal")),
        "parties": escape(_("Parties")),
        "amount": escape(_("Amount")),
    }
    roles, kinds, statuses = labels_of(Role), labels_of(DealKind), labels_of(DealStatus)
    company_url = detail_url_maker("deals:company-detail", "slug")
    deal_url = detail_url_maker("deals:deal-detail", "slug")
    language = get_language()
    rows = []
    for deal in deals:
        status = ""
        if deal.status not in COMMITTED_STATUSES:
            status = f'\n          <span class="badge status">{statuses.get(deal.status, escape(deal.status))}</span>'
        usd = ""
        if deal.currency != "USD" and deal.amount_usd is not None:
            usd_text = escape(format_money(deal.amount_usd, language=language))
            usd = f'\n          <span class="muted block">≈ {usd_text}</span>'
        stated = format_money(deal.amount, deal.currency, deal.amount_qualifier, language) or "—"
        rows.append(
            f"""      <tr>
        <td data-label="{labels["announced"]}" class="nowrap">{_announced(deal, language) or "—"}</td>
        <td data-label="{labels["deal"]}">
          <a class="deal-title" href="{escape(deal_url(deal.slug))}">{escape(deal.title)}</a>
          <span class="badge kind-{escape(deal.kind)}">{kinds.get(deal.kind, escape(deal.kind))}</span>{status}
        </td>
        <td data-label="{labels["parties"]}">{_parties(deal, roles, company_url)}</td>
        <td data-label="{labels["amount"]}" class="num nowrap">
          {escape(stated)}{usd}
        </td>
      </tr>
"""
        )
    return mark_safe("".join(rows))


def alliance_rows(alliances) -> SafeString:
    """The <tr> of each alliance of includes/alliance_table.html: the pair, deals, total, main kind, latest deal."""
    labels = [escape(_(label)) for label in ("Alliance", "Deals", "Total value", "Main kind of deal", "Latest deal")]
    and_ = escape(_("and"))
    kinds = labels_of(DealKind)
    language = get_language()
    rows = []
    for alliance in alliances:
        first, second = alliance.company_a, alliance.company_b
        total = escape(format_range(alliance.total_usd or None, alliance.further_usd or None, language) or "—")
        kind = kinds.get(alliance.dominant_kind, escape(alliance.dominant_kind))
        rows.append(
            f"""      <tr>
        <td data-label="{labels[0]}"><a class="pair" href="{escape(alliance.get_absolute_url())}">{escape(first.name)} <span aria-hidden="true">↔</span><span class="visually-hidden">{and_}</span> {escape(second.name)}</a></td>
        <td data-label="{labels[1]}" class="num">{escape(intcomma(alliance.deal_count))}</td>
        <td data-label="{labels[2]}" class="num nowrap">{total}</td>
        <td data-label="{labels[3]}">{kind}</td>
        <td data-label="{labels[4]}" class="nowrap">{_year_month(alliance.latest_announced, language)}</td>
      </tr>
"""  # noqa: E501
        )
    return mark_safe("".join(rows))


def _year_month(day, language: str | None) -> str:
    """The month and year as shown, escaped (`language`: the active one, from get_language())."""
    if day is None:
        return "—"
    return _date_text(truncate(day, DatePrecision.MONTH), DatePrecision.MONTH, language)


class Partner(NamedTuple):
    """A row of a company page's partners table: the partner and the figures of their alliance."""

    slug: str
    name: str
    alliance_slug: str
    alliance_url: str
    deal_count: int
    total_usd: Decimal | None
    further_usd: Decimal | None
    latest_announced: date | None


def partner_rows(partners) -> SafeString:
    """The <tr> of each Partner of a company page's partners table."""
    labels = [escape(_(label)) for label in ("Partner", "Deals", "Total value", "Latest deal")]
    the_alliance = escape(_("the alliance"))
    company_url = detail_url_maker("deals:company-detail", "slug")
    language = get_language()
    rows = []
    for partner in partners:
        total = escape(format_range(partner.total_usd or None, partner.further_usd or None, language) or "—")
        rows.append(
            f"""        <tr>
          <td data-label="{labels[0]}"><a href="{escape(company_url(partner.slug))}">{escape(partner.name)}</a> <a class="muted small" href="{escape(partner.alliance_url)}">{the_alliance}</a></td>
          <td data-label="{labels[1]}" class="num">{escape(intcomma(partner.deal_count))}</td>
          <td data-label="{labels[2]}" class="num nowrap">{total}</td>
          <td data-label="{labels[3]}" class="nowrap">{_year_month(partner.latest_announced, language)}</td>
        </tr>
"""  # noqa: E501
        )
    return mark_safe("".join(rows))


def timeline_items(deals) -> SafeString:
    """The <li> of each deal of a company page's timeline: date, title, stated amount."""
    unknown = escape(_("Date unknown"))
    deal_url = detail_url_maker("deals:deal-detail", "slug")
    language = get_language()
    items = []
    for deal in deals:
        datetime_attr = f' datetime="{deal.announced_on.isoformat()}"' if deal.announced_on else ""
        stated = format_money(deal.amount, deal.currency, deal.amount_qualifier, language)
        amount = f'<span class="muted">· {escape(stated)}</span>' if stated else ""
        items.append(
            f"""      <li>
        <time{datetime_attr}>{_announced(deal, language) or unknown}</time>
        <a href="{escape(deal_url(deal.slug))}">{escape(deal.title)}</a>
        {amount}
      </li>
"""
        )
    return mark_safe("".join(items))


def _source_links(sources) -> str:
    links = []
    for source in sources:
        url = web_link(source.url)
        # A source without a title: deals.figures.loops reads no publisher or date to name it by, so its address stands in.
        title = escape(source.title or source.url or "—")
        links.append(f'<a href="{escape(url)}" rel="noopener noreferrer">{title}</a>' if url else title)
    return "; ".join(links)


def loop_articles(loops) -> SafeString:
    """money/includes/loop.html for each loop of the circular deals page: its companies, figures, legs and deals.

    A page's loops go round the same few companies and share most of their legs (loops() gives a shared leg
    the same Leg), so each leg and company link is written once per page; amounts, dates and counts are
    formatted once per value and language.
    """
    language = get_language()
    text = {
        **_loop_words(language),
        "language": language,
        "statuses": labels_of(DealStatus),
        "deal_url": detail_url_maker("deals:deal-detail", "slug"),
        "company_url": detail_url_maker("deals:company-detail", "slug"),
        "companies": {},
        "legs": {},
    }
    arrow = '<span aria-hidden="true">→</span>'
    articles = []
    for loop in loops:
        cycle = loop.cycle
        companies = "".join(f"{_company_link(company, text)} {arrow} " for company in loop.companies)
        if cycle.smaller_flow_usd is None:
            smaller = text["not_known"]
        elif not cycle.smaller_flow_usd:
            smaller = text["none_committed"]  # a leg holds only up-to or conditional money
        else:
            smaller = _money_text(cycle.smaller_flow_usd, language)
        legs = "".join(_leg(leg, text) for leg in loop.legs)
        articles.append(
            f"""<article class="card loop" aria-labelledby="loop-{cycle.pk}">
  <h3 id="loop-{cycle.pk}" class="loop-title">
    {companies}{_company_link(loop.companies[0], text)}
  </h3>
  <dl class="loop-facts">
    <div><dt>{text["smaller"]}</dt><dd>{smaller}</dd></div>
    <div><dt>{text["years"]}</dt><dd>{escape(loop.years) or text["unknown_date"]}</dd></div>
    <div><dt>{text["deals"]}</dt><dd>{_grouped_text(cycle.deal_count, language)}</dd></div>
  </dl>
  <ol class="loop-legs">{legs}
  </ol>
</article>
"""
        )
    return mark_safe("".join(articles))


# The loops' words and figures, escaped, kept per language (the caller passes get_language(), the active one).
# format_money and the dates keep their text already, but each call asks for the active language: on a page of
# some sixty amounts and dates that costs more than the formatting.
@lru_cache(maxsize=16)
def _loop_words(language: str | None) -> dict[str, str]:
    return {
        "smaller": escape(_("Smaller of the flows")),
        "not_known": escape(_("not known")),
        "none_committed": escape(_("none committed")),
        "years": escape(_("Years")),
        "unknown_date": escape(_("Date unknown")),
        "deals": escape(_("Deals")),
        "pays": escape(_("pays")),
        "not_stated": escape(_("amount not stated")),
        "sources": escape(_("Sources:")),
    }


@lru_cache(maxsize=8192)
def _money_text(amount, language: str | None) -> str:
    return escape(format_money(amount))


@lru_cache(maxsize=8192)
def _with_undisclosed_text(stated: str, language: str | None) -> str:
    """A leg's total when some of its deals do not state their money: the stated part, and that there is more."""
    return escape(_("%(amount)s, plus undisclosed amounts") % {"amount": stated})


@lru_cache(maxsize=8192)
def _date_text(day, precision: str, language: str | None) -> str:
    return escape(format_partial_date(day, precision))


@lru_cache(maxsize=1024)
def _grouped_text(number: int, language: str | None) -> str:
    return escape(intcomma(number))


@lru_cache(maxsize=1024)
def _deal_count_text(count: int, language: str | None) -> str:
    return escape(ngettext("%(counter)s deal", "%(counter)s deals", count) % {"counter": count})


@lru_cache(maxsize=1024)
def _more_deals_text(count: int, language: str | None) -> str:
    more = ngettext(
        "and %(counter)s more deal: see the alliance", "and %(counter)s more deals: see the alliance", count
    )
    return escape(more % {"counter": count})


def _company_link(company, text) -> str:
    links = text["companies"]
    if company.pk not in links:
        links[company.pk] = f'<a href="{escape(text["company_url"](company.slug))}">{escape(company.name)}</a>'
    return links[company.pk]


def _leg(leg, text) -> str:
    written = text["legs"]
    if id(leg) not in written:
        written[id(leg)] = _write_leg(leg, text)
    return written[id(leg)]


def _write_leg(leg, text) -> str:
    language = text["language"]
    stated = format_range(leg.total_usd, leg.further_usd, language)
    if not stated:
        total = text["not_stated"]
    elif leg.complete:
        total = escape(stated)
    else:
        total = _with_undisclosed_text(stated, language)
    deals = "".join(_leg_deal(item, text) for item in leg.deals)
    more = ""
    if leg.unlisted:
        more_text = _more_deals_text(leg.unlisted, language)
        more = f'\n        <p class="small"><a href="{escape(leg.alliance_url)}">{more_text}</a></p>'
    return f"""
      <li class="loop-leg">
        <p class="leg-head">
          <strong>{escape(leg.payer.name)} <span aria-hidden="true">→</span><span class="visually-hidden">{text["pays"]}</span> {escape(leg.payee.name)}</strong>:
          {total}
          <span class="muted">({_deal_count_text(leg.deal_count, language)})</span>
        </p>
        <ul class="leg-deals">{deals}
        </ul>{more}
      </li>"""  # noqa: E501


def _leg_deal(item, text) -> str:
    deal = item.deal
    language = text["language"]
    datetime_attr = f' datetime="{deal.announced_on.isoformat()}"' if deal.announced_on else ""
    stated = format_range(item.amount_usd, item.further_usd, language)
    amount = escape(stated) if stated else text["not_stated"]
    status = (
        ""
        if item.committed
        else f' <span class="badge neutral">{text["statuses"].get(deal.status, escape(deal.status))}</span>'
    )
    sources = item.sources
    listed = (
        f'\n              <span class="leg-sources">{text["sources"]} {_source_links(sources)}</span>'
        if sources
        else ""
    )
    announced = _announced(deal, language) or text["unknown_date"]
    return f"""
          <li>
            <time{datetime_attr}>{announced}</time>
            <a href="{escape(text["deal_url"](deal.slug))}">{escape(deal.title)}</a>
            <span class="nowrap">{amount}</span>{status}{listed}
          </li>"""
