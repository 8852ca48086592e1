// Where Teams replies may go, through the real server: in dev mode (PAPERBOT_DEV=1) the server listens on
// loopback only and answers only activities whose serviceUrl is loopback; with TEAMS_APP_ID, only the
// serviceUrl the signed token vouches for.

import type { AddressInfo } from 'node:net';
import { fixture, startHarness, type Harness } from './harness';
import { startLocalIssuer, type LocalIssuer } from './identity';

const APP_ID = '6b8ce8c1-2f4d-4c8e-9f3b-0a1b2c3d4e5f';
const TENANT = '3b9e9fbb-ed2f-415b-b776-cf788e573366';
const FOREIGN = 'https://attacker.example/amer/';

function dm(text: string, serviceUrl: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...fixture('vercel_teams_dm.json', 'dmMessage'), text, serviceUrl, ...extra });
}

describe('dev mode (PAPERBOT_DEV=1, no app id)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('listens on 127.0.0.1 only', () => {
    expect((h.server.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('answers through a loopback serviceUrl', async () => {
    h.eutils.setSearch('loopback', ['23657305']);
    expect((await h.post(dm('loopback', h.connector.serviceUrl))).status).toBe(200);
    await waitFor(() => h.connector.sent().length > 0);
  });

  it.each([
    FOREIGN,
    'http://10.0.0.8:3978/',
    'file:///etc/passwd',
    'not a url',
    'http://127.0.0.1.attacker.example/',
  ])('refuses serviceUrl %s with 400 and sends nothing', async (serviceUrl) => {
    h.connector.reset();
    h.eutils.reset();
    const r = await h.post(dm('elsewhere', serviceUrl));
    expect(r.status).toBe(400);
    expect(r.text).toContain('activity refused');
    expect(h.eutils.requests).toHaveLength(0);
    expect(h.connector.requests).toHaveLength(0);
  });
});

describe('authenticated (TEAMS_APP_ID)', () => {
  let h: Harness;
  let idp: LocalIssuer;
  beforeAll(async () => {
    idp = await startLocalIssuer(TENANT);
    h = await startHarness({
      mount: 'direct',
      env: {
        TEAMS_APP_ID: APP_ID,
        TEAMS_APP_PASSWORD: 'not-a-real-secret',
        TEAMS_TENANT_ID: TENANT,
        PAPERBOT_DEV: '0',
      },
      auth: { authorityEndpoint: idp.authority, issuers: [idp.issuer] },
    });
  });
  afterAll(async () => {
    await h.close();
    await idp.close();
  });

  const bearer = (claims: Record<string, unknown>): Record<string, string> => ({
    authorization: `Bearer ${idp.sign({ aud: APP_ID, ...claims })}`,
  });

  it('lets the serviceUrl the token vouches for past the check', async () => {
    const r = await h.post(
      dm('vouched', h.connector.serviceUrl, { deliveryMode: 'expectReplies' }),
      bearer({ serviceurl: h.connector.serviceUrl }),
    );
    // Past the check the SDK fetches its outbound token from Entra, which a test cannot reach (so no 200 here);
    // what matters is that the activity was not refused for its serviceUrl.
    expect(r.status).not.toBe(400);
    expect(r.text).not.toContain('activity refused');
  });

  it.each([
    ['another host', { serviceurl: 'https://smba.trafficmanager.net/amer/' }],
    ['no serviceurl claim', {}],
    ['a claim that is not a URL', { serviceurl: 'smba' }],
  ])('refuses a serviceUrl the token does not vouch for (%s)', async (_name, claims) => {
    h.eutils.reset();
    const r = await h.post(dm('redirected', FOREIGN, { deliveryMode: 'expectReplies' }), bearer(claims));
    expect(r.status).toBe(400);
    expect(h.eutils.requests).toHaveLength(0);
    expect(h.connector.requests).toHaveLength(0);
  });
});

async function waitFor(probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
