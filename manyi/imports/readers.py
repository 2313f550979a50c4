"""Reading tables from CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX, one row at a time."""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

SNIFF_BYTES = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class TableError(Exception):
    """The file as a whole cannot be read; ``row`` is where reading stopped (0 = before)."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.row = row


def detect_encoding(sample: bytes) -> str:
    """Name the encoding of a CSV sample: UTF-8 (with or without BOM), else GB18030.

    GB18030 is a superset of GBK and GB2312, the encodings of most Chinese exports.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TableError(_("The file is neither UTF-8 nor GBK/GB18030 text, nor an XLSX workbook."))


@dataclass
class Table:
    """Headers and a stream of ``(row_number, {header: value})``; row 1 is the header."""

    headers: list[str]
    rows: Iterator[tuple[int, dict[str, Any]]]
    encoding: str = ""
    _progress: Any = field(default=None, repr=False)

    def progress(self) -> float:
        return self._progress() if self._progress else 0.0


def _clean_header(value: Any) -> str:
    return str(value or "").strip().lstrip("\ufeff").strip()


def _decoded_lines(binary: IO[bytes], encoding: str) -> Iterator[str]:
    """Decode line by line, so a bad byte is reported on the line that holds it."""
    if encoding == "utf-16":  # lines cannot be split on b"\n" in UTF-16
        number = 0
        try:
            for number, line in enumerate(  # noqa: B007 - the number is reported below
                io.TextIOWrapper(binary, encoding=encoding, newline=""), start=1
            ):
                yield line
        except UnicodeDecodeError as error:
            raise TableError(
                _(
                    "Line %(line)s is not valid %(enc)s text; save the file as UTF-8 or GBK "
                    "and upload it again."
                )
                % {"line": number + 1, "enc": "UTF-16"},
                number + 1,
            ) from error
        return
    for number, raw in enumerate(binary, start=1):
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise TableError(
                _(
                    "Line %(line)s is not valid %(enc)s text; save the file as UTF-8 or GBK "
                    "and upload it again."
                )
                % {"line": number, "enc": encoding},
                number,
            ) from error


def open_csv(binary: IO[bytes], *, size: int, encoding: str = "") -> Table:
    sample = binary.read(SNIFF_BYTES)
    binary.seek(0)
    if not sample.strip():
        raise TableError(_("The file is empty."))
    encoding = encoding or detect_encoding(sample)
    first_line = sample.decode(encoding, errors="ignore").splitlines()[0]
    delimiter = max(",\t;|", key=first_line.count)
    reader = csv.reader(_decoded_lines(binary, encoding), delimiter=delimiter)
    try:
        headers = [_clean_header(cell) for cell in next(reader)]
    except csv.Error as error:
        raise TableError(
            _("Row %(row)s cannot be read: %(error)s") % {"row": 1, "error": error}, 1
        ) from error

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) > len(headers):
                    raise TableError(
                        _("Row %(row)s has %(n)s cells but the header has %(h)s.")
                        % {"row": number, "n": len(cells), "h": len(headers)},
                        number,
                    )
                yield number, dict(zip(headers, cells, strict=False))
        except csv.Error as error:  # raised while reading the next row, not yet counted
            raise TableError(
                _("Row %(row)s cannot be read: %(error)s") % {"row": number + 1, "error": error},
                number + 1,
            ) from error

    return Table(
        headers=headers,
        rows=rows(),
        encoding=encoding,
        _progress=lambda: binary.tell() / size if size and not binary.closed else 1.0,
    )


def open_xlsx(binary: IO[bytes]) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise TableError(
            _("The workbook cannot be opened: %(error)s") % {"error": error}
        ) from error
    sheet = workbook.worksheets[0]
    stream = sheet.iter_rows(values_only=True)
    try:
        headers = [_clean_header(cell) for cell in next(stream)]
    except StopIteration as error:
        raise TableError(_("The file is empty.")) from error
    while headers and not headers[-1]:
        headers.pop()
    total = sheet.max_row or 0
    position = {"row": 1}

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, cells in enumerate(stream, start=2):
            position["row"] = number
            if not any(cell not in (None, "") for cell in cells):
                continue
            yield number, dict(zip(headers, cells, strict=False))
        workbook.close()

    return Table(
        headers=headers,
        rows=rows(),
        encoding="xlsx",
        _progress=lambda: position["row"] / total if total else 1.0,
    )


def open_table(binary: IO[bytes], *, name: str = "", size: int = 0, encoding: str = "") -> Table:
    """Open an uploaded file as a table, by content (XLSX is a zip) rather than by name."""
    head = binary.read(4)
    binary.seek(0)
    if head == XLSX_MAGIC:
        return open_xlsx(binary)
    if Path(name).suffix.lower() in (".xls",):
        raise TableError(_("Old .xls workbooks are not supported; save as .xlsx or CSV."))
    return open_csv(binary, size=size, encoding=encoding)


def open_rows(rows: list[dict[str, Any]], *, first: int = 0) -> Table:
    """A table over records already in memory (an API batch), numbered from ``first``."""
    headers = sorted({key for row in rows for key in row})
    return Table(
        headers=headers, rows=((number, row) for number, row in enumerate(rows, start=first))
    )
