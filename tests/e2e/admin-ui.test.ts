/// <reference lib="dom" />
// The admin UI in Chromium against the real server: log in, create a campaign, change its design and
// watch the rater preview follow, import a file (with the upload throttled, so progress is seen moving),
// import a bad file and read its line-numbered errors, export with the row count shown first, change the
// review thresholds and read them in the dashboard's legend, create an API token that is shown once,
// deactivate an account after confirming, and see an invited rater listed.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_REVIEW_THRESHOLDS } from '../../server/contract/campaign';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { freePort, launchBrowser, type Browser } from './browser';
import { buildWeb } from './harness-page';

const SHOTS = process.env.JUXTA_SCREENSHOTS; // a folder to save screenshots in, for looking at the pages

let webDist: string;
let testApp: TestApp;
let browser: Browser;
let page: Page;
let baseUrl: string;
let campaignId: string;

/** Light and dark screenshots, when a folder is given. */
const shot = async (name: string) => {
  if (!SHOTS) return;
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `admin-${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
};

/** A native JSONL prompt set: `prompts` prompts, each answered by three models (three comparisons each). */
function promptSet(prompts: number): string {
  const models = ['alpha-7b', 'beta-13b', 'gamma-70b'];
  return Array.from({ length: prompts }, (_, index) =>
    JSON.stringify({
      id: `q-${index}`,
      prompt: `Question ${index}: explain why the sky looks blue at noon and red at sunset, in plain words.`,
      responses: models.map((model) => ({ model, content: `${model} says: answer ${index}. ${'Rayleigh scattering favours short wavelengths. '.repeat(4)}` })),
    }),
  ).join('\n');
}

beforeAll(async () => {
  webDist = await mkdtemp(join(tmpdir(), 'juxta-web-'));
  await buildWeb(['index.html'], webDist);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  testApp = await startTestApp({ env: { WEB_DIST_DIR: webDist, PUBLIC_URL: baseUrl } });
  await testApp.app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1440, height: 1000 });
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
  await rm(webDist, { recursive: true, force: true });
});

let admin: TestUser;

it('logs in as an admin and creates a campaign from a name alone', async () => {
  admin = await createUser(testApp.app, 'ADMIN');
  const email = `admin-${randomUUID()}@juxta.test`;
  const password = 'a long enough admin password';
  const invite = await client(testApp.app, admin).post('/api/invites').send({ role: 'ADMIN', email }).expect(201);
  await client(testApp.app).post(`/api/invites/${invite.body.token}/accept`).send({ name: 'Ada Admin', password }).expect(200);

  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor();

  await page.getByLabel('New campaign name').fill('Sky colours');
  await page.getByRole('button', { name: 'New campaign' }).click();
  await page.getByRole('heading', { name: 'Sky colours' }).waitFor();
  campaignId = new URL(page.url()).pathname.split('/').pop() as string;
  const campaign = await client(testApp.app, admin).get(`/api/campaigns/${campaignId}`).expect(200);
  expect(campaign.body).toMatchObject({ name: 'Sky colours', status: 'DRAFT', votesPerComparison: 3 });
  // A new campaign opens on its Import tab, where the pairing is offered before the first import.
  expect(await page.getByRole('tab', { name: 'Import' }).getAttribute('aria-selected')).toBe('true');
  expect(await page.getByLabel('Comparisons to make').inputValue()).toBe('all');
  expect(await page.getByText('Chosen before the first import').count()).toBe(1);
});

it('imports a file with the transfer and processing progress shown, then the counts', async () => {
  const prompts = 400;
  const body = Buffer.from(promptSet(prompts));
  // Throttle the upload so the transfer takes a few seconds and its progress can be watched.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: body.length / 3 });

  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'sky.jsonl', mimeType: 'application/x-ndjson', buffer: body });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const transfer = page.getByRole('progressbar', { name: /Upload/ });
  await transfer.waitFor();
  // Sample the bar while the upload runs: it must be seen part-way, then full.
  const seen: number[] = [];
  for (let i = 0; i < 60 && !seen.some((value) => value >= body.length); i++) {
    seen.push(Number(await transfer.getAttribute('value')));
    await page.waitForTimeout(100);
  }
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  expect(seen.some((value) => value > 0 && value < body.length)).toBe(true);
  expect(Math.max(...seen)).toBe(body.length);
  await shot('import-progress');

  await page.getByText(`Imported ${prompts} records`).waitFor();
  const added = page.getByRole('definition');
  const outcome = await page.getByLabel('Rows added').innerText();
  expect(outcome).toContain(`New prompts\n${prompts.toLocaleString('en-US')}`);
  expect(outcome).toContain(`New comparisons\n${(prompts * 3).toLocaleString('en-US')}`);
  expect(await added.count()).toBeGreaterThan(0);
  expect(await page.getByRole('progressbar', { name: /Server: Published/ }).getAttribute('value')).toBe('1');
  // The campaign's counts follow the import.
  await expect.poll(() => page.getByLabel('Campaign counts').innerText()).toContain(`Comparisons\n${(prompts * 3).toLocaleString('en-US')}`);
  await shot('import-done');
});

it('activates the draft only once its content warning is answered, after confirming', async () => {
  const note = page.getByRole('note', { name: 'Before raters can start' });
  await note.waitFor();
  expect(await note.innerText()).toContain('an answer on the content warning');
  // The import above gave it comparisons: the note follows the counts.
  await expect.poll(() => note.innerText()).not.toContain('comparisons:');
  // The server refuses too, naming what is missing.
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Activate' }).click();
  await page.getByRole('alert').filter({ hasText: 'content warning is not answered' }).waitFor();
  expect((await client(testApp.app, admin).get(`/api/campaigns/${campaignId}`).expect(200)).body.status).toBe('DRAFT');

  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('checkbox', { name: 'No content warning needed' }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  await note.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Activate' }).click();
  const dialog = page.getByRole('dialog');
  expect(await dialog.innerText()).toContain('Its raters can claim comparisons from now on.');
  await dialog.getByRole('button', { name: 'Activate' }).click();
  await page.locator('.title .badge').filter({ hasText: 'active' }).waitFor();
  expect((await client(testApp.app, admin).get(`/api/campaigns/${campaignId}`).expect(200)).body).toMatchObject({ status: 'ACTIVE', contentWarningReviewed: true, contentWarning: null });
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  expect(await page.getByRole('button', { name: 'Delete…' }).count()).toBe(0);
  await page.getByRole('tab', { name: 'Import' }).click();
});

it('refuses a bad file and lists its problems with line numbers and the total', async () => {
  const lines = [
    JSON.stringify({ prompt: 'fine', responses: [{ model: 'a', content: 'x' }, { model: 'b', content: 'y' }] }),
    '{"prompt": "broken", ',
    JSON.stringify({ prompt: 'fine too', responses: [{ model: 'a', content: 'x' }, { model: 'b', content: 'z' }] }),
    JSON.stringify({ responses: [{ model: 'a', content: 'an answer without its prompt' }] }),
  ];
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'bad.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines.join('\n')) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const problems = page.getByRole('region', { name: 'Problems in the file' });
  await problems.waitFor();
  const text = await problems.innerText();
  expect(text).toMatch(/line 2/);
  expect(text).toMatch(/line 4/);
  expect(text).not.toMatch(/line (1|3)\b/);
  const total = /(\d+) problems? in the file/.exec(await page.locator('.problems .total').innerText());
  expect(Number(total?.[1])).toBe(await problems.locator('tbody tr').count());
  const history = page.getByRole('region', { name: 'Past imports' });
  await expect.poll(() => history.innerText()).toMatch(/failed/i);
  expect(await history.innerText()).toMatch(/published/i);
  await shot('import-errors');
});

it('imports answer files (a questions file and one answers file per model) as one multipart upload', async () => {
  const created = await client(testApp.app, admin).post('/api/campaigns').send({ name: 'Arena hard slice' }).expect(201);
  await page.goto(`${baseUrl}/campaigns/${created.body.id}?tab=import`);
  await page.getByLabel('Format').selectOption('answer-files');
  const folder = fileURLToPath(new URL('../fixtures/import/arena-hard/', import.meta.url));
  const answerFiles = (await readdir(join(folder, 'model_answer'))).map((name) => join(folder, 'model_answer', name));
  await page.getByLabel('Questions file').setInputFiles(join(folder, 'question.jsonl'));
  await page.getByLabel('Answer files, one per model').setInputFiles(answerFiles);
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  // Expected from the files: a question with n answers gives n(n-1)/2 comparisons.
  const uids = (text: string) => text.trim().split('\n').map((line) => (JSON.parse(line) as { uid: string }).uid);
  const questions = new Set(uids(await readFile(join(folder, 'question.jsonl'), 'utf8')));
  const answers = new Map<string, number>();
  for (const file of answerFiles) for (const uid of uids(await readFile(file, 'utf8'))) if (questions.has(uid)) answers.set(uid, (answers.get(uid) ?? 0) + 1);
  const pairs = [...answers.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);

  await page.getByText(/^Imported \d+ records \(answer-files\)/).waitFor();
  const outcome = await page.getByLabel('Rows added').innerText();
  expect(outcome).toContain(`New prompts\n${answers.size}`);
  expect(outcome).toContain(`New responses\n${[...answers.values()].reduce((sum, n) => sum + n, 0)}`);
  expect(outcome).toContain(`New comparisons\n${pairs}`);
});

it('skips a record with an empty response unless "Keep empty responses" is ticked (by keyboard)', async () => {
  const created = await client(testApp.app, admin).post('/api/campaigns').send({ name: 'Silent models' }).expect(201);
  await page.goto(`${baseUrl}/campaigns/${created.body.id}?tab=import`);
  const records = [
    { id: 'spoken', prompt: 'Say hello.', responses: [{ model: 'a', content: 'Hello.' }, { model: 'b', content: 'Hi!' }] },
    { id: 'silent', prompt: 'Say goodbye.', responses: [{ model: 'a', content: 'Goodbye.' }, { model: 'b', content: '' }] },
  ];
  const file = { name: 'silent.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n')) };
  const importFile = async () => {
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
  };

  await importFile();
  // The reply names the format it recognised and the file; the skip reason is in words, its code kept in a tooltip.
  await page.getByText(/^Imported 1 records/).waitFor();
  expect(await page.locator('.headline').innerText()).toBe('Imported 1 records (native) from silent.jsonl.');
  const reason = page.getByRole('listitem').filter({ hasText: 'with an empty response' });
  expect(await reason.innerText()).toBe('1 record with an empty response');
  expect(await reason.getAttribute('title')).toBe('emptyResponse');
  const history = page.getByRole('region', { name: 'Past imports' });
  await expect.poll(() => history.innerText()).toMatch(/silent\.jsonl\s+native\s+published[\s\S]*skipped 1 record with an empty response/i);

  const keep = page.getByRole('checkbox', { name: 'Keep empty responses' });
  expect(await keep.isChecked()).toBe(false);
  const hint = await keep.getAttribute('aria-describedby');
  expect(await page.locator(`#${hint}`).innerText()).toMatch(/answered nothing is compared like any other answer/);
  await keep.focus();
  await page.keyboard.press('Space');
  expect(await keep.isChecked()).toBe(true);
  await importFile();
  await page.getByText(/^Imported 2 records/).waitFor();
  expect(await page.getByLabel('Rows added').innerText()).toContain('New comparisons\n1');
  await page.getByText('No record was skipped.').waitFor();
});

