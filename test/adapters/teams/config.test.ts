// TEAMS_* and PAPERBOT_DEV in src/config.ts, and their explicit mapping to the Agents SDK's auth settings.

import { CloudAdapter } from '@microsoft/agents-hosting';
import { teamsAuthConfiguration } from '../../../adapters/teams/auth';
import { ConfigError, loadConfig } from '../../../src/config';

const APP_ID = '6b8ce8c1-2f4d-4c8e-9f3b-0a1b2c3d4e5f';
const TENANT = '3b9e9fbb-ed2f-415b-b776-cf788e573366';

function problem(env: Record<string, string>): { variable: string; problem: string } | undefined {
  try {
    loadConfig(env, '/tmp');
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return { variable: error.variable, problem: error.problem };
    throw error;
  }
}

describe('configuration', () => {
  it('leaves Teams unmounted without credentials or dev mode', () => {
    expect(loadConfig({}, '/tmp').teams).toBeUndefined();
    expect(loadConfig({ PAPERBOT_DEV: '0' }, '/tmp').teams).toBeUndefined();
  });

  it('runs anonymous only with PAPERBOT_DEV=1 and no app id', () => {
    expect(loadConfig({ PAPERBOT_DEV: '1' }, '/tmp').teams).toEqual({ mode: 'anonymous' });
    expect(loadConfig({ PAPERBOT_DEV: 'true' }, '/tmp').teams).toEqual({ mode: 'anonymous' });
  });

  it('authenticates whenever an app id is set, dev mode or not', () => {
    const teams = { mode: 'authenticated', appId: APP_ID, appPassword: 's3cret', tenantId: TENANT };
    expect(
      loadConfig({ TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 's3cret', TEAMS_TENANT_ID: TENANT }, '/tmp')
        .teams,
    ).toEqual(teams);
    expect(
      loadConfig(
        { TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 's3cret', TEAMS_TENANT_ID: TENANT, PAPERBOT_DEV: '1' },
        '/tmp',
      ).teams,
    ).toEqual(teams);
  });

  it.each([
    [{ TEAMS_APP_ID: 'my-bot' }, 'TEAMS_APP_ID', /GUID/],
    [{ TEAMS_APP_ID: APP_ID }, 'TEAMS_APP_PASSWORD', /required with TEAMS_APP_ID/],
    [{ TEAMS_APP_PASSWORD: 'x' }, 'TEAMS_APP_ID', /required with TEAMS_APP_PASSWORD/],
    [
      { TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'x', TEAMS_TENANT_ID: 'contoso' },
      'TEAMS_TENANT_ID',
      /GUID/,
    ],
    [{ PAPERBOT_DEV: 'yes' }, 'PAPERBOT_DEV', /1 \(on\) or 0 \(off\)/],
  ])('refuses %j naming %s', (env, variable, message) => {
    const p = problem(env);
    expect(p?.variable).toBe(variable);
    expect(p?.problem).toMatch(message);
  });
});

describe('mapping to the SDK', () => {
  it('passes app id, secret and tenant as the one connection, with issuer validation on', () => {
    const auth = teamsAuthConfiguration({
      mode: 'authenticated',
      appId: APP_ID,
      appPassword: 's3cret',
      tenantId: TENANT,
    });
    expect(auth).toMatchObject({
      clientId: APP_ID,
      clientSecret: 's3cret',
      tenantId: TENANT,
      authType: 'ClientSecret',
      validateIssuer: true,
    });
    expect(auth.connectionsMap).toEqual([{ serviceUrl: '*', connection: 'serviceConnection' }]);
    expect(auth.connections?.get('serviceConnection')?.clientId).toBe(APP_ID);
    expect(new CloudAdapter(auth).getClientId()).toBe(APP_ID);
  });

  it('gives the adapter no client id in dev mode (anonymous)', () => {
    expect(new CloudAdapter(teamsAuthConfiguration({ mode: 'anonymous' })).getClientId()).toBeUndefined();
  });
});
