/**
 * Which parts of the page are on screen: a chart scrolled out of view is not redrawn while the run
 * goes (the panel's "Inside the network" section is usually below the fold), only when it comes
 * back — drawing is what costs a webview its frames.
 */
const watched = new Map<Element, (visible: boolean) => void>();
const observer = new IntersectionObserver(entries => {
  for (const e of entries) {
    watched.get(e.target)?.(e.isIntersecting);
  }
});

/** Calls `onChange` whenever `element` enters or leaves the viewport (and once at the start). */
export function watchVisibility(element: Element, onChange: (visible: boolean) => void): void {
  watched.set(element, onChange);
  observer.observe(element);
}

export function unwatchVisibility(element: Element): void {
  watched.delete(element);
  observer.unobserve(element);
}
