// A list of people to invite as an admin pastes or uploads it: one email per line, or CSV rows (email,name;
// a header row may name the columns, in any order; tabs from a spreadsheet and semicolons work too), or
// "Name <email>" as mail clients copy addresses. Each person keeps the line it came from, so the server's
// errors name the admin's own line numbers. And the links made, as the CSV the admin downloads.

export interface ListedPerson {
  email: string;
  name?: string;
  /** 1-based line of the text. */
  line: number;
}

/** The fields of one line split on `separator`, with "double-quoted" fields ("" is a quote inside one). */
function splitFields(text: string, separator: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === separator) {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  fields.push(field.trim());
  return fields;
}

const separatorOf = (line: string) => ['\t', ',', ';'].find((s) => line.includes(s));
const EMAIL_HEADER = /^e-?mail( address)?$/i;
const NAME_HEADER = /^(full )?name$/i;
const ADDRESS_WITH_NAME = /^(.*)<([^<>]+)>$/;

/** The people of the text, blank lines left out, and whether its first line was a header. */
export function parseInviteList(text: string): { people: ListedPerson[]; header: boolean } {
  const people: ListedPerson[] = [];
  let columns = { email: 0, name: 1 };
  let header = false;
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    if (!raw.trim()) return;
    const separator = separatorOf(raw);
    const fields = separator ? splitFields(raw, separator) : [raw.trim()];
    if (people.length === 0 && !header && fields.some((f) => EMAIL_HEADER.test(f))) {
      header = true;
      const name = fields.findIndex((f) => NAME_HEADER.test(f));
      columns = { email: fields.findIndex((f) => EMAIL_HEADER.test(f)), name: name === -1 ? Number.NaN : name };
      return;
    }
    let email = fields[columns.email] ?? '';
    let name = fields[columns.name] || undefined;
    const withName = ADDRESS_WITH_NAME.exec(email.trim());
    if (withName) {
      email = withName[2]!.trim();
      name ??= withName[1]!.trim().replace(/^"(.*)"$/, '$1') || undefined;
    }
    people.push({ email: email.trim(), ...(name ? { name } : {}), line: index + 1 });
  });
  return { people, header };
}

/** A CSV field: quoted when it must be; a name that a spreadsheet would run as a formula is defused. */
function csvField(value: string, text = false): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The links as CSV: email,name,link,expires (ISO time), one row per invite, with a header. */
export function invitesCsv(invites: { email: string; name: string | null; url: string; expiresAt: string }[]): string {
  const rows = invites.map((invite) => [csvField(invite.email), csvField(invite.name ?? '', true), csvField(invite.url), invite.expiresAt].join(','));
  return ['email,name,link,expires', ...rows].join('\r\n') + '\r\n';
}

/** The links as lines of "email<TAB>link": pasted into a spreadsheet they fill two columns. */
export const invitesText = (invites: { email: string; url: string }[]): string => invites.map((invite) => `${invite.email}\t${invite.url}`).join('\n');
