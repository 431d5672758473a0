export { createTerminalChannel, type TerminalChannelOptions } from './terminal-channel.js';
