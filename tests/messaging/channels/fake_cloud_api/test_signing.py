"""The webhook signature matches the spec's test vector (§3.2) and what a receiver recomputes."""

from __future__ import annotations

from sauti.messaging.channels.fake_cloud_api.signing import sign_body

from .support import CORPUS, corpus


def test_the_spec_test_vector_is_reproduced() -> None:
    corpus("signed__text_raw_body.json")  # skips where the corpus is absent
    raw = (CORPUS / "signed__text_raw_body.json").read_bytes()
    assert len(raw) == 511
    assert sign_body("1222e786b144d0e85b9f365372d93676", raw) == (
        "sha256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441")


def test_the_signature_covers_the_exact_bytes() -> None:
    compact = b'{"a":1}'
    spaced = b'{"a": 1}'
    assert sign_body("k", compact) != sign_body("k", spaced)
    assert sign_body("k", compact) != sign_body("other", compact)
    assert sign_body("k", compact).startswith("sha256=") and len(sign_body("k", compact)) == 7 + 64
