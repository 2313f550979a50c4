from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.customers.models import ContactChannel, Customer, EventKind, Tier, TierPolicy
from manyi.org.selectors import stores
from manyi.web.forms import DateInput, StyledForm, StyledModelForm


class CustomerForm(StyledModelForm):
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    email = forms.EmailField(label=_("E-mail"), required=False)

    class Meta:
        model = Customer
        fields = [
            "external_id",
            "name",
            "unit",
            "party_type",
            "kind",
            "gender",
            "birth_date",
            "id_number",
            "language",
            "province",
            "city",
            "district",
            "address",
            "is_vip",
            "vip_reason",
            "notes",
        ]
        widgets = {"birth_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = stores(user)
        self.fields["external_id"].required = False
        self.fields["external_id"].help_text = _(
            "Leave empty to number the customer automatically."
        )
        if self.instance.pk:
            del self.fields["phone"], self.fields["email"]
            self.fields["external_id"].disabled = True
            self.fields["id_number"].widget = forms.HiddenInput()
            self.fields["id_number"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_vip") and not data.get("vip_reason"):
            self.add_error("vip_reason", _("Say why this customer is a VIP."))
        return data


class ContactForm(StyledForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    value = forms.CharField(label=_("Phone or e-mail"), max_length=254)
    consent = forms.BooleanField(label=_("Consents to be contacted"), required=False, initial=True)


class CustomerFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False)
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Store"), required=False, queryset=None, empty_label=_("All stores")
    )
    vip = forms.BooleanField(label=_("VIP only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = stores(user)


class EventFilterForm(StyledForm):
    q = forms.CharField(label=_("External id or customer"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Store"), required=False, queryset=None, empty_label=_("All stores")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = stores(user)


class TierPolicyForm(StyledModelForm):
    class Meta:
        model = TierPolicy
        fields = [
            "window_months",
            "super_heavyweight_share",
            "heavyweight_share",
            "sub_heavyweight_share",
        ]
