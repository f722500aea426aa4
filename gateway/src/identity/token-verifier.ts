import { type Principal, parseSubject } from '@tributary/runtime';
import { type JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JwtConfig } from './jwt-config.js';

/** A client token that cannot be accepted; `reason` is safe to show the client. */
export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
}

/**
 * Verifies a client's bearer token with jose (`jwtVerify`): HS256 with the secret, or RS256/ES256
 * with keys from the JWKS URL; `iss` and `aud` when configured; `exp`/`nbf` with the clock
 * tolerance. The `sub` claim must be `customer:<id>` or `employee:<id>`.
 *
 * @throws UnauthenticatedError saying what is wrong (expired, wrong audience, bad signature…).
 */
export function createTokenVerifier(config: JwtConfig): (token: string) => Promise<Principal> {
  const jwks: JWTVerifyGetKey | undefined = config.jwksUrl ? createRemoteJWKSet(config.jwksUrl) : undefined;
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: config.clockToleranceS,
    algorithms: jwks ? ['RS256', 'ES256'] : ['HS256'],
  };
  return async (token) => {
    let subject: unknown;
    try {
      const { payload } = jwks ? await jwtVerify(token, jwks, options) : await jwtVerify(token, config.secret!, options);
      subject = payload.sub;
    } catch (error) {
      throw new UnauthenticatedError(describe(error));
    }
    const principal = parseSubject(subject);
    if (!principal) throw new UnauthenticatedError(`token subject must be customer:<id> or employee:<id>, got ${JSON.stringify(subject ?? null)}`);
    return principal;
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not accepted';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token key not found';
  return 'token invalid';
}
