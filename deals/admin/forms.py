from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from deals.core.dates import impossible_date_message
from deals.models import Deal
from deals.rules import services


class ExplainedDateField(forms.DateField):
    """A date field that says why "2025-02-30" is refused, not only that it is."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            message = impossible_date_message(value)
            if message:
                raise ValidationError(message, code="invalid") from None
            raise


class DealAdminForm(forms.ModelForm):
    """The deal form, with the version it was opened at, so a stale save is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Deal
        fields = ["version"]  # the admin adds the fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The saved row's version, not the instance's: a history revert form shows an old instance.
        saved = Deal.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        self.initial["version"] = saved or self.instance.version

    def clean_version(self):
        submitted = self.cleaned_data.get("version")
        try:
            services.check_version(self.instance, submitted)
        except ValidationError as stale:
            # The form is shown again at the current version: a second save is a deliberate overwrite.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = Deal.objects.get(pk=self.instance.pk).version
            raise ValidationError(
                [*stale.messages, _("Check the deal's history; saving again will overwrite those changes with yours.")]
            ) from stale
        return submitted

    def clean(self):
        cleaned = super().clean()
        services.validate_usd_equivalents(cleaned.get("currency"), cleaned.get("usd_rate"), [cleaned.get("amount")])
        return cleaned
