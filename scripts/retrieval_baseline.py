#!/usr/bin/env python3
"""The simple baseline that reply and knowledge retrieval must beat (issue 17), evaluated exactly as
`hotline text retrieval` evaluates the platform's own ranking: every message is a query against all replies, and the
message's own reply is the one to find (recall@1, recall@5, and MRR over the first 100).

The baseline is scikit-learn's character 1-2-gram TfidfVectorizer with cosine similarity, as it comes (raw term
counts) and with sublinear term counts (1 + log tf), which is the stronger of the two on these replies. It is a
benchmark only: the platform never runs Python.

    python3 -m pip install scikit-learn      # once
    python3 scripts/retrieval_baseline.py --input ../shared/data/replies_train.csv \
        --text-column subject,detail --answer-column reply [--json]
"""
import argparse
import csv
import json
import sys

try:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
except ImportError:
    sys.exit("scikit-learn is needed for the baseline: python3 -m pip install scikit-learn")


def ranks_of_own(similarity):
    """1-based rank of each query's own document (the diagonal) among all, counting strictly better ones."""
    own = np.diag(similarity)
    return (similarity > own[:, None]).sum(axis=1) + 1


def report(ranks):
    ranks = np.asarray(ranks)
    return {
        "count": int(len(ranks)),
        "recall_at_1": round(float(np.mean(ranks <= 1)), 4),
        "recall_at_5": round(float(np.mean(ranks <= 5)), 4),
        "mrr": round(float(np.mean(np.where(ranks <= 100, 1.0 / ranks, 0.0))), 4),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--text-column", default="subject,detail", help="column(s) of the query, joined by a space")
    parser.add_argument("--answer-column", default="reply", help="column(s) of the reply, joined by a space")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with open(args.input, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    queries = [" ".join(r[c] for c in args.text_column.split(",")) for r in rows]
    answers = [" ".join(r[c] for c in args.answer_column.split(",")) for r in rows]
    results = {}
    for name, sublinear in (("tfidf_char_1_2", False), ("tfidf_char_1_2_sublinear", True)):
        print(f"{name}: fitting on {len(queries)} queries and {len(answers)} replies", file=sys.stderr)
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=sublinear).fit(queries + answers)
        similarity = (vectorizer.transform(queries) @ vectorizer.transform(answers).T).toarray()
        results[name] = report(ranks_of_own(similarity))
    if args.json:
        print(json.dumps(results, sort_keys=True))
        return
    print(f"{len(queries)} queries against {len(answers)} replies")
    for name, r in results.items():
        print(f"{name:28s} recall@1 {r['recall_at_1']:.4f}   recall@5 {r['recall_at_5']:.4f}   MRR {r['mrr']:.4f}")


if __name__ == "__main__":
    main()
