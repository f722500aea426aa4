/**
 * Longest SQL text a log line carries, in characters. Loader statements (a few hundred
 * characters) stay whole; a Chinook `INSERT` of thousands of rows (up to ~100 KB) does not.
 */
export const LOGGED_SQL_MAX_CHARS = 500;

/**
 * SQL text as logs carry it: whole when at most `maxChars` long, else its first `maxChars`
 * characters and how long it was.
 *
 * @example truncateSql('INSERT INTO catalog.track … (100,000 chars)', 20)
 * // 'INSERT INTO catalog.… [truncated, 100000 chars]'
 */
export function truncateSql(text: string, maxChars: number = LOGGED_SQL_MAX_CHARS): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… [truncated, ${text.length} chars]`;
}
