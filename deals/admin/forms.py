from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deals.core.dates import impossible_date_message
from deals.core.money import USD
from deals.core.money_input import DOLLAR_SIGN_CURRENCIES, MoneyInputField
from deals.models import Citation, Deal, DealParty, Source, Tranche
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


class MoneyInputMixin:
    """Amount fields that take amounts as written ("1.5B", "€15M", "1.250 millones": deals.core.money_input). A currency
    typed fills a blank currency field and must agree with one chosen; for a deal, the text typed fills the "amount
    as stated" when that is empty. static/js/money-preview.js shows beside each field the amount as it will read."""

    money_fields = ("amount",)

    class Media:
        js = ["js/money-preview.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.money_fields:
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = MoneyInputField(
                    max_digits=old.max_digits,
                    decimal_places=old.decimal_places,
                    required=old.required,
                    label=old.label,
                    help_text=_("As written, e.g. 1.5B, 500 million, €15M or 1.250 millones."),
                    initial=old.initial,
                )

    def chosen_currency(self, cleaned) -> str:
        """The currency the amounts are in, "" when none was chosen."""
        return ""

    def clean(self):
        cleaned = super().clean()
        for name in self.money_fields:
            field = self.fields.get(name)
            typed = getattr(field, "typed_money", None)
            if typed is None or name not in cleaned:
                continue
            chosen = self.chosen_currency(cleaned).upper()
            same_sign = typed.dollar_sign and chosen in DOLLAR_SIGN_CURRENCIES
            if typed.currency and chosen and typed.currency != chosen and not same_sign:
                message = _("The amount is written in %(typed)s but the currency is %(chosen)s.")
                self.add_error(name, message % {"typed": typed.currency, "chosen": chosen})
                continue
            if typed.currency and not chosen and "currency" in self.fields:
                cleaned["currency"] = typed.currency
            if "amount_as_stated" in self.fields and not cleaned.get("amount_as_stated") and not typed.is_plain_number:
                cleaned["amount_as_stated"] = typed.typed
        return cleaned


class DealAdminForm(MoneyInputMixin, forms.ModelForm):
    """The deal form, with the version it was opened at, so a stale save is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Deal
        fields = ["version"]  # the admin adds the fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "currency" in self.fields:
            # Blank until chosen (a currency typed with the amount fills it); saved blank, it is US dollars.
            self.fields["currency"].required = False
            if not self.instance.pk:
                self.initial["currency"] = ""
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

    def chosen_currency(self, cleaned) -> str:
        return cleaned.get("currency") or ""

    def clean(self):
        cleaned = super().clean()
        if "currency" in self.fields and not cleaned.get("currency") and "currency" not in self.errors:
            cleaned["currency"] = USD
        services.validate_usd_equivalents(cleaned.get("currency"), cleaned.get("usd_rate"), [cleaned.get("amount")])
        return cleaned


class DealShareForm(MoneyInputMixin, forms.ModelForm):
    """A party's share or a tranche: an amount in the deal's currency."""

    def __init__(self, *args, deal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.deal = deal  # the deal being saved, as its form left it (deals.admin.deal.DealShareFormSet)

    def chosen_currency(self, cleaned) -> str:
        return (self.deal.currency or USD) if self.deal is not None else ""


class PartyAdminForm(DealShareForm):
    class Meta:
        model = DealParty
        fields = ["amount"]


class TrancheAdminForm(DealShareForm):
    class Meta:
        model = Tranche
        fields = ["amount"]


class CitationAdminForm(forms.ModelForm):
    """A citation of a source chosen in the list, or of the source at an address pasted in: the one recorded there
    (however spelt), else a new one created when the deal is saved, in the same transaction
    (deals.rules.services.source_for_url)."""

    source_url = forms.CharField(
        label=gettext_lazy("or paste its address"),
        required=False,
        max_length=Source._meta.get_field("url").max_length,
        widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": "https://…", "size": 20}),
    )

    class Meta:
        model = Citation
        fields = ["source", "source_url", "supports", "quote"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False
        self.new_source = None  # a Source to create with the citation

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("source_url", "").strip()
        chosen = cleaned.get("source")
        if not url:
            if chosen is None and "source" not in self.errors:
                self.add_error("source", _("Choose a source or paste its address."))
            return cleaned
        try:
            found = services.source_for_url(url)
        except ValidationError as refused:
            self.add_error("source_url", refused.messages)
            return cleaned
        if chosen is not None and chosen.pk != found.pk:
            self.add_error(
                "source_url", _("This address is not the chosen source's: choose a source or paste an address.")
            )
        elif found.pk is None:
            self.new_source = found  # saved with the citation (save() below)
        else:
            cleaned["source"] = found
        return cleaned

    def save(self, commit=True):
        if self.new_source is not None:
            if self.new_source.pk is None:  # rows pasting the same address share one (CitationFormSet)
                self.new_source.save()
            self.instance.source = self.new_source
        return super().save(commit)
