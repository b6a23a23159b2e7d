"""Extraction settings chosen honestly: k folds by page, the per-rule diagnosis.

newsweave's HTML extraction has two sets of knobs: trafilatura's own switches
(`ingest.html.Extraction`) and the line rules cleaning runs on HTML text
(`clean.Profile`). `cross_validate` chooses both on k-1 folds of the dev pages of both sets
(scrapinghub and trafilatura, folded together by page) and scores the held-out fold, so the
figure says what a page never tuned on gets. `removed_by_rule` tells, per rule, how many of
the lines it dropped the ground truth holds (story text thrown away) against noise it cut.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsweave.clean import RULES, Profile, clean
from newsweave.errors import IngestError
from newsweave.eval.extraction import Page, SystemScore, load_pages, page_counts, set_scores
from newsweave.ingest.html import Extraction, article_from_page, extract_page

# trafilatura's switches tried (news pages carry tables of results and figures; comments are
# never story text, so they stay off).
EXTRACTIONS = (
    Extraction(mode="precision"),
    Extraction(mode="balanced"),
    Extraction(mode="recall"),
    Extraction(mode="precision", tables=False),
)
# The rule variants forward selection may add, one at a time, with their thresholds.
RULE_STEPS: tuple[tuple[str, dict[str, int]], ...] = (
    *((r, {}) for r in RULES if r not in {"headline-list", "fragment"}),
    ("headline-list", {"headline_run": 3}),
    ("headline-list", {"headline_run": 5}),
    ("fragment", {"max_fragment_words": 1}),
    ("fragment", {"max_fragment_words": 3}),
)
# A rule joins only when it buys this much of the training objective (mean F1 of the two sets,
# in points): gains below it are a page or two of one set, the kind that does not carry over.
MIN_GAIN = 0.1
FOLDS = 5

Config = tuple[Extraction, Profile]
EMPTY = Profile(rules=frozenset())


def fold_of(page: Page, k: int) -> int:
    """A page's fold: stable across runs and machines (a hash of its set and key)."""
    return int(hashlib.sha256(f"{page.set}:{page.key}".encode()).hexdigest(), 16) % k


@dataclass
class Outputs:
    """Text per page per configuration, computed once: trafilatura per switch set, cleaning per profile."""

    pages: Sequence[Page]
    docs: dict[Extraction, list[object]] = field(default_factory=dict)
    texts: dict[Config, list[str]] = field(default_factory=dict)
    counts: dict[Config, list[Counter[str]]] = field(default_factory=dict)

    def doc(self, options: Extraction) -> list[object]:
        if options not in self.docs:
            out: list[object] = []
            for p in self.pages:
                try:
                    out.append(extract_page(p.html, options=options))
                except IngestError:
                    out.append(None)
            self.docs[options] = out
        return self.docs[options]

    def cleaned(self, options: Extraction, profile: Profile) -> list[str]:
        key = (options, profile)
        if key not in self.texts:
            texts = []
            for d in self.doc(options):
                try:
                    article = article_from_page(d, article_id="page")
                except IngestError:
                    texts.append("")
                    continue
                texts.append(clean([article], profile=profile)[0].text)
            self.texts[key] = texts
            self.counts[key] = [page_counts(p, t) for p, t in zip(self.pages, texts, strict=True)]
        return self.texts[key]

    def objective(self, config: Config, idx: Iterable[int]) -> float:
        """Mean of the two sets' F1 (points) on these pages."""
        self.cleaned(*config)
        rows = self.counts[config]
        scores = set_scores([self.pages[i] for i in idx], [rows[i] for i in idx])
        return sum(100 * s.f1 for s in scores.values()) / len(scores) if scores else 0.0


