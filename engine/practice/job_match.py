"""Rank bank questions by how well they fit a pasted job description.

A job ad names its domain in plain words ("you will build the ranking models behind our
sponsored listings"), while the bank names it in tags (``ads``, ``ranking``). ``DOMAINS`` maps
the words people write in job ads to the tags questions carry, so a match can always say which
part of the description it came from. On top of the tags, each question is compared by meaning
with every sentence of the description (the sentence embeddings the grader uses), which finds
fits the word lists miss ("keep scammers off our checkout" is fraud without the word) and picks
the sentence a pick is quoted with. The description never leaves the machine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine.questions.model import Question

MAX_DESCRIPTION_CHARS = 50_000
MAX_SENTENCES = 150  # a pasted page of boilerplate must not cost seconds of embedding
SEMANTIC_FLOOR = 0.3  # below this cosine a sentence says nothing about the question
SEMANTIC_WEIGHT = 1.5


@dataclass(frozen=True)
class Domain:
    """A product area: the words that reveal it in a job ad and the bank tags that belong to it."""

    id: str
    label: str
    words: tuple[str, ...]
    tags: tuple[str, ...]


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "ads",
        "ads",
        ("ads", "advertis", "sponsored", "auction", "bidding", "cpc", "cpm", "monetiz"),
        ("ads", "auction", "revenue"),
    ),
    Domain(
        "search",
        "search",
        ("search", "query", "queries", "retrieval", "information retrieval", "relevance"),
        ("search", "retrieval", "relevance", "ranking"),
    ),
    Domain(
        "feeds",
        "feeds and recommendations",
        ("feed", "recommend", "personaliz", "personalis", "discovery", "for you", "ranking"),
        ("feeds", "recommendations", "ranking", "video", "social", "diversity", "exploration"),
    ),
    Domain(
        "marketplaces",
        "marketplaces",
        (
            "marketplace",
            "two-sided",
            "buyers",
            "sellers",
            "supply and demand",
            "drivers",
            "riders",
            "hosts",
            "listings",
            "delivery",
        ),
        ("marketplace", "two-sided", "e-commerce", "eta", "maps", "jobs", "dating"),
    ),
    Domain(
        "trust_safety",
        "trust and safety",
        (
            "trust and safety",
            "trust & safety",
            "integrity",
            "moderation",
            "abuse",
            "spam",
            "harmful content",
            "policy enforcement",
        ),
        ("trust-and-safety", "moderation", "classification", "policy"),
    ),
    Domain(
        "assistants",
        "assistants and LLM products",
        (
            "llm",
            "large language model",
            "generative",
            "genai",
            "assistant",
            "chatbot",
            "copilot",
            "rag",
            "retrieval-augmented",
        ),
        ("llm", "assistants", "support", "retrieval", "suggestions", "productivity"),
    ),
    Domain(
        "fraud",
        "fraud and risk",
        ("fraud", "risk", "payments", "chargeback", "fintech", "anti-money", "aml", "transactions"),
        ("fraud", "fintech", "real-time", "thresholds", "classification"),
    ),
    Domain(
        "notifications",
        "growth and notifications",
        (
            "notification",
            "push",
            "email",
            "growth",
            "retention",
            "churn",
            "engagement",
            "lifecycle",
        ),
        ("notifications", "churn", "engagement", "subscription", "long-term"),
    ),
    Domain(
        "media",
        "music, video and streaming",
        ("music", "podcast", "streaming", "video", "playlist", "listening", "watch"),
        ("music", "podcasts", "streaming", "video"),
    ),
    Domain(
        "experimentation",
        "experimentation platform",
        ("a/b", "experiment", "causal inference", "experimentation platform", "online testing"),
        (
            "ab-testing",
            "interference",
            "switchback",
            "interleaving",
            "launch-decision",
            "novelty",
            "sensitivity",
        ),
    ),
)


@dataclass(frozen=True)
class DomainHit:
    """A domain the description is about, with the sentence that shows it."""

    domain: Domain
    strength: int
    sentence: str


@dataclass(frozen=True)
class JobMatch:
    """How well one question fits the description, and which part of it the fit rests on."""

    question: Question
    score: float
    domain: Domain | None
    sentence: str


def split_sentences(text: str) -> list[str]:
    """Sentences and bullet lines of a job ad (bullets rarely end with a full stop)."""
    parts = re.split(r"(?<=[.!?])\s+|\n+|\s[•·▪]\s", text)
    return [" ".join(p.split()).strip(" -*•·") for p in parts if p and p.strip(" -*•·\t")]


def _count(word: str, text: str) -> int:
    pattern = r"(?<![a-z])" + re.escape(word)
    return len(re.findall(pattern, text))


def detect_domains(description: str) -> list[DomainHit]:
    """Domains named in the description, strongest first, each with its best sentence.

    Raises:
        ValueError: the description is empty.
    """
    text = description[:MAX_DESCRIPTION_CHARS]
    if not text.strip():
        raise ValueError("the job description is empty")
    sentences = split_sentences(text)
    hits = []
    for domain in DOMAINS:
        best_sentence, best, total = "", 0, 0
        for sentence in sentences:
            lowered = sentence.lower()
            count = sum(_count(w, lowered) for w in domain.words)
            total += count
            if count > best:
                best, best_sentence = count, sentence
        if total:
            hits.append(DomainHit(domain, total, best_sentence))
    return sorted(hits, key=lambda h: (-h.strength, h.domain.id))


def tag_fit(tags: set[str], domain: Domain) -> float:
    """How squarely a question's tags sit in a domain: its defining tag counts most."""
    shared = tags & set(domain.tags)
    if not shared:
        return 0.0
    core = 2.0 if domain.tags[0] in tags else 0.0
    return (core + len(shared)) / (2.0 + len(domain.tags))


