// Decodes upload bytes strictly as UTF-8 (what else makes text storable is contract/safe-text.ts).
import { RecordError } from './record-error';

// ignoreBOM keeps a U+FEFF inside the file visible, so it fails as a stray character instead of vanishing.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes one line, or throws naming the column where the invalid byte sequence starts. */
export function decodeUtf8Line(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    const valid = validUtf8PrefixLength(bytes);
    const column = strictDecoder.decode(bytes.subarray(0, valid)).length + 1;
    throw new RecordError(
      `invalid UTF-8 (byte ${valid + 1} of the line): save the file as UTF-8`,
      column,
    );
  }
}

// A prefix's validity is monotone in its length (a streaming decode tolerates a cut-off last
// character), so a binary search finds where the first bad sequence starts.
function validUtf8PrefixLength(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (decodes(bytes.subarray(0, mid), true)) low = mid;
    else high = mid - 1;
  }
  // The longest decodable prefix may end inside a character, which then is the bad sequence.
  if (!decodes(bytes.subarray(0, low), false)) {
    while (low > 0 && (bytes[low - 1]! & 0xc0) === 0x80) low -= 1;
    low -= 1;
  }
  return low;
}

function decodes(bytes: Uint8Array, stream: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
}
