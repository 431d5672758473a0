import type { ToolCallEndPart } from '../spec/stream.js';

/**
 * The `tool-call-end` fields for the accumulated input JSON text of a tool call: the parsed
 * object (`{}` for empty text, as models send for tools without parameters), or the raw text with
 * `inputParseError` when it is not valid JSON.
 */
export function parseToolInput(text: string): Pick<ToolCallEndPart, 'input' | 'inputParseError'> {
  if (text.trim() === '') return { input: {} };
  try {
    return { input: JSON.parse(text) as unknown };
  } catch (error) {
    return { input: text, inputParseError: error instanceof Error ? error.message : String(error) };
  }
}
