// Entrez dates (YYYY/MM/DD) for sync windows: today on the injected clock, and halving a window by days.
// Which windows a run asks for is sync-pubmed.ts's.

const DAY_MS = 86_400_000;
const ENTREZ_DATE = /^(\d{4})\/(\d{2})\/(\d{2})$/;

/** The UTC day of `ms` as YYYY/MM/DD. */
export function entrezDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** YYYY/MM/DD or YYYY-MM-DD (as typed on a command line) → YYYY/MM/DD; undefined when it is no real day. */
export function parseDay(text: string): string | undefined {
  const normal = text.trim().replace(/-/g, '/');
  const m = ENTREZ_DATE.exec(normal);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return entrezDay(ms) === normal ? normal : undefined;
}

function dayNumber(day: string): number {
  const m = ENTREZ_DATE.exec(day);
  if (!m) throw new Error(`not an Entrez day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** Two windows covering [from, to] without overlap; undefined when it is a single day. */
export function halve(from: string, to: string): [[string, string], [string, string]] | undefined {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (b <= a) return undefined;
  const mid = Math.floor((a + b) / 2);
  return [
    [from, entrezDay(mid * DAY_MS)],
    [entrezDay((mid + 1) * DAY_MS), to],
  ];
}
