"""Decide whether an answer is English, the only language the offline grader understands.

Whisper reports a language, but the English-only models always say "en", and a pasted text has
no language at all, so the text is checked too: English speech is roughly half function words
("the", "to", "we", "is"); Spanish or French text has almost none of them.
"""

from __future__ import annotations

from engine.grading.tokens import stopword_ratio, tokenize, word_set

MIN_TOKENS_TO_JUDGE = 8
MIN_ENGLISH_STOPWORD_RATIO = 0.18

# Frequent words of languages candidates are likely to answer in by mistake; used only to name
# the language in the warning.
_LANGUAGE_HINTS: dict[str, frozenset[str]] = {
    "Spanish": word_set("el la los las que de y en un una es por para con no se lo como más"),
    "French": word_set("le la les des et est un une que pour dans pas sur avec ce qui nous"),
    "German": word_set("der die das und ist nicht ein eine zu mit den wir ich sie auf für"),
    "Portuguese": word_set("o a os as que de e em um uma é para com não se do da"),
    "Italian": word_set("il la che di e un una è per non con sono gli le del"),
}


def guess_language_name(tokens: list[str]) -> str | None:
    """The best-matching non-English language name, or None when nothing stands out."""
    best, best_hits = None, 0
    for name, words in _LANGUAGE_HINTS.items():
        hits = sum(1 for t in tokens if t in words)
        if hits > best_hits:
            best, best_hits = name, hits
    return best if best_hits >= 3 else None


def non_english_reason(
    text: str, reported_language: str, tokens: list[str] | None = None
) -> str | None:
    """Why the answer looks non-English (a phrase for the warning), or None when it is English.

    Args:
        text: the transcript text.
        reported_language: ``Transcript.language`` as Whisper (or the JSON file) gave it.
        tokens: the text's tokens when the caller already has them.
    """
    language = (reported_language or "en").lower()
    if language not in ("en", "english", ""):
        return f"the transcript's language is {reported_language!r}"
    letters = [] if text.isascii() else [c for c in text if c.isalpha()]
    if len(letters) >= 20:
        non_latin = sum(1 for c in letters if ord(c) > 0x24F)
        if non_latin / len(letters) > 0.5:
            return "it is not written in the Latin alphabet"
    tokens = tokenize(text) if tokens is None else tokens
    if len(tokens) < MIN_TOKENS_TO_JUDGE or stopword_ratio(tokens) >= MIN_ENGLISH_STOPWORD_RATIO:
        return None
    # Few English function words alone could be a keyword list; only name it foreign when the
    # function words of another language are there instead.
    name = guess_language_name(tokens)
    return f"it reads like {name}" if name else None
