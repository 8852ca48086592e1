// Every TCP connection this process tries, from any HTTP client (undici, node:http under the Agents SDK's
// axios, Redis): the host names it looked up and the addresses it dialled, via Node's diagnostics channel.

import diagnostics from 'node:diagnostics_channel';
import type net from 'node:net';

export interface OutboundRecorder {
  /** Host names looked up and addresses dialled, in order. */
  readonly targets: string[];
  /** The ones that are not this machine. */
  foreign(): string[];
  stop(): void;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3}|localhost)$/i;

export function recordOutbound(): OutboundRecorder {
  const targets: string[] = [];
  const onSocket = (message: unknown): void => {
    const socket = (message as { socket: net.Socket }).socket;
    socket.on('lookup', (_error: Error | null, _address: string, _family: number, host: string) =>
      targets.push(host),
    );
    socket.on('connectionAttempt', (ip: string) => targets.push(ip));
  };
  diagnostics.subscribe('net.client.socket', onSocket);
  return {
    targets,
    foreign: () => targets.filter((t) => !LOOPBACK.test(t)),
    stop: () => diagnostics.unsubscribe('net.client.socket', onSocket),
  };
}
