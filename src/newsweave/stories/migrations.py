"""The story store's schema: numbered migrations, applied in order by `Store` (PRAGMA user_version).

Kept beside the store, which runs them and owns every other SQL statement; apart so that the
schema reads as one document and `store.py` stays one concern.
"""

from __future__ import annotations

# Each entry moves the schema one version up (PRAGMA user_version); never edit a shipped one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',  -- running, done, failed, interrupted
        sources TEXT NOT NULL,                   -- JSON list of what was ingested
        added INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        message TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        ext_id TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        outlet TEXT, title TEXT, published TEXT, url TEXT, author TEXT, path TEXT,
        text TEXT NOT NULL,
        features TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        added TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_url ON articles(url);
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        copies INTEGER NOT NULL DEFAULT 0,
        outlets INTEGER NOT NULL DEFAULT 0,
        first_published TEXT,
        last_published TEXT,
        first_seen TEXT NOT NULL,
        updated TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL DEFAULT 'open'        -- open, closed, merged
    );
    CREATE INDEX stories_updated ON stories(updated);
    CREATE TABLE memberships (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        story_id INTEGER NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,
        copy_of INTEGER REFERENCES articles(id),
        score REAL NOT NULL
    );
    CREATE INDEX memberships_story ON memberships(story_id);
    CREATE TABLE story_events (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        kind TEXT NOT NULL,
        story_id INTEGER NOT NULL,
        other_id INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE briefs (
        story_id INTEGER NOT NULL REFERENCES stories(id),
        format TEXT NOT NULL,                     -- json, markdown, html
        version INTEGER NOT NULL,                 -- the story version it was built from
        created TEXT NOT NULL,
        content TEXT NOT NULL,
        PRIMARY KEY (story_id, format)
    );
    CREATE TABLE clusterer (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through_article INTEGER NOT NULL,         -- state includes every article up to this id
        state BLOB NOT NULL                       -- zlib-compressed JSON
    );
    """,
    # 2: search (FTS5 over titles, texts and entity names), a story's history of runs, and
    # briefs keyed by words and the newsweave version that built them.
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, entities, content='', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts(rowid, title, text, entities)
        SELECT id, COALESCE(title, ''), text, (
            SELECT COALESCE(group_concat(substr(e.value ->> 0, instr(e.value ->> 0, ':') + 1), ' '), '')
            FROM json_each(articles.features, '$.entities') e
        ) FROM articles;
    CREATE INDEX story_events_story ON story_events(story_id);
    CREATE INDEX story_events_other ON story_events(other_id);
    -- one row per story and run for the reports that joined it (other_id 0: no other story)
    CREATE UNIQUE INDEX story_events_growth ON story_events(story_id, run_id)
        WHERE kind IN ('created', 'updated');
    -- stores of schema 1 recorded no growth: derived from the runs of each story's articles
    INSERT INTO story_events(run_id, kind, story_id, other_id, articles, at)
        SELECT run_id, CASE WHEN nth = 1 THEN 'created' ELSE 'updated' END, story_id, 0, n, at FROM (
            SELECT a.run_id, m.story_id, COUNT(*) AS n, MIN(a.added) AS at,
                ROW_NUMBER() OVER (PARTITION BY m.story_id ORDER BY a.run_id) AS nth
            FROM memberships m JOIN articles a ON a.id = m.article_id GROUP BY m.story_id, a.run_id
        ) ORDER BY at, story_id;
    -- schema 1 keyed briefs by story version and format only: its rows cannot be trusted
    DROP TABLE briefs;
    CREATE TABLE briefs (
        story_id INTEGER NOT NULL REFERENCES stories(id),
        format TEXT NOT NULL,                     -- json, markdown, html
        words INTEGER NOT NULL,
        version INTEGER NOT NULL,                 -- the story version it was built from
        newsweave TEXT NOT NULL,                  -- the newsweave version that built it
        created TEXT NOT NULL,
        content TEXT NOT NULL,
        warnings TEXT NOT NULL,                   -- JSON list of the brief's warnings
        PRIMARY KEY (story_id, format, words)
    );
    """,
)
