"""The shared conformance cases (verified against the original library) all pass."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "expressions" / "run.py"


@pytest.mark.skipif(not RUNNER.exists(), reason="the shared conformance corpus is not beside the checkout")
def test_every_scored_conformance_case_passes():
    spec = importlib.util.spec_from_file_location("expression_conformance", RUNNER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import json

    cases = json.loads((RUNNER.parent / "cases.json").read_text())
    failures = []
    for case in cases:
        status, detail = module.check(case)
        if status == "fail":
            failures.append((case["id"], case["template_or_expression"], detail))
    assert failures == []
