/**
 * Colors come from the VS Code theme (CSS variables VS Code sets on the page), so the charts follow
 * light, dark and high-contrast themes and change with them.
 */
export interface ChartColors {
  foreground: string;
  muted: string;
  grid: string;
  train: string;
  validation: string;
  /** The test split (evaluated each epoch with test_every_epoch). */
  test: string;
  /** The raw mini-batch loss: faint, under everything else. */
  step: string;
  /** A smoothed line drawn over a raw one. */
  smoothed: string;
  lr: string;
  /** The page background (outlines markers so they stand out from the lines under them). */
  background: string;
  /** Distinct colors for charts with one line per layer or parameter, in order. */
  palette: string[];
  /** Finding markers; none of them is `train` (the e2e test finds the train line by its color). */
  severity: { error: string; warning: string; info: string };
  /** Reference levels drawn across a chart (the update/weight ratio's 1e-3). */
  reference: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Resolves any CSS color to "rgb(r, g, b)" / "rgba(...)" as the canvas will paint it. */
function resolveColor(color: string): string {
  const probe = document.createElement('span');
  probe.style.color = color;
  document.body.appendChild(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved;
}

function withAlpha(rgb: string, alpha: number): string {
  const m = rgb.match(/rgba?\(([^)]+)\)/);
  if (!m) {
    return rgb;
  }
  const [r, g, b] = m[1].split(',').map(s => s.trim());
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export function readColors(): ChartColors {
  const foreground = resolveColor(cssVar('--vscode-editor-foreground', '#cccccc'));
  return {
    foreground,
    muted: resolveColor(cssVar('--vscode-descriptionForeground', '#999999')),
    grid: withAlpha(foreground, 0.12),
    train: resolveColor(cssVar('--vscode-charts-blue', '#3794ff')),
    validation: resolveColor(cssVar('--vscode-charts-orange', '#d18616')),
    test: resolveColor(cssVar('--vscode-charts-green', '#89d185')),
    step: withAlpha(foreground, 0.3),
    smoothed: withAlpha(foreground, 0.65),
    lr: resolveColor(cssVar('--vscode-charts-purple', '#b180d7')),
    background: resolveColor(cssVar('--vscode-editor-background', '#1e1e1e')),
    palette: [
      cssVar('--vscode-charts-blue', '#3794ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', '#89d185'),
      cssVar('--vscode-charts-purple', '#b180d7'),
      cssVar('--vscode-charts-yellow', '#cca700'),
      cssVar('--vscode-charts-red', '#f14c4c'),
    ].map(resolveColor),
    severity: {
      error: resolveColor(cssVar('--vscode-editorError-foreground', cssVar('--vscode-charts-red', '#f14c4c'))),
      warning: resolveColor(cssVar('--vscode-editorWarning-foreground', cssVar('--vscode-charts-yellow', '#cca700'))),
      // Not VS Code's info blue: that is the train line's color on the loss chart.
      info: resolveColor(cssVar('--vscode-charts-purple', '#b180d7')),
    },
    reference: withAlpha(foreground, 0.6),
  };
}

/**
 * Calls `onChange` when VS Code switches theme: it sets the theme's kind on the body (class,
 * data-vscode-theme-*) and its colors as CSS variables on the root element's style. Several
 * changes at once are one call, on the next frame (when all of them are in place).
 */
export function watchTheme(onChange: () => void): void {
  let frame = 0;
  const changed = (): void => {
    if (frame === 0) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        onChange();
      });
    }
  };
  const observer = new MutationObserver(changed);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind', 'data-vscode-theme-id'] });
}