def _semantic_fit(
    questions: Sequence[Question], sentences: Sequence[str]
) -> list[tuple[float, str]] | None:
    """Per question: the best cosine with a description sentence, and that sentence.

    None when the embedding model is unavailable (the ranking then rests on tags alone).
    """
    from engine.semantic import EmbeddingUnavailable, cosine_matrix, embed

    if not sentences or not questions:
        return [(0.0, "")] * len(questions)
    try:
        question_vectors = embed([f"{q.prompt} {q.context}".strip() for q in questions], cache=True)
        sentence_vectors = embed(list(sentences[:MAX_SENTENCES]))
    except EmbeddingUnavailable:
        return None
    sims = cosine_matrix(question_vectors, sentence_vectors)
    best = sims.argmax(axis=1)
    return [(float(sims[i, j]), sentences[j]) for i, j in enumerate(best)]


def rank_for_job(
    questions: Sequence[Question], hits: Sequence[DomainHit], description: str | None = None
) -> list[JobMatch]:
    """Questions by fit: domain weight times tag fit, plus closeness in meaning to a sentence.

    ``description`` (optional) turns on the meaning comparison; without it, or without the
    embedding model, only the tags count.
    """
    total = sum(h.strength for h in hits) or 1
    semantic = None
    if description:
        semantic = _semantic_fit(questions, split_sentences(description[:MAX_DESCRIPTION_CHARS]))
    matches = []
    for index, question in enumerate(questions):
        tags = set(question.tags)
        scored = [(h.strength / total * tag_fit(tags, h.domain), h) for h in hits]
        scored = [(s, h) for s, h in scored if s > 0]
        score = sum(s for s, _ in scored)
        best = max(scored, key=lambda pair: (pair[0], -hits.index(pair[1])))[1] if scored else None
        sentence = best.sentence if best else ""
        if semantic is not None:
            similarity, closest = semantic[index]
            if similarity > SEMANTIC_FLOOR:
                score += SEMANTIC_WEIGHT * (similarity - SEMANTIC_FLOOR)
                sentence = closest
        if score <= 0:
            continue
        matches.append(JobMatch(question, round(score, 3), best.domain if best else None, sentence))
    return sorted(matches, key=lambda m: (-m.score, m.question.id))


def shorten(sentence: str, limit: int = 90) -> str:
    """A sentence cut at a word boundary for a one-line reason."""
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"
