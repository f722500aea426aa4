/** The media types Yoga answers single (non-streamed) results with, in its order. */
const REGULAR_MEDIA_TYPES = ['application/graphql-response+json', 'application/json'] as const;

/**
 * The media type Yoga 5 would answer a single result with, given the request's `Accept`
 * (GraphQL over HTTP §7, as Yoga's `useResultProcessors` negotiates it: the client's first
 * acceptable type wins, `*` wildcards match, only `charset=utf-8`), or `undefined` when Yoga would
 * pick a streaming type or answer 406. The cache answers only what Yoga would answer the same way.
 *
 * @example
 * regularMediaType('application/graphql-response+json, application/json') // 'application/graphql-response+json'
 * regularMediaType(null) // 'application/json'
 */
export function regularMediaType(accept: string | null): (typeof REGULAR_MEDIA_TYPES)[number] | undefined {
  const requested: string[] = [];
  for (const item of (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const [mediaType, ...params] = item.split(';');
    const charset = params.find((param) => param.includes('charset=')) ?? 'charset=utf-8';
    if (mediaType !== undefined && charset === 'charset=utf-8') requested.push(mediaType);
  }
  // Yoga tries every processor (event streams and multipart first, then these) against the
  // requested types from last to first; the last match wins, and a regular match always comes last.
  let chosen: (typeof REGULAR_MEDIA_TYPES)[number] | undefined;
  for (const asked of requested.reverse()) {
    for (const offered of REGULAR_MEDIA_TYPES) if (matches(offered, asked)) chosen = offered;
  }
  return chosen;
}

function matches(offered: string, asked: string): boolean {
  const [offeredType, offeredSub] = offered.split('/');
  const [askedType, askedSub] = asked.split('/');
  return (askedType === '*' || askedType === offeredType) && (askedSub === '*' || askedSub === offeredSub);
}
