"""Probes for questions that have no follow-ups of their own, and the concepts that trigger probes.

Bank questions carry hand-written follow-ups. A free question (``--question-text``, or a user's
own prompt in the desktop) has none, yet the candidate deserves the same kind of interviewer: one
who digs where the answer was thin and who reacts to what was actually said. This module holds
that interviewer's repertoire:

* ``CONCEPTS``: ideas that make an interviewer react when they appear (or fail to appear) in an
  answer: proposing click-through rate invites "where does it mislead?", a heavy model invites
  "what about latency?", ranking by engagement with no word on exploration invites the feedback
  loop question, and learning from history invites the cold start question. Each concept has
  phrases that reveal it, phrases showing the candidate already handled it, and a probe.
* ``DIMENSION_PROBES``: several spoken probes per rubric dimension, so consecutive free questions
  do not hear the same wording.
* ``CONSTRAINT_PROBES``: constraint changes per category, asked once a design exists, to see
  whether the candidate adapts rather than repeats.

All text is written to be spoken: plain sentences, no abbreviations, numbers in words.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Concept:
    """Something in an answer that a good interviewer reacts to.

    Attributes:
        id: short name used in code and tests ("ctr", "heavy_model", ...).
        reveals: phrases whose presence means the candidate relies on the concept. A phrase
            ending in ``*`` matches any word starting with it ("personali*").
        requires: a second group of which at least one phrase must also occur (empty: none);
            the feedback loop needs both "we rank or personalise" and "by engagement".
        handled: phrases showing the candidate already covered the concern, which silences it.
        probe: the spoken probe for free questions.
        dimension: the rubric dimension the probe targets.
    """

    id: str
    reveals: tuple[str, ...]
    handled: tuple[str, ...]
    probe: str
    dimension: str
    requires: tuple[str, ...] = ()


CTR = Concept(
    id="ctr",
    reveals=("ctr", "click through*", "clickthrough*", "click rate*"),
    handled=("clickbait", "mislead*", "bounce*", "regret*", "limitation*", "gamed", "gaming"),
    probe=(
        "You mentioned click-through rate. Where can that number mislead you, "
        "and what would you pair it with?"
    ),
    dimension="metrics",
)

HEAVY_MODEL = Concept(
    id="heavy_model",
    reveals=(
        "transformer*",
        "large language model*",
        "llm",
        "llms",
        "deep neural*",
        "deep learning",
        "deep model*",
        "neural net*",
        "bert",
        "gpt",
        "cross encoder*",
        "big model*",
        "large model*",
        "heavy model*",
        "ensemble*",
    ),
    handled=("latency", "millisecond*", "distill*", "cach*", "quantiz*", "quantis*"),
    probe=(
        "That sounds like a fairly heavy model. What latency budget do you have when serving it, "
        "and how would you stay inside it?"
    ),
    dimension="system_design",
)

FEEDBACK_LOOP = Concept(
    id="feedback_loop",
    reveals=(
        "personali*",
        "rank*",
        "recommend*",
        "feed",
        "for you",
        "optimi*",
    ),
    requires=(
        "engagement",
        "engag*",
        "watch time",
        "click*",
        "ctr",
        "likes",
        "dwell*",
        "views",
        "completion*",
        "time spent",
        "listening time",
        "listen time",
        "play time",
        "playtime",
        "reading time",
        "time on site",
        "session length*",
    ),
    handled=(
        "explor*",
        "exploit*",
        "diversity",
        "diverse",
        "diversif*",
        "feedback loop*",
        "filter bubble*",
        "echo chamber*",
        "serendipit*",
        "bandit*",
        "epsilon",
        "rich get richer",
        "self reinforc*",
        "popularity bias",
    ),
    probe=(
        "If the model only learns from what it already chose to show people, how do you stop it "
        "from feeding on its own choices and narrowing what everyone sees?"
    ),
    dimension="user_signals",
)

COLD_START = Concept(
    id="cold_start",
    reveals=(
        "collaborative filtering",
        "matrix factori*",
        "embedding*",
        "user history",
        "watch history",
        "viewing history",
        "interaction history",
        "past behavio*",
        "historical behavio*",
        "previous interactions",
    ),
    handled=(
        "cold start",
        "new user*",
        "new item*",
        "new video*",
        "new creator*",
        "no history",
        "onboarding",
        "first session",
    ),
    probe=(
        "Your approach leans on history. What happens for a brand new user, or a brand new item, "
        "that has no history at all?"
    ),
    dimension="system_design",
)

CONCEPTS: tuple[Concept, ...] = (CTR, HEAVY_MODEL, FEEDBACK_LOOP, COLD_START)

BANK_FALLBACK_CONCEPTS: tuple[Concept, ...] = (CTR, HEAVY_MODEL, FEEDBACK_LOOP)
"""Concepts probed on bank questions too, when the question has no probe of its own for them."""

# Phrases in a bank probe's own text that mark it as "the feedback loop probe", so the
# no-exploration rule can fire it even when its author listed no trigger phrases. Only probes on
# user_signals qualify: a trade-off probe that mentions diversity ("if you add diversity, watch
# time dips; how do you decide?") stays relevant after the candidate has talked about diversity.
FEEDBACK_LOOP_PROBE_MARKERS: tuple[str, ...] = (
    "feedback loop*",
    "loop",
    "filter bubble*",
    "echo chamber*",
    "rich get richer",
    "self reinforc*",
    "only learns from",
    "already chose to show",
    "its own choices",
)
FEEDBACK_LOOP_PROBE_DIMENSION = "user_signals"

DIMENSION_PROBES: dict[str, tuple[str, ...]] = {
    "problem_framing": (
        "Let's step back for a moment. Who exactly is the user here, and what problem are we "
        "solving for them?",
        "How would you scope this for a first version? What is in, and what is out?",
        "What assumptions are you making about the product and its users? Say them out loud "
        "for me.",
        "If you could serve only one group of users first, which one would you pick, and why?",
    ),
    "metrics": (
        "How would you know this is working? Walk me through your metrics, from the business "
        "goal down to the model.",
        "Which single metric would you put on the dashboard first, and how could that number "
        "mislead you?",
        "What guardrail metrics would you watch, so you know you are not hurting something else?",
        "How do the metrics you use offline connect to what you would measure with real users?",
    ),
    "user_signals": (
        "Which signals from users would you learn from, and how noisy are they?",
        "Clicks and views are implicit signals. How would you tell real interest apart from "
        "accidental or regretted engagement?",
        "How would you separate what someone wants right now from their long term taste?",
        "Items near the top get more attention just because of where they sit. How would you "
        "deal with that position bias?",
    ),
    "system_design": (
        "Walk me through the system end to end: the data, the labels, the features, the model, "
        "and how it gets served.",
        "What would your simplest baseline be, and why would you start there?",
        "Where do your training labels come from, and how do you keep them fresh?",
        "What is your latency budget at serving time, and which part of the system spends most "
        "of it?",
    ),
    "tradeoffs": (
        "What is the main trade-off in your design, and which side would you choose?",
        "If you had to give up some accuracy to gain speed, or the other way around, where would "
        "you land, and why?",
        "How would you balance short term engagement against long term satisfaction here?",
        "Personalisation and variety pull in different directions. How would you decide how "
        "much of each to give people?",
    ),
    "experimentation": (
        "How would you test this before a full launch? Tell me about the experiment.",
        "How long would you run that test, and how would you decide how many users it needs?",
        "What could make the first week of results look better than the truth, and how would "
        "you guard against it?",
        "After launch, what would you keep monitoring, and what would make you roll it back?",
    ),
    "diagnosis": (
        "Before chasing causes, how would you make sure the change is real, and not a logging "
        "or data problem?",
        "How would you break the metric down to find where the change is coming from?",
        "Which segments would you slice by first, and what would each result tell you?",
        "Of your hypotheses, which would you check first, and why in that order?",
    ),
    "communication": (
        "Could you sum up your answer in a few sentences, as if for a busy product manager?",
        "If you had one minute left, what are the two points you would want me to remember?",
    ),
}


@dataclass(frozen=True)
class ConstraintProbe:
    """A new constraint the interviewer introduces once the candidate has a design."""

    text: str
    dimension: str
    constraint: str


CONSTRAINT_PROBES: dict[str, tuple[ConstraintProbe, ...]] = {
    "design": (
        ConstraintProbe(
            "Now suppose the whole response has to come back within fifty milliseconds. "
            "What would you change in your design?",
            "system_design",
            "latency budget of fifty milliseconds",
        ),
        ConstraintProbe(
            "Now assume you have no labelled data at all for the first month. "
            "How does your plan change?",
            "system_design",
            "no labelled data for the first month",
        ),
    ),
    "diagnose": (
        ConstraintProbe(
            "Now leadership wants an answer by tomorrow morning. What do you check first, and "
            "what do you tell them if you are not sure yet?",
            "diagnosis",
            "an answer is due by tomorrow morning",
        ),
    ),
    "metrics": (
        ConstraintProbe(
            "Now assume privacy rules stop you from logging anything that identifies a single "
            "user. How do you still measure success?",
            "metrics",
            "no user level logging",
        ),
    ),
    "experimentation": (
        ConstraintProbe(
            "Now you may only expose one percent of traffic to the new version. "
            "How does your experiment change?",
            "experimentation",
            "only one percent of traffic for the test",
        ),
    ),
    "tradeoff": (
        ConstraintProbe(
            "Now leadership says long term retention matters more than this quarter's "
            "engagement. Does your decision change?",
            "tradeoffs",
            "long term retention outranks short term engagement",
        ),
    ),
    "behavior": (
        ConstraintProbe(
            "Now assume you must decide within the first ten seconds of a session, with no "
            "history for that user. Which signals are left, and how do you use them?",
            "user_signals",
            "decide in the first ten seconds with no history",
        ),
    ),
}


def rotated(options: tuple[str, ...], seed_text: str) -> tuple[str, ...]:
    """The options in a stable order that starts at a place chosen by ``seed_text``.

    Why: different free questions should open with different wordings, yet the same question
    must always get the same probes (the interviewer is deterministic).
    """
    if not options:
        return options
    start = zlib.crc32(seed_text.encode("utf-8")) % len(options)
    return options[start:] + options[:start]


# Acronyms spoken letter by letter come back from Whisper as "C-T-R" or "A B test".
_SPELLED_OUT = re.compile(r"(?<![\w'])([a-z])(?:[\s.\-]+([a-z])(?![\w']))+")


def _join_spelled(match: re.Match[str]) -> str:
    return re.sub(r"[\s.\-]+", "", match.group(0))


def _phrase_regex(phrase: str) -> str:
    """One phrase as a regex body: flexible spaces/hyphens, ``*`` as "any word ending"."""
    prefix = phrase.rstrip().endswith("*")
    words = normalise_for_matching(phrase.replace("*", " ")).replace("-", " ").split()
    body = r"[\s\-]+".join(re.escape(w) for w in words)
    tail = r"\w*" if prefix else r"(?:s|es)?\b"
    return body + tail


@lru_cache(maxsize=4096)
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """All phrases as one alternation, so a text is scanned once per group, not once per phrase.

    Each phrase is normalised exactly like the text it is matched against, so "A/B test" in a
    bank trigger meets "a b test" or "AB test" in a transcript.
    """
    bodies = [_phrase_regex(p) for p in phrases if p.strip("* ")]
    bodies = [b for b in bodies if b]
    if not bodies:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(bodies) + ")")


def normalise_for_matching(text: str) -> str:
    """Lower-case, straighten apostrophes, punctuation to spaces, spelled-out letters joined."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^\w'\-]+", " ", text)
    return " " + _SPELLED_OUT.sub(_join_spelled, text) + " "


