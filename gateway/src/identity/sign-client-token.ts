import { SignJWT } from 'jose';
import { type Principal, principalSubject } from '@tributary/runtime';
import type { JwtConfig } from './jwt-config.js';

/** Default lifetime of a token from `pnpm token`, in seconds. */
export const DEFAULT_TOKEN_TTL_S = 3_600;

/**
 * Signs a client token (HS256) that the gateway with `config` accepts: `sub` from the
 * principal, `iss`/`aud` when configured, `exp` after `ttlS` seconds.
 *
 * @example
 * await signClientToken({ kind: 'customer', id: 5 }, readJwtConfig(process.env));
 * // eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXN0b21lcjo1Ii…  ({ sub: 'customer:5', iat, exp })
 * @throws Error when the configuration verifies with a JWKS URL (its private key is not here).
 */
export async function signClientToken(principal: Exclude<Principal, { kind: 'anonymous' }>, config: JwtConfig, ttlS = DEFAULT_TOKEN_TTL_S, now = Date.now()): Promise<string> {
  if (config.jwksUrl) throw new Error('GATEWAY_JWKS_URL is set: tokens are issued by your identity provider, not by Tributary');
  const issuedAt = Math.floor(now / 1000);
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principalSubject(principal))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlS);
  if (config.issuer) jwt = jwt.setIssuer(config.issuer);
  if (config.audience) jwt = jwt.setAudience(config.audience);
  return jwt.sign(config.secret!);
}
