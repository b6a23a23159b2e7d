"""What keeps a sentence out of a summary however well it scores: it would not read as part of
one account.

Each test is a pattern over one sentence's text, so every summarizer of ours and the count
script (`benchmarks/check_summaries.py`) judge by the same rule. Hand-written: these are
editorial rules of our own account (who is speaking, what a caption is), not a model.
"""

from __future__ import annotations

import re

from newsweave.lexicon import DANGLING_OPENERS, PRONOUN_SPEAKER_VERBS, SPEAKER_TITLES, alternation

_DANGLING = re.compile(rf"^(?:[\"“'‘]?\s*)(?:{alternation(DANGLING_OPENERS)})\b", re.I)
_PRONOUN_SPEAKER = re.compile(rf"[\"”’]\s*,?\s*(?:he|she|they)\s+(?:{alternation(PRONOUN_SPEAKER_VERBS)})\b", re.I)
# "The minister said ...", "The company added ...": a person or body named by its function,
# which reads only after the name. Offices from lexicon.SPEAKER_TITLES and the bodies seen so
# opening real Multi-News dev sentences ("The company", "The agency", "The suspect").
_BODIES = ("company", "agency", "suspect", "victim", "man", "woman", "couple", "group", "firm", "officials")
_TITLE_SUBJECT = re.compile(
    rf"^(?:[\"“'‘]?\s*)the\s+(?:[\w-]+\s+){{0,2}}(?:{alternation((*SPEAKER_TITLES, *_BODIES))})\b(?!['’]s)",
    re.I,
)
# Page furniture that survives cleaning: photo captions and credits ("(AP Photo/Evan Vucci)",
# "Photo: Reuters"), video-player and browser text ("To play this content JavaScript must be
# turned on"), and newsletter prompts; each seen in real Multi-News dev clusters.
_FURNITURE = re.compile(
    r"\b(?:AP|AFP|Reuters|Getty|EPA|File)\s+(?:Photo|Images?)\b|\bPhoto(?:graph)?\s*(?::|by|credit)|"
    r"\bImage\s*(?::|credit)|javascript|\byour browser\b|\bclick here\b|\bsign up\b|\bsubscribe\b|"
    r"\bplay(?:ing)? this (?:video|content)\b|\bcaption\b|\bslideshow\b|\(photo\b",
    re.I,
)
# A caption of a person: "Jane Roe, 32, of Springfield" (a name, an age, a place).
_PERSON_CAPTION = re.compile(r"^[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)*,\s+\d{1,3},\s+(?:of|from)\s+[A-Z]")
# First person outside quotation marks: a sentence lifted from inside a quotation ("We
# notified the agency immediately") whose speaker is in the sentence before.
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|us|our|Our|my|My|I'm|we're|We're|we've|We've)\b")
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
# Related-story links and editors' inserts set in brackets on a line of their own ("[Q&A: The
# 'Pluto Killer' who ...]", "[Read more: ...]"), and captions that show a picture ("Police
# released this video still from the robbery", "This undated photo shows ..."): seen in real
# Multi-News dev summaries.
_BRACKETED = re.compile(r"^\s*\[[^\]]*\]\s*\.?\s*$")
_SHOWN = re.compile(
    r"\b(?:this|these)\s+(?:[\w-]+\s+){0,2}(?:photos?|photographs?|images?|pictures?|handout)\b|"
    r"\b(?:video|still) (?:still|image)\b",
    re.I,
)
# Mojibake: the replacement character, or its UTF-8 bytes read as Latin-1 ("ï¿½"), which a
# real Multi-News dev page repeats over a whole line. The words around it cannot be trusted.
_GARBLED = re.compile("\ufffd|ï¿½")


def dangling(text: str) -> bool:
    """A pronoun, connective or title subject that needs an earlier sentence to be understood."""
    return bool(_DANGLING.match(text) or _PRONOUN_SPEAKER.search(text) or _TITLE_SUBJECT.match(text))


def furniture(text: str) -> bool:
    """Caption, credit, player or newsletter text: not part of the story."""
    return bool(
        _FURNITURE.search(text)
        or _PERSON_CAPTION.match(text)
        or _BRACKETED.match(text)
        or _SHOWN.search(text)
        or _GARBLED.search(text)
    )


def question(text: str) -> bool:
    """A question asks and states nothing ("What happened to Flight 370, and where is it
    now?"): a summary made of what the sources state has no place for it."""
    return text.rstrip().rstrip("\"”’')]").endswith("?")


def quote_fragment(text: str) -> bool:
    """Part of a quotation without its speaker: unbalanced quotation marks, or first person
    outside quotation marks."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "“" or (ch == '"' and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([")):
            depth += 1
        elif ch in '"”':
            depth -= 1
            if depth < 0:
                return True  # closes a quotation opened before the sentence
    if depth:
        return True  # opens a quotation that goes on after it
    core = text.strip().rstrip(".")
    if core and core[:1] in '"“' and core[-1:] in '"”' and not _QUOTED.sub("", core).strip():
        return True  # the whole sentence is one quotation: its speaker is elsewhere
    outside = _QUOTED.sub(" ", text)
    return bool(_FIRST_PERSON.search(outside))


def readable(text: str) -> bool:
    """Whether the sentence can stand in a summary by itself."""
    return not (dangling(text) or furniture(text) or quote_fragment(text) or question(text))
