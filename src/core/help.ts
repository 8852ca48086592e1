// The help card: the whole grammar with examples a clinician can copy.
// Kept beside commands.ts in spirit: change one, change the other.

import type { HelpCard } from './reply';
import { CITATION_FORMATS } from './styles';

export function helpCard(): HelpCard {
  return {
    type: 'help',
    title: 'paperbot — PubMed and ClinicalTrials.gov in your chat',
    sections: [
      {
        heading: 'Search PubMed',
        lines: [
          'immunotherapy liver metastases',
          'pembrolizumab nsclc type:rct since:2020 sort:date',
          '"liver metastases"[ti] AND (nivolumab OR pembrolizumab)',
          'Filters: type:rct|meta|sr|review|guideline|trial|case (repeatable), since:YYYY, until:YYYY, sort:relevance|date|cited',
        ],
      },
      {
        heading: 'Open a record',
        lines: [
          '29658856 · pmid:29658856 · a PubMed, PMC or doi.org link',
          '10.1056/NEJMoa1801005 · PMC6081797',
          `similar 29658856 · cite 29658856 vancouver (${CITATION_FORMATS.join(', ')})`,
          'cited-by 29658856 · references 29658856 — the works citing it, and those it cites',
          'share 29658856 — post the card to this channel for the tumor board',
        ],
      },
      {
        heading: 'How much evidence is there?',
        lines: [
          'map pembrolizumab nsclc — counts by evidence level and publications per year, as a chart',
          'map "liver metastases" immunotherapy since:2015 until:2024',
        ],
      },
      {
        heading: 'Clinical trials',
        lines: [
          'trial NCT02578680 · trial KEYNOTE-189',
          'trial pembrolizumab nsclc status:recruiting phase:3',
          'trial NCT04267848 eligibility — the criteria as written (paperbot never judges a patient eligible)',
        ],
      },
      {
        heading: 'Shared in this channel',
        lines: [
          'share NCT02578680 — post a trial card; every shared card is watched for retractions and status changes',
          'watch — what the channel watches and what changed · unwatch 29658856',
          'list · list this week · list last 30 days · list since 2026-11-01 — the reading list',
        ],
      },
      {
        heading: 'Trials a board can offer',
        lines: [
          'trial search "EGFR L858R" cond:"non-small cell lung cancer" near:here within:100km',
          'trial search "KRAS G12C" cond:colorectal phase:2 near:48.8414,2.3400 within:30mi',
          'trial search cond:"liver metastases" age:64 sex:female near:Lyon',
          'Filters: cond:, drug:, status:recruiting|open|active|any (default: recruiting and not yet recruiting), phase:1|2|3|4|1/2|2/3, near:here|<lat>,<lon>|<city>, within:50km|30mi (default 100 km), age:<years>, sex:female|male',
          "site set 48.8414,2.3400 Institut Curie · site · site clear — this channel's site, for near:here and distances",
        ],
      },
    ],
  };
}
