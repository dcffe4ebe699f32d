"""The chart and year rows written in Python (deals.web.chart_markup) are the markup the templates they replaced
wrote, kept here as the reference, and a company page's partner count is right."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from deals.core.svg_charts import Series, columns
from deals.figures import charts
from deals.figures.charts import YearRow
from deals.web import chart_markup
from tests.factories import CompanyFactory, make_deal

# The table rows of money/includes/company_years.html as the template wrote them.
YEAR_ROWS_TEMPLATE = """{% load i18n display humanize %}{% for row in rows %}
        <tr>
          <th scope="row">{% if row.year %}{{ row.year|stringformat:"d" }}{% else %}{% translate "Date unknown" %}{% endif %}</th>
          {% for value in row.values %}<td class="num nowrap">{{ value|usd_data }}</td>{% endfor %}
          <td class="num">{{ row.deal_count|intcomma }}</td>
        </tr>
        {% endfor %}"""  # noqa: E501


# money/includes/column_chart.html as it was.
COLUMN_CHART_TEMPLATE = """{% load i18n l10n %}
<figure class="chart">
  {% localize off %}<svg viewBox="0 0 {{ chart.width }} {{ chart.height }}" role="img" aria-labelledby="{{ chart_id }}-title" class="chart-svg">
    <title id="{{ chart_id }}-title">{{ title }}</title>
    {% for y, label in chart.y_ticks %}
      <line x1="{{ chart.plot_left }}" x2="{{ chart.plot_right }}" y1="{{ y }}" y2="{{ y }}" class="grid"></line>
      <text x="{{ chart.tick_x }}" y="{{ y }}" class="tick" text-anchor="end" dominant-baseline="middle">{{ label }}</text>
    {% endfor %}
    {% for bar in chart.bars %}
      <rect x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ bar.height }}" fill="{{ bar.colour }}"><title>{{ bar.title }}</title></rect>
    {% endfor %}
    <line x1="{{ chart.plot_left }}" x2="{{ chart.plot_right }}" y1="{{ chart.baseline }}" y2="{{ chart.baseline }}" class="axis"></line>
    {% for x, y, label in chart.x_labels %}
      <text x="{{ x }}" y="{{ y }}" class="tick" text-anchor="middle">{{ label }}</text>
    {% endfor %}
  </svg>{% endlocalize %}
  {% if chart.legend %}
  <figcaption>
    <ul class="legend">{% for label, colour in chart.legend %}<li><span class="swatch" style="background: {{ colour }}"></span>{{ label }}</li>{% endfor %}</ul>
  </figcaption>
  {% endif %}
</figure>"""  # noqa: E501


def _chart_template(chart, chart_id, title) -> str:
    # The template file ended with a newline.
    return Template(COLUMN_CHART_TEMPLATE + "\n").render(
        Context({"chart": chart, "chart_id": chart_id, "title": title})
    )


def _rows():
    sides = {"invested_usd": Decimal("1461876700.00"), "received_usd": None, "provided_usd": Decimal("0.00")}
    return [
        YearRow(2011, {**sides, "bought_usd": Decimal("12345678901234.56")}, 1628),
        YearRow(2012, {**sides, "bought_usd": None}, 3),
        YearRow(None, {**sides, "bought_usd": Decimal("7")}, 1),
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_year_rows_are_the_templates(language):
    with translation.override(language):
        expected = Template(YEAR_ROWS_TEMPLATE).render(Context({"rows": _rows()}))
        assert chart_markup.year_rows(_rows()) == expected


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("title", ["Money of <b>A&B</b> per year", Template("{{ t }}").render(Context({"t": "<i>"}))])
def test_the_column_chart_is_the_templates(language, title):
    with translation.override(language):
        chart = charts.company_chart(_rows())
        assert chart.bars and chart.legend
        expected = _chart_template(chart, "some-chart", title)
        assert chart_markup.column_chart(chart, "some-chart", title) == expected


def test_a_chart_without_series_is_the_templates():
    chart = columns(["2024"], [Series("<none>", "#000", [None])], stacked=False)
    chart.legend = []
    expected = _chart_template(chart, "c", "t")
    assert chart_markup.column_chart(chart, "c", "t") == expected


@pytest.mark.django_db
def test_a_subsidiary_counts_only_the_alliances_it_takes_part_in(client, monkeypatch):
    from deals.rules.public import alliances_of
    from deals.web.views import companies

    monkeypatch.setattr(companies, "COMPANY_PAGE_PARTNERS", 1)
    group = CompanyFactory(slug="group")
    part = CompanyFactory(slug="part", parent=group)
    for slug in ("aa", "zz", "zy"):
        make_deal(part, CompanyFactory(slug=slug))
    make_deal(group, CompanyFactory(slug="ab"))
    response = client.get("/companies/part/")
    assert response.context["partner_count"] == alliances_of(part).count() == 3
    response = client.get("/companies/group/")
    assert response.context["partner_count"] == alliances_of(group).count() == 4
