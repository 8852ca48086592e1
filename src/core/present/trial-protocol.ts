// What a trial card says about the protocol: study type and design, arms, primary outcomes, eligibility
// essentials. Registry codes become words here; record text goes through the renderer's `fit`.

import type { Trial, TrialArm, TrialEligibility } from '../trial';
import type { Ink } from './marks';
import { criteriaLines } from './trial-eligibility';

/** Criteria lines a full card shows at a glance; the rest is behind the Eligibility button. */
const CRITERIA_AT_A_GLANCE = 4;

type Fit = Ink['fit'];

const STUDY_TYPE: Record<string, string> = {
  INTERVENTIONAL: 'Interventional',
  OBSERVATIONAL: 'Observational',
  EXPANDED_ACCESS: 'Expanded access',
};

const ALLOCATION: Record<string, string> = { RANDOMIZED: 'Randomized', NON_RANDOMIZED: 'Non-randomized' };

const MASKING: Record<string, string> = {
  NONE: 'Open label (no masking)',
  SINGLE: 'Single-blind',
  DOUBLE: 'Double-blind',
  TRIPLE: 'Triple-blind',
  QUADRUPLE: 'Quadruple-blind',
};

const SEX: Record<string, string> = { ALL: 'All sexes', FEMALE: 'Female only', MALE: 'Male only' };

/** A code the tables do not know yet ("SHAM_COMPARATOR") still reads as words: "Sham comparator". */
function words(code: string, fit: Fit): string {
  const s = code.toLowerCase().replace(/_/g, ' ');
  return fit(s.charAt(0).toUpperCase() + s.slice(1), 60);
}

function lookup(table: Record<string, string>, code: string | undefined, fit: Fit): string | undefined {
  return code ? (table[code] ?? words(code, fit)) : undefined;
}

/** "Interventional", "Observational", "Expanded access". */
export function studyTypeLabel(trial: Pick<Trial, 'studyType'>, fit: Fit): string | undefined {
  return lookup(STUDY_TYPE, trial.studyType, fit);
}

/** "Randomized · Double-blind" for interventional studies; allocation NA says nothing. */
export function designLabel(trial: Pick<Trial, 'studyType' | 'design'>, fit: Fit): string | undefined {
  if (trial.studyType !== 'INTERVENTIONAL' || !trial.design) return undefined;
  const { allocation, masking } = trial.design;
  const parts = [
    allocation === 'NA' ? undefined : lookup(ALLOCATION, allocation, fit),
    lookup(MASKING, masking, fit),
  ].filter((x): x is string => Boolean(x));
  return parts.length ? parts.join(' · ') : undefined;
}

/** "18 Years" → "18 years"; the registry writes the unit after the number. */
function age(text: string | undefined, fit: Fit): { n: string; unit: string } | undefined {
  const m = text?.trim().match(/^(\d+(?:\.\d+)?)\s+(\w+)$/);
  if (!m) return text ? { n: fit(text, 30), unit: '' } : undefined;
  return { n: m[1] as string, unit: (m[2] as string).toLowerCase() };
}

/** "18 years and older", "18–75 years", "6 months–17 years", "up to 17 years". */
export function ageRangeLabel(
  e: Pick<TrialEligibility, 'minimumAge' | 'maximumAge'>,
  fit: Fit,
): string | undefined {
  const min = age(e.minimumAge, fit);
  const max = age(e.maximumAge, fit);
  const show = (a: { n: string; unit: string }) => (a.unit ? `${a.n} ${a.unit}` : a.n);
  if (min && max) return min.unit === max.unit ? `${min.n}–${show(max)}` : `${show(min)}–${show(max)}`;
  if (min) return `${show(min)} and older`;
  if (max) return `up to ${show(max)}`;
  return undefined;
}

