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

from engine.filler_words import FILLED_PAUSES, HEDGES
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


# ------------------------------------------------------------------ the candidate's own words
QUOTED_LEAD = re.compile(r"^You (?:said|mentioned) [^.?!]*[.?!]\s*")
"""A lead sentence built by ``quoted_lead``; ``follow_ups.probe_key`` drops it for comparisons."""

MIN_QUOTE_WORDS = 3
MAX_QUOTE_WORDS = 12
"""A quote short enough to say in one breath, long enough to be recognisably the candidate's."""

_CLAUSE_BREAK = re.compile(
    r"[,;:.!?()\"]|\s(?:because|since|so that|which|but|while|whereas|although|though|"
    r"unless|otherwise)\s",
    re.IGNORECASE,
)
_FILLERS = frozenset(FILLED_PAUSES) | HEDGES
_LEADING_NOISE = frozenset(
    [
        "so",
        "and",
        "then",
        "okay",
        "ok",
        "well",
        "also",
        "but",
        "first",
        "second",
        "third",
        "fourth",
        "finally",
        "next",
        "now",
        "right",
        "yeah",
        "yes",
        "plus",
        "maybe",
        "probably",
    ]
)
_LEADING_PHRASES = ("i think", "i guess", "i mean", "you know", "sort of", "kind of", "let's say")
_WEAK_ENDINGS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "or",
        "for",
        "with",
        "by",
        "in",
        "on",
        "at",
        "that",
        "which",
        "like",
        "as",
        "so",
        "but",
        "is",
        "are",
        "be",
        "was",
        "were",
        "we",
        "i",
        "you",
        "our",
        "my",
        "your",
        "its",
        "their",
        "this",
        "these",
        "those",
        "some",
        "any",
        "very",
        "really",
        "just",
        "more",
        "most",
    ]
)
_CUT_BEFORE = frozenset(
    ["and", "or", "with", "for", "to", "by", "so", "in", "on", "at", "from", "than"]
)
_SECOND_PERSON = {
    "i": "you",
    "i'd": "you'd",
    "i'll": "you'll",
    "i'm": "you're",
    "i've": "you've",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "we": "you",
    "we'd": "you'd",
    "we'll": "you'll",
    "we're": "you're",
    "we've": "you've",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
}
_AFTER_I = {"am": "are", "was": "were"}
_SUBJECTS = frozenset(("i", "i'd", "i'll", "i'm", "i've", "we", "we'd", "we'll", "we're", "we've"))
_YOU_WORDS = frozenset(v for v in _SECOND_PERSON.values() if v.startswith("you"))


def quoted_lead(quote: str, transcript_text: str) -> tuple[str, str] | None:
    """A lead sentence quoting the candidate, and the verbatim words it quotes.

    Args:
        quote: a stretch of the answer worth quoting (a grader's evidence quote).
        transcript_text: the whole answer, in which ``quote`` must occur verbatim.

    Returns:
        ``("You said you'd track clicks.", "I'd track clicks")``: the sentence to say before
        the probe, and the exact substring of ``transcript_text`` it was built from; None when
        no clause of the quote makes a short, clean, filler-free phrase (better no quote than
        an awkward one).
    """
    start = transcript_text.find(quote)
    if start < 0 or not quote.strip():
        return None
    for clause_start, clause_end in _clauses(transcript_text, start, start + len(quote)):
        span = _clean_span(transcript_text, clause_start, clause_end)
        if span is None:
            continue
        verbatim = transcript_text[span[0] : span[1]]
        turned = _to_second_person(verbatim)
        first = turned.split()[0].lower()
        verb = "said" if first in _YOU_WORDS else "mentioned"
        return spoken(f"You {verb} {turned}"), verbatim
    return None


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) offsets of the clauses of ``text[start:end]``, split at commas and 'because'."""
    spans = []
    cursor = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return [(a, b) for a, b in spans if b > a]


def _clean_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The offsets of a clean phrase inside one clause, or None when there is none."""
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[\w'’\-]+", text[start:end])]
    words = [(start + a, start + b, w) for a, b, w in words]
    lowered = [w.lower().replace("’", "'") for _a, _b, w in words]
    if any(w in _FILLERS for w in lowered) or "you know" in " ".join(lowered):
        return None
    head = 0
    while head < len(words):
        rest = " ".join(lowered[head:])
        phrase = next((p for p in _LEADING_PHRASES if rest.startswith(p + " ")), None)
        if phrase is not None:
            head += len(phrase.split())
        elif lowered[head] in _LEADING_NOISE:
            head += 1
        else:
            break
    # A signpost before the subject ("for metrics, I would ...") is dropped: start at the "I".
    subject = next(
        (k for k in range(head, min(head + 4, len(words))) if lowered[k] in _SUBJECTS), None
    )
    if subject is not None:
        head = subject
    tail = len(words)
    if tail - head > MAX_QUOTE_WORDS:
        cuts = [k for k in range(head + MIN_QUOTE_WORDS, head + MAX_QUOTE_WORDS + 1)]
        cuts = [k for k in cuts if k < len(words) and lowered[k] in _CUT_BEFORE]
        if not cuts:
            return None
        tail = cuts[-1]
    while tail > head and lowered[tail - 1] in _WEAK_ENDINGS:
        tail -= 1
    if tail - head < MIN_QUOTE_WORDS:
        return None
    return words[head][0], words[tail - 1][1]


def _to_second_person(phrase: str) -> str:
    """Turn the candidate's first person into the interviewer's second ("I'd" -> "you'd")."""
    out = []
    previous = ""
    for word in phrase.split():
        core = word.lower().replace("’", "'")
        if core in _SECOND_PERSON:
            out.append(_SECOND_PERSON[core])
        elif previous == "i" and core in _AFTER_I:
            out.append(_AFTER_I[core])
        elif out or word.isupper() and len(word) > 1:
            out.append(word)
        else:
            out.append(word[:1].lower() + word[1:])
        previous = core
    return " ".join(out)
