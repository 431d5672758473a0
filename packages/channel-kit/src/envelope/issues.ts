import type { z } from 'zod';
import type { MessageIssue } from '../errors/invalid-message-error.js';

/** Turn zod issues into plain `{ path, message }` pairs (never a raw zod dump). */
export function toMessageIssues(error: z.ZodError): MessageIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      message = `is required (${issue.message})`;
    }
    return { path, message };
  });
}

/** Drop keys whose value is `undefined`, so parsed objects honour `exactOptionalPropertyTypes`. */
export function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
