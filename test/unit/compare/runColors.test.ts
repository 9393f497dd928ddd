import { describe, expect, it } from 'vitest';
import { colorDistance, contrastRatio, runColor, themeKindOf, THEME_TONES, type ThemeKind } from '../../../contract/runColors';

const THEMES: ThemeKind[] = ['dark', 'light', 'hc-dark', 'hc-light'];

function minDistance(colors: string[]): number {
  let min = Infinity;
  for (let i = 0; i < colors.length; i++) for (let j = 0; j < i; j++) min = Math.min(min, colorDistance(colors[i], colors[j]));
  return min;
}

describe('each compared run gets its own colour', () => {
  it.each(THEMES)('%s: fifty runs, fifty colours that stand out from the background and from each other', theme => {
    const colors = Array.from({ length: 50 }, (_, i) => runColor(i, theme));
    expect(new Set(colors).size).toBe(50);
    for (const c of colors) {
      expect(c).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrastRatio(c, THEME_TONES[theme].background)).toBeGreaterThanOrEqual(3);
    }
    // 0.02 in OKLab is about the smallest difference one notices; the first few are far apart.
    expect(minDistance(colors)).toBeGreaterThan(0.03);
    expect(minDistance(colors.slice(0, 10))).toBeGreaterThan(0.12);
  });

  it('is stable: a run keeps its colour however many join after it', () => {
    const first = Array.from({ length: 4 }, (_, i) => runColor(i, 'dark'));
    Array.from({ length: 60 }, (_, i) => runColor(i, 'dark'));
    expect(Array.from({ length: 4 }, (_, i) => runColor(i, 'dark'))).toEqual(first);
  });

  it('the first run is a blue in every theme (like the dashboard\'s training line)', () => {
    for (const theme of THEMES) {
      const c = runColor(0, theme);
      const [r, , b] = [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16));
      expect(b).toBeGreaterThan(r);
    }
  });

  it('light and dark themes get different tones of the same run', () => {
    expect(runColor(3, 'light')).not.toBe(runColor(3, 'dark'));
  });

  it('keeps giving colours past every candidate (they repeat rather than fail)', () => {
    expect(runColor(216, 'dark')).toBe(runColor(0, 'dark'));
  });

  it('reads the theme kind VS Code puts on the page', () => {
    expect(themeKindOf('vscode-dark')).toBe('dark');
    expect(themeKindOf('vscode-light')).toBe('light');
    expect(themeKindOf('vscode-high-contrast')).toBe('hc-dark');
    expect(themeKindOf('vscode-high-contrast-light')).toBe('hc-light');
    expect(themeKindOf(undefined, 'vscode-body vscode-light')).toBe('light');
  });
});