it('checks a file with "Check file": what it would add and skip, the first records as raters see them, nothing stored', async () => {
  const created = await client(testApp.app, admin).post('/api/campaigns').send({ name: 'Checked first' }).expect(201);
  const id = created.body.id as string;
  await page.goto(`${baseUrl}/campaigns/${id}?tab=import`);
  const records = [
    ...[1, 2, 3, 4].map((i) => ({ id: `c${i}`, prompt: `Checked question ${i}?`, responses: [{ model: 'a', content: `First answer ${i}` }, { model: 'b', content: `Second answer ${i}` }] })),
    { id: 'twins', prompt: 'Twins?', responses: [{ model: 'a', content: 'same' }, { model: 'b', content: 'same' }] },
  ];
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'check.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n')) });
  await page.getByRole('button', { name: 'Check file' }).click();
  const check = page.getByRole('region', { name: 'File check' });
  await check.waitFor();
  expect(await check.locator('.headline').innerText()).toMatch(/^Checked 4 records \(native\) in check\.jsonl: nothing was stored/);
  expect(await check.getByLabel('Rows it would add').innerText()).toContain('New comparisons\n4');
  expect(await check.getByRole('listitem', { name: 'identicalPair' }).innerText()).toBe('1 record with two identical responses');
  const previews = check.getByRole('figure');
  expect(await previews.count()).toBe(3);
  expect(await previews.first().innerText()).toContain('Checked question 1?');
  expect(await previews.first().innerText()).toContain('First answer 1');
  expect(await previews.first().innerText()).not.toMatch(/\bmodel\b/);
  await shot('import-check');
  // Nothing stored, nothing in the history; the real import then adds what the check said.
  const { prisma } = testApp.app.ctx.db;
  expect(await prisma.import.count({ where: { campaignId: id } })).toBe(0);
  expect(await prisma.prompt.count({ where: { campaignId: id } })).toBe(0);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText(/^Imported 4 records/).waitFor();
  expect(await page.getByLabel('Rows added').innerText()).toContain('New comparisons\n4');
});

