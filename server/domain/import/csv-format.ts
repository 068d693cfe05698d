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

/** More columns than any prompt set needs (response/model pairs for hundreds of models, plus metadata). */
export const CSV_MAX_COLUMNS = 1024;

/** Reads the header in one pass over a name -> column map (a quadratic search took ~38 s on 72k columns). */
export function csvLayout(header: string[]): CsvLayout {
  if (header.length > CSV_MAX_COLUMNS) {
    throw new RecordError(`the header has ${header.length} columns, more than the limit of ${CSV_MAX_COLUMNS}: move extra fields out of the file`);
  }
  const names = header.map((cell) => cell.trim().toLowerCase());
  const columns = new Map<string, number>();
  for (const [i, name] of names.entries()) {
    if (columns.has(name)) throw new RecordError(`the header names the column "${name}" twice`);
    columns.set(name, i);
  }
  const prompt = columns.get('prompt');
  if (prompt === undefined) {
    throw new RecordError('the header needs a "prompt" column, then pairs of columns response_1,model_1,response_2,model_2,...');
  }
  const responses = names.flatMap((name, content) => {
    const suffix = /^response_(.+)$/.exec(name)?.[1];
    if (suffix === undefined) return [];
    const model = columns.get(`model_${suffix}`);
    if (model === undefined) throw new RecordError(`the column "${header[content]}" has no matching "model_${suffix}" column`);
    return [{ content, model, name: suffix }];
  });
  const orphan = names.find((name) => /^model_(.+)$/.test(name) && !columns.has(name.replace(/^model_/, 'response_')));
  if (orphan) throw new RecordError(`the column "${orphan}" has no matching "response_${orphan.slice(6)}" column`);
  if (responses.length === 1) {
    throw new RecordError('the header needs at least two response_<k>,model_<k> column pairs (or none, for prompts awaiting responses)');
  }
  const id = columns.get('id') ?? -1;
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
