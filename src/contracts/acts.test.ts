import { describe, expect, it } from 'vitest';
import { actNumberSchema } from './acts.js';

describe('act numbers', () => {
  it('accept capital letters, digits and inner underscores, up to 15 characters', () => {
    for (const number of ['1', 'DEL2026_042', 'A_B', 'ABCDEFGHIJKLMNO']) {
      expect(actNumberSchema.safeParse(number).success, number).toBe(true);
    }
  });

  it('refuse what S²LOW refuses, in French', () => {
    const message = (value: string) => actNumberSchema.safeParse(value).error?.issues[0]?.message;
    expect(message('_DEL42')).toBe('Le numéro ne commence ni ne finit par « _ »');
    expect(message('DEL42_')).toBe('Le numéro ne commence ni ne finit par « _ »');
    expect(message('_')).toBe('Le numéro ne commence ni ne finit par « _ »');
    expect(message('del-42')).toBe('Le numéro ne contient que des majuscules, des chiffres et « _ »');
    expect(message('ABCDEFGHIJKLMNOP')).toBe('Le numéro compte au plus 15 caractères');
  });
});
