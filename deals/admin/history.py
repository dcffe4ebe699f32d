"""The history admin, refusing addresses whose keys are no keys (`/admin/deals/deal/abc/history/` was a 500)."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        _key(self.model, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key(self.model, unquote(object_id))
        _key(getattr(self.model, self.model._meta.simple_history_manager_attribute).model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def _key(model, text: str):
    """The model's primary key read from the text, or a 404 when the text is none (not a number, out of range)."""
    field = model._meta.pk
    try:
        key = field.to_python(text)
        field.run_validators(key)  # an integer out of the column's range
    except (ValidationError, ValueError, TypeError):
        raise Http404 from None
    return key
