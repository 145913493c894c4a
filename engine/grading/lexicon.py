"""The concept lexicon: what each rubric dimension is about, as phrases a candidate might say.

Each concept belongs to one dimension, carries the phrase variants people use out loud ("A/B
test", "ab test", "split test"), and a label that reads as advice when the concept is missing
from an answer to a free question (bank questions list their own expected points instead).
This module is only the vocabulary; ``concepts.py`` compiles and finds it in answers.

Phrase syntax (kept tiny so the lexicon stays readable): words separated by spaces match any
run of spaces or hyphens; a trailing ``*`` matches any word ending ("personali*" covers
"personalise", "personalization"); a phrase starting with ``re:`` is a raw regular
expression (without ``|``, which separates phrases). Every phrase matches whole words only,
case-insensitively.

``stage_weight`` says how strongly a mention signals that the candidate is *working on* that
dimension, for the stage timeline: "user" shows up everywhere, so it barely moves the stage;
"minimum detectable effect" leaves no doubt.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    """One idea a rubric dimension rewards, with its spoken variants."""

    id: str
    dimension: str
    label: str
    phrases: tuple[str, ...]
    core: bool = True
    stage_weight: float = 1.0


def _c(
    cid: str, dim: str, label: str, phrases: str, core: bool = True, stage: float = 1.0
) -> Concept:
    return Concept(cid, dim, label, tuple(p.strip() for p in phrases.split("|")), core, stage)


PF, ME, US, SD, TR, EX, DG = (
    "problem_framing",
    "metrics",
    "user_signals",
    "system_design",
    "tradeoffs",
    "experimentation",
    "diagnosis",
)

CONCEPTS: tuple[Concept, ...] = (
    # --- problem framing -------------------------------------------------------------------
    _c(
        "users_named",
        PF,
        "name the users the feature is for",
        "user|users|people|commuter*|viewer*|customer*|creator*|seller*|buyer*|shopper*|listener*|reader*|"
        "rider*|driver*|advertiser*|subscriber*|member*|persona*|audience|people who|"
        "new users|power users|casual users|host*|guest*|patient*|student*|teacher*",
        stage=0.35,
    ),
    _c(
        "user_need",
        PF,
        "state the user's need or pain point",
        "need|needs|pain point*|frustrat*|struggl*|trying to|job to be done|they want|"
        "they care about|what they want|help them|annoy*|problem for|problem they",
        stage=0.8,
    ),
    _c(
        "business_goal",
        PF,
        "tie the problem to the business goal",
        "business goal|the goal|our goal|goal of|objective|mission|why now|company cares|"
        "team cares|business wants|revenue goal|strategy|strategic",
        stage=0.8,
    ),
    _c(
        "scope",
        PF,
        "scope the problem (what is in and out for a first version)",
        "scope|out of scope|in scope|focus on|narrow*|for now|first version|v1|mvp|"
        "let's limit|limit it to|start with|concentrate on|won't cover|leave aside|set aside",
        stage=1.2,
    ),
    _c(
        "assumptions",
        PF,
        "state assumptions explicitly",
        "assum*|let's say|suppose|i'll take it that|i'm guessing|presumably|i'll treat",
        stage=1.3,
    ),
    _c(
        "clarifying",
        PF,
        "ask clarifying questions (users, scale, platform, goal)",
        "clarif*|can i ask|could i ask|do we know|before i start|quick question|first question|"
        "i'd ask|i would ask|i'd want to know|i would want to know|i'd like to know|"
        "what's the scale|"
        "which platform|who are the users",
        stage=1.4,
    ),
    _c(
        "context_scale",
        PF,
        "establish the context: platform, scale, market",
        "platform|mobile|desktop|web app|app|scale|million*|billion*|daily active|"
        "marketplace|market|region|country|countries",
        core=False,
        stage=0.5,
    ),
    # --- metrics --------------------------------------------------------------------------
    _c(
        "north_star",
        ME,
        "a primary success metric tied to the business goal",
        "north star|success metric|primary metric|key metric|main metric|top line metric|"
        "top-line metric|measure success|define success|success looks like|success would be|"
        "success means",
        stage=1.5,
    ),
    _c(
        "product_metrics",
        ME,
        "product metrics that reflect user value (retention, engagement, conversion)",
        "retention|retain*|engagement|daily active|dau|mau|sessions per|session length|"
        "watch time|time spent|conversion*|revenue|churn|satisfaction|nps|completion rate|"
        "return rate|returning|repeat purchase*|bookings|purchases|orders|gmv|"
        "sessions|adoption|acceptance rate|success rate|task completion",
        stage=1.0,
    ),
    _c(
        "model_metrics",
        ME,
        "offline model metrics (precision/recall, AUC, NDCG, calibration)",
        "precision|recall|auc|roc|ndcg|mrr|map at|log loss|logloss|calibrat*|f1|rmse|mae|"
        "accuracy|hit rate|top k|top-k|mean average precision|brier",
        stage=1.2,
    ),
    _c(
        "online_offline",
        ME,
        "separate offline metrics from online metrics",
        "offline metric*|online metric*|offline evaluation|online evaluation|offline and online|"
        "online and offline|offline gains|online gains|offline numbers|online numbers",
        stage=1.4,
    ),
    _c(
        "guardrails",
        ME,
        "guardrail metrics that must not get worse",
        "guardrail*|counter metric*|counter-metric*|must not drop|must not get worse|"
        "don't want to hurt|without hurting|shouldn't hurt|not hurt|hide rate|report rate|"
        "unsubscribe*|complaint*|uninstall*|opt out*|opt-out*",
        stage=1.4,
    ),
    _c(
        "proxy_limits",
        ME,
        "explain how the proxy metric can mislead (e.g. CTR rewards clickbait)",
        "proxy|proxies|mislead*|clickbait|click bait|gam* the metric|goodhart|vanity|"
        "doesn't capture|does not capture|doesn't tell|does not tell|can be inflated|inflate*|"
        "limitation*|blind spot*|biased toward*|rewards clickbait|optimi* for clicks",
        stage=1.3,
    ),
    _c(
        "ctr",
        ME,
        "click-through rate and its limits",
        "ctr|click through rate|click through|click-through rate",
        core=False,
        stage=1.0,
    ),
    _c(
        "metric_hierarchy",
        ME,
        "a hierarchy from business goal to product metric to model metric",
        "hierarchy|leading indicator*|lagging indicator*|input metric*|output metric*|"
        "ladder* up|rolls up|roll up to|maps to the business|drives the business",
        stage=1.5,
    ),
    _c(
        "long_term_value",
        ME,
        "long-term value, not just short-term engagement",
        "long term satisfaction|long-term satisfaction|long term value|lifetime value|ltv|"
        "long term retention|long-term retention|come back|coming back",
        stage=1.0,
    ),
    # --- user signals ---------------------------------------------------------------------
    _c(
        "implicit_feedback",
        US,
        "implicit feedback signals (clicks, dwell, skips, completions)",
        "implicit*|click*|dwell*|skip*|scroll*|hover*|rewatch*|replay*|watch complet*|"
        "completion*|add to cart|save*|share*|follow*|time on page|abandon*|pause*|"
        "quick back|long click|ignor*|open rate*|opens",
        stage=0.9,
    ),
    _c(
        "explicit_feedback",
        US,
        "explicit feedback (ratings, thumbs, surveys) and how rare it is",
        "explicit*|rating*|thumbs|star rating*|survey*|feedback button|not interested|"
        "dislike*|report button|user report*|reviews",
        stage=1.1,
    ),
    _c(
        "noisy_signals",
        US,
        "noisy signals: clicks that bounce, accidental taps, clicks are not ground truth",
        "noisy|noise|bounce*|accidental*|misclick*|mis-click*|click then|clicked and left|"
        "pogo*|not ground truth|isn't ground truth|weak signal*|weak label*|ambiguous signal*",
        stage=1.4,
    ),
    _c(
        "position_bias",
        US,
        "position and presentation bias in logged feedback",
        "position bias|presentation bias|top slot*|top position*|rank position*|"
        "shown first|slot bias|trust bias",
        stage=1.5,
    ),
    _c(
        "feedback_loop",
        US,
        "feedback loops: the model trains on what it chose to show",
        "feedback loop*|self reinforc*|rich get richer|popularity bias|filter bubble*|"
        "echo chamber*|only learns from what|degenerate loop*|exposure bias",
        stage=1.5,
    ),
    _c(
        "context_intent",
        US,
        "context and short-term intent versus long-term taste",
        "intent|short term intent|short-term intent|context*|time of day|device|session "
        "context|in the moment|current session|long term taste|long-term taste|taste|interests",
        stage=1.0,
    ),
    _c(
        "cold_start",
        US,
        "cold start for new users and new items",
        "cold start*|cold-start*|new items|brand new|no history|without history|few interactions",
        stage=1.3,
    ),
    _c(
        "selection_bias",
        US,
        "selection bias: we only observe outcomes for what was shown",
        "selection bias|missing not at random|only see what|only observe|survivorship|"
        "counterfactual*|unobserved",
        stage=1.4,
    ),
    # --- system design --------------------------------------------------------------------
    _c(
        "data_sources",
        SD,
        "the data and logs the system learns from",
        "data|logs|logging|dataset*|training data|event stream*|pipeline*|warehouse",
        stage=0.6,
    ),
    _c(
        "labels",
        SD,
        "how training labels are defined",
        "label*|ground truth|annotat*|human rat*|positive example*|negative example*|"
        "negatives|positives|target variable|training target|what we predict|predict whether|"
        "predict the probability|predicting",
        stage=1.1,
    ),
    _c(
        "features",
        SD,
        "the features and embeddings the model uses",
        "feature*|embedding*|feature store|signals as input|inputs to the model|"
        "user history|item metadata",
        stage=1.0,
    ),
    _c(
        "candidate_generation",
        SD,
        "a retrieval / candidate-generation stage before ranking",
        "candidate generation|candidate*|retriev*|two tower|two-tower|nearest neighbo*|"
        "ann index|vector search|recall stage|first stage",
        stage=1.5,
    ),
    _c(
        "ranking_model",
        SD,
        "the ranking or prediction model, chosen for a reason",
        "ranker*|ranking|rank by|rank them|rank items|learning to rank|re-rank*|rerank*|"
        "scoring model|model|gradient boost*|gbdt|xgboost|lightgbm|"
        "logistic regression|neural net*|transformer*|deep learning|classifier*|regression|"
        "collaborative filtering|matrix factori*|llm|language model|fine tun*|fine-tun*",
        stage=0.8,
    ),
    _c(
        "baseline",
        SD,
        "a simple baseline first",
        "baseline*|heuristic*|rule based|rule-based|start simple|simple model first|"
        "popularity based|most popular|simplest thing|simple version",
        stage=1.4,
    ),
    _c(
        "serving",
        SD,
        "how the model is served (online vs batch, caching, precomputation)",
        "serving|serve*|online inference|real time|real-time|batch*|precomput*|pre-comput*|"
        "cache*|caching|index*|endpoint|deploy*|infrastructure",
        stage=1.2,
    ),
    _c(
        "latency_budget",
        SD,
        "a latency budget and what fits inside it",
        "latency|re:\\d+\\s?ms|re:\\d+\\s?milliseconds?|milliseconds|budget|p99|p95|response time|"
        "fast enough|too slow",
        stage=1.3,
    ),
    _c(
        "training_freshness",
        SD,
        "training cadence and freshness",
        "retrain*|re-train*|fresh*|stale|streaming|near real time|updat* daily|daily updat*|"
        "incremental*|online learning|distil*|quantiz*|smaller model|lighter model",
        stage=1.1,
    ),
    _c(
        "architecture",
        SD,
        "the overall architecture and its stages",
        "architecture|multi stage|multi-stage|funnel of models|stage one|stage two|"
        "components|end to end|end-to-end|service",
        core=False,
        stage=1.0,
    ),
    # --- trade-offs -----------------------------------------------------------------------
    _c(
        "tradeoff_named",
        TR,
        "name the competing objectives explicitly",
        "trade off*|trade-off*|tradeoff*|at the cost of|at the expense of|versus|vs|"
        "balance*|tension|in exchange|downside*|sacrific*|give up|costs us|price we pay|"
        "on the other hand|competing",
        stage=1.8,
    ),
    _c(
        "short_long_term",
        TR,
        "short-term gains versus long-term health",
        "short term|short-term|long term|long-term|in the long run|sustainab*",
        stage=1.0,
    ),
    _c(
        "diversity",
        TR,
        "relevance versus diversity and novelty",
        "diversity|diverse|diversif*|serendipit*|variety|repetitive|same kind of content|"
        "discover*|familiar*",
        stage=1.2,
    ),
    _c(
        "explore_exploit",
        TR,
        "exploration versus exploitation",
        "explor*|exploit*|bandit*|epsilon|thompson|boost new|fresh content boost",
        stage=1.3,
    ),
    _c(
        "accuracy_latency",
        TR,
        "accuracy versus latency and cost",
        "accuracy versus latency|quality versus latency|cheaper model|compute cost*|"
        "infrastructure cost*|cost per|expensive|slower but|faster but",
        stage=1.2,
    ),
    _c(
        "fairness_privacy",
        TR,
        "fairness, privacy or trust against raw performance",
        "fairness|fair exposure|fair to|privacy|trust|bias against|equity|new creators|"
        "small creators|harm*|safety",
        stage=1.0,
    ),
    _c(
        "decision",
        TR,
        "make a justified decision, not just list options",
        "i'd choose|i would choose|i'd pick|i would pick|i'd go with|i would go with|"
        "i'd prioriti*|i would prioriti*|i'd ship|i would ship|i'd not ship|i wouldn't ship|"
        "i would not ship|my recommendation|i recommend|i'd recommend|i would recommend|"
        "i'd rather|worth it|i'd accept|i would accept|my decision|i'd decide|we should ship|"
        "don't ship|not ship|ship it|ship if|launch if|we ship|"
        "i'd hold|i would hold|i'd favor|i'd favour|i'd lean|"
        "i would lean",
        stage=1.8,
    ),
    _c(
        "precision_recall_tradeoff",
        TR,
        "which error is worse: false positives or false negatives",
        "false positive*|false negative*|threshold*|precision versus recall|"
        "precision and recall trade",
        core=False,
        stage=1.2,
    ),
    # --- experimentation ------------------------------------------------------------------
    _c(
        "ab_test",
        EX,
        "an A/B test with a clear control and treatment",
        "a/b test*|ab test*|a b test*|split test*|experiment*|randomi*|control group|"
        "treatment group|control and treatment|treatment and control|test group",
        stage=1.3,
    ),
    _c(
        "power_duration",
        EX,
        "sample size, power and duration of the test",
        "power|sample size|minimum detectable effect|mde|statistical* significan*|"
        "significan*|confidence interval*|p value*|p-value*|variance|weeks|two weeks|"
        "duration|full week|weekly cycle*|day of week|seasonality",
        stage=1.4,
    ),
    _c(
        "novelty_effect",
        EX,
        "novelty and learning effects",
        "novelty effect*|primacy effect*|learning effect*|novelty|wear off|wears off",
        stage=1.5,
    ),
    _c(
        "holdout",
        EX,
        "a long-term holdout",
        "holdout*|hold out|hold-out|held out|long term holdout|long-term holdout|backtest*",
        stage=1.5,
    ),
    _c(
        "randomization_unit",
        EX,
        "the unit of randomisation and interference between groups",
        "randomization unit|unit of randomi*|user level|user-level|unit of diversion|"
        "network effect*|interference|spillover*|switchback*|cluster*|two sided|two-sided|"
        "marketplace effect*|cannibali*",
        stage=1.5,
    ),
    _c(
        "rollout",
        EX,
        "a staged rollout or ramp with a decision rule",
        "ramp*|rollout|roll out|rolling out|percent of traffic|re:\\d+ ?% of users|"
        "re:\\d+ ?% of traffic|canary|staged|gradual* launch*|launch criteria|decision rule|"
        "success criteria",
        stage=1.3,
    ),
    _c(
        "monitoring",
        EX,
        "monitoring and iteration after launch",
        "monitor*|dashboard*|alert*|drift|iterat*|post launch|post-launch|after launch|"
        "keep an eye|watch the metrics|retro*",
        stage=1.2,
    ),
    _c(
        "offline_replay",
        EX,
        "offline evaluation or interleaving before the live test",
        "interleav*|off policy|off-policy|replay evaluation|offline replay|backfill|"
        "shadow mode|shadow traffic|dark launch",
        stage=1.5,
    ),
    # --- diagnosis ------------------------------------------------------------------------
    _c(
        "validate_data",
        DG,
        "validate the data first (logging, pipelines, dashboards)",
        "instrumentation|tracking bug*|logging bug*|logging change*|data pipeline*|"
        "data quality|data issue*|validate the data|sanity check*|is the data right|"
        "check the data|broken pipeline*|broken logging|missing data|delayed data|"
        "metric definition|definition change*|double count*",
        stage=1.5,
    ),
    _c(
        "decompose_metric",
        DG,
        "decompose the metric into its parts",
        "decompos*|break it down|break down|breakdown|numerator|denominator|"
        "components of|funnel|per user|times the number|multiplied by",
        stage=1.5,
    ),
    _c(
        "segment",
        DG,
        "segment to localise the change (platform, region, version, cohort)",
        "segment*|slice*|ios|android|by platform|by country|by region|app version*|browser*|"
        "new versus returning|new vs returning|cohort*|localiz*|localis*|isolate",
        stage=1.4,
    ),
    _c(
        "internal_external",
        DG,
        "rank hypotheses: internal changes before external causes",
        "internal|external|release*|deploy*|code change*|config change*|launch*|holiday*|"
        "competitor*|outage*|news event*|marketing campaign*|seasonal*|bot traffic",
        stage=1.2,
    ),
    _c(
        "hypotheses",
        DG,
        "form and rank hypotheses, then rule them out",
        "hypothes*|rule out|ruled out|root cause*|most likely|least likely|first suspect|"
        "suspect*|candidate cause*|likely cause*",
        stage=1.5,
    ),
    _c(
        "timing_shape",
        DG,
        "look at the timing and shape of the change (sudden or gradual)",
        "sudden*|gradual*|when did|when it started|started on|spike*|step change|overnight|"
        "same day|time series",
        stage=1.3,
    ),
    _c(
        "diagnosis_action",
        DG,
        "decide what to do: roll back, fix, or accept",
        "roll back|rollback|revert*|hotfix|fix it|next step*|escalat*|post mortem|postmortem",
        stage=1.3,
    ),
    _c(
        "offline_online_gap",
        DG,
        "explain offline/online gaps (skew, leakage, proxy mismatch)",
        "training serving skew|train serving skew|training-serving skew|skew|leakage|leak*|"
        "distribution shift*|offline online gap|offline-online gap|mismatch",
        stage=1.4,
    ),
)

CONCEPTS_BY_DIMENSION: dict[str, tuple[Concept, ...]] = {}
for _concept in CONCEPTS:
    CONCEPTS_BY_DIMENSION.setdefault(_concept.dimension, ())
    CONCEPTS_BY_DIMENSION[_concept.dimension] += (_concept,)
