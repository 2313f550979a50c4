"""Form styling shared by every app: Tabler classes on each widget."""

from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# The years a date may fall in (reports, filters, API moments): outside them it is a
# typing error, and date arithmetic past year 9999 overflows.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class StyledFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    """A date picker; its value is always ISO (YYYY-MM-DD), whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class UnitTree(forms.CheckboxSelectMultiple):
    """Units as a tree of checkboxes, each indented by its depth (web/form_field.html)."""


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def form_errors(form: forms.Form) -> str:
    """A form's errors as one message: each field's label with what is wrong with it."""
    return "; ".join(
        f"{form.fields[name].label or name}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def query_params(request: HttpRequest, form_class: type[forms.Form], **kwargs: Any) -> dict:
    """The query string of a page read through ``form_class``. A value the form refuses
    (a unit that is not the user's, a number that is not one) is a 400 that says which."""
    form = form_class(request.GET, **kwargs)
    if not form.is_valid():
        raise BadRequest(form_errors(form))
    return form.cleaned_data


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where to go back to: the posted ``next`` if it stays on this site, else ``fallback``."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


class IdsField(forms.ModelMultipleChoiceField):
    """Several records chosen by id: an id that is not one (too large for the database,
    not ASCII digits) is refused as an invalid choice before any query."""

    def _check_values(self, value: Any) -> Any:
        from manyi.web.converters import parse_id

        for pk in value or ():
            if parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )  # fmt: skip
        return super()._check_values(value)
