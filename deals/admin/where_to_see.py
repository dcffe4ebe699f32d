"""What the editor reads after saving a deal: where it can be seen now, on the site or in the review queue."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from deals.models import Deal


def where_to_see(deal: Deal) -> SafeString:
    if deal.is_published:
        return format_html(
            _('“{title}” is published: <a href="{url}">see its public page</a>.'),
            title=deal.title,
            url=deal.get_absolute_url(),
        )
    return format_html(
        _(
            "“{title}” is a draft: visitors see it once a publisher publishes it. "
            '<a href="{url}">See it in the review queue</a>.'
        ),
        title=deal.title,
        url=f"{reverse('admin:deals_deal_review')}#review-{deal.pk}",
    )
