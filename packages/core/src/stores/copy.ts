import { type CheckContext, invalidArgument } from './validate.js';

/**
 * A deep, frozen copy of `value` made of JSON values only. The memory stores keep and hand out
 * these, so a caller can neither change a stored record by mutating what it passed in or got
 * back, nor store something a file store would keep differently: a value JSON cannot carry
 * faithfully (a function, a `Date`, a `Map`, a class instance, `NaN`, a cycle …) is rejected, and
 * `undefined` object fields are dropped as `JSON.stringify` drops them. One pass, no string
 * round trip: the memory store is on the gateway's hot path.
 */
export function frozenCopy<T>(ctx: CheckContext, value: T): T {
  return copyValue(ctx, value, '', new Set()) as T;
}

function copyValue(ctx: CheckContext, value: unknown, path: string, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw notJson(ctx, path, `the number ${value}`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (seen.has(value)) throw notJson(ctx, path, 'a cycle');
      seen.add(value);
      let copy: unknown;
      if (Array.isArray(value)) {
        copy = Object.freeze(value.map((item, i) => copyValue(ctx, item, `${path}[${i}]`, seen)));
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw notJson(ctx, path, `an instance of ${(value as object).constructor?.name ?? 'a class'}`);
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const field = (value as Record<string, unknown>)[key];
          if (field !== undefined)
            out[key] = copyValue(ctx, field, path === '' ? key : `${path}.${key}`, seen);
        }
        copy = Object.freeze(out);
      }
      seen.delete(value);
      return copy;
    }
    default:
      throw notJson(ctx, path, value === undefined ? 'undefined' : `a ${typeof value}`);
  }
}

const notJson = (ctx: CheckContext, path: string, what: string) =>
  invalidArgument(ctx, `the value is not JSON data: ${path === '' ? 'it' : path} is ${what}.`);

/** Freeze `value` and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
