"""The follow-up policy: probes target what the answer missed, react to what it said, never repeat.

Questions are built here (not read from the bank) so each test controls exactly which follow-ups
exist. Scores are hand-made where a test is about the policy's rules, and come from the real
offline grader where a test is about what a candidate would experience.
"""

from __future__ import annotations

import re

import pytest

from engine.engines import make_grader
from engine.grading.base import GradeRequest
from engine.grading.result import DimensionScore, Evidence
from engine.interviewer import generic_probes
from engine.interviewer.follow_ups import QuotedFollowUp, choose_follow_up, probe_key
from engine.interviewer.phrasing import spoken
from engine.questions.model import FollowUp, Question, free_question
from engine.rubric import DIMENSION_IDS
from engine.transcript import Transcript

CTR_PROBE = "You proposed CTR (click-through rate). What are its limits, e.g. for clickbait?"
LATENCY_PROBE = "A transformer ranker is heavy. How does it fit a 200 ms budget?"
LOOP_PROBE = "If the model only learns from what it showed, how do you avoid a feedback loop?"
METRICS_PROBE = "How would you know the feed is actually working for people?"
FRAMING_PROBE = "Who are the users here, and what do they need?"
EXPERIMENT_PROBE = "How would you test this before launching it to everyone?"
CONSTRAINT_PROBE = "Now new creators must get fair exposure. How does your design change?"

FEED_QUESTION = Question(
    id="design-test-feed",
    category="design",
    prompt="Design the ranking of a short video feed.",
    time_limit_s=300,
    expected={
        "problem_framing": ("names viewers and creators and what each needs",),
        "metrics": ("north star tied to long term retention", "guardrails like report rate"),
        "system_design": ("candidate generation then a ranking model", "a popularity baseline"),
    },
    follow_ups=(
        FollowUp(CTR_PROBE, "metrics", triggers=("ctr", "click-through")),
        FollowUp(LATENCY_PROBE, "system_design", triggers=("transformer", "bert")),
        FollowUp(LOOP_PROBE, "user_signals", triggers=("personalized",)),
        FollowUp(METRICS_PROBE, "metrics"),
        FollowUp(FRAMING_PROBE, "problem_framing"),
        FollowUp(EXPERIMENT_PROBE, "experimentation"),
        FollowUp(CONSTRAINT_PROBE, "tradeoffs", constraint="new creators need fair exposure"),
    ),
    clarifications={"users": "Mostly young adults."},
)


def scores(default: int = 3, **given: int | None) -> list[DimensionScore]:
    """Scores for every dimension: ``default`` unless given (None = not applicable).

    A dimension scored above missing carries a quote, as the grader's would: the candidate said
    something there (a weak dimension with nothing said counts as missing, see below).
    """
    said = (Evidence("something on it"),)
    return [
        DimensionScore(d, score, said if score is not None and score > 1 else ())
        for d in DIMENSION_IDS
        for score in [given.get(d, default)]
    ]


def request(
    text: str,
    question: Question = FEED_QUESTION,
    **kwargs: object,
) -> GradeRequest:
    return GradeRequest(question=question, transcript=Transcript.from_text(text, 60.0), **kwargs)


PLAIN_ANSWER = (
    "I would rank videos with a gradient boosted model on watch signals, trained every day, "
    "and start with a simple popularity baseline to compare against."
)


def test_answer_proposing_ctr_is_asked_about_ctrs_limits() -> None:
    # Metrics is the gap; the trigger phrase sharpens which metrics probe is asked.
    answer = "I would optimise the CTR of each video, since clicks show interest."
    follow_up = choose_follow_up(request(answer), scores(metrics=2))
    assert follow_up is not None
    assert follow_up.dimension == "metrics"
    assert "limits" in follow_up.text
    assert "CTR" in follow_up.text


def test_a_trigger_phrase_never_outranks_the_biggest_gap() -> None:
    # The answer says CTR, but metrics is already strong and the framing is missing.
    answer = "I would optimise the CTR of each video, since clicks show interest."
    follow_up = choose_follow_up(request(answer), scores(metrics=4, problem_framing=1))
    assert follow_up is not None and follow_up.dimension == "problem_framing"


