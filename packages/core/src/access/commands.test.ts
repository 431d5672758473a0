import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROL_COMMANDS, detectControlCommand, parseActivationCommand } from './commands.js';

const commands = new Set(DEFAULT_CONTROL_COMMANDS);
const detect = (text: string, bot?: string) => detectControlCommand(text, commands, bot);

describe('control command detection', () => {
  it('the whole message must be the command (arguments allowed)', () => {
    expect(detect('/status')).toEqual({ name: 'status', args: '' });
    expect(detect('/model opus fast')).toEqual({ name: 'model', args: 'opus fast' });
    expect(detect('hello /status')).toBeUndefined();
  });

  it('accepts the "/cmd:" and "/cmd: args" forms', () => {
    expect(detect('/status:')).toEqual({ name: 'status', args: '' });
    expect(detect('/activation: always')).toEqual({ name: 'activation', args: 'always' });
  });

  it('is case-insensitive about the command name', () => {
    expect(detect('/STATUS')?.name).toBe('status');
  });

  it('unknown commands are not control commands', () => {
    expect(detect('/dance')).toBeUndefined();
    expect(detect('/')).toBeUndefined();
  });

  it('/cmd@otherbot is for another bot; /cmd@thisbot is ours; an unknown bot name is refused', () => {
    expect(detect('/status@otherbot', 'ClawBot')).toBeUndefined();
    expect(detect('/status@clawbot', '@ClawBot')).toEqual({ name: 'status', args: '' });
    expect(detect('/status@clawbot')).toBeUndefined();
  });
});

describe('/activation parsing', () => {
  it('reads mention and always, case-insensitively', () => {
    expect(parseActivationCommand(detect('/activation Always'))).toEqual({ mode: 'always' });
    expect(parseActivationCommand(detect('/activation mention'))).toEqual({ mode: 'mention' });
  });

  it('no argument or an unknown one gives no mode', () => {
    expect(parseActivationCommand(detect('/activation'))).toEqual({ mode: undefined });
    expect(parseActivationCommand(detect('/activation loud'))).toEqual({ mode: undefined });
  });

  it('more than one word is not an /activation command', () => {
    expect(parseActivationCommand(detect('/activation always please'))).toBeUndefined();
  });

  it('other commands and plain text are not /activation', () => {
    expect(parseActivationCommand(detect('/status'))).toBeUndefined();
    expect(parseActivationCommand(detect('activation always'))).toBeUndefined();
  });
});
