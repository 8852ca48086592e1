// A proactive post (DeliveryMessage) as a Teams message: a digest gets its header, window and
// "N more on PubMed" link around the compact entries; any other Reply renders as usual.

import type { DeliveryMessage } from '../../src/core/deliverer';
import { digestHeadline, displayWindow, type DigestCard } from '../../src/core/digest-cards';
import { digestCount } from '../../src/core/present/digest';
import { actionSet, fit, openUrl, rich, run, safeUrl, type CardAction, type CardElement } from './adaptive';
import { fitMessage, renderReply, type RenderOptions, type TeamsMessage } from './cards';
import { plainRuns } from './runs';

function digestHead(d: DigestCard): CardElement[] {
  const id = d.subscriptionId === undefined ? '' : ` #${fit(d.subscriptionId, 20)}`;
  const items: CardElement[] = [
    rich([
      run(`📬 PubMed digest${id}: `, { size: 'Medium', weight: 'Bolder' }),
      ...plainRuns(`“${d.query}”`, 300, { size: 'Medium', weight: 'Bolder' }),
    ]),
  ];
  items.push(
    rich([run(`Added to PubMed ${displayWindow(d.window)}: ${digestCount(d)}`, { isSubtle: true })], {
      spacing: 'Small',
    }),
  );
  if (d.stale)
    items.push(
      rich(
        [
          run(
            '⌛ Some entries come from a cached copy because PubMed could not be reached; retractions issued since may be missing.',
            { color: 'Warning' },
          ),
        ],
        {
          spacing: 'Small',
        },
      ),
    );
  return items;
}

function digestLinks(d: DigestCard): CardAction[] {
  const actions: CardAction[] = [];
  const more = d.more ? safeUrl(d.more.url) : undefined;
  if (d.more && more) actions.push(openUrl(`${d.more.count.toLocaleString('en-US')} more on PubMed`, more));
  const search = safeUrl(d.searchUrl);
  if (search && search !== more) actions.push(openUrl('Open in PubMed', search));
  return actions;
}

export function renderDelivery(message: DeliveryMessage, o: RenderOptions = {}): TeamsMessage {
  const d = message.digest;
  if (!d) return renderReply(message, o);
  const links = digestLinks(d);
  return fitMessage(
    {
      head: digestHead(d),
      tail: links.length ? [actionSet(links, { separator: true, spacing: 'Medium' })] : [],
      summary: fit(digestHeadline(d), 200),
    },
    d.entries,
    o,
  );
}
