"""SQL over the custom fields in Contact.fields, the same on PostgreSQL (jsonb) and SQLite (JSON1).

Each extraction is guarded by the JSON type, so a value of the wrong type (written before its
field had a type) reads as NULL instead of breaking the whole query with a cast error.
Keys are validated slugs (sauti.contacts.schema.KEY_PATTERN) and are passed as parameters anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.models import Expression, F, Func


def _path(key: str) -> str:
    return f'$."{key}"'


class JsonValue(Expression):
    """One custom field read as `kind`: "text", "number", "boolean", "moment" (ISO date text) or
    "present" (set, not null and not empty text: never NULL itself)."""

    OUTPUT = {"text": models.TextField, "moment": models.TextField, "number": models.FloatField,
              "boolean": models.BooleanField, "present": models.BooleanField}

    def __init__(self, key: str, kind: str, column: str = "fields") -> None:
        super().__init__(output_field=self.OUTPUT[kind]())
        self.key, self.kind = key, kind
        self.column: Any = F(column)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:  # pragma: no cover - other databases
        raise NotImplementedError(f"custom field queries are not written for {connection.vendor}")

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        col, params = compiler.compile(self.column)
        k = self.key
        node, typ, text = f"({col} -> %s)", f"jsonb_typeof({col} -> %s)", f"({col} ->> %s)"
        if self.kind == "text":
            return text, [*params, k]  # numbers and yes/no read as their text too
        if self.kind == "number":
            return f"CASE WHEN {typ} = 'number' THEN {text}::double precision END", [*params, k, *params, k]
        if self.kind == "boolean":
            return f"CASE WHEN {typ} = 'boolean' THEN {text}::boolean END", [*params, k, *params, k]
        if self.kind == "moment":
            return (f"CASE WHEN {typ} = 'string' AND {text} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}' THEN {text} END",
                    [*params, k, *params, k, *params, k])
        return (f"COALESCE({typ} NOT IN ('null') AND {node} <> '\"\"'::jsonb, false)",
                [*params, k, *params, k])

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        col, params = compiler.compile(self.column)
        p = _path(self.key)
        typ, value = f"json_type({col}, %s)", f"json_extract({col}, %s)"
        if self.kind == "text":
            return (f"CASE {typ} WHEN 'text' THEN {value} WHEN 'integer' THEN CAST({value} AS TEXT) "
                    f"WHEN 'real' THEN CAST({value} AS TEXT) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END",
                    [*params, p, *params, p, *params, p, *params, p])
        if self.kind == "number":
            return f"CASE WHEN {typ} IN ('integer', 'real') THEN {value} END", [*params, p, *params, p]
        if self.kind == "boolean":
            return f"CASE {typ} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END", [*params, p]
        if self.kind == "moment":
            return (f"CASE WHEN {typ} = 'text' AND {value} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
                    f"THEN {value} END", [*params, p, *params, p, *params, p])
        return (f"COALESCE({typ} NOT IN ('null') AND NOT ({typ} = 'text' AND {value} = ''), 0)",
                [*params, p, *params, p, *params, p])


class JsonRemove(Func):
    """`fields` without one key: deleting a field deletes its values in one UPDATE."""

    output_field = models.JSONField()

    def __init__(self, key: str, column: str = "fields") -> None:
        super().__init__(F(column))
        self.key = key

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # pragma: no cover
        raise NotImplementedError(f"removing a custom field is not written for {connection.vendor}")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        col, params = compiler.compile(self.source_expressions[0])
        return f"({col} - %s)", [*params, self.key]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        col, params = compiler.compile(self.source_expressions[0])
        return f"json_remove({col}, %s)", [*params, _path(self.key)]
