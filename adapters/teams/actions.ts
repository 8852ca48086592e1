// Core actions (every button is a command) as Adaptive Card actions: Action.Submit carrying the command,
// and an Action.ShowCard holding the alternatives when an action offers a menu (Cite → AMA, APA, …).

import type { Action } from '../../src/core/reply';
import { fit, submit, type CardAction } from './adaptive';

/** Teams shows at most six actions in a row before folding the rest away; a card never needs more. */
const MAX_ACTIONS = 6;
/** A command is typed text; the core takes 1,000 characters, and a button never needs that many. */
const MAX_COMMAND = 1000;

export function commandAction(action: Action): CardAction | undefined {
  if (action.command.length > MAX_COMMAND) return undefined;
  const title = fit(action.label, 40);
  const options = (action.options ?? []).filter((o) => o.command.length <= MAX_COMMAND);
  if (options.length === 0) return submit(title, action.command);
  const menu = options.map((o) => submit(fit(o.label, 40), o.command));
  // The nested card shows below the button when pressed: one button per alternative.
  return {
    type: 'Action.ShowCard',
    title,
    card: { type: 'AdaptiveCard', version: '1.5', body: [], actions: menu },
  };
}

export function commandActions(actions: readonly Action[], omit?: ReadonlySet<string>): CardAction[] {
  const out: CardAction[] = [];
  for (const action of actions) {
    if (omit?.has(action.id)) continue;
    const converted = commandAction(action);
    if (converted) out.push(converted);
    if (out.length === MAX_ACTIONS) break;
  }
  return out;
}