def select(out: Outputs, idx: Sequence[int]) -> Config:
    """The switches, then the rules one by one (forward selection), best on these pages."""
    options = max(EXTRACTIONS, key=lambda o: out.objective((o, EMPTY), idx))
    profile, best = EMPTY, out.objective((options, EMPTY), idx)
    while True:
        tried = [
            Profile(
                rules=profile.rules | {rule},
                headline_run=kw.get("headline_run", profile.headline_run),
                max_fragment_words=kw.get("max_fragment_words", profile.max_fragment_words),
            )
            for rule, kw in RULE_STEPS
            if rule not in profile.rules
        ]
        if not tried:
            return options, profile
        scored = [(out.objective((options, p), idx), p) for p in tried]
        score, candidate = max(scored, key=lambda sp: sp[0])
        if score < best + MIN_GAIN:
            return options, profile
        profile, best = candidate, score


@dataclass(frozen=True, slots=True, kw_only=True)
class CrossValidation:
    """Held-out text of every page (from the configuration chosen without its fold) and the choices."""

    texts: tuple[str, ...]
    chosen: tuple[Config, ...]  # per fold
    full: Config  # chosen on every dev page


def cross_validate(out: Outputs, k: int = FOLDS) -> CrossValidation:
    folds = [fold_of(p, k) for p in out.pages]
    texts = [""] * len(out.pages)
    chosen = []
    for f in range(k):
        train = [i for i, g in enumerate(folds) if g != f]
        config = select(out, train)
        chosen.append(config)
        got = out.cleaned(*config)
        for i, g in enumerate(folds):
            if g == f:
                texts[i] = got[i]
    full = select(out, range(len(out.pages)))
    return CrossValidation(texts=tuple(texts), chosen=tuple(chosen), full=full)


def describe(config: Config) -> str:
    options, profile = config
    rules = []
    for r in RULES:
        if r in profile.rules:
            rules.append(
                f"{r}>={profile.headline_run}"
                if r == "headline-list"
                else f"{r}<={profile.max_fragment_words}"
                if r == "fragment"
                else r
            )
    tables = "tables" if options.tables else "no tables"
    return f"{options.mode}, {tables}; rules: {', '.join(rules) or 'none'}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleDamage:
    """What one rule dropped on one set: lines, those the ground truth holds, and their tokens."""

    rule: str
    set: str
    removed: int
    story_lines: int
    story_tokens: int
    noise_lines: int  # scrapinghub: lines the truth lacks; trafilatura: lines holding a `without` snippet


def removed_by_rule(pages: Sequence[Page], removed: Sequence[Sequence[str]]) -> list[RuleDamage]:
    """Per rule and set, the dropped lines ("reason: line") the ground truth holds."""
    from newsweave.eval.extraction import _norm, tokens

    tally: dict[tuple[str, str], Counter[str]] = {}
    for page, lines in zip(pages, removed, strict=True):
        for entry in lines:
            rule, _, line = entry.partition(": ")
            norm = _norm(line)
            if not norm:
                continue
            c = tally.setdefault((rule, page.set), Counter())
            c["removed"] += 1
            if page.body is not None:
                story = norm in _norm(page.body)
                noise = not story
            else:
                story = any(s in norm or (len(norm) >= 8 and norm in s) for s in map(_norm, page.with_))
                noise = any(s in norm or (len(norm) >= 8 and norm in s) for s in map(_norm, page.without))
            if story:
                c["story"] += 1
                c["tokens"] += sum(tokens(line).values())
            c["noise"] += noise
    return [
        RuleDamage(
            rule=rule,
            set=name,
            removed=c["removed"],
            story_lines=c["story"],
            story_tokens=c["tokens"],
            noise_lines=c["noise"],
        )
        for (rule, name), c in sorted(tally.items(), key=lambda kv: (RULES.index(kv[0][0]), kv[0][1]))
    ]


def removed_lines(out: Outputs, config: Config) -> list[list[str]]:
    """Every page's removal reasons under one configuration."""
    options, profile = config
    got: list[list[str]] = []
    for d in out.doc(options):
        try:
            article = article_from_page(d, article_id="page")
        except IngestError:
            got.append([])
            continue
        got.append(list(clean([article], profile=profile)[0].removed))
    return got


