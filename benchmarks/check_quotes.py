"""Quotes and their speakers against the quote anchors annotated on real clusters.

    python benchmarks/check_quotes.py [--anchors evals/alignment] [--data ../shared/data] [--errors] [--dump DIR]

Each anchor file (evals/alignment/*.json, read by `newsweave.eval.alignment.load`) lists
direct quotes an annotator found by reading a Multi-News / AllSides cluster (or the seeds)
in full: the document, the quote's span in the raw text and its speaker (full name or
null). Every cluster runs the brief's own path to the quotes: `pipeline.prepare` (cleaning,
sentences, entities; no sentence embeddings, which quotes never read) and
`analysis.quotes.extract`.

  quote recall      an anchor is found when one of our quotes of that document shares its
                    words: at least half of the shorter one's words and 3 words (all of
                    them for a shorter anchor), words compared lower-cased; of several,
                    the one that shares most
  speaker accuracy  of the found anchors that name a speaker, ours is the same person,
                    loosely: equal names or the same last name ("Lavrov" = "Sergey Lavrov")
  type accuracy     of those right speakers, person vs organisation as the anchor says

Clusters read while the quote rules were written ("dev") and those whose misses were read
after the first measurement ("errors") are totalled apart from the others: the unseen
totals are the honest figure. `--dump DIR` writes each
cluster's cleaned reports with our quotes marked ⟦like this⟧{speaker|cue}, for reading
against the sources.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsweave.eval.alignment import AnchorCluster, doc_id, load, same_person, words
from newsweave.model import AnalyzedArticle, Entity, Quote

ROOT = Path(__file__).resolve().parents[1]
# The clusters read in full while the quote rules were written (issue 13), as record numbers
# of mds/<set>.jsonl (0-based), and the seeds: their scores are no evidence that the rules
# generalise.
SEEN_RECORDS = {
    "multinews-dev": (29, 30, 31, 32, 34, 35, 36, 37, 38, 40, 41, 42, 43, 44, 45, 61, 62, 64, 67, 72, 84, 87),
    "allsides-dev": (156, 158, 160, 163, 164, 192, 277, 278, 292, 293, 299),
}
# Annotated clusters whose misses were read after the first measurement: two rules came of
# them ("said Mr Wilson had been ..." is about Wilson; "McNeil Consumer Healthcare" is no
# person), so they are no longer unseen either.
READ_FOR_ERRORS = {
    "multinews-dev": (0, 1, 14, 19, 22, 71),
    "allsides-dev": (30, 100),
}
# A found anchor shares at least this many words with our quote (fewer only when the
# anchor itself is shorter), and half of the shorter text's words.
MIN_SHARED_WORDS = 3


@dataclass(slots=True)
class Score:
    name: str
    seen: str  # "dev": read while developing, "errors": read for its misses after, "": not seen
    anchors: int = 0
    found: int = 0
    with_speaker: int = 0
    right: int = 0
    typed_right: int = 0
    quotes: int = 0  # ours, in all
    attributed: int = 0  # ours with a speaker
    errors: list[str] = field(default_factory=list)


def found_in(want: list[str], quotes: list[Quote]) -> Quote | None:
    """Our quote that holds most of the anchor's words, if it holds enough (see the module
    docstring): the best, not the first, or a quote sharing "the city" takes the anchor."""
    w = set(want)
    best, best_score = None, 0.0
    for q in quotes:
        have = set(words(q.text))
        shared = len(w & have)
        if shared >= min(MIN_SHARED_WORDS, len(w)) and shared * 2 >= min(len(w), len(have)):
            score = shared / max(len(w), len(have))
            if score > best_score:
                best, best_score = q, score
    return best


def cluster_ids(data: Path, records: dict[str, tuple[int, ...]]) -> set[str]:
    """The cluster ids of these record numbers."""
    out = set()
    for name, numbers in records.items():
        path = data / "mds" / f"{name}.jsonl"
        if path.is_file():
            ids = [json.loads(line)["id"] for line in path.read_text("utf-8").splitlines() if line.strip()]
            out |= {ids[i] for i in numbers if i < len(ids)}
    return out


def score(ac: AnchorCluster, quotes: tuple[Quote, ...], entities: dict[str, Entity], seen: dict[str, str]) -> Score:
    s = Score(name=ac.name, seen=seen.get(ac.data["cluster"], ""))
    s.quotes, s.attributed = len(quotes), sum(q.speaker is not None for q in quotes)
    for a in ac.data.get("quotes", []):
        aid = doc_id(a["doc"])
        s.anchors += 1
        got = found_in(words(ac.raw[aid][a["start"] : a["end"]]), [q for q in quotes if aid in q.sources])
        if got is None:
            s.errors.append(f"missed  {aid} “{a['starts']}…” ({a.get('speaker')})")
            continue
        s.found += 1
        if not a.get("speaker"):
            continue
        s.with_speaker += 1
        if got.speaker is not None and same_person(got.speaker, a["speaker"]):
            s.right += 1
            kind = got.speaker_type or (entities[got.speaker_id].type if got.speaker_id in entities else None)
            s.typed_right += (kind == "PERSON") == (a.get("speaker_type", "person") == "person")
        else:
            s.errors.append(f"speaker {aid} “{a['starts']}…”: {got.speaker!r}, not {a['speaker']!r}")
    return s


def dump(path: Path, ac: AnchorCluster, arts: tuple[AnalyzedArticle, ...], quotes: tuple[Quote, ...]) -> None:
    """The cleaned reports with our quotes marked, for reading against the sources."""
    lines = [f"# {ac.name} ({ac.data['set']} {ac.data['cluster']})"]
    for art in arts:
        marks = sorted(
            ((o.start, o.end, q.speaker, o.cue) for q in quotes for o in q.occurrences if o.article_id == art.id),
        )
        text, pos, out = art.cleaned.text, 0, []
        for start, end, who, cue in marks:
            out += [text[pos:start], "⟦", text[start:end], f"⟧{{{who}|{cue}}}"]
            pos = end
        out.append(text[pos:])
        lines += ["", f"======== {art.id} ========", "".join(out)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--anchors", type=Path, default=ROOT / "evals" / "alignment")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--errors", action="store_true", help="list every missed anchor and wrong speaker")
    ap.add_argument("--dump", type=Path, help="write each cluster's reports with our quotes marked here")
    args = ap.parse_args()

    from newsweave.analysis import quotes as quote_stage
    from newsweave.nlp.language import load_model
    from newsweave.pipeline import prepare

    files = sorted(args.anchors.glob("*.json"))
    if not files:
        sys.exit(f"no anchor files in {args.anchors}")
    nlp = load_model()
    seen = {c: "errors" for c in cluster_ids(args.data, READ_FOR_ERRORS)}
    seen |= {c: "dev" for c in (*cluster_ids(args.data, SEEN_RECORDS), "seeds")}
    scores: list[Score] = []
    for ac in load(files, args.data):
        if not ac.data.get("quotes") and not args.dump:
            continue
        prepared = prepare(ac.articles, nlp=nlp, embeddings=False)
        arts = prepared.text.articles
        quotes = quote_stage.extract(arts, prepared.resolved)
        scores.append(score(ac, quotes, {e.id: e for e in prepared.resolved.entities}, seen))
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            dump(args.dump / f"{ac.name}.txt", ac, arts, quotes)

    console = Console(width=140)
    table = Table(title="quotes vs annotated anchors")
    cols = ("cluster", "seen", "anchors", "found", "recall", "named", "speaker", "accuracy", "type", "ours", "att.")
    for col in cols:
        table.add_column(col, justify="left" if col == "cluster" else "right")

    def row(name: str, group: list[Score], seen: str) -> None:
        t = [sum(getattr(s, k) for s in group) for k in ("anchors", "found", "with_speaker", "right", "typed_right")]
        ours, att = sum(s.quotes for s in group), sum(s.attributed for s in group)
        table.add_row(
            name, seen, str(t[0]), str(t[1]), ratio(t[1], t[0]), str(t[2]), str(t[3]), ratio(t[3], t[2]),
            ratio(t[4], t[3]), str(ours), str(att),
        )  # fmt: skip

    for s in scores:
        if s.anchors:
            row(s.name, [s], s.seen)
    table.add_section()
    row("total, read while developing", [s for s in scores if s.seen == "dev"], "dev")
    row("total, read for their errors", [s for s in scores if s.seen == "errors"], "errors")
    row("total, not seen", [s for s in scores if not s.seen], "")
    row("total", scores, "")
    console.print(table)
    console.print(
        "found: anchors whose words one of our quotes holds; named: found anchors with a speaker; "
        "speaker: ours is that person; type: person/organisation right; ours/att.: our quotes, attributed"
    )
    if args.errors:
        for s in scores:
            for e in s.errors:
                console.print(f"{s.name}: {e}", highlight=False, markup=False)


if __name__ == "__main__":
    main()