/** Raters judge through the rater API: `count` comparisons each, always the left response. */
async function judge(raters: number, count: number): Promise<void> {
  for (let r = 0; r < raters; r++) {
    const rater = await createUser(testApp.app, 'RATER', [campaignId]);
    for (let j = 0; j < count; j++) {
      const next = await client(testApp.app, rater).get(`/api/campaigns/${campaignId}/assignments/next?prefetch=0`).expect(200);
      await client(testApp.app, rater)
        .post(`/api/assignments/${next.body.assignment.id}/judgment`)
        .send({ choice: 'left', timeMs: 4000, idempotencyKey: randomUUID() })
        .expect(200);
    }
  }
}

it('shows the rater preview following the design, and says when a change starts a new guideline version', async () => {
  await judge(2, 3);
  await page.goto(`${baseUrl}/campaigns/${campaignId}?tab=settings`);
  const preview = page.getByRole('region', { name: /Rater preview/ });
  await preview.getByRole('radio', { name: 'Tie' }).waitFor();
  expect(await preview.getByRole('radio', { name: 'Left: Significantly better' }).count()).toBe(0);
  await shot('settings-default');

  await page.getByRole('radio', { name: 'Llama 2: four strength levels' }).check();
  await preview.getByRole('radio', { name: 'Left: Significantly better' }).waitFor();
  expect(await preview.getByRole('radio', { name: 'Tie' }).count()).toBe(0);

  await page.getByRole('button', { name: 'Add a criterion' }).click();
  expect(await page.getByLabel('Name in exports').inputValue()).toBe('criterion_1');
  await page.getByLabel('Question').fill('Which response is more accurate?');
  await preview.getByText('Which response is more accurate?').waitFor();
  // The name follows the question, slugged, and a second criterion with the same question gets its own.
  expect(await page.getByLabel('Name in exports').inputValue()).toBe('which_response_is_more_accurate');
  await page.getByRole('button', { name: 'Add a criterion' }).click();
  await page.getByLabel('Question').nth(1).fill('Which response is more accurate?');
  expect(await page.getByLabel('Name in exports').nth(1).inputValue()).toBe('which_response_is_more_accurate_2');
  await page.getByRole('button', { name: 'Remove criterion 2' }).click();

  await page.getByRole('radio', { name: 'Required' }).check();
  await page.getByLabel('Minimum length (characters)').fill('20');
  await preview.getByText('At least 20 characters.').waitFor();
  // Typing in the form does not reach the preview's keyboard shortcuts.
  await page.getByRole('radio', { name: 'Required' }).focus();
  await page.keyboard.press('f');
  expect(await page.locator('dialog[open]').count()).toBe(0);
  await shot('settings-preview');

  // Unsaved changes: leaving asks first, in the app and for the browser; staying keeps them.
  const unloadPrevented = () =>
    page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
  expect(await unloadPrevented()).toBe(true);
  const leaveDialog = page.getByRole('dialog', { name: 'Leave without saving?' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await leaveDialog.waitFor();
  await page.keyboard.press('Escape');
  await leaveDialog.waitFor({ state: 'hidden' });
  expect(new URL(page.url()).pathname).toBe(`/campaigns/${campaignId}`);
  expect(await page.getByLabel('Minimum length (characters)').inputValue()).toBe('20');
  // Another tab of the same campaign keeps the changes without asking.
  await page.getByRole('tab', { name: 'Raters' }).click();
  await page.getByRole('tab', { name: 'Settings' }).click();
  expect(await page.getByLabel('Minimum length (characters)').inputValue()).toBe('20');
  expect(await leaveDialog.isVisible()).toBe(false);

  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'starts version 2' }).waitFor();
  expect(await unloadPrevented()).toBe(false);
  const saved = await client(testApp.app, admin).get(`/api/campaigns/${campaignId}`).expect(200);
  expect(saved.body.guidelineVersion).toBe(2);
  expect(saved.body.design.scale.strengthLevels).toHaveLength(4);
  expect(saved.body.design.criteria).toEqual([{ name: 'which_response_is_more_accurate', label: 'Which response is more accurate?' }]);
  expect(saved.body.design.rationale).toEqual({ mode: 'required', minLength: 20 });
});

