// Elementwise kernels; filled in below.
export function updatesWat() {
  return '';
}
