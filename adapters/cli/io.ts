// The terminal a `paperbot` command talks to: its streams, environment and working directory.
// Every CLI command module takes one; main.ts builds it from the process, tests from buffers.

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}
