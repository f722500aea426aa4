/**
 * Who is calling, as the gateway verified it. `sub` claims map to principals:
 * `customer:5` → `{ kind: 'customer', id: 5 }`, `employee:3` → `{ kind: 'employee', id: 3 }`.
 * A request without a token is `ANONYMOUS`.
 */
export type Principal = { kind: 'anonymous' } | { kind: 'customer'; id: number } | { kind: 'employee'; id: number };

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

/** The `sub` claim of a principal (`customer:5`); `anonymous` for the anonymous principal. */
export function principalSubject(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : `${principal.kind}:${principal.id}`;
}

/**
 * Parses a `sub` claim (`customer:<id>` or `employee:<id>`, id a positive integer).
 *
 * @returns the principal, or `null` when the subject is not one Tributary knows.
 */
export function parseSubject(subject: unknown): Principal | null {
  if (typeof subject !== 'string') return null;
  const match = /^(customer|employee):([1-9]\d{0,9})$/.exec(subject);
  if (!match) return null;
  const id = Number(match[2]);
  if (id > 2_147_483_647) return null;
  return { kind: match[1] as 'customer' | 'employee', id };
}
