// Each renderer lays out the trial facts the card model words: design, arms, every primary outcome,
// eligibility essentials and the results tab link, on the full card of a recorded study.

import fs from 'node:fs';
import path from 'node:path';
import { renderReply as renderText } from '../../adapters/cli/render';
import { renderReply as renderSlack } from '../../adapters/slack/blocks';
import { renderReply as renderTeams } from '../../adapters/teams/cards';
import { parseStudy } from '../../src/clinicaltrials/study';
import { trialCard } from '../../src/core/cards';
import type { Reply } from '../../src/core/reply';
import type { Trial } from '../../src/core/trial';
import { allTexts } from './slack/block-checker';

const recorded = parseStudy(
  JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '..', 'fixtures', 'clinicaltrials', 'v2_study_NCT04267848_1148_sites.json'),
      'utf8',
    ),
  ) as unknown,
);
// The recording has one primary outcome and no results; four outcomes and posted results are set here.
const trial: Trial = {
  ...recorded,
  hasResults: true,
  primaryOutcomes: [1, 2, 3, 4].map((n) => ({ measure: `Outcome ${n}`, timeFrame: `${n} years` })),
};
const reply = (t: Trial, detail: 'summary' | 'full' = 'full'): Reply => ({
  cards: [trialCard(t, { detail, source: 'clinicaltrials', stale: false })],
  visibility: 'private',
});
const RESULTS = 'https://clinicaltrials.gov/study/NCT04267848?tab=results';
const NOTE = 'added automatically and may only cite the trial';
const ARM_B = 'Arm B (platinum doublet, sequential pembrolizumab) — Experimental: Carboplatin';

describe('trial card facts in every renderer', () => {
  it('Slack: design, arms, outcomes, eligibility and a linked results tab', () => {
    const texts = allTexts(renderSlack(reply(trial)).blocks).join('\n');
    expect(texts).toContain('Interventional · Phase 3 · 1,210 planned');
    expect(texts).toContain('Randomized · Open label (no masking)');
    expect(texts).toContain(`*Arms*\n• Arm A`);
    expect(texts).toContain(ARM_B);
    expect(texts).toContain(
      '*Primary outcomes*\n• Outcome 1 (1 years)\n• Outcome 2 (2 years)\n• Outcome 3 (3 years)\n• and 1 more',
    );
    expect(texts).toContain('Ages 18 years and older · All sexes · No healthy volunteers');
    expect(texts).toContain(`<${RESULTS}|Results posted>`);
    expect(texts).toContain('|PMID 33878954> (linked by PubMed)');
    expect(texts).toContain(NOTE);
    expect(allTexts(renderSlack(reply({ ...trial, hasResults: false })).blocks).join('\n')).not.toContain(
      'Results posted',
    );
  });

  it('Teams: the same facts, and the results tab as a link run', () => {
    const json = JSON.stringify(renderTeams(reply(trial)));
    for (const s of ['Randomized · Open label (no masking)', ARM_B, '• and 1 more', 'No healthy volunteers'])
      expect(json).toContain(s);
    expect(json).toContain(RESULTS);
    expect(json).toContain(NOTE);
    expect(JSON.stringify(renderTeams(reply({ ...trial, hasResults: false })))).not.toContain(RESULTS);
  });

  it('text: lists on the full card, the first outcome on the summary, the results URL on both', () => {
    const full = renderText(reply(trial), { color: false, width: 400 });
    expect(full).toContain('Interventional · Phase 3 · 1,210 planned');
    expect(full).toContain('Randomized · Open label (no masking)');
    expect(full).toContain('Arms:');
    expect(full).toContain(ARM_B);
    expect(full).toContain('Primary outcomes:');
    expect(full).toContain('• and 1 more');
    expect(full).toContain('Eligibility:');
    expect(full).toContain(`Results posted: ${RESULTS}`);
    expect(full).toContain('Publications: PMID 33878954 (linked by PubMed)');
    expect(full).toContain(NOTE);
    const summary = renderText(reply(trial, 'summary'), { color: false, width: 400 });
    expect(summary).toContain('Primary outcome: Outcome 1 (1 years)');
    expect(summary).not.toContain('Arms:');
    expect(summary).toContain(`Results posted: ${RESULTS}`);
  });
});

describe('eligibility card in every renderer', () => {
  const long = `Inclusion Criteria:\n\n${Array.from({ length: 400 }, (_, i) => `* Criterion number ${i}`).join('\n')}`;
  const eligibility = (criteria: string): Reply => ({
    cards: [
      trialCard(
        { ...trial, eligibility: { ...trial.eligibility, criteria } },
        { detail: 'full', source: 'clinicaltrials', stale: false, section: 'eligibility' },
      ),
    ],
    visibility: 'private',
  });
  const LINK = 'https://clinicaltrials.gov/study/NCT04267848';

  it('Slack: the criteria in one section cut to the section limit, the note and the full-record link', () => {
    const blocks = renderSlack(eligibility(long)).blocks;
    const texts = allTexts(blocks).join('\n');
    expect(texts).toContain('*Eligibility criteria*\nInclusion Criteria:\n• Criterion number 0\n');
    expect(texts).not.toContain('Criterion number 399');
    expect(allTexts(blocks).every((t) => t.length <= 3000)).toBe(true);
    expect(texts).toContain('does not judge whether a patient is eligible');
    expect(texts).toContain(`<${LINK}|Full record on ClinicalTrials.gov>`);
    expect(texts).not.toContain('*Arms*');
  });

  it('Teams: line by line within its budget, then the note and link', () => {
    const json = JSON.stringify(renderTeams(eligibility(long)));
    expect(json).toContain('• Criterion number 0');
    expect(json).not.toContain('Criterion number 399');
    expect(json).toContain('does not judge whether a patient is eligible');
    expect(json).toContain('Full record on ClinicalTrials.gov');
  });

  it('text: every line, then the note and link', () => {
    const out = renderText(eligibility(long), { color: false, width: 400 });
    expect(out).toContain('Eligibility criteria:');
    expect(out).toContain('• Criterion number 399');
    expect(out).toContain(`Full record on ClinicalTrials.gov: ${LINK}`);
    expect(out).not.toContain('Arms:');
  });
});
