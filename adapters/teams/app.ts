// The Agents SDK application: routes messages, installs and messaging-extension invokes to the core and
// renders its replies. HTTP and authentication are http.ts's; words for users are the core's.

import { Activity, ActivityTypes, type ConversationReference } from '@microsoft/agents-activity';
import {
  AgentApplication,
  CloudAdapter,
  RouteRank,
  TurnState,
  type TurnContext,
} from '@microsoft/agents-hosting';
import { TeamsAgentExtension } from '@microsoft/agents-hosting-extensions-teams';
import type { JwtPayload } from 'jsonwebtoken';
import type { TeamsConfig } from '../../src/config';
import type { Clock } from '../../src/core/clock';
import { deliveryProblemCard } from '../../src/core/delivery-messages';
import type { Logger } from '../../src/core/logger';
import type { Assistant, Reply, Request } from '../../src/core/reply';
import { sharedItemOf, type ShareLedger } from '../../src/core/shares';
import { withReplyDeadline } from '../platform';
import { teamsAuthConfiguration, type AuthOverrides } from './auth';
import { renderReply } from './cards';
import { teamsChart } from './chart';
import { searchExtension, selectExtension, unfurlExtension } from './extension';
import { conversationKey, conversationKind, coreRequest, readIncoming } from './incoming';
import { connectorRefusal, deliveryProblem, describeFailure, sendMessage } from './outgoing';
import { personalKey, type ReferenceStore } from './references';

/** Teams gives an invoke 5 s before the user sees "Unable to reach app"; leave room for the trip back. */
const INVOKE_DEADLINE_MS = 4500;
/**
 * A message is answered inside its turn, and the Bot Connector gives up on the turn's POST after 15 s:
 * the lookup stops at 10 s so the answer (from what the core has by then) is still sent in time.
 */
export const MESSAGE_DEADLINE_MS = 10_000;

export interface TeamsAppDeps {
  teams: TeamsConfig;
  assistant: Assistant;
  references: ReferenceStore;
  clock: Clock;
  logger: Logger;
  auth?: AuthOverrides;
  /** Longest a message's lookup may take (MESSAGE_DEADLINE_MS unless a test says otherwise). */
  messageDeadlineMs?: number;
  /** Where shares are recorded for the watcher (the core's watch ledger); without it nothing is watched. */
  shares?: ShareLedger;
}

/** Records a share's post for the watcher; a failure costs the watch, never the share itself. */
async function rememberShare(
  deps: TeamsAppDeps,
  reply: Reply,
  request: Request,
  activityId: string,
): Promise<void> {
  const shared = sharedItemOf(reply);
  const channel = request.place.channel;
  if (!deps.shares || !shared || !reply.sharedBy || !channel) return;
  try {
    await deps.shares.record({
      ...shared,
      platform: 'teams',
      ...(request.place.team ? { team: request.place.team } : {}),
      channel,
      messageId: activityId,
      by: reply.sharedBy,
      at: deps.clock.now(),
    });
  } catch (error) {
    deps.logger.warn({ err: error }, 'teams: share posted but not recorded; it will not be watched');
  }
}

export interface TeamsApp {
  app: AgentApplication<TurnState>;
  adapter: CloudAdapter;
  /** Who continueConversation acts as: the app id, or an empty identity (anonymous) in dev mode. */
  identity: JwtPayload;
}

/** paperbot keeps no per-conversation state in the SDK; without keys, activities lacking ids still route. */
class StatelessTurnState extends TurnState {
  protected override onComputeStorageKeys(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }
}

/**
 * Where a proactive post goes: no activity to reply to, the channel rather than a thread, and (outside a
 * personal chat) no particular user or locale, so messages from different members do not rewrite it.
 */
export function proactiveReference(activity: TurnContext['activity'], key: string): ConversationReference {
  const { activityId: _reply, user, locale, ...reference } = activity.getConversationReference();
  const personal = conversationKind(activity) === 'personal';
  return {
    ...reference,
    ...(personal && user ? { user } : {}),
    ...(personal && locale ? { locale } : {}),
    conversation: { ...reference.conversation, id: key },
  };
}

/**
 * The keys a conversation's reference is kept under: its conversation key, and for a personal chat also the
 * person's (personalKey), so a private notice to them can find it.
 */
function referenceKeys(activity: TurnContext['activity']): string[] {
  const key = conversationKey(activity);
  if (!key) return [];
  const person = conversationKind(activity) === 'personal' ? activity.from?.id : undefined;
  return person ? [key, personalKey(person)] : [key];
}

/** Kept on install and refreshed from messages; written only when it changed (a read is far cheaper). */
async function remember(deps: TeamsAppDeps, context: TurnContext): Promise<void> {
  const key = conversationKey(context.activity);
  if (!key) return;
  try {
    const reference = proactiveReference(context.activity, key);
    for (const under of referenceKeys(context.activity)) {
      const stored = await deps.references.get(under);
      if (stored && JSON.stringify(stored) === JSON.stringify(reference)) continue;
      await deps.references.save(under, reference);
    }
  } catch (error) {
    deps.logger.warn({ err: error }, 'teams: could not keep the conversation reference');
  }
}

