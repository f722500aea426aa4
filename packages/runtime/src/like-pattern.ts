/**
 * An `ILIKE` pattern that matches `text` anywhere, literally: `%`, `_` and `\` are escaped
 * (Postgres' default escape character is `\`).
 *
 * @example
 * db.selectFrom('catalog.artist').where('name', 'ilike', likePattern('AC/DC_')) // name ILIKE '%AC/DC\_%'
 */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
