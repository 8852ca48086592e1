// A local token issuer for the Teams auth tests: an RSA key pair, an OpenID configuration and a JWKS on
// 127.0.0.1 laid out like Entra's (<authority>/<tenant>/v2.0/.well-known/openid-configuration and
// <authority>/<tenant>/discovery/v2.0/keys), and tokens signed the way the Bot Connector's are (RS256).

import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

export interface LocalIssuer {
  /** What to give the SDK as its authority endpoint ("http://127.0.0.1:<port>/<tenant>"). */
  authority: string;
  /** The `iss` of the tokens it signs. */
  issuer: string;
  /** Paths requested so far, to show the SDK fetched the keys from here. */
  requests: string[];
  sign(
    claims: Record<string, unknown>,
    o?: { key?: 'trusted' | 'stranger'; expiresInSeconds?: number; kid?: string },
  ): string;
  close(): Promise<void>;
}

const KID = 'paperbot-test-key';

export async function startLocalIssuer(tenant: string): Promise<LocalIssuer> {
  const trusted = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  // Same kid, different key: a forged token that names a key the JWKS knows.
  const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...trusted.publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'RS256' };
  const requests: string[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (path === `/${tenant}/v2.0/.well-known/openid-configuration`)
      return json(200, {
        issuer: `${base}/${tenant}/v2.0`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_post'],
      });
    if (path === `/${tenant}/discovery/v2.0/keys`) return json(200, { keys: [jwk] });
    return json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/${tenant}/v2.0`;
  return {
    authority: `${base}/${tenant}`,
    issuer,
    requests,
    sign(claims, o = {}) {
      const key = o.key === 'stranger' ? stranger.privateKey : trusted.privateKey;
      return jwt.sign({ iss: issuer, ...claims }, key.export({ type: 'pkcs8', format: 'pem' }), {
        algorithm: 'RS256',
        keyid: o.kid ?? KID,
        expiresIn: o.expiresInSeconds ?? 300,
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
