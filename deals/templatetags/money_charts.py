"""{% company_money_years company %}: a company's money year by year, as a chart and its table (on its page)."""

from django import template

from deals.figures import charts
from deals.web import chart_markup

register = template.Library()


@register.inclusion_tag("money/includes/company_years.html")
def company_money_years(company):
    rows = charts.company_years(company)
    return {"company": company, "rows": rows, "chart": charts.company_chart(rows), "sides": charts.side_columns()}


@register.simple_tag
def column_chart(chart, chart_id, title):
    """{% column_chart chart "some-chart" title %}: the chart's <figure>, written by deals.web.chart_markup."""
    return chart_markup.column_chart(chart, chart_id, title)


@register.simple_tag
def money_year_rows(rows):
    """{% money_year_rows rows %}: the <tr> of a company's years (deals.figures.charts.YearRow), by deals.web.chart_markup."""
    return chart_markup.year_rows(rows)
