"""Reading import files (.csv, .xlsx) into rows of text, and parsing cell values.

No ORM here: these helpers unit-test fast. Every refusal carries a code (``FileRefused`` /
``ValueRefused``) that :mod:`winroom.imports.messages` turns into a translated sentence.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100


class FileRefused(Exception):
    """The whole file is refused (before or while parsing)."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


class ValueRefused(Exception):
    """One cell's value cannot be read as the target type."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES
    max_ratio: int = MAX_ZIP_RATIO


@dataclass
class Table:
    """A sheet read from a file: its header and data rows (line numbers as the user sees them)."""

    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    #: the line/row number of each data row in the file (1 = the header line)
    lines: list[int] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


# ---------------------------------------------------------------- files


def read_table(
    data: bytes, filename: str, *, limits: Limits | None = None, sheet: str | None = None
) -> Table:
    """Read a .csv or .xlsx file's first (or named) sheet, refusing unsafe files first."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise FileRefused("too_big", size=len(data), limit=limits.max_bytes)
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsm", ".xltm", ".xlam", ".xls", ".xlsb"}:
        raise FileRefused("macro" if suffix != ".xls" else "unsupported", suffix=suffix)
    if suffix == ".xlsx":
        check_xlsx(data, limits)
        return read_xlsx(data, limits=limits, sheet=sheet)
    if suffix in {".csv", ".txt", ".tsv"}:
        return read_csv(data, limits=limits)
    raise FileRefused("unsupported", suffix=suffix)


def check_xlsx(data: bytes, limits: Limits) -> None:
    """Refuse what is not a plain workbook: not a zip, a macro workbook, a zip bomb."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileRefused("not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as error:
        raise FileRefused("not_xlsx") from error
    total = 0
    for info in infos:
        name = info.filename.rsplit("/", 1)[-1].lower()
        if name == "vbaproject.bin":
            raise FileRefused("macro", suffix=".xlsx")
        total += info.file_size
    if total > limits.max_unzipped_bytes:
        raise FileRefused("zip_bomb", size=total)
    if total > max(len(data), 1) * limits.max_ratio:
        raise FileRefused("zip_bomb", size=total)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: strict UTF-8 (with or without BOM), else GB18030 (covers GBK)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        raise FileRefused("encoding") from error


DELIMITERS = ",;\t"


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        if dialect.delimiter in DELIMITERS:
            return dialect.delimiter
    except csv.Error:
        pass
    first = text.splitlines()[0] if text else ""
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, *, limits: Limits | None = None) -> Table:
    limits = limits or Limits()
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    for row in reader:
        if table is None:
            table = Table(headers=[h.strip() for h in row], encoding=encoding, delimiter=delimiter)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(table.rows) >= limits.max_rows:
            raise FileRefused("too_many_rows", limit=limits.max_rows)
        table.rows.append(row)
        table.lines.append(reader.line_num)
    if table is None:
        raise FileRefused("empty")
    return table


def read_xlsx(data: bytes, *, limits: Limits | None = None, sheet: str | None = None) -> Table:
    import openpyxl

    limits = limits or Limits()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileRefused("not_xlsx") from error
    try:
        if sheet:
            if sheet not in book.sheetnames:
                raise FileRefused("no_sheet", sheet=sheet)
            worksheet = book[sheet]
        else:
            worksheet = book.worksheets[0]
        table: Table | None = None
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if table is None:
                table = Table(
                    headers=["" if v is None else str(v).strip() for v in values],
                    encoding="xlsx",
                )
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(table.rows) >= limits.max_rows:
                raise FileRefused("too_many_rows", limit=limits.max_rows)
            table.rows.append(list(values))
            table.lines.append(number)
    finally:
        book.close()
    if table is None:
        raise FileRefused("empty")
    return table


# ---------------------------------------------------------------- values

PLACEHOLDERS = {"", "-", "--", "—", "select", "n/a", "na", "null", "none", "无", "空", "(空)"}


def normalise_text(value: Any) -> str:
    """Width-folded, trimmed text (full-width digits and punctuation become ASCII)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return normalise_text(value).casefold() in PLACEHOLDERS
    return False


def parse_text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    # the apostrophe spreadsheets (and our exports) put before = + - @ so the text is not
    # run as a formula: a marker, not part of the value
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_decimal(value: Any, *, in_wan: bool = False) -> Decimal | None:
    """1,234,567.89 / full-width digits / 12.5万 / 5% (→ 0.05); ``in_wan`` columns × 10,000."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueRefused("number", value=value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return number * 10000 if in_wan else number
    text = normalise_text(value).replace(" ", "").replace("，", ",")
    for symbol in ("¥", "￥", "$", "€", "元", "RMB", "CNY"):
        text = text.replace(symbol, "")
    factor = Decimal(10000) if in_wan else Decimal(1)
    if text.endswith("%"):
        text, factor = text[:-1], Decimal("0.01")
    elif text.endswith("万元"):
        text, factor = text[:-2], Decimal(10000)
    elif text.endswith("万"):
        text, factor = text[:-1], Decimal(10000)
    elif text.endswith("亿"):
        text, factor = text[:-1], Decimal(100_000_000)
    if not text or not _NUMBER.match(text) or text in {"+", "-", "."}:
        raise ValueRefused("number", value=value)
    try:
        return Decimal(text.replace(",", "")) * factor
    except InvalidOperation as error:
        raise ValueRefused("number", value=value) from error


def parse_int(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueRefused("integer", value=value)
    return int(number)


EXCEL_EPOCH = date(1899, 12, 30)
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: .*)?$")


def parse_date(value: Any, *, month_first: bool = False) -> date | None:
    """Excel serials and date cells, 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, and
    3/1/2026 only for columns marked month-first (the order is ambiguous otherwise)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's range (1900-01-01 … 9999-12-31)
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueRefused("date", value=value)
    text = normalise_text(value)
    if text.isdigit() and len(text) <= 5:
        return parse_date(int(text), month_first=month_first)
    try:
        match = _YMD.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _MDY.match(text)
        if match and month_first:
            month, day, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if match:
            raise ValueRefused("date_ambiguous", value=value)
    except ValueError as error:
        raise ValueRefused("date", value=value) from error
    raise ValueRefused("date", value=value)


TRUE_WORDS = {"是", "对", "有", "y", "yes", "true", "t", "1", "√", "✓", "x"}
FALSE_WORDS = {"否", "不", "不是", "没有", "n", "no", "false", "f", "0", "×"}


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return None
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ValueRefused("boolean", value=value)
    text = normalise_text(value).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueRefused("boolean", value=value)


def header_key(text: Any) -> str:
    """Case-, width- and space-insensitive form of a header or a choice value."""
    return "".join(normalise_text(text).casefold().replace("_", " ").split())
