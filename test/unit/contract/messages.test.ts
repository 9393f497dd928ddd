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

describe('detail requests from the webview are validated', () => {
  const ok = { type: 'detail-request', runId: '20261122-065648-spiral-mlp', requestId: 3, keys: ['loss', 'val_loss', 'update_ratio/0.weight'], from: 1000, to: 5000, width: 2 };

  it('accepts a well-formed request, keeping only its fields', () => {
    expect(parseMessageFromWebview({ ...ok, extra: 'x' })).toEqual({ ...ok, type: MessageFromWebviewType.DETAIL_REQUEST });
  });

  it.each([
    { keys: [] },
    { keys: ['loss', 'rm -rf'] },
    { keys: ['update_ratio/'] },
    { keys: Array(65).fill('loss') },
    { from: -1 },
    { to: 1000 },
    { to: Infinity },
    { width: 3 },
    { width: 0 },
    // 4,000 steps at one step a bucket is within the limit; 40,000 is not
    { to: 41_000, width: 1 },
    { requestId: 1.5 },
    { runId: '../x' },
  ])('rejects %j', change => {
    expect(parseMessageFromWebview({ ...ok, ...change })).toBeUndefined();
  });
});
