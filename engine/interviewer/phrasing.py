"""Turn written interviewer text into something that sounds right when a TTS voice says it.

Everything the interviewer says goes through espeak. Written conventions that read fine on a
screen come out wrong aloud: markdown markers are spoken or swallowed, "e.g." becomes a letter
salad, digits and units are read unpredictably ("50ms" turns into "fifty em ess"), and text in
parentheses loses its intonation. ``spoken`` rewrites those conventions into plain spoken
English, deterministically, so the same probe always sounds the same. The result is also what the
desktop shows as the interviewer's line, so it must still read naturally.
"""

from __future__ import annotations

import re
from functools import lru_cache

from engine.speech.speakable import number_to_words

# Written shorthand -> what a person says; applied on word boundaries, case-insensitively.
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\be\.g\.,?", "for example,"),
    (r"\bi\.e\.,?", "that is,"),
    (r"\betc\.", "and so on."),
    (r"\bvs\.?(?=\s)", "versus"),
    (r"\bw/o\b", "without"),
    (r"\bw/(?=\s)", "with"),
    (r"\bapprox\.", "about"),
    (r"\bp95\b", "ninety-fifth percentile"),
    (r"\bp99\b", "ninety-ninth percentile"),
    (r"\bp50\b", "median"),
)

# Units after a number: "50 ms", "50ms", "3x", "20%".
_UNITS: dict[str, str] = {
    "ms": "milliseconds",
    "s": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "min": "minutes",
    "mins": "minutes",
    "h": "hours",
    "hrs": "hours",
    "k": "thousand",
    "m": "million",
    "b": "billion",
    "x": "times",
    "%": "percent",
    "gb": "gigabytes",
    "mb": "megabytes",
    "qps": "queries per second",
}
_SINGULAR_UNITS = {
    "milliseconds": "millisecond",
    "seconds": "second",
    "minutes": "minute",
    "hours": "hour",
    "gigabytes": "gigabyte",
    "megabytes": "megabyte",
}

_NUMBER_WITH_UNIT = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(%|ms|secs?|s|mins?|hrs?|h|k|m|b|x|gb|mb|qps)?"
    r"(?![\w])",
    re.IGNORECASE,
)


def _say_number(match: re.Match[str]) -> str:
    whole = int(match.group(1).replace(",", ""))
    fraction = match.group(2)
    unit = (match.group(3) or "").lower()
    words = number_to_words(whole)
    if fraction:
        words += " point " + " ".join(number_to_words(int(d)) for d in fraction)
    if not unit:
        return words
    spoken_unit = _UNITS[unit]
    if whole == 1 and not fraction:
        spoken_unit = _SINGULAR_UNITS.get(spoken_unit, spoken_unit)
    return f"{words} {spoken_unit}"


def _drop_parentheses(text: str) -> str:
    """Turn "(like this)" into ", like this," so the aside keeps its place in the sentence."""
    text = re.sub(r"\s*\(([^()]*)\)\s*([.,;:!?])", r", \1\2", text)
    text = re.sub(r"\s*\(([^()]*)\)\s*", r", \1, ", text)
    return text.replace("(", "").replace(")", "")


@lru_cache(maxsize=4096)
def spoken(text: str) -> str:
    """Rewrite ``text`` for a TTS voice: no markdown, parentheses or shorthand; numbers in words.

    The result is one line of plain sentences with single spaces and a final punctuation mark.
    """
    text = " ".join(text.split())
    if not text:
        return ""
    # Markdown emphasis, code and headings: keep the words, drop the markers.
    text = re.sub(r"[*_`#>]+", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [label](link) -> label
    for pattern, replacement in _ABBREVIATIONS:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    text = _drop_parentheses(text)
    text = re.sub(r"\bA/B\b", "A B", text)
    text = text.replace("&", " and ").replace(" / ", " or ")
    text = re.sub(r"(?<=\w)/(?=\w)", " or ", text)
    text = re.sub(r"\s+[-–—]+\s+", ", ", text)  # dashes as pauses
    text = _NUMBER_WITH_UNIT.sub(_say_number, text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,+", ",", text)
    text = re.sub(r"([,;:])(?=[.!?])", "", text)
    text = re.sub(r"^[,;:\s]+", "", text)
    text = " ".join(text.split()).rstrip(",;: ")
    if text and text[-1] not in ".!?":
        text += "."
    return text[0].upper() + text[1:] if text else text


def join_sentences(*parts: str) -> str:
    """Join spoken parts into one line, skipping empty ones, each ending in punctuation."""
    pieces = []
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        if part[-1] not in ".!?":
            part += "."
        pieces.append(part)
    return " ".join(pieces)
