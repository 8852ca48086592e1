// The raw field groups of a PubMed record as the XML reader collects them, before any formatting.
// Filled by xml-handlers.ts into xml-record.ts's RecordDraft; formatted by xml-fields.ts.

export interface AuthorDraft {
  lastName?: string;
  foreName?: string;
  initials?: string;
  suffix?: string;
  collectiveName?: string;
  orcid?: string;
}

export interface MeshDraft {
  descriptor: string;
  major: boolean;
  qualifiers: string[];
}

export interface DateDraft {
  year?: string;
  month?: string;
  day?: string;
  season?: string;
  medlineDate?: string;
}