def test_a_solid_dimension_is_never_probed() -> None:
    answer = "A large transformer over the watch history ranks the videos, clicks are the labels."
    follow_up = choose_follow_up(request(answer), scores(system_design=3, metrics=3, tradeoffs=2))
    assert follow_up is not None
    assert follow_up.dimension == "tradeoffs"


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("diagnose", "diagnosis"),
        ("metrics", "metrics"),
        ("tradeoff", "tradeoffs"),
        ("experimentation", "experimentation"),
        ("behavior", "user_signals"),
        ("design", "problem_framing"),
    ],
)
def test_an_answer_missing_everything_is_probed_where_the_category_cares_most(
    category: str, expected: str
) -> None:
    question = free_question("Tell me how you would approach this product.", category)
    follow_up = choose_follow_up(request(PLAIN_ANSWER, question=question), scores(1))
    assert follow_up is not None and follow_up.dimension == expected


def test_a_weak_key_dimension_outranks_a_missing_minor_one() -> None:
    # On a trade-off question the decision matters most: weak trade-offs beat missing design.
    question = free_question("Time spent is up, shares are down. Ship it?", "tradeoff")
    follow_up = choose_follow_up(
        request(PLAIN_ANSWER, question=question), scores(tradeoffs=2, system_design=1)
    )
    assert follow_up is not None and follow_up.dimension == "tradeoffs"


def test_heavy_model_answer_is_asked_about_latency() -> None:
    answer = "The ranker would be a large transformer over the whole watch history of the user."
    follow_up = choose_follow_up(request(answer), scores(system_design=2))
    assert follow_up is not None
    assert follow_up.dimension == "system_design"
    assert "two hundred milliseconds" in follow_up.text


def test_ranking_by_engagement_without_exploration_gets_the_feedback_loop_probe() -> None:
    # None of the probe's own trigger phrases occur: the no-exploration rule fires it.
    answer = "We rank every video by predicted engagement, so people see what they watch most."
    follow_up = choose_follow_up(request(answer), scores(user_signals=1))
    assert follow_up is not None
    assert "feedback loop" in follow_up.text


def test_answer_that_already_explores_is_not_asked_about_feedback_loops() -> None:
    # "personalized" is the probe's trigger, but exploration was already covered.
    answer = (
        "The feed is personalized by engagement, and I keep a small exploration budget so new "
        "videos get shown and the model does not only learn from its own picks."
    )
    follow_up = choose_follow_up(request(answer), scores(metrics=1, system_design=2))
    assert follow_up is not None
    assert "feedback loop" not in follow_up.text
    assert follow_up.dimension == "metrics"


def test_exploration_mentioned_in_an_earlier_answer_settles_the_loop_probe() -> None:
    earlier = Transcript.from_text("I would reserve an exploration budget for new videos.")
    answer = "Over months, ranking by watch time fills the feed with low quality clips."
    follow_up = choose_follow_up(
        request(answer, previous_answers=(earlier,)), scores(experimentation=1)
    )
    assert follow_up is not None
    assert "feedback loop" not in follow_up.text


def test_untriggered_answer_gets_a_probe_on_its_weakest_dimension() -> None:
    follow_up = choose_follow_up(request(PLAIN_ANSWER), scores(metrics=1, system_design=2))
    assert follow_up is not None
    assert follow_up.dimension == "metrics"
    assert follow_up.text.startswith("How would you know the feed")


def test_ties_are_broken_in_the_order_of_a_strong_answer() -> None:
    # framing comes before metrics and experimentation in the shape user -> problem -> metrics.
    tied = scores(problem_framing=1, metrics=1, experimentation=1, system_design=2)
    follow_up = choose_follow_up(request(PLAIN_ANSWER), tied)
    assert follow_up is not None and follow_up.dimension == "problem_framing"


def test_gap_without_a_bank_probe_gets_a_generic_one() -> None:
    # tradeoffs is the biggest gap but the bank only has a constraint change on it.
    follow_up = choose_follow_up(request(PLAIN_ANSWER), scores(tradeoffs=1, experimentation=2))
    assert follow_up is not None and follow_up.dimension == "tradeoffs"
    assert follow_up.constraint is None
    assert follow_up.text in {spoken(t) for t in generic_probes.DIMENSION_PROBES["tradeoffs"]}


