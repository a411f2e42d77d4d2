"""The template editor's form (POST ↔ Graph-style components), the media upload and canned reply forms.

The editor's fields repeat for buttons and examples, so it is parsed by hand; the rules
themselves live in sauti.content.templates and come back as errors keyed by field name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from sauti.content import rules
from sauti.content.models import Media, MessageTemplate
from sauti.content.templates import component, placeholders


@dataclass
class TemplateEditor:
    """What the editor shows and posts: flat values, buttons as rows, errors by field name."""

    name: str = ""
    language: str = "en"
    category: str = "UTILITY"
    header_format: str = ""
    header_text: str = ""
    header_example: str = ""
    header_media: str = ""  # a library item's uuid
    body_text: str = ""
    body_examples: list[str] = field(default_factory=list)
    footer_text: str = ""
    buttons: list[dict[str, str]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_template(cls, template: MessageTemplate) -> TemplateEditor:
        components = template.components or []
        header = component(components, "HEADER") or {}
        body = component(components, "BODY") or {}
        footer = component(components, "FOOTER") or {}
        buttons = (component(components, "BUTTONS") or {}).get("buttons") or []
        return cls(
            name=template.name, language=template.language, category=template.category,
            header_format=str(header.get("format", "")).upper(), header_text=header.get("text", ""),
            header_example=((header.get("example") or {}).get("header_text") or [""])[0],
            header_media=str(template.header_media.uuid) if template.header_media else "",
            body_text=body.get("text", ""),
            body_examples=list(((body.get("example") or {}).get("body_text") or [[]])[0]),
            footer_text=footer.get("text", ""),
            buttons=[{"type": str(b.get("type", "")).upper(), "text": b.get("text", ""), "url": b.get("url", ""),
                      "example": (b.get("example") or [""])[0] if isinstance(b.get("example"), list) else "",
                      "phone_number": b.get("phone_number", "")} for b in buttons if isinstance(b, dict)],
        )

    @classmethod
    def from_post(cls, post: QueryDict) -> TemplateEditor:
        def text(key: str) -> str:
            return str(post.get(key, "")).strip()

        rows = zip(post.getlist("button_type"), post.getlist("button_text"), post.getlist("button_url"),
                   post.getlist("button_example"), post.getlist("button_phone"), strict=False)
        return cls(
            name=text("name"), language=text("language"), category=text("category").upper(),
            header_format=text("header_format").upper(), header_text=text("header_text"),
            header_example=text("header_example"), header_media=text("header_media"),
            body_text=str(post.get("body_text", "")).strip(),
            body_examples=[e.strip() for e in post.getlist("body_example")],
            footer_text=text("footer_text"),
            buttons=[{"type": t.upper(), "text": x.strip(), "url": u.strip(), "example": e.strip(),
                      "phone_number": p.strip()} for t, x, u, e, p in rows if t or x.strip()],
        )

    def data(self) -> dict[str, Any]:
        """The Graph-style create body these values make."""
        components: list[dict[str, Any]] = []
        if self.header_format:
            header: dict[str, Any] = {"type": "HEADER", "format": self.header_format}
            if self.header_format == "TEXT":
                header["text"] = self.header_text
                if placeholders(self.header_text):
                    header["example"] = {"header_text": [self.header_example]}
            components.append(header)
        body: dict[str, Any] = {"type": "BODY", "text": self.body_text}
        count = len(placeholders(self.body_text))
        if count:
            examples = (self.body_examples + [""] * count)[:count]
            body["example"] = {"body_text": [examples]}
        components.append(body)
        if self.footer_text:
            components.append({"type": "FOOTER", "text": self.footer_text})
        if self.buttons:
            components.append({"type": "BUTTONS", "buttons": [self._button(b) for b in self.buttons]})
        return {"name": self.name, "language": self.language, "category": self.category, "components": components}

    @staticmethod
    def _button(row: dict[str, str]) -> dict[str, Any]:
        kind = row["type"]
        button: dict[str, Any] = {"type": kind, "text": row["text"]}
        if kind == "URL":
            button["url"] = row["url"]
            if placeholders(row["url"]):
                button["example"] = [row["example"]]
        elif kind == "PHONE_NUMBER":
            button["phone_number"] = row["phone_number"]
        return button

    @property
    def problem_count(self) -> int:
        return sum(len(messages) for messages in self.errors.values())

    def field_errors(self) -> dict[str, list[str]]:
        """Errors keyed for templates, whose lookups cannot hold dots: "header.text" → "header_text"."""
        return {key.replace(".", "_"): messages for key, messages in self.errors.items()}

    def error(self, key: str) -> list[str]:
        return self.errors.get(key, [])

    def other_errors(self) -> list[str]:
        """Errors with no input of their own on the form (shown above it)."""
        shown = {"name", "language", "category", "header.format", "header.text", "header.example.1",
                 "header.media", "body.text", "footer.text", "buttons"}
        out = []
        for key, messages in self.errors.items():
            if key in shown or key.startswith(("body.example.", "buttons.")):
                continue
            out += messages
        return out

    def body_example_rows(self) -> list[dict[str, Any]]:
        return [{"n": n, "value": (self.body_examples[n - 1] if n - 1 < len(self.body_examples) else ""),
                 "errors": self.error(f"body.example.{n}")} for n in placeholders(self.body_text)]

    def button_rows(self) -> list[dict[str, Any]]:
        rows = []
        for i, button in enumerate(self.buttons):
            errors = {key: self.error(f"buttons.{i}.{key}") for key in ("type", "text", "url", "phone_number")}
            errors["example"] = self.error(f"buttons.{i}.example.1")
            rows.append({**button, "index": i, "errors": errors})
        return rows


class MediaUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"), help_text=gettext_lazy(
        "Images (JPEG, PNG) up to 5 MB, video (MP4) and audio up to 16 MB, documents (PDF, Word, Excel…) up to "
        "100 MB, stickers (WebP) up to 500 KB."))


class CannedReplyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100,
                            help_text=gettext_lazy("What operators see in the list, e.g. “Opening hours”."))
    shortcut = forms.CharField(label=gettext_lazy("Shortcut"), max_length=33, required=False,
                               help_text=gettext_lazy("Typed after / in the reply box, e.g. hours for /hours."))
    text = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=gettext_lazy("WhatsApp formatting works: *bold*, _italic_, ~strike~, "
                                                  "```monospace```."))
    media = forms.ChoiceField(label=gettext_lazy("Attachment"), required=False)

    def __init__(self, *args: Any, media: list[Media] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].hide_optional = True
        self.fields["media"].choices = [("", gettext_lazy("No attachment"))] + [
            (str(m.uuid), f"{m.filename or m.kind} ({m.get_kind_display()})") for m in media or []]


def language_choices() -> list[tuple[str, str]]:
    return sorted(rules.LANGUAGES.items(), key=lambda item: item[1])
