import crypto from 'node:crypto';

let lastMs = 0;

/**
 * `count` time-ordered UUIDs (RFC 9562 version 7), strictly increasing, and greater than every id a
 * previous call of this process returned. A billing run writes a million invoice lines: with random
 * (version 4) ids every row lands on a random page of the primary-key and invoice indexes, which no
 * longer fit in memory; ordered ids append to the right edge of those indexes instead.
 *
 * Layout: 48-bit Unix milliseconds (one millisecond per call, never going backwards), version 7, then
 * 42 random bits drawn per call and a 32-bit counter that starts at a random value below 2³¹.
 */
export function orderedIds(count: number): string[] {
  if (!Number.isInteger(count) || count < 0 || count >= 2 ** 31) {
    throw new RangeError(`orderedIds: count ${count} out of range`);
  }
  const ms = Math.max(Date.now(), lastMs + 1);
  lastMs = ms;
  const time = ms.toString(16).padStart(12, '0');
  const random = crypto.randomBytes(10);
  const randA = (random.readUInt16BE(0) & 0x0fff).toString(16).padStart(3, '0');
  const variant = (((random[2] & 0x3f) | 0x80) * 256 + random[3]).toString(16);
  const prefix = `${time.slice(0, 8)}-${time.slice(8)}-7${randA}-${variant}-${random.subarray(4, 6).toString('hex')}`;
  const start = random.readUInt32BE(6) >>> 1;
  const ids = new Array<string>(count);
  for (let k = 0; k < count; k++) ids[k] = prefix + (start + k).toString(16).padStart(8, '0');
  return ids;
}
