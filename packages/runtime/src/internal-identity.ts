import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { ANONYMOUS, type Principal, parseSubject, principalSubject } from './principal.js';

/**
 * The header that carries the verified principal from the gateway to the subgraphs: a JWT
 * (HS256) signed with the secret that only the gateway and the subgraphs share. The gateway
 * never forwards a client's copy of this header, and a subgraph accepts it only with a valid
 * signature, so neither a client of the gateway nor a direct caller of a subgraph can forge it.
 */
export const IDENTITY_HEADER = 'x-tributary-identity';

/** `iss` and `aud` of internal tokens, so that a client-facing token is never taken for one. */
const ISSUER = 'tributary-gateway';
const AUDIENCE = 'tributary-subgraphs';
/** Lifetime of an internal token, in seconds; the gateway re-signs before it runs out. */
export const INTERNAL_TOKEN_TTL_S = 60;
/** Used outside production when `INTERNAL_JWT_SECRET` is not set. Never valid in production. */
export const DEVELOPMENT_INTERNAL_SECRET = 'tributary-development-internal-secret-not-for-production';

/** Thrown when an internal token is present but invalid: expired, forged, or not internal. */
export class InvalidIdentityError extends Error {
  override name = 'InvalidIdentityError';
}

/**
 * The secret shared by the gateway and the subgraphs (`INTERNAL_JWT_SECRET`, at least 32
 * bytes). Outside production a development secret stands in.
 *
 * @throws Error (one line naming the variable) in production without it, or when it is short.
 */
export function readInternalSecret(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const secret = env.INTERNAL_JWT_SECRET?.trim();
  if (!secret) {
    if (env.NODE_ENV === 'production') throw new Error('Invalid configuration: INTERNAL_JWT_SECRET: required in production (at least 32 characters)');
    return new TextEncoder().encode(DEVELOPMENT_INTERNAL_SECRET);
  }
  if (secret.length < 32) throw new Error(`Invalid configuration: INTERNAL_JWT_SECRET: must be at least 32 characters, got ${secret.length}`);
  return new TextEncoder().encode(secret);
}

/**
 * Signs internal tokens for the gateway, one per principal, reused until 10 s before expiry so
 * that a busy gateway signs a few tokens a minute, not one per subgraph fetch.
 */
export function createIdentitySigner(secret: Uint8Array, now: () => number = Date.now) {
  const tokens = new LRUCache<string, { token: string; expiresAtMs: number }>({ max: 10_000 });
  return async function tokenFor(principal: Principal): Promise<string> {
    const subject = principalSubject(principal);
    const cached = tokens.get(subject);
    if (cached && cached.expiresAtMs - now() > 10_000) return cached.token;
    const issuedAt = Math.floor(now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + INTERNAL_TOKEN_TTL_S)
      .sign(secret);
    tokens.set(subject, { token, expiresAtMs: (issuedAt + INTERNAL_TOKEN_TTL_S) * 1000 });
    return token;
  };
}

/**
 * Verifies internal tokens in a subgraph, remembering valid ones until they expire.
 *
 * @returns `null` when the header is absent (the caller decides whether that is allowed).
 * @throws InvalidIdentityError when it is present but not a valid internal token.
 */
export function createIdentityVerifier(secret: Uint8Array, now: () => number = Date.now) {
  const verified = new LRUCache<string, { principal: Principal; expiresAtMs: number }>({ max: 10_000 });
  return async function principalOf(header: string | null): Promise<Principal | null> {
    if (header === null || header === '') return null;
    const cached = verified.get(header);
    if (cached && cached.expiresAtMs > now()) return cached.principal;
    try {
      const { payload } = await jwtVerify(header, secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: new Date(now()) });
      const principal = payload.sub === 'anonymous' ? ANONYMOUS : parseSubject(payload.sub);
      if (!principal) throw new InvalidIdentityError(`internal token names an unknown subject ${JSON.stringify(payload.sub)}`);
      verified.set(header, { principal, expiresAtMs: (payload.exp ?? 0) * 1000 });
      return principal;
    } catch (error) {
      if (error instanceof InvalidIdentityError) throw error;
      const reason = error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
      throw new InvalidIdentityError(`internal identity token ${reason}`);
    }
  };
}

/**
 * A subgraph's identity options from the environment: `INTERNAL_JWT_SECRET` and
 * `SUBGRAPH_REQUIRE_GATEWAY_TOKEN` (`true`/`false`; default `true` in production).
 *
 * @throws Error (one line naming the variable) for a missing or short secret in production or
 * a value that is not `true`/`false`.
 */
export function readSubgraphIdentity(env: NodeJS.ProcessEnv = process.env): { verify: ReturnType<typeof createIdentityVerifier>; requireGatewayToken: boolean } {
  const required = env.SUBGRAPH_REQUIRE_GATEWAY_TOKEN?.trim();
  if (required && required !== 'true' && required !== 'false') {
    throw new Error(`Invalid configuration: SUBGRAPH_REQUIRE_GATEWAY_TOKEN: must be true or false, got ${JSON.stringify(required)}`);
  }
  return {
    verify: createIdentityVerifier(readInternalSecret(env)),
    requireGatewayToken: required ? required === 'true' : env.NODE_ENV === 'production',
  };
}
