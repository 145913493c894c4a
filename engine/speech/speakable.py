"""Rewrite any text so a TTS voice says every part of it the way an interviewer would.

Both voices phonemize with espeak-ng, which reads most plain words well but mangles the shorthand
ML interviews are full of: "A/B" becomes "A slash B", "$5" "dollar five", "3x" "three ex", "vs"
"vee ess", "AUC" "auk", and a final "KPIs" loses its "s". Some symbols are skipped altogether.
``speakable`` turns all of that into plain words before synthesis, so nothing the user reads on
screen is silently missing from what they hear.

It works on any text (a question, a follow-up worded by the LLM, ``mockinterview say``), runs
after ``engine.interviewer.phrasing.spoken`` without undoing it, and is deterministic. Rules, in
order: shorthand words, currency, numbers with units, percentiles, ordinals, ranges, times,
years, plain numbers, acronyms, symbols. Whatever symbol is left and is not ordinary punctuation
is spoken by its Unicode name rather than dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ONES = (
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    + ("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen")
    + ("eighteen", "nineteen")
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand"))


def number_to_words(value: int) -> str:
    """Spell an integer in English words ("1250" -> "one thousand two hundred fifty").

    Why by hand: it is a few lines and keeps the engine free of another dependency. Numbers of a
    trillion and more (never in an interview question) are read digit by digit.
    """
    if value < 0:
        return "minus " + number_to_words(-value)
    if value < 20:
        return _ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + ("-" + _ONES[ones] if ones else "")
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        head = f"{_ONES[hundreds]} hundred"
        return head + (" " + number_to_words(rest) if rest else "")
    for size, name in _SCALES:
        if value >= size:
            high, rest = divmod(value, size)
            head = f"{number_to_words(high)} {name}"
            return head + (" " + number_to_words(rest) if rest else "")
    return " ".join(_ONES[int(digit)] for digit in str(value))


_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}

# Written shorthand -> words (case-insensitive, on word boundaries).
_SHORTHAND: tuple[tuple[str, str], ...] = (
    (r"\bA/B\b", "A-B"),
    (r"\be\.g\.,?", "for example,"),
    (r"\bi\.e\.,?", "that is,"),
    (r"\betc\.", "and so on."),
    (r"\bvs\b\.?", "versus"),
    (r"\bw/o\b", "without"),
    (r"\bw/(?=\s)", "with"),
    (r"\bapprox\.", "about"),
    (r"\bmin\.(?=\s)", "minimum"),
    (r"\bmax\.(?=\s)", "maximum"),
)

_UNITS: dict[str, tuple[str, str]] = {  # unit -> (singular, plural)
    "%": ("percent", "percent"),
    "x": ("times", "times"),
    "ms": ("millisecond", "milliseconds"),
    "s": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "h": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "k": ("thousand", "thousand"),
    "m": ("million", "million"),
    "b": ("billion", "billion"),
    "kb": ("kilobyte", "kilobytes"),
    "mb": ("megabyte", "megabytes"),
    "gb": ("gigabyte", "gigabytes"),
    "tb": ("terabyte", "terabytes"),
    "qps": ("query per second", "queries per second"),
    "pp": ("percentage point", "percentage points"),
}
_CURRENCIES = {"$": ("dollar", "dollars"), "€": ("euro", "euros"), "£": ("pound", "pounds")}
_SCALE_WORDS = {"k": "thousand", "m": "million", "b": "billion", "bn": "billion"}

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
_CURRENCY_RE = re.compile(
    r"([$€£])\s?" + _NUMBER + r"\s?(k|m|bn|b|thousand|million|billion)?(?![\w])", re.IGNORECASE
)
_UNIT_RE = re.compile(
    r"(?<![\w.])" + _NUMBER + r"\s?(%|ms|secs?|s|mins?|hrs?|h|kb|mb|gb|tb|k|m|b|x|qps|pp)(?![\w%])",
    re.IGNORECASE,
)
_PERCENTILE_RE = re.compile(r"\b[pP](\d{1,2}(?:\.\d)?)\b")
_ORDINAL_RE = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.IGNORECASE)
_RANGE_RE = re.compile(r"(?<![\w.])" + _NUMBER + r"\s?[-–]\s?" + r"(?=\d)")
_TIME_RE = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_YEAR_RE = re.compile(
    r"\b(in|since|by|from|until|till|before|after|of|during|year)\s+(19\d\d|20\d\d)\b", re.I
)
_PLAIN_NUMBER_RE = re.compile(r"(?<![\w])(-)?" + _NUMBER + r"(?![\w])")
_LETTERS_DIGITS_RE = re.compile(r"\b([A-Za-z]{1,5})(\d+)\b")
_ACRONYM_RE = re.compile(r"\b([A-Z]{2,6})(s|'s)?\b")

# All-capital words that are said as words, not letter by letter.
_SAID_AS_WORDS = frozenset(
    {"NASA", "JSON", "YAML", "ROC", "OK", "RAM", "SIM", "GIF", "LASSO", "SMOTE", "ASAP"}
    | {"OR", "AND", "NOT", "IS", "IT", "IN", "ON", "TO", "NO", "AN", "AS", "AT", "BE", "BY"}
    | {"DO", "GO", "IF", "MY", "OF", "SO", "UP", "WE", "ME", "HE", "THE", "YOU", "ALL", "ARE"}
)

# Symbols with an everyday spoken form; anything else unusual is spoken by its Unicode name.
_SYMBOLS: dict[str, str] = {
    "&": " and ",
    "+": " plus ",
    "=": " equals ",
    "@": " at ",
    "~": " about ",
    "≈": " about ",
    "<": " less than ",
    ">": " more than ",
    "≤": " at most ",
    "≥": " at least ",
    "→": " to ",
    "×": " times ",
    "÷": " divided by ",
    "°": " degrees ",
    "#": " number ",
    "%": " percent ",
    "^": " to the power of ",
    "*": " times ",
    "|": ", ",
    "\\": " backslash ",
    "_": " ",
}
# Punctuation the voices turn into pauses or intonation: kept as it is.
_PUNCTUATION = set(".,;:!?'\"-()")


def _number_words(whole: str, fraction: str | None) -> str:
    words = number_to_words(int(whole.replace(",", "")))
    if fraction:
        words += " point " + " ".join(number_to_words(int(d)) for d in fraction)
    return words


def _is_one(whole: str, fraction: str | None) -> bool:
    return whole == "1" and not fraction


def _say_currency(match: re.Match[str]) -> str:
    symbol, whole, fraction, scale = match.groups()
    singular, plural = _CURRENCIES[symbol]
    if scale:
        scale_word = _SCALE_WORDS.get(scale.lower(), scale.lower())
        return f"{_number_words(whole, fraction)} {scale_word} {plural}"
    if fraction and len(fraction) == 2:  # $4.99: dollars and cents
        amount = f"{number_to_words(int(whole.replace(',', '')))} {plural}"
        cents = int(fraction)
        return amount if cents == 0 else f"{amount} {number_to_words(cents)}"
    return f"{_number_words(whole, fraction)} {singular if _is_one(whole, fraction) else plural}"


def _say_unit(match: re.Match[str]) -> str:
    whole, fraction, unit = match.groups()
    singular, plural = _UNITS[unit.lower()]
    return f"{_number_words(whole, fraction)} {singular if _is_one(whole, fraction) else plural}"


def _say_percentile(match: re.Match[str]) -> str:
    value = match.group(1)
    whole, _, fraction = value.partition(".")
    return f"P {_number_words(whole, fraction or None)}"


def _say_ordinal(match: re.Match[str]) -> str:
    words = number_to_words(int(match.group(1)))
    head, _, last = words.rpartition(" ")
    stem, dash, tail = last.rpartition("-")
    if tail in _ORDINAL_WORDS:
        tail = _ORDINAL_WORDS[tail]
    elif tail.endswith("y"):
        tail = tail[:-1] + "ieth"
    else:
        tail += "th"
    last = f"{stem}{dash}{tail}"
    return f"{head} {last}" if head else last


def _say_range(match: re.Match[str]) -> str:
    return f"{_number_words(match.group(1), match.group(2))} to "


def _say_time(match: re.Match[str]) -> str:
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes == 0:
        return f"{number_to_words(hours)} o'clock"
    tail = number_to_words(minutes) if minutes >= 10 else f"oh {number_to_words(minutes)}"
    return f"{number_to_words(hours)} {tail}"


def _say_year(match: re.Match[str]) -> str:
    return f"{match.group(1)} {_year_words(int(match.group(2)))}"


def _year_words(year: int) -> str:
    high, low = divmod(year, 100)
    if low == 0:
        return number_to_words(year) if year % 1000 == 0 else f"{number_to_words(high)} hundred"
    if 2000 <= year < 2010:
        return number_to_words(year)
    return f"{number_to_words(high)} {number_to_words(low)}"


def _say_plain_number(match: re.Match[str]) -> str:
    minus, whole, fraction = match.groups()
    words = _number_words(whole, fraction)
    return f"minus {words}" if minus else words


def _say_letters_digits(match: re.Match[str]) -> str:
    letters, digits = match.groups()
    return f"{letters} {digits}"


def _say_acronym(match: re.Match[str]) -> str:
    letters, plural = match.groups()
    if letters in _SAID_AS_WORDS and not plural:
        return letters
    # Hyphens keep espeak on letter names: a lone "A" would be read as the article.
    return "-".join(letters) + ("'s" if plural else "")


def _say_symbol(char: str) -> str:
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char.isalnum() or char.isspace() or char in _PUNCTUATION:
        return char
    category = unicodedata.category(char)
    if category in ("Pd",):
        return "-"
    if category in ("Pi", "Pf"):  # curly quotes
        return "'" if char in "‘’" else '"'
    if category.startswith("P") and char in "[]{}":
        return ", "
    if category in ("Mn", "Cf"):  # combining marks, zero-width joiners: part of a letter
        return ""
    name = unicodedata.name(char, "")
    return f" {name.lower()} " if name else " symbol "


@lru_cache(maxsize=4096)
def speakable(text: str) -> str:
    """Text with every number, abbreviation and symbol written out as the words to say.

    Args:
        text: anything a voice is asked to say.

    Returns:
        One line with single spaces; letters, digits-free words and plain punctuation only.
    """
    text = unicodedata.normalize("NFKC", " ".join(str(text).split()))
    for pattern, replacement in _SHORTHAND:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    text = _CURRENCY_RE.sub(_say_currency, text)
    text = _RANGE_RE.sub(_say_range, text)
    text = _UNIT_RE.sub(_say_unit, text)
    text = _PERCENTILE_RE.sub(_say_percentile, text)
    text = _ORDINAL_RE.sub(_say_ordinal, text)
    text = _TIME_RE.sub(_say_time, text)
    text = _YEAR_RE.sub(_say_year, text)
    text = _LETTERS_DIGITS_RE.sub(_say_letters_digits, text)
    text = _PLAIN_NUMBER_RE.sub(_say_plain_number, text)
    # Digits glued to letters on both sides ("B2B"): still said, never dropped.
    text = re.sub(r"\d+", lambda m: f" {number_to_words(int(m.group()))} ", text)
    text = re.sub(r"(?<=\w)/(?=\w)", " or ", text)
    text = text.replace("/", " slash ")
    text = _ACRONYM_RE.sub(_say_acronym, text)
    text = "".join(_say_symbol(char) for char in text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])\s*(?=[,.;:!?])", "", text)
    return " ".join(text.split())