def test_triggered_probe_that_did_not_fire_is_not_used_for_a_weak_dimension() -> None:
    # metrics is weak, but "what are the limits of CTR" makes no sense when CTR never came up.
    only_ctr = Question(
        id="q",
        category="design",
        prompt="Design a feed.",
        follow_ups=(FollowUp(CTR_PROBE, "metrics", triggers=("ctr",)),),
    )
    follow_up = choose_follow_up(request(PLAIN_ANSWER, question=only_ctr), scores(metrics=1))
    assert follow_up is not None and follow_up.dimension == "metrics"
    assert "CTR" not in follow_up.text


def test_constraint_change_comes_once_the_candidate_has_a_design() -> None:
    # Only a small gap is left (experimentation merely weak): change the ground instead.
    follow_up = choose_follow_up(
        request(PLAIN_ANSWER), scores(4, system_design=3, experimentation=2)
    )
    assert follow_up is not None
    assert follow_up.constraint == "new creators need fair exposure"
    assert follow_up.dimension == "tradeoffs"


def test_a_weak_score_with_nothing_said_is_probed_as_a_missing_dimension() -> None:
    # The same scores, but the grader quotes nothing on experimentation: its partial credit came
    # from the rest of the answer, and a person asks about the experiment before moving the
    # ground under the design.
    given = [
        DimensionScore(s.id, s.score, () if s.id == "experimentation" else s.evidence)
        for s in scores(4, system_design=3, experimentation=2)
    ]
    follow_up = choose_follow_up(request(PLAIN_ANSWER), given)
    assert follow_up is not None and follow_up.constraint is None
    assert follow_up.dimension == "experimentation"


def test_no_constraint_change_before_there_is_a_design() -> None:
    follow_up = choose_follow_up(request(PLAIN_ANSWER), scores(system_design=2, metrics=1))
    assert follow_up is not None and follow_up.constraint is None


def test_only_one_constraint_change_per_question() -> None:
    asked = frozenset({CONSTRAINT_PROBE})
    follow_up = choose_follow_up(
        request(PLAIN_ANSWER, asked_probes=asked), scores(system_design=4, metrics=1)
    )
    assert follow_up is not None and follow_up.constraint is None
    assert follow_up.dimension == "metrics"


def test_strong_answer_everywhere_gets_no_plain_probe() -> None:
    asked = frozenset({CONSTRAINT_PROBE})
    assert choose_follow_up(request(PLAIN_ANSWER, asked_probes=asked), scores(4)) is None


def test_a_probe_is_never_repeated_in_a_session() -> None:
    weak_metrics = scores(metrics=1, system_design=2)
    first = choose_follow_up(request(PLAIN_ANSWER), weak_metrics)
    assert first is not None
    # Asked before, perhaps with other punctuation or casing: still counts as asked.
    asked = frozenset({first.text.upper().rstrip("?") + " ?"})
    second = choose_follow_up(request(PLAIN_ANSWER, asked_probes=asked), weak_metrics)
    assert second is not None
    assert probe_key(second.text) != probe_key(first.text)
    answer = "I would optimise the CTR of each video."
    ctr_asked = frozenset({CTR_PROBE})
    after_ctr = choose_follow_up(request(answer, asked_probes=ctr_asked), scores(problem_framing=1))
    assert after_ctr is not None and "CTR" not in after_ctr.text


def test_no_probe_when_no_follow_ups_are_left() -> None:
    assert choose_follow_up(request(PLAIN_ANSWER, follow_ups_left=0), scores(metrics=1)) is None


@pytest.mark.parametrize(
    ("time_left", "expect_probe"), [(20.0, False), (44.0, False), (60.0, True)]
)
def test_no_probe_when_time_is_nearly_up(time_left: float, expect_probe: bool) -> None:
    follow_up = choose_follow_up(
        request(PLAIN_ANSWER, time_left_s=time_left), scores(metrics=1, system_design=2)
    )
    assert (follow_up is not None) is expect_probe


def test_constraint_change_needs_more_time_than_a_plain_probe() -> None:
    follow_up = choose_follow_up(
        request(PLAIN_ANSWER, time_left_s=60.0), scores(system_design=4, metrics=1)
    )
    assert follow_up is not None and follow_up.constraint is None


