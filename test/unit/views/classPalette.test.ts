import { describe, expect, it } from 'vitest';
import { classPalette } from '../../../contract/boundaryFigure';

describe('class colours on the decision boundary', () => {
  it('keeps a palette of distinct hues as it is', () => {
    // Dark Modern's charts colours: blue, orange, green, purple, red (yellow sits 13° from orange).
    const dark = ['rgb(55, 148, 255)', 'rgb(209, 134, 22)', 'rgb(137, 209, 133)', 'rgb(177, 128, 215)', 'rgb(241, 76, 76)'];
    expect(classPalette(dark)).toEqual(dark);
  });

  it('puts a hue the theme repeats after the distinct ones', () => {
    // Light High Contrast: its "orange" is a dark blue (#0F4A85) beside its blue.
    const hcLight = ['rgb(26, 133, 255)', 'rgb(15, 74, 133)', 'rgb(55, 78, 6)', 'rgb(101, 41, 155)', 'rgb(181, 32, 13)'];
    expect(classPalette(hcLight)).toEqual(['rgb(26, 133, 255)', 'rgb(55, 78, 6)', 'rgb(101, 41, 155)', 'rgb(181, 32, 13)', 'rgb(15, 74, 133)']);
  });

  it('moves yellow after orange when both are there, and keeps every colour', () => {
    const p = ['rgb(55, 148, 255)', 'rgb(209, 134, 22)', 'rgb(137, 209, 133)', 'rgb(204, 167, 0)', 'rgb(241, 76, 76)'];
    const out = classPalette(p);
    expect(out.slice(0, 4)).toEqual(['rgb(55, 148, 255)', 'rgb(209, 134, 22)', 'rgb(137, 209, 133)', 'rgb(241, 76, 76)']);
    expect([...out].sort()).toEqual([...p].sort());
  });

  it('leaves greys and other forms in their place', () => {
    expect(classPalette(['#123456', 'rgb(128, 128, 128)', 'rgb(255, 0, 0)'])).toEqual(['#123456', 'rgb(128, 128, 128)', 'rgb(255, 0, 0)']);
  });
});
