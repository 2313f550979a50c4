"""Form styling shared by every app: Tabler classes on each widget."""

from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


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
    input_type = "date"


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))
