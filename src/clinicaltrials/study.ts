// Pure mapping of ClinicalTrials.gov API v2 study JSON (one study, or one page of /studies) to the Trial model.
// No I/O: the client fetches, the service retries and caches; only this file knows the registry's JSON shape.

import { z } from 'zod';
import type {
  Trial,
  TrialArm,
  TrialDate,
  TrialDesign,
  TrialEligibility,
  TrialIntervention,
  TrialOutcome,
  TrialReference,
  TrialSite,
} from '../core/trial';
import { isGeoPoint } from '../core/geo';
import { ctgovError } from './errors';
import { isTrialStatus } from './vocabulary';

// Loose by design: unknown keys are dropped, every field but nctId may be missing (searches often
// ask for a few fields only), and null is read as absent. Enum-like strings stay plain strings here
// so a value the registry adds later narrows to "absent" below instead of failing the whole study.
const text = z.string().nullish();
const textList = z.array(z.string()).nullish();
const dateStruct = z.object({ date: z.string(), type: text }).nullish();
const pmid = z.union([z.string(), z.number()]).nullish();

const studySchema = z.object({
  protocolSection: z.object({
    identificationModule: z.object({
      nctId: z.string().regex(/^NCT\d{8}$/),
      briefTitle: text,
      officialTitle: text,
      acronym: text,
    }),
    statusModule: z
      .object({
        overallStatus: text,
        whyStopped: text,
        startDateStruct: dateStruct,
        primaryCompletionDateStruct: dateStruct,
        completionDateStruct: dateStruct,
        lastUpdatePostDateStruct: dateStruct,
      })
      .nullish(),
    sponsorCollaboratorsModule: z
      .object({
        leadSponsor: z.object({ name: text }).nullish(),
        collaborators: z.array(z.object({ name: text })).nullish(),
      })
      .nullish(),
    descriptionModule: z.object({ briefSummary: text }).nullish(),
    conditionsModule: z.object({ conditions: textList, keywords: textList }).nullish(),
    designModule: z
      .object({
        studyType: text,
        phases: textList,
        enrollmentInfo: z.object({ count: z.number().nullish(), type: text }).nullish(),
        designInfo: z
          .object({
            allocation: text,
            interventionModel: text,
            primaryPurpose: text,
            maskingInfo: z.object({ masking: text, whoMasked: textList }).nullish(),
          })
          .nullish(),
      })
      .nullish(),
    eligibilityModule: z
      .object({
        eligibilityCriteria: text,
        healthyVolunteers: z.boolean().nullish(),
        sex: text,
        minimumAge: text,
        maximumAge: text,
        stdAges: textList,
      })
      .nullish(),
    armsInterventionsModule: z
      .object({
        armGroups: z
          .array(z.object({ label: text, type: text, description: text, interventionNames: textList }))
          .nullish(),
        interventions: z
          .array(z.object({ type: text, name: text, description: text, otherNames: textList }))
          .nullish(),
      })
      .nullish(),
    outcomesModule: z
      .object({
        primaryOutcomes: z.array(z.object({ measure: text, description: text, timeFrame: text })).nullish(),
      })
      .nullish(),
    referencesModule: z
      .object({
        references: z
          .array(
            z.object({
              pmid,
              type: text,
              citation: text,
              retractions: z.array(z.object({ pmid, source: text })).nullish(),
            }),
          )
          .nullish(),
      })
      .nullish(),
    contactsLocationsModule: z.object({ locations: z.array(z.unknown()).nullish() }).nullish(),
  }),
  hasResults: z.boolean().nullish(),
});

// Checked one by one (see toSites): a malformed location drops that site, never the study.
const locationSchema = z.object({
  facility: text,
  status: text,
  city: text,
  state: text,
  country: text,
  geoPoint: z.object({ lat: z.number(), lon: z.number() }).nullish(),
  contacts: z.array(z.object({ name: text, phone: text, email: text })).nullish(),
});

const pageSchema = z.object({
  studies: z.array(z.unknown()),
  nextPageToken: text,
  totalCount: z.number().nullish(),
});

type StudyJson = z.infer<typeof studySchema>;

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected shape';
  return `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`;
}

/** One study object as /studies/{nct} returns it (or one element of a page's `studies`). */
export function parseStudy(json: unknown): Trial {
  return parseStudyAt(json, 'study');
}

function parseStudyAt(json: unknown, where: string): Trial {
  const result = studySchema.safeParse(json);
  if (!result.success) {
    // The same bytes would fail the same way: retrying cannot help.
    throw ctgovError(
      'bad_body',
      `not a ClinicalTrials.gov study (${where}): ${describeIssue(result.error)}`,
      {
        retryable: false,
        cause: result.error,
      },
    );
  }
  return toTrial(result.data);
}

