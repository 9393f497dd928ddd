import { describe, expect, it } from 'vitest';
import { MAX_EXPORT_CHARS, MessageFromWebviewType, exportBytes, parseMessageFromWebview } from '../../../contract/messages';

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

describe('chart exports from the webview are validated', () => {
  const runId = '20261122-065648-spiral-mlp';
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect x="0" y="0" width="1" height="1"/></svg>';

  it('accepts a PNG data URL and an SVG document, keeping only their fields', () => {
    expect(parseMessageFromWebview({ type: 'export-image', runId, chart: 'loss-chart', format: 'png', data: png, extra: 1 })).toEqual({
      type: MessageFromWebviewType.EXPORT_IMAGE,
      runId,
      chart: 'loss-chart',
      format: 'png',
      data: png,
    });
    expect(parseMessageFromWebview({ type: 'export-image', runId, chart: 'distribution-weight_dist-0.weight', format: 'svg', data: svg })?.type).toBe('export-image');
  });

  it('decodes a PNG to its bytes and an SVG to UTF-8', () => {
    expect([...exportBytes({ format: 'png', data: png })].slice(0, 4)).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(new TextDecoder().decode(exportBytes({ format: 'svg', data: '<svg a="→"></svg>' }))).toBe('<svg a="→"></svg>');
  });

  it.each([
    { chart: '../x', format: 'png', data: png },
    { chart: 'loss-chart', format: 'gif', data: png },
    { chart: 'loss-chart', format: 'png', data: 'data:image/jpeg;base64,AAAA' },
    { chart: 'loss-chart', format: 'png', data: 'data:image/png;base64,<script>' },
    { chart: 'loss-chart', format: 'svg', data: '<html></html>' },
    { chart: 'loss-chart', format: 'svg', data: '<svg ><script>alert(1)</script></svg>' },
    { chart: 'loss-chart', format: 'svg', data: '<svg ><rect onload="x()"/></svg>' },
    { chart: 'loss-chart', format: 'svg', data: '<svg ><image href="http://example.com/x.png"/></svg>' },
    { chart: 'loss-chart', format: 'svg', data: `<svg >${'a'.repeat(MAX_EXPORT_CHARS)}</svg>` },
    { chart: 'loss-chart', format: 'png' },
  ])('rejects %#', (fields) => {
    expect(parseMessageFromWebview({ type: 'export-image', runId, ...fields })).toBeUndefined();
  });
});
