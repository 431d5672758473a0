/** Structured fields attached to a log line (ids, counts, the error …). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where the gateway writes what it does. Four levels, each taking a message and optional
 * structured fields; `console` fits, and so do pino or winston child loggers with a small wrapper.
 * The default is silent: a library does not write to the host's stdout uninvited.
 */
export interface ClawLogger {
  /** Fine-grained tracing (every decision, every turn). */
  debug(message: string, fields?: LogFields): void;
  /** Notable events (started, stopped, recovered parts). */
  info(message: string, fields?: LogFields): void;
  /** Something went wrong and was handled (a typing call failed, a binding was ignored). */
  warn(message: string, fields?: LogFields): void;
  /** Something failed (a handler threw, a store failed). */
  error(message: string, fields?: LogFields): void;
}

const noop = (): void => {};

/** A logger that discards everything (the default). */
export const silentLogger: ClawLogger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/**
 * A logger that adds `fields` to every line of `logger` (e.g. a turn's session key, agent and turn
 * id), and never throws: a failing logger must not fail the turn it reports on.
 */
export function withLogFields(logger: ClawLogger, fields: LogFields): ClawLogger {
  const wrap =
    (level: keyof ClawLogger) =>
    (message: string, extra?: LogFields): void => {
      try {
        logger[level](message, extra === undefined ? fields : { ...fields, ...extra });
      } catch {
        // Logging is best effort.
      }
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/** `logger` with every call guarded, so a throwing logger cannot break the gateway. */
export function safeLogger(logger: ClawLogger): ClawLogger {
  return withLogFields(logger, {});
}
