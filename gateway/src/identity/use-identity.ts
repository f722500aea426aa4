import { ANONYMOUS, type Principal } from '@tributary/runtime';
import type { Plugin } from 'graphql-yoga';
import { UnauthenticatedError } from './token-verifier.js';

/** The part of the gateway's GraphQL context that identity adds. */
export interface IdentityContext {
  /** The verified caller; `ANONYMOUS` without a token. */
  principal: Principal;
}

/**
 * Verifies `Authorization: Bearer <JWT>` before anything else happens. No header: anonymous. A
 * header that is not a valid token: HTTP 401 with `extensions.code = "UNAUTHENTICATED"` and
 * nothing parsed or executed. The principal joins the GraphQL context, from where the subgraph
 * data sources sign it into the internal identity header.
 */
export function useIdentity(options: {
  verify: (token: string) => Promise<Principal>;
  onRefusal?: (code: string) => void;
  /** Where verified principals are kept by request, for plugins that run before the context exists (the response cache). */
  principals?: WeakMap<Request, Principal>;
}): Plugin<IdentityContext> {
  const principals = options.principals ?? new WeakMap<Request, Principal>();
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      const header = request.headers.get('authorization');
      if (header === null || header.trim() === '') return;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      try {
        if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
        principals.set(request, await options.verify(match[1]!));
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        options.onRefusal?.('UNAUTHENTICATED');
        endResponse(
          fetchAPI.Response.json(
            { errors: [{ message: `Unauthenticated: ${error.message}`, extensions: { code: 'UNAUTHENTICATED' } }] },
            { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } },
          ),
        );
      }
    },
    onContextBuilding({ context, extendContext }) {
      extendContext({ principal: principals.get(context.request) ?? ANONYMOUS });
    },
  };
}
