// Writes a reading-list handout made from recorded records (test/fixtures): an RCT, a review, the record with
// a real erratum, the same record retracted (an edit: no fixture holds a retraction), and a recorded trial.
// For scripts/handout-check.sh. Usage: node -r @swc-node/register scripts/handout-sample.ts <out.html>

import fs from 'node:fs';
import path from 'node:path';
import type { Article } from '../src/core/article';
import { articleStatus, trialStatus } from '../src/core/shares';
import { parseStudy } from '../src/clinicaltrials/study';
import { parseArticleSet } from '../src/pubmed/xml';
import { exportReadingList } from '../src/watch/exports';
import type { WatchedShare } from '../src/watch/types';
import { articleVersions } from '../test/watch/support';

const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures');
const read = (...p: string[]): string => fs.readFileSync(path.join(FIXTURES, ...p), 'utf8');

function main(): void {
  const out = process.argv[2];
  if (!out) throw new Error('usage: handout-sample.ts <out.html>');
  const erratum = read('ncbi', 'efetch_pubmed_35649368.xml');
  const articles: Article[] = [
    ...parseArticleSet(read('ncbi', 'efetch_pubmed_rct_phase3_databank_22663011.xml')).articles,
    ...parseArticleSet(read('ncbi', 'efetch_pubmed_review_12091962.xml')).articles,
    ...parseArticleSet(erratum).articles,
  ];
  const retracted = parseArticleSet(articleVersions(erratum).retracted).articles[0];
  const trial = parseStudy(JSON.parse(read('clinicaltrials', 'v2_study_NCT02576665_fields.json')) as unknown);
  const at = Date.parse('2026-11-20T15:00:00Z');
  const base = { platform: 'slack' as const, channel: 'C0BOARD', by: { id: 'U0', name: 'dr.lee' }, told: [] };
  const shares: WatchedShare[] = articles.map((a, i) => ({
    ...base,
    id: `a${i}`,
    messageId: `m${i}`,
    at: at + i,
    item: { kind: 'article', id: a.pmid },
    title: a.title.map((s) => s.text).join(''),
    status: articleStatus(a),
    facts: {
      evidence: a.evidence,
      ...(a.journal ? { journal: a.journal } : {}),
      ...(a.year ? { year: a.year } : {}),
    },
  }));
  const byPmid = new Map(articles.map((a) => [a.pmid, a]));
  if (retracted) {
    // The erratum's record is now also retracted: the watcher's status and the fresh record both say so.
    const at = shares.findIndex((s) => s.item.id === retracted.pmid);
    const shared = shares[at];
    if (shared) shares[at] = { ...shared, status: articleStatus(retracted) };
    byPmid.set(retracted.pmid, retracted);
  }
  shares.push({
    ...base,
    id: 't0',
    messageId: 't0',
    at: at + 10,
    item: { kind: 'trial', id: trial.nct },
    title: trial.briefTitle,
    status: trialStatus(trial),
    facts: { phases: trial.phases },
  });
  const file = exportReadingList('html', {
    shares,
    articles: byPmid,
    windowLabel: 'since 2026-11-01',
    channelLabel: '#tumor-board',
  });
  fs.writeFileSync(out, file.text);
}

main();
