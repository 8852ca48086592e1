// SLACK_APP_TOKEN switches the adapter to Socket Mode: no /slack/events endpoint on the shared server
// (Slack is reached over a WebSocket instead), while health checks and other mounts keep the server.

import { createSlackApp } from '../../../adapters/slack/app';
import { loadConfig } from '../../../src/config';
import { createAssistant } from '../../../src/core/assistant';
import { systemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import { openLibrary } from '../../../src/library/store';
import { BOT_TOKEN } from './slack-requests';
import type http from 'node:http';

function fakeRequest(method: string, url: string): http.IncomingMessage {
  return { method, url, headers: {} } as http.IncomingMessage;
}

describe('Socket Mode', () => {
  it('takes no HTTP requests for events and stops cleanly without ever connecting', async () => {
    const config = loadConfig({
      PAPERBOT_DATA_DIR: '/tmp/paperbot-socket-mode-test',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: 'xapp-1-A00FAKEAPP03-1234567890-abcdef',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    const library = openLibrary({ path: ':memory:', clock: systemClock, logger: silentLogger });
    const assistant = createAssistant({ library, clock: systemClock, logger: silentLogger });
    const app = await createSlackApp({ config, assistant, logger: silentLogger });
    try {
      expect(app.mode).toBe('socket');
      expect(app.auth).toBe('token');
      const res = {} as http.ServerResponse;
      expect(app.handle(fakeRequest('POST', '/slack/events'), res)).toBe(false);
      expect(app.handle(fakeRequest('GET', '/slack/install'), res)).toBe(false);
    } finally {
      await app.stop();
      library.close();
    }
  });
});
