import { createHash, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../trial/index.ts';

/**
 * `bytes` random bytes from the source, base64url: session, CSRF and API tokens (32 bytes = 256 bits).
 *
 * @example
 * randomToken(createSecureRandom(), 32).length; // 43
 */
export function randomToken(random: RandomSource, bytes: number): string {
  const buffer = Buffer.alloc(Math.ceil(bytes / 4) * 4);
  for (let offset = 0; offset < buffer.length; offset += 4) buffer.writeUInt32LE(random.nextUint32(), offset);
  return buffer.subarray(0, bytes).toString('base64url');
}

/** The SHA-256 of a token, hex: what the store keeps instead of the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a presented token matches a stored hash, compared in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(tokenHash(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** A short random id with a prefix (`S-` screening ids ...): 10 characters of Crockford base32. */
export function randomId(random: RandomSource, prefix: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let id = '';
  for (let index = 0; index < 10; index++) id += alphabet[random.nextUint32() % 32];
  return `${prefix}${id}`;
}
