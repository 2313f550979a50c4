from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.customers.models import (
    AssetKind,
    ContactChannel,
    Customer,
    CustomerKind,
    EventKind,
    Tier,
    TierPolicy,
)
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
            "birthday_lunar",
            "id_number",
            "language",
            "province",
            "city",
            "district",
            "address",
            "is_vip",
            "vip_reason",
            "advisor",
            "notes",
        ]
        widgets = {"birth_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = stores(user)
        self.fields["external_id"].required = False
        self.fields["advisor"].queryset = advisors(user)
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


class AssetForm(StyledForm):
    external_id = forms.CharField(
        label=_("External id"),
        max_length=64,
        required=False,
        help_text=_("Leave empty to number it automatically."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    identifier = forms.CharField(label=_("VIN or record number"), max_length=64, required=False)
    plate = forms.CharField(label=_("Plate number"), max_length=16, required=False)
    model_name = forms.CharField(label=_("Model"), max_length=80, required=False)
    purchased_on = forms.DateField(label=_("Purchase date"), required=False, widget=DateInput())


class EventForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    staff = forms.ModelChoiceField(label=_("Responsible staff"), queryset=None, required=False)
    asset = forms.ModelChoiceField(label=_("Asset"), queryset=None, required=False)
    opened_at = forms.DateTimeField(
        label=_("Opened at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closed_at = forms.DateTimeField(
        label=_("Closed at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, initial=0, min_value=0
    )
    odometer_km = forms.IntegerField(
        label=_("Odometer (km)"), required=False, min_value=0, max_value=9_999_999
    )

    def __init__(self, *args: Any, user: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from manyi.org.selectors import staff_list, unit_choices

        self.fields["unit"].queryset = unit_choices(user)
        self.fields["staff"].queryset = staff_list(user)
        self.fields["asset"].queryset = customer.assets.all()


def advisors(user: Any) -> Any:
    """Who may be a customer's own advisor: the active advisors and store managers of
    the user's part of the network."""
    from manyi.org.models import Role, Staff
    from manyi.org.selectors import visible_unit_filter

    return Staff.objects.filter(
        visible_unit_filter(user), is_active=True, role__in=(Role.ADVISOR, Role.STORE_MANAGER)
    ).order_by("full_name")


class HandoverForm(StyledForm):
    to_staff = forms.ModelChoiceField(label=_("Hand over to"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].queryset = advisors(user)


class SegmentForm(StyledForm):
    """A segment of the customer base, as ``customer_segment`` takes it: tiers, kinds,
    where they were served and when they last came."""

    SEGMENT = ("tiers", "kinds", "unit", "visited_from", "visited_to")

    tiers = forms.MultipleChoiceField(
        label=_("Tiers"), choices=Tier.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    kinds = forms.MultipleChoiceField(
        label=_("Customer kinds"),
        choices=CustomerKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Served at"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("Anywhere"),
    )
    visited_from = forms.DateField(label=_("Last visit from"), required=False, widget=DateInput())
    visited_to = forms.DateField(label=_("Last visit to"), required=False, widget=DateInput())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for name in ("tiers", "kinds"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("visited_from"), data.get("visited_to")
        if first and last and last < first:
            self.add_error("visited_to", _("The last day comes before the first."))
        return data

    def chosen(self) -> bool:
        """Whether any part of the segment was chosen."""
        return any(self.cleaned_data.get(key) for key in self.SEGMENT)

    def segment(self) -> dict[str, Any]:
        """The segment's filters, as ``customer_segment`` takes them."""
        return {key: self.cleaned_data.get(key) or None for key in self.SEGMENT}
