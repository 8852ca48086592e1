// With TEAMS_APP_ID set, /api/messages takes only requests carrying a valid Bot Framework-style token:
// signature from the configured authority's JWKS, our app id as audience, a trusted issuer, not expired.

import { fixture, startHarness, type Harness } from './harness';
import { startLocalIssuer, type LocalIssuer } from './identity';

const APP_ID = '6b8ce8c1-2f4d-4c8e-9f3b-0a1b2c3d4e5f';
const TENANT = '3b9e9fbb-ed2f-415b-b776-cf788e573366';

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

beforeEach(() => {
  h.connector.reset();
  h.eutils.reset();
});

/** A personal-chat message from the recordings, answered in the HTTP response (no outbound token needed). */
function expectRepliesMessage(text: string): Record<string, unknown> {
  const { serviceUrl: _dropped, ...activity } = fixture('vercel_teams_dm.json', 'dmMessage');
  return { ...activity, text, deliveryMode: 'expectReplies' };
}

function nothingReachedAHandler(): void {
  expect(h.connector.requests).toHaveLength(0);
  expect(h.eutils.requests).toHaveLength(0);
}

it('mounts authenticated when TEAMS_APP_ID is set', () => {
  expect(h.config.teams).toEqual({
    mode: 'authenticated',
    appId: APP_ID,
    appPassword: 'not-a-real-secret',
    tenantId: TENANT,
  });
});

it('answers 401 to a request without a token, and no handler runs', async () => {
  const r = await h.post(fixture('vercel_teams_dm.json', 'dmMessage'));
  expect(r.status).toBe(401);
  expect(r.json()).toEqual({ 'jwt-auth-error': 'authorization header not found' });
  nothingReachedAHandler();
});

it('answers 401 to a malformed Authorization header', async () => {
  const r = await h.post(fixture('vercel_teams_dm.json', 'dmMessage'), {
    authorization: 'Basic dXNlcjpwYXNz',
  });
  expect(r.status).toBe(401);
  nothingReachedAHandler();
});

it('answers 401 to a token signed with a key the JWKS does not hold', async () => {
  const token = idp.sign({ aud: APP_ID }, { key: 'stranger' });
  const r = await h.post(fixture('vercel_teams_dm.json', 'dmMessage'), { authorization: `Bearer ${token}` });
  expect(r.status).toBe(401);
  nothingReachedAHandler();
});

it('answers 401 to a token for another app id', async () => {
  const token = idp.sign({ aud: '00000000-0000-0000-0000-000000000000' });
  const r = await h.post(fixture('vercel_teams_dm.json', 'dmMessage'), { authorization: `Bearer ${token}` });
  expect(r.status).toBe(401);
  nothingReachedAHandler();
});

it('answers 401 to an expired token', async () => {
  const token = idp.sign({ aud: APP_ID }, { expiresInSeconds: -3600 });
  const r = await h.post(fixture('vercel_teams_dm.json', 'dmMessage'), { authorization: `Bearer ${token}` });
  expect(r.status).toBe(401);
  nothingReachedAHandler();
});

it('answers 401 to a token from an issuer it does not trust', async () => {
  const token = idp.sign({ aud: APP_ID, iss: 'https://evil.example/tenant/v2.0' });
  const r = await h.post(fixture('vercel_teams_dm.json', 'dmMessage'), { authorization: `Bearer ${token}` });
  expect(r.status).toBe(401);
  nothingReachedAHandler();
});

it('accepts a valid token, reading the signing keys from the configured authority', async () => {
  h.eutils.setSearch('Hey', ['23657305']);
  const token = idp.sign({ aud: APP_ID, serviceurl: h.connector.serviceUrl });
  const r = await h.post(expectRepliesMessage('Hey'), { authorization: `Bearer ${token}` });
  expect(r.status).toBe(200);
  expect(idp.requests).toContain(`/${TENANT}/discovery/v2.0/keys`);
  // ExpectReplies: the answer comes back in the HTTP response instead of through the connector.
  const body = r.json() as { activities: { type: string; attachments?: { content: unknown }[] }[] };
  const message = body.activities.find((a) => a.type === 'message');
  expect(JSON.stringify(message?.attachments?.[0]?.content)).toContain(
    'Hfe mutations and iron overload in patients with alcoholic liver disease.',
  );
  expect(h.eutils.requests.some((q) => q.utility === 'esearch' && q.params.term === 'Hey')).toBe(true);
  expect(h.connector.requests).toHaveLength(0);
});
