"""Meta's rules for message templates and media: limits, names, languages, formats. Pure data.

Sources: spec/whatsapp-cloud-api.md §2, §4 and Meta's template guidelines. Kept in one place so the
authoring form, the API, the send-time check and the docs state the same numbers.
"""

from __future__ import annotations

import re

NAME_PATTERN = re.compile(r"^[a-z0-9_]+$")
NAME_MAX = 512
HEADER_TEXT_MAX = 60
BODY_MAX = 1024
FOOTER_MAX = 60
BUTTON_TEXT_MAX = 25
BUTTONS_MAX = 10
QUICK_REPLIES_MAX = 10
URL_BUTTONS_MAX = 2
PHONE_BUTTONS_MAX = 1
URL_MAX = 2000
PHONE_MAX = 20
EXAMPLE_MAX = 200
# A parameter's text may not hold new lines, tabs or more than four spaces in a row (Meta 132018).
PARAM_FORBIDDEN = re.compile(r"[\n\t]| {5,}")

CATEGORIES = ("MARKETING", "UTILITY", "AUTHENTICATION")
HEADER_FORMATS = ("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION")
MEDIA_HEADER_FORMATS = ("IMAGE", "VIDEO", "DOCUMENT")
BUTTON_TYPES = ("QUICK_REPLY", "URL", "PHONE_NUMBER")

# Meta's template languages (the `language` of the create call).
LANGUAGES: dict[str, str] = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "az": "Azerbaijani", "bn": "Bengali",
    "bg": "Bulgarian", "ca": "Catalan", "zh_CN": "Chinese (China)", "zh_HK": "Chinese (Hong Kong)",
    "zh_TW": "Chinese (Taiwan)", "hr": "Croatian", "cs": "Czech", "da": "Danish", "nl": "Dutch",
    "en": "English", "en_GB": "English (UK)", "en_US": "English (US)", "et": "Estonian", "fil": "Filipino",
    "fi": "Finnish", "fr": "French", "ka": "Georgian", "de": "German", "el": "Greek", "gu": "Gujarati",
    "ha": "Hausa", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian", "ga": "Irish",
    "it": "Italian", "ja": "Japanese", "kn": "Kannada", "kk": "Kazakh", "rw_RW": "Kinyarwanda", "ko": "Korean",
    "ky_KG": "Kyrgyz", "lo": "Lao", "lv": "Latvian", "lt": "Lithuanian", "mk": "Macedonian", "ms": "Malay",
    "ml": "Malayalam", "mr": "Marathi", "nb": "Norwegian", "fa": "Persian", "pl": "Polish",
    "pt_BR": "Portuguese (Brazil)", "pt_PT": "Portuguese (Portugal)", "pa": "Punjabi", "ro": "Romanian",
    "ru": "Russian", "sr": "Serbian", "sk": "Slovak", "sl": "Slovenian", "es": "Spanish",
    "es_AR": "Spanish (Argentina)", "es_ES": "Spanish (Spain)", "es_MX": "Spanish (Mexico)", "sw": "Swahili",
    "sv": "Swedish", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "zu": "Zulu",
}

# Media the Cloud API accepts, by kind: content types and the largest file (bytes).
MB = 1024 * 1024
MEDIA_TYPES: dict[str, tuple[frozenset[str], int]] = {
    "image": (frozenset({"image/jpeg", "image/png"}), 5 * MB),
    "video": (frozenset({"video/mp4", "video/3gpp"}), 16 * MB),
    "audio": (frozenset({"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"}), 16 * MB),
    "document": (frozenset({
        "application/pdf", "text/plain", "application/msword", "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }), 100 * MB),
    "sticker": (frozenset({"image/webp"}), 500 * 1024),
}
# Meta keeps an uploaded media id for 30 days; Sauti uploads again a day before that.
MEDIA_ID_LIFETIME_DAYS = 29


def media_kind(content_type: str) -> str | None:
    """"image", "video", … for a content type the Cloud API takes, else None."""
    for kind, (types, _) in MEDIA_TYPES.items():
        if content_type in types:
            return kind
    return None