it('shows the export row count, downloads exactly those rows, and gives reproducing snippets', async () => {
  // An export's default asOf is one second back (so a judgment committing just then cannot change the bytes
  // later): wait until the judgments made in the previous test are that old before the page counts them.
  await expect
    .poll(async () => (await client(testApp.app, admin).get(`/api/campaigns/${campaignId}/export/count?format=raw`).expect(200)).body.rows, { timeout: 10_000 })
    .toBe(6);
  await page.getByRole('tab', { name: 'Export' }).click();

  // Defaults that cannot silently give single-rater pairs: trl asks for the campaign's k judgments per pair
  // and says what that leaves out, with a preview of the file's first lines (none here: no pair has k yet).
  const k = (await client(testApp.app, admin).get(`/api/campaigns/${campaignId}`).expect(200)).body.votesPerComparison as number;
  expect(k).toBeGreaterThan(2);
  expect(await page.getByLabel('Format').inputValue()).toBe('trl');
  expect(await page.getByLabel('Prompt', { exact: true }).inputValue()).toBe('plain');
  const aggregationSummary = page.locator('summary', { hasText: 'Aggregation of each comparison' });
  await aggregationSummary.click();
  const minJudgments = page.getByLabel('At least this many judgments');
  expect(await minJudgments.inputValue()).toBe(String(k));
  const dropped = page.getByLabel('Pairs left out');
  await expect.poll(() => dropped.innerText().catch(() => '')).toMatch(new RegExp(`^\\d+ pairs? with judgments left out: \\d+ with fewer than ${k} judgments\\.$`));
  await page.getByText('No line: nothing matches these choices yet.').waitFor();
  // One judgment is enough when the admin says so (the raters' left clicks may split or agree, by the sides
  // they were shown): the form shows what the server would write.
  await minJudgments.fill('1');
  const atOne = (await client(testApp.app, admin).get(`/api/campaigns/${campaignId}/export/count?format=trl&minJudgments=1`).expect(200)).body as {
    preview: object[];
  };
  const preview = page.getByLabel('Preview of the first lines');
  if (atOne.preview.length > 0) {
    await expect.poll(() => preview.innerText().catch(() => '')).toBe(atOne.preview.map((line) => JSON.stringify(line, null, 2)).join('\n\n'));
    expect(await preview.innerText()).toContain('"prompt": "Question'); // plain text, no HH transcript
  } else {
    await expect.poll(() => dropped.innerText().catch(() => '')).not.toMatch(/fewer than/);
  }
  await minJudgments.fill(String(k));
  await aggregationSummary.click();

  await page.getByLabel('Format').selectOption('raw');
  const count = page.locator('.count strong');
  // Raw: every judgment; the preview is the file's first 3 lines.
  await expect.poll(() => preview.innerText().catch(() => '')).toContain('"judgment_id"');
  const rawPreview = (await client(testApp.app, admin).get(`/api/campaigns/${campaignId}/export/count?format=raw`).expect(200)).body.preview as object[];
  expect(rawPreview).toHaveLength(3);
  expect(await page.getByText('Preview: the first 3 lines of the file').count()).toBe(1);
  await shot('export-defaults');
  await count.waitFor();
  await expect.poll(() => count.innerText()).toBe('6');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
  const file = await readFile(await download.path());
  const lines = file.toString('utf8').trim().split('\n');
  expect(lines).toHaveLength(6);
  for (const line of lines) expect(JSON.parse(line)).toMatchObject({ choice: expect.anything() });
  await page.getByRole('status').filter({ hasText: /Saved .*6 lines/ }).waitFor();

  const curl = await page.getByRole('figure').filter({ hasText: 'curl' }).locator('pre').innerText();
  const url = /'(http[^']+)'/.exec(curl)?.[1] as string;
  expect(url).toContain(`/api/campaigns/${campaignId}/export?`);
  expect(new URL(url).searchParams.get('asOf')).toBeTruthy();
  expect(curl).toContain('Authorization: Bearer $JUXTA_TOKEN');
  const python = await page.getByRole('figure').filter({ hasText: 'Python' }).locator('pre').innerText();
  expect(python).toContain('load_dataset("json", data_files=');
  // The snippet's URL gives the bytes the browser downloaded.
  const again = await client(testApp.app, admin).get(new URL(url).pathname + new URL(url).search).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  expect(Buffer.compare(again.body as Buffer, file)).toBe(0);

  await page.getByText('Dataset card').click();
  await page.getByLabel('Front matter (YAML)').waitFor();
  await shot('export');

  // Every format, with filters and aggregation options set away from their defaults: the server accepts
  // each query the form builds, and the count shown is the server's for the URL the snippets give.
  await page.locator('summary', { hasText: 'Filters' }).click();
  await page.getByLabel('Split').selectOption('train');
  await page.getByLabel('Test share').fill('0.3');
  await page.getByLabel('Only comparisons with all k judgments').check();
  for (const format of ['trl', 'trl-conversational', 'kto', 'kto-conversational', 'hh-rlhf', 'openai-dpo', 'raw']) {
    await page.getByLabel('Format').selectOption(format);
    if (format === 'trl') await page.locator('summary', { hasText: 'Aggregation of each comparison' }).click();
    if (format !== 'raw') await page.getByLabel('Minimum agreement (0–1)').fill('0.5');
    if (format === 'kto') await page.getByLabel('Ties').selectOption('keep');
    await expect.poll(() => page.getByRole('figure').filter({ hasText: 'curl' }).locator('pre').innerText().catch(() => '')).toContain(`format=${format}&`);
    const shown = await count.innerText();
    const snippet = /'(http[^']+)'/.exec(await page.getByRole('figure').filter({ hasText: 'curl' }).locator('pre').innerText())?.[1] as string;
    const { pathname, search } = new URL(snippet);
    const expected = await client(testApp.app, admin).get(`${pathname}/count${search}`).expect(200);
    expect(shown, format).toBe(String(expected.body.rows));
    expect(new URL(snippet).searchParams.get('onlyComplete'), format).toBe('true');
    expect(new URL(snippet).searchParams.get('split'), format).toBe('train');
  }
  expect(await page.getByRole('alert').filter({ hasText: /./ }).count()).toBe(0);
});

