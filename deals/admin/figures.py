from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from deals.figures import tasks

FIGURES_PENDING = _("Totals are being updated; they will be current in a few seconds.")


class FiguresPendingNotice:
    """Tells editors, on the list and the form, that figure tasks are waiting or running (deals.figures.tasks): the totals,
    alliances and circular deals they see may not include the latest saves yet."""

    def _notice(self, request):
        if request.method == "GET" and tasks.pending():
            messages.info(request, FIGURES_PENDING)

    def changelist_view(self, request, extra_context=None):
        self._notice(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._notice(request)
        return super().changeform_view(request, object_id, form_url, extra_context)
