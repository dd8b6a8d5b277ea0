"""Tables as files for analysis: an XLSX workbook or a zip of CSV files, each with a data
dictionary saying what every column means (review rounds' results, the involvement record).

Every text cell is made safe to open in a spreadsheet: text that a spreadsheet would run as a
formula (starting with = + - @, a tab or a carriage return) is written with a ``'`` in front.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Control characters a worksheet cannot hold (tab, new line and carriage return it can).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """A value that a spreadsheet shows as written and never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return value
    # Control characters cannot be stored in a workbook; nobody typed them on purpose.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    name: str
    about: str
    columns: tuple[tuple[str, str], ...]  # (column name, what it holds)
    rows: list[Sequence[Any]]


def dictionary_rows(sheets: Iterable[Sheet]) -> list[tuple[str, str, str]]:
    rows = []
    for sheet in sheets:
        rows.append((sheet.name, "", sheet.about))
        rows.extend((sheet.name, column, meaning) for column, meaning in sheet.columns)
    return rows


DICTIONARY_COLUMNS = ("sheet", "column", "meaning")


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """An XLSX workbook: one worksheet per table, then ``data_dictionary``."""
    # Imported here: only a download needs it, and every worker would otherwise hold it.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = book.create_sheet(sheet.name)
        worksheet.append([name for name, _meaning in sheet.columns])
        for row in sheet.rows:
            worksheet.append([safe_cell(value) for value in row])
    dictionary = book.create_sheet("data_dictionary")
    dictionary.append(list(DICTIONARY_COLUMNS))
    for row in dictionary_rows(sheets):
        dictionary.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    # With a byte-order mark, spreadsheet programs read the file as UTF-8.
    return text.getvalue().encode("utf-8-sig")


def csv_zip_bytes(sheets: list[Sheet]) -> bytes:
    """A zip holding one CSV file per table, and ``data_dictionary.csv``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in sheets:
            header = [name for name, _meaning in sheet.columns]
            archive.writestr(f"{sheet.name}.csv", _csv_text(header, sheet.rows))
        archive.writestr(
            "data_dictionary.csv", _csv_text(DICTIONARY_COLUMNS, dictionary_rows(sheets))
        )
    return buffer.getvalue()