async function forget(deps: TeamsAppDeps, context: TurnContext): Promise<void> {
  for (const key of referenceKeys(context.activity))
    await deps.references
      .remove(key)
      .catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'teams: could not drop the conversation reference'),
      );
}

async function onMessage(deps: TeamsAppDeps, context: TurnContext): Promise<void> {
  const activity = context.activity;
  const incoming = readIncoming(activity);
  if (!incoming.addressed) return;
  await remember(deps, context);
  // Shown while the core works; sent alongside the lookup so it adds no latency to the answer.
  const typing = context
    .sendActivity(Activity.fromObject({ type: ActivityTypes.Typing }))
    .catch(() => undefined);
  const request = coreRequest(activity, incoming.text);
  const reply = await withReplyDeadline(deps.clock, deps.messageDeadlineMs ?? MESSAGE_DEADLINE_MS, (signal) =>
    deps.assistant.handle(request, { signal }),
  );
  const chart = await teamsChart(reply, deps.logger);
  await typing;
  const omit = conversationKind(activity) === 'personal' ? new Set(['share']) : undefined;
  const shared = reply.visibility === 'channel';
  try {
    const options = { ...(omit ? { omit } : {}), ...(chart ? { chart } : {}) };
    const id = await sendMessage(context, renderReply(reply, options), { newPost: shared });
    if (shared && id) await rememberShare(deps, reply, request, id);
  } catch (error) {
    const refusal = connectorRefusal(error);
    deps.logger.warn({ ...describeFailure(error), shared }, 'teams: the reply was refused');
    // A refused share is worth explaining in the thread; a refused reply has nowhere else to go.
    if (!shared) return;
    const wait =
      refusal.retryAfterSeconds !== undefined ? { retryAfterSeconds: refusal.retryAfterSeconds } : {};
    const problem = deliveryProblemCard({ code: deliveryProblem(refusal), platform: 'teams', ...wait });
    await sendMessage(context, renderReply({ cards: [problem], visibility: 'private' })).catch(
      () => undefined,
    );
  }
}

function invokeResponse(context: TurnContext, status: number, body?: unknown): Promise<unknown> {
  return context.sendActivity(
    Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status, ...(body ? { body } : {}) } }),
  );
}

export function createTeamsApp(deps: TeamsAppDeps): TeamsApp {
  const adapter = new CloudAdapter(teamsAuthConfiguration(deps.teams, deps.auth));
  const app = new AgentApplication<TurnState>({
    adapter,
    removeRecipientMention: false,
    normalizeMentions: false,
    turnStateFactory: () => new StatelessTurnState(),
  });
  const identity: JwtPayload =
    deps.teams.mode === 'authenticated' ? CloudAdapter.createIdentity(deps.teams.appId) : {};

  app.onActivity(ActivityTypes.Message, (context) => onMessage(deps, context));
  app.onActivity(ActivityTypes.ConversationUpdate, async (context) => {
    const bot = context.activity.recipient?.id;
    if (bot && context.activity.membersRemoved?.some((m) => m.id === bot)) await forget(deps, context);
    else await remember(deps, context);
  });
  app.onActivity(ActivityTypes.InstallationUpdate, async (context) => {
    if (context.activity.action?.startsWith('remove')) await forget(deps, context);
    else await remember(deps, context);
  });

  const withDeadline = <T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    withReplyDeadline(deps.clock, INVOKE_DEADLINE_MS, run);
  app.registerExtension(new TeamsAgentExtension(app), (teams) => {
    teams.messageExtension
      .onQuery((context, _state, query) =>
        withDeadline((s) => searchExtension(deps.assistant, context.activity, query, s)),
      )
      .onQueryLink((context, _state, url) =>
        withDeadline((s) => unfurlExtension(deps.assistant, context.activity, url, s)),
      )
      .onSelectItem((context, _state, item) =>
        withDeadline((s) => selectExtension(deps.assistant, context.activity, item, s)),
      );
  });

  // Any other invoke: 400 without a name, 501 for a name we do not implement (Bot Framework's convention).
  app.addRoute(
    (context) => Promise.resolve(context.activity.type === ActivityTypes.Invoke),
    async (context) => {
      deps.logger.info({ name: context.activity.name ?? null }, 'teams: invoke not handled');
      await invokeResponse(context, context.activity.name ? 501 : 400);
    },
    true,
    RouteRank.Last,
  );

  app.onError(async (context, error) => {
    const malformed = error.name === 'ZodError';
    deps.logger.error(
      { ...describeFailure(error), type: context.activity.type, name: context.activity.name },
      'teams: turn failed',
    );
    if (context.activity.type === ActivityTypes.Invoke)
      await invokeResponse(context, malformed ? 400 : 500).catch(() => undefined);
  });

  return { app, adapter, identity };
}
