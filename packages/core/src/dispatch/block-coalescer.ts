import { abortableSleep } from '../timers/sleep.js';
import { ReplyDispatchError } from './reply-dispatch-error.js';

/** Options of {@link createBlockCoalescer}. */
export interface BlockCoalescerOptions {
  /** Receives each block, in order. */
  readonly onBlock: (text: string) => void;
  /** Smallest block sent before the end (tiny fragments are held back). Default 800. */
  readonly minChars?: number;
  /** Largest block. Default 1200 (the dispatcher clamps it to the channel's `textChunkLimit`). */
  readonly maxChars?: number;
  /** A pause this long without new text flushes what is buffered (if at least `minChars`). Default 1000. */
  readonly idleMs?: number;
  /** Clock, in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Waits `ms` (or until `signal` aborts). Inject it to keep tests off real timers. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Turns a stream of text deltas into message-sized blocks (for channels that cannot edit). */
export interface BlockCoalescer {
  /** Add text. May emit blocks synchronously (when the buffer passed a boundary). */
  write(delta: string): void;
  /** Emit everything buffered and stop (idempotent). */
  end(): void;
  /** Drop everything buffered and stop. */
  abort(): void;
  /** Characters buffered, not yet emitted. */
  readonly buffered: number;
}

/** Block streaming defaults (dispatch.md §1.10). */
export const defaultBlockStreaming = Object.freeze({ minChars: 800, maxChars: 1200, idleMs: 1000 });

const fenceLine = /^ {0,3}(`{3,}|~{3,})(.*)$/;

interface Fence {
  /** The opening line, to reopen the block in the next message. */
  readonly line: string;
  /** The marker (e.g. ``` or ~~~~), to close it. */
  readonly marker: string;
}

/** The code fence still open at the end of `text`, if any. */
function openFenceAt(text: string): Fence | undefined {
  let open: Fence | undefined;
  for (const line of text.split('\n')) {
    const match = fenceLine.exec(line);
    if (match === null) continue;
    const marker = match[1]!;
    if (open === undefined) open = { line, marker };
    else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && match[2]!.trim() === '') {
      open = undefined;
    }
  }
  return open;
}

// Break classes in order of preference (dispatch.md §1.10: paragraph → newline → sentence →
// whitespace → hard). Each regex matches the separator; the block ends before it.
const breakClasses: readonly RegExp[] = [/\n[^\S\n]*\n/g, /\n/g, /(?<=[.!?。！？])\s/g, /\s/g];

