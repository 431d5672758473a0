import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';

/** Turn zod issues into plain `{ path, message }` pairs (never a raw zod dump). */
export function configIssuesFromZod(
  error: z.ZodError,
  prefix: readonly (string | number)[] = [],
): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path].map(String).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      message = `is required (${issue.message})`;
    }
    return { path, message };
  });
}
