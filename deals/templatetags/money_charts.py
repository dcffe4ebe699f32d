"""{% company_money_years company %}: a company's money year by year, as a chart and its table (on its page)."""

from django import template

from deals.figures import charts

register = template.Library()


@register.inclusion_tag("money/includes/company_years.html")
def company_money_years(company):
    rows = charts.company_years(company)
    return {"company": company, "rows": rows, "chart": charts.company_chart(rows), "sides": charts.side_columns()}
