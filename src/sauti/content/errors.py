"""Refusals of the content app's services, each naming the field a person can fix."""

from __future__ import annotations

from sauti.content.templates import Problem


class ContentInvalid(Exception):  # noqa: N818 - a refusal, read by views and the API
    """Input that breaks a rule; nothing was written. `.field` names the input, `.message` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class MediaInvalid(ContentInvalid):
    """A file the Cloud API would not take (type, size, content)."""


class TemplateInvalid(ContentInvalid):
    """A template that breaks Meta's rules; `.problems` lists every one (the first is `.field`)."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.field, first.message)
        self.problems = problems

    def by_field(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for problem in self.problems:
            out.setdefault(problem.field, []).append(problem.message)
        return out
