import { describe, expect, it } from 'vitest';
import { escapeXml, figureToSvg, pathData, type SvgFigure } from '../../../contract/svgFigure';

/** Whether every tag is closed in order (a minimal well-formedness check: the SVG has no text with '<'). */
function balanced(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0;
}

const figure = (): SvgFigure => ({
  width: 300,
  height: 200,
  title: 'Loss <train & "val">',
  area: { left: 40, top: 10, right: 290, bottom: 170 },
  axes: [
    { position: 'bottom', grid: true, title: 'step', ticks: [{ at: 40, label: '0' }, { at: 290, label: '1k' }] },
    { position: 'left', grid: true, ticks: [{ at: 170, label: '0' }, { at: 10, label: '2' }] },
  ],
  marks: [
    { kind: 'band', label: 'min–max', color: 'rgba(55, 148, 255, 0.2)', upper: [[40, 20], [290, 30]], lower: [[40, 100], [290, 120]] },
    { kind: 'line', label: 'train', color: 'rgb(55, 148, 255)', width: 2, points: [[40, 160], [100, NaN], [150, 80], [290.004, 20.126]] },
    { kind: 'rects', color: '#888', rects: [{ x: 50, y: 100, width: 10, height: 70 }] },
    { kind: 'points', color: '#000', radius: 2.5, stroke: '#fff', points: [{ x: 60, y: 60, color: 'red' }] },
  ],
  legend: [{ label: 'train', color: 'rgb(55, 148, 255)' }, { label: 'validation', color: 'orange', dash: [4, 2] }],
  colors: { background: '#1e1e1e', foreground: '#ccc', muted: '#999', grid: 'rgba(204, 204, 204, 0.12)' },
});

describe('chart to SVG', () => {
  it('writes a well-formed document with the title, legend, axes and every mark, text escaped', () => {
    const svg = figureToSvg(figure());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain('<title>Loss &lt;train &amp; &quot;val&quot;&gt;</title>');
    expect(svg).not.toContain('<train');
    // title (18) + one legend row (16 + 4) above the chart's 200 px
    expect(svg).toMatch(/height="238" viewBox="0 0 300 238"/);
    expect(svg.match(/class="legend-entry"/g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray="4 2"');
    expect(svg).toContain('>1k</text>');
    // A NaN breaks the line into two segments; coordinates are rounded to two decimals.
    expect(svg).toContain('d="M40 160M150 80L290 20.13"');
    expect(svg).toContain('d="M40 20L290 30L290 120L40 100Z"');
    expect(svg).toContain('<rect x="50" y="100" width="10" height="70"/>');
    expect(svg).toContain('<circle cx="60" cy="60" r="2.5" fill="red"/>');
    // Nothing active in it: it passes the host's check.
    expect(svg).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it('wraps the legend at the width', () => {
    const f = figure();
    f.legend = Array.from({ length: 12 }, (_, i) => ({ label: `[${i}] Linear(64 → 64)`, color: 'red' }));
    const rows = new Set([...figureToSvg(f).matchAll(/<g class="legend-entry"><line x1="[\d.]+" y1="([\d.]+)"/g)].map((m) => m[1]));
    expect(rows.size).toBe(12); // one entry per row at 300 px
  });

  it('escapes and draws paths as documented', () => {
    expect(escapeXml(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&apos;');
    expect(pathData([])).toBe('');
    expect(pathData([[0, -0.001], [1, Infinity], [2, 3]])).toBe('M0 0M2 3');
  });
});