/** Where to cut `text` so the block is at most `limit` long, outside code fences when possible. */
function findCut(text: string, limit: number, minIndex: number): { end: number; resume: number } | undefined {
  const window = text.slice(0, limit + 1);
  for (const pattern of breakClasses) {
    let best: { end: number; resume: number } | undefined;
    for (const match of window.matchAll(pattern)) {
      const end = match.index;
      if (end < minIndex || end > limit) continue;
      if (openFenceAt(text.slice(0, end)) !== undefined) continue;
      best = { end, resume: end + match[0].length };
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

/**
 * Create a block coalescer: text is buffered and emitted in blocks of `minChars`–`maxChars`
 * characters, cut at the best boundary (paragraph, line, sentence, word), never inside a code
 * fence unless a fence is longer than a block (then the block closes the fence and the next one
 * reopens it). A block is emitted when the buffer passes `maxChars`, when a paragraph ends after
 * at least `minChars`, after `idleMs` without new text (if at least `minChars` are buffered), and
 * at `end()` (whatever is left).
 */
export function createBlockCoalescer(options: BlockCoalescerOptions): BlockCoalescer {
  const minChars = options.minChars ?? defaultBlockStreaming.minChars;
  const maxChars = options.maxChars ?? defaultBlockStreaming.maxChars;
  const idleMs = options.idleMs ?? defaultBlockStreaming.idleMs;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  if (typeof options.onBlock !== 'function') {
    throw new ReplyDispatchError('invalid_input', 'createBlockCoalescer: onBlock must be a function.');
  }
  for (const [name, value, least] of [
    ['maxChars', maxChars, 2],
    ['minChars', minChars, 0],
    ['idleMs', idleMs, 0],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < least) {
      throw new ReplyDispatchError(
        'invalid_input',
        `createBlockCoalescer: ${name} must be a number >= ${least}.`,
      );
    }
  }
  const min = Math.min(minChars, maxChars);

  let buffer = '';
  let closed = false;
  let lastWriteAt = 0;
  let idleTimer: AbortController | undefined;

  // Whitespace at a block boundary only separated two blocks: each block is sent trimmed.
  const emit = (text: string): void => {
    const block = text.trim();
    if (block !== '') options.onBlock(block);
  };

  /** Emit `buffer[0, end)` and keep `buffer[resume…]`, closing/reopening an open fence. */
  const cutAt = (end: number, resume: number): void => {
    let block = buffer.slice(0, end).trimEnd();
    let rest = buffer.slice(resume);
    const fence = openFenceAt(block);
    if (fence !== undefined) {
      block = `${block}\n${fence.marker}`;
      rest = `${fence.line}\n${rest.replace(/^\n/, '')}`;
    } else {
      rest = rest.replace(/^\s+/, '');
    }
    buffer = rest;
    emit(block);
  };

  const hardCut = (): void => {
    const fence = openFenceAt(buffer.slice(0, maxChars));
    // Leave room for the closing fence line when cutting inside a fence.
    const room = fence === undefined ? maxChars : Math.max(1, maxChars - fence.marker.length - 1);
    const inside = fence === undefined ? -1 : buffer.lastIndexOf('\n', room);
    let end = inside > 0 ? inside : room;
    const code = buffer.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--; // never split a surrogate pair
    cutAt(end, inside > 0 ? end + 1 : end);
  };

  const drain = (final: boolean): void => {
    while (buffer.length > maxChars) {
      const cut = findCut(buffer, maxChars, Math.min(min, Math.floor(maxChars / 2)));
      if (cut === undefined) hardCut();
      else cutAt(cut.end, cut.resume);
    }
    if (final) {
      emit(buffer.trimEnd());
      buffer = '';
      return;
    }
    if (buffer.length >= min) {
      // A finished paragraph of at least minChars goes out now.
      let end = -1;
      let resume = -1;
      for (const match of buffer.matchAll(/\n[^\S\n]*\n/g)) {
        if (match.index >= min && openFenceAt(buffer.slice(0, match.index)) === undefined) {
          end = match.index;
          resume = match.index + match[0].length;
        }
      }
      if (end >= 0) cutAt(end, resume);
    }
  };

  const armIdle = (): void => {
    if (idleTimer !== undefined || closed) return;
    const controller = new AbortController();
    idleTimer = controller;
    void (async () => {
      for (;;) {
        const wait = lastWriteAt + idleMs - now();
        if (wait > 0) {
          try {
            await sleep(wait, controller.signal);
          } catch {
            // Aborted: the coalescer ended.
          }
          if (controller.signal.aborted) return;
          continue;
        }
        idleTimer = undefined;
        if (!closed && buffer.length >= min) {
          const fence = openFenceAt(buffer);
          if (fence === undefined) {
            emit(buffer.trimEnd());
            buffer = '';
          } else {
            cutAt(buffer.length, buffer.length);
          }
        }
        return;
      }
    })();
  };

  return {
    write(delta) {
      if (closed) throw new ReplyDispatchError('closed', 'BlockCoalescer.write: the coalescer has ended.');
      if (typeof delta !== 'string') {
        throw new ReplyDispatchError('invalid_input', 'BlockCoalescer.write: delta must be a string.');
      }
      if (delta === '') return;
      buffer += delta;
      lastWriteAt = now();
      drain(false);
      if (buffer.length > 0) armIdle();
    },
    end() {
      if (closed) return;
      closed = true;
      idleTimer?.abort();
      drain(true);
    },
    abort() {
      closed = true;
      idleTimer?.abort();
      buffer = '';
    },
    get buffered() {
      return buffer.length;
    },
  };
}
