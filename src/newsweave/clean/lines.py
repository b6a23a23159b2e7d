"""Line-level cues shared by ingest (headers) and clean (boilerplate).

Hand-written because these cues are news-page specific: trafilatura removes page
chrome from HTML, but plain-text dumps and pasted articles keep taglines, credits,
player residue and headline lists that no library recognises as such.
"""

from __future__ import annotations

import re
from datetime import date

from newsweave.nlp.dates import MONTHS

SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*$""")
WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:[\s,|–-]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?)?"
DATE_LINE_PATTERNS = (
    re.compile(
        r"^(?:published|updated|posted)?:?\s*"
        + _WEEKDAY
        + _MONTH
        + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
        + _TIME
        + r"$",
        re.I,
    ),
    re.compile(
        r"^(?:published|updated|posted)?:?\s*"
        + _WEEKDAY
        + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
        + _MONTH
        + r",?\s+(?P<year>\d{4})"
        + _TIME
        + r"$",
        re.I,
    ),
    re.compile(
        r"^(?:published|updated|posted)?:?\s*(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ][\d:.+Z-]*)?$", re.I
    ),
)

# "(The Post News)- On Friday ..." or "MOSCOW (Reuters) - ..." at the start of a story.
DATELINE = re.compile(r"^(?:[A-Z][A-Z .,'-]{1,40}\s*)?\((?P<outlet>[^()\n]{2,40})\)\s*[-–—:]+\s*")

CREDIT = re.compile(
    r"(?:^|\s|\()(?:image|photo|photograph|picture|credit|source|illustration)s?\s*(?:credit)?\s*:\s*\S"
    r"|\((?:photo|image)\s+by\b|\bgetty images\b|\bap photo\b|\bshutterstock\b|\b/\s*(?:afp|reuters|ap)\b",
    re.I,
)
CHROME = re.compile(
    r"^(?:newsletters?|subscribe(?: now| today)?|sign up(?: now)?|sign in|log ?in|register|share(?: this)?(?: article| story)?"
    r"|share on \w+|tweet|email|print|close|menu|search|home|advertisement|advert|sponsored(?: content)?|skip to (?:main )?content"
    r"|read more|see more|show more|load more|more stories|continue reading|click here.*|follow us.*|comments?"
    r"|related(?: articles| stories| news| content| coverage| posts)?|more from .{1,30}|recommended(?: for you)?|you may also like|most (?:read|popular)"
    r"|trending(?: now)?|top stories|latest news|editor'?s picks|watch(?: now)?|listen(?: now)?|play|pause|mute|unmute|fullscreen"
    r"|now playing|up next|copy link|link copied|facebook|twitter|x|linkedin|whatsapp|reddit|telegram|cookies?(?: settings| policy)?"
    r"|accept(?: all)?(?: cookies)?|privacy policy|terms of (?:use|service)|all rights reserved.*|©.*|copyright.*|back to top"
    r"|get the latest .{1,60}|sign up for .{1,60}|subscribe to .{1,60}|enter your email.*|your email address|thank you for subscribing.*)[.:!]?$",
    re.I,
)
LIST_MARKER = re.compile(r"^\s*(?:[-–—•*·▪►»]|\d{1,2}[.)])\s+")
RELATED_MARKER = re.compile(
    r"^(?:related(?: articles| stories| news| content| coverage| posts| reading)?|read more|more from .{1,30}|recommended(?: for you)?"
    r"|you may also like|most (?:read|popular)|trending(?: now)?|top stories|latest news|more stories|see also|also read|read also)\s*:?$",
    re.I,
)
PLAYER = re.compile(
    r"^(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)?|loaded:?\s*\d+(?:\.\d+)?%|progress:?\s*\d+%|[-+]?\d+x)$",
    re.I,
)
BYLINE = re.compile(
    r"^(?i:by|written by|reporting by|words by)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4}(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4})*$"
)
# Teasers for other media and wire sign-offs: "Watch: ...", "Reporting by X; Editing by Y".
TEASER = re.compile(
    r"^(?:watch|listen|video|podcast|gallery|photos|read|see|also read|read more|live)\s*:\s*\S.{0,120}$", re.I
)
SIGN_OFF = re.compile(
    r"^(?:\(?(?:additional )?(?:reporting|writing|editing|compiled|fact-checking) by\b.{0,150})$", re.I
)
READ_TIME = re.compile(r"^\d+\s*(?:min(?:ute)?s?|sec(?:ond)?s?)\s+read$", re.I)
NO_LETTERS = re.compile(r"^[\W\d_]*$", re.UNICODE)  # no letter of any script (Cyrillic text is text)

# Lower-case words that may stay lower-case in a Title Case headline.
_TITLE_SMALL = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "over",
        "per",
        "the",
        "to",
        "up",
        "via",
        "vs",
        "with",
        "amid",
        "after",
        "before",
        "than",
        "that",
        "over",
        "under",
    ]
)


def words(line: str) -> list[str]:
    return WORD.findall(line)


def has_sentence_end(line: str) -> bool:
    return bool(SENTENCE_END.search(line.strip()))


def parse_date_line(line: str) -> str | None:
    """ISO date if the whole line is a date ("Saturday, Jan 18, 2025"), else None."""
    text = line.strip()
    if len(text) > 60:
        return None
    for pattern in DATE_LINE_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        month_raw = m.group("month").lower().rstrip(".")
        month = int(month_raw) if month_raw.isdigit() else MONTHS.get(month_raw)
        if month is None:
            return None
        try:
            return date(int(m.group("year")), month, int(m.group("day"))).isoformat()
        except ValueError:
            return None
    return None


def is_title_case(line: str) -> bool:
    """Headline casing: nearly every long word capitalised ("Russia and Iran Forge ...")."""
    ws = [w for w in words(line) if len(w) > 1]
    if len(ws) < 3:
        return False
    significant = [w for w in ws if w.lower() not in _TITLE_SMALL]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper() or w[0].isdigit())
    return capitalised / len(significant) >= 0.8


def is_headline_like(line: str, max_words: int = 30) -> bool:
    """A short line without sentence punctuation: a headline, dek or list item."""
    stripped = line.strip()
    n = len(words(stripped))
    return 0 < n <= max_words and not has_sentence_end(stripped)


def is_credit(line: str) -> bool:
    return bool(CREDIT.search(line))


def is_chrome(line: str) -> bool:
    """Page furniture: buttons, prompts, player residue, bylines, lone symbols."""
    s = line.strip()
    if not s:
        return False
    return bool(
        CHROME.match(s)
        or PLAYER.match(s)
        or NO_LETTERS.match(s)
        or BYLINE.match(s)
        or READ_TIME.match(s)
        or SIGN_OFF.match(s)
        or (TEASER.match(s) and not has_sentence_end(s))
    )
