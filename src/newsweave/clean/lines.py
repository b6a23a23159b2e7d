"""Line-level cues shared by ingest (headers) and clean (boilerplate).

Hand-written because these cues are news-page specific: trafilatura removes page
chrome from HTML, but plain-text dumps and pasted articles keep taglines, credits,
player residue and headline lists that no library recognises as such.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsweave.lexicon import CREDIT_WORDS, TITLE_CASE_SMALL_WORDS, alternation

WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)

# "(The Post News)- On Friday ..." or "MOSCOW (Reuters) - ..." at the start of a story.
DATELINE = re.compile(r"^(?:[A-Z][A-Z .,'-]{1,40}\s*)?\((?P<outlet>[^()\n]{2,40})\)\s*[-–—:]+\s*")

CREDIT = re.compile(
    rf"(?:^|\s|\()(?:{alternation((*CREDIT_WORDS, 'source'))})s?\s*(?:credit)?\s*:\s*\S"
    r"|\((?:photo|image)\s+by\b|\bgetty images\b|\bap photo\b|\bshutterstock\b|\b/\s*(?:afp|reuters|ap)\b",
    re.I,
)
# Headings over a list of links to other stories: page chrome alone, a "Related" marker
# before such a list.
_LINK_LIST_HEADINGS = (
    r"read more|more stories|more from .{1,30}|recommended(?: for you)?|you may also like|most (?:read|popular)"
    r"|trending(?: now)?|top stories|latest news"
)
CHROME = re.compile(
    r"^(?:newsletters?|subscribe(?: now| today)?|sign up(?: now)?|sign in|log ?in|register|share(?: this)?(?: article| story)?"
    r"|share on \w+|tweet|email|print|close|menu|search|home|advertisement|advert|sponsored(?: content)?|skip to (?:main )?content"
    r"|see more|show more|load more|continue reading|click here.*|follow us.*|comments?"
    r"|related(?: articles| stories| news| content| coverage| posts)?|" + _LINK_LIST_HEADINGS + r"|editor'?s picks"
    r"|watch(?: now)?|listen(?: now)?|play|pause|mute|unmute|fullscreen"
    r"|now playing|up next|copy link|link copied|facebook|twitter|x|linkedin|whatsapp|reddit|telegram|cookies?(?: settings| policy)?"
    r"|accept(?: all)?(?: cookies)?|privacy policy|terms of (?:use|service)|all rights reserved.*|©.*|copyright.*|back to top"
    r"|get the latest .{1,60}|sign up for .{1,60}|subscribe to .{1,60}|enter your email.*|your email address|thank you for subscribing.*)[.:!]?$",
    re.I,
)
LIST_MARKER = re.compile(r"^\s*(?:[-–—•*·▪►»]|\d{1,2}[.)])\s+")
RELATED_MARKER = re.compile(
    r"^(?:related(?: articles| stories| news| content| coverage| posts| reading)?|"
    + _LINK_LIST_HEADINGS
    + r"|see also|also read|read also)\s*:?$",
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


def words(line: str) -> list[str]:
    return list(_words(line))


@lru_cache(maxsize=8192)
def _words(line: str) -> tuple[str, ...]:
    """Cached: the rules ask for one line's words several times (headline, list, vocabulary)."""
    return tuple(WORD.findall(line))


_CLOSERS = "\"'”’)]"


def has_sentence_end(line: str) -> bool:
    """Sentence punctuation (. ! ? …) at the end, before any closing quotes or brackets; read
    from the line's end: a regex search tried every position of a long paragraph first."""
    t = line.strip().rstrip(_CLOSERS)
    return bool(t) and t[-1] in ".!?…"


def is_title_case(line: str) -> bool:
    """Headline casing: nearly every long word capitalised ("Russia and Iran Forge ...")."""
    ws = [w for w in words(line) if len(w) > 1]
    if len(ws) < 3:
        return False
    significant = [w for w in ws if w.lower() not in TITLE_CASE_SMALL_WORDS]
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
    # Every branch of CREDIT needs one of these; most story lines have none, and the search
    # (which tries every position of a paragraph) was the cleaner's costliest call.
    if not (":" in line or "(" in line or "/" in line):
        low = line.lower()
        if not any(w in low for w in _CREDIT_LITERALS):
            return False
    return bool(CREDIT.search(line))


_CREDIT_LITERALS = ("getty images", "ap photo", "shutterstock")


# A photo's caption line as the BBC writes it ("Image copyright PA Image caption Bob Dudley took
# over ...", "Media caption ..."; 19 lines of the mds dev sets): never the story's words.
CAPTION_LINE = re.compile(r"^(?:(?:image|media) (?:copyright|source)\b.{0,60}?\s)?(?:image|media) caption\b", re.I)
# A sign-up form flattened into one line ("Get daily updates directly to your inbox +
# Subscribe Thank you for subscribing! Could not subscribe, try again later Invalid Email",
# multinews-dev fe6c148424a7, whose "Invalid Email" became an actor of the event): three or
# more distinct prompts, one of them the form's feedback (a story may say "subscribe to the
# newsletter and sign up", never "Invalid Email"), in a line of at most MAX_FORM_WORDS words.
FORM_PROMPTS = re.compile(
    r"\b(?:subscrib(?:e|ed|ing)|unsubscribe|newsletters?|inbox|email address|sign(?:ed)? up)\b", re.I
)
FORM_FEEDBACK = re.compile(
    r"\b(?:invalid email|could not subscribe|try again later|thanks? (?:you )?for subscribing|check your inbox)\b",
    re.I,
)
MIN_FORM_PROMPTS = 3
MAX_FORM_WORDS = 40


def is_form(line: str) -> bool:
    low = line.lower()
    if "subscri" not in low and "inbox" not in low and "email" not in low:
        return False  # most lines: no search
    feedback = {m.group(0).lower() for m in FORM_FEEDBACK.finditer(line)}
    if not feedback or len(words(line)) > MAX_FORM_WORDS:
        return False
    return len(feedback) + len({m.group(0).lower() for m in FORM_PROMPTS.finditer(line)}) >= MIN_FORM_PROMPTS


def is_chrome(line: str) -> bool:
    """Page furniture: buttons, prompts, player residue, bylines, lone symbols."""
    s = line.strip()
    if not s:
        return False
    return bool(
        CHROME.match(s)
        or CAPTION_LINE.match(s)
        or is_form(s)
        or PLAYER.match(s)
        or NO_LETTERS.match(s)
        or BYLINE.match(s)
        or READ_TIME.match(s)
        or SIGN_OFF.match(s)
        or (TEASER.match(s) and not has_sentence_end(s))
    )
