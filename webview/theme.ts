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
  step: string;
  lr: string;
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
    step: withAlpha(foreground, 0.25),
    lr: resolveColor(cssVar('--vscode-charts-purple', '#b180d7')),
  };
}

/** Calls `onChange` when VS Code switches theme (it changes the body's class and variables). */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
}