def test_empty_answer_gets_no_probe() -> None:
    assert choose_follow_up(request("   "), scores(1)) is None


def test_probes_are_phrased_for_speaking_aloud() -> None:
    answer = "I would optimise the CTR of each video."
    follow_up = choose_follow_up(request(answer), scores(metrics=2))
    assert follow_up is not None
    assert "(" not in follow_up.text and "e.g." not in follow_up.text
    assert "for example" in follow_up.text
    latency = choose_follow_up(request("A large transformer ranks it."), scores(system_design=2))
    assert latency is not None and not re.search(r"\d", latency.text)


def test_choice_is_deterministic() -> None:
    req = request(PLAIN_ANSWER)
    results = {choose_follow_up(req, scores(metrics=1)) for _ in range(5)}
    assert len(results) == 1


# ------------------------------------------------------------------ free questions


def free(
    text: str = "Design a recommender for a podcast app.", category: str = "design"
) -> Question:
    return free_question(text, category)


def test_free_question_gets_a_generic_probe_on_its_weakest_dimension() -> None:
    follow_up = choose_follow_up(
        request(PLAIN_ANSWER, question=free()), scores(metrics=1, system_design=2)
    )
    assert follow_up is not None
    assert follow_up.dimension == "metrics"
    assert follow_up.text in {spoken(t) for t in generic_probes.DIMENSION_PROBES["metrics"]}


@pytest.mark.parametrize(
    ("answer", "concept"),
    [
        ("I'd maximise click-through rate on the episode cards.", generic_probes.CTR),
        ("A big transformer model would rank the episodes.", generic_probes.HEAVY_MODEL),
        ("We personalise the list by predicted listening time.", generic_probes.FEEDBACK_LOOP),
        (
            "Collaborative filtering on listening history finds similar shows.",
            generic_probes.COLD_START,
        ),
    ],
)
def test_free_question_reacts_to_concepts_in_the_answer(
    answer: str, concept: generic_probes.Concept
) -> None:
    gap = {concept.dimension: 1}
    follow_up = choose_follow_up(request(answer, question=free()), scores(**gap))
    assert follow_up is not None
    assert follow_up.text == concept.probe
    assert follow_up.dimension == concept.dimension


def test_free_question_concept_already_handled_is_not_probed() -> None:
    answer = (
        "Collaborative filtering on listening history finds similar shows, and for new users "
        "with no history we ask for a few topics at onboarding."
    )
    follow_up = choose_follow_up(request(answer, question=free()), scores(metrics=1))
    assert follow_up is not None
    assert follow_up.text != generic_probes.COLD_START.probe


def test_free_question_gets_a_constraint_change_once_designed() -> None:
    follow_up = choose_follow_up(
        request(PLAIN_ANSWER, question=free()), scores(system_design=4, experimentation=2)
    )
    assert follow_up is not None and follow_up.constraint
    assert "fifty milliseconds" in follow_up.text


def test_generic_repertoire_is_spoken_style_and_covers_every_dimension() -> None:
    for dimension in DIMENSION_IDS:
        probes = generic_probes.DIMENSION_PROBES[dimension]
        assert len(probes) >= 2, dimension
        for text in probes:
            assert not re.search(r"\d|\(|\)|e\.g\.|\*|_", text), text
            assert text.endswith("?") or text.endswith("."), text


def test_free_questions_vary_the_wording_but_each_stays_the_same() -> None:
    weak = scores(metrics=1, system_design=2)
    texts = {
        choose_follow_up(request(PLAIN_ANSWER, question=free(prompt)), weak).text  # type: ignore[union-attr]
        for prompt in (
            "Design a recommender for a podcast app.",
            "Design ranking for a news app.",
            "Design search for a recipe site.",
            "Design suggestions for a music app.",
        )
    }
    assert len(texts) > 1
    again = choose_follow_up(request(PLAIN_ANSWER, question=free()), weak)
    assert again == choose_follow_up(request(PLAIN_ANSWER, question=free()), weak)


# ------------------------------------------------------------------ with the real grader


