// CSV prompt sets: a header naming the prompt column and response/model column pairs, then one prompt per row.
import { buildRecord, type RecordOutcome } from './build-record';
import { RecordError } from './record-error';
import type { ImportResponse, RecordRules } from './types';

/**
 * Accepted headers (names are matched case-insensitively, surrounding spaces ignored):
 *   prompt, response_1, model_1, response_2, model_2, ...   (any suffix: response_a/model_a works too)
 *   id, prompt, response_1, model_1, ...                    (id: the prompt's external id)
 *   prompt   (or id, prompt)                                 (prompts awaiting responses, for a generation job)
 * Each `response_<k>` needs its `model_<k>`. Any other column goes into the record's metadata.
 * In a row, a pair whose two cells are empty is absent (rows may carry different numbers of responses).
 */
export type CsvLayout = {
  width: number;
  prompt: number;
  id: number | null;
  responses: { content: number; model: number; name: string }[];
  metadata: { column: number; name: string }[];
};

export function csvLayout(header: string[]): CsvLayout {
  const names = header.map((cell) => cell.trim().toLowerCase());
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new RecordError(`the header names the column "${duplicate}" twice`);
  const prompt = names.indexOf('prompt');
  if (prompt < 0) {
    throw new RecordError('the header needs a "prompt" column, then pairs of columns response_1,model_1,response_2,model_2,...');
  }
  const responses = names.flatMap((name, content) => {
    const suffix = /^response_(.+)$/.exec(name)?.[1];
    if (suffix === undefined) return [];
    const model = names.indexOf(`model_${suffix}`);
    if (model < 0) throw new RecordError(`the column "${header[content]}" has no matching "model_${suffix}" column`);
    return [{ content, model, name: suffix }];
  });
  const orphan = names.find((name) => /^model_(.+)$/.test(name) && !names.includes(name.replace(/^model_/, 'response_')));
  if (orphan) throw new RecordError(`the column "${orphan}" has no matching "response_${orphan.slice(6)}" column`);
  if (responses.length === 1) {
    throw new RecordError('the header needs at least two response_<k>,model_<k> column pairs (or none, for prompts awaiting responses)');
  }
  const id = names.indexOf('id');
  const used = new Set([prompt, id, ...responses.flatMap((r) => [r.content, r.model])]);
  const metadata = header.flatMap((name, column) => (used.has(column) ? [] : [{ column, name: name.trim() }]));
  return { width: header.length, prompt, id: id < 0 ? null : id, responses, metadata };
}

export function csvRecord(layout: CsvLayout, cells: string[], line: number, rules: RecordRules): RecordOutcome {
  if (cells.length !== layout.width) {
    throw new RecordError(`the row has ${cells.length} cells but the header has ${layout.width}: check its quotes and commas`);
  }
  const responses: ImportResponse[] = layout.responses.flatMap(({ content, model, name }) => {
    if (cells[content] === '' && cells[model] === '') return [];
    if (cells[model]!.trim() === '') throw new RecordError(`model_${name} is empty while response_${name} is not`);
    return [{ model: cells[model]!, content: cells[content]!, externalId: null, metadata: null }];
  });
  const metadata = Object.fromEntries(layout.metadata.filter((m) => cells[m.column] !== '').map((m) => [m.name, cells[m.column]]));
  const id = layout.id === null ? '' : cells[layout.id]!;
  return buildRecord({
    line,
    externalId: id === '' ? null : id,
    context: [{ role: 'user', content: cells[layout.prompt]! }],
    responses,
    metadata: Object.keys(metadata).length ? metadata : null,
    gold: null,
    pairs: null,
    reference: null,
  }, rules);
}
