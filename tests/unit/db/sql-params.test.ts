// idArray writes ids and integers as an array literal itself; nothing that could end an element or the array gets in.
import { describe, expect, it } from 'vitest';
import { idArray } from '../../../server/db/sql-params';

describe('idArray', () => {
  it('writes digit strings, uuids, integers and nulls unquoted', () => {
    expect(idArray(['12', '9007199254740993', '5b1f3c1e-0d1a-4c2b-9e3f-2a1b3c4d5e6f', -4, 0, null, undefined])).toBe(
      '{12,9007199254740993,5b1f3c1e-0d1a-4c2b-9e3f-2a1b3c4d5e6f,-4,0,NULL,NULL}',
    );
    expect(idArray([])).toBe('{}');
  });

  it('refuses anything else', () => {
    for (const bad of ['1,2', '1}', '"1"', '', 'NULL', '1 2', '{1}', '1\\', 1.5, Number.NaN, 2 ** 60]) {
      expect(() => idArray([bad]), String(bad)).toThrow(/idArray/);
    }
  });
});
