// The messaging extension: search (composeExtension/query, command "paper"), link unfurling
// (composeExtension/queryLink) and item selection, each answered from one core reply. app.ts routes them.

import { evidenceBadge } from '../../src/core/present/badges';
import { trialStatus } from '../../src/core/present/trials';
import type { Card, Reply } from '../../src/core/reply';
import type { Assistant } from '../../src/core/reply';
import { fit } from './adaptive';
import { renderReply } from './cards';
import { coreRequest, type IncomingActivity } from './incoming';

export const SEARCH_COMMAND_ID = 'paper';

/** The shapes Teams reads back (MessagingExtensionResult); the SDK wraps them in {composeExtension}. */
export interface ExtensionAttachment {
  contentType: string;
  content: unknown;
  preview?: {
    contentType: 'application/vnd.microsoft.card.thumbnail';
    content: { title: string; subtitle?: string; text?: string };
  };
}

export interface ExtensionResult {
  type: 'result' | 'message';
  attachmentLayout?: 'list' | 'grid';
  attachments?: ExtensionAttachment[];
  text?: string;
}

export interface ExtensionQuery {
  commandId?: string;
  parameters?: { name?: string; value?: unknown }[];
  queryOptions?: { skip?: number; count?: number };
}

const EMPTY: ExtensionResult = { type: 'result', attachmentLayout: 'list', attachments: [] };

/** Preview text is rendered with Markdown/HTML by Teams: record text gets look-alikes that format nothing. */
function inert(text: string, max: number): string {
  const swaps: Record<string, string> = {
    '<': '＜',
    '>': '＞',
    '*': '∗',
    _: '＿',
    '`': 'ˋ',
    '[': '［',
    ']': '］',
  };
  return fit(text, max).replace(/[<>*_`[\]]/g, (c) => swaps[c] ?? c);
}

function preview(c: Card): ExtensionAttachment['preview'] {
  if (c.type === 'article') {
    const badge = evidenceBadge(c);
    const meta = [
      c.authors.slice(0, 3).join(', ') + (c.authors.length > 3 ? ' et al.' : ''),
      c.journal,
      c.year,
    ]
      .filter(Boolean)
      .join(' · ');
    return {
      contentType: 'application/vnd.microsoft.card.thumbnail',
      content: {
        title: inert(`${c.retracted ? '⚠️ RETRACTED: ' : ''}${c.title || `PMID ${c.pmid}`}`, 160),
        ...(meta ? { subtitle: inert(meta, 160) } : {}),
        text: inert(`PMID ${c.pmid}${badge ? ` · ${badge.label}` : ''}`, 80),
      },
    };
  }
  if (c.type === 'trial') {
    const t = c.trial;
    return {
      contentType: 'application/vnd.microsoft.card.thumbnail',
      content: {
        title: inert(`${t.nct}: ${t.acronym ? `${t.acronym} — ` : ''}${t.briefTitle}`, 160),
        ...(t.status ? { subtitle: inert(trialStatus(t.status)?.label ?? t.status, 60) } : {}),
      },
    };
  }
  return undefined;
}

/** One result per article or trial card: the card as it will be inserted, and a thumbnail for the list. */
export function resultAttachments(reply: Reply): ExtensionAttachment[] {
  const out: ExtensionAttachment[] = [];
  for (const c of reply.cards) {
    const p = preview(c);
    if (!p) continue;
    const rendered = renderReply({ cards: [c], visibility: 'private' }, { compact: true });
    out.push({ ...rendered.attachments[0], preview: p });
  }
  return out;
}

/** Error cards and notices are shown as the extension's message instead of an empty list. */
function asResult(reply: Reply): ExtensionResult {
  const attachments = resultAttachments(reply);
  if (attachments.length > 0) return { type: 'result', attachmentLayout: 'list', attachments };
  const error = reply.cards.find((c) => c.type === 'error');
  const text = error?.type === 'error' ? [error.message, error.hint].filter(Boolean).join(' ') : reply.notice;
  return text ? { type: 'message', text: fit(text, 500) } : EMPTY;
}

export function queryText(query: ExtensionQuery): string | undefined {
  const params = query.parameters ?? [];
  if (params.some((p) => p.name === 'initialRun')) return undefined;
  const named = params.find((p) => p.name === 'query') ?? params[0];
  return typeof named?.value === 'string' ? named.value : undefined;
}

export async function searchExtension(
  assistant: Assistant,
  activity: IncomingActivity,
  query: ExtensionQuery,
  signal?: AbortSignal,
): Promise<ExtensionResult> {
  if (query.commandId !== SEARCH_COMMAND_ID) return EMPTY;
  // The core answers five results a page; Teams asks for more only when a page came back full.
  if ((query.queryOptions?.skip ?? 0) > 0) return EMPTY;
  const text = queryText(query)?.trim();
  if (!text) return EMPTY;
  const reply = await assistant.handle(coreRequest(activity, text), signal ? { signal } : {});
  return asResult(reply);
}

/** A pasted PubMed, PMC or doi.org link: the core reads the URL itself, as if it had been typed. */
export async function unfurlExtension(
  assistant: Assistant,
  activity: IncomingActivity,
  url: string,
  signal?: AbortSignal,
): Promise<ExtensionResult> {
  const reply = await assistant.handle(coreRequest(activity, url), signal ? { signal } : {});
  const attachments = resultAttachments(reply).slice(0, 1);
  return attachments.length ? { type: 'result', attachmentLayout: 'list', attachments } : EMPTY;
}

/** Results carry no tap action, so Teams inserts them directly; a client that still selects gets the card. */
export async function selectExtension(
  assistant: Assistant,
  activity: IncomingActivity,
  item: unknown,
  signal?: AbortSignal,
): Promise<ExtensionResult> {
  const command =
    typeof item === 'object' && item !== null ? (item as { command?: unknown }).command : undefined;
  if (typeof command !== 'string' || !command.trim()) return EMPTY;
  const reply = await assistant.handle(coreRequest(activity, command), signal ? { signal } : {});
  const attachments = resultAttachments(reply).slice(0, 1);
  return attachments.length ? { type: 'result', attachmentLayout: 'list', attachments } : asResult(reply);
}
