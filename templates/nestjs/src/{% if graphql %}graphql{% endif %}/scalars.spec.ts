import { Kind } from 'graphql';

import { DateTimeScalar, UuidScalar } from './scalars';

describe('UuidScalar', () => {
  const id = '0B6F1E1C-8A6B-4C2E-9F1D-2A3B4C5D6E7F';

  it('takes any UUID and gives its canonical lower-case form', () => {
    expect(UuidScalar.parseValue(id)).toBe(id.toLowerCase());
    expect(UuidScalar.parseLiteral({ kind: Kind.STRING, value: id })).toBe(id.toLowerCase());
    expect(UuidScalar.serialize(id.toLowerCase())).toBe(id.toLowerCase());
  });

  it('refuses anything else', () => {
    expect(() => UuidScalar.parseValue('x')).toThrow('UUID cannot represent value: "x"');
    expect(() => UuidScalar.parseValue(5)).toThrow('UUID cannot represent value: 5');
    expect(() => UuidScalar.parseLiteral({ kind: Kind.INT, value: '5' })).toThrow(
      'UUID cannot represent a non-string value: 5',
    );
  });
});

describe('DateTimeScalar', () => {
  it('writes UTC with Z, as REST does', () => {
    const date = new Date('2026-01-31T12:00:00+02:00');
    expect(DateTimeScalar.serialize(date)).toBe('2026-01-31T10:00:00.000Z');
    expect(() => DateTimeScalar.serialize('2026-01-31')).toThrow('DateTime cannot represent');
  });

  it('reads ISO 8601 with an offset, and nothing else', () => {
    const parsed = DateTimeScalar.parseValue('2026-01-31T12:00:00+02:00');
    expect(parsed.toISOString()).toBe('2026-01-31T10:00:00.000Z');
    const literal = DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2026-01-31T12:00Z' });
    expect(literal.toISOString()).toBe('2026-01-31T12:00:00.000Z');
    for (const value of ['2026-01-31T12:00:00', '2026-13-31T12:00:00Z', 'soon', 7]) {
      expect(() => DateTimeScalar.parseValue(value)).toThrow('DateTime cannot represent value');
    }
  });
});
