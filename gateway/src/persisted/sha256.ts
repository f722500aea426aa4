import { createHash } from 'node:crypto';

/** SHA-256 of a string's UTF-8 bytes, lower-case hex: the hash APQ and trusted documents use. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