def test_answer_with_no_metrics_is_probed_on_metrics_by_the_real_grader() -> None:
    answer = (
        "Let me start with the users. Viewers want to be entertained quickly and creators want "
        "an audience, so I will focus on the main feed for viewers and assume a mobile app. "
        "For the system, I would first build a popularity baseline. Then I would generate "
        "candidates from embeddings and follows, and rank them with a model that predicts "
        "watching, liking and sharing, because those outcomes reflect interest. I would train "
        "it daily on the watch logs."
    )
    grade = make_grader("offline").grade(request(answer, follow_ups_left=2, time_left_s=300.0))
    metrics = grade.dimension("metrics")
    assert metrics is not None and metrics.score is not None and metrics.score <= 2
    follow_up = choose_follow_up(
        request(answer, follow_ups_left=2, asked_probes=frozenset({CONSTRAINT_PROBE})),
        grade.dimensions,
    )
    assert follow_up is not None
    assert follow_up.dimension == "metrics"


@pytest.mark.parametrize(
    "answer",
    [
        "I would optimise C-T-R for each video.",
        "I would optimise the C T R for each video.",
        "I would optimise click through rate for each video.",
    ],
)
def test_triggers_survive_how_whisper_writes_acronyms(answer: str) -> None:
    follow_up = choose_follow_up(request(answer), scores(metrics=2))
    assert follow_up is not None and "CTR" in follow_up.text


def test_bank_question_without_its_own_loop_probe_still_asks_about_feedback_loops() -> None:
    no_loop = Question(
        id="design-test-podcasts",
        category="design",
        prompt="Design podcast recommendations.",
        follow_ups=(FollowUp(METRICS_PROBE, "metrics"), FollowUp(FRAMING_PROBE, "problem_framing")),
    )
    answer = "We rank every episode by predicted engagement, so people hear what they play most."
    follow_up = choose_follow_up(request(answer, question=no_loop), scores(user_signals=1))
    assert follow_up is not None
    assert follow_up.text == generic_probes.FEEDBACK_LOOP.probe
    # The question's own probe on a concept always wins over the generic wording.
    own = choose_follow_up(request(answer), scores(user_signals=1))
    assert own is not None and own.text == spoken(LOOP_PROBE)


def test_constraint_on_a_diagnose_question_waits_for_a_solid_diagnosis() -> None:
    diagnose = Question(
        id="diagnose-test-drop",
        category="diagnose",
        prompt="Engagement dropped. Why?",
        follow_ups=(
            FollowUp("Is the drop real?", "diagnosis"),
            FollowUp(
                "Now you must decide within the hour. What do you do?",
                "tradeoffs",
                constraint="decision within the hour",
            ),
        ),
    )
    plan = "I would check the logging first, then split the metric by platform and version."
    early = choose_follow_up(request(plan, question=diagnose), scores(diagnosis=2, system_design=1))
    assert early is not None and early.constraint is None
    ready = choose_follow_up(
        request(plan, question=diagnose), scores(4, diagnosis=3, system_design=2)
    )
    assert ready is not None and ready.constraint == "decision within the hour"


def test_probe_on_a_thin_dimension_quotes_the_candidates_own_words() -> None:
    # A free question, graded by the real grader: the metric named once, with no limitation.
    question = free(
        "How would you measure the success of a podcast app's new home page?", "metrics"
    )
    answer = (
        "The home page is for listeners who open the app and want something to play. I would "
        "measure success by how many episodes people play from the home page. For the system "
        "I would start with a popularity baseline and then rank episodes by what similar "
        "listeners finished."
    )
    grade = make_grader("offline").grade(request(answer, question=question))
    metrics = grade.dimension("metrics")
    assert metrics is not None and metrics.score is not None and metrics.score < 3
    follow_up = choose_follow_up(request(answer, question=question), grade.dimensions)
    assert isinstance(follow_up, QuotedFollowUp)
    assert follow_up.dimension == "metrics"
    assert follow_up.quote in answer
    assert follow_up.text.startswith("You said you would measure success by how many episodes")
    assert "mislead" in follow_up.text
    # Behind another quote it is still the same probe: it is not asked twice.
    again = choose_follow_up(
        request(answer, question=question, asked_probes=frozenset({follow_up.text})),
        grade.dimensions,
    )
    assert again is None or probe_key(again.text) != probe_key(follow_up.text)
