// /paper and button presses: ack at once, turn the payload into a core Request, deliver the Reply.
// Which follow-up replaces its message and which adds one is decided here; what is answered, by the core.

import type { App, BlockAction, RespondFn, SlackCommandMiddlewareArgs, webApi } from '@slack/bolt';
import type { Reply, Request } from '../../src/core/reply';
import { BUSY } from '../../src/core/wording';
import { parseActionsBlockId } from './blocks';
import type { Conversation, DeliveryTarget } from './conversation';
import { fitMrkdwn } from './escape';
import { ACTION_PREFIX } from './kit';
import type { LoadGauge } from './load-gauge';
import { BUSY_ACK } from './shed';

/** The slash command this app answers (manifest.yml declares it; a test keeps the two in step). */
export const SLASH_COMMAND = '/paper';

/**
 * How long a /paper ack waits for an answer already at hand (a cached search, help, a cursor page). Such an
 * answer is the ack's own message: one private message and no "Searching…" left above it (Slack ignores
 * replace_original on a slash command's own response_url, bolt-js#2287), and no second HTTP exchange, which
 * alone holds even a bare server to about 1,900 answers a second here against 4,700 in the ack
 * (bench/ceiling.ts). Anything slower (PubMed itself takes 300 ms and more) is acked with "Searching…" and
 * answered through response_url. The bound keeps every ack far inside Slack's 3 s and near our 50 ms target.
 */
export const ANSWER_IN_ACK_MS = 25;

export function ackText(text: string): string {
  const query = text.trim();
  return query ? `:mag: Searching PubMed for “${fitMrkdwn(query, 200)}”…` : ':mag: Opening paperbot help…';
}

function slackRequest(
  text: string,
  user: { id: string; name?: string },
  team?: string,
  channel?: string,
): Request {
  return {
    text,
    user: user.name ? { id: user.id, name: user.name } : { id: user.id },
    place: { platform: 'slack', ...(team ? { team } : {}), ...(channel ? { channel } : {}) },
  };
}

export function registerCommand(
  app: App,
  conversation: Conversation,
  o: { answerInAckMs: number; load: LoadGauge },
): void {
  app.command(
    SLASH_COMMAND,
    async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & { client: webApi.WebClient }) => {
      if (!conversation.admit()) {
        await ack(BUSY_ACK);
        return;
      }
      const request = slackRequest(
        command.text,
        { id: command.user_id, name: command.user_name },
        command.team_id,
        command.channel_id,
      );
      // Slack's 3-second deadline is the ack's: it waits a bounded moment for an answer at hand, never for PubMed,
      // and not at all when the loop is saturated: then acks go first and answers queue (bounded by admit), or
      // unread requests would pile up in the sockets with no limit. When it waits, the lookup starts at once
      // (not behind queued follow-ups): a cached answer is ready within this turn.
      const wait = o.load.busy() ? 0 : o.answerInAckMs;
      const answer = conversation.ask(request, { now: wait > 0 });
      const settled = await conversation.readyWithin(answer, wait);
      // A map's chart is uploaded before its answer goes out, which no ack can wait for.
      const ready = settled && !settled.cards.some((c) => c.type === 'map') ? settled : undefined;
      if (ready?.visibility === 'private') {
        await ack(conversation.privateMessage(ready));
        return;
      }
      // A share goes to the channel as the bot, never in the ack; when it is ready, the ack shows nothing.
      if (ready) await ack();
      else await ack({ response_type: 'ephemeral', text: ackText(command.text) });
      await conversation.deliver(ready ?? settled ?? (await answer), {
        respond,
        client,
        ...(command.team_id ? { team: command.team_id } : {}),
        channel: { id: command.channel_id, name: command.channel_name },
        mode: ready ? 'add' : 'replace',
      });
    },
  );
}

type ActionElement = BlockAction['actions'][number];

/** The core command a pressed element carries: a button's value or the chosen menu option's. */
export function commandOf(action: ActionElement): string | undefined {
  if (action.type === 'button') return action.value;
  if (action.type === 'static_select' || action.type === 'overflow') return action.selected_option?.value;
  return undefined;
}

function isEphemeral(body: BlockAction): boolean {
  const container: unknown = body.container;
  return (
    typeof container === 'object' &&
    container !== null &&
    (container as { is_ephemeral?: unknown }).is_ephemeral === true
  );
}

/** "Abstract" on a card of a list we still remember: the list comes back with that card expanded. */
function expandInPlace(
  conversation: Conversation,
  reply: Reply,
  blockId: string | undefined,
): { reply: Reply; key: string } | undefined {
  const where = parseActionsBlockId(blockId);
  const expanded = reply.cards[0];
  if (!where || reply.cards.length !== 1 || expanded?.type !== 'article') return undefined;
  const original = conversation.memory.recall(where.messageKey);
  const target = original?.cards[where.index];
  if (!original || target?.type !== 'article' || target.pmid !== expanded.pmid) return undefined;
  const notice = [original.notice, reply.notice].filter(Boolean).join('\n');
  const merged: Reply = {
    ...original,
    cards: original.cards.map((c, i) => (i === where.index ? expanded : c)),
    ...(notice ? { notice } : {}),
  };
  conversation.memory.replace(where.messageKey, merged);
  return { reply: merged, key: where.messageKey };
}

export function registerActions(app: App, conversation: Conversation): void {
  app.action<BlockAction>(new RegExp(`^${ACTION_PREFIX}`), async ({ action, body, ack, respond, client }) => {
    await ack();
    const command = commandOf(action);
    if (!command) return;
    const kind = action.action_id.slice(ACTION_PREFIX.length);
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const team = body.team?.id ?? body.user.team_id;
    const request = slackRequest(
      command,
      { id: body.user.id, ...(body.user.username ? { name: body.user.username } : {}) },
      team,
      typeof channelId === 'string' ? channelId : undefined,
    );
    const target: DeliveryTarget = {
      ...(respond ? { respond: respond as RespondFn } : {}),
      client,
      ...(team ? { team } : {}),
      ...(typeof channelId === 'string'
        ? { channel: { id: channelId, ...(body.channel?.name ? { name: body.channel.name } : {}) } }
        : {}),
      mode: 'add',
    };
    // Refused privately, whatever the button: a share must not post "busy" into the channel.
    if (!conversation.admit())
      return conversation.deliver(
        { cards: [{ type: 'error', message: BUSY }], visibility: 'private' },
        target,
      );
    await followUp(conversation, request, kind, {
      target,
      ephemeral: isEphemeral(body),
      blockId: 'block_id' in action ? action.block_id : undefined,
    });
  });
}

/** Answers a pressed button: what replaces its message (Next 5, Abstract in place) and what is added. */
async function followUp(
  conversation: Conversation,
  request: Request,
  kind: string,
  o: { target: DeliveryTarget; ephemeral: boolean; blockId: string | undefined },
): Promise<void> {
  const reply = await conversation.ask(request);
  // A card shared in a channel is everyone's: follow-ups from it are always new private messages.
  if (o.ephemeral && reply.visibility === 'private') {
    if (kind === 'more') return conversation.deliver(reply, { ...o.target, mode: 'replace' });
    if (kind === 'abstract') {
      const expanded = expandInPlace(conversation, reply, o.blockId);
      if (expanded)
        return conversation.deliver(expanded.reply, {
          ...o.target,
          mode: 'replace',
          messageKey: expanded.key,
        });
    }
  }
  return conversation.deliver(reply, o.target);
}