it('changes review thresholds from the keyboard, refuses one out of range, and the dashboard legend states the saved ones', async () => {
  await page.goto(`${baseUrl}/campaigns/${campaignId}?tab=settings`);
  const summary = page.locator('summary', { hasText: 'Review thresholds' });
  await summary.waitFor();
  expect(await summary.innerText()).toContain('the defaults');
  const minimumJudgments = page.getByLabel('Judgments before any check');
  const fastShare = page.getByLabel('Most judgments under the reading floor (%)');
  await minimumJudgments.waitFor({ state: 'hidden' });
  // The thresholds the server returned are the form's: nothing to save yet.
  expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
  const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.id);

  await summary.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('threshold-minimumJudgments');
  expect(await page.locator(`#${await minimumJudgments.getAttribute('aria-describedby')}`).innerText()).toMatch(/new raters are not marked on noise/);
  expect(await minimumJudgments.inputValue()).toBe('20');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('3');
  for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
  expect(await focused()).toBe('threshold-maxFastShare');
  expect(await fastShare.inputValue()).toBe('25');

  // Out of range: nothing is sent; the alert says why, and the field says what it takes.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('120');
  await page.keyboard.press('Enter');
  const alert = page.getByRole('alert').filter({ hasText: 'review thresholds are out of range' });
  await alert.waitFor();
  expect(await alert.innerText()).toContain('Most judgments under the reading floor (%): Enter a number from 0 to 100.');
  expect(await fastShare.getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator(`#${(await fastShare.getAttribute('aria-describedby'))?.split(' ')[0]}`).innerText()).toBe('Enter a number from 0 to 100.');
  expect(await focused()).toBe('threshold-maxFastShare');
  await shot('thresholds-invalid');
  const unchanged = await client(testApp.app, admin).get(`/api/campaigns/${campaignId}`).expect(200);
  expect(unchanged.body.reviewThresholds).toEqual(DEFAULT_REVIEW_THRESHOLDS);

  await page.keyboard.press('Control+A');
  await page.keyboard.type('90');
  expect(await fastShare.getAttribute('aria-invalid')).toBeNull();
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  expect(await alert.count()).toBe(0);
  const saved = await client(testApp.app, admin).get(`/api/campaigns/${campaignId}`).expect(200);
  expect(saved.body.reviewThresholds).toEqual({ ...DEFAULT_REVIEW_THRESHOLDS, minimumJudgments: 3, maxFastShare: 0.9 });

  await page.reload();
  await summary.waitFor();
  expect(await summary.innerText()).toContain('2 changed from the defaults');
  await summary.click();
  expect(await minimumJudgments.inputValue()).toBe('3');
  expect(await fastShare.inputValue()).toBe('90');
  expect(await page.getByLabel('Lowest gold accuracy (%)').inputValue()).toBe('70');
  expect(await page.getByLabel('Side habit p-value').inputValue()).toBe('0.001');
  expect(await page.getByLabel('Reading floor: base seconds').inputValue()).toBe('2');
  await shot('thresholds-saved');

  // The raters judged in 4 s, under the reading floor of these responses: with checks from 3 judgments, marked too fast.
  const stats = await client(testApp.app, admin).get(`/api/campaigns/${campaignId}/stats`).expect(200);
  expect(stats.body.reviewThresholds).toEqual(saved.body.reviewThresholds);
  expect(stats.body.raters.some((rater: { review: string[] }) => rater.review.includes('too-fast'))).toBe(true);
  await page.goto(`${baseUrl}/campaigns/${campaignId}/stats`);
  const raters = page.locator('#raters');
  await raters.getByRole('term').filter({ hasText: 'Too fast' }).waitFor();
  expect(await raters.getByRole('definition').filter({ hasText: 'came faster than' }).innerText()).toBe(
    'More than 90% of judgments came faster than the time needed to read both responses (2 s plus 5 ms per character).',
  );
  expect(await raters.innerText()).toContain('Checks apply once a rater has 3 judgments (gold accuracy after 5 gold items)');
  await shot('dashboard-thresholds');

  // "Change thresholds" leads to them, open and focused; back to the defaults from the keyboard.
  await raters.getByRole('link', { name: 'Change thresholds' }).click();
  await expect.poll(() => summary.evaluate((element) => element === document.activeElement)).toBe(true);
  await minimumJudgments.waitFor();
  await page.getByRole('button', { name: 'Reset to defaults' }).focus();
  await page.keyboard.press('Enter');
  expect(await minimumJudgments.inputValue()).toBe('20');
  expect(await fastShare.inputValue()).toBe('25');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  expect(await summary.innerText()).toContain('the defaults');
  const reset = await client(testApp.app, admin).get(`/api/campaigns/${campaignId}`).expect(200);
  expect(reset.body.reviewThresholds).toEqual(DEFAULT_REVIEW_THRESHOLDS);
});

