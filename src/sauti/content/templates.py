"""Message templates as Meta defines them: authoring checks, the parameters a send needs, the
send body and the text a person reads. Pure functions over Graph-style components (upper-case
`type`, as the create call takes them; spec/whatsapp-cloud-api.md §4.1); no database, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sauti.content import rules

_PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")
_ANY_BRACES = re.compile(r"\{\{(.*?)\}\}")
_PHONE = re.compile(r"\+?[0-9]{6,19}")  # international form, at most PHONE_MAX characters


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule, named by the field it belongs to (e.g. "body.text", "buttons.2.url")."""

    field: str
    message: str


class TemplateParamsInvalid(Exception):  # noqa: N818 - the name other apps code against
    """Parameters that do not fit the template; nothing was queued."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def placeholders(text: str) -> list[int]:
    """The distinct variable numbers in a text, sorted: "{{2}} {{1}} {{2}}" → [1, 2]."""
    return sorted({int(n) for n in _PLACEHOLDER.findall(text or "")})


def component(components: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    for item in components or []:
        if isinstance(item, dict) and str(item.get("type", "")).upper() == kind:
            return item
    return None


def _components_of(template: Any) -> list[dict[str, Any]]:
    if isinstance(template, Mapping):
        return list(template.get("components") or [])
    return list(getattr(template, "components", None) or [])


# ---------------------------------------------------------------------------- authoring checks


def check_template(data: Mapping[str, Any], *, header_media_given: bool = False) -> list[Problem]:
    """Every rule a Graph-style create body breaks (name, language, category, components).

    `header_media_given`: a sample file for a media header is kept beside the components (the
    library item that is uploaded at submission), so no `example.header_handle` is needed.
    """
    problems: list[Problem] = []
    name = data.get("name")
    if not isinstance(name, str) or not name:
        problems.append(Problem("name", _("Give the template a name.")))
    elif len(name) > rules.NAME_MAX:
        problems.append(Problem("name", _("At most %(max)s characters.") % {"max": rules.NAME_MAX}))
    elif not rules.NAME_PATTERN.match(name):
        problems.append(Problem("name", _("Use only lower-case letters, digits and underscores (e.g. "
                                          "clinic_reminder).")))
    if data.get("language") not in rules.LANGUAGES:
        problems.append(Problem("language", _("Choose one of WhatsApp's template languages.")))
    category = str(data.get("category") or "").upper()
    if category not in rules.CATEGORIES:
        problems.append(Problem("category", _("Choose Marketing, Utility or Authentication.")))
    components = data.get("components")
    if not isinstance(components, list):
        return [*problems, Problem("body.text", _("A template needs a body."))]
    seen: set[str] = set()
    for item in components:
        kind = str(item.get("type", "")).upper() if isinstance(item, dict) else ""
        if kind not in _CHECKS:
            problems.append(Problem("components", _("Unknown component %(type)s.") % {"type": kind or "?"}))
            continue
        if kind in seen:
            problems.append(Problem("components", _("Only one %(type)s component is allowed.") % {"type": kind}))
            continue
        seen.add(kind)
        problems.extend(_CHECKS[kind](item, category, header_media_given))
    if "BODY" not in seen:
        problems.append(Problem("body.text", _("A template needs a body.")))
    return problems


def _check_text(value: Any, field: str, limit: int, *, required: bool = True) -> list[Problem]:
    if not isinstance(value, str) or not value.strip():
        return [Problem(field, _("This cannot be empty."))] if required else []
    if len(value) > limit:
        return [Problem(field, _("At most %(max)s characters (this has %(count)s).")
                        % {"max": limit, "count": len(value)})]
    return []


def _check_variables(text: str, field: str, *, edges: bool = False) -> list[Problem]:
    """Variables are {{1}}, {{2}}, … in sequence, never named or malformed, never back to back."""
    for inner in _ANY_BRACES.findall(text):
        if not inner.strip().isdigit():
            return [Problem(field, _("Variables are numbers in double braces: {{1}}, {{2}}, …"))]
    numbers = placeholders(text)
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        return [Problem(field, _("Number the variables {{1}}, {{2}}, … in order, starting from 1, with none "
                                 "missing."))]
    if re.search(r"\}\}\s*\{\{", text):
        return [Problem(field, _("Two variables may not stand side by side: put words between them."))]
    stripped = text.strip()
    if edges and numbers and (stripped.startswith("{{") or stripped.endswith("}}")):
        return [Problem(field, _("The text may not start or end with a variable."))]
    return []


def _check_examples(samples: Any, count: int, field: str) -> list[Problem]:
    samples = samples if isinstance(samples, list) else []
    problems = []
    for n in range(1, count + 1):
        value = samples[n - 1] if n - 1 < len(samples) else None
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"{field}.{n}", _("Give an example for {{%(n)s}}: Meta reviews the template "
                                                      "with it.") % {"n": n}))
        elif len(value) > rules.EXAMPLE_MAX:
            problems.append(Problem(f"{field}.{n}", _("At most %(max)s characters.") % {"max": rules.EXAMPLE_MAX}))
    return problems


def _check_header(item: dict[str, Any], category: str, media_given: bool) -> list[Problem]:
    header_format = str(item.get("format", "")).upper()
    if header_format not in rules.HEADER_FORMATS:
        return [Problem("header.format", _("Choose text, image, video, document or location."))]
    if header_format in rules.MEDIA_HEADER_FORMATS:
        handles = (item.get("example") or {}).get("header_handle")
        if media_given or (isinstance(handles, list) and handles):
            return []
        return [Problem("header.media", _("Choose a sample file for the header: Meta reviews the template "
                                          "with it."))]
    if header_format != "TEXT":
        return []
    text = item.get("text")
    problems = _check_text(text, "header.text", rules.HEADER_TEXT_MAX)
    if problems:
        return problems
    if "\n" in text:
        return [Problem("header.text", _("A header is one line."))]
    problems = _check_variables(text, "header.text")
    numbers = placeholders(text)
    if not problems and len(numbers) > 1:
        problems.append(Problem("header.text", _("A header takes at most one variable, {{1}}.")))
    if not problems and numbers:
        problems += _check_examples((item.get("example") or {}).get("header_text"), 1, "header.example")
    return problems


def _check_body(item: dict[str, Any], category: str, media_given: bool) -> list[Problem]:
    if category == "AUTHENTICATION" and "text" not in item:
        return []
    text = item.get("text")
    problems = _check_text(text, "body.text", rules.BODY_MAX)
    if problems:
        return problems
    # Meta refuses a body that starts or ends with a variable (it reads as spam-like filler).
    problems = _check_variables(text, "body.text", edges=True)
    count = len(placeholders(text))
    if not problems and count:
        samples = (item.get("example") or {}).get("body_text")
        first = samples[0] if isinstance(samples, list) and samples else []
        problems += _check_examples(first, count, "body.example")
    return problems


def _check_footer(item: dict[str, Any], category: str, media_given: bool) -> list[Problem]:
    if category == "AUTHENTICATION" and "code_expiration_minutes" in item:
        return []
    text = item.get("text")
    problems = _check_text(text, "footer.text", rules.FOOTER_MAX)
    if not problems and _ANY_BRACES.search(text):
        problems.append(Problem("footer.text", _("A footer cannot hold variables.")))
    return problems


def _check_buttons(item: dict[str, Any], category: str, media_given: bool) -> list[Problem]:
    buttons = item.get("buttons")
    if not isinstance(buttons, list) or not buttons:
        return [Problem("buttons", _("Add at least one button, or remove the buttons."))]
    if len(buttons) > rules.BUTTONS_MAX:
        return [Problem("buttons", _("At most %(max)s buttons.") % {"max": rules.BUTTONS_MAX})]
    problems: list[Problem] = []
    kinds = [str(b.get("type", "")).upper() if isinstance(b, dict) else "" for b in buttons]
    if kinds.count("URL") > rules.URL_BUTTONS_MAX:
        problems.append(Problem("buttons", _("At most %(max)s website buttons.") % {"max": rules.URL_BUTTONS_MAX}))
    if kinds.count("PHONE_NUMBER") > rules.PHONE_BUTTONS_MAX:
        problems.append(Problem("buttons", _("At most one phone number button.")))
    # Meta wants quick replies together: all before or all after the other buttons.
    quick = [i for i, k in enumerate(kinds) if k == "QUICK_REPLY"]
    if quick and quick != list(range(quick[0], quick[-1] + 1)):
        problems.append(Problem("buttons", _("Keep the quick replies together, before or after the other "
                                             "buttons.")))
    texts: set[str] = set()
    for i, (button, kind) in enumerate(zip(buttons, kinds, strict=True)):
        where = f"buttons.{i}"
        if kind == "OTP":
            # Authentication templates' one-time-passcode button (Meta fills in its text).
            if category != "AUTHENTICATION":
                problems.append(Problem(f"{where}.type", _("A passcode button belongs to an Authentication "
                                                           "template.")))
            elif str(button.get("otp_type", "")).upper() not in ("COPY_CODE", "ONE_TAP", "ZERO_TAP"):
                problems.append(Problem(f"{where}.otp_type", _("Choose COPY_CODE, ONE_TAP or ZERO_TAP.")))
            continue
        if kind not in rules.BUTTON_TYPES:
            problems.append(Problem(f"{where}.type", _("Choose quick reply, website or phone number.")))
            continue
        text_problems = _check_text(button.get("text"), f"{where}.text", rules.BUTTON_TEXT_MAX)
        problems += text_problems
        if not text_problems:
            if button["text"] in texts:
                problems.append(Problem(f"{where}.text", _("Two buttons cannot have the same text.")))
            texts.add(button["text"])
        if kind == "URL":
            problems += _check_url_button(button, where)
        elif kind == "PHONE_NUMBER":
            phone = str(button.get("phone_number") or "")
            if not _PHONE.fullmatch(phone):
                problems.append(Problem(f"{where}.phone_number", _("A phone number in international form, "
                                                                   "e.g. +27215550123.")))
    return problems


def _check_url_button(button: dict[str, Any], where: str) -> list[Problem]:
    url = button.get("url")
    problems = _check_text(url, f"{where}.url", rules.URL_MAX)
    if problems:
        return problems
    if not re.match(r"^https?://[^\s/]+\.[^\s]+", url):
        return [Problem(f"{where}.url", _("A web address starting with https://"))]
    numbers = placeholders(url)
    if numbers and (numbers != [1] or not url.rstrip().endswith("}}")):
        return [Problem(f"{where}.url", _("A website button may end with one variable, {{1}}, and no other."))]
    if numbers:
        return _check_examples(button.get("example"), 1, f"{where}.example")
    return []


_CHECKS: dict[str, Callable[[dict[str, Any], str, bool], list[Problem]]] = {
    "HEADER": _check_header, "BODY": _check_body, "FOOTER": _check_footer, "BUTTONS": _check_buttons,
}


# ---------------------------------------------------------------------------- what a send needs


def template_parameters(template: Any) -> list[dict[str, Any]]:
    """The values a send of `template` must give, in order, with Meta's example for each.

    Each item is `{"component": "header"|"body"|"button", "index": int, "example": str}` plus
    `"kind"` ("text", "image", "video", "document", "location") and a readable `"label"`. Body and
    text-header variables are indexed from 1 ({{1}}); a media or location header has index 0; a
    website button's `{{1}}` suffix has the button's position (0-based) as index.
    """
    components = _components_of(template)
    found: list[dict[str, Any]] = []
    header = component(components, "HEADER")
    if header is not None:
        header_format = str(header.get("format", "")).upper()
        if header_format == "TEXT":
            samples = (header.get("example") or {}).get("header_text") or []
            for n in placeholders(header.get("text", "")):
                found.append({"component": "header", "index": n, "example": _sample(samples, n), "kind": "text",
                              "label": _("Header {{%(n)s}}") % {"n": n}})
        elif header_format:
            found.append({"component": "header", "index": 0, "example": "", "kind": header_format.lower(),
                          "label": _("Header %(kind)s") % {"kind": header_format.lower()}})
    body = component(components, "BODY")
    if body is not None:
        samples = ((body.get("example") or {}).get("body_text") or [[]])[0]
        for n in placeholders(body.get("text", "")):
            found.append({"component": "body", "index": n, "example": _sample(samples, n), "kind": "text",
                          "label": _("Body {{%(n)s}}") % {"n": n}})
    for i, button in enumerate(_buttons(components)):
        if str(button.get("type", "")).upper() == "URL" and placeholders(button.get("url", "")):
            found.append({"component": "button", "index": i, "example": _sample(button.get("example") or [], 1),
                          "kind": "text", "label": _("Link ending for “%(text)s”") % {"text": button.get("text", "")}})
    return found


def _sample(samples: Any, n: int) -> str:
    return str(samples[n - 1]) if isinstance(samples, list) and len(samples) >= n else ""


def _buttons(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    item = component(components, "BUTTONS")
    return [b for b in (item or {}).get("buttons") or [] if isinstance(b, dict)]


MediaResolver = Callable[[str, Any], dict[str, Any]]


def send_components(template: Any, params: Mapping[str, Any] | None, *,
                    resolve_media: MediaResolver) -> list[dict[str, Any]]:
    """The lower-case `components` of a template send, checked against the template.

    `params` is `{"header": [...], "body": [...], "buttons": [...]}`: body values for {{1}}…{{n}}
    in order; the header's one value (text, or a media reference `resolve_media(kind, value)`
    turns into `{"id"}`/`{"link"}`, or `{latitude, longitude, name?, address?}`); buttons by
    position (a list, or a dict of position → value): a website button's `{{1}}` suffix, or a
    quick reply's payload (optional: without one the tap comes back with the button's text).
    Raises TemplateParamsInvalid naming the first field that does not fit.
    """
    params = params or {}
    if not isinstance(params, Mapping):
        raise TemplateParamsInvalid("params", _("Parameters are an object with header, body and buttons."))
    unknown = set(params) - {"header", "body", "buttons"}
    if unknown:
        raise TemplateParamsInvalid("params", _("Unknown parameter group %(name)s: use header, body and buttons.")
                                    % {"name": sorted(unknown)[0]})
    components = _components_of(template)
    out: list[dict[str, Any]] = []
    header = _header_parameters(component(components, "HEADER"), _as_list(params.get("header"), "header"),
                                resolve_media)
    if header:
        out.append({"type": "header", "parameters": header})
    body = _body_parameters(component(components, "BODY"), _as_list(params.get("body"), "body"))
    if body:
        out.append({"type": "body", "parameters": body})
    out += _button_parameters(_buttons(components), params.get("buttons"))
    return out


def _as_list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (str, int, float, dict)):
        return [value]
    raise TemplateParamsInvalid(field, _("Give a list of values."))


def _text_param(value: Any, field: str) -> str:
    if isinstance(value, bool) or value is None or not isinstance(value, (str, int, float)):
        raise TemplateParamsInvalid(field, _("Give a text value."))
    text = str(value)
    if not text.strip():
        raise TemplateParamsInvalid(field, _("This value is empty: WhatsApp refuses empty parameters."))
    if rules.PARAM_FORBIDDEN.search(text):
        raise TemplateParamsInvalid(field, _("A parameter cannot hold new lines, tabs or more than four spaces in "
                                             "a row."))
    return text


def _header_parameters(header: dict[str, Any] | None, values: list[Any],
                       resolve_media: MediaResolver) -> list[dict[str, Any]]:
    header_format = str((header or {}).get("format", "")).upper()
    if header is None or (header_format == "TEXT" and not placeholders(header.get("text", ""))):
        if values:
            raise TemplateParamsInvalid("header", _("This template's header takes no parameter."))
        return []
    if header_format == "TEXT":
        if len(values) != 1:
            raise TemplateParamsInvalid("header", _("The header takes exactly one value, for {{1}}."))
        text = _text_param(values[0], "header.1")
        rendered = fill(header.get("text", ""), [text])
        if len(rendered) > rules.HEADER_TEXT_MAX:
            raise TemplateParamsInvalid("header.1", _("With this value the header is longer than %(max)s "
                                                      "characters.") % {"max": rules.HEADER_TEXT_MAX})
        return [{"type": "text", "text": text}]
    if len(values) > 1:
        raise TemplateParamsInvalid("header", _("The header takes one value."))
    value = values[0] if values else None
    if header_format == "LOCATION":
        if not isinstance(value, Mapping) or not _is_number(value.get("latitude")) \
                or not _is_number(value.get("longitude")):
            raise TemplateParamsInvalid("header", _("A location header needs a latitude and a longitude."))
        location = {k: value[k] for k in ("latitude", "longitude", "name", "address") if value.get(k) is not None}
        return [{"type": "location", "location": location}]
    kind = header_format.lower()
    media = resolve_media(kind, value)
    if not media or not (media.get("id") or media.get("link")):
        raise TemplateParamsInvalid("header", _("The %(kind)s header needs a file: a media library item, a media "
                                                "id or a link.") % {"kind": kind})
    return [{"type": kind, kind: media}]


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, bool)


def _body_parameters(body: dict[str, Any] | None, values: list[Any]) -> list[dict[str, Any]]:
    text = (body or {}).get("text", "")
    count = len(placeholders(text))
    if len(values) != count:
        raise TemplateParamsInvalid("body", _("The body takes %(expected)s value(s), for {{1}}…{{%(expected)s}}; "
                                              "%(given)s given.") % {"expected": count, "given": len(values)}
                                    if count else _("This template's body takes no parameters."))
    texts = [_text_param(v, f"body.{n}") for n, v in enumerate(values, start=1)]
    if count and len(fill(text, texts)) > rules.BODY_MAX:
        raise TemplateParamsInvalid("body", _("With these values the body is longer than %(max)s characters.")
                                    % {"max": rules.BODY_MAX})
    return [{"type": "text", "text": t} for t in texts]


def _button_parameters(buttons: list[dict[str, Any]], given: Any) -> list[dict[str, Any]]:
    if given is None:
        by_index: dict[int, Any] = {}
    elif isinstance(given, Mapping):
        try:
            by_index = {int(k): v for k, v in given.items()}
        except (TypeError, ValueError):
            raise TemplateParamsInvalid("buttons", _("Buttons are given by position: 0, 1, 2…")) from None
    elif isinstance(given, (list, tuple)):
        by_index = dict(enumerate(given))
    else:
        raise TemplateParamsInvalid("buttons", _("Give the buttons' values as a list, by position."))
    for index in by_index:
        if not 0 <= index < len(buttons) and by_index[index] not in (None, ""):
            raise TemplateParamsInvalid("buttons", _("This template has no button %(n)s.") % {"n": index})
    out = []
    for i, button in enumerate(buttons):
        kind = str(button.get("type", "")).upper()
        value = by_index.get(i)
        if kind == "URL" and placeholders(button.get("url", "")):
            if value in (None, ""):
                raise TemplateParamsInvalid(f"buttons.{i}", _("The website button “%(text)s” needs the end of its "
                                                              "link.") % {"text": button.get("text", "")})
            out.append({"type": "button", "sub_type": "url", "index": str(i),
                        "parameters": [{"type": "text", "text": _text_param(value, f"buttons.{i}")}]})
        elif kind == "QUICK_REPLY" and value not in (None, ""):
            out.append({"type": "button", "sub_type": "quick_reply", "index": str(i),
                        "parameters": [{"type": "payload", "payload": _text_param(value, f"buttons.{i}")}]})
        elif value not in (None, ""):
            raise TemplateParamsInvalid(f"buttons.{i}", _("The button “%(text)s” takes no value.")
                                        % {"text": button.get("text", "")})
    return out


# ---------------------------------------------------------------------------- reading a template


def fill(text: str, values: list[str]) -> str:
    """The text with {{n}} replaced by values[n-1] (a missing value leaves the variable)."""
    def sub(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return values[n - 1] if 0 < n <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(sub, text or "")


def rendered(template: Any, components: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """What the person sees: header, body, footer and button labels, with a send's values filled in
    (or the examples when `components` is None): for the inbox, previews and search."""
    source = _components_of(template)
    values = _sent_values(components) if components is not None else _example_values(source)
    out: dict[str, Any] = {"header": None, "body": "", "footer": "", "buttons": []}
    header = component(source, "HEADER")
    if header is not None:
        header_format = str(header.get("format", "")).upper()
        out["header"] = ({"format": "TEXT", "text": fill(header.get("text", ""), values["header"])}
                         if header_format == "TEXT" else {"format": header_format, **values["media"]})
    out["body"] = fill((component(source, "BODY") or {}).get("text", ""), values["body"])
    out["footer"] = (component(source, "FOOTER") or {}).get("text", "")
    out["buttons"] = [{"type": str(b.get("type", "")).upper(), "text": b.get("text", "")} for b in _buttons(source)]
    return out


def _example_values(components: list[dict[str, Any]]) -> dict[str, Any]:
    header = component(components, "HEADER") or {}
    body = component(components, "BODY") or {}
    return {"header": list((header.get("example") or {}).get("header_text") or []),
            "body": list(((body.get("example") or {}).get("body_text") or [[]])[0]), "media": {}}


def _sent_values(components: list[dict[str, Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {"header": [], "body": [], "media": {}}
    for item in components:
        params = item.get("parameters") or []
        if item.get("type") == "body":
            values["body"] = [str(p.get("text", "")) for p in params]
        elif item.get("type") == "header" and params:
            kind = params[0].get("type")
            if kind == "text":
                values["header"] = [str(params[0].get("text", ""))]
            else:
                values["media"] = {"media": params[0].get(kind) or {}}
    return values


def rendered_text(template: Any, components: list[dict[str, Any]] | None = None) -> str:
    """The words of a template send on one string (header, body, footer), for search and previews."""
    parts = rendered(template, components)
    header = parts["header"] or {}
    return "\n".join(p for p in (header.get("text", ""), parts["body"], parts["footer"]) if p)
