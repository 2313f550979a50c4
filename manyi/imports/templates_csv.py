"""Downloadable templates: a header row and one example row per import kind."""

import csv
import io

from django.utils.translation import gettext as _

from manyi.imports.engine import ImportKind


def template_csv(kind: ImportKind) -> bytes:
    """UTF-8 with BOM so Excel opens the Chinese examples correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.name for column in kind.columns])
    writer.writerow([column.example for column in kind.columns])
    return ("\ufeff" + out.getvalue()).encode()


def template_xlsx(kind: ImportKind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)[:31]
    sheet.append([column.name for column in kind.columns])
    sheet.append([column.example for column in kind.columns])
    for cell, column in zip(sheet[1], kind.columns, strict=True):
        note = str(column.label) + (f" ({_('required')})" if column.required else "")
        cell.comment = Comment(note, "manyi")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
