/**
 * `value`, which the caller knows must be there (an element the page's HTML always has, a row the seed
 * just made, an answer a test expects): a clear error naming `what` when it is missing, where a
 * non-null assertion (`!`) would let `undefined` travel on. Server, web and tests share this one.
 */
export function defined<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}
