import { describe, expect, it } from 'vitest';
import { formatGoFixed, formatGoFloat, goHours } from './goFormat.js';

describe("Go's float formatting, as Sloth's rules print numbers", () => {
  it('formats %g like Go: shortest digits, exponent below 1e-4 and from 1e6', () => {
    expect(formatGoFloat(99.9 / 100)).toBe('0.9990000000000001');
    expect(formatGoFloat((100 - 99.9) / 100)).toBe('0.0009999999999999432');
    expect(formatGoFloat((100 - 99.99) / 100)).toBe('0.00010000000000005117');
    expect(formatGoFloat(0.00001)).toBe('1e-05');
    expect(formatGoFloat(-2.5e-7)).toBe('-2.5e-07');
    expect(formatGoFloat(1e6)).toBe('1e+06');
    expect(formatGoFloat(1234567)).toBe('1.234567e+06');
    expect(formatGoFloat(123456)).toBe('123456');
    expect(formatGoFloat(30)).toBe('30');
    expect(formatGoFloat(14.4)).toBe('14.4');
    expect(formatGoFloat(0)).toBe('0');
    expect(formatGoFloat(1e21)).toBe('1e+21');
  });

  it("formats 'f' -1 like Go: shortest digits, never an exponent", () => {
    expect(formatGoFixed(99.9)).toBe('99.9');
    expect(formatGoFixed(95)).toBe('95');
    expect(formatGoFixed(1e-7)).toBe('0.0000001');
    expect(formatGoFixed(1.5e21)).toBe('1500000000000000000000');
  });

  it("computes hours like Go's Duration.Hours", () => {
    expect(goHours(300)).toBe(0.08333333333333333);
    expect(goHours(30 * 86_400)).toBe(720);
    expect(goHours(5400)).toBe(1.5);
  });
});
