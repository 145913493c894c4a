"""Red flags for questions that bring none of their own.

Free questions (``--question-text``) and user questions without a ``red_flags`` field still
deserve the report's "What would worry an interviewer": these are the mistakes that cost
candidates on almost any ML product-sense question (DOMAIN.md, "Common ways candidates lose"),
plus one or two per category. They are deliberately few and blunt: without the question's own
product and numbers, only a claim that is wrong in every context can be flagged without
accusing a good answer.

Claims follow the bank's rule (question_bank/README.md): sentences a candidate would say while
committing the mistake, never a sentence a strong answer would also contain.
"""

from __future__ import annotations

from functools import cache

from engine.errors import ConfigError
from engine.questions.model import RedFlag
from engine.rubric import CATEGORIES

COMMON: tuple[RedFlag, ...] = (
    RedFlag(
        "Optimises clicks or engagement alone, with nothing guarding long-term satisfaction",
        "metrics",
        (
            "I'd just optimise click-through rate, more clicks means the feature is working.",
            "The only number I'd track is engagement; if time spent goes up, we've succeeded.",
        ),
    ),
    RedFlag(
        "Would launch without any controlled experiment",
        "experimentation",
        (
            "Honestly I wouldn't bother with an A/B test, I'd roll it out to everyone and watch "
            "the dashboard.",
            "If the offline numbers look better, that's enough for me to ship it to all users.",
        ),
    ),
    RedFlag(
        "Defines success as model accuracy, or names no metric at all",
        "metrics",
        (
            "Success here is simply the accuracy of the model.",
            "I don't think we need to pin down a metric up front, we'll know it works when we "
            "see it.",
        ),
    ),
    RedFlag(
        "Treats clicks as ground truth for what users want",
        "user_signals",
        (
            "A click means the user liked it, so I'd use clicks directly as positive labels.",
            "If someone didn't click, they weren't interested, so every non-click is a negative.",
        ),
    ),
)

BY_CATEGORY: dict[str, tuple[RedFlag, ...]] = {
    "design": (
        RedFlag(
            "Starts with a heavy model before naming the user, the goal or a simple baseline",
            "system_design",
            (
                "I'd go straight to a big deep learning model, that will beat anything simple.",
                "No need for a baseline, a transformer trained on all our data is the answer.",
            ),
        ),
    ),
    "diagnose": (
        RedFlag(
            "Blames users, seasonality or competitors before checking the data and recent releases",
            "diagnosis",
            (
                "It's probably just seasonality, people are busy, so I wouldn't dig further.",
                "Most likely a competitor launched something; the first thing I'd do is react "
                "to that.",
            ),
        ),
        RedFlag(
            "Jumps to a fix without decomposing or segmenting the drop",
            "diagnosis",
            (
                "I'd retrain the model right away, that usually fixes drops like this.",
                "We don't need to break the drop down by platform or country, I'd just start "
                "fixing things.",
            ),
        ),
    ),
    "metrics": (
        RedFlag(
            "Picks a single metric with no guardrail and no word on how it misleads",
            "metrics",
            (
                "One metric is enough here; guardrails just slow the team down.",
                "That metric can't really be gamed, so I'd trust it on its own.",
            ),
        ),
    ),
    "experimentation": (
        RedFlag(
            "Stops the test the moment it looks significant and ignores novelty effects",
            "experimentation",
            (
                "I'd check the results every day and stop as soon as the p-value drops below 0.05.",
                "Novelty effects aren't a real concern, a lift in the first few days is a lift.",
            ),
        ),
    ),
    "tradeoff": (
        RedFlag(
            "Lists both sides but never makes a decision",
            "tradeoffs",
            (
                "Both metrics matter equally, so I don't think we can pick one.",
                "It really depends, I wouldn't commit to either option.",
            ),
        ),
        RedFlag(
            "Decides on the short-term number and ignores the long-term cost",
            "tradeoffs",
            (
                "The short-term gain is what shows up this quarter, so I'd take it and not "
                "worry about the long term.",
            ),
        ),
    ),
    "behavior": (
        RedFlag(
            "Reads one implicit signal as a certain statement of intent",
            "user_signals",
            (
                "If they stopped, they're bored, there's no other way to read it.",
                "One signal is enough to know what the user wants, we don't need any context.",
            ),
        ),
    ),
}


@cache
def generic_red_flags(category: str) -> tuple[RedFlag, ...]:
    """The common red flags followed by the ones for ``category``.

    Raises:
        ConfigError: ``category`` is not one of the DOMAIN.md ids.
    """
    if category not in CATEGORIES:
        raise ConfigError(f"unknown category {category!r}; choose from: {', '.join(CATEGORIES)}")
    return COMMON + BY_CATEGORY[category]
