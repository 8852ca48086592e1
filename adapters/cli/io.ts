// The terminal a `paperbot` command talks to: its streams, environment and working directory.
// Every CLI command module takes one; main.ts builds it from the process, tests from buffers.

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** "3 delivered, 1 skipped recent": how many outcomes of a run ended in each status, or `none` for none. */
export function countByStatus(outcomes: readonly { status: string }[], none: string): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status.replace('_', ' ')}`).join(', ') || none;
}

/** `run [--now] [--dry-run]`, the grammar of the scheduled jobs' commands; undefined for anything else. */
export function parseRunArgs(args: readonly string[]): { now: boolean; dryRun: boolean } | undefined {
  const [sub, ...flags] = args;
  if (sub !== 'run' || flags.some((f) => f !== '--now' && f !== '--dry-run')) return undefined;
  return { now: flags.includes('--now'), dryRun: flags.includes('--dry-run') };
}
