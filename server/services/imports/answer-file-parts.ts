// Answer files arrive as multipart parts, one after the other; the join needs the questions before the
// answers and every answers file at once, so each part is spooled to a temporary file first.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { joinAnswerFiles } from '../../domain/import/answer-files';
import { uploadError } from '../../domain/import/import-events';
import type { ImportEvent, ParseLimits, RecordRules } from '../../domain/import/types';
import { ByteCount, LineBudget, TooManyLinesError, UploadTooLargeError } from '../../domain/import/upload-bytes';

/** One multipart file part. */
export interface UploadPart {
  fieldname: string;
  filename: string;
  file: AsyncIterable<Uint8Array>;
}

const PART_NAMES = 'one part named "questions" and one part named "answers" per model';

async function drain(file: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of file) void chunk;
}

/** The parts' import events: spooling progress, then the joined records (or the errors). */
export async function* answerFileEvents(
  parts: AsyncIterable<UploadPart>,
  options: Required<Pick<ParseLimits, 'maxLineBytes' | 'maxUploadBytes' | 'maxLines'>> & Pick<ParseLimits, 'signal'> & Partial<RecordRules>,
): AsyncGenerator<ImportEvent> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'juxta-answer-files-'));
  try {
    const received = new ByteCount(options.maxUploadBytes);
    let questions: string | undefined;
    const answers: { name: string; file: string }[] = [];
    let spooled = 0;
    for await (const part of parts) {
      const isQuestions = part.fieldname === 'questions';
      if ((!isQuestions && part.fieldname !== 'answers') || (isQuestions && questions)) {
        await drain(part.file);
        const problem = isQuestions ? 'a second "questions" part' : `an unexpected part "${part.fieldname}"`;
        yield uploadError('IMPORT_INVALID', `the upload has ${problem}: send ${PART_NAMES}`);
        return;
      }
      const file = path.join(dir, `part-${spooled++}`);
      await pipeline(Readable.from(received.pass(part.file)), createWriteStream(file));
      if (isQuestions) questions = file;
      else answers.push({ name: path.basename(part.filename || `answers-${answers.length + 1}`), file });
      yield { type: 'progress', bytes: received.bytes, records: 0 };
    }
    // As parseUpload does for a body: every part's lines count against IMPORT_MAX_LINES, and the event
    // loop runs between chunks, so a part of blank or bad lines neither runs unbounded nor starves other requests.
    const lines = new LineBudget(options.maxLines, options.signal);
    const opened = answers.map(({ name, file }) => ({ name, stream: lines.paced(createReadStream(file)) }));
    yield* joinAnswerFiles(questions === undefined ? undefined : lines.paced(createReadStream(questions)), opened, options);
  } catch (error) {
    if (error instanceof TooManyLinesError) return yield uploadError('PAYLOAD_TOO_LARGE', error.message);
    const tooLarge = error instanceof UploadTooLargeError || (error as { statusCode?: number }).statusCode === 413;
    if (!tooLarge) throw error;
    yield uploadError('PAYLOAD_TOO_LARGE', `the upload is larger than the limit of ${options.maxUploadBytes} bytes: split it into several imports`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
