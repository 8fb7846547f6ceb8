#!/usr/bin/env python3
"""A real text-embedding set: paragraphs of this machine's manual pages and /usr/share/doc,
embedded with WordLlama (PyPI's `wordllama` ships its 256-dimensional l2_supercat weights and
tokenizer inside the wheel, so nothing is downloaded), unit-normalised, in TEXMEX format.

    embed_text.py --out /tmp/vec-data --n 100000 --queries 1000 [--seed 1]

writes OUT/text-wordllama-256d-N-qQ-sSEED/{base.fvecs, query.fvecs, groundtruth.ivecs,
meta.json} (reused when meta.json is there). Paragraphs: the text lines between roff macros of
every man page (.gz), and the blank-line-separated blocks of the plain-text files under
/usr/share/doc, with roff escapes removed, 60 to 2000 characters, deduplicated, in sorted path
order and then shuffled with the seed; the first N are the base, the next Q the queries. The
ground truth is exact (make_vectors.ground_truth). Needs `pip install wordllama` in the venv.
"""

import argparse
import gzip
import json
import os
import pathlib
import re
import sys
import time

import numpy as np

import fvecs
from make_vectors import TRUTH_K, ground_truth

ROFF_ESCAPE = re.compile(r"\\f(\(..|\[[^]]*\]|.)|\\\(..|\\\[[^]]*\]|\\s[+-]?\d+|\\[&|^%-]|\\e|\\c")


def man_paragraphs(text):
    block = []
    for line in text.splitlines():
        if line.startswith((".", "'")):
            if block:
                yield " ".join(block)
                block = []
            if line.startswith((".SH", ".SS", ".PP", ".TP", ".IP", ".P ", ".LP", ".Sh", ".Pp", ".It")):
                continue
            continue
        line = ROFF_ESCAPE.sub("", line).strip()
        if line:
            block.append(line)
    if block:
        yield " ".join(block)


def doc_paragraphs(text):
    for block in re.split(r"\n\s*\n", text):
        yield " ".join(block.split())


def paragraphs():
    seen = set()
    sources = []
    for root in ("/usr/share/man", "/usr/share/doc"):
        for path in sorted(pathlib.Path(root).rglob("*")):
            if path.is_file() and not path.is_symlink():
                sources.append(path)
    for path in sources:
        try:
            raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
        except (OSError, EOFError, gzip.BadGzipFile):
            continue
        if len(raw) > 4_000_000 or b"\0" in raw[:4096]:
            continue
        text = raw.decode("utf-8", errors="replace")
        manual = "/man" in str(path)
        for paragraph in (man_paragraphs(text) if manual else doc_paragraphs(text)):
            if 60 <= len(paragraph) <= 2000 and paragraph not in seen:
                seen.add(paragraph)
                yield paragraph


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/tmp/vec-data")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    name = f"text-wordllama-256d-{args.n}-q{args.queries}-s{args.seed}"
    out = os.path.join(args.out, name)
    if os.path.exists(os.path.join(out, "meta.json")):
        print(out)
        return
    import wordllama
    from wordllama import WordLlama

    started = time.monotonic()
    texts = list(paragraphs())
    need = args.n + args.queries
    if len(texts) < need:
        sys.exit(f"embed_text: only {len(texts)} paragraphs on this machine, {need} asked for")
    order = np.random.default_rng(args.seed).permutation(len(texts))[:need]
    chosen = [texts[i] for i in order]
    # The package looks for its bundled tokenizer under tokenizer/ but ships it in tokenizers/,
    # which is where it looks in a cache directory: so the package directory is the cache.
    model = WordLlama.load(cache_dir=pathlib.Path(wordllama.__file__).parent, disable_download=True)
    vectors = np.asarray(model.embed(chosen, norm=True), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    base, queries = vectors[: args.n], vectors[args.n:]
    os.makedirs(out, exist_ok=True)
    fvecs.write(os.path.join(out, "base.fvecs"), base, np.float32)
    fvecs.write(os.path.join(out, "query.fvecs"), queries, np.float32)
    fvecs.write(os.path.join(out, "groundtruth.ivecs"), ground_truth(base, queries, TRUTH_K), np.int32)
    with open(os.path.join(out, "texts.jsonl"), "w") as handle:
        for text in chosen:
            handle.write(json.dumps(text) + "\n")
    meta = {"name": name, "kind": "text", "model": "wordllama l2_supercat 256", "dim": int(base.shape[1]),
            "n": args.n, "queries": args.queries, "paragraphs_found": len(texts), "seed": args.seed,
            "metric": "cosine", "truth_k": min(TRUTH_K, args.n), "seconds": round(time.monotonic() - started, 1)}
    with open(os.path.join(out, "meta.json"), "w") as handle:
        json.dump(meta, handle)
    print(f"embed_text: {name} from {len(texts)} paragraphs in {meta['seconds']} s", file=sys.stderr)
    print(out)


if __name__ == "__main__":
    main()
