// How much markdown is formatted; past either bound a response is shown as plain text.

// Far beyond any model reply (32k tokens is about 130 KB): past this, formatting costs seconds,
// so the text is shown as it is.
export const MAX_MARKDOWN_CHARS = 256 * 1024;
// Work grows with the elements rendered, not with the characters: 240 KB of tiny code spans is 60,000
// elements and froze Chromium for seconds (sanitising, style, layout). A long real answer has a few
// thousand (a 500-row table about 10,000); past this many, the text is shown as it is.
export const MAX_MARKDOWN_ELEMENTS = 20_000;
