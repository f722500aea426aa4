/**
 * The front door's refusals: every error code that means "this request was turned away" rather
 * than "this field failed". Each is counted in `tributary_gateway_refusals_total{code}` and
 * answered with its HTTP status (400, 403, 413) whatever the client accepts. Derived from the
 * one list of codes, `ERROR_CODES` in `@tributary/runtime` (`packages/runtime/src/error-codes.ts`).
 */
export { REFUSAL_CODES } from '@tributary/runtime';
