import { ConfigError } from '@tributary/runtime';
import { type GatewayEnv, readGatewayEnv } from '../gateway-env.js';

/** Used outside production when neither `GATEWAY_JWT_SECRET` nor `GATEWAY_JWKS_URL` is set. */
export const DEVELOPMENT_JWT_SECRET = 'tributary-development-secret-not-for-production';
/** Default clock skew accepted on `exp` and `nbf`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_S = 30;

/** How the gateway verifies client tokens (`Authorization: Bearer <JWT>`). */
export interface JwtConfig {
  /** `GATEWAY_JWT_SECRET`: HS256 key. Outside production defaults to {@link DEVELOPMENT_JWT_SECRET}. */
  secret?: Uint8Array;
  /** `GATEWAY_JWKS_URL`: RS256/ES256 public keys, fetched and cached by jose. Wins over the secret. */
  jwksUrl?: URL;
  /** `GATEWAY_JWT_ISSUER`: required `iss` when set. */
  issuer?: string;
  /** `GATEWAY_JWT_AUDIENCE`: required `aud` when set. */
  audience?: string;
  /** `GATEWAY_JWT_CLOCK_TOLERANCE_S`: skew accepted on `exp`/`nbf`, seconds. Default 30. */
  clockToleranceS: number;
}

/**
 * Reads {@link JwtConfig} from the environment.
 *
 * @throws ConfigError naming the variable: a secret under 32 characters, a JWKS URL
 * that is not http(s), a bad tolerance, or production with neither a secret nor a JWKS URL.
 */
export function readJwtConfig(env: NodeJS.ProcessEnv): JwtConfig {
  return jwtConfigFrom(readGatewayEnv(env));
}

/** {@link readJwtConfig} of an environment already parsed by `readGatewayEnv` (the gateway's config parses it once). */
export function jwtConfigFrom(e: GatewayEnv): JwtConfig {
  if (!e.GATEWAY_JWT_SECRET && !e.GATEWAY_JWKS_URL && e.NODE_ENV === 'production') throw new ConfigError('GATEWAY_JWT_SECRET', 'GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL is required in production');
  return {
    secret: new TextEncoder().encode(e.GATEWAY_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET),
    jwksUrl: e.GATEWAY_JWKS_URL ? new URL(e.GATEWAY_JWKS_URL) : undefined,
    issuer: e.GATEWAY_JWT_ISSUER,
    audience: e.GATEWAY_JWT_AUDIENCE,
    clockToleranceS: e.GATEWAY_JWT_CLOCK_TOLERANCE_S ?? DEFAULT_CLOCK_TOLERANCE_S,
  };
}
