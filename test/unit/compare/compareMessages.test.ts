import { describe, expect, it } from 'vitest';
import { CompareFromWebviewType, parseCompareMessage, parseTableMessage, TableFromWebviewType } from '../../../contract/compare';
import { MessageFromWebviewType } from '../../../contract/messages';

const ID = '20261205-100000-optimizer-comparison';

describe('messages from the comparison page are validated', () => {
  it('accepts the contract, dropping extra fields', () => {
    expect(parseCompareMessage({ type: 'ready', x: 1 })).toEqual({ type: CompareFromWebviewType.READY });
    expect(parseCompareMessage({ type: 'open-run', runId: ID })).toEqual({ type: CompareFromWebviewType.OPEN_RUN, runId: ID });
    expect(parseCompareMessage({ type: 'export', format: 'csv', path: '/etc/passwd' })).toEqual({ type: CompareFromWebviewType.EXPORT, format: 'csv' });
  });

  it('accepts a compared run\'s chart saved as an image, validated as from a dashboard', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(parseCompareMessage({ type: 'export-image', runId: ID, chart: 'decision-boundary', format: 'png', data: png, extra: 1 })).toEqual({
      type: MessageFromWebviewType.EXPORT_IMAGE,
      runId: ID,
      chart: 'decision-boundary',
      format: 'png',
      data: png,
    });
  });

  it.each([
    null,
    'ready',
    {},
    { type: 'open-run', runId: '../x' },
    { type: 'export', format: 'xlsx' },
    { type: 'delete' },
    { type: 'export-image', runId: ID, chart: '../x', format: 'png', data: 'data:image/png;base64,AAAA' },
    { type: 'export-image', runId: ID, chart: 'decision-boundary', format: 'svg', data: '<svg onload="alert(1)"></svg>' },
    { type: 'export-image', runId: '..', chart: 'decision-boundary', format: 'png', data: 'data:image/png;base64,AAAA' },
  ])('rejects %j', raw => {
    expect(parseCompareMessage(raw)).toBeUndefined();
  });
});

describe('messages from the runs table are validated', () => {
  it('accepts the contract; run lists are deduplicated', () => {
    expect(parseTableMessage({ type: 'compare', runIds: [ID, ID, `${ID}--adam`] })).toEqual({ type: TableFromWebviewType.COMPARE, runIds: [ID, `${ID}--adam`] });
    expect(parseTableMessage({ type: 'delete', runIds: [ID] })).toEqual({ type: TableFromWebviewType.DELETE, runIds: [ID] });
    expect(parseTableMessage({ type: 'rename', runId: ID })).toEqual({ type: TableFromWebviewType.RENAME, runId: ID });
    expect(parseTableMessage({ type: 'export', runIds: [ID], format: 'json' })).toEqual({ type: TableFromWebviewType.EXPORT, runIds: [ID], format: 'json' });
  });

  it.each([
    { type: 'compare', runIds: [] },
    { type: 'compare', runIds: 'x' },
    { type: 'delete', runIds: ['..'] },
    { type: 'delete', runIds: [ID, '/abs'] },
    { type: 'compare', runIds: Array(1001).fill(ID) },
    { type: 'export', runIds: [ID], format: 'exe' },
    { type: 'rename', runId: 5 },
  ])('rejects %j', raw => {
    expect(parseTableMessage(raw)).toBeUndefined();
  });
});
