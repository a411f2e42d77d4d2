"""A segment's syntax tree → one Django Q over Contact, type-aware per the workspace's schema.

`a != x` means `not a = x` (people without a value match). Under a `not`, every condition on a
custom field is also written so it is never SQL NULL, so `not` is always the complement of what
it negates; elsewhere NULL already means "no", and the guard is left out (half the JSON work).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IContains,
    IExact,
    IsNull,
    IStartsWith,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import gettext as _

from sauti.contacts import values as v
from sauti.contacts.jsonsql import JsonValue
from sauti.contacts.schema import FieldSpec, Schema
from sauti.contacts.segments.syntax import (
    And,
    Compare,
    Everyone,
    IsSet,
    Node,
    Not,
    Or,
    SegmentSyntaxError,
    Truthy,
    Value,
)
from sauti.contacts.values import ValueInvalid

ORDERED = ("<", ">", "<=", ">=")
LOOKUPS = {"=": "exact", "<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}
EXPRESSION_LOOKUPS = {"=": Exact, "<": LessThan, ">": GreaterThan, "<=": LessThanOrEqual, ">=": GreaterThanOrEqual}
# Fields a query may name beyond the profile schema.
EXTRA = {"created_at": FieldSpec(key="created_at", display_name="created_at", type=v.DATETIME, reserved=True,
                                 column="created_at", writable=False)}
NUMBER_COLUMNS = ("wa_id",)


@dataclass
class Compiler:
    schema: Schema
    now: dt.datetime
    private_hidden: bool = False
    label_filter: Any = None  # callable(name) -> Q, when the inbox's labels are available
    negations: int = 0  # how many `not` (or !=) enclose the condition being compiled

    def compile(self, node: Node) -> Q:
        if isinstance(node, Everyone):
            return Q()
        if isinstance(node, And):
            q = Q()
            for item in node.items:
                q &= self.compile(item)
            return q
        if isinstance(node, Or):
            q = self.compile(node.items[0])
            for item in node.items[1:]:
                q |= self.compile(item)
            return q
        if isinstance(node, Not):
            return ~self._negated(node.item)
        if isinstance(node, IsSet):
            return self._is_set(node)
        if isinstance(node, Truthy):
            return self._truthy(node)
        return self._compare(node)

    def _negated(self, node: Node) -> Q:
        self.negations += 1
        try:
            return self.compile(node)
        finally:
            self.negations -= 1

    def _guarded(self, condition: Any, expr: Any) -> Q:
        """`condition` on a custom field, never NULL where a `not` will negate it."""
        if self.negations % 2:
            return Q(condition, IsNull(expr, False))
        return Q(condition)

    # ------------------------------------------------------------------ fields

    def field(self, name: str, column: int) -> FieldSpec:
        spec = self.schema.get(name) or EXTRA.get(name)
        if spec is None:
            raise SegmentSyntaxError(_("there is no field “%(name)s”") % {"name": name}, column)
        if self.private_hidden and spec.is_private:
            raise SegmentSyntaxError(_("“%(name)s” is a private field: your role cannot search it") % {"name": name},
                                     column)
        return spec

    def _is_set(self, node: IsSet) -> Q:
        if node.field == "label":
            raise SegmentSyntaxError(_("write label = \"name\" to find people with a label"), node.column)
        spec = self.field(node.field, node.column)
        if spec.column:
            q = Q(**{f"{spec.column}__isnull": False})
            if spec.type == v.TEXT:
                q &= ~Q(**{spec.column: ""})
        elif spec.type in (v.TEXT, v.LOCATION):
            q = Q(JsonValue(spec.key, "present"))
        else:
            # A value of another type (written before the field had one) is no value here, as in
            # every comparison.
            expr = JsonValue(spec.key, {v.NUMBER: "number", v.BOOLEAN: "boolean", v.ENUM: "text"}.get(spec.type,
                                                                                                   "moment"))
            q = Q(IsNull(expr, False))
        return ~q if node.negated else q

    def _truthy(self, node: Truthy) -> Q:
        spec = self.field(node.field, node.column)
        if spec.type != v.BOOLEAN:
            raise SegmentSyntaxError(_("“%(name)s” is not a yes/no field: write “%(name)s is set”, or compare it "
                                       "with a value") % {"name": node.field}, node.column)
        return self._boolean(spec, "=", True)

    # ------------------------------------------------------------------ comparisons

    def _compare(self, node: Compare) -> Q:
        if node.field == "label":
            return self._label(node)
        spec = self.field(node.field, node.column)
        op, value = node.op, node.value
        if op == "!=":
            return ~self._negated(Compare(node.field, node.column, "=", value))
        kind = spec.type
        allowed = {v.TEXT: ("=", "contains", "starts_with"), v.ENUM: ("=",), v.BOOLEAN: ("=",),
                   v.LOCATION: ()}.get(kind, ("=", *ORDERED))
        if op not in allowed:
            raise SegmentSyntaxError(self._op_problem(spec, node.field), node.column + len(node.field) + 1)
        if kind == v.TEXT:
            return self._text(spec, op, self._text_value(spec, value))
        if kind == v.ENUM:
            return self._text(spec, "=", self._typed(spec, value))
        if kind == v.BOOLEAN:
            return self._boolean(spec, op, self._typed(spec, value))
        if kind == v.NUMBER:
            return self._ordered(spec, op, self._typed(spec, value), "number")
        if kind == v.DATE:
            return self._ordered(spec, op, self._date_value(spec, value), "moment")
        return self._datetime(spec, op, value)

    def _op_problem(self, spec: FieldSpec, name: str) -> str:
        if spec.type == v.LOCATION:
            return _("“%(name)s” is a location: only “is set” and “is not set” work on it") % {"name": name}
        if spec.type == v.TEXT:
            return _("“%(name)s” is text: compare it with =, !=, contains or starts_with") % {"name": name}
        return _("“%(name)s” is a %(type)s field: compare it with = or !=") % {"name": name,
                                                                             "type": spec.type_label.lower()}

    def _typed(self, spec: FieldSpec, value: Value) -> Any:
        raw = value.value
        if value.kind in ("now", "today", "relative"):
            raise SegmentSyntaxError(_("“%(name)s” is not a date: “%(value)s” does not fit it")
                                     % {"name": spec.key, "value": value.text}, value.column)
        try:
            result = v.normalise(spec.type, raw, choices=spec.choices, tz=self.schema.tz)
        except ValueInvalid as exc:
            raise SegmentSyntaxError(f"{spec.key}: {exc.message}", value.column) from None
        if result is None:
            raise SegmentSyntaxError(_("an empty value: write “%(name)s is not set” instead") % {"name": spec.key},
                                     value.column)
        return result

    def _text_value(self, spec: FieldSpec, value: Value) -> str:
        if value.kind in ("string", "word", "number"):
            text = str(value.value)
            if spec.column in NUMBER_COLUMNS:
                text = text.lstrip("+").replace(" ", "")
            return text
        if value.kind == "boolean":
            return "true" if value.value else "false"
        return value.text

    def _text(self, spec: FieldSpec, op: str, text: str) -> Q:
        if spec.column:
            if spec.column in NUMBER_COLUMNS:
                lookup = {"=": "exact", "contains": "contains", "starts_with": "startswith"}[op]
            else:
                lookup = {"=": "iexact", "contains": "icontains", "starts_with": "istartswith"}[op]
            return Q(**{f"{spec.column}__{lookup}": text})
        expr = JsonValue(spec.key, "text")
        lookup_class = {"=": IExact, "contains": IContains, "starts_with": IStartsWith}[op]
        if spec.type == v.ENUM:
            lookup_class = Exact
        return self._guarded(lookup_class(expr, text), expr)

    def _boolean(self, spec: FieldSpec, op: str, value: bool) -> Q:
        if spec.column:
            return Q(**{spec.column: value})
        expr = JsonValue(spec.key, "boolean")
        return self._guarded(Exact(expr, value), expr)

    def _ordered(self, spec: FieldSpec, op: str, value: Any, kind: str) -> Q:
        if spec.column:
            if spec.type == v.DATE:
                value = dt.date.fromisoformat(value)
            return Q(**{f"{spec.column}__{LOOKUPS[op]}": value})
        expr = JsonValue(spec.key, kind)
        return self._guarded(EXPRESSION_LOOKUPS[op](expr, value), expr)

    # ------------------------------------------------------------------ dates and times

    def _moment(self, value: Value) -> dt.datetime | None:
        """An exact moment (aware UTC), or None for a whole day (a date, `today`)."""
        if value.kind == "now":
            return self.now
        if value.kind == "relative":
            return shift(self.now, *value.value)
        if value.kind in ("datetime", "string"):
            try:
                moment = v.to_datetime(value.value, self.schema.tz)
            except ValueInvalid as exc:
                raise SegmentSyntaxError(exc.message, value.column) from None
            if value.kind == "string" and len(str(value.value).strip()) == 10:
                return None
            return moment
        return None

    def _day(self, value: Value) -> dt.date:
        if value.kind == "today":
            return self.now.astimezone(self.schema.tz).date()
        if value.kind in ("date", "string"):
            try:
                return dt.date.fromisoformat(str(value.value).strip())
            except ValueError:
                pass
        raise SegmentSyntaxError(_("“%(value)s” is not a date: write YYYY-MM-DD, a date-time, now, today, or a "
                                   "time from now like -30d") % {"value": value.text}, value.column)

    def _date_value(self, spec: FieldSpec, value: Value) -> str:
        moment = self._moment(value)
        if moment is not None:
            return moment.astimezone(self.schema.tz).date().isoformat()
        return self._day(value).isoformat()

    def _datetime(self, spec: FieldSpec, op: str, value: Value) -> Q:
        moment = self._moment(value)
        if moment is not None:
            return self._ordered(spec, op, self._stored_moment(spec, moment), "moment")
        # A whole day (a date, `today`) in the workspace's timezone: [start, end).
        day = self._day(value)
        start = dt.datetime(day.year, day.month, day.day, tzinfo=self.schema.tz).astimezone(dt.UTC)
        end = (dt.datetime(day.year, day.month, day.day, tzinfo=self.schema.tz) + dt.timedelta(days=1)).astimezone(
            dt.UTC)
        lo, hi = self._stored_moment(spec, start), self._stored_moment(spec, end)
        if op == "=":
            return self._ordered(spec, ">=", lo, "moment") & self._ordered(spec, "<", hi, "moment")
        if op in ("<", ">="):
            return self._ordered(spec, op, lo, "moment")
        return self._ordered(spec, {">": ">=", "<=": "<"}[op], hi, "moment")

    def _stored_moment(self, spec: FieldSpec, moment: dt.datetime) -> Any:
        if spec.column:
            return moment
        return moment.astimezone(dt.UTC).strftime(v.DATETIME_FORMAT)

    # ------------------------------------------------------------------ labels

    def _label(self, node: Compare) -> Q:
        if self.label_filter is None:
            raise SegmentSyntaxError(_("labels cannot be searched in this workspace yet"), node.column)
        if node.op != "=":
            raise SegmentSyntaxError(_("labels are compared with = or != (label = \"urgent\")"), node.column + 6)
        if node.value.kind not in ("string", "word"):
            raise SegmentSyntaxError(_("a label is a name: label = \"urgent\""), node.value.column)
        return self.label_filter(str(node.value.value))


def shift(moment: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """`moment` moved by a relative time (-30d, +2mo): months and years by the calendar."""
    if unit in ("months", "years"):
        months = amount * (12 if unit == "years" else 1)
        index = moment.year * 12 + moment.month - 1 + months
        year, month = divmod(index, 12)
        day = min(moment.day, calendar.monthrange(year, month + 1)[1])
        return moment.replace(year=year, month=month + 1, day=day)
    return moment + dt.timedelta(**{unit: amount})
