"""Reading CSV in the encodings Chinese systems export, and XLSX workbooks."""

import io

import pytest
from openpyxl import Workbook

from manyi.imports.readers import TableError, detect_encoding, open_table

TEXT = "external_id,name\nC1,李明\nC2,王芳\n"


def read(data: bytes, name: str = "f.csv"):
    table = open_table(io.BytesIO(data), name=name, size=len(data))
    return table.headers, [values for _number, values in table.rows], table.encoding


@pytest.mark.parametrize(
    "encoding,expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
    ],
)
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding, expected):
    headers, rows, found = read(TEXT.encode(encoding))
    assert headers == ["external_id", "name"]
    assert [row["name"] for row in rows] == ["李明", "王芳"]
    assert found == expected


def test_tab_separated_text_is_recognised():
    headers, rows, _enc = read(TEXT.replace(",", "\t").encode())
    assert headers == ["external_id", "name"] and rows[1]["name"] == "王芳"


def test_xlsx_rows_come_with_their_spreadsheet_row_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "name"])
    sheet.append(["C1", "李明"])
    sheet.append([None, None])
    sheet.append(["C3", "赵磊"])
    out = io.BytesIO()
    book.save(out)
    table = open_table(io.BytesIO(out.getvalue()), name="f.xlsx", size=len(out.getvalue()))
    assert [(number, row["name"]) for number, row in table.rows] == [(2, "李明"), (4, "赵磊")]


def test_an_empty_file_is_refused():
    with pytest.raises(TableError, match="empty"):
        read(b"   \n")


def test_binary_garbage_is_neither_utf8_nor_gbk():
    with pytest.raises(TableError, match="neither UTF-8 nor GBK"):
        detect_encoding(bytes(range(128, 256)) * 4)


def test_a_file_that_turns_invalid_late_names_the_row():
    data = ("external_id,name\n" + "C1,ok\n" * 5).encode() + b"C9,\xff\xfe\xfa\n"
    table = open_table(io.BytesIO(data), name="f.csv", size=len(data), encoding="utf-8")
    with pytest.raises(TableError, match="Line 7 is not valid utf-8"):
        list(table.rows)


def test_an_old_xls_workbook_gets_a_clear_message():
    with pytest.raises(TableError, match=r"\.xlsx"):
        read(b"\xd0\xcf\x11\xe0 old excel", name="f.xls")


def test_a_utf16_file_with_a_bad_line_names_the_line():
    good = "external_id,name\nC1,李明\n".encode("utf-16")
    with pytest.raises(TableError) as caught:
        read(good + b"\x00\xd8")  # a lone high surrogate: not UTF-16
    assert "UTF-16" in str(caught.value)


def test_a_header_cell_past_the_csv_field_limit_is_a_clear_error_on_row_1():
    with pytest.raises(TableError) as caught:
        read(("x" * (200 * 1024) + ",name\nC1,Li\n").encode())
    assert caught.value.row == 1 and "Row 1" in str(caught.value)


def test_an_oversized_cell_in_row_2_is_reported_as_row_2():
    with pytest.raises(TableError) as caught:
        read(("external_id,name\nC1," + "y" * (200 * 1024) + "\n").encode())
    assert caught.value.row == 2 and "Row 2" in str(caught.value)
