import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Headers that mark a request as not "simple" (a browser preflights it), the ones Apollo's and
 * Yoga's clients send. A request without a JSON content type needs one of them.
 */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-apollo-operation-name', 'graphql-preflight'];

/**
 * Yoga's CSRF prevention (a GET, or a POST with a "simple" content type, must carry one of
 * {@link CSRF_HEADERS}), with Tributary's code on its refusal: HTTP 403 `CSRF_PREVENTED`.
 */
export function useCsrfGuard(): Plugin {
  const yogaCsrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS }) as Required<Pick<Plugin, 'onRequestParse'>>;
  return {
    onRequestParse(payload) {
      try {
        return yogaCsrf.onRequestParse(payload);
      } catch (error) {
        throw new GraphQLError((error as Error).message, { extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } } });
      }
    },
  };
}
