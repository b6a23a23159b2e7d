"""Errors raised by readers; the CLI turns them into one-line messages."""


class IngestError(Exception):
    """An input that cannot be read as an article; the message names the reason."""
