"""Tell a sentence that *reasons* from one that merely *mentions* a concept.

The rubric rewards explained reasoning, not vocabulary. A concept earns full credit only inside
a real sentence that explains (because, so that, which means, otherwise, the risk is, for
example, if ... then), ties the point to the user or the goal, or makes a decision. A plain
sentence that just names the concept earns part of the credit; a bare list of buzzwords
("CTR, NDCG, two-tower, cold start") earns very little, however many terms it packs in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.grading.tokens import stopword_ratio, tokenize

WEIGHT_REASONED = 1.0
WEIGHT_TIED = 0.8
WEIGHT_MENTION = 0.5
WEIGHT_LIST = 0.2

_REASON_RE = re.compile(
    r"\b(?:because|since|so that|so we|so the|so it|so i|so they|so you|which means|that means|"
    r"this means|meaning that|otherwise|instead|rather than|the risk is|the risk|risky|"
    r"the problem with|the issue with|the catch|the downside|the upside|trade|at the cost|"
    r"for example|for instance|such as|in order to|that's why|that is why|this is why|"
    r"to avoid|to make sure|to prevent|to catch|to check|to see whether|to see if|to tell|"
    r"tells us|depends on|depending on|unless|as long as|given that|given the|due to|"
    r"leads? to|could mean|might mean|can mislead|whereas|which would|which is why|"
    r"then we|then i|then it|if (?:we|the|a|it|they|users?|that|this)|but|though|although|"
    r"even if|even though|as a result|the reason|why|versus|compared (?:to|with)|more than|"
    r"less than|too (?:much|many|slow|expensive|noisy)|which is|that way|in that case)\b",
)
_TIE_RE = re.compile(
    r"\b(?:users?|viewers?|customers?|creators?|people|members?|shoppers?|listeners?|readers?|"
    r"riders?|drivers?|sellers?|buyers?|advertisers?|the goal|our goal|business|they want|"
    r"they need|their)\b",
)
# Phrases that take a side ("hold it", "I'd say yes", "don't ship"), as opposed to phrases
# that only name a decision ("I'd make a decision"): both count as deciding, only the first
# kind makes a call (``takes_a_side``).
_SIDE_TAKING = (
    r"we should|we shouldn't|i recommend|i'd recommend|i would recommend|i choose|i'd choose|"
    r"i would choose|i'd pick|i would pick|go with|i'd ship|i would ship|ship it|don't ship|"
    r"not ship|wouldn't ship|i'd rather|i would rather|i prefer|i'd prefer|i'd prioriti[sz]e|"
    r"i would prioriti[sz]e|i'd keep|i'd drop|i'd lean|i'd accept|i would accept|worth it|"
    r"not worth|ship if|launch if|my call|my verdict|i'd say yes|i'd say no|i would say yes|"
    r"i would say no|hold it|hold off|i'd hold|i would hold|i'd launch|i would launch|"
    r"wouldn't launch|would not launch|not launch|go ahead with|i'd go ahead|i would go ahead"
)
_DECIDE_RE = re.compile(
    r"\b(?:" + _SIDE_TAKING + r"|my recommendation|decide|decision|decided|my answer is|"
    r"my short answer)\b",
)
_COMMIT_RE = re.compile(
    r"\b(?:" + _SIDE_TAKING + r"|my (?:decision|recommendation|answer)(?: is|:))",
)


def takes_a_side(text: str) -> bool:
    """Whether a sentence makes a call (ship, hold, yes, prefer...) rather than naming one."""
    return bool(_COMMIT_RE.search(text.lower().replace("’", "'")))


@dataclass(frozen=True)
class SentenceQuality:
    """How much a sentence explains, and therefore how much credit its concepts earn."""

    reasons: bool
    ties_to_goal: bool
    decides: bool
    is_list: bool

    @property
    def weight(self) -> float:
        """Credit multiplier for the concepts this sentence mentions (0.2 to 1.0)."""
        if self.is_list:
            return WEIGHT_LIST
        if self.reasons or self.decides:
            return WEIGHT_REASONED
        if self.ties_to_goal:
            return WEIGHT_TIED
        return WEIGHT_MENTION

    @property
    def is_reasoned(self) -> bool:
        return not self.is_list and (self.reasons or self.decides)


def is_bare_list(text: str, tokens: list[str] | None = None) -> bool:
    """A run of terms with almost no grammar: many commas or almost no function words.

    Real spoken sentences are about half function words; a keyword dump is nearly none, and
    adding one "because" to it does not make it a sentence.
    """
    tokens = tokenize(text) if tokens is None else tokens
    if len(tokens) < 3:
        return False
    ratio = stopword_ratio(tokens)
    commas = text.count(",") + text.count(";")
    if commas >= 3 and commas / len(tokens) >= 0.2 and ratio < 0.3:
        return True
    return len(tokens) >= 5 and ratio < 0.12


def assess(text: str, tokens: list[str] | None = None) -> SentenceQuality:
    """Classify one sentence."""
    # The patterns are lower-case and compiled without IGNORECASE: several times faster, which
    # matters because every sentence of every answer goes through them.
    lowered = text.lower().replace("’", "'")
    return SentenceQuality(
        reasons=bool(_REASON_RE.search(lowered)),
        ties_to_goal=bool(_TIE_RE.search(lowered)),
        decides=bool(_DECIDE_RE.search(lowered)),
        is_list=is_bare_list(text, tokens),
    )
