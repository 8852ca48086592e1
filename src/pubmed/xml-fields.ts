// Formats of single PubMed fields: author display names, ORCID ids, publication and Entrez dates.
// Pure functions over already-extracted strings; leaves the XML walk and the Article assembly to others.

/** An author as the XML names it, before it becomes the Article's Author. */
export interface AuthorDraft {
  lastName?: string;
  foreName?: string;
  initials?: string;
  suffix?: string;
  collectiveName?: string;
  orcid?: string;
}

/** A date as the XML gives it: parts, a season, or MEDLINE's free text. */
export interface DateDraft {
  year?: string;
  month?: string;
  day?: string;
  season?: string;
  medlineDate?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Gandhi L", "van der Berg JH", "Smith JA Jr"; the initials are derived from ForeName when absent. */
export function authorDisplay(author: AuthorDraft): { text: string; initials?: string } | undefined {
  const lastName = author.lastName;
  if (lastName === undefined || lastName === '') return undefined;
  const initials =
    author.initials !== undefined && author.initials !== ''
      ? author.initials
      : author.foreName === undefined
        ? undefined
        : initialsOf(author.foreName);
  let text = initials === undefined ? lastName : `${lastName} ${initials}`;
  if (author.suffix !== undefined && author.suffix !== '') text += ` ${author.suffix}`;
  return initials === undefined ? { text } : { text, initials };
}

/** NLM's rule: the first letter of each given name, hyphenated parts included ("Jean-Paul" → "JP"). */
function initialsOf(foreName: string): string | undefined {
  let initials = '';
  for (const part of foreName.split(/[\s\-.]+/)) {
    const first = part.codePointAt(0);
    if (first !== undefined) initials += String.fromCodePoint(first).toUpperCase();
  }
  return initials === '' ? undefined : initials;
}

const ORCID = /(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])(?![\dXx])/;

/** The bare "0000-0002-1825-0097" form of an ORCID given bare, as a URL, or without hyphens. */
export function orcidOf(value: string): string | undefined {
  const match = ORCID.exec(value);
  if (match === null) return undefined;
  return `${match[1]}-${match[2]}-${match[3]}-${match[4]?.toUpperCase()}`;
}

const FIRST_YEAR = /(?:^|\D)(\d{4})(?!\d)/;

/** PubDate/Year, or the first four-digit year of a free-text MedlineDate ("1998 Dec-1999 Jan" → 1998). */
export function yearOf(date: DateDraft): string | undefined {
  const source = date.year ?? date.medlineDate;
  if (source === undefined) return undefined;
  return FIRST_YEAR.exec(source)?.[1];
}

/** The publication date as PubMed prints it in a citation: "2024 Feb 15", "1990 Spring", MedlineDate verbatim. */
export function pubDateOf(date: DateDraft): string | undefined {
  if (date.year === undefined || date.year === '') {
    return date.medlineDate === '' ? undefined : date.medlineDate;
  }
  let text = date.year;
  if (date.season !== undefined && date.season !== '') return `${text} ${date.season}`;
  const month = date.month === undefined ? undefined : monthName(date.month);
  if (month === undefined) return text;
  text += ` ${month}`;
  const day = date.day === undefined ? undefined : dayNumber(date.day);
  return day === undefined ? text : `${text} ${day}`;
}

/** "02" / "2" / "Feb" / "feb" → "Feb"; anything else is printed as it came. */
function monthName(month: string): string | undefined {
  if (month === '') return undefined;
  const number = monthNumber(month);
  return number === undefined ? month : MONTHS[number - 1];
}

function monthNumber(month: string): number | undefined {
  if (/^\d{1,2}$/.test(month)) {
    const number = Number(month);
    return number >= 1 && number <= 12 ? number : undefined;
  }
  const index = MONTHS.findIndex((name) => name.toLowerCase() === month.slice(0, 3).toLowerCase());
  return index === -1 ? undefined : index + 1;
}

function dayNumber(day: string): number | undefined {
  if (!/^\d{1,2}$/.test(day)) return undefined;
  const number = Number(day);
  return number >= 1 && number <= 31 ? number : undefined;
}

/** The Entrez date as `YYYY/MM/DD`, or nothing unless the record gives all three parts. */
export function entrezDate(date: DateDraft): string | undefined {
  const year = date.year;
  if (year === undefined || !/^\d{4}$/.test(year)) return undefined;
  const month = date.month === undefined ? undefined : monthNumber(date.month);
  const day = date.day === undefined ? undefined : dayNumber(date.day);
  if (month === undefined || day === undefined) return undefined;
  return `${year}/${month < 10 ? '0' : ''}${month}/${day < 10 ? '0' : ''}${day}`;
}
