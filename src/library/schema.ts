// The library database's schema and its migrations, versioned by SQLite's user_version.
// Opening, pragmas and every query live in store.ts, articles.ts and trials.ts.

import type BetterSqlite3 from 'better-sqlite3';
import { PaperbotError } from '../core/errors';
import { ARTICLE_COLUMNS } from './article-index';
import { TRIAL_COLUMNS } from './trial-index';

const TOKENIZER = `tokenize='porter unicode61 remove_diacritics 2'`;

/** "18 Years", "6 Months" → years, in SQL (SQLite casts a text's leading number); NULL when absent. */
function ageYears(expression: string): string {
  return `(SELECT CASE
      WHEN v IS NULL THEN NULL
      WHEN v LIKE '% year%' THEN CAST(v AS REAL)
      WHEN v LIKE '% month%' THEN CAST(v AS REAL) / 12.0
      WHEN v LIKE '% week%' THEN CAST(v AS REAL) * 7 / 365.25
      WHEN v LIKE '% day%' THEN CAST(v AS REAL) / 365.25
      WHEN v LIKE '% hour%' THEN CAST(v AS REAL) / 8766.0
      WHEN v LIKE '% minute%' THEN CAST(v AS REAL) / 525960.0
      ELSE NULL END FROM (SELECT ${expression} AS v))`;
}

