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
  leadSponsor?: string;
  collaborators?: string[];
  startDate?: TrialDate;
  primaryCompletionDate?: TrialDate;
  completionDate?: TrialDate;
  lastUpdate?: string;
  primaryOutcomes: TrialOutcome[];
  briefSummary?: string;
  locationCount: number;
  hasResults: boolean;
  references: TrialReference[];
}
