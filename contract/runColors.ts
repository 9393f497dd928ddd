/**
 * One colour per compared run, the same for a run wherever the comparison shows it (lines, legend,
 * table, scatter), for any number of runs. Pure: the i-th run's colour depends only on i and the
 * theme's kind, so a comparison that grows keeps its colours. The colours are picked in OKLab
 * (where distance is what the eye sees) from hues all around the circle at three lightnesses chosen
 * per theme, so that every line stands out from the background (contrast at least 3:1, WCAG's
 * figure for graphics): each next run gets the candidate farthest from every colour already given
 * (the first few are as different as colours get; fifty are still told apart side by side).
 */

/** VS Code's four kinds of theme (the webview's body says which: data-vscode-theme-kind). */
export type ThemeKind = 'dark' | 'light' | 'hc-dark' | 'hc-light';

interface ThemeTones {
  /** OKLab lightness levels; the first is the one the first colours use. */
  lightness: readonly number[];
  chroma: number;
  /** The usual editor background (what contrast is checked against). */
  background: string;
}

export const THEME_TONES: Record<ThemeKind, ThemeTones> = {
  dark: { lightness: [0.76, 0.64, 0.87], chroma: 0.15, background: '#1e1e1e' },
  light: { lightness: [0.53, 0.41, 0.62], chroma: 0.15, background: '#ffffff' },
  'hc-dark': { lightness: [0.82, 0.7, 0.92], chroma: 0.18, background: '#000000' },
  'hc-light': { lightness: [0.45, 0.34, 0.54], chroma: 0.18, background: '#ffffff' },
};

/** Candidate hues (every 5°) at each lightness: 216 colours before they repeat. */
const HUES = 72;
/** The first colour: a blue, like the single-run dashboard's training line. */
const FIRST_HUE = 250;

const sequences = new Map<ThemeKind, string[]>();

/** The colour of the i-th run (0-based) in a theme of this kind, as "#rrggbb". */
export function runColor(index: number, theme: ThemeKind): string {
  const sequence = colorSequence(theme);
  return sequence[((index % sequence.length) + sequence.length) % sequence.length];
}

/** Every candidate of the theme, in the order runs get them (greedy farthest-first in OKLab). */
function colorSequence(theme: ThemeKind): string[] {
  const known = sequences.get(theme);
  if (known) return known;
  const tones = THEME_TONES[theme] ?? THEME_TONES.dark;
  const candidates: { hex: string; lab: Rgb }[] = [];
  for (const lightness of tones.lightness) {
    for (let k = 0; k < HUES; k++) {
      const hex = inGamutColor(lightness, tones.chroma, (FIRST_HUE + (k * 360) / HUES) % 360);
      candidates.push({ hex, lab: hexToOklab(hex) });
    }
  }
  const order: string[] = [];
  const nearest = candidates.map(() => Infinity);
  const used = candidates.map(() => false);
  let next = 0;
  for (let n = 0; n < candidates.length; n++) {
    used[next] = true;
    order.push(candidates[next].hex);
    const lab = candidates[next].lab;
    let best = -1;
    for (let i = 0; i < candidates.length; i++) {
      if (used[i]) continue;
      const c = candidates[i].lab;
      nearest[i] = Math.min(nearest[i], Math.hypot(c[0] - lab[0], c[1] - lab[1], c[2] - lab[2]));
      // Ties go to the earlier candidate (the first lightness, then the hue order): deterministic.
      if (best < 0 || nearest[i] > nearest[best] + 1e-12) best = i;
    }
    next = best;
  }
  sequences.set(theme, order);
  return order;
}

/** The largest chroma up to `chroma` that sRGB can show at this lightness and hue. */
function inGamutColor(lightness: number, chroma: number, hue: number): string {
  let c = chroma;
  let rgb = oklchToRgb(lightness, c, hue);
  while (!inGamut(rgb) && c > 0) {
    c = Math.max(0, c - 0.005);
    rgb = oklchToRgb(lightness, c, hue);
  }
  return toHex(rgb);
}

/** The theme kind a webview's body states (VS Code sets data-vscode-theme-kind and a class). */
export function themeKindOf(kind: string | undefined, className = ''): ThemeKind {
  const text = `${kind ?? ''} ${className}`;
  if (/vscode-high-contrast-light/.test(text)) return 'hc-light';
  if (/vscode-high-contrast/.test(text)) return 'hc-dark';
  if (/vscode-light/.test(text)) return 'light';
  return 'dark';
}

type Rgb = [number, number, number];

function oklchToRgb(l: number, c: number, hueDegrees: number): Rgb {
  const h = (hueDegrees * Math.PI) / 180;
  const a = c * Math.cos(h);
  const b = c * Math.sin(h);
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ];
}

function inGamut([r, g, b]: Rgb): boolean {
  const ok = (v: number): boolean => v >= -1e-4 && v <= 1 + 1e-4;
  return ok(r) && ok(g) && ok(b);
}

function toHex(linear: Rgb): string {
  return `#${linear
    .map(v => {
      const x = Math.min(1, Math.max(0, v));
      const srgb = x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055;
      return Math.round(srgb * 255)
        .toString(16)
        .padStart(2, '0');
    })
    .join('')}`;
}

/** "#rrggbb" → relative luminance (WCAG 2). */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map(i => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two "#rrggbb" colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Distance of two "#rrggbb" colours in OKLab (about 0.02 is the smallest difference one notices). */
export function colorDistance(a: string, b: string): number {
  const [l1, a1, b1] = hexToOklab(a);
  const [l2, a2, b2] = hexToOklab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

function hexToOklab(hex: string): Rgb {
  const [r, g, b] = [1, 3, 5].map(i => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}
