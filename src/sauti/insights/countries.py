"""Countries from phone numbers: the calling code at the start of a wa_id, and a readable name.

Calling codes are prefix-free (E.164), so the first one to three digits decide. Codes shared by
several countries (+1, +7) are named after the group, not guessed from the area code.
"""

from __future__ import annotations

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

UNKNOWN = ""

# Names for the regions Sauti's users meet most; any other code shows its ISO region code.
NAMES = {
    "ZA": "South Africa", "NG": "Nigeria", "KE": "Kenya", "TZ": "Tanzania", "UG": "Uganda", "RW": "Rwanda",
    "GH": "Ghana", "ET": "Ethiopia", "ZM": "Zambia", "ZW": "Zimbabwe", "MW": "Malawi", "MZ": "Mozambique",
    "BW": "Botswana", "NA": "Namibia", "LS": "Lesotho", "SZ": "Eswatini", "CM": "Cameroon", "SN": "Senegal",
    "CI": "Côte d'Ivoire", "CD": "DR Congo", "AO": "Angola", "EG": "Egypt", "MA": "Morocco", "SD": "Sudan",
    "SS": "South Sudan", "SO": "Somalia", "SL": "Sierra Leone", "LR": "Liberia", "ML": "Mali", "BF": "Burkina Faso",
    "NE": "Niger", "IN": "India", "PK": "Pakistan", "BD": "Bangladesh", "NP": "Nepal", "LK": "Sri Lanka",
    "ID": "Indonesia", "PH": "Philippines", "VN": "Vietnam", "MY": "Malaysia", "TH": "Thailand", "BR": "Brazil",
    "MX": "Mexico", "AR": "Argentina", "CO": "Colombia", "PE": "Peru", "CL": "Chile", "GT": "Guatemala",
    "HN": "Honduras", "SV": "El Salvador", "GB": "United Kingdom", "DE": "Germany", "FR": "France",
    "ES": "Spain", "PT": "Portugal", "IT": "Italy", "NL": "Netherlands", "TR": "Türkiye", "SA": "Saudi Arabia",
    "AE": "United Arab Emirates", "IL": "Israel", "AU": "Australia", "NZ": "New Zealand",
}
GROUPS = {1: "US, Canada, Caribbean", 7: "Russia, Kazakhstan"}


def calling_code(number: str | None) -> str:
    """The calling code of a wa_id or phone number ("27820000001" → "27"); "" when none fits."""
    digits = (number or "").lstrip("+")
    for length in (1, 2, 3):
        head = digits[:length]
        if len(head) == length and head.isdigit() and int(head) in COUNTRY_CODE_TO_REGION_CODE:
            return head
    return UNKNOWN


def country_name(code: str) -> str:
    """A readable name for a calling code: "South Africa (+27)"."""
    if not code:
        return ""
    number = int(code)
    if number in GROUPS:
        return f"{GROUPS[number]} (+{code})"
    regions = COUNTRY_CODE_TO_REGION_CODE.get(number) or ()
    region = regions[0] if regions else ""
    return f"{NAMES.get(region, region or '?')} (+{code})"
