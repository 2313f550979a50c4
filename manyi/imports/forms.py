from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.imports.kinds import kind_choices
from manyi.web.forms import StyledForm


class UploadForm(StyledForm):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=kind_choices)
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("CSV in UTF-8 or GBK, or an XLSX workbook; the first row names the columns."),
    )
