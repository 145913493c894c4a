"""The generic red flags that free questions and user questions without their own fall back on."""

from __future__ import annotations

import pytest

from engine.errors import ConfigError
from engine.questions.generic_red_flags import COMMON, generic_red_flags
from engine.rubric import CATEGORIES, applicable_dimensions


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_every_category_gets_the_common_set_plus_its_own(category: str) -> None:
    flags = generic_red_flags(category)
    assert flags[: len(COMMON)] == COMMON
    own = flags[len(COMMON) :]
    assert 1 <= len(own) <= 2
    for flag in flags:
        assert flag.text.strip()
        assert flag.dimension in applicable_dimensions(category)
        assert 1 <= len(flag.claims) <= 5
        assert all(claim.strip() for claim in flag.claims)
    assert len({f.text for f in flags}) == len(flags)


def test_the_common_set_covers_the_mistakes_every_report_should_catch() -> None:
    notes = " ".join(f.text.lower() for f in COMMON)
    for mistake in ("clicks or engagement alone", "without any controlled experiment", "accuracy"):
        assert mistake in notes
    assert any(f.dimension == "user_signals" and "ground truth" in f.text for f in COMMON)


def test_an_unknown_category_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="unknown category 'feeds'"):
        generic_red_flags("feeds")
