// scriptText is the one place sub- and superscripts become readable text for Slack, Teams and the terminal.

import { scriptText } from '../../src/core/richtext';

it('writes digits, signs and the letters Unicode has as sub- or superscripts', () => {
  expect(scriptText({ text: '50', style: ['sub'] })).toBe('₅₀');
  expect(scriptText({ text: '-9', style: ['sup'] })).toBe('⁻⁹');
  expect(scriptText({ text: 'max', style: ['sub'] })).toBe('ₘₐₓ');
  expect(scriptText({ text: 'th', style: ['sup'] })).toBe('ᵗʰ');
});

it('leaves a script plain when any character lacks a form, never half-converted or marked', () => {
  expect(scriptText({ text: 'β2', style: ['sub'] })).toBe('β2');
  expect(scriptText({ text: 'q', style: ['sup'] })).toBe('q');
  expect(scriptText({ text: 'MIC' })).toBe('MIC');
  expect(scriptText({ text: '50', style: ['italic'] })).toBe('50');
});
