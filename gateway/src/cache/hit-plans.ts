import type { KeyParams } from './use-response-cache.js';

/** What the hit path makes of one request text (a POST body, a GET URL): its key parameters and public key. */
export interface HitPlan {
  params: KeyParams;
  /** `public:<key>` under the supergraph version it was made for. */
  publicKey: string;
  /** The supergraph version `publicKey` belongs to. */
  version: string;
}

/** Options of {@link createHitPlans}. */
export interface HitPlansOptions {
  /** The response key of key parameters (`responseKeyOf`), which embeds `version()`. */
  keyOf(params: KeyParams): string;
  /** The current supergraph version (the cache policy's). */
  version(): string;
  /** What a text decides (pure: the same text always decides the same); may throw (then `undefined`). */
  decide(text: string): KeyParams | undefined;
  /** Texts remembered at most (then all are forgotten and remembered again as they come). Default 10,000. */
  maxEntries?: number;
  /** Longer texts are decided every time, not remembered, in UTF-16 units. Default 1,024 (a persisted request's body is about 150). */
  maxTextLength?: number;
}

/** Default of {@link HitPlansOptions.maxEntries}. */
export const DEFAULT_HIT_PLANS = 10_000;
/** Default of {@link HitPlansOptions.maxTextLength}. */
export const DEFAULT_HIT_PLAN_TEXT = 1_024;

/**
 * The hit path's memo of request texts: a repeated POST body (or GET URL) is not parsed, checked
 * and hashed again. What a text decides (Yoga's parameter checks, the persisted-operation
 * rules, the key: `decide`) depends only on the text and on this instance's fixed settings, so the memo is
 * exactly the decision; only the key follows the supergraph version, and is made again when the
 * version changes. `undefined` (not answerable from the cache; `decide` threw) is remembered too.
 * Bounded: at most `maxEntries` texts of at most `maxTextLength` each.
 */
export function createHitPlans(options: HitPlansOptions): (text: string) => HitPlan | undefined {
  const maxEntries = options.maxEntries ?? DEFAULT_HIT_PLANS;
  const maxText = options.maxTextLength ?? DEFAULT_HIT_PLAN_TEXT;
  const plans = new Map<string, HitPlan | null>();
  const planOf = (params: KeyParams): HitPlan => ({ params, publicKey: `public:${options.keyOf(params)}`, version: options.version() });
  /** The plan of a text; `null` when `decide` or the key throws (variables nested past the stack): Yoga decides. */
  const plan = (text: string, known?: KeyParams): HitPlan | null => {
    try {
      const params = known ?? options.decide(text);
      return params ? planOf(params) : null;
    } catch {
      return null;
    }
  };
  return (text) => {
    let known = plans.get(text);
    if (known === undefined) {
      known = plan(text);
      if (text.length <= maxText) {
        if (plans.size >= maxEntries) plans.clear();
        plans.set(text, known);
      }
    } else if (known !== null && known.version !== options.version()) {
      known = plan(text, known.params);
      plans.set(text, known);
    }
    return known ?? undefined;
  };
}
