"""`newsweave eval ...`: the evaluation commands (tables on stdout, JSON with --format json)."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsweave.summarize import NAMES
from newsweave.terminal import err
from newsweave.terminal import fail as _fail

app = typer.Typer(help="Measure quality on real data, side by side with baselines.", no_args_is_help=True)


class Output(StrEnum):
    table = "table"
    json = "json"


def _require(command: str, modules: tuple[str, ...]) -> None:
    """Say which extra to install before any work, not in a traceback mid-run (exit 2)."""
    from newsweave.errors import MissingExtra
    from newsweave.extras import require

    try:
        require(f"`newsweave eval {command}`", modules)
    except MissingExtra as exc:
        raise _fail(str(exc), 2) from None


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
    )


def _count_lines(path: Path) -> int:
    with path.open(encoding="utf-8", errors="replace") as fh:
        return sum(1 for line in fh if line.strip())


@app.command("summaries")
def summaries(
    dataset: Annotated[Path, typer.Argument(help="JSONL with documents and summaries (Multi-News or AllSides form).")],
    words: Annotated[
        int | None, typer.Option("--words", "-w", min=1, help="Word budget (default: each reference's length).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Only the first N clusters.")] = None,
    systems: Annotated[str, typer.Option(help="Comma-separated summarizers to compare.")] = ",".join(NAMES),
    fmt: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
    save: Annotated[Path | None, typer.Option(help="Write per-cluster results as JSON here.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    folds: Annotated[
        int | None,
        typer.Option(
            min=2,
            help="Cross-validate newsweave's scorer by cluster: each fold summarised by a model trained on the others.",
        ),
    ] = None,
) -> None:
    """ROUGE-1/2/L (mean and 95% bootstrap interval) of every system on the same clusters,
    and the precision/recall of newsweave's citations."""
    from newsweave.summarize import REQUIRES

    wanted = [s.strip() for s in systems.split(",") if s.strip()]
    _require("summaries", ("rouge_score", *(m for name in wanted for m in REQUIRES.get(name, ()))))
    from newsweave.errors import DatasetError
    from newsweave.eval.rouge import METRICS
    from newsweave.eval.summaries import evaluate_summaries
    from newsweave.summarize import NAMES

    names = tuple(s.strip() for s in systems.split(",") if s.strip())
    unknown = [s for s in names if s not in NAMES]
    if unknown or not names:
        raise _fail(f"unknown summarizer '{(unknown or [''])[0]}' (known: {', '.join(sorted(NAMES))})", 2)
    if not dataset.is_file():
        raise _fail(f"no such dataset file: {dataset}", 2)
    total = min(_count_lines(dataset), limit or 10**9)
    try:
        with _progress(quiet) as bar:
            task = bar.add_task(f"scoring {dataset.name}", total=total)
            result = evaluate_summaries(
                dataset,
                systems=names,
                words=words,
                limit=limit,
                folds=folds,
                on_cluster=lambda n: bar.update(task, completed=n),
            )
    except DatasetError as exc:
        raise _fail(str(exc)) from None
    if not result.clusters:
        raise _fail(f"no usable cluster in {dataset}")
    if save:
        save.parent.mkdir(parents=True, exist_ok=True)
        rows = [
            {"id": c.id, "articles": c.articles, "budget": c.budget, "rouge": c.scores, "words": c.words,
             "attribution": c.attribution, "newsweave_summary": c.summary}
            for c in result.clusters
        ]  # fmt: skip
        save.write_text(json.dumps({"summary": result.to_dict(), "clusters": rows}, indent=1), encoding="utf-8")
        if not quiet:
            err.print(f"wrote per-cluster results to {save}")
    if fmt is Output.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
        return
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    table = Table(title=f"{result.dataset}: {len(result.clusters)} clusters, ROUGE F1 % (mean [95% CI])")
    table.add_column("system")
    for m in METRICS:
        table.add_column(m.replace("rouge", "ROUGE-"), justify="right")
    table.add_column("avg words", justify="right")
    for s in result.systems:
        cells = []
        for m in METRICS:
            iv = result.interval(s, m)
            cells.append(f"{iv.mean:.2f} [{iv.low:.2f}, {iv.high:.2f}]")
        avg = sum(c.words[s] for c in result.clusters) / len(result.clusters)
        table.add_row(s, *cells, f"{avg:.0f}")
    out.print(table)
    if "newsweave" in result.systems:
        out.print(
            f"newsweave cross-validated by cluster ({folds} folds: each fold scored by a model trained on the others)"
            if folds
            else "newsweave with the shipped scorer, trained on the dev sets: on them only --folds K is a fair figure"
        )
        wins = [
            f"{s} {100 * result.win_rate('newsweave', s, 'rouge2'):.0f}%" for s in result.systems if s != "newsweave"
        ]
        out.print("newsweave beats on ROUGE-2 in this share of bootstrap resamples: " + ", ".join(wins))
        a = result.attribution()
        out.print(
            f"citations (independent check, own source excluded): precision {a['precision']:.3f} "
            f"over {a['cited_pairs']} cited pairs, recall {a['recall']:.3f} over {a['supported_pairs']} supported pairs"
        )
    if result.skipped:
        out.print(f"skipped {len(result.skipped)} clusters: " + "; ".join(result.skipped[:5]))


