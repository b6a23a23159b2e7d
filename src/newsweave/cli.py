"""Command line: a thin layer over the library; every user error is one line and a non-zero exit."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsweave import __version__
from newsweave.brief import DEFAULT_WORDS
from newsweave.ingest import IngestError
from newsweave.model import Skipped

app = typer.Typer(
    help="newsweave: many news reports of one story in, one account a reader can trust out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsweave {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """newsweave command line."""


@app.command("brief")
def brief_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files and folders (.txt, .md, .html, .jsonl); folders are read recursively.", show_default=False
        ),
    ],
    words: Annotated[int, typer.Option("--words", "-w", min=1, help="Word budget of the summary.")] = DEFAULT_WORDS,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    summarizer: Annotated[
        str, typer.Option("--summarizer", "-s", help="newsweave, lead, lexrank, textrank or random.")
    ] = "newsweave",
    meta: Annotated[
        Path | None,
        typer.Option(
            "--meta",
            help="CSV (id + outlet,title,published,url,author) or JSON {id: {...}}: metadata per article.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no warnings on stderr.")] = False,
) -> None:
    """Summarize many reports of one story into one brief that cites its sources."""
    from newsweave import brief as run_brief
    from newsweave import ingest
    from newsweave.render import render
    from newsweave.summarize import REGISTRY

    if summarizer not in REGISTRY:
        raise _fail(f"unknown summarizer '{summarizer}' (known: {', '.join(sorted(REGISTRY))})", 2)

    def warn(s: Skipped) -> None:
        if not quiet:
            err.print(f"[yellow]warning:[/] skipped {s.path}: {s.reason}", markup=True, highlight=False)

    try:
        overrides = ingest.load_meta(meta) if meta else None
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise _fail(f"no such file or folder: {missing[0]}", 2)
        if quiet or not err.is_terminal:
            result = run_brief(paths, words=words, summarizer=summarizer, meta=overrides, on_skip=warn)
        else:
            with err.status("reading") as status:
                result = run_brief(
                    paths, words=words, summarizer=summarizer, meta=overrides, on_skip=warn, progress=status.update
                )
    except IngestError as exc:
        raise _fail(str(exc)) from None
    except MemoryError:
        raise _fail("out of memory: the input is too large for one brief") from None
    text = render(result, fmt.value)
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None
        if not quiet:
            err.print(f"wrote {output}", highlight=False)
    else:
        sys.stdout.write(text)


def _register_eval() -> None:
    from newsweave.eval.cli import app as eval_app

    app.add_typer(eval_app, name="eval")


_register_eval()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
