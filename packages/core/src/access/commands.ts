/**
 * The control commands recognised by default (OpenClaw's built-in chat commands, without the
 * slash). Pass your own list as `controlCommands` to `createAccessConfig`.
 */
export const DEFAULT_CONTROL_COMMANDS: readonly string[] = Object.freeze([
  'activation',
  'approve',
  'allowlist',
  'commands',
  'compact',
  'config',
  'context',
  'debug',
  'elevated',
  'help',
  'model',
  'models',
  'new',
  'queue',
  'reasoning',
  'reset',
  'restart',
  'send',
  'status',
  'stop',
  'subagents',
  'think',
  'usage',
  'verbose',
  'whoami',
]);

/** A control command found in a message. */
export interface ControlCommand {
  /** The command name, lowercase, without the slash. */
  readonly name: string;
  /** Everything after the command, trimmed (may be empty). */
  readonly args: string;
}

// `/name`, optionally `@botname`, optionally `:`, then optional arguments. The whole message.
const COMMAND = /^\/([a-z0-9_][a-z0-9_-]*)(?:@([a-z0-9_]+))?:?(?:\s+([\s\S]*))?$/i;

/**
 * The control command a message consists of, or `undefined` (§7.1). The text (after mentions
 * are stripped) must *start* with `/<command>`; `hello /status` is not a command. `/cmd:` and
 * `/cmd: args` are accepted. `/cmd@otherbot` is addressed to another bot and is not a command
 * here; `/cmd@thisbot` is (when `botUsername` is known; otherwise any `@bot` suffix is refused).
 */
export function detectControlCommand(
  text: string,
  commands: ReadonlySet<string>,
  botUsername?: string,
): ControlCommand | undefined {
  if (text.length === 0 || text.charCodeAt(0) !== 47 /* '/' */) return undefined;
  const m = COMMAND.exec(text);
  if (m === null) return undefined;
  const name = m[1]!.toLowerCase();
  if (!commands.has(name)) return undefined;
  const addressee = m[2];
  if (addressee !== undefined) {
    const self = botUsername?.replace(/^@/, '').toLowerCase();
    if (self === undefined || addressee.toLowerCase() !== self) return undefined;
  }
  return { name, args: (m[3] ?? '').trim() };
}

/** The group activation modes (§4.2). */
export type ActivationMode = 'mention' | 'always';

/** A parsed `/activation` command. `mode` is `undefined` when the argument is missing or unknown. */
export interface ActivationCommand {
  /** The requested mode, if it was `mention` or `always`. */
  readonly mode: ActivationMode | undefined;
}

/**
 * Parse `/activation [mention|always]` (§4.2): the command must be the whole message, with at
 * most one alphabetic argument; case-insensitive. Any other argument gives `{ mode: undefined }`.
 */
export function parseActivationCommand(command: ControlCommand | undefined): ActivationCommand | undefined {
  if (command === undefined || command.name !== 'activation') return undefined;
  if (command.args.length === 0) return { mode: undefined };
  if (!/^[a-z]+$/i.test(command.args)) return undefined; // more than one word: not the command
  const arg = command.args.toLowerCase();
  return { mode: arg === 'mention' || arg === 'always' ? arg : undefined };
}
