"""Phone number extraction for ``has_phone``: libphonenumber (the ``phonenumbers`` package)
when installed, else a small built-in reader for "+" numbers and common countries."""

from __future__ import annotations

import re

try:  # optional dependency: same results as upstream's libphonenumber
    import phonenumbers
except ImportError:  # pragma: no cover - exercised only without the package
    phonenumbers = None

CALLING_CODES = {"US": "1", "CA": "1", "ZA": "27", "NG": "234", "KE": "254", "GH": "233",
                 "UG": "256", "TZ": "255", "RW": "250", "ZM": "260", "ZW": "263", "MW": "265",
                 "MZ": "258", "BR": "55", "MX": "52", "CO": "57", "AR": "54", "PE": "51",
                 "CL": "56", "IN": "91", "GB": "44", "FR": "33", "DE": "49", "ES": "34",
                 "PT": "351", "IT": "39", "NL": "31", "ID": "62", "PH": "63", "PK": "92",
                 "BD": "880", "ET": "251", "EG": "20", "MA": "212", "SN": "221", "CI": "225",
                 "CM": "237", "CD": "243", "AO": "244", "NA": "264", "BW": "267", "LS": "266",
                 "SZ": "268"}
CANDIDATE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def find_phone(text: str, country: str | None) -> str | None:
    """The first phone number in ``text`` as E.164, or None."""
    if phonenumbers is not None:
        region = country if country else None
        try:
            for match in phonenumbers.PhoneNumberMatcher(text, region or "ZZ",
                                                         leniency=phonenumbers.Leniency.POSSIBLE):
                return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        except Exception:  # noqa: BLE001 - a malformed number is simply not a phone number
            return None
        return None
    for m in CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if m.group().startswith("+"):
            if 8 <= len(digits) <= 15:
                return "+" + digits
            continue
        code = CALLING_CODES.get(country or "")
        if code is None:
            continue
        national = digits.lstrip("0") if code != "1" else digits.removeprefix("1")
        if 6 <= len(national) <= 12:
            return "+" + code + national
    return None
