"""Pick a grading engine by the name users type (``--engine offline|llm``, the setup screen).

The registry sits above grading, the interviewer and the LLM engine: it hands the offline grader
the interviewer's probe policy, so grades carry the next follow-up while grading itself never
imports the interviewer. The LLM engine is imported only when asked for, so the offline path
never loads the openai client. The LLM engine falls back to the offline one by itself and says
so in ``Grade.fallback``.
"""

from __future__ import annotations

from engine.errors import ConfigError
from engine.grading.base import Grader

ENGINE_NAMES = ("offline", "llm")


def make_grader(engine: str = "offline") -> Grader:
    """Return the grader for ``engine``.

    Raises:
        ConfigError: the name is not one of ``ENGINE_NAMES``.
    """
    if engine == "offline":
        from engine.grading.offline import OfflineGrader
        from engine.interviewer.follow_ups import choose_follow_up

        return OfflineGrader(probe_policy=choose_follow_up)
    if engine == "llm":
        from engine.llm.grader import LLMGrader

        return LLMGrader.from_settings()
    raise ConfigError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINE_NAMES)}")
