import { createTestChannel } from '@claw/channel-kit/testing';
import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../stores/types.js';
import {
  COLLECTED_MESSAGES_HEADER,
  steeredUserMessage,
  transcriptToModelMessages,
  turnUserMessage,
} from './model-messages.js';

const at = 1;
const call = (id: string) => ({ type: 'tool-call' as const, toolCallId: id, toolName: 'search', input: {} });
const result = (id: string) => ({
  type: 'tool-result' as const,
  toolCallId: id,
  toolName: 'search',
  output: 'x',
});

describe('transcriptToModelMessages', () => {
  it('turns text entries into messages and uses recorded tool messages as they are', () => {
    const entries: TranscriptEntry[] = [
      { role: 'user', text: 'find it', at },
      { role: 'assistant', text: '', at, data: { role: 'assistant', content: [call('c1')] } },
      { role: 'tool', text: '[tool results]', at, data: { role: 'tool', content: [result('c1')] } },
      { role: 'assistant', text: 'found', at },
      { role: 'system', text: 'internal note', at },
    ];
    expect(transcriptToModelMessages(entries)).toEqual([
      { role: 'user', content: 'find it' },
      { role: 'assistant', content: [call('c1')] },
      { role: 'tool', content: [result('c1')] },
      { role: 'assistant', content: 'found' },
    ]);
  });

  it('starts at a user message when a limited read cut an exchange in half', () => {
    const entries: TranscriptEntry[] = [
      { role: 'tool', text: '', at, data: { role: 'tool', content: [result('c0')] } },
      { role: 'assistant', text: 'earlier answer', at },
      { role: 'user', text: 'next question', at },
    ];
    expect(transcriptToModelMessages(entries)).toEqual([{ role: 'user', content: 'next question' }]);
  });

  it('drops tool calls whose results were never recorded, and results without their call', () => {
    const entries: TranscriptEntry[] = [
      { role: 'user', text: 'go', at },
      {
        role: 'assistant',
        text: 'let me look',
        at,
        data: { role: 'assistant', content: [{ type: 'text', text: 'let me look' }, call('lost')] },
      },
      { role: 'user', text: 'hello?', at },
      { role: 'tool', text: '', at, data: { role: 'tool', content: [result('stray')] } },
    ];
    expect(transcriptToModelMessages(entries)).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'text', text: 'let me look' }] },
      { role: 'user', content: 'hello?' },
    ]);
  });
});

describe('turnUserMessage', () => {
  const channel = createTestChannel();

  it('is the plain text in a DM', () => {
    expect(turnUserMessage({ messages: [channel.dm('hi')], history: [] })).toEqual({
      role: 'user',
      content: 'hi',
    });
  });

  it('merges collected messages under OpenClaw headers, with senders in groups', () => {
    const messages = [
      channel.group('one', { sender: { id: 'a', name: 'Ann' } }),
      channel.group('two', { sender: { id: 'b', name: 'Ben' } }),
    ];
    expect(turnUserMessage({ messages, history: [] }).content).toBe(
      `${COLLECTED_MESSAGES_HEADER}\n\n---\nQueued #1\nAnn: one\n\n---\nQueued #2\nBen: two`,
    );
  });

  it('puts the queue overflow notice first', () => {
    const content = turnUserMessage({
      messages: [channel.dm('latest')],
      history: [],
      overflow: { dropped: 2, summaries: ['first', 'second'] },
    }).content;
    expect(content).toBe(
      '[Queue overflow] Dropped 2 message(s) due to cap.\nSummary:\n- first\n- second\n\nlatest',
    );
  });

  it('gives a steered message its own group context', () => {
    const steered = steeredUserMessage({
      message: channel.dm('also this'),
      history: [],
    });
    expect(steered).toEqual({ role: 'user', content: 'also this' });
  });
});
