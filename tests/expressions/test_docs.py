"""docs/expressions.md is generated from the registry and must be up to date."""

from __future__ import annotations

from pathlib import Path

from sauti.expressions import registry
from sauti.expressions.docgen import generate

DOCS = Path(__file__).resolve().parents[2] / "docs" / "expressions.md"


def test_docs_are_generated_from_the_registry():
    assert DOCS.read_text(encoding="utf-8") == generate(), (
        "docs/expressions.md is stale: run `.venv/bin/python -m sauti.expressions.docgen > docs/expressions.md`")


def test_every_function_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for spec in registry.list_functions():
        assert f"### `{spec.signature}`" in text
