// The bulk invite list as an admin pastes or uploads it (emails, CSV with or without a header, spreadsheet
// tabs, "Name <email>"), each person with their own line number; and the links as the CSV they download.
import { describe, expect, it } from 'vitest';
import { invitesCsv, invitesText, parseInviteList } from '../../../web/src/lib/state/invite-list-text';

describe('parseInviteList', () => {
  it('reads one email per line, leaving out blank lines but keeping every line number', () => {
    expect(parseInviteList('a@x.org\n\n  b@x.org  \r\nnot an email\n')).toEqual({
      header: false,
      people: [
        { email: 'a@x.org', line: 1 },
        { email: 'b@x.org', line: 3 },
        { email: 'not an email', line: 4 },
      ],
    });
  });

  it('reads CSV rows email,name with quoted fields, and skips a header that may put the columns in another order', () => {
    expect(parseInviteList('a@x.org,Ann\nb@x.org,"Stone, ""Bo"""\nc@x.org,\n').people).toEqual([
      { email: 'a@x.org', name: 'Ann', line: 1 },
      { email: 'b@x.org', name: 'Stone, "Bo"', line: 2 },
      { email: 'c@x.org', line: 3 },
    ]);
    expect(parseInviteList('Name;E-mail\nAnn;a@x.org\n;b@x.org')).toEqual({
      header: true,
      people: [
        { email: 'a@x.org', name: 'Ann', line: 2 },
        { email: 'b@x.org', line: 3 },
      ],
    });
    expect(parseInviteList('\nEmail address\na@x.org').people).toEqual([{ email: 'a@x.org', line: 3 }]);
  });

  it('reads rows pasted from a spreadsheet (tabs) and addresses as mail clients copy them', () => {
    expect(parseInviteList('a@x.org\tAnn Lee\n"Bo Stone" <b@x.org>\nCy <c@x.org>,Cyrus').people).toEqual([
      { email: 'a@x.org', name: 'Ann Lee', line: 1 },
      { email: 'b@x.org', name: 'Bo Stone', line: 2 },
      { email: 'c@x.org', name: 'Cyrus', line: 3 },
    ]);
  });

  it('takes a header row only as the first line: an "email" later on is a bad line, reported as one', () => {
    expect(parseInviteList('a@x.org\nemail').people).toEqual([
      { email: 'a@x.org', line: 1 },
      { email: 'email', line: 2 },
    ]);
  });
});

describe('invitesCsv', () => {
  it('writes email,name,link,expires rows, quoting what must be and defusing names a spreadsheet would run', () => {
    const csv = invitesCsv([
      { email: 'a@x.org', name: 'Stone, Bo', url: 'http://j/invite/1', expiresAt: '2026-12-09T00:00:00.000Z' },
      { email: 'b@x.org', name: '=HYPERLINK("http://evil")', url: 'http://j/invite/2', expiresAt: '2026-12-09T00:00:00.000Z' },
      { email: '-c@x.org', name: null, url: 'http://j/invite/3', expiresAt: '2026-12-09T00:00:00.000Z' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'email,name,link,expires',
      'a@x.org,"Stone, Bo",http://j/invite/1,2026-12-09T00:00:00.000Z',
      `b@x.org,"'=HYPERLINK(""http://evil"")",http://j/invite/2,2026-12-09T00:00:00.000Z`,
      '-c@x.org,,http://j/invite/3,2026-12-09T00:00:00.000Z',
      '',
    ]);
    expect(invitesText([{ email: 'a@x.org', url: 'http://j/invite/1' }, { email: 'b@x.org', url: 'http://j/invite/2' }])).toBe('a@x.org\thttp://j/invite/1\nb@x.org\thttp://j/invite/2');
  });
});
