// Small Block Kit builders with the limits applied at construction: text objects, sections, buttons, menus.
// They take mrkdwn that escape.ts already made safe; what a card says is the renderers' business.

import type { types } from '@slack/bolt';
import type { Action } from '../../src/core/reply';
import { fitPlain } from './escape';
import { cutMrkdwn, LIMITS } from './limits';

export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;
export type ContextBlock = types.ContextBlock;
export type ActionsBlock = types.ActionsBlock;
type MrkdwnElement = types.MrkdwnElement;

/** Prefix of every action_id we emit; the app routes on it. */
export const ACTION_PREFIX = 'pb:';

/** verbatim: Slack must not auto-link URLs, channel names or mentions inside text we did not write. */
export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

export function section(text: string, blockId?: string): SectionBlock {
  return {
    type: 'section',
    text: mrkdwn(cutMrkdwn(text, LIMITS.sectionText)),
    ...(blockId ? { block_id: blockId.slice(0, LIMITS.id) } : {}),
  };
}

/** One mrkdwn element per part (Slack shows them side by side); at most ten. */
export function context(parts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: parts
      .filter((p) => p.length > 0)
      .slice(0, LIMITS.contextElements)
      .map((p) => mrkdwn(cutMrkdwn(p, LIMITS.sectionText))),
  };
}

export function header(text: string): types.HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: fitPlain(text, LIMITS.headerText), emoji: true },
  };
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

/**
 * A core Action as an interactive element: a button whose value is the command, or a menu of the
 * action's options (values are commands too). Undefined when a command would not fit Slack's limits.
 */
export function actionElement(action: Action): types.Button | types.StaticSelect | undefined {
  const actionId = `${ACTION_PREFIX}${action.id}`.slice(0, LIMITS.id);
  if (action.options && action.options.length > 0) {
    const options = action.options
      .filter((o) => o.command.length <= LIMITS.optionValue)
      .slice(0, LIMITS.optionsPerSelect)
      .map((o) => ({
        text: { type: 'plain_text' as const, text: fitPlain(o.label, LIMITS.optionText) },
        value: o.command,
      }));
    if (options.length === 0) return undefined;
    return {
      type: 'static_select',
      action_id: actionId,
      placeholder: { type: 'plain_text', text: fitPlain(`${action.label}…`, LIMITS.placeholderText) },
      options,
    };
  }
  if (action.command.length > LIMITS.buttonValue) return undefined;
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: fitPlain(action.label, LIMITS.buttonText), emoji: true },
    value: action.command,
    ...(action.id === 'share' ? { style: 'primary' as const } : {}),
  };
}

/** An actions block; action_ids only need to be unique within their block, which one card's actions are. */
export function actions(list: Action[], blockId: string): ActionsBlock | undefined {
  const seen = new Set<string>();
  const elements: (types.Button | types.StaticSelect)[] = [];
  for (const action of list) {
    const element = actionElement(action);
    if (!element || seen.has(element.action_id ?? '')) continue;
    seen.add(element.action_id ?? '');
    elements.push(element);
  }
  if (elements.length === 0) return undefined;
  return {
    type: 'actions',
    block_id: blockId.slice(0, LIMITS.id),
    elements: elements.slice(0, LIMITS.actionsElements),
  };
}