export interface StudyPage {
  studies: Trial[];
  /** Absent on the last page. */
  nextPageToken?: string;
  /** Only on the first page, and only when countTotal=true was asked. */
  totalCount?: number;
}

/** One page of GET /studies. A page may be empty and still carry a nextPageToken. */
export function parseStudyPage(json: unknown): StudyPage {
  const result = pageSchema.safeParse(json);
  if (!result.success) {
    throw ctgovError('bad_body', `not a ClinicalTrials.gov studies page: ${describeIssue(result.error)}`, {
      retryable: false,
      cause: result.error,
    });
  }
  const page: StudyPage = {
    studies: result.data.studies.map((study, index) => parseStudyAt(study, `studies[${index}]`)),
  };
  if (result.data.nextPageToken) page.nextPageToken = result.data.nextPageToken;
  if (typeof result.data.totalCount === 'number') page.totalCount = result.data.totalCount;
  return page;
}

function toTrial(study: StudyJson): Trial {
  const p = study.protocolSection;
  const id = p.identificationModule;
  const status = p.statusModule;
  const sponsors = p.sponsorCollaboratorsModule;
  const design = p.designModule;
  const arms = p.armsInterventionsModule;

  const trial: Trial = {
    nct: id.nctId,
    // The model requires a title; a fields= filter may leave only the official one, and otherwise
    // an empty string is honest where a made-up title would not be.
    briefTitle: id.briefTitle ?? id.officialTitle ?? '',
    phases: design?.phases ?? [],
    conditions: p.conditionsModule?.conditions ?? [],
    interventions: (arms?.interventions ?? []).flatMap(toIntervention),
    arms: (arms?.armGroups ?? []).flatMap(toArm),
    primaryOutcomes: (p.outcomesModule?.primaryOutcomes ?? []).flatMap(toOutcome),
    locationCount: p.contactsLocationsModule?.locations?.length ?? 0,
    hasResults: study.hasResults ?? false,
    references: (p.referencesModule?.references ?? []).map(toReference),
  };

  if (id.officialTitle) trial.officialTitle = id.officialTitle;
  if (id.acronym) trial.acronym = id.acronym;
  if (status?.overallStatus && isTrialStatus(status.overallStatus)) trial.status = status.overallStatus;
  if (status?.whyStopped) trial.whyStopped = status.whyStopped;
  if (design?.studyType) trial.studyType = design.studyType;
  if (p.conditionsModule?.keywords) trial.keywords = p.conditionsModule.keywords;
  const enrollment = design?.enrollmentInfo;
  if (typeof enrollment?.count === 'number') {
    const type = actualOrEstimated(enrollment.type);
    trial.enrollment = type ? { count: enrollment.count, type } : { count: enrollment.count };
  }
  const locations = p.contactsLocationsModule?.locations;
  if (locations) trial.sites = toSites(locations);
  const trialDesign = toDesign(design?.designInfo);
  if (trialDesign) trial.design = trialDesign;
  const eligibility = toEligibility(p.eligibilityModule);
  if (eligibility) trial.eligibility = eligibility;
  if (sponsors?.leadSponsor?.name) trial.leadSponsor = sponsors.leadSponsor.name;
  if (sponsors?.collaborators) {
    trial.collaborators = sponsors.collaborators.flatMap((c) => (c.name ? [c.name] : []));
  }
  const start = toDate(status?.startDateStruct);
  if (start) trial.startDate = start;
  const primaryCompletion = toDate(status?.primaryCompletionDateStruct);
  if (primaryCompletion) trial.primaryCompletionDate = primaryCompletion;
  const completion = toDate(status?.completionDateStruct);
  if (completion) trial.completionDate = completion;
  if (status?.lastUpdatePostDateStruct?.date) trial.lastUpdate = status.lastUpdatePostDateStruct.date;
  if (p.descriptionModule?.briefSummary) trial.briefSummary = p.descriptionModule.briefSummary;
  return trial;
}

function toSites(locations: unknown[]): TrialSite[] {
  return locations.flatMap((json) => {
    const parsed = locationSchema.safeParse(json);
    if (!parsed.success) return [];
    const l = parsed.data;
    const site: TrialSite = {};
    if (l.facility) site.facility = l.facility;
    if (l.city) site.city = l.city;
    if (l.state) site.state = l.state;
    if (l.country) site.country = l.country;
    if (l.status) site.status = l.status;
    if (l.geoPoint && isGeoPoint(l.geoPoint)) site.geo = { lat: l.geoPoint.lat, lon: l.geoPoint.lon };
    const first = l.contacts?.find((c) => c.name || c.phone || c.email);
    if (first) {
      const contact: NonNullable<TrialSite['contact']> = {};
      if (first.name) contact.name = first.name;
      if (first.phone) contact.phone = first.phone;
      if (first.email) contact.email = first.email;
      site.contact = contact;
    }
    return [site];
  });
}

