from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from manyi.org.models import Role, Staff, Unit, UnitLevel
from manyi.org.permissions import grantable_roles
from manyi.org.selectors import unit_choices, visible_units
from manyi.web.forms import DateInput, StyledForm, StyledModelForm


class UnitForm(StyledModelForm):
    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "level",
            "kind",
            "parent",
            "province",
            "city",
            "address",
            "time_zone",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = unit_choices(user).exclude(level=UnitLevel.DEPARTMENT)
        if self.instance.pk:
            self.fields["level"].disabled = True


class StaffForm(StyledModelForm):
    class Meta:
        model = Staff
        fields = [
            "username",
            "full_name",
            "code",
            "unit",
            "role",
            "position",
            "email",
            "phone",
            "hired_on",
            "is_active",
        ]
        widgets = {"hired_on": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user)
        self.fields["unit"].required = True
        grantable = grantable_roles(user)
        self.fields["role"].choices = [
            (value, label) for value, label in Role.choices if value in grantable
        ]
        if self.instance.pk:
            self.fields["username"].disabled = True

    def clean_code(self) -> str | None:
        return self.cleaned_data["code"] or None


class StaffCreateForm(StaffForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        required=False,
        min_length=8,
        help_text=_("Leave empty to let an administrator set it later."),
    )


class PasswordResetForm(StyledForm):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, min_length=8)


class UnitFilter(forms.Form):
    """A page narrowed to one unit of the user's part of the network, as the query
    string gives it; subclasses add their own filters and may offer fewer units."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    units = staticmethod(visible_units)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.units(user)


class StaffFilter(UnitFilter):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, required=False)
    units = staticmethod(unit_choices)


class PreferencesForm(StyledForm):
    language = forms.ChoiceField(
        label=_("Language of the e-mails manyi sends you"), choices=settings.LANGUAGES
    )
    inbox_digest = forms.BooleanField(
        label=_("E-mail me what waits in my inbox each morning"), required=False
    )