/**
 * Each entry moves the schema from version i to i+1 and runs in one transaction with the version bump.
 * Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  -- fts_id is the article's row in articles_fts: year * 1e10 + pmid (see article-index.ts), so the index
  -- itself is in date order and a year range is a rowid range. origin: 'seed' (bundled) or 'user'.
  CREATE TABLE articles (
    pmid INTEGER PRIMARY KEY,
    fts_id INTEGER NOT NULL UNIQUE,
    doi TEXT,
    pmcid TEXT,
    year INTEGER,
    pubtypes TEXT NOT NULL,
    entrez_date TEXT,
    json TEXT NOT NULL,
    origin TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX articles_doi ON articles (doi COLLATE NOCASE) WHERE doi IS NOT NULL;
  CREATE INDEX articles_pmcid ON articles (pmcid) WHERE pmcid IS NOT NULL;

  -- Contentless: the text is in articles.json already; contentless_delete lets an upsert replace a row.
  CREATE VIRTUAL TABLE articles_fts USING fts5 (
    ${ARTICLE_COLUMNS.join(', ')}, content='', contentless_delete=1, ${TOKENIZER}
  );
  -- Merge index segments in larger steps: faster bulk imports, no measurable cost to queries.
  INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 8);

  -- id is the NCT number's digits, shared with trials_fts.
  CREATE TABLE trials (
    id INTEGER PRIMARY KEY,
    nct TEXT NOT NULL,
    acronym TEXT,
    status TEXT,
    phases TEXT NOT NULL,
    json TEXT NOT NULL,
    raw TEXT,
    origin TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX trials_acronym ON trials (acronym COLLATE NOCASE) WHERE acronym IS NOT NULL;

  CREATE VIRTUAL TABLE trials_fts USING fts5 (
    ${TRIAL_COLUMNS.join(', ')}, content='', contentless_delete=1, ${TOKENIZER}
  );
  `,
  `
  -- One row per saved sync (a PubMed or ClinicalTrials.gov query). covered_to: the last day a finished run
  -- reached, where the next run starts; run: the unfinished run's plan and position (JSON), null between runs.
  CREATE TABLE syncs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    query TEXT NOT NULL,
    covered_to TEXT,
    last_run_at INTEGER,
    last_count INTEGER,
    records INTEGER NOT NULL DEFAULT 0,
    run TEXT,
    UNIQUE (source, query)
  );
  `,
  `
  -- Where each trial's sites are (one row per site with a geoPoint; id shared with trial_geo), and an R*Tree
  -- over the points, so a radius search reads only the sites in its bounding box; distances are exact
  -- (haversine) in trials.ts on the tree's 32-bit points (within a metre). A site's id is trial id × 8192 + its
  -- place in the record, so the tree alone names the trial (sites past the 8,192nd are not indexed). place: facility, city, state and country, lower-cased.
  CREATE TABLE trial_sites (
    id INTEGER PRIMARY KEY,
    trial_id INTEGER NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    place TEXT NOT NULL
  );
  CREATE INDEX trial_sites_trial ON trial_sites (trial_id);
  CREATE VIRTUAL TABLE trial_geo USING rtree (id, min_lat, max_lat, min_lon, max_lon);

  -- Eligibility limits for age: and sex: filters, in years as the registry states them (NULL: no limit).
  ALTER TABLE trials ADD COLUMN min_age REAL;
  ALTER TABLE trials ADD COLUMN max_age REAL;
  ALTER TABLE trials ADD COLUMN sex TEXT;

  -- Records imported before this version keep their registry JSON in raw: their sites and limits come from it.
  INSERT INTO trial_sites (id, trial_id, lat, lon, place)
    SELECT t.id * 8192 + l.key, t.id, json_extract(l.value, '$.geoPoint.lat'), json_extract(l.value, '$.geoPoint.lon'),
      lower(concat_ws(' ', json_extract(l.value, '$.facility'), json_extract(l.value, '$.city'),
        json_extract(l.value, '$.state'), json_extract(l.value, '$.country')))
    FROM trials t, json_each(t.raw, '$.protocolSection.contactsLocationsModule.locations') l
    WHERE t.raw IS NOT NULL AND json_valid(t.raw)
      AND json_type(l.value, '$.geoPoint.lat') IN ('real', 'integer')
      AND json_type(l.value, '$.geoPoint.lon') IN ('real', 'integer') AND l.key < 8192;
  INSERT INTO trial_geo (id, min_lat, max_lat, min_lon, max_lon) SELECT id, lat, lat, lon, lon FROM trial_sites;
  UPDATE trials SET
    min_age = ${ageYears("json_extract(raw, '$.protocolSection.eligibilityModule.minimumAge')")},
    max_age = ${ageYears("json_extract(raw, '$.protocolSection.eligibilityModule.maximumAge')")},
    sex = json_extract(raw, '$.protocolSection.eligibilityModule.sex')
  WHERE raw IS NOT NULL AND json_valid(raw);
  `,
  `
  -- What a trial search filters on, in rows of a few dozen bytes: reading status or age from trials meant
  -- paging through its JSON, about 9 ms of a 50,000-study search. points: the trial's sites as they are in
  -- trial_sites (lat, lon as little-endian float64 pairs, in record order), so a radius is measured per
  -- trial without the R*Tree; NULL until trial-facets.ts packs it (SQL cannot), which it does on open.
  CREATE TABLE trial_facets (
    id INTEGER PRIMARY KEY,
    status TEXT,
    phases TEXT NOT NULL,
    min_age REAL,
    max_age REAL,
    sex TEXT,
    points BLOB
  );
  CREATE INDEX trial_facets_unpacked ON trial_facets (id) WHERE points IS NULL;
  INSERT INTO trial_facets (id, status, phases, min_age, max_age, sex)
    SELECT id, status, phases, min_age, max_age, sex FROM trials;

  -- The R*Tree holds areas instead of sites: one entry per trial and 1° cell it has sites in (the box of
  -- those sites; id: trial id × 65536 + the cell), so a box around a dense city names each trial about once
  -- (14,000 entries around Paris instead of 36,000 sites). Exact distances come from trial_facets.points.
  DROP TABLE trial_geo;
  CREATE VIRTUAL TABLE trial_areas USING rtree (id, min_lat, max_lat, min_lon, max_lon);
  INSERT INTO trial_areas (id, min_lat, max_lat, min_lon, max_lon)
    SELECT trial_id * 65536 + (CAST(floor(lat) AS INTEGER) + 90) * 360 + CAST(floor(lon) AS INTEGER) + 180,
      min(lat), max(lat), min(lon), max(lon)
    FROM trial_sites GROUP BY 1;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; refuses a file written by a newer paperbot rather than guess. */
export function migrate(db: BetterSqlite3.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true });
  if (typeof current !== 'number')
    throw new PaperbotError('store_failure', `cannot read the schema version of ${file}`);
  if (current > SCHEMA_VERSION) {
    throw new PaperbotError(
      'store_failure',
      `${file} has library schema ${current}; this paperbot knows up to ${SCHEMA_VERSION}`,
      { retryable: false },
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version += 1) {
    const step = MIGRATIONS[version] as string;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
