// The neutral model of one ClinicalTrials.gov study, as clinicaltrials/study.ts and the library yield it.
// Dates stay as the registry gives them ("2024-05" stays a month); absent fields stay absent.

export type TrialStatus =
  | 'ACTIVE_NOT_RECRUITING'
  | 'COMPLETED'
  | 'ENROLLING_BY_INVITATION'
  | 'NOT_YET_RECRUITING'
  | 'RECRUITING'
  | 'SUSPENDED'
  | 'TERMINATED'
  | 'WITHDRAWN'
  | 'AVAILABLE'
  | 'NO_LONGER_AVAILABLE'
  | 'TEMPORARILY_NOT_AVAILABLE'
  | 'APPROVED_FOR_MARKETING'
  | 'WITHHELD'
  | 'UNKNOWN';

export interface TrialDate {
  /** As given: "2024", "2024-05" or "2024-05-17". */
  date: string;
  /** ACTUAL or ESTIMATED, when the registry says. */
  type?: 'ACTUAL' | 'ESTIMATED';
}

export interface TrialIntervention {
  type?: string;
  name: string;
  description?: string;
  otherNames?: string[];
}

export interface TrialArm {
  label: string;
  type?: string;
  description?: string;
  interventions?: string[];
}

export interface TrialOutcome {
  measure: string;
  description?: string;
  timeFrame?: string;
}

export interface TrialReference {
  pmid?: string;
  type?: 'RESULT' | 'BACKGROUND' | 'DERIVED';
  citation?: string;
  /** PMIDs of retraction notices ClinicalTrials.gov lists for this reference. */
  retractions?: string[];
}

/** How the study is built, as the registry states it (interventional studies only). */
export interface TrialDesign {
  /** RANDOMIZED, NON_RANDOMIZED or NA. */
  allocation?: string;
  /** PARALLEL, CROSSOVER, SINGLE_GROUP, FACTORIAL, SEQUENTIAL. */
  interventionModel?: string;
  /** TREATMENT, PREVENTION, DIAGNOSTIC, SUPPORTIVE_CARE, … */
  primaryPurpose?: string;
  /** NONE, SINGLE, DOUBLE, TRIPLE or QUADRUPLE. */
  masking?: string;
  /** Who is masked: PARTICIPANT, CARE_PROVIDER, INVESTIGATOR, OUTCOMES_ASSESSOR. */
  whoMasked?: string[];
}

/** Who may take part, as written; paperbot never judges a patient's eligibility from it. */
export interface TrialEligibility {
  /** As given: "18 Years", "6 Months". */
  minimumAge?: string;
  maximumAge?: string;
  /** ALL, FEMALE or MALE. */
  sex?: string;
  healthyVolunteers?: boolean;
  /** CHILD, ADULT, OLDER_ADULT. */
  stdAges?: string[];
  /** The inclusion and exclusion criteria text, verbatim (Markdown-like lists as the registry keeps them). */
  criteria?: string;
}

/** One facility of the study, as its location entry says; the geoPoint is the registry's own geocoding. */
export interface TrialSite {
  facility?: string;
  city?: string;
  state?: string;
  country?: string;
  /** This site's own recruitment status (RECRUITING, NOT_YET_RECRUITING, …), which may differ from the study's. */
  status?: string;
  geo?: { lat: number; lon: number };
  /** The site's first contact, when the record names one. */
  contact?: { name?: string; phone?: string; email?: string };
}

export interface Trial {
  nct: string;
  briefTitle: string;
  officialTitle?: string;
  acronym?: string;
  /** e.g. ["PHASE2", "PHASE3"]; "NA" for studies without phases. */
  phases: string[];
  status?: TrialStatus;
  whyStopped?: string;
  studyType?: string;
  conditions: string[];
  keywords?: string[];
  interventions: TrialIntervention[];
  arms: TrialArm[];
  enrollment?: { count: number; type?: 'ACTUAL' | 'ESTIMATED' };
  design?: TrialDesign;
  eligibility?: TrialEligibility;
  leadSponsor?: string;
  collaborators?: string[];
  startDate?: TrialDate;
  primaryCompletionDate?: TrialDate;
  completionDate?: TrialDate;
  lastUpdate?: string;
  primaryOutcomes: TrialOutcome[];
  briefSummary?: string;
  locationCount: number;
  /** The study's sites in the record's order; absent when the answer did not include locations. */
  sites?: TrialSite[];
  hasResults: boolean;
  references: TrialReference[];
}

/** Statuses after which a study's enrollment count can no longer be a plan. */
const CLOSED: ReadonlySet<TrialStatus> = new Set(['COMPLETED', 'TERMINATED', 'WITHDRAWN']);

/**
 * Whether the enrollment count is what happened or what is planned. The registry's own type decides; without
 * one, a study still open can only have a planned number, and a closed one is left unqualified rather than
 * guessed.
 */
export function enrollmentKind(
  trial: Pick<Trial, 'enrollment' | 'status'>,
): 'actual' | 'planned' | 'unqualified' {
  const type = trial.enrollment?.type;
  if (type === 'ACTUAL') return 'actual';
  if (type === 'ESTIMATED') return 'planned';
  return trial.status && !CLOSED.has(trial.status) ? 'planned' : 'unqualified';
}
