// What a card says about retractions, corrections and comments linked to its record, and how loudly.
// One row per direction and type, so a new notice type does not compile until it is worded here.

import type { Notice } from '../article';
import type { ArticleCard } from '../reply';
import { pubmedUrl } from './links';
import { MARKS, type Emoji, type Tone } from './marks';

export type NoticeKey = `${Notice['about']}:${Notice['type']}`;

/** Above the title, where a clinician cannot miss it: "⚠️ RETRACTED — this article has been retracted." */
export interface WarningWording {
  kind: 'warning';
  emoji: Emoji;
  title: string;
  /** Follows the title, leading space included. */
  sentence: string;
  /** Introduces the linked records when there are any, leading space included; a period closes them. */
  refsLead: string;
  tone: Tone;
}

/** Shown quietly on one line: "Comment in PMID 1, PMID 2". */
export interface MentionWording {
  kind: 'mention';
  label: string;
}

export type NoticeWording = WarningWording | MentionWording;

const mention = (label: string): MentionWording => ({ kind: 'mention', label });

/** In the order cards show them: warnings first, strongest first, then the quiet mentions. */
export const NOTICE_WORDING: Record<NoticeKey, NoticeWording> = {
  'this:retraction': {
    kind: 'warning',
    emoji: MARKS.warning,
    title: 'RETRACTED',
    sentence: ' — this article has been retracted.',
    refsLead: ' Retraction notice: ',
    tone: 'danger',
  },
  'this:expression-of-concern': {
    kind: 'warning',
    emoji: MARKS.warning,
    title: 'Expression of concern',
    sentence: ' — the journal has raised concerns about this article.',
    refsLead: ' Notice: ',
    tone: 'caution',
  },
  'this:erratum': {
    kind: 'warning',
    emoji: MARKS.memo,
    title: 'Erratum',
    sentence: ' — a correction to this article was published.',
    refsLead: ' See ',
    tone: 'caution',
  },
  // This record IS a retraction notice about another article: said plainly, never as "retracted".
  'other:retraction': {
    kind: 'warning',
    emoji: MARKS.notice,
    title: 'Retraction notice',
    sentence: '',
    refsLead: ' — this record retracts ',
    tone: 'plain',
  },
  'this:comment': mention('Comment in'),
  'this:update': mention('Updated in'),
  'this:republished': mention('Republished in'),
  'other:comment': mention('Comment on'),
  'other:erratum': mention('Erratum for'),
  'other:expression-of-concern': mention('Expression of concern about'),
  'other:update': mention('Update of'),
  'other:republished': mention('Republished from'),
};

/** A linked record: its PubMed page, or PubMed's citation text for it (record text: renderers fit it). */
export type NoticeRef = { pmid: string; url: string } | { citation: string };

/** At most this many linked records per line; a card is not a bibliography. */
export const MAX_NOTICE_REFS = 5;

export interface CardWarning {
  wording: WarningWording;
  refs: NoticeRef[];
}

export interface CardMention {
  wording: MentionWording;
  refs: NoticeRef[];
  /** Linked records past MAX_NOTICE_REFS: counted ("and 7 more") so a much-discussed article looks it. */
  more: number;
}

/** What follows a mention's refs: "" or " and 7 more", the same words on every platform. */
export function moreText(m: CardMention): string {
  return m.more > 0 ? ` and ${m.more} more` : '';
}

function noticeRef(n: Notice): NoticeRef | undefined {
  const url = n.pmid ? pubmedUrl(n.pmid) : undefined;
  if (n.pmid && url) return { pmid: n.pmid, url };
  return n.source ? { citation: n.source } : undefined;
}

function refsOf(card: Pick<ArticleCard, 'notices'>, key: NoticeKey): NoticeRef[] {
  return card.notices
    .filter((n) => `${n.about}:${n.type}` === key)
    .slice(0, MAX_NOTICE_REFS)
    .map(noticeRef)
    .filter((r): r is NoticeRef => r !== undefined);
}

function present(card: Pick<ArticleCard, 'notices'>, key: NoticeKey): boolean {
  return card.notices.some((n) => `${n.about}:${n.type}` === key);
}

/** The warnings above a card's title; a retracted record is flagged even when PubMed linked no notice. */
export function cardWarnings(card: Pick<ArticleCard, 'notices' | 'retracted'>): CardWarning[] {
  const out: CardWarning[] = [];
  for (const [key, wording] of Object.entries(NOTICE_WORDING) as [NoticeKey, NoticeWording][]) {
    if (wording.kind !== 'warning') continue;
    const shown = present(card, key) || (key === 'this:retraction' && card.retracted);
    if (shown) out.push({ wording, refs: refsOf(card, key) });
  }
  return out;
}

/** The quiet line under a card: only the kinds with at least one linked record to name. */
export function cardMentions(card: Pick<ArticleCard, 'notices'>): CardMention[] {
  const out: CardMention[] = [];
  for (const [key, wording] of Object.entries(NOTICE_WORDING) as [NoticeKey, NoticeWording][]) {
    if (wording.kind !== 'mention') continue;
    const refs = refsOf(card, key);
    const linked = card.notices.filter((n) => `${n.about}:${n.type}` === key).length;
    if (refs.length > 0) out.push({ wording, refs, more: Math.max(0, linked - MAX_NOTICE_REFS) });
  }
  return out;
}

/** A warning as one plain line, given how a ref is written: "⚠️ RETRACTED — … Retraction notice: PMID 1." */
export function warningText(w: CardWarning, ref: (r: NoticeRef) => string): string {
  const refs = w.refs.map(ref).filter(Boolean).join(', ');
  return `${w.wording.title}${w.wording.sentence}${refs ? `${w.wording.refsLead}${refs}.` : ''}`;
}
