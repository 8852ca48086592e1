// Sending a rendered reply through a turn: as a reply in the thread, or as a new post in the conversation
// (shares and digests), and classifying what the Bot Connector answered when it refused.

import { Activity } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import type { DeliveryProblemCode } from '../../src/core/delivery-messages';
import type { TeamsMessage } from './cards';

export interface SendOptions {
  /**
   * A new post instead of a reply: no replyToId, and in a channel the channel itself rather than the
   * thread the command came from ("19:…@thread.tacv2;messageid=…" loses its thread part).
   */
  newPost?: boolean;
}

/** Sends the message and returns the id Teams gave it. Errors from the Bot Connector propagate. */
export async function sendMessage(
  context: TurnContext,
  message: TeamsMessage,
  o: SendOptions = {},
): Promise<string | undefined> {
  // Built directly: the SDK validates every outgoing activity itself, so parsing it here too would double that.
  const activity = new Activity(message.type);
  activity.summary = message.summary;
  activity.attachments = message.attachments;
  // Handlers stay on the context for the rest of the turn; this one must only touch this send.
  let pending = o.newPost === true;
  if (pending) {
    context.onSendActivities(async (_ctx, activities, next) => {
      if (!pending) return next();
      for (const a of activities) {
        if (a.type !== 'message') continue;
        delete a.replyToId;
        if (a.conversation?.id)
          a.conversation = { ...a.conversation, id: a.conversation.id.replace(/;messageid=[^;]*$/i, '') };
      }
      return next();
    });
  }
  try {
    const response = await context.sendActivity(activity);
    return response?.id || undefined;
  } finally {
    pending = false;
  }
}

/** Replaces the bot's own message `id` in the turn's conversation with `message` (updateActivity). */
export async function updateMessage(context: TurnContext, message: TeamsMessage, id: string): Promise<void> {
  const activity = new Activity(message.type);
  activity.id = id;
  activity.summary = message.summary;
  activity.attachments = message.attachments;
  activity.conversation = context.activity.conversation;
  await context.updateActivity(activity);
}

export interface ConnectorRefusal {
  status?: number;
  /** The Bot Connector's error code ("BotNotInConversationRoster", "ConversationNotFound" …). */
  code?: string;
  retryAfterSeconds?: number;
}

function header(headers: unknown, name: string): string | undefined {
  if (headers && typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  return undefined;
}

/** The HTTP status and Retry-After of a failed Bot Connector call (the SDK's HttpError), when there was one. */
export function connectorRefusal(error: unknown): ConnectorRefusal {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as {
    status?: unknown;
    response?: { status?: unknown; headers?: unknown; data?: { error?: { code?: unknown } } };
  };
  const status =
    typeof e.status === 'number'
      ? e.status
      : typeof e.response?.status === 'number'
        ? e.response.status
        : undefined;
  const retryAfter = header(e.response?.headers, 'retry-after');
  const seconds =
    retryAfter !== undefined && /^\d+(?:\.\d+)?$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  const code = e.response?.data?.error?.code;
  return {
    ...(status !== undefined ? { status } : {}),
    ...(typeof code === 'string' ? { code: code.slice(0, 100) } : {}),
    ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}),
  };
}

/** For logs: what went wrong without the request it carried (the SDK attaches the whole activity). */
export function describeFailure(error: unknown): Record<string, unknown> {
  const refusal = connectorRefusal(error);
  const name = error instanceof Error ? error.name : typeof error;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return {
    ...refusal,
    error: name,
    ...(refusal.status === undefined && error instanceof Error
      ? { message: error.message.slice(0, 300) }
      : {}),
    ...(cause ? { cause } : {}),
  };
}

/** What the user should be told, in the core's vocabulary (src/core/delivery-messages.ts words it). */
export function deliveryProblem(refusal: ConnectorRefusal): DeliveryProblemCode {
  switch (refusal.status) {
    case 403:
    case 404:
      return 'not_in_channel';
    case 401:
      return 'not_authorized';
    case 429:
      return 'rate_limited';
    case 400:
    case 413:
      return 'rejected';
    default:
      return 'unreachable';
  }
}
