"""Direct quotes and who said them, merged across sources.

Hand-written: attribution in news follows a handful of patterns that a rule over our own
sentences and canonical entities resolves more reliably than spaCy's small parser, and
explainably. Per report:

1. spans     the text inside each pair of matching quotation marks of a paragraph (straight
             or curly, read by the context of each mark, single quotes inside double ones
             kept), a quote left open at a paragraph's end continued by the next paragraph's
             opening mark; never the writer's text between two quotes
2. own cues  the writer's words right after the quote ('"...," said X', '"..." X, a
             spokeswoman for ORG, said in a statement', '"..." he added', '..., according
             to X') or before it in its sentence ('X said: "..."', 'X called it a "..."',
             'In a statement, ORG said "..."'); the speaker of "he/she" is the one the report
             last spoke of, of "the minister" the one person it names with that role
3. context   a quote without a cue continues the quote before it ('"A," she said. "B."'),
             the same quote's paragraph before, or takes the speaker of the sentence before
             ("X said the case was clear.") or of a bare "X said." after it
4. filter    scare quotes and titles ("Face the Nation", "weaker") are not quotes
5. merge     one quote per distinct text across sources, its speaker by vote

A speaker is always a canonical entity, and a quote without one named stays unattributed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from newsweave.lexicon import (
    ABBREVIATIONS,
    AFTER_SPEAKER_WORDS,
    ATTRIBUTING_VERBS,
    DANGLING_OPENERS,
    HONORIFICS,
    LISTENER_VERBS,
    NAMING_VERBS,
    ORG_NAME_WORDS,
    PERSON_NOUNS,
    PLACE_FIRST_WORDS,
    QUOTE_PARTICIPLES,
    QUOTE_VERBS,
    ROLE_NOUNS,
    SENTENCE_OPENERS,
    SPOKES_NOUNS,
    TITLE_CASE_SMALL_WORDS,
    TITLE_WORDS,
    alternation,
)
from newsweave.model import AnalyzedArticle, Entity, EntityType, Quote, QuoteOccurrence, Resolved
from newsweave.nlp.entities import fold, lower_words

# Quotes of at most this many words are scare quotes ("weaker", "camping supplies") unless
# they stand alone with their own attribution ('"It was terrifying," she said').
MAX_SCARE_WORDS = 3
# Quoted title case of at most this many words is a title ("Face the Nation", "Fox & Friends").
MAX_TITLE_WORDS = 8
# '... called the claims "false and damaging"': a short quote this close (in words) after a
# verb that characterises is someone's words, not a scare quote (the example, the seeds).
MAX_CALLED_GAP = 5
# Words that may stand before a name opening a sentence ("Search and rescue agency chief").
MAX_TITLE_TOKENS = 6
# A personal name the small model typed ORG or a place has at most this many words.
MAX_NAME_WORDS = 3
# Two quotes are the same when their normalised texts match this closely (rapidfuzz ratio),
# or one contains the other; outlets trim quotes differently.
SAME_QUOTE_RATIO = 90
# How far the writer's words after a quote are read for its attribution, in characters:
# the longest appositive in the Multi-News dev reports read ("Tobias Riede, Midwestern
# University physiology expert and lead author of the paper, said") is 90.
MAX_ATTRIBUTION_CHARS = 200
# The events (whom a sentence speaks of) a pronoun looks back through for the one it names,
# and a surname shared by several people for the one it is.
MAX_EVENTS_BACK = 12
MAX_SURNAME_EVENTS_BACK = 200
# The names a pronoun looks back through when the report spoke of no one since.
MAX_NAMES_BACK = 50

_MARK = re.compile(r"[\"“”]")
_OPEN_BEFORE = frozenset("([{—–-/")  # besides white space: what may stand before an opening mark
_CLOSE_AFTER = frozenset(".,;:!?)]}—–-/…")  # besides white space: what may follow a closing mark


def _words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Whole words of `words`, any case, as a regex grouped by their first two letters: the
    engine tries a few alternatives at each word, not all 200 (5x faster on the Multi-News
    dev reports, where this runs over every sentence of a report with quotes)."""
    groups: dict[str, list[str]] = {}
    for w in set(words):
        groups.setdefault(w[:2].lower(), []).append(w[2:])
    branches = "|".join(f"{re.escape(k)}(?:{alternation(v)})" for k, v in sorted(groups.items()))
    return re.compile(rf"\b(?:{branches})\b", re.I)


