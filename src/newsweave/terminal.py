"""The one way every command speaks on stderr: `error:` and `warning:` lines, escaped.

Shared by `newsweave` and `newsweave eval` so that a message looks the same whichever
command gives it, and a path or hint with [brackets] is never read as Rich markup.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

err = Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """One `error:` line on stderr; the message is escaped (paths and hints hold [brackets])."""
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """The error line, and the exit to raise: `raise fail("...", 2) from None`."""
    error(message)
    return typer.Exit(code)


def warn(message: str, quiet: bool) -> None:
    """One `warning:` line on stderr, unless quiet."""
    if not quiet:
        err.print(f"[yellow]warning:[/] {escape(message)}", markup=True, highlight=False)
