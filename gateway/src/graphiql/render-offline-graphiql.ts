import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * Yoga's `renderGraphiQL` for a GraphiQL page that needs no internet. Yoga's default page loads
 * GraphiQL's scripts, styles and editor workers from a CDN (unpkg), so it is blank offline;
 * `@graphql-yoga/render-graphiql` (the same GraphiQL, from Yoga's authors) inlines all of them,
 * favicon included, into one HTML page of about 9 MB.
 *
 * The bundle is imported on the first GraphiQL request, not at start: a gateway whose GraphiQL
 * nobody opens does not hold it in memory, and production (GraphiQL off) never loads it. The page
 * is rendered once per distinct options.
 *
 * @example createYoga({ graphiql: { title: 'Tributary' }, renderGraphiQL: createOfflineGraphiQLRenderer() })
 */
export function createOfflineGraphiQLRenderer(): (options: GraphiQLOptions) => Promise<string> {
  let rendered: { key: string; html: Promise<string> } | undefined;
  return (options) => {
    const key = JSON.stringify(options ?? {});
    if (rendered?.key !== key) {
      const html = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
      rendered = { key, html };
      // A failed import is retried by the next request rather than cached.
      html.catch(() => {
        if (rendered?.html === html) rendered = undefined;
      });
    }
    return rendered.html;
  };
}
