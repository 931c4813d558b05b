"""Reading files and cell values: each rule's edge cases (no database)."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from winroom.imports.reading import (
    FileRefused,
    Limits,
    ValueRefused,
    decode,
    header_key,
    is_blank,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
    sniff_delimiter,
)

ROWS = [["客户名称", "行业", "区域"], ["上海申通地铁", "交通", "上海"], ["华为", "通信", "深圳"]]


def xlsx(rows, sheet="Sheet"):
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8", delimiter=","):
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("gb18030", "\t"), ("gbk", ",")],
)
def test_csv_encodings_and_delimiters_read_the_same(encoding, delimiter):
    table = read_table(csv_bytes(ROWS, encoding, delimiter), "a.csv")
    assert table.headers == ROWS[0]
    assert table.rows == ROWS[1:]
    assert table.lines == [2, 3]
    assert table.delimiter == delimiter


def test_bom_is_not_part_of_the_first_header():
    text, encoding = decode("名称,区域\n".encode("utf-8-sig"))
    assert text.startswith("名称") and encoding == "utf-8"


def test_delimiter_fallback_counts_when_the_sniffer_gives_up():
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter("one column") == ","


def test_csv_quoted_delimiters_and_blank_lines():
    data = 'name,notes\n"甲, 乙",x\n\n,\nc,d\n'.encode()
    table = read_table(data, "a.csv")
    assert table.rows == [["甲, 乙", "x"], ["c", "d"]]
    assert table.lines == [2, 5]


def test_xlsx_first_sheet_or_named_sheet():
    book = openpyxl.Workbook()
    book.active.append(["a"])
    book.active.append([1])
    other = book.create_sheet("客户")
    other.append(["名称"])
    other.append(["甲"])
    out = io.BytesIO()
    book.save(out)
    assert read_table(out.getvalue(), "x.xlsx").rows == [[1]]
    assert read_table(out.getvalue(), "x.xlsx", sheet="客户").rows == [["甲"]]
    with pytest.raises(FileRefused) as refused:
        read_table(out.getvalue(), "x.xlsx", sheet="无此表")
    assert refused.value.code == "no_sheet"


def test_xlsx_reads_the_same_table_as_csv():
    assert read_table(xlsx(ROWS), "a.xlsx").rows == read_table(csv_bytes(ROWS), "a.csv").rows


def test_oversize_file_is_refused_before_parsing():
    with pytest.raises(FileRefused) as refused:
        read_table(b"x" * 101, "a.csv", limits=Limits(max_bytes=100))
    assert refused.value.code == "too_big"


def test_row_cap():
    rows = [["name"]] + [[f"n{i}"] for i in range(11)]
    with pytest.raises(FileRefused) as refused:
        read_table(csv_bytes(rows), "a.csv", limits=Limits(max_rows=10))
    assert refused.value.code == "too_many_rows"
    with pytest.raises(FileRefused):
        read_table(xlsx(rows), "a.xlsx", limits=Limits(max_rows=10))


def test_macro_workbooks_are_refused():
    with pytest.raises(FileRefused) as refused:
        read_table(xlsx(ROWS), "a.xlsm")
    assert refused.value.code == "macro"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/vbaProject.bin", b"\0" * 10)
    with pytest.raises(FileRefused) as refused:
        read_table(out.getvalue(), "innocent.xlsx")
    assert refused.value.code == "macro"


def test_zip_bomb_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    with pytest.raises(FileRefused) as refused:
        read_table(out.getvalue(), "bomb.xlsx")
    assert refused.value.code == "zip_bomb"
    with pytest.raises(FileRefused) as refused:
        read_table(xlsx(ROWS), "a.xlsx", limits=Limits(max_unzipped_bytes=100))
    assert refused.value.code == "zip_bomb"


def test_not_a_zip_and_unknown_types_are_refused():
    for data, name, code in [
        (b"name,region\n", "a.xlsx", "not_xlsx"),
        (b"\xd0\xcf\x11\xe0", "old.xls", "unsupported"),
        (b"%PDF", "a.pdf", "unsupported"),
        (b"", "a.csv", "empty"),
    ]:
        with pytest.raises(FileRefused) as refused:
            read_table(data, name)
        assert refused.value.code == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026/3/1", date(2026, 3, 1)),
        ("2026.3.1", date(2026, 3, 1)),
        ("2026年3月1日", date(2026, 3, 1)),
        ("２０２６年３月１日", date(2026, 3, 1)),
        ("2026-03-01 09:30:00", date(2026, 3, 1)),
        (46082, date(2026, 3, 1)),
        (46082.5, date(2026, 3, 1)),
        ("46082", date(2026, 3, 1)),
        (datetime(2026, 3, 1, 9, 30), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 3, 1)),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_dates(raw, expected):
    assert parse_date(raw) == expected


def test_month_first_dates_only_when_the_column_says_so():
    with pytest.raises(ValueRefused) as refused:
        parse_date("3/1/2026")
    assert refused.value.code == "date_ambiguous"
    assert parse_date("3/1/2026", month_first=True) == date(2026, 3, 1)


@pytest.mark.parametrize("raw", ["2026-02-30", "yesterday", "2026-13-01", -5, "13/45/2026"])
def test_bad_dates(raw):
    with pytest.raises(ValueRefused):
        parse_date(raw, month_first=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234,567.89", Decimal("1234567.89")),
        ("１，２３４，５６７．８９", Decimal("1234567.89")),
        ("¥1,200", Decimal("1200")),
        ("12.5万", Decimal("125000")),
        ("3万元", Decimal("30000")),
        ("1.2亿", Decimal("120000000")),
        ("15%", Decimal("0.15")),
        ("-42", Decimal("-42")),
        (1200, Decimal("1200")),
        (0.5, Decimal("0.5")),
        ("N/A", None),
        ("无", None),
    ],
)
def test_numbers(raw, expected):
    assert parse_decimal(raw) == expected


def test_in_wan_column_multiplies_plain_numbers():
    assert parse_decimal("12.5", in_wan=True) == Decimal("125000")
    assert parse_decimal(3, in_wan=True) == Decimal("30000")
    assert parse_decimal("12.5万", in_wan=True) == Decimal("125000")  # not twice


@pytest.mark.parametrize("raw", ["12,34", "abc", "1.2.3", "万", "1,2345", True])
def test_bad_numbers(raw):
    with pytest.raises(ValueRefused):
        parse_decimal(raw)


def test_integers():
    assert parse_int("1,000") == 1000
    with pytest.raises(ValueRefused) as refused:
        parse_int("1.5")
    assert refused.value.code == "integer"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("TRUE", True),
        ("false", False),
        (1, True),
        (0, False),
        (True, True),
        ("", None),
        ("Select", None),
    ],
)
def test_booleans(raw, expected):
    assert parse_bool(raw) is expected


def test_bad_boolean():
    with pytest.raises(ValueRefused):
        parse_bool("maybe")


@pytest.mark.parametrize("raw", ["", "  ", "-", "Select", "SELECT", "N/A", "无", None])
def test_placeholders_are_blank(raw):
    assert is_blank(raw)


def test_header_key_ignores_case_width_and_spaces():
    assert header_key(" Account  Name ") == header_key("ＡＣＣＯＵＮＴ_name")