it('creates an API token for exports of one campaign, shown once, and revokes it after confirming', async () => {
  const other = await client(testApp.app, admin).post('/api/campaigns').send({ name: 'Another campaign' }).expect(201);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  await page.getByLabel('Name').fill('nightly export');
  // Export only is the default; limit it to one campaign.
  expect(await page.getByRole('checkbox', { name: /Export datasets/ }).isChecked()).toBe(true);
  expect(await page.getByRole('checkbox', { name: /Read results/ }).isChecked()).toBe(false);
  await page.getByRole('radio', { name: 'Only these campaigns' }).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('alert').filter({ hasText: 'Choose at least one campaign' }).waitFor();
  await page.getByRole('group', { name: 'Campaigns' }).getByRole('checkbox', { name: 'Sky colours' }).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = await page.getByLabel('Token', { exact: true }).inputValue();
  expect(secret.length).toBeGreaterThan(20);
  await client(testApp.app, null, secret).get(`/api/campaigns/${campaignId}/export/count?format=raw`).expect(200);
  const elsewhere = await client(testApp.app, null, secret).get(`/api/campaigns/${other.body.id}/export/count?format=raw`).expect(403);
  expect(elsewhere.body.error.code).toBe('INSUFFICIENT_SCOPE');
  await client(testApp.app, null, secret).get(`/api/campaigns/${campaignId}/stats`).expect(403);
  await shot('token-created');

  await page.reload();
  const row = page.getByRole('row', { name: /nightly export/ });
  await row.getByRole('cell', { name: 'nightly export', exact: true }).waitFor();
  expect(await row.innerText()).toContain('Export datasets');
  expect(await row.innerText()).toContain('Sky colours');
  expect(await page.content()).not.toContain(secret);
  await page.getByRole('button', { name: 'Revoke nightly export' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('row', { name: /nightly export/ }).getByText('revoked').waitFor();
  await client(testApp.app, null, secret).get(`/api/campaigns/${campaignId}/export/count?format=raw`).expect(401);
});

it('links the API docs, titled Juxta, from the navigation and the token page', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API docs' }).getAttribute('href')).toBe('/docs');
  await page.locator('.lead').getByRole('link', { name: 'API docs' }).click();
  await page.waitForURL(/\/docs/);
  await expect.poll(() => page.title()).toBe('Juxta API docs');
  await page.goBack();
  await page.getByRole('heading', { name: 'API tokens' }).waitFor();
});

it('deactivates an account after confirming', async () => {
  const rater = await createUser(testApp.app, 'RATER');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  const row = page.getByRole('row', { name: new RegExp(rater.email) });
  await row.getByRole('button', { name: /Deactivate/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await row.getByText('deactivated').waitFor();
  await client(testApp.app, rater).get('/api/me').expect(401);
  await shot('users');
});

it('shows the audit trail: the deactivation just made, filtered by action, and older rows on "Load more"', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
  const newest = page.getByRole('row').nth(1);
  await newest.getByText('user.deactivate').waitFor();
  expect(await newest.textContent()).toContain('"active": false');
  await page.getByLabel(/^Action/).fill('campaign.');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('cell', { name: 'user.deactivate' }).waitFor({ state: 'detached' });
  const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(actions.every((action) => action.startsWith('campaign.'))).toBe(true);

  // More rows than a page: "Load more" appends the older ones, each once.
  for (let i = 0; i < 101; i++) await client(testApp.app, admin).post('/api/invites').send({ role: 'RATER' }).expect(201);
  await page.getByLabel(/^Action/).fill('invite.create');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name: 'Load more' }).waitFor();
  expect(await page.locator('tbody tr').count()).toBe(100);
  await page.getByRole('button', { name: 'Load more' }).click();
  await page.getByText(/rows: the oldest is shown/).waitFor();
  const ids = await page.locator('tbody tr').count();
  expect(ids).toBeGreaterThanOrEqual(101);
  await shot('audit');
});