def mentions(text: str, phrases: Iterable[str]) -> bool:
    """True when ``text`` (already normalised) contains any of ``phrases``."""
    pattern = _phrases_pattern(tuple(phrases))
    return pattern is not None and pattern.search(text) is not None


def concept_raised(concept: Concept, text: str, context: str | None = None) -> bool:
    """The answer relies on ``concept`` and the candidate has not already dealt with its weak spot.

    Args:
        concept: the concept to look for.
        text: the answer just given (normalised); the concept must show up here.
        context: everything the candidate said on the question so far (normalised), defaulting
            to ``text``; a concern handled anywhere in it is settled.
    """
    if not mentions(text, concept.reveals):
        return False
    if concept.requires and not mentions(text, concept.requires):
        return False
    return not mentions(context if context is not None else text, concept.handled)


QUOTE_PROBES: dict[str, str] = {
    "metrics": "How could that number mislead you here, and what would you watch next to it?",
    "user_signals": "How noisy is that signal, and what would you pair it with?",
    "system_design": "How does that part serve the goal, and what would you build first?",
    "tradeoffs": "What does that cost you, and which side would you choose?",
    "experimentation": "How exactly would you set that test up, and how long would it run?",
    "diagnosis": "How would you confirm that, and what would you check first?",
}
"""Generic probes that build on a quote of the candidate ("You said you'd track clicks. How
could that number mislead you here?"). Used in place of a generic dimension probe when the
answer said something quotable on the dimension; each is still asked at most once a session.
Framing and communication have none: what the grader credits there is the answer's structure
("I will go in four steps"), which reads oddly when quoted back."""