@app.command("extraction")
def extraction(
    data: Annotated[
        Path, typer.Option(help="Folder holding scrapinghub/ and trafilatura/ (the ../shared layout).")
    ] = Path("../shared/data/extraction"),
    folds: Annotated[
        int, typer.Option(min=0, help="Cross-validation folds by page (settings chosen on the others); 0: none.")
    ] = 5,
    removed: Annotated[
        bool, typer.Option("--removed", help="Per cleaning rule: removed lines the ground truth holds, before/after.")
    ] = False,
    fmt: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Main-text extraction from HTML: newsweave (shipped and cross-validated) vs trafilatura vs readability-lxml."""
    _require("extraction", ("readability",))
    from newsweave.eval.extraction_cv import evaluate

    if not any((data / name).is_dir() for name in ("scrapinghub", "trafilatura")):
        raise _fail(f"no extraction data under {data} (expected scrapinghub/ and/or trafilatura/)", 2)
    if folds == 1:
        raise _fail("--folds must be 0 (no cross-validation) or at least 2", 2)
    with err.status("extracting") if not quiet and err.is_terminal else nullcontext():
        report = evaluate(data, folds=folds, removed=removed)
    if fmt is Output.json:
        payload: dict[str, Any] = {
            name: {
                s: {
                    "precision": round(100 * sc.precision, 2),
                    "recall": round(100 * sc.recall, 2),
                    "f1": round(100 * sc.f1, 2),
                    **({"accuracy": round(100 * sc.accuracy, 2)} if sc.accuracy is not None else {}),
                }
                for s, sc in scores.items()
            }
            for name, scores in report.scores.items()
        }
        if report.chosen:
            payload["cv"] = {"folds": report.folds, "chosen": list(report.chosen), "all_dev": report.full}
        if report.notes:
            payload["notes"] = list(report.notes)
        if report.damage:
            payload["removed"] = {
                when: [
                    {
                        "rule": d.rule,
                        "set": d.set,
                        "removed": d.removed,
                        "story_lines": d.story_lines,
                        "story_tokens": d.story_tokens,
                        "noise_lines": d.noise_lines,
                    }
                    for d in rows
                ]
                for when, rows in report.damage.items()
            }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    for name, scores in report.scores.items():
        unit = "token" if name == "scrapinghub" else "snippet"
        table = Table(title=f"extraction/{name}: {unit} precision, recall, F1 (%)")
        for col in ("system", "precision", "recall", "F1"):
            table.add_column(col, justify="left" if col == "system" else "right")
        if name == "trafilatura":
            table.add_column("accuracy", justify="right")
        for s, sc in scores.items():
            f1 = f"{100 * sc.f1:.2f}"
            if sc.f1_interval:
                f1 += f" [{sc.f1_interval.low:.2f}, {sc.f1_interval.high:.2f}]"
            row = [s, f"{100 * sc.precision:.2f}", f"{100 * sc.recall:.2f}", f1]
            if name == "trafilatura":
                row.append(f"{100 * (sc.accuracy or 0):.2f}")
            table.add_row(*row)
        out.print(table)
    if report.chosen:
        out.print(f"newsweave (cv): {report.folds} folds by page; chosen on the other folds:")
        for i, c in enumerate(report.chosen, start=1):
            out.print(f"  fold {i}: {c}")
        out.print(f"  on every dev page: {report.full}")
    for note in report.notes:
        out.print(note)
    for when, rows in report.damage.items():
        table = Table(title=f"removed lines per cleaning rule, {when} (story = the ground truth holds it)")
        for col in ("rule", "set", "removed", "story lines", "story tokens", "noise lines"):
            table.add_column(col, justify="left" if col in ("rule", "set") else "right")
        for d in rows:
            table.add_row(d.rule, d.set, str(d.removed), str(d.story_lines), str(d.story_tokens), str(d.noise_lines))
        out.print(table)


@app.command("stance")
def stance(
    data: Annotated[
        Path,
        typer.Argument(help="FNC-1 folder: train_*.csv (cross-validated by body), or with competition_test_*.csv."),
    ] = Path("../shared/data/stance/fnc1"),
    bodies: Annotated[
        int | None,
        typer.Option("--bodies", "-b", min=2, help="Only N bodies: a fixed seeded subset (the gate's: 400)."),
    ] = None,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds.")] = 5,
    group: Annotated[
        str, typer.Option(help="Folds by 'body' (FNC-1's protocol) or by 'story' (no claim on both sides).")
    ] = "body",
    fmt: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Stance of a body toward a headline (FNC-1): newsweave's model vs TF-IDF and MiniLM cosine."""
    _require("stance", ("sklearn",))
    from newsweave.errors import DatasetError
    from newsweave.eval.stance import evaluate

    if not data.is_dir():
        raise _fail(f"no FNC-1 folder at {data}", 2)
    try:
        with err.status("stance") if not quiet and err.is_terminal else nullcontext() as status:
            result = evaluate(
                data, bodies=bodies, folds=folds, group=group, on_step=(status.update if status else None)
            )
    except DatasetError as exc:
        raise _fail(str(exc), 2) from None
    if fmt is Output.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    table = Table(
        title=f"FNC-1 {result['split']}: {result['pairs']:,} pairs, {result['bodies']:,} bodies, {result['protocol']}"
    )
    for col in ("system", "FNC score %", "macro-F1", "agree F1", "disagree F1", "discuss F1", "unrelated F1"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, s in result["systems"].items():
        f1 = s["f1"]
        table.add_row(name, f"{s['fnc_score']:.2f}", f"{s['macro_f1']:.3f}", *(f"{f1[k]:.3f}" for k in f1))
    out.print(table)
    out.print(f"{result['model']}; {result['seconds']:.0f} s")


@app.command("gate")
def gate(
    data: Annotated[Path, typer.Option(help="The ../shared/data folder.")] = Path("../shared/data"),
    baseline: Annotated[Path, typer.Option(help="Baseline scores file.")] = Path("evals/baseline.json"),
    update: Annotated[bool, typer.Option("--update", help="Record the measured scores as the new baseline.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Fail when a dev-set score drops below the recorded baseline (CI runs this)."""
    _require("gate", ("rouge_score", "readability"))
    from newsweave.eval.gate import compare, load_baseline, measure, write_baseline

    if not data.is_dir():
        raise _fail(f"no evaluation data at {data}", 2)
    with err.status("measuring") if not quiet and err.is_terminal else nullcontext() as status:
        measured = measure(data, on_step=(status.update if status else None))
    out = Console(highlight=False)
    out.print_json(json.dumps(measured))
    if update:
        write_baseline(baseline, measured, note="newsweave eval gate --update; commit with the reason")
        out.print(f"wrote {baseline}")
        return
    if not baseline.is_file():
        raise _fail(f"no baseline file {baseline} (record one with --update)", 2)
    failures = compare(measured, load_baseline(baseline))
    if failures:
        for f in failures:
            err.print(f"[red]below baseline:[/] {f}")
        raise typer.Exit(1)
    out.print("gate passed: no score below its baseline")


@app.command("timelines")
def timelines(
    data: Annotated[Path, typer.Option(help="Timeline17 folder (topic folders with articles and timelines).")] = Path(
        "../shared/data/timelines"
    ),
    topics: Annotated[str, typer.Option(help="Comma-separated topic folder prefixes (default: the dev topics).")] = "",
    fmt: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Date F1 and ROUGE of newsweave's timeline vs the most-mentioned-dates baseline."""
    _require("timelines", ("rouge_score",))
    from newsweave.eval.timelines import DEV_TOPICS, evaluate

    if not data.is_dir():
        raise _fail(f"no timeline data at {data}", 2)
    chosen = tuple(t for t in topics.split(",") if t) or DEV_TOPICS
    with err.status("timelines") if not quiet and err.is_terminal else nullcontext() as status:
        result = evaluate(data, topics=chosen, on_topic=(lambda t: status.update(t)) if status else None)
    if not result["timelines"]:
        raise _fail(f"no topic with articles and a reference timeline under {data}")
    if fmt is Output.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    table = Table(title=f"Timeline17 ({', '.join(chosen)}): {result['timelines']} reference timelines, F1 %")
    metrics = ["date_f1", "concat_r1", "concat_r2", "agree_r1", "agree_r2"]
    table.add_column("system")
    for m in metrics:
        table.add_column(m, justify="right")
    for s, scores in result["systems"].items():
        table.add_row(s, *(f"{scores[m]:.2f}" for m in metrics))
    out.print(table)


ALL_POOLS = "multinews,allsides,wikiref"


@app.command("clustering")
def clustering(
    data: Annotated[Path, typer.Option(help="The shared data folder (mds/ and clustering/).")] = Path("../shared/data"),
    pools: Annotated[
        str, typer.Option(help="Comma-separated: multinews, allsides, wikiref.")
    ] = "multinews,allsides,wikiref",
    grid: Annotated[str | None, typer.Option(help='Tune instead: JSON {"threshold": [0.18, 0.2], ...}.')] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Instead: every wrong join and merge, with the signal that carried it.")
    ] = False,
    minilm: Annotated[
        bool, typer.Option(help="The MiniLM lead-embedding baseline too (about 150 ms an article).")
    ] = True,
    cv: Annotated[bool, typer.Option(help="Cross-validate by story halves (eval.clustering.CV_GRID).")] = True,
    fmt: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """B-cubed and pairwise F1 of online story clustering vs TF-IDF + agglomerative (batch)."""
    _require("clustering", ("sklearn",))
    from newsweave.eval.clustering import CV_GRID, allsides_pool, evaluate, multinews_pool, tune, wikiref_pool

    readers = {
        "multinews": lambda: multinews_pool(data / "mds" / "multinews-dev.jsonl"),
        "allsides": lambda: allsides_pool(data / "mds" / "allsides-dev.jsonl"),
        "wikiref": lambda: wikiref_pool(data / "clustering" / "wikiref220"),
    }
    chosen = [p for p in pools.split(",") if p]
    unknown = [p for p in chosen if p not in readers]
    if unknown:
        raise _fail(f"unknown pool {unknown[0]!r} (known: {', '.join(readers)})", 2)
    try:
        loaded = [readers[p]() for p in chosen]
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot read the clustering data under {data}: {exc}", 2) from None
    if explain:
        _explain_clustering(loaded, fmt)
        return
    if grid:
        try:
            space = json.loads(grid)
        except json.JSONDecodeError as exc:
            raise _fail(f"--grid is not JSON: {exc.msg}", 2) from None
        ranked = tune(loaded, space)
        sys.stdout.write(json.dumps([{"params": p, "mean_bcubed_f1": f} for p, f in ranked], indent=2) + "\n")
        return
    with err.status("clustering") if not quiet and err.is_terminal else nullcontext() as status:
        result = evaluate(
            loaded,
            embeddings=minilm,
            grid=CV_GRID if cv else None,
            on_pool=(lambda name: status.update(name)) if status else None,
        )
    if fmt is Output.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    for name, r in result["pools"].items():
        table = Table(title=f"{name}: {r['articles']} articles, {r['gold_clusters']} gold clusters (%)")
        table.add_column("system")
        for col in ("B3 P", "B3 R", "B3 F1", "pairwise F1", "clusters"):
            table.add_column(col, justify="right")
        for system, sc in r["systems"].items():
            table.add_row(
                system,
                *(f"{100 * sc[k]:.2f}" for k in ("bcubed_p", "bcubed_r", "bcubed_f1", "pairwise_f1")),
                str(int(sc["clusters"])),
            )
        out.print(table)
        out.print(
            f"  features {r['seconds']['features']:.1f} s, clustering {r['seconds']['clustering']:.2f} s "
            f"({r['articles_per_second_clustering']:.0f} articles/s); largest story {r['largest_story']} "
            f"(largest true story {r['largest_gold_story']})"
        )
    if "cross_validated" in result:
        cvr = result["cross_validated"]
        for name, systems in cvr["pools"].items():
            table = Table(
                title=f"{name}, cross-validated: mean of the two story halves, each scored by the other's tuning (%)"
            )
            table.add_column("system")
            for col in ("B3 P", "B3 R", "B3 F1", "pairwise F1"):
                table.add_column(col, justify="right")
            for system, sc in systems.items():
                table.add_row(
                    system, *(f"{100 * sc[k]:.2f}" for k in ("bcubed_p", "bcubed_r", "bcubed_f1", "pairwise_f1"))
                )
            out.print(table)
        for fold in cvr["folds"]:
            out.print(f"  tuned on {fold['tuned_on']}: " + ", ".join(f"{k} {v}" for k, v in fold["params"].items()))


def _explain_clustering(pools: list[Any], fmt: Output) -> None:
    """`eval clustering --explain`: the wrong joins of each pool, counted by signal, the worst listed."""
    from newsweave.eval.clustering import explain
    from newsweave.stories.cluster import ClusterParams
    from newsweave.stories.features import extract

    found = [explain(p, extract(p.articles), ClusterParams()) for p in pools]
    if fmt is Output.json:
        sys.stdout.write(json.dumps(found, indent=2) + "\n")
        return
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    for r in found:
        out.print(
            f"{r['pool']}: {len(r['wrong_joins'])} wrong joins ("
            + ", ".join(f"{k} {v}" for k, v in r["by_signal"].items())
            + f"), {len(r['wrong_merges'])} wrong merges of {r['merges']}, {r['splits']} splits; "
            f"largest story {r['largest_story']} (largest true story {r['largest_gold_story']}); "
            f"B3 P {100 * r['scores']['bcubed_p']:.2f}, F1 {100 * r['scores']['bcubed_f1']:.2f}"
        )
        table = Table(title=f"{r['pool']}: wrong joins, strongest first")
        for col in (
            "article",
            "joined (its size)",
            "signal",
            "score",
            "words",
            "entities",
            "best member",
            "shared terms",
        ):
            table.add_column(col, justify="left" if col in ("article", "signal", "shared terms") else "right")
        for j in sorted(r["wrong_joins"], key=lambda j: -j["score"])[:15]:
            table.add_row(
                escape(str(j["article"])),
                f"{escape(str(j['story_gold']))} ({j['story_size']})",
                j["signal"],
                f"{j['score']:.3f}",
                f"{j['text']:.3f}",
                f"{j['entities']:.3f}",
                f"{j['best_member']:.3f}",
                escape(", ".join(j["shared"])),
            )
        out.print(table)


@app.command("analysis")
def analysis(
    expected: Annotated[
        list[Path], typer.Argument(help="Expected-values files (evals/expected/*.json); default: all of them.")
    ] = [],  # noqa: B006  (typer reads the default; it is never mutated)
    fmt: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
) -> None:
    """Quotes (speaker precision/recall), claim labels, stance and timeline vs expected values."""
    from newsweave import brief
    from newsweave.eval.analysis import load_expected, score
    from newsweave.ingest import load_meta

    files = expected or sorted(Path("evals/expected").glob("*.json"))
    if not files:
        raise _fail("no expected-values files given or found in evals/expected", 2)
    results: dict[str, Any] = {}
    for f in files:
        if not f.is_file():
            raise _fail(f"no such file: {f}", 2)
        exp = load_expected(f)
        base = f.resolve().parents[2]  # paths in the file are relative to the repository root
        paths = [base / p for p in exp["paths"]]
        if not all(p.exists() for p in paths):
            absent = ", ".join(str(p) for p in paths if not p.exists())
            err.print(f"[yellow]skipped {escape(f.name)}: {escape(absent)} absent[/]")
            continue
        meta = load_meta(base / exp["meta"]) if exp.get("meta") else None
        results[f.stem] = score(brief(paths, meta=meta), exp)
    if fmt is Output.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
        return
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    table = Table(title="cross-source analysis vs expected values")
    cols = ("cluster", "quote recall", "speaker P", "speaker R", "claim labels", "stance", "timeline recall", "event")
    for col in cols:
        table.add_column(col, justify="left" if col == "cluster" else "right")
    for name, r in results.items():
        table.add_row(
            name,
            f"{r['quotes']['recall']:.2f}",
            f"{r['quotes']['speaker_precision']:.2f}",
            f"{r['quotes']['speaker_recall']:.2f}",
            f"{r['claims']['accuracy']:.2f}",
            f"{r['stance']['accuracy']:.2f}",
            f"{r['timeline']['recall']:.2f}",
            f"{r['event']['accuracy']:.2f}",
        )
    out.print(table)
    for name, r in results.items():
        for miss in r["claims"]["misses"]:
            out.print(f"{name}: claim label miss: {miss}")
        if r["timeline"]["missing"]:
            out.print(f"{name}: timeline misses {', '.join(r['timeline']['missing'])}")


@app.command("alignment")
def alignment(
    anchors: Annotated[
        list[Path], typer.Argument(help="Anchor files (evals/alignment/*.json); default: all of them.")
    ] = [],  # noqa: B006  (typer reads the default; it is never mutated)
    data: Annotated[Path, typer.Option("--data", help="The shared data folder the anchors annotate.")] = Path(
        "../shared/data"
    ),
    fmt: Annotated[Output, typer.Option("--format", "-f")] = Output.table,
    errors: Annotated[bool, typer.Option("--errors", help="List every wrong decision, per cluster.")] = False,
    events: Annotated[
        Path,
        typer.Option("--events", help="A folder of clusters annotated for their event only, scored held out."),
    ] = Path("evals/events"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Support, contradiction, labels, expectation links, timeline, quotes and event vs annotated anchors."""
    _require("alignment", ("sklearn",))
    from newsweave.errors import DatasetError
    from newsweave.eval.alignment import evaluate, evaluate_events

    files = anchors or sorted(Path("evals/alignment").glob("*.json"))
    if not files:
        raise _fail("no anchor files given or found in evals/alignment", 2)
    for f in files:
        if not f.is_file():
            raise _fail(f"no such file: {f}", 2)
    bar = _progress(quiet)
    with bar:
        task = bar.add_task("clusters", total=len(files))
        event_files = sorted(events.glob("*.json")) if events.is_dir() else []
        bar.update(task, total=len(files) + len(event_files))
        try:
            result = evaluate(files, data, on_cluster=lambda _n: bar.advance(task))
            if event_files:
                result["events_held_out"] = evaluate_events(event_files, data, on_cluster=lambda _n: bar.advance(task))
        except DatasetError as exc:
            raise _fail(str(exc), 2) from None
    if fmt is Output.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    nw = result["systems"]["newsweave"]
    table = Table(title=f"support pairs: {result['anchors']} anchors in {result['clusters']} clusters")
    for col in ("system", "precision", "recall", "F1", "threshold"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, r in result["systems"].items():
        s = r["support"]
        if name == "newsweave":
            cv = result.get("support_cross_validated")
            name = "newsweave (cross-validated by cluster)" if cv else "newsweave (in-sample: one cluster)"
        else:
            name = f"{name} (oracle threshold)"
        table.add_row(
            name, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s.get("threshold", ""))
        )
    out.print(table)
    rest = Table(title="newsweave: the rest of the evidence model")
    rest.add_column("measure")
    rest.add_column("value", justify="right")
    c = nw["contradiction"]
    rest.add_row(
        "contradiction precision / recall", f"{c['precision']:.3f} / {c['recall']:.3f} ({c['tp'] + c['fn']} pairs)"
    )
    rest.add_row("label accuracy", f"{nw['label_accuracy']:.3f}")
    rest.add_row("expectation links right", f"{nw['expectation_links']:.3f} ({nw['expectations']})")
    rest.add_row("timeline date recall", f"{nw['timeline_date_recall']:.3f} ({nw['timeline_anchors']})")
    rest.add_row("quote recall", f"{nw['quote_recall']:.3f} ({nw['quotes']})")
    rest.add_row("speaker accuracy", f"{nw['speaker_accuracy']:.3f}")
    rest.add_row("event who / where right", f"{nw['event_who']:.3f} / {nw['event_where']:.3f}")
    held = result.get("events_held_out")
    if held:
        rest.add_row(
            f"event who / where right, held out ({held['clusters']} clusters)",
            f"{held['event_who']:.3f} / {held['event_where']:.3f}",
        )
    out.print(rest)
    if errors:
        per_cluster = {**result["per_cluster"], **(held["per_cluster"] if held else {})}
        for name, r in per_cluster.items():
            for e in r["errors"]:
                out.print(f"{escape(name)}: {escape(e)}")
