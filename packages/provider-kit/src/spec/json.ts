/** A JSON value: what can cross a wire or be stored in a transcript unchanged. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * A JSON Schema document (draft 2020-12 or draft-07; providers pass it through unchanged).
 * Tool input schemas are objects with `type: 'object'`.
 */
export interface JsonSchema {
  readonly [keyword: string]: unknown;
}
