"""Word lists and cue patterns that stages build their matchers from, each list once.

Every list says where it came from. A stage imports the list it needs from here and builds
its own matcher (a set test, a regex), so two stages never disagree about what a word means.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop list (spacy/lang/en/stop_words.py), read without importing spaCy.

    Importing `spacy.lang.en.stop_words` runs `spacy/__init__`, which loads thinc (and torch
    where installed): seconds of start-up for a set of 326 words that every light path
    (cleaning, clustering features) needs. The file is plain Python defining one set, so it
    is executed on its own; the words stay spaCy's, pinned with the spaCy version.
    """
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        raise RuntimeError("spaCy is not installed")
    path = Path(spec.origin).parent / "lang" / "en" / "stop_words.py"
    scope: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), scope)
    words = scope["STOP_WORDS"]
    assert isinstance(words, set)
    return frozenset(str(w) for w in words)


STOP_WORDS: frozenset[str] = _spacy_stop_words()

# Function words of news prose that spaCy's stop list lacks; they say nothing about topic
# (seen in the seeds' and the example's recurring lines).
NEWS_FUNCTION_WORDS = frozenset(
    ["amid", "amidst", "says", "said", "according", "also", "year", "years", "week", "today", "new"]
)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words` (escaped, longest first, so a word never loses to its own
    prefix), for a stage to wrap in its own boundaries and compile."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# --- Calendar -------------------------------------------------------------------------------
# English month names, each full name first and then the abbreviations news pages write
# ("Jan 18, 2025", "Sept. 3"); seen in the seeds' and Timeline17's date lines.
MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
MONTH_ABBREVIATIONS: tuple[str, ...] = tuple(a for names in MONTH_NAMES for a in names[1:])
# Monday first: the index is `date.weekday()`.
WEEKDAY_NAMES: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# --- Names, titles and abbreviations --------------------------------------------------------
# Titles that are part of how a name is written ("Mr. Putin"), so part of its alias.
HONORIFICS: tuple[str, ...] = ("mr", "mrs", "ms", "dr", "sir", "dame")
# The honorifics as spaCy tokenizes them ("Mr." is one token): the tokens that open a name.
HONORIFIC_TOKENS: frozenset[str] = frozenset(HONORIFICS) | {f"{h}." for h in ("mr", "mrs", "ms", "dr")}
# Abbreviated ranks and offices before a name ("Ret. Lt. Gen. Kellogg", "Sen. Rubio").
RANK_ABBREVIATIONS: tuple[str, ...] = (
    "prof",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "adm",
    "gov",
    "sen",
    "rep",
    "ret",
    # police and military ranks as agencies abbreviate them ("LAPD Cmdr. Andy Smith said";
    # multinews-dev e45abfcb82a3 split its sentence at "Cmdr.")
    *("cmdr", "cdr", "cpl", "pvt", "det", "insp", "supt", "brig"),
)
# Who speaks for an organisation without a name: "a BP spokesman said", "a spokeswoman for
# the agency said" quote the organisation (analysis/quotes.py).
SPOKES_NOUNS: tuple[str, ...] = ("spokesman", "spokeswoman", "spokesperson")
# Offices that stand before a name ("President Putin") and speak for themselves in a report
# ("the foreign minister said"); seen in the seeds' and the example's attributions.
OFFICES: tuple[str, ...] = (
    *("president", "minister", "secretary", *SPOKES_NOUNS, "envoy"),
    *("mayor", "chief", "ambassador", "chairman", "governor", "senator", "premier"),
)
# Words before a name that are roles, not part of it ("President Putin", "Ret. Lt. Gen. Kellogg"):
# stripped from a name before names are compared (nlp/entities.py).
TITLE_WORDS: frozenset[str] = frozenset(
    {
        *HONORIFICS,
        *RANK_ABBREVIATIONS,
        *OFFICES,
        *("vice", "prime", "foreign", "chancellor", "king", "queen", "prince", "princess", "pope", "sheikh"),
        *("general", "retired", "representative", "judge", "justice", "ceo", "chairwoman", "director"),
        *("commander", "officer", "president-elect", "state"),
    }
)
# What kind of company or person a name is, written before it ("drugmaker Pfizer", "automaker
# General Motors", "rapper Drake") and capitalized with it when a sentence opens so: spaCy then
# takes "Drugmaker Pfizer" for one name (AllSides dev 100). Stripped like a title.
DESCRIPTIVE_NOUNS: frozenset[str] = frozenset(
    {
        *("drugmaker", "automaker", "carmaker", "chipmaker", "planemaker", "retailer", "insurer"),
        *("lender", "broadcaster", "startup", "conglomerate"),
        *("rapper", "singer", "actor", "actress", "comedian", "billionaire", "entrepreneur"),
        *("businessman", "businesswoman", "activist", "lawmaker", "economist", "novelist"),
    }
)
# Everything that may stand before a name and is not part of it (nlp/entities.py).
NAME_PREFIXES: frozenset[str] = TITLE_WORDS | DESCRIPTIVE_NOUNS
# Who speaks in "the [deputy foreign] minister said" (analysis/quotes.py): the offices, and
# people named by their function, never before a name.
SPEAKER_TITLES: tuple[str, ...] = (*OFFICES, "leader", "official", "commissioner", "executive")
# Short forms that end a company's name ("Acme Corp."); also end sentences ("... of Acme Inc.").
COMPANY_SUFFIXES: tuple[str, ...] = ("co", "corp", "inc", "ltd")
# The legal form a company's name may end with ("BP PLC" is BP).
LEGAL_SUFFIXES: tuple[str, ...] = (*COMPANY_SUFFIXES, "plc", "llc", "ag", "sa", "nv")
# Words a company's short name drops ("Halvorsen & Marr" for "Halvorsen & Marr Construction");
# from the example's and the seeds' organisations.
ORG_DESCRIPTORS: frozenset[str] = frozenset(
    {
        *COMPANY_SUFFIXES,
        *("company", "corporation", "incorporated", "limited", "plc", "llc"),
        *("group", "holdings", "industries", "international", "construction", "partners"),
    }
)
# Abbreviations that also end sentences ("... aimed at the U.S."): never a reason to merge
# two of spaCy's sentences.
SENTENCE_FINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    {"u.s", "u.k", "u.n", "e.u", "etc", *COMPANY_SUFFIXES, "jr", "sr"}
)
# Abbreviations after which spaCy's parser (en_core_web_sm) sometimes ends a sentence by
# mistake ("Gen. Kellogg", "Jan. 17"): the sentence continues after them.
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        *("mr", "mrs", "ms", "dr"),
        *RANK_ABBREVIATIONS,
        *("st", "rev", "hon", "pres", "no", "vs"),
        *MONTH_ABBREVIATIONS,
        *SENTENCE_FINAL_ABBREVIATIONS,
    }
)
# The Arabic article as written before a name, joined by a hyphen ("al-Assad", "ash-Shara").
ARABIC_ARTICLES: tuple[str, ...] = ("al", "el", "ad", "as", "ash", "at", "az")
# Name particles that writers keep or drop ("Bashar al-Assad" / "Bashar Assad").
PARTICLES: frozenset[str] = frozenset(
    {
        *ARABIC_ARTICLES,
        *("bin", "ibn", "bint", "abu"),
        *("van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "del", "della", "dos", "das"),
    }
)

# --- Places ---------------------------------------------------------------------------------
# Context words that make a name a place: "at Kohlsvik" (nlp/language.py).
LOCATIVE_BEFORE: frozenset[str] = frozenset({"in", "at", "near", "outside", "inside"})
# Nouns that name a kind of place ("Halvik Square", "Kohlsvik station"), from the example's
# places and the seeds'. Two uses read them, with different additions, kept apart because
# merging them changes entity labels on the example (see the two lists below).
PLACE_NOUNS: tuple[str, ...] = (
    *("station", "square", "street", "avenue", "bridge", "airport", "harbour", "harbor"),
    *("district", "province", "county"),
)
# The token right after a name spaCy called PERSON or ORG that makes it a place
# (nlp/language.py `_label`); "port" and "region" read as places there.
PLACE_NOUNS_AFTER: frozenset[str] = frozenset({*PLACE_NOUNS, "port", "region"})
# The last word of a canonical name that makes it a place whatever spaCy guessed
# (nlp/entities.py): "Harbour Line", "Halvik Square", names of rivers and straits.
PLACE_LAST_WORDS: frozenset[str] = frozenset(
    {*PLACE_NOUNS, "line", "road", "river", "valley", "island", "islands", "lake", "bay", "strait"}
)

# --- Speech ---------------------------------------------------------------------------------
# The verbs of saying that every speech cue shares ("X said", "she told", "stated").
SAYING: tuple[str, ...] = ("said", "says", "told", "stated")
# Verbs that attribute a direct quote to a speaker ("..." said X / X said "...")
# (analysis/quotes.py); from the seeds' and the example's attributions.
SPEECH_VERBS: tuple[str, ...] = (
    *SAYING,
    *("say", "tells", "added", "adds", "states", "declared", "declares", "remarked", "remarks", "noted"),
    *("notes", "explained", "insisted", "insists", "argued", "argues", "warned", "warns", "wrote", "writes"),
    *("posted", "posts", "asked", "asks", "replied", "replies", "continued", "recalled", "acknowledged"),
    *("announced", "emphasized", "emphasised", "stressed", "claimed", "claims", "tweeted"),
)
# Verbs that give a partial quote to the sentence's subject: "Putin praised it as a 'real
# breakthrough'" (analysis/quotes.py).
ATTRIBUTING_VERBS: tuple[str, ...] = (
    *SPEECH_VERBS,
    *("praised", "described", "describing", "called", "calling", "urged", "urging", "echoed", "hailed"),
    *("termed", "labelled", "labeled", "dubbed", "pledged", "vowed", "promised", "expressing", "expressed"),
    *("emphasizing", "saying", "stating", "adding", "noting", "arguing"),
)
# A report in someone's words ("X said the inspections were done") is that party's side, not
# the outlet asserting a fact (analysis/claims.py). Narrower than SPEECH_VERBS ("wrote",
# "posted", "asked" would turn the outlet's own statements into someone's side), wider by
# "according to"; the claims' dispute rule was set on the example's denial.
REPORTED_SPEECH: tuple[str, ...] = (*SAYING, "insisted", "argued", "according to")
# "is set to open Saturday, officials said on Thursday": a verb of saying just before a date
# puts that date in the past (nlp/dates.py). Announcements and confirmations count here.
SAID_BEFORE_DATE: tuple[str, ...] = (*SAYING, "announced", "reported", "confirmed")
# A quote's speaker given as a pronoun right after it ('"...," he added'): the sentence does
# not stand alone in a summary (summarize/coverage.py).
PRONOUN_SPEAKER_VERBS: tuple[str, ...] = (*SAYING, "added", "declared", "remarked", "noted")

# --- Time and modality cues -----------------------------------------------------------------
# Words that put a statement after its report: "will sign", "are set to", "expected to".
FUTURE: tuple[str, ...] = (
    "will",
    "shall",
    "is to",
    "are to",
    "set to",
    "expected to",
    "plan to",
    "plans to",
    "upcoming",
)
# Statements of what has not happened yet, or may not (analysis/support.py, the lead of
# analysis/event.py): a forecast does not support a report of the fact.
FUTURE_CUES: tuple[str, ...] = (
    *FUTURE,
    *("won't", "expect to", "expects to", "planned", "anticipate", "anticipated", "would"),
    *("hope to", "hopes to", "hope that", "hopes that", "intend to", "intends to"),
    *(f"due to {verb}" for verb in ("sign", "meet", "open", "start", "begin", "vote")),
    # forecasts and schedules (AllSides' election and policy leads, evals/alignment)
    *("projected to", "poised to", "scheduled to", "on track to", "likely to"),
)
# A sentence that looks ahead, so its weekdays and months fall after publication
# (nlp/dates.py). Wider than FUTURE_CUES by "scheduled", "next" and any "due to"; without
# "would", "planned" and "hopes", which in the seeds speak of the past as often as not.
LOOKING_AHEAD: tuple[str, ...] = (*FUTURE, "scheduled", "next", "due to")
# Headline grammar for what has not happened yet ("Russia, Iran set to seal ...", "Pact
# expected") besides "to" + infinitive (analysis/event.py); the seeds' preview headlines.
HEADLINE_FUTURE: tuple[str, ...] = (
    *("set to", "will", "upcoming", "readies", "prepare", "prepares", "ahead of", "expected"),
    *("plan", "plans", "poised"),
)
# A claim handed on from a third party rather than someone's own statement ("According to
# U.S. and European officials, Iran has sent drones"): beside a denial it is the attributed
# side, not a fact the outlet states (analysis/claims.py; the seeds' drone dispute). Plain
# "X said" stays a statement of X's own side (the example's "the chief executive said ...").
HANDED_ON: tuple[str, ...] = ("according to", "citing", "cited by", "officials say", "officials said")
# Nouns news uses interchangeably for one agreement ("set to sign a partnership treaty" is
# fulfilled by "signed a strategic cooperation agreement"): an expectation's object matches
# a report's through them (analysis/support.py `fulfils`; the seeds' five reports).
AGREEMENT_NOUNS: tuple[str, ...] = (
    *("agreement", "agreements", "treaty", "treaties", "pact", "deal", "accord", "accords"),
)
# Verbs by which a sentence gives someone's hope or plan ("Baghaei has expressed hope that
# the agreement would be signed"): the person before them is the speaker, not an actor of
# the expected action (analysis/support.py `fulfils`).
VOICING: tuple[str, ...] = (*SAYING, "expressed", "voiced", "announced", "claimed", "suggested", "reassured")
# Denials and rebuttals: a report that X was denied is not support for X, nor the reverse
# (analysis/support.py; the example's union/contractor dispute).
DENIALS: tuple[str, ...] = (
    *("deny", "denies", "denied", "denying", "denial", "reject", "rejects", "rejected"),
    *("refute", "refutes", "refuted", "dismisses", "dismissed", "false", "no violations", "not true"),
)
# Reported claims: "the union alleged that ...", "accusations that ..." (analysis/support.py).
ALLEGATIONS: tuple[str, ...] = (
    *("allege", "alleges", "alleged", "allegedly", "alleging", "allegation", "allegations"),
    *("accuse", "accuses", "accused", "accusing", "accusation", "accusations"),
    *("reportedly", "purportedly", "claim that", "claims that", "claimed that", "suspected of"),
    *("rumor", "rumors", "rumored", "rumour", "rumours", "rumoured"),
)

# --- Sentences and lines --------------------------------------------------------------------
# Articles, prepositions and conjunctions: the small words of a line that say it is not done
# or not a name. Two lists add to them.
LINKING_WORDS: tuple[str, ...] = (
    *("a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "into"),
    *("after", "before", "and", "or", "but", "as", "than", "that"),
)
# Lower-case words that may stay lower-case in a Title Case headline (clean/lines.py); from
# the seeds' and the example's headlines.
TITLE_CASE_SMALL_WORDS: frozenset[str] = frozenset({*LINKING_WORDS, "over", "per", "up", "via", "vs", "amid", "under"})
# Words a hard-wrapped line ends on ("... who in 2008, won the"): a headline never ends on
# them (clean/__init__.py). Seen in the scrapinghub extraction pages.
WRAP_TAIL_WORDS: tuple[str, ...] = (
    *LINKING_WORDS,
    *("who", "which", "whose", "its", "their", "his", "her", "has", "have", "had", "is", "are"),
    *("was", "were", "be", "been", "will", "would", "new", "won", "about"),
)
# Openers of a sentence that leans on the one before ("He said", "However, ..."): it does
# not stand alone in a summary (summarize/coverage.py).
DANGLING_OPENERS: tuple[str, ...] = (
    *("both these", "both those", "he", "she", "it", "they", "this", "that", "these", "those"),
    *("his", "her", "its", "their", "however", "but", "and", "also", "meanwhile", "furthermore"),
    *("moreover", "similarly", "still", "yet", "such", "then", "thus", "therefore", "instead", "likewise"),
)
# What a photo credit line opens with ("Image: Reuters", "Photo credit: ..."), in the seeds'
# pasted pages (clean/).
CREDIT_WORDS: tuple[str, ...] = ("image", "photo", "photograph", "picture", "credit", "illustration")

# --- Quotes and their speakers (analysis/quotes.py) -----------------------------------------
# Read off the attributions of the Multi-News and AllSides dev clusters read in full for
# issue 13 (benchmarks/check_quotes.py lists them), the seeds' and the example's.
# Verbs after which, or before which, a quote's speaker is named ('"...," X laughed',
# '"..." said X', 'X, the envoy, told reporters'): the verbs of SPEECH_VERBS and more.
QUOTE_VERBS: tuple[str, ...] = (
    *SPEECH_VERBS,
    *("exclaimed", "exclaims", "interjected", "laughed", "laughs", "chuckled", "revealed", "reveals"),
    *("joked", "jokes", "quipped", "quips", "admitted", "admits", "conceded", "concedes", "confirmed"),
    *("confirms", "responded", "responds", "answered", "answers", "countered", "counters", "shouted"),
    *("shouts", "yelled", "testified", "testifies", "recounted", "recounts", "commented", "observed"),
    *("observes", "predicted", "predicts", "concluded", "concludes", "cautioned", "cautions"),
    *("suggested", "suggests", "pleaded", "pleads", "complained", "complains", "lamented", "laments"),
    *("mused", "muses", "reiterated", "reiterates", "asserted", "asserts", "maintained", "maintains"),
    *("agreed", "agrees", "affirmed", "wondered", "wonders", "demanded", "explains", "tweets"),
    *("texted", "emailed", "e-mailed", "recalls", "continues", "stresses", "emphasizes", "announces"),
    *("acknowledges", "boasted", "boasts", "spoke", "speaks", "quoted", "went on", "pointed out"),
    "according to",
)
# Verbs of saying whose object is the listener, not the speaker: "..., told Marcus Strom" is
# not said by Strom, whereas "..., said Gordy Sheer" is by Sheer.
LISTENER_VERBS: tuple[str, ...] = ("told", "tells", "asked", "asks")
# Participles that give a quote to their clause's subject ("Biden was unequivocal, saying that
# '...'", "She urges Simpson to come forward, telling PEOPLE, '...'").
QUOTE_PARTICIPLES: tuple[str, ...] = (
    *("saying", "adding", "telling", "writing", "explaining", "insisting", "warning", "declaring"),
    *("asking", "answering", "responding", "replying", "remarking", "recalling", "complaining"),
    *("admitting", "acknowledging", "announcing", "joking", "tweeting", "posting", "noting", "stating"),
    *("arguing", "calling", "describing", "urging", "emphasizing", "expressing", "speaking"),
)
# Verbs that name a thing in someone's words: a short quote right after them is that
# person's ('called the claims "false and damaging"', 'praised it as a "real breakthrough"'),
# not a scare quote.
NAMING_VERBS: tuple[str, ...] = (
    *("called", "calling", "described", "describing", "praised", "hailed", "termed", "labelled"),
    *("labeled", "dubbed", "branded", "denounced"),
)
# What may follow a speaker's name before the verb ("Trump on Thursday said", "Baghaei has
# expressed", "Josh DeVine of the TBI said"); a lower-case word not here makes the name a
# modifier ("White House spokesman", "Midwestern University physiology expert").
AFTER_SPEAKER_WORDS: frozenset[str] = frozenset(
    {
        *("of", "from", "at", "with", "in", "on", "for", "to", "by", "during", "after", "before", "via"),
        *("about", "and", "also", "later", "then", "again", "earlier", "previously", "recently", "first"),
        *("once", "still", "further", "himself", "herself", "who", "which", "has", "had", "have", "was"),
        *("is", "were", "will", "would", "could", "can", "may", "might", "did", "does", "do", "been"),
        *("not", "never", "last", "this", "today", "yesterday", "tonight", "late", "early"),
    }
)
# Roles a report names a person by ("the minister said", "the pope said"): resolved to the one
# person the report names with that role.
ROLE_NOUNS: tuple[str, ...] = (
    *SPEAKER_TITLES,
    *("pope", "king", "queen", "prince", "judge", "coach", "lawyer", "attorney", "prosecutor", "sheriff"),
    *("director", "ceo", "founder", "chairwoman", "commander", "general", "officer", "manager"),
    *("producer", "analyst", "professor", "author", "designer", "head"),
)
# Nouns for a person a report does not name ("a spokesman for the federation said", "his
# mother opened the door"): a "he"/"she" after them is that unnamed person, never guessed.
PERSON_NOUNS: frozenset[str] = frozenset(
    {
        *ROLE_NOUNS,
        *("man", "woman", "source", "resident", "witness", "neighbor", "neighbour", "friend", "relative"),
        *("aide", "adviser", "advisor", "doctor", "teacher", "student", "member", "employee", "worker"),
        *("mother", "father", "son", "daughter", "wife", "husband", "brother", "sister", "boy", "girl"),
        *("teenager", "victim", "survivor", "passenger", "representative", "expert", "researcher"),
        *("scientist", "actor", "actress", "singer", "player", "lawmaker", "diplomat", "activist"),
    }
)
# Words of an institution's name: an entity named with one is not a person whatever its form
# ("Lindqvist Shipping", "Apex Bank"), and "the ministry" is the one ministry a report names.
ORG_NAME_WORDS: frozenset[str] = frozenset(
    {
        *ORG_DESCRIPTORS,
        *PLACE_LAST_WORDS,
        *("ministry", "department", "agency", "bureau", "office", "service", "services", "council"),
        *("committee", "commission", "association", "federation", "union", "university", "college"),
        *("school", "institute", "foundation", "center", "centre", "court", "police", "party", "army"),
        *("navy", "force", "forces", "news", "times", "post", "press", "journal", "network", "bank"),
        *("airline", "airlines", "airways", "house", "senate", "congress", "parliament", "government"),
        *("administration", "board", "authority", "organization", "organisation", "society", "church"),
        *("club", "team", "league", "fund", "trust", "hospital", "museum", "academy", "reuters", "tv"),
        *("radio", "magazine", "daily", "herald", "tribune", "channel", "world", "show", "project"),
        *("program", "programme", "campaign", "coalition", "alliance", "movement", "state", "states"),
        *("republic", "kingdom", "city", "media", "studios", "records", "games", "olympics", "park"),
        *("shipping", "motors", "energy", "oil", "gas", "systems", "technologies", "labs", "capital"),
        *("ventures", "communications", "insurance", "logistics", "transport", "transit", "rail"),
        *("railways", "airport", "institution", "secretariat"),
    }
)
# First words of place names ("New Jersey", "East Java"): a two-word place is never taken for
# a person's name the small model typed as a place ("Shannon Trent").
PLACE_FIRST_WORDS: frozenset[str] = frozenset(
    {
        *("new", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "upper"),
        *("lower", "middle", "central", "greater", "saint", "st", "san", "santa", "los", "las", "el", "fort"),
        *("port", "mount", "lake", "cape", "gulf", "sea", "bay", "great", "little", "old"),
    }
)
# Capitalized words that open a sentence without being a name or a title ("As Swonger stood
# outside ...", "I asked Mike Brown ..."): what stands before a name that opens a sentence.
SENTENCE_OPENERS: frozenset[str] = frozenset(
    {
        *LINKING_WORDS,
        *("when", "while", "since", "because", "if", "though", "although", "so", "yet", "then", "now"),
        *("still", "meanwhile", "however", "later", "earlier", "also", "once", "until", "during"),
        *("despite", "like", "unlike", "without", "i", "we", "you", "it", "this"),
    }
)

# --- Quantities (analysis/quantities.py) ----------------------------------------------------
# How a report hedges a figure ("more than 188,000", "nearly 190,000", "about 200,000"): the
# side of the written value the true one lies on. Read off the border-count and casualty
# clusters of the annotated anchors (evals/alignment/) and common news usage.
APPROX_ABOVE: tuple[str, ...] = ("more than", "over", "at least", "upwards of", "in excess of", "a minimum of")
APPROX_BELOW: tuple[str, ...] = (
    *("nearly", "almost", "less than", "fewer than", "under", "up to", "just under", "close to"),
    *("as many as", "no more than", "a maximum of"),
)
APPROX_AROUND: tuple[str, ...] = (
    *("about", "around", "roughly", "approximately", "some", "an estimated", "estimated"),
    *("just over", "more or less", "circa"),
)
# Counts written as words ("four large parts", "six weeks later"); "one" is left out: it is
# more often a pronoun ("one of the ...") than a count.
NUMBER_WORDS: dict[str, int] = {
    **{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9},
    **{"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15},
    **{"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "dozen": 12},
}
SCALE_WORDS: dict[str, float] = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Spans of time: "seven years since" and "five years ago" measure from different points, so
# two such figures are rarely one quantity.
TIME_UNITS: frozenset[str] = frozenset(
    {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month"}
    | {"months", "year", "years", "decade", "decades", "century", "centuries"}
)
# What forecasters expected, not what happened ("Economists surveyed by Dow Jones had been
# looking for 845,000 new jobs"): a figure beside these is no side of a dispute (AllSides' jobs
# report cluster, evals/alignment/).
FORECAST_CUES: tuple[str, ...] = (
    *("expecting", "expected", "forecast", "forecasts", "forecasting", "predicted", "predicting"),
    *("projected", "projection", "projections", "estimate", "estimates", "consensus", "looking for"),
    *("surveyed by", "polled by", "anticipated"),
)
# Counted nouns that say who, not what happened to them ("4 people were killed" and "15 people
# were hurt" count different things): the word after them says what is counted.
COLLECTIVE_NOUNS: frozenset[str] = frozenset(
    {"people", "persons", "person", "others", "individuals", "men", "women", "children", "residents"}
)
