"""People as CSV: reading uploads (encoding, delimiter), matching columns to fields, checking one
row, the helper file, and export rows. Pure: no database; see docs/people.md for the format."""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sauti.contacts import values as v
from sauti.contacts.schema import FieldSpec, FieldValueInvalid, Schema, read_value

KEY_COLUMN = "whatsapp_id"
# Headers people use for the number; matched after lower-casing and turning spaces into _.
NUMBER_HEADERS = frozenset({"whatsapp_id", "wa_id", "whatsapp", "whatsapp_number", "phone", "phone_number",
                            "number", "mobile", "mobile_number", "msisdn", "cell", "cellphone", "urn", "contact"})
# Spreadsheet programs run cells starting with these as formulas (CSV injection): exported text
# cells get a leading apostrophe, which imports take off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_PROBLEMS = 500


class UnreadableFile(ValueError):
    """The upload is not a CSV file Sauti can read; the message says what to do."""


def compress(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=6)


def decompress(data: bytes | memoryview) -> str:
    return gzip.decompress(bytes(data)).decode("utf-8")


def decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else Windows-1252, what older Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise UnreadableFile(_("The file is not text: save it as CSV (UTF-8).")) from None


def _dialect(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def rows_of(text: str) -> Iterator[list[str]]:
    """Every row, the header first; blank lines are left out."""
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(first))
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield row
    except csv.Error as exc:
        raise UnreadableFile(_("The file is not valid CSV (%(error)s).") % {"error": exc}) from None


@dataclass
class Upload:
    headers: list[str]
    total_rows: int
    samples: list[list[str]] = field(default_factory=list)


def inspect(text: str) -> Upload:
    """Headers, how many rows follow and the first few, for the mapping page."""
    rows = rows_of(text)
    headers = next(rows, None)
    if not headers or not any(h.strip() for h in headers):
        raise UnreadableFile(_("The file is empty: it needs a header row, then one person per row."))
    if len(headers) > 500:
        raise UnreadableFile(_("The file has more than 500 columns."))
    samples: list[list[str]] = []
    total = 0
    for row in rows:
        total += 1
        if len(samples) < 3:
            samples.append(row)
    if not total:
        raise UnreadableFile(_("The file has a header row but nobody below it."))
    return Upload([h.strip() for h in headers], total, samples)


def _slug(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def auto_mapping(headers: Sequence[str], schema: Schema) -> dict[str, str]:
    """{column index: field key} for columns whose header names a writable field (key, display name,
    or a usual name for the number)."""
    by_name: dict[str, str] = {}
    for spec in schema.writable():
        by_name.setdefault(spec.key, spec.key)
        by_name.setdefault(_slug(str(spec.display_name)), spec.key)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        slug = _slug(header)
        key = KEY_COLUMN if slug in NUMBER_HEADERS else by_name.get(slug)
        if key and key not in used:
            mapping[str(index)] = key
            used.add(key)
    return mapping


def targets(schema: Schema) -> list[FieldSpec]:
    """What a column may be imported into: the number, then every writable field."""
    number = schema.fields[KEY_COLUMN]
    return [number, *(spec for spec in schema.ordered() if spec.writable)]


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


def check_row(number: int, row: Sequence[str], mapping: Mapping[str, str], headers: Sequence[str],
              schema: Schema, normalise_number: Any) -> tuple[str | None, dict[str, Any], list[Problem]]:
    """One data row (`number` as a spreadsheet shows it): its wa_id, its values, and its problems.

    Empty cells are left out, so they leave what is stored untouched.
    """
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    wa_id: str | None = None
    for index, key in mapping.items():
        i = int(index)
        column = headers[i] if i < len(headers) else f"#{i + 1}"
        cell = row[i].strip() if i < len(row) else ""
        if cell.startswith("'") and cell[1:2] in FORMULA_STARTS and cell[1:2]:
            cell = cell[1:]
        if key == KEY_COLUMN:
            if not cell:
                problems.append(Problem(number, column, _("The WhatsApp number is missing.")))
                continue
            try:
                wa_id = normalise_number(cell)
            except FieldValueInvalid as exc:
                problems.append(Problem(number, column, exc.message[:1].upper() + exc.message[1:] + "."))
            continue
        if not cell:
            continue
        spec = schema.get(key)
        if spec is None:
            problems.append(Problem(number, column, _("The field “%(key)s” no longer exists.") % {"key": key}))
            continue
        try:
            values[key] = schema.check_one(spec, cell)
        except FieldValueInvalid as exc:
            problems.append(Problem(number, column, exc.message[:1].upper() + exc.message[1:] + "."))
    return wa_id, values, problems


def helper_csv(schema: Schema) -> str:
    """Turn's helper file: every field Sauti can import as a column, and an example row of formats."""
    columns = targets(schema)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spec.key for spec in columns])
    writer.writerow(["27820000001" if spec.key == KEY_COLUMN else
                     ("eng" if spec.language else "Ana" if spec.key == "name" else
                      v.example(spec.type, spec.choices)) for spec in columns])
    return out.getvalue()


def export_columns(schema: Schema, *, private_hidden: bool) -> list[FieldSpec]:
    """The number first, then every field (read-only ones too: an import skips them)."""
    rest = [spec for spec in schema.ordered() if spec.key != KEY_COLUMN and not (private_hidden and spec.is_private)]
    return [schema.fields[KEY_COLUMN], *rest]


def export_cell(spec: FieldSpec, contact: Any, *, mask: Any = None) -> str:
    """One person's value as a cell an import reads back the same (text made safe for spreadsheets)."""
    if spec.key == KEY_COLUMN:
        number = contact.wa_id or ""
        return mask(number) if mask and number else number
    stored = read_value(contact, spec)
    text = v.as_text(spec.type, stored, choices=spec.choices)
    if spec.type == v.TEXT and text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text