it('creates a rater invite link that adds whoever accepts it to the campaign', async () => {
  await page.goto(`${baseUrl}/campaigns/${campaignId}?tab=raters`);
  await page.getByRole('heading', { name: 'Invite a rater' }).waitFor();
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const url = await page.getByLabel('Invite link', { exact: true }).inputValue();
  expect(url).toMatch(new RegExp(`^${baseUrl}/invite/`));
  await shot('raters');
  const token = url.split('/').pop() as string;
  const email = `invited-${randomUUID()}@juxta.test`;
  const accepted = await client(testApp.app)
    .post(`/api/invites/${token}/accept`)
    .send({ name: 'Invited Rater', email, password: 'a long enough rater password' })
    .expect(200);
  expect(accepted.body.campaigns.map((campaign: { id: string }) => campaign.id)).toContain(campaignId);

  // The rater accepted elsewhere: the list shows them once refreshed, active and not excluded.
  const members = page.getByRole('region', { name: /^Raters/ });
  await members.getByRole('button', { name: 'Refresh list' }).click();
  const row = members.getByRole('row', { name: new RegExp(email) });
  await row.waitFor();
  expect((await row.getByRole('cell').allTextContents()).slice(0, 4)).toEqual(['Invited Rater', email, 'active', 'No']);
  const listed = await client(testApp.app, admin).get(`/api/campaigns/${campaignId}/members`).expect(200);
  const member = listed.body.members.find((m: { email: string }) => m.email === email);
  expect(await row.locator('time').getAttribute('datetime')).toBe(member.joinedAt);

  // Adding an existing account (the admin themselves) lists them at once.
  const users = await client(testApp.app, admin).get('/api/users').expect(200);
  const ada = users.body.users.find((user: { name: string }) => user.name === 'Ada Admin');
  await page.getByLabel('Account', { exact: true }).selectOption(ada.id);
  await page.getByRole('button', { name: 'Add as rater' }).click();
  const adaRow = members.getByRole('row', { name: new RegExp(ada.email) });
  await adaRow.waitFor();
  expect(await adaRow.getByRole('cell').first().textContent()).toMatch(/^Ada Admin\s\(admin\)$/);
  await shot('raters-listed');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('link', { name: 'Sky colours' }).waitFor();
  await shot('campaigns');
});