/** Who may take part, in one line; the criteria text itself is behind the Eligibility command. */
export function eligibilityLabel(trial: Pick<Trial, 'eligibility'>, fit: Fit): string | undefined {
  const e = trial.eligibility;
  if (!e) return undefined;
  const ages = ageRangeLabel(e, fit);
  const parts = [
    ages ? `Ages ${ages}` : undefined,
    lookup(SEX, e.sex, fit),
    e.healthyVolunteers === undefined
      ? undefined
      : e.healthyVolunteers
        ? 'Accepts healthy volunteers'
        : 'No healthy volunteers',
  ].filter((x): x is string => Boolean(x));
  return parts.length ? parts.join(' · ') : undefined;
}

/** Intervention types that name what a participant is given; an arm lists these before its procedures. */
const GIVEN = /^(Drug|Biological|Combination Product|Genetic|Dietary Supplement|Radiation):/i;

/** "Drug: Remdesivir" → "Remdesivir": the arm's own type already says what kind of arm it is. */
function interventionName(name: string): string {
  return name.replace(/^[A-Za-z ]+:\s*/, '');
}

/** "Remdesivir — Experimental: Remdesivir": drugs first, then procedures, then how many more. */
export function armLine(arm: TrialArm, fit: Fit, maxNames = 6): string {
  const type = arm.type ? ` — ${words(arm.type, fit)}` : '';
  const all = arm.interventions ?? [];
  const names = [...all.filter((n) => GIVEN.test(n)), ...all.filter((n) => !GIVEN.test(n))].map(
    interventionName,
  );
  const shown = names.slice(0, maxNames).map((n) => fit(n, 80));
  const more = names.length > maxNames ? `, and ${names.length - maxNames} more` : '';
  return `${fit(arm.label, 150)}${type}${shown.length ? `: ${shown.join(', ')}${more}` : ''}`;
}

/** The first three primary outcomes with their time frames, then how many more the record has. */
export function primaryOutcomeList(trial: Pick<Trial, 'primaryOutcomes'>, fit: Fit, max = 3): string[] {
  const all = trial.primaryOutcomes;
  const items = all
    .slice(0, max)
    .map((o) => `${fit(o.measure, 300)}${o.timeFrame ? ` (${fit(o.timeFrame, 120)})` : ''}`);
  if (all.length > max) items.push(`and ${all.length - max} more`);
  return items;
}

/** The criteria's first lines as written, then how many more the Eligibility button shows. */
function criteriaGlance(trial: Pick<Trial, 'eligibility'>, fit: Fit): string[] {
  const criteria = trial.eligibility?.criteria;
  if (!criteria) return [];
  const lines = criteriaLines(criteria);
  // The renderers bullet each item themselves.
  const shown = lines.slice(0, CRITERIA_AT_A_GLANCE).map((l) => fit(l.replace(/^\s*[•◦]\s+/, ''), 300));
  const more = lines.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more ${more === 1 ? 'line' : 'lines'} under Eligibility`] : shown;
}

/** The bullet lists of a full trial card: arms (or bare interventions), primary outcomes, eligibility. */
export function trialLists(trial: Trial, fit: Fit): { heading: string; items: string[] }[] {
  const eligibility = eligibilityLabel(trial, fit);
  return [
    trial.arms.length > 0
      ? {
          heading: 'Arms',
          items: [
            ...trial.arms.slice(0, 6).map((a) => armLine(a, fit)),
            ...(trial.arms.length > 6 ? [`and ${trial.arms.length - 6} more arms`] : []),
          ],
        }
      : { heading: 'Interventions', items: trial.interventions.slice(0, 6).map((i) => fit(i.name, 150)) },
    {
      heading: trial.primaryOutcomes.length === 1 ? 'Primary outcome' : 'Primary outcomes',
      items: primaryOutcomeList(trial, fit),
    },
    { heading: 'Eligibility', items: [...(eligibility ? [eligibility] : []), ...criteriaGlance(trial, fit)] },
  ].filter((l) => l.items.length > 0);
}
