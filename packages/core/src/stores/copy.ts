import { type CheckContext, invalidArgument } from './validate.js';

/**
 * A deep, frozen copy of `value` made of JSON values only. The memory stores keep and hand out
 * these, so a caller can neither change a stored record by mutating what it passed in or got
 * back, nor store something a file store would keep differently: a value JSON cannot carry
 * faithfully (a function, a `Date`, a `Map`, a class instance, `NaN`, a cycle …) is rejected, and
 * `undefined` object fields are dropped as `JSON.stringify` drops them. One pass, no string
 * round trip, and nothing allocated but the copy itself: the memory store is on the gateway's hot
 * path (the path of a field is only spelled out for an error).
 */
export function frozenCopy<T>(ctx: CheckContext, value: T): T {
  const base = ancestors.length;
  try {
    return copyValue(ctx, value, base) as T;
  } finally {
    ancestors.length = base;
    keys.length = base;
  }
}

/**
 * The objects being copied, outermost first, and the key of each one's field being copied: shared
 * by every copy (records are shallow, so a linear search beats a `Set` made per call). A copy only
 * looks at its own part, from `base` on, so a copy started from inside another (a getter calling a
 * store) sees only its own ancestors.
 */
const ancestors: object[] = [];
const keys: (string | number)[] = [];

function copyValue(ctx: CheckContext, value: unknown, base: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw notJson(ctx, base, `the number ${value}`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (ancestors.indexOf(value, base) !== -1) throw notJson(ctx, base, 'a cycle');
      const depth = ancestors.length;
      ancestors.push(value);
      keys.push(0);
      let copy: unknown;
      if (Array.isArray(value)) {
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          keys[depth] = i;
          out[i] = copyValue(ctx, value[i], base);
        }
        copy = Object.freeze(out);
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          ancestors.pop();
          keys.pop();
          throw notJson(ctx, base, `an instance of ${(value as object).constructor?.name ?? 'a class'}`);
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const field = (value as Record<string, unknown>)[key];
          if (field !== undefined) {
            keys[depth] = key;
            out[key] = copyValue(ctx, field, base);
          }
        }
        copy = Object.freeze(out);
      }
      ancestors.pop();
      keys.pop();
      return copy;
    }
    default:
      throw notJson(ctx, base, value === undefined ? 'undefined' : `a ${typeof value}`);
  }
}

/** The path of the value being copied (`a.b[2].c`), from the keys of its ancestors. */
function pathOf(base: number): string {
  let path = '';
  for (let i = base; i < keys.length; i++) {
    const key = keys[i]!;
    path = typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
  }
  return path;
}

const notJson = (ctx: CheckContext, base: number, what: string) => {
  const path = pathOf(base);
  return invalidArgument(ctx, `the value is not JSON data: ${path === '' ? 'it' : path} is ${what}.`);
};

/** Freeze `value` and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key in value) if (Object.hasOwn(value, key)) deepFreeze(value[key]);
  }
  return value;
}
