// The card model's visual vocabulary: emoji (by shortcode and as Unicode), tones, ink, and number format.
// Renderers map a tone to their own colours (Teams Attention/Warning, terminal red/yellow); nothing else.

export interface Emoji {
  /** The shortcode without colons ("dart"): Slack writes `:dart:`. */
  name: string;
  /** The character itself, for platforms that take Unicode (Teams, terminals). */
  char: string;
}

/** How loudly a renderer should draw something: `danger` is the strongest it has, `quiet` the weakest. */
export type Tone = 'danger' | 'caution' | 'good' | 'active' | 'done' | 'plain' | 'quiet';

export const MARKS = {
  warning: { name: 'warning', char: '⚠️' },
  memo: { name: 'memo', char: '📝' },
  notice: { name: 'page_facing_up', char: '📄' },
  library: { name: 'file_cabinet', char: '🗄️' },
  cached: { name: 'hourglass', char: '⌛' },
  site: { name: 'round_pushpin', char: '📍' },
} as const satisfies Record<string, Emoji>;

/** How a platform writes record text (escaped and cut to `max`) and emoji; the card model writes through it. */
export interface Ink {
  fit(text: string, max: number): string;
  mark(emoji: Emoji): string;
}

/** 1234567 → "1,234,567" (Intl's toLocaleString costs tens of microseconds a call on the answer path). */
export function thousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
