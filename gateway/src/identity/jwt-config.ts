import { InvalidConfigurationError } from '@tributary/runtime';

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
 * @throws InvalidConfigurationError naming the variable: a secret under 32 characters, a JWKS URL
 * that is not http(s), a bad tolerance, or production with neither a secret nor a JWKS URL.
 */
export function readJwtConfig(env: NodeJS.ProcessEnv): JwtConfig {
  const fail = (variable: string, problem: string) => new InvalidConfigurationError(`Invalid configuration: ${variable}: ${problem}`);
  const secret = env.GATEWAY_JWT_SECRET?.trim();
  const jwks = env.GATEWAY_JWKS_URL?.trim();
  const tolerance = env.GATEWAY_JWT_CLOCK_TOLERANCE_S?.trim();
  if (secret && secret.length < 32) throw fail('GATEWAY_JWT_SECRET', `must be at least 32 characters, got ${secret.length}`);
  if (jwks && !/^https?:\/\/\S+$/.test(jwks)) throw fail('GATEWAY_JWKS_URL', `must be an http(s) URL, got ${JSON.stringify(jwks)}`);
  if (tolerance && !/^\d{1,5}$/.test(tolerance)) throw fail('GATEWAY_JWT_CLOCK_TOLERANCE_S', `must be a whole number of seconds, got ${JSON.stringify(tolerance)}`);
  if (!secret && !jwks && env.NODE_ENV === 'production') throw fail('GATEWAY_JWT_SECRET', 'GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL is required in production');
  return {
    secret: new TextEncoder().encode(secret || DEVELOPMENT_JWT_SECRET),
    jwksUrl: jwks ? new URL(jwks) : undefined,
    issuer: env.GATEWAY_JWT_ISSUER?.trim() || undefined,
    audience: env.GATEWAY_JWT_AUDIENCE?.trim() || undefined,
    clockToleranceS: tolerance ? Number(tolerance) : DEFAULT_CLOCK_TOLERANCE_S,
  };
}
