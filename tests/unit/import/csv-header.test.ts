// The CSV header check (issue 12, item 3): one pass over the header, and a cap on its columns.
import { describe, expect, it } from 'vitest';
import { CSV_MAX_COLUMNS, csvLayout } from '../../../server/domain/import/csv-format';
import { parseUpload } from '../../../server/domain/import/parse-upload';
import { chunked, tally } from './collect-events';

const pairs = (n: number) => Array.from({ length: n }, (_, i) => [`response_${i}`, `model_${i}`]).flat();

describe('CSV header', () => {
  it('a 72,000-column header (under the 1 MiB line limit) is refused for its width, at line 1', async () => {
    const header = ['prompt', ...pairs(36_000)].join(',');
    expect(header.length).toBeLessThan(1024 * 1024);
    const { errors, records } = await tally(parseUpload(chunked(`${header}\nq,${'a,m,'.repeat(2)}\n`, 64 * 1024), { format: 'csv' }));
    expect(records).toEqual([]);
    expect(errors).toEqual([{ type: 'error', line: 1, message: `CSV header: the header has 72001 columns, more than the limit of ${CSV_MAX_COLUMNS}: move extra fields out of the file` }]);
  });

  it('a header at the column limit is read: every response pair matched, the rest metadata', () => {
    const names = ['id', 'prompt', ...pairs(500), ...Array.from({ length: CSV_MAX_COLUMNS - 1002 }, (_, i) => `extra_${i}`)];
    expect(names).toHaveLength(CSV_MAX_COLUMNS);
    const layout = csvLayout(names);
    expect(layout.responses).toHaveLength(500);
    expect(layout.responses[499]).toEqual({ content: 2 + 998, model: 2 + 999, name: '499' });
    expect(layout.metadata).toHaveLength(CSV_MAX_COLUMNS - 1002);
    expect(layout).toMatchObject({ id: 0, prompt: 1, width: CSV_MAX_COLUMNS });
  });

  it('still names a duplicate column and an unmatched response or model column', () => {
    expect(() => csvLayout(['prompt', 'response_1', 'model_1', 'Response_1', 'model_2'])).toThrow('the header names the column "response_1" twice');
    expect(() => csvLayout(['prompt', 'response_1', 'model_1', 'response_2'])).toThrow('the column "response_2" has no matching "model_2" column');
    expect(() => csvLayout(['prompt', 'response_1', 'model_1', 'model_2'])).toThrow('the column "model_2" has no matching "response_2" column');
  });
});
