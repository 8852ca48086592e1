// Our Teams configuration as the Agents SDK's AuthConfiguration, passed explicitly: the SDK never has to
// read its own environment variables (clientId, Connections__…), and nothing here writes process.env.

import { AuthType, type AuthConfiguration } from '@microsoft/agents-hosting';
import type { TeamsConfig } from '../../src/config';

/** Where the SDK fetches signing keys and which issuers it trusts; tests point these at a local server. */
export interface AuthOverrides {
  /** Entra authority; JWKS is read from `<authority>/discovery/v2.0/keys` for non-Bot-Framework issuers. */
  authorityEndpoint?: string;
  issuers?: string[];
}

const CONNECTION = 'serviceConnection';

export function teamsAuthConfiguration(teams: TeamsConfig, overrides: AuthOverrides = {}): AuthConfiguration {
  // Every key is set, even to undefined, so settings the SDK reads from the environment cannot fill gaps.
  const settings: AuthConfiguration =
    teams.mode === 'authenticated'
      ? {
          authType: AuthType.ClientSecret,
          clientId: teams.appId,
          clientSecret: teams.appPassword,
          tenantId: teams.tenantId,
          // Off by default in the SDK for backward compatibility; a token from another issuer is refused.
          validateIssuer: true,
          authorityEndpoint: overrides.authorityEndpoint,
          issuers: overrides.issuers,
        }
      : { clientId: undefined, clientSecret: undefined, tenantId: undefined };
  // An explicit connection map keeps Connections__* variables in the environment from replacing ours.
  return {
    ...settings,
    connections: new Map([[CONNECTION, settings]]),
    connectionsMap: [{ serviceUrl: '*', connection: CONNECTION }],
  };
}