it('pauses, archives (hidden from the list unless asked for) and deletes a campaign after its name is typed', async () => {
  const created = await client(testApp.app, admin).post('/api/campaigns').send({ name: 'Short lived', contentWarning: null, contentWarningReviewed: true }).expect(201);
  const id = created.body.id as string;
  await client(testApp.app, admin).post(`/api/campaigns/${id}/imports`).set('content-type', 'application/x-ndjson').send(promptSet(2)).expect(201);
  await client(testApp.app, admin).patch(`/api/campaigns/${id}`).send({ status: 'ACTIVE' }).expect(200);
  await page.goto(`${baseUrl}/campaigns/${id}`);
  const badge = page.locator('.title .badge');
  const change = async (button: string, status: string) => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: button, exact: true }).click();
    await badge.filter({ hasText: status }).waitFor();
    expect((await client(testApp.app, admin).get(`/api/campaigns/${id}`).expect(200)).body.status).toBe(status.toUpperCase());
  };
  // Cancel keeps things as they are.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  expect(await page.getByRole('dialog').innerText()).toContain('Raters get no new comparisons');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  expect((await client(testApp.app, admin).get(`/api/campaigns/${id}`).expect(200)).body.status).toBe('ACTIVE');
  await change('Pause', 'paused');
  await change('Resume', 'active');
  await change('Archive', 'archived');

  await page.goto(baseUrl);
  await page.getByRole('link', { name: 'Sky colours' }).waitFor();
  expect(await page.getByRole('link', { name: 'Short lived' }).count()).toBe(0);
  await page.getByRole('checkbox', { name: 'Show archived campaigns' }).check();
  await page.getByRole('link', { name: 'Short lived' }).click();

  await page.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: 'Delete for good' });
  expect(await confirm.isDisabled()).toBe(true);
  await dialog.getByLabel("Type the campaign's name to confirm").fill('Short live');
  expect(await confirm.isDisabled()).toBe(true);
  await dialog.getByLabel("Type the campaign's name to confirm").fill('Short lived');
  await confirm.click();
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
  await client(testApp.app, admin).get(`/api/campaigns/${id}`).expect(404);
  expect(await testApp.app.ctx.db.prisma.comparison.count({ where: { campaignId: id } })).toBe(0);
});
