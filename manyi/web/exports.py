"""Spreadsheet downloads (CSV and XLSX) that are safe to open in Excel or WPS."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV with BOM, so Excel shows Chinese text correctly."""

    def lines() -> Iterable[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> HttpResponse:
    return workbook_response(filename, [("", header, rows)])


def workbook_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> HttpResponse:
    """An XLSX with one sheet per (title, header, rows); text cells neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        # Sheet titles may not hold : \ / ? * [ ] and run to 31 characters.
        clean = "".join(" " if ch in ":\\/?*[]" else ch for ch in title).strip()[:31]
        sheet = workbook.create_sheet(title=clean or None)
        sheet.append(list(header))
        for row in rows:
            sheet.append([neutralise(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def spreadsheet_response(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows)
    return csv_response(filename, header, rows)