_VERB_AFTER = _words_pattern(QUOTE_VERBS)
_VERB_BEFORE = _words_pattern((*QUOTE_VERBS, *ATTRIBUTING_VERBS, *QUOTE_PARTICIPLES))
_VERB_EVENT = _words_pattern((*QUOTE_VERBS, *NAMING_VERBS))
_ROLES = frozenset(ROLE_NOUNS)
_NOT_TITLES = SENTENCE_OPENERS | {w for w in DANGLING_OPENERS if " " not in w}
_NO_INVERSION = frozenset(LISTENER_VERBS)
_ASKING = frozenset(v for v in LISTENER_VERBS if v.startswith("ask"))
_SPEECH, _ATTRIB = _VERB_AFTER, _VERB_BEFORE  # the names the lexicon's tests read
# the two commonest attributions after a quote, read without parsing the phrase
_PRONOUN_SPEECH = re.compile(rf"^\W*(?:he|she)\s+(?:\w+ly\s+)?(?:{alternation(QUOTE_VERBS)})\b", re.I)
_TITLE_SPEECH = re.compile(
    rf"^\W*the\s+(?:[a-z-]+\s+){{0,3}}?({alternation(ROLE_NOUNS)})\s+(?:{alternation(QUOTE_VERBS)})\b", re.I
)
# "a BP spokesman", "the Kremlin's spokesperson", "a spokeswoman for the agency": the
# organisation speaks (group 1: the words before the noun).
_SPOKES_PHRASE = re.compile(
    rf"(?:a|an|the)\s+((?:[\w’'.&-]+\s+){{0,4}}?)(?:{alternation(SPOKES_NOUNS)})"
    rf"(?:\s+(?:for|of|at)\s+.+)?",
    re.I,
)
_SPOKES_WORD = re.compile(rf"\b(?:{alternation(SPOKES_NOUNS)})\b", re.I)
# '"... stop” the virus, said X': the writer ends the quoted clause, then attributes it.
_COMPLETED = re.compile(r"\s+(?:[a-z][\w’'-]*\s+){0,3}[a-z][\w’'-]*\s*,\s*(?=\S)")
_CHARACTERISING = frozenset(NAMING_VERBS)
_SEGMENT = re.compile(r"[,;()\[\]—–]|\s--?\s")
_WORD = re.compile(r"[^\W_][\w’'.-]*")
_PRONOUN = re.compile(r"(?:he|she)(?:\s+(?:also|later|then|again|is|was|has|had|\w+ly))*")
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|his|her|its|their|our|these|those|such|whose)\s+$", re.I)
_ROLE_APPOSITIVE = re.compile(rf",\s+(?:a|an|the)?\s*(?:[\w’'.-]+\s+){{0,4}}?(?:{alternation(PERSON_NOUNS)})\b")
_CLAUSE_START = re.compile(
    r"(?:which|who|whom|whose|that|when|where|while|as|and|but|so|because|if|then|although|though|after|before)\b",
    re.I,
)
_NOUN_WINDOW = 8  # "whose " is the longest word _NOUN_BEFORE looks for, with its space
_COORDINATED = re.compile(r"\b(?:and|but)(?:\s+\w+ly)?$")
_VERB_NEXT = re.compile(
    r"\s+(?:has|had|have|was|is|were|will|would|could|can|may|might|did|does|do|should|must|said|says)\b"
)
_PRONOUN_START = re.compile(r"[\s\x00]*(?:he|she)\b", re.I)
_PRONOUN_LAST = re.compile(r"\b(?:he|she)\s*$", re.I)
_CONJUNCTION = re.compile(r"^(?:and|but|while|as|so|though|although|yet)\s+", re.I)
_THE_ROLE = re.compile(rf"the\s+(?:[\w’'-]+\s+){{0,3}}?({alternation(ROLE_NOUNS)})")
_THE_BODY = re.compile(rf"the\s+(?:[\w’'-]+\s+){{0,2}}?({alternation(ORG_NAME_WORDS)})")
_DETERMINER = re.compile(r"(?:a|an|the|one|another|his|her|their|its|this|that)\s", re.I)
_PREP_RIGHT_BEFORE = re.compile(
    r"\b(?:of|for|at|from|with|to|by|in|on|about|against|near|behind|like|than|among|between|including|over)"
    r"\s+(?:the\s+|a\s+|an\s+)?$"
)
_PREP_START = re.compile(
    r"[\s\x00]*(?:in|on|at|for|from|with|to|by|after|before|during|under|over|about|against|near|without)\s", re.I
)
_LOWER_PREP = re.compile(r"\b(?:of|for|at|from|with|to|by|in|on|about)\s+(?:the\s+)?[a-z]")
_NOT_RIGHT_AFTER = re.compile(
    r"^\s*(?:on|in|at|after|before|during|that|this|last|of|to|for)\b|\b(?:that|who|which|how|why|if|whether|when)\b"
)
_SOMEONE = re.compile(
    rf"\s*(?:a|an|the|his|her|their|one)\s+(?:[\w’'-]+\s+){{0,3}}?(?:{alternation(PERSON_NOUNS)})\b", re.I
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\x00\"“‘(\[A-Z0-9])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_LAST_TOKEN = re.compile(r"(\S+)\.$")
_TERMINAL = ".!?…"
_TRAILING = ",!?…—–-"  # a quote ending so is followed by its attribution ('"...," he said')

# what a cue found: a name, a pronoun to resolve, someone unnamed ("a spokesman", the
# cue is there but names no entity: never guess), a thing ("the report"), or no cue at all
_NAME, _PRONOUN_KIND, _PERSON, _THING, _NONE = "name", "pronoun", "unnamed person", "unnamed", "none"
Who = tuple[str, str | None]  # (kind, entity id)
NO_CUE: Who = (_NONE, None)


@dataclass(slots=True)
class _Span:
    """One quote of a report: the quoted words are text[start:end]."""

    open: int  # offset of the opening mark
    start: int
    end: int
    close: int  # just after the closing mark (the paragraph's end when it has none)
    para: int
    continues: bool = False  # opens the paragraph after one that ended inside a quote
    partial: bool = False
    kind: str = _NONE
    speaker: str | None = None
    cue: str = "unattributed"
    own: bool = False  # the speaker came from the quote's own sentence
    called: bool = False  # a verb that characterises stands right before it ('called it "a hoax"')


def extract(analyzed: Sequence[AnalyzedArticle], resolved: Resolved) -> tuple[Quote, ...]:
    """Every direct quote of the story, one per distinct quote, with speaker and sources."""
    story = _Story(analyzed, resolved)
    reports = [_Report(art, resolved, story) for art in analyzed if _MARK.search(art.cleaned.text)]
    for report in reports:
        story.personal |= report.person_evidence()
    found: list[tuple[str, QuoteOccurrence, bool]] = []
    for report in reports:
        art = report.art
        starts = [s.start for s in art.sentences]
        for span in report.attribute():
            inner = " ".join(report.text[span.start : span.end].split()).strip(" ,")
            if not _keep(inner, span):
                continue
            k = max(bisect_right(starts, span.start) - 1, 0)
            occ = QuoteOccurrence(
                article_id=art.id,
                sentence=art.sentences[k].id if art.sentences else f"{art.id}:0",
                start=span.start,
                end=span.end,
                speaker_id=span.speaker,
                cue=span.cue,
            )
            found.append((inner, occ, span.partial))
    return _merge(found, story)


def _keep(inner: str, span: _Span) -> bool:
    """A statement, not a scare quote or a title."""
    words = inner.split()
    if not words:
        return False
    if len(words) <= MAX_TITLE_WORDS and _title_case(words):
        return False
    if span.partial:
        return span.speaker is not None and (len(words) > MAX_SCARE_WORDS or span.called)
    return len(words) > MAX_SCARE_WORDS or (span.own and span.speaker is not None)


def _title_case(words: list[str]) -> bool:
    letters = [w.strip(".,!?:;\"'’‘“”()") for w in words]
    capital = [w[0].isupper() for w in letters if w and w[0].isalpha() and w.lower() not in TITLE_CASE_SMALL_WORDS]
    return bool(capital) and all(capital) and not words[-1].endswith(("!", "?"))


class _Story:
    """What every report of the story shares: the entities and how their names are written."""

    def __init__(self, analyzed: Sequence[AnalyzedArticle], resolved: Resolved) -> None:
        self.entities = {e.id: e for e in resolved.entities}
        lower = lower_words(analyzed)
        self.personal = {e.id for e in resolved.entities if _personal(e, lower)}
        # places never speak, bar a person the small model took for one ("Shannon Trent")
        self.aliases = _alias_pattern([e for e in resolved.entities if e.type != "PLACE" or e.id in self.personal])
        # a surname, folded, to the people who carry it ("devine" -> Josh DeVine)
        self.by_last: dict[str, list[str]] = {}
        for e in resolved.entities:
            toks = e.name.split()
            if e.id in self.personal and len(toks) > 1:
                self.by_last.setdefault(fold(toks[-1]).strip(".,"), []).append(e.id)

    def speaker_type(self, eid: str) -> EntityType:
        return "PERSON" if eid in self.personal else self.entities[eid].type


def _personal(e: Entity, lower: frozenset[str]) -> bool:
    """A person, or an entity spaCy's small model typed otherwise whose name is a personal
    name ("Rachel Borch" as ORG, "Shannon Trent" as a place): two or three capitalized
    words, none an institution's or a place's, none a word the story writes in lower case
    ("McNeil Consumer Healthcare": "consumer")."""
    if e.type == "PERSON":
        return True
    toks = e.name.split()
    if not 2 <= len(toks) <= MAX_NAME_WORDS or e.name.isupper() or any(t.lower() in lower for t in toks):
        return False
    if e.type == "PLACE" and toks[0].lower().rstrip(".") in PLACE_FIRST_WORDS:
        return False
    for t in toks:
        core = t.strip(".,")
        if not core or not core[0].isupper() or not core.replace("-", "").replace("’", "").replace("'", "").isalpha():
            return False
        if core.lower() in ORG_NAME_WORDS or (len(core) > 1 and core.isupper()):
            return False
    return True


class _Report:
    """One report: its quotes, the names in it and the writer's sentences around the quotes."""

    def __init__(self, art: AnalyzedArticle, resolved: Resolved, story: _Story) -> None:
        self.art = art
        self.story = story
        self.text = text = art.cleaned.text
        self.paras: list[tuple[int, int]] = []
        offset = 0
        for para in text.split("\n"):
            self.paras.append((offset, offset + len(para)))
            offset += len(para) + 1
        self.para_starts = [lo for lo, _ in self.paras]
        self.spans = _spans(text, self.paras)
        chars = list(text)
        for s in self.spans:
            chars[s.open : s.close] = "\x00" * (s.close - s.open)
        # the writer's words only: every quote, marks included, blanked out (offsets kept)
        self.masked = "".join(chars)
        self.names = [n for n in _names(art, resolved, story) if self.masked[n[0]] != "\x00"]
        self.name_starts = [n[0] for n in self.names]
        self.bounds = self._sentence_bounds()
        # (offset, whom the report speaks of there; "": someone it does not name), in order
        self.events: list[tuple[int, str]] = []
        self._roles: dict[str, set[str]] | None = None
        self._read = 0  # the writer's sentences read for events so far

    def person_evidence(self) -> set[str]:
        """Entities the report writes as people though spaCy typed them otherwise: a role
        right before the name ("Spokesperson Esmail Baghaei", "Mr. Baghaei") or in the
        appositive after it ("Baghaei, a ministry spokesman,")."""
        out = set()
        for s, e, eid in self.names:
            if eid in self.story.personal or self.story.entities[eid].type == "PLACE":
                continue
            before = self.masked[max(0, s - 40) : s].split()[-2:]
            words = [w.lower().strip(".,’'") for w in before]
            right = words[-1:] or [""]
            given = len(before) == 2 and before[1][:1].isupper() and words[0] in PERSON_NOUNS
            app = _ROLE_APPOSITIVE.match(self.masked, e)
            if right[0] in PERSON_NOUNS or right[0] in HONORIFICS or given or app:
                out.add(eid)
        return out

    # ---- the writer's sentences

    def _sentence_bounds(self) -> list[int]:
        """Offsets where a sentence of the writer's starts: paragraphs, sentence ends outside
        quotes, and quotes that end a sentence ('... done." Then ...')."""
        out = {lo for lo, hi in self.paras if hi > lo}
        m = self.masked
        for hit in _SENTENCE_END.finditer(m):
            last = _LAST_TOKEN.search(m, max(0, hit.start() - 20), hit.start() + 1)
            tok = last.group(1).lower().lstrip('("“').rsplit("-", 1)[-1] if last else ""
            if tok in ABBREVIATIONS or (len(tok) == 1 and tok.isalpha()):
                continue
            out.add(hit.end())
        for s in self.spans:
            tail = m[s.close : s.close + 3]
            nxt = tail.lstrip()
            if self.text[s.start : s.end].rstrip().endswith(tuple(_TERMINAL)) and (
                not nxt or nxt[0] in "\x00" or nxt[0].isupper()
            ):
                out.add(s.close + len(tail) - len(nxt))
        return sorted(out)

    def _sentence_at(self, pos: int) -> tuple[int, int]:
        """The writer's sentence holding `pos`, as [start, end)."""
        k = bisect_right(self.bounds, pos)
        lo = self.bounds[k - 1] if k else 0
        hi = self.bounds[k] if k < len(self.bounds) else len(self.text)
        return lo, hi

    def _events_before(self, pos: int, most: int) -> Iterator[tuple[int, str | None]]:
        """Whom the report spoke of before `pos`, the latest first, at most `most` events; the
        writer's sentences are read up to `pos` on first need (most reports never ask)."""
        while self._read < len(self.bounds) and self.bounds[self._read] < pos:
            self._read += 1  # first: reading a sentence may ask about the events before it
            self._sentence_event(self._read - 1)
        k = bisect_left(self.events, (pos, ""))
        for i in range(k - 1, max(-1, k - 1 - most), -1):
            at, eid = self.events[i]
            yield at, eid or None

    def _sentence_event(self, i: int) -> None:
        """Whom a sentence of the writer's speaks of: the subject of a verb of saying
        ("Friedman said ...", "said Weiss"), or a person it opens with ("Smith had ...")."""
        lo = self.bounds[i]
        hi = min(self.bounds[i + 1] if i + 1 < len(self.bounds) else len(self.text), self._para_end(lo))
        if _PRONOUN_START.match(self.masked, lo):
            return  # "He was alert ... when Chairman Connie Bisbee said ...": still about him
        verb = next(self._verbs(_VERB_EVENT, lo, hi), None)
        who = NO_CUE
        if verb:
            who = self._speech_subject(lo, verb)
            if verb.group(0).lower() in _ASKING:  # "I asked Mike Brown whether ...": he answers
                asked = self._who(verb.end(), hi, first=True)
                who = asked if asked[0] == _NAME else who
        if who[0] in (_NAME, _PERSON):
            insort(self.events, (verb.start() if verb else lo, who[1] or ""))
        elif who[0] != _PRONOUN_KIND:
            for a, b in self._segments(lo, hi)[:3]:  # "Smith had ...", "As expected, Martha Stewart ..."
                first = self._names_in(a, b)[:1]
                if first and _titled_start(self.masked[a : first[0][0]]):
                    if first[0][2] in self.story.personal and not self.masked[first[0][1] :].startswith(("’", "'")):
                        insort(self.events, (first[0][0], first[0][2]))
                    break
                someone = _SOMEONE.match(self.masked, a, b)
                if someone:  # "His mother opened the door.", "The president, in a letter, ..."
                    role = someone.group(0).split()[-1].lower()
                    titled = someone.group(0).lower().lstrip().startswith("the ") and role in _ROLES
                    insort(self.events, (a, (self._role(role) if titled else None) or ""))
                    break

    def _para_end(self, pos: int) -> int:
        k = bisect_right(self.para_starts, pos) - 1
        return self.paras[k][1] if k >= 0 else len(self.text)

    # ---- names

    def _names_in(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        return self.names[bisect_left(self.name_starts, lo) : bisect_left(self.name_starts, hi)]

    def _head(self, name: tuple[int, int, str], hi: int) -> bool:
        """The name heads its phrase ("Judd Deere" in "White House spokesman Judd Deere"),
        rather than modifying a noun after it ("White House" there, "Campbell's father")."""
        rest = self.masked[name[1] : hi].lstrip(" \t")
        if not rest or rest[0] in ",;()[]—–-\x00":
            return True
        if rest[0] in "’'":
            return False
        w = _WORD.match(rest)
        if w is None:
            return True
        word = w.group(0)
        return word[0].isupper() or word[0].isdigit() or word.lower() in AFTER_SPEAKER_WORDS or word.endswith("ly")

    def _blocked(self, name: tuple[int, int, str], seg_lo: int) -> bool:
        """The name follows a preposition ("a spokeswoman for Apex Bank", "the mother of
        missing 9-year-old Carlie Trent", "in a letter to Director-General Tedros"): it is
        not who speaks."""
        pre = self.masked[seg_lo : name[0]]
        if _PREP_RIGHT_BEFORE.search(pre) or _PREP_START.match(pre):
            return True
        stripped = _CONJUNCTION.sub("", pre.strip(" \x00"))
        return bool(_DETERMINER.match(stripped) and _LOWER_PREP.search(stripped))

    def _resolve_name(self, pos: int, eid: str) -> str:
        """A surname shared by several people ("Campbell") is the one the report last spoke
        of; the entity stage's choice when it spoke of none of them."""
        surface = self.text[pos : self._name_end(pos)].strip()
        carriers = self.story.by_last.get(fold(surface).strip(".,’'"), [])
        if len(carriers) < 2 or " " in surface:
            return eid
        return self._last_spoken_of(carriers, pos) or eid

    def _name_end(self, pos: int) -> int:
        k = bisect_left(self.name_starts, pos)
        return self.names[k][1] if k < len(self.names) and self.names[k][0] == pos else pos

    def _last_spoken_of(self, carriers: list[str], pos: int) -> str | None:
        """Of the people who carry one surname, the one the report last spoke of before `pos`."""
        if len(carriers) == 1:
            return carriers[0]
        for _, eid in self._events_before(pos, MAX_SURNAME_EVENTS_BACK):
            if eid in carriers:
                return eid
        return None

    def _surname(self, lo: int, hi: int) -> tuple[int, str] | None:
        """A capitalized word the mentions missed that is a person's surname, in any case
        ("Devine" for Josh DeVine): (offset, entity id)."""
        for w in _WORD.finditer(self.masked, lo, hi):
            word = w.group(0).strip(".’'")
            if len(word) < 3 or not word[0].isupper() or word.lower() in TITLE_WORDS:
                continue
            carriers = self.story.by_last.get(fold(word))
            if not carriers or any(n[1] > w.start() for n in self._names_in(w.start() - 40, w.end())):
                continue  # no one's surname, or a word of a name the mentions have
            if not self._head((w.start(), w.start() + len(word), ""), hi):
                continue  # "said Spears flack Jeff Raymond": not Spears
            eid = self._last_spoken_of(carriers, lo)
            if eid:
                return w.start(), eid
        return None

    # ---- who a phrase names

    def _segments(self, lo: int, hi: int) -> list[tuple[int, int]]:
        out, a = [], lo
        for m in _SEGMENT.finditer(self.masked, lo, hi):
            out.append((a, m.start()))
            a = m.end()
        out.append((a, hi))
        return [(a, b) for a, b in out if self.masked[a:b].strip(" \t\x00.")]

    def _who(self, lo: int, hi: int, *, first: bool = False) -> Who:
        """Who the writer's words text[lo:hi] name as speaking: the subject before a verb
        of saying, or (`first`) the one named right after it ("said X, ...")."""
        segs = self._segments(lo, hi)
        if not segs:
            return NO_CUE
        if not first and _PRONOUN_LAST.search(self.masked, lo, hi):
            return _PRONOUN_KIND, None  # "... over what he called ..."
        if first:  # "said X, ...", "said study author and biologist X": X soon after the verb
            tries = [segs[:1]]
        elif len(segs) > 1 and self.masked[lo:hi].rstrip(" \t\x00").endswith((",", "—", "–")):
            tries = [segs[:-1], segs[-1:]]  # "X, a spokeswoman for ORG," -> X; "The head, X," -> X
        else:
            tries = [segs]
        for part in tries:
            pool = [
                (n[0], n[2])
                for a, b in part
                for n in self._names_in(a, b)
                if self._head(n, b) and not self._blocked(n, a)
            ]
            pool = [(p, self._resolve_name(p, eid)) for p, eid in pool]
            if not pool:
                pool = [hit for a, b in reversed(part) if (hit := self._surname(a, b))][:1]
            if first:  # not "said Mr Wilson had been using an app": Wilson is who the words are about
                pool = [
                    (p, eid)
                    for p, eid in pool[:1]
                    if not _NOT_RIGHT_AFTER.search(self.masked[lo:p])
                    and not _VERB_NEXT.match(self.masked, self._name_end(p))
                ]
            if pool:
                return _NAME, pool[-1][1]
        a, b = tries[0][-1]
        phrase = _CONJUNCTION.sub("", " ".join(self.masked[a:b].replace("\x00", " ").split()).strip(" ."))
        low = phrase.lower()
        if _PRONOUN.fullmatch(low):
            return _PRONOUN_KIND, None
        role = _THE_ROLE.fullmatch(low)
        if role:
            eid = self._role(role.group(1)) or self._spokes(a, b, lo)
            return (_NAME, eid) if eid else (_PERSON, None)
        if (eid := self._spokes(a, b, lo)) is not None:
            return _NAME, eid
        body = _THE_BODY.fullmatch(low)
        if body:
            eid = self._body(body.group(1), lo)
            return (_NAME, eid) if eid else (_THING, None)
        if _DETERMINER.match(low + " ") and any(w in PERSON_NOUNS for w in re.findall(r"[a-z]+", low)):
            return _PERSON, None
        return _THING, None

    def _speech_subject(self, lo: int, verb: re.Match[str]) -> Who:
        """Who speaks by the verb: its subject in text[lo:verb], else who follows it (also
        after a comma: "... will rely on the committee, said Gordy Sheer, the team's ...")."""
        lead = self.masked[lo : verb.start()].rstrip(" \t")
        inverts = verb.group(0).lower() not in _NO_INVERSION  # "told Marcus Strom": Strom listens
        if (lead.endswith(",") and inverts) or not lead.strip(" \t\x00,.:;"):
            after = self._who(verb.end(), self._sentence_at(verb.end())[1], first=True)
            if after[0] == _NAME or not lead.strip(" \t\x00,.:;"):
                return after
        if _COORDINATED.search(lead):  # "Dahl spent the night on the quay and said: ..."
            subject = self._opening_subject(lo, verb.start())
            if subject != NO_CUE:
                return subject
        return self._who(lo, verb.start())

    def _role(self, role: str) -> str | None:
        """The one person the report names with this role ("President Joe Biden", "Marie
        Harf, a State Department spokeswoman"); None when none is, or several are."""
        if self._roles is None:
            self._roles = {}
            for s, e, eid in self.names:
                if eid not in self.story.personal:
                    continue
                # the words before the name in its own sentence: "... the spokesman said.\nMr
                # Dudley's pay ..." gives Dudley no role
                before = self.masked[max(0, s - 60, self._sentence_at(s)[0]) : s].split()[-4:]
                after = self.masked[e : e + 90]
                app = re.match(r"\s*,\s*([^,;.\x00]{2,80})", after)
                for w in [*before, *(app.group(1).split() if app else [])]:
                    self._roles.setdefault(w.lower().strip(".,’'"), set()).add(eid)
        found = self._roles.get(role, set())
        return next(iter(found)) if len(found) == 1 else None

    def _body(self, noun: str, pos: int) -> str | None:
        """The organisation "the ministry" at `pos` stands for: the one the report names with
        that word, or of several the one named in this sentence or the one before."""

        def fits(eid: str) -> bool:
            return eid not in self.story.personal and noun in self.story.entities[eid].name.lower().split()

        found = {eid for _, _, eid in self.names if fits(eid)}
        if len(found) < 2:
            return next(iter(found), None)
        k = bisect_right(self.bounds, pos) - 2
        since = self.bounds[k] if k >= 0 else 0
        recent = [eid for s, _, eid in self._names_in(since, pos) if fits(eid)]
        return recent[-1] if recent else None

    def _spokes(self, lo: int, hi: int, pos: int, *, back: bool = True) -> str | None:
        """The organisation an unnamed spokesperson in text[lo:hi] speaks for: the one named
        with the noun ("a BP spokesman", "a spokeswoman for the agency"), or for "the
        spokesman" (with `back`) the one the report last named so before `pos`. None when no
        organisation is named with it: a speaker is never guessed."""
        phrase = " ".join(self.masked[lo:hi].replace("\x00", " ").split()).strip(" .,")
        m = _SPOKES_PHRASE.fullmatch(_CONJUNCTION.sub("", phrase))
        if m is None:
            return None
        orgs = [eid for a, _, eid in self._names_in(lo, hi) if self._speaks_for(eid)]
        if orgs:
            return orgs[0] if len(set(orgs)) == 1 else None
        if not back or m.group(1).strip().lower() not in ("", "company", "company's", "agency's", "agency"):
            return None  # "a White House spokesman" the mentions missed: never guess
        for w in reversed(list(_SPOKES_WORD.finditer(self.masked, 0, pos))):
            if lo <= w.start() < hi:
                continue
            a, b = self._sentence_at(w.start())
            # one level only: the earlier mention must name its organisation itself
            named = self._spokes(max(a, w.start() - 60), min(b, w.end() + 60), w.start(), back=False)
            if named is not None:
                return named
        return None

    def _spokes_event(self, at: int, eid: str) -> bool:
        """The event at `at` is an organisation's spokesperson speaking ("A spokesman for
        the union said")."""
        return self._speaks_for(eid) and _SPOKES_WORD.search(self.masked, self._sentence_at(at)[0], at) is not None

    def _speaks_for(self, eid: str) -> bool:
        return eid not in self.story.personal and self.story.entities[eid].type == "ORG"

    def _antecedent(self, pos: int) -> str | None:
        """The person a "he"/"she" at `pos` stands for: the one the report last spoke of, or
        a person it named in a later sentence than that ("They will be joined by President
        Vladimir Putin ..."), never one named in a sentence that is itself about "he"/"she"."""
        spoken: tuple[int, str | None] | None = None
        for at, eid in self._events_before(pos, MAX_EVENTS_BACK):
            if eid is None or eid in self.story.personal or self._spokes_event(at, eid):
                # None: "A spokesman said ...": unnamed; an organisation: "A spokesman for
                # the union said ... he said" quotes the union
                spoken = (at, eid)
                break
        j = bisect_left(self.name_starts, pos)
        for s, _, eid in reversed(self.names[max(0, j - MAX_NAMES_BACK) : j]):
            if eid not in self.story.personal or _PRONOUN_START.match(self.masked, self._sentence_at(s)[0]):
                continue
            if spoken is None or bisect_right(self.bounds, s) > bisect_right(self.bounds, spoken[0]):
                return eid
            break
        return spoken[1] if spoken else None

    # ---- cues

    def _after_cue(self, s: _Span) -> tuple[Who, str]:
        """'"...," said X' / '"..." X, the envoy, said' / '"..." he added' / ', according to X'."""
        text = self.text
        hi = min(self._sentence_at(s.close)[1], s.close + MAX_ATTRIBUTION_CHARS, self._para_end(s.open))
        zero = self.masked.find("\x00", s.close, hi)
        hi = zero if zero >= 0 else hi
        after = self.masked[s.close : hi]
        inner = text[s.start : s.end].rstrip(" ’'‘")
        completed = _COMPLETED.match(after)
        if completed and not inner.endswith(tuple(_TERMINAL)):
            verb = next(self._verbs(_VERB_AFTER, s.close + completed.end(), hi), None)
            if verb is not None and verb.start() == s.close + completed.end():
                who = self._who(verb.end(), hi, first=True)
                if who[0] == _NAME:
                    return who, "said X"
        if not after.strip() or not (inner.endswith(tuple(_TRAILING)) or after.lstrip().startswith((",", "—", "–"))):
            return NO_CUE, ""
        if _PRONOUN_SPEECH.match(after):
            return (_PRONOUN_KIND, None), "pronoun"
        title = _TITLE_SPEECH.match(after)
        if title:
            eid = self._role(title.group(1).lower()) or self._spokes(s.close, s.close + title.end(1), s.close)
            return ((_NAME, eid) if eid else (_PERSON, None)), "title"
        verb = next(self._verbs(_VERB_AFTER, s.close, hi), None)
        if verb is None:
            return NO_CUE, ""
        lead = self.masked[s.close : verb.start()].strip(" \t,—–")
        if _CLAUSE_START.match(lead):
            return NO_CUE, ""  # '"...," which adds up to $7,200': the writer's sentence goes on
        if lead:
            who, cue = self._who(s.close, verb.start()), "X said"
        else:
            who = self._who(verb.end(), hi, first=True)
            cue = "according to X" if verb.group(0).lower() == "according to" else "said X"
        return who, "pronoun" if who[0] == _PRONOUN_KIND else cue

    def _before_cue(self, s: _Span) -> tuple[Who, str]:
        """'X said: "..."' / 'X called it a "..."' / 'In a statement, ORG said "..."'."""
        lo = self._sentence_at(s.open)[0]
        if not self.masked[lo : s.open].strip(" \t\x00"):
            return NO_CUE, ""
        colon = self.masked[lo : s.open].rstrip(" \t").endswith(":")
        fallback: Who = NO_CUE
        for verb in reversed(list(self._verbs(_VERB_BEFORE, lo, s.open))[-3:]):
            if verb.group(0).lower().endswith("ing"):  # "Biden was unequivocal, saying that ..."
                who = self._opening_subject(lo, verb.start())
            else:
                who = self._speech_subject(lo, verb)
                if who == NO_CUE and not self.masked[lo : verb.start()].strip(" \t\x00,.:;"):
                    who = self._who(verb.end(), s.open, first=True)
            if who[0] in (_NAME, _PRONOUN_KIND):
                near = len(self.masked[verb.end() : s.open].split()) <= MAX_CALLED_GAP
                s.called = near and verb.group(0).lower() in _CHARACTERISING
                return who, "pronoun" if who[0] == _PRONOUN_KIND else ("X said:" if colon else "subject")
            if fallback == NO_CUE:
                fallback = who
        return fallback, ""

    def _verbs(self, pattern: re.Pattern[str], lo: int, hi: int) -> Iterator[re.Match[str]]:
        """The verbs of saying in text[lo:hi], without the nouns they share a spelling with
        ("called the claims", "his notes")."""
        for m in pattern.finditer(self.masked, lo, hi):
            if not _NOUN_BEFORE.search(self.masked, max(lo, m.start() - _NOUN_WINDOW), m.start()):
                yield m

    def _opening_subject(self, lo: int, hi: int) -> Who:
        """The subject of the clause a participle hangs on: the last part of text[lo:hi] that
        opens with a name or a pronoun ("Smith hit back, saying ...")."""
        for a, b in reversed(self._segments(lo, hi)):
            phrase = _CONJUNCTION.sub("", self.masked[a:b].strip(" \t\x00"))
            first = self._names_in(a, b)[:1]
            if first and _titled_start(self.masked[a : first[0][0]]) and self._head(first[0], b):
                return _NAME, self._resolve_name(first[0][0], first[0][2])
            if re.match(r"(?:he|she)\b", phrase, re.I):
                return _PRONOUN_KIND, None
        return NO_CUE

    def _next_sentence(self, s: _Span) -> Who:
        """'"... done." Smith said.': a bare attribution right after the quote."""
        k = bisect_left(self.bounds, s.close)
        if k >= len(self.bounds) or self.masked[s.close : self.bounds[k]].strip() or self.bounds[k] in self.para_starts:
            return NO_CUE
        lo, hi = self._sentence_at(self.bounds[k])
        verb = next(self._verbs(_VERB_AFTER, lo, hi), None)
        if verb is None or "\x00" in self.masked[lo:hi] or len(self.masked[verb.end() : hi].split()) > 4:
            return NO_CUE
        return self._speech_subject(lo, verb)

    def _previous_sentence(self, s: _Span) -> Who:
        """'Biden said the case was clear. "With his words ..."': the sentence right before
        a quote that opens a sentence, when it gives someone's words or ends in a colon."""
        k = bisect_right(self.bounds, s.open) - 1
        if k < 1 or self.masked[self.bounds[k] : s.open].strip(" \t\x00"):
            return NO_CUE
        lo, hi = self.bounds[k - 1], self.bounds[k]
        if "\x00" in self.masked[lo:hi]:
            return NO_CUE  # a sentence with a quote of its own: the continuation rule decides
        verb = next(self._verbs(_VERB_BEFORE, lo, hi), None)
        if verb is None:
            return NO_CUE
        return self._speech_subject(lo, verb)

    # ---- the pass over the report

    def attribute(self) -> list[_Span]:
        """Every quote with its speaker (None when the report names none)."""
        spans = self.spans
        for s in spans:
            s.partial = self._partial(s)
            who, cue = self._after_cue(s)
            if who == NO_CUE:
                who, cue = self._before_cue(s)
            s.kind, s.speaker, s.cue = who[0], who[1], cue or "unattributed"
            s.own = who[0] in (_NAME, _PRONOUN_KIND)
        for i, s in enumerate(spans):
            if s.kind == _PRONOUN_KIND:
                s.speaker = self._antecedent(s.open)
            elif s.kind == _NONE and not s.partial:
                prev = spans[i - 1] if i else None
                if prev is not None and s.continues:
                    s.speaker, s.cue = prev.speaker, "paragraphs"
                elif prev is not None and self._split(prev, s):
                    s.speaker, s.cue = prev.speaker, "continued"
                elif prev is not None and prev.speaker is not None and self._next_paragraph_of(prev, s):
                    s.speaker, s.cue = prev.speaker, "next paragraph"
                else:
                    for rule, name in ((self._previous_sentence, "previous sentence"), (self._next_sentence, "next")):
                        who = rule(s)
                        if who[0] == _PRONOUN_KIND:
                            s.speaker, s.cue = self._antecedent(s.open), name
                        elif who[0] == _NAME:
                            s.speaker, s.cue = who[1], name
                        if who != NO_CUE:
                            break
            if s.speaker is None:
                s.cue = "unattributed"
            if s.speaker is not None or s.kind == _PERSON:
                insort(self.events, (s.open, s.speaker or ""))
        for i in range(len(spans) - 2, -1, -1):  # a quote over paragraphs named at its end
            s, nxt = spans[i], spans[i + 1]
            if nxt.continues and s.speaker is None and s.kind == _NONE and nxt.speaker is not None:
                s.speaker, s.cue = nxt.speaker, "paragraphs"
        return spans

    def _next_paragraph_of(self, prev: _Span, s: _Span) -> bool:
        """'"...," he said.' closing a paragraph, then a paragraph of nothing but a quote: the
        same speaker goes on."""
        between = self.paras[prev.para + 1 : s.para]
        if s.para <= prev.para or any(self.text[lo:hi].strip() for lo, hi in between):
            return False
        lo, hi = self.paras[s.para]
        alone = not self.masked[lo:hi].strip(" \t\x00")
        end = self.paras[prev.para][1]
        return alone and bisect_left(self.bounds, end) - bisect_right(self.bounds, prev.close) <= 0

    def _split(self, prev: _Span, s: _Span) -> bool:
        """The quote goes on from the one before it: '"A," she said, "B."', '"A," X said. "B."'."""
        if prev.para != s.para:
            return False
        return bisect_right(self.bounds, s.open) - bisect_right(self.bounds, prev.close) <= 1

    def _partial(self, s: _Span) -> bool:
        """A fragment woven into the writer's sentence ('called it a "new chapter"')."""
        first = self.text[s.start : s.start + 1]
        if first.islower():
            return True
        before = self.masked[self._sentence_at(s.open)[0] : s.open].rstrip(" \t")
        if not before.strip("\x00") or before.endswith((",", ":", "—", "–", "-", "\x00")):
            return False
        if not before[-1].isalnum():
            return False
        verb = list(_VERB_AFTER.finditer(before))
        return not (verb and verb[-1].end() == len(before))  # 'Conley said "In the past ..."'


def _titled_start(words: str) -> bool:
    """Nothing but titles and names before a name: "Former Vice President", "Union leader",
    not "As", "They will be joined by" or "I asked"."""
    toks = [t.strip(".,").lower() for t in words.split() if t.strip(".,")]
    caps = [t.strip(".,")[:1].isupper() for t in words.split() if t.strip(".,")]
    if len(toks) > MAX_TITLE_TOKENS or any(t in _NOT_TITLES for t in toks):
        return False
    return all(c or t in PERSON_NOUNS or t in TITLE_WORDS for t, c in zip(toks, caps, strict=True))


def _spans(text: str, paras: list[tuple[int, int]]) -> list[_Span]:
    """The quotes of a report, paragraph by paragraph, each mark read by its context."""
    out: list[_Span] = []
    left_open: _Span | None = None  # the previous paragraph ended inside this quote
    for pi, (lo, hi) in enumerate(paras):
        if hi <= lo or not text[lo:hi].strip():
            continue
        inside: int | None = None
        for m in _MARK.finditer(text, lo, hi):
            i = m.start()
            kind = _mark_kind(text, i, lo, hi)
            if inside is None:
                if kind != "close" or (i + 1 < hi and text[i + 1].isalnum()):
                    inside = i
            elif kind == "open":  # a new quote opens: the one before lost its closing mark
                inner = text[inside + 1 : i].rstrip()
                if inner.endswith(tuple(_TERMINAL)):
                    out.append(_span(text, inside, i, pi, closed=False))
                inside = i
            else:
                out.append(_span(text, inside, i, pi, closed=True))
                inside = None
        cont = left_open is not None
        left_open = None
        if inside is not None:
            nxt = _next_paragraph(text, paras, pi)
            last = nxt is None
            runs_on = nxt is not None and text[nxt[0] : nxt[1]].lstrip()[:1] in '"“”'
            if last or runs_on:
                left_open = _span(text, inside, hi, pi, closed=False)
                out.append(left_open)
        if cont:
            first = next((s for s in out if s.para == pi), None)
            if first is not None and not text[lo : first.open].strip():
                first.continues = True
    return out


def _next_paragraph(text: str, paras: list[tuple[int, int]], pi: int) -> tuple[int, int] | None:
    for lo, hi in paras[pi + 1 :]:
        if text[lo:hi].strip():
            return lo, hi
    return None


def _span(text: str, mark: int, end: int, para: int, *, closed: bool = True, continues: bool = False) -> _Span:
    start = mark + 1
    stop = end
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return _Span(open=mark, start=start, end=stop, close=end + 1 if closed else end, para=para, continues=continues)


def _mark_kind(text: str, i: int, lo: int, hi: int) -> str:
    """ "open", "close" or "either", from the glyph and the characters beside it."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    opens = (prev.isspace() or prev in _OPEN_BEFORE) and not nxt.isspace()
    closes = nxt.isspace() or nxt in _CLOSE_AFTER or prev in ".,!?…"
    glyph = text[i]
    if glyph == "“":
        return "close" if closes and not opens else "open"
    if glyph == "”":
        return "open" if opens and not closes else "close"
    if prev.isspace() and nxt.isspace():
        return "either"  # ' " ': spaced out as in tokenized text (Timeline17's reports)
    if opens != closes:
        return "open" if opens else "close"
    return "either"


# ---- names in a report

# Aliases are looked up by their first letters: every alias has at least this many.
_ALIAS_HEAD = 4
_WORD_START = re.compile(r"\b\w")
# (aliases by their first _ALIAS_HEAD letters, longest first; alias -> entity id)
Aliases = tuple[dict[str, list[str]], dict[str, str]]


def _alias_pattern(entities: Sequence[Entity]) -> Aliases | None:
    """Every surface form of every entity, longest first: spaCy's small model misses some
    mentions ("Pezeshkian echoed ..."), and a speaker must not be lost for that."""
    owner: dict[str, str] = {}
    for e in entities:
        for a in (e.name, *e.aliases):
            if len(a) >= _ALIAS_HEAD and a[0].isupper():
                owner.setdefault(a, e.id)
    if not owner:
        return None
    by_head: dict[str, list[str]] = {}
    for a in sorted(owner, key=len, reverse=True):
        by_head.setdefault(a[:_ALIAS_HEAD], []).append(a)
    return by_head, owner


def _alias_matches(text: str, by_head: dict[str, list[str]]) -> Iterator[tuple[int, str]]:
    """(offset, alias) of every whole-word alias in `text`, left to right, the longest at each
    place, never overlapping: what a regex alternation of all aliases finds, without trying
    thousands of alternatives at every character of a long report."""
    end = 0
    for m in _WORD_START.finditer(text):
        p = m.start()
        if p < end:
            continue
        for a in by_head.get(text[p : p + _ALIAS_HEAD], ()):
            q = p + len(a)
            if text.startswith(a, p) and _is_word(text[q - 1]) != (q < len(text) and _is_word(text[q])):
                yield p, a
                end = q
                break


def _is_word(ch: str) -> bool:
    """What `\\w` matches in a str pattern."""
    return ch.isalnum() or ch == "_"


def _names(art: AnalyzedArticle, resolved: Resolved, story: _Story) -> list[tuple[int, int, str]]:
    """(start, end, entity id) of every mention of an entity in the report, in order: spaCy's
    mentions, and the aliases it missed."""
    found: dict[int, tuple[int, str]] = {}
    for s in art.sentences:
        for mention in s.mentions:
            eid = resolved.by_mention.get((art.id, mention.start))
            if eid is not None:
                found[mention.start] = (mention.end, eid)
    if story.aliases is not None:
        by_head, owner = story.aliases
        # mentions found so far, sorted: an alias match next to one is that mention again (a
        # bisection, not a scan of every mention: a long report has thousands)
        known = sorted(found)
        for start, alias in _alias_matches(art.cleaned.text, by_head):
            width = len(alias)
            k = bisect_right(known, start - width)
            if k < len(known) and known[k] < start + width:
                continue
            found[start] = (start + width, owner[alias])
            insort(known, start)
    return [(s, e, eid) for s, (e, eid) in sorted(found.items())]


# ---- merging across sources


def _norm(text: str) -> str:
    return re.sub(r"[^\w\s]", "", text.lower()).strip()


def _merge(found: list[tuple[str, QuoteOccurrence, bool]], story: _Story) -> tuple[Quote, ...]:
    groups: list[list[tuple[str, QuoteOccurrence, bool]]] = []
    heads: list[str] = []  # each group's first quote, normalised once
    for item in found:
        n = _norm(item[0])
        for g, m in zip(groups, heads, strict=True):
            if n == m or n in m or m in n or fuzz.ratio(n, m) >= SAME_QUOTE_RATIO:
                g.append(item)
                break
        else:
            groups.append([item])
            heads.append(n)
    quotes = []
    for g in groups:
        text = max((t for t, _, _ in g), key=len)  # the fullest version
        votes = Counter(o.speaker_id for _, o, _ in g if o.speaker_id)
        sid = votes.most_common(1)[0][0] if votes else None
        quotes.append(
            Quote(
                text=text,
                speaker=story.entities[sid].name if sid and sid in story.entities else None,
                speaker_id=sid,
                sources=tuple(dict.fromkeys(o.article_id for _, o, _ in g)),
                occurrences=tuple(o for _, o, _ in g),
                partial=all(p for _, _, p in g),
                speaker_type=story.speaker_type(sid) if sid and sid in story.entities else None,
            )
        )
    return tuple(quotes)
