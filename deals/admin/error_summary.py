"""A form's errors listed at its top, each naming its field (and its inline's row) and linking to it, as well as
shown beside the field as Django does."""

from dataclasses import dataclass

from django.forms.forms import NON_FIELD_ERRORS
from django.utils.text import capfirst
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FormError:
    text: str
    anchor: str  # the id of the element the error is about; "" when there is none to go to


def error_summary(form, inline_admin_formsets) -> list[FormError]:
    """The errors of the main form's fields (its other errors Django already shows at the top), then of each inline:
    "Parties: A deal needs at least two parties", "Parties, row 2, company: This field is required."."""
    errors = [
        FormError(_("%(field)s: %(message)s") % {"field": capfirst(label), "message": message}, anchor)
        for label, message, anchor in _field_errors(form)
    ]
    for inline in inline_admin_formsets:
        formset = inline.formset
        name = capfirst(inline.opts.verbose_name_plural)
        errors += [
            FormError(_("%(inline)s: %(message)s") % {"inline": name, "message": message}, f"{formset.prefix}-group")
            for message in formset.non_form_errors()
        ]
        for index, row in enumerate(formset.forms):
            if getattr(row, "cleaned_data", {}).get("DELETE") or not row.errors:
                continue
            where = {"inline": name, "row": index + 1}
            errors += [
                FormError(_("%(inline)s, row %(row)d: %(message)s") % {**where, "message": message}, row.prefix)
                for message in row.non_field_errors()
            ]
            errors += [
                FormError(
                    _("%(inline)s, row %(row)d, %(field)s: %(message)s")
                    % {**where, "field": _in_sentence(label), "message": message},
                    anchor,
                )
                for label, message, anchor in _field_errors(row)
            ]
    return errors


def _field_errors(form):
    for name in form.fields:
        if name == NON_FIELD_ERRORS or name not in form.errors:
            continue
        bound = form[name]
        anchor = "" if bound.is_hidden else bound.id_for_label
        for message in form.errors[name]:
            yield str(bound.label or name), message, anchor


class ErrorSummaryAdmin:
    """An admin whose add and change forms list their errors at the top (templates/admin/deals/change_form.html)."""

    def render_change_form(self, request, context, *args, **kwargs):
        if context.get("errors"):
            context["error_summary"] = error_summary(context["adminform"].form, context["inline_admin_formsets"])
        return super().render_change_form(request, context, *args, **kwargs)


def _in_sentence(label: str) -> str:
    """A label as a word inside a sentence: "Company" → "company", but "URL" stays."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]
