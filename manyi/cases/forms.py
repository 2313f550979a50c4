"""Forms of the case screens; the choices a user sees are within their units."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.cases.models import (
    CaseChannel,
    CaseKind,
    CaseStatus,
    Cause,
    CompensationKind,
    ComplainantType,
    Severity,
)
from manyi.customers.models import Asset, Customer
from manyi.customers.selectors import visible_customers
from manyi.org.forms import UnitFilter
from manyi.org.models import Staff
from manyi.org.selectors import stores, visible_unit_filter, visible_units
from manyi.web.forms import FIRST_YEAR, LAST_YEAR, StyledForm

QUEUE_STATUSES = [("active", _("Open or waiting")), *CaseStatus.choices, ("all", _("All"))]


class QueueFilter(UnitFilter):
    """The queue's filters, as the query string gives them."""

    status = forms.ChoiceField(label=_("Status"), choices=QUEUE_STATUSES, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices, required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    vip = forms.BooleanField(label=_("VIP only"), required=False)
    units = staticmethod(stores)


class YearFilter(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )


class CaseOpenForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    customer = forms.CharField(
        label=_("Customer number"),
        required=False,
        help_text=_("The customer's external id; empty for an unknown walk-in."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What the customer said"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial="normal")
    channel = forms.ChoiceField(label=_("Channel"), choices=CaseChannel.choices, initial="phone")
    cause = forms.ModelChoiceField(
        label=_("Cause"), queryset=Cause.objects.filter(is_active=True), required=False
    )
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = visible_units(user)
        self.fields["owner"].queryset = Staff.objects.filter(
            visible_unit_filter(user), is_active=True
        )

    def clean_customer(self) -> Customer | None:
        number = self.cleaned_data["customer"].strip()
        if not number:
            return None
        customer = visible_customers(self.user).filter(external_id=number).first()
        if customer is None:
            raise forms.ValidationError(_("No such customer in your part of the network."))
        return customer


class ReplyForm(StyledForm):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    public = forms.BooleanField(
        label=_("Send to the customer"),
        required=False,
        initial=True,
        help_text=_(
            "On: the customer gets it by SMS or e-mail with a link to follow the case. "
            "Off: a private note for colleagues."
        ),
    )


class ChangeForm(StyledForm):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)
    cause = forms.ModelChoiceField(
        label=_("Cause"), queryset=Cause.objects.filter(is_active=True), required=False
    )
    complainant_type = forms.ChoiceField(
        label=_("Kind of complainant"),
        choices=[("", "—"), *ComplainantType.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Staff.objects.filter(
            visible_unit_filter(user), is_active=True
        )


class CrisisForm(StyledForm):
    reason = forms.CharField(label=_("Why it is a crisis"), max_length=200)


class AnalyseForm(StyledForm):
    cause = forms.ModelChoiceField(
        label=_("Cause"), queryset=Cause.objects.filter(is_active=True), required=False
    )
    body = forms.CharField(
        label=_("What the analysis found"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        required=False,
    )
    # For a product cause: which of the customer's vehicles, and the part (品质回馈).
    asset = forms.ModelChoiceField(
        label=_("Vehicle or product"), queryset=Asset.objects.none(), required=False
    )
    part = forms.CharField(
        label=_("Part"), max_length=80, required=False,
        help_text=_("For a product cause: the part at fault, fed back to the maker."),
    )  # fmt: skip

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case.customer_id:
            self.fields["asset"].queryset = Asset.objects.filter(customer_id=case.customer_id)
        else:
            del self.fields["asset"]


class ProposeForm(StyledForm):
    solution = forms.CharField(
        label=_("Solution"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Compensation"),
        choices=[("", _("None")), *CompensationKind.choices],
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Value (yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    description = forms.CharField(label=_("What is given"), max_length=300, required=False)


class ReviewForm(StyledForm):
    root_cause = forms.CharField(
        label=_("Root cause"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=10000,
        required=False,
    )
    prevention = forms.CharField(
        label=_("Prevention"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=10000,
        required=False,
        help_text=_("What changes so that it does not happen again."),
    )


class AttachmentForm(StyledForm):
    file = forms.FileField(
        label=_("File"), help_text=_("A photo (JPEG, PNG) or a PDF, at most 10 MB.")
    )