# newsweave before issue 16: trafilatura's balanced mode without tables, every line rule.
BEFORE: Config = (Extraction(mode="balanced", tables=False), Profile())


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractionReport:
    """`newsweave eval extraction`: per set and system the scores; the choices of the folds."""

    scores: dict[str, dict[str, SystemScore]]
    folds: int
    chosen: tuple[str, ...] = ()  # per fold, described
    full: str = ""  # chosen on every dev page
    damage: dict[str, list[RuleDamage]] = field(default_factory=dict)  # "before" / "after"
    notes: tuple[str, ...] = ()


def evaluate(data: Path, *, folds: int = FOLDS, baselines: bool = True, removed: bool = False) -> ExtractionReport:
    """newsweave as shipped and cross-validated (k folds by page), beside plain trafilatura and
    readability-lxml on the same pages; with `removed`, the per-rule damage before and after."""
    from newsweave.clean import HTML_PROFILE
    from newsweave.eval.extraction import extractors, score_pages
    from newsweave.ingest.html import EXTRACTION

    pages = load_pages(data)
    out = Outputs(pages)
    shipped: Config = (EXTRACTION, HTML_PROFILE)
    by_system: dict[str, dict[str, SystemScore]] = {}
    texts = out.cleaned(*shipped)
    by_system["newsweave"] = set_scores(pages, [page_counts(p, t) for p, t in zip(pages, texts, strict=True)])
    chosen: tuple[str, ...] = ()
    full = ""
    notes: list[str] = []
    if folds >= 2 and len(pages) >= 2 * folds:  # fewer pages: folds of one page or none say nothing
        cv = cross_validate(out, folds)
        counts = [page_counts(p, t) for p, t in zip(pages, cv.texts, strict=True)]
        by_system["newsweave (cv)"] = set_scores(pages, counts)
        chosen, full = tuple(describe(c) for c in cv.chosen), describe(cv.full)
    if baselines:
        for name, fn in extractors().items():
            if name not in ("newsweave", "readability"):
                by_system[name] = score_pages(pages, fn)
        notes += _alternatives(pages, texts, by_system, folds)
    scores: dict[str, dict[str, SystemScore]] = {}
    for system, per_set in by_system.items():
        for name, score in per_set.items():
            scores.setdefault(name, {})[system] = score
    damage = {}
    if removed:
        damage = {"before": removed_by_rule(pages, removed_lines(out, BEFORE))}
        damage["after"] = removed_by_rule(pages, removed_lines(out, shipped))
    return ExtractionReport(scores=scores, folds=folds, chosen=chosen, full=full, damage=damage, notes=tuple(notes))


def _alternatives(
    pages: Sequence[Page], ours: Sequence[str], by_system: dict[str, dict[str, SystemScore]], folds: int
) -> list[str]:
    """readability-lxml's row, and the two second sources tried on newsweave's text (not shipped)."""
    from newsweave.eval.extraction import extractors
    from newsweave.eval.extraction_alternatives import second_opinion, with_jsonld

    def rows(texts: Sequence[str]) -> dict[str, SystemScore]:
        return set_scores(pages, [page_counts(p, t) for p, t in zip(pages, texts, strict=True)])

    notes: list[str] = []
    read = extractors().get("readability")
    if read is None:
        return notes
    theirs, failed = [], 0
    for p in pages:
        try:
            theirs.append(read(p.html))
        except Exception:  # readability raises on pages it cannot parse; they count as empty
            theirs.append("")
            failed += 1
    by_system["readability"] = set_scores(
        pages, [page_counts(p, t) for p, t in zip(pages, theirs, strict=True)], failures=failed
    )
    k = folds if folds >= 2 and len(pages) >= 2 * folds else 2
    jsonld, n = with_jsonld(pages, ours)
    by_system["newsweave + JSON-LD articleBody"] = rows(jsonld)
    notes.append(f"JSON-LD articleBody: on {n} of {len(pages)} pages")
    held_out, chosen = second_opinion(pages, ours, theirs, [fold_of(p, k) for p in pages])
    by_system["newsweave + readability second opinion (cv)"] = rows(held_out)
    notes.append(f"readability second opinion: disagreement thresholds chosen per fold {chosen}")
    return notes
