export { type StripMentionsOptions, stripMentions } from './strip-mentions.js';