function actualOrEstimated(value: string | null | undefined): 'ACTUAL' | 'ESTIMATED' | undefined {
  return value === 'ACTUAL' || value === 'ESTIMATED' ? value : undefined;
}

function toDate(struct: { date: string; type?: string | null } | null | undefined): TrialDate | undefined {
  if (!struct?.date) return undefined;
  const type = actualOrEstimated(struct.type);
  return type ? { date: struct.date, type } : { date: struct.date };
}

type DesignInfoJson = NonNullable<StudyJson['protocolSection']['designModule']>['designInfo'];
type EligibilityJson = StudyJson['protocolSection']['eligibilityModule'];

// Both return undefined when the registry said nothing, so the field is absent rather than empty.
function toDesign(json: DesignInfoJson): TrialDesign | undefined {
  if (!json) return undefined;
  const out: TrialDesign = {};
  if (json.allocation) out.allocation = json.allocation;
  if (json.interventionModel) out.interventionModel = json.interventionModel;
  if (json.primaryPurpose) out.primaryPurpose = json.primaryPurpose;
  if (json.maskingInfo?.masking) out.masking = json.maskingInfo.masking;
  if (json.maskingInfo?.whoMasked && json.maskingInfo.whoMasked.length > 0)
    out.whoMasked = json.maskingInfo.whoMasked;
  return Object.keys(out).length > 0 ? out : undefined;
}

function toEligibility(json: EligibilityJson): TrialEligibility | undefined {
  if (!json) return undefined;
  const out: TrialEligibility = {};
  if (json.minimumAge) out.minimumAge = json.minimumAge;
  if (json.maximumAge) out.maximumAge = json.maximumAge;
  if (json.sex) out.sex = json.sex;
  if (typeof json.healthyVolunteers === 'boolean') out.healthyVolunteers = json.healthyVolunteers;
  if (json.stdAges && json.stdAges.length > 0) out.stdAges = json.stdAges;
  if (json.eligibilityCriteria?.trim()) out.criteria = json.eligibilityCriteria.trim();
  return Object.keys(out).length > 0 ? out : undefined;
}

type InterventionJson = NonNullable<
  NonNullable<StudyJson['protocolSection']['armsInterventionsModule']>['interventions']
>[number];
type ArmJson = NonNullable<
  NonNullable<StudyJson['protocolSection']['armsInterventionsModule']>['armGroups']
>[number];
type OutcomeJson = NonNullable<
  NonNullable<StudyJson['protocolSection']['outcomesModule']>['primaryOutcomes']
>[number];
type ReferenceJson = NonNullable<
  NonNullable<StudyJson['protocolSection']['referencesModule']>['references']
>[number];

// Entries without their identifying text (name, label, measure) carry nothing a card could show.
function toIntervention(json: InterventionJson): TrialIntervention[] {
  if (!json.name) return [];
  const out: TrialIntervention = { name: json.name };
  if (json.type) out.type = json.type;
  if (json.description) out.description = json.description;
  if (json.otherNames) out.otherNames = json.otherNames;
  return [out];
}

function toArm(json: ArmJson): TrialArm[] {
  if (!json.label) return [];
  const out: TrialArm = { label: json.label };
  if (json.type) out.type = json.type;
  if (json.description) out.description = json.description;
  if (json.interventionNames) out.interventions = json.interventionNames;
  return [out];
}

function toOutcome(json: OutcomeJson): TrialOutcome[] {
  if (!json.measure) return [];
  const out: TrialOutcome = { measure: json.measure };
  if (json.description) out.description = json.description;
  if (json.timeFrame) out.timeFrame = json.timeFrame;
  return [out];
}

function toReference(json: ReferenceJson): TrialReference {
  const out: TrialReference = {};
  const id = pmidText(json.pmid);
  if (id) out.pmid = id;
  if (json.type === 'RESULT' || json.type === 'BACKGROUND' || json.type === 'DERIVED') out.type = json.type;
  if (json.citation) out.citation = json.citation;
  // The registry copies retractions from PubMed, so each carries the notice's PMID; the model holds
  // only those PMIDs, and the field is present exactly when there is at least one.
  const retractions = (json.retractions ?? []).flatMap((r) => {
    const notice = pmidText(r.pmid);
    return notice ? [notice] : [];
  });
  if (retractions.length > 0) out.retractions = retractions;
  return out;
}

function pmidText(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}
