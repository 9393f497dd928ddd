import { describe, expect, it } from 'vitest';
import { MessageFromWebviewType, parseMessageFromWebview } from '../../../contract/messages';

describe('messages from the webview are validated', () => {
  it('accepts the contract', () => {
    expect(parseMessageFromWebview({ type: 'ready' })).toEqual({ type: MessageFromWebviewType.READY });
    expect(parseMessageFromWebview({ type: 'stop-run', runId: '20261122-065648-spiral-mlp' })).toEqual({
      type: MessageFromWebviewType.STOP_RUN,
      runId: '20261122-065648-spiral-mlp',
    });
  });

  it('drops extra fields so nothing unchecked reaches the host', () => {
    expect(parseMessageFromWebview({ type: 'ready', command: 'rm -rf' })).toEqual({ type: 'ready' });
  });

  it.each([
    null,
    'ready',
    42,
    {},
    { type: 'unknown' },
    { type: 'stop-run' },
    { type: 'stop-run', runId: 7 },
    { type: 'stop-run', runId: '../../etc' },
    { type: 'stop-run', runId: '..' },
    { type: 'stop-run', runId: '.hidden' },
    { type: 'train-again', runId: 'a'.repeat(201) },
    { type: 'open-experiment', runId: '' },
  ])('rejects %j', raw => {
    expect(parseMessageFromWebview(raw)).toBeUndefined();
  });
});
