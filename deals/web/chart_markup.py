"""A company's money year by year as markup written in Python: its column chart and the rows of its table.

Written without the template engine's cost per bar and per cell (a few milliseconds for a company with
many years); tests/test_company_page_markup.py checks it against the templates it replaced.
Every value is escaped; numbers in the SVG are written unlocalized, as `{% localize off %}` does.
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from deals.core.money import USD, format_money
from deals.web.rows import escape


def column_chart(chart, chart_id: str, title) -> SafeString:
    """The <figure> of `chart` (deals.core.svg_charts.columns): SVG bars with their axes and legend; `title` is escaped
    unless safe."""
    chart_id, left, right = escape(chart_id), chart.plot_left, chart.plot_right
    ticks = "".join(
        f"""
      <line x1="{left}" x2="{right}" y1="{y}" y2="{y}" class="grid"></line>
      <text x="{chart.tick_x}" y="{y}" class="tick" text-anchor="end" dominant-baseline="middle">{escape(label)}</text>
    """
        for y, label in chart.y_ticks
    )
    bars = "".join(
        f"""
      <rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" fill="{escape(bar.colour)}"><title>{escape(bar.title)}</title></rect>
    """  # noqa: E501
        for bar in chart.bars
    )
    x_labels = "".join(
        f"""
      <text x="{x}" y="{y}" class="tick" text-anchor="middle">{escape(label)}</text>
    """
        for x, y, label in chart.x_labels
    )
    legend = ""
    if chart.legend:
        items = "".join(
            f'<li><span class="swatch" style="background: {escape(colour)}"></span>{escape(label)}</li>'
            for label, colour in chart.legend
        )
        legend = f"""
  <figcaption>
    <ul class="legend">{items}</ul>
  </figcaption>
  """
    return mark_safe(
        f"""
<figure class="chart">
  <svg viewBox="0 0 {chart.width} {chart.height}" role="img" aria-labelledby="{chart_id}-title" class="chart-svg">
    <title id="{chart_id}-title">{conditional_escape(title)}</title>
    {ticks}
    {bars}
    <line x1="{left}" x2="{right}" y1="{chart.baseline}" y2="{chart.baseline}" class="axis"></line>
    {x_labels}
  </svg>
  {legend}
</figure>
"""
    )


def year_rows(rows) -> SafeString:
    """The <tr> of each deals.figures.charts.YearRow of money/includes/company_years.html: year, each side, deals."""
    unknown = escape(_("Date unknown"))
    return mark_safe(
        "".join(
            f"""
        <tr>
          <th scope="row">{row.year if row.year else unknown}</th>
          {"".join(f'<td class="num nowrap">{_usd_data(value)}</td>' for value in row.values)}
          <td class="num">{escape(intcomma(row.deal_count))}</td>
        </tr>
        """
            for row in rows
        )
    )


def _usd_data(amount) -> str:
    """The usd_data filter (deals.templatetags.display): the readable figure with the exact number, else "—"."""
    if amount is None:
        return "—"
    return f'<data value="{escape(amount)}">{escape(format_money(amount, USD))}</data>'
