"""Downloadable templates: a header row and one example row per import kind."""

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from manyi.imports.engine import ImportKind


def template_csv(kind: ImportKind) -> bytes:
    """UTF-8 with BOM so Excel opens the Chinese examples correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.name for column in kind.columns])
    writer.writerow([column.example for column in kind.columns])
    return ("\ufeff" + out.getvalue()).encode()


def template_xlsx(kind: ImportKind, extra: Sequence[tuple[str, str, str]] = ()) -> bytes:
    """The kind's columns, then ``extra`` ones given as (name, example, note)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)[:31]
    sheet.append([column.name for column in kind.columns] + [name for name, _e, _n in extra])
    sheet.append([column.example for column in kind.columns] + [e for _name, e, _n in extra])
    notes = [
        str(column.label) + (f" ({_('required')})" if column.required else "")
        for column in kind.columns
    ] + [note for _name, _e, note in extra]
    for cell, note in zip(sheet[1], notes, strict=True):
        cell.comment = Comment(note, "manyi")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
