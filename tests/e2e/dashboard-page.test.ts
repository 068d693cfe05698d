/// <reference lib="dom" />
// The admin stats dashboard in Chromium against the real server: a seeded campaign whose models have
// known strengths and one careless rater; the charts must draw every figure the API returns, the rater
// table sorts from the keyboard, and excluding the careless rater through the UI changes the stats.
import { mkdir, readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TCampaignStats } from '../../server/contract/stats';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { client, type TestUser } from '../helpers/app';
import { seedStats, type Choice, type StatsComparison, type StatsJudgment } from '../../testkit/factory';
import { startRaterWorld, type RaterWorld } from './rater-app';

const SCREENSHOT = 'test-results/dashboard.png';

/** Elo-scale strengths the judgments are drawn from; "zephyr-draft" loses every time, so it cannot be rated. */
const STRENGTHS: Record<string, number> = {
  'atlas-70b': 1250,
  'borealis-13b': 1120,
  'cirrus-7b': 1050,
  'delta-mini': 960,
  'ember-8x7b': 880,
  'falcon-40b': 740,
};
const HOPELESS = 'zephyr-draft';
const RATERS = ['Ada Lovelace', 'Ben Okafor', 'Chen Wei', 'Dana Ruiz', 'Eli Novak', 'Quick Quinn'];
const CARELESS = RATERS.indexOf('Quick Quinn');
/** How much each rater works, so the rater table has different counts to sort. */
const WORKLOAD = [1.6, 1.3, 1, 0.8, 0.6, 1.1];
const K = 3;

let world: RaterWorld;
let page: Page;
let admin: TestUser;

/** mulberry32: a seeded generator, so the campaign (and the screenshot) is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** `count` distinct raters drawn by workload (Efraimidis-Spirakis weighted sampling). */
function pickRaters(random: () => number, count: number): number[] {
  return WORKLOAD.map((weight, rater) => ({ rater, key: random() ** (1 / weight) }))
    .sort((a, b) => b.key - a.key)
    .slice(0, count)
    .map((r) => r.rater);
}

/**
 * Every pair of rated models eight times, the hopeless model against each once, and six gold items.
 * Up to k = 3 raters per comparison, drawn by workload (gold: everyone); the last third of the
 * comparisons are still short of k. Careful raters follow the strengths (with some ties and both-bad
 * answers), take 15-60 s and answer two criteria; the careless rater always picks the left side within
 * a second or two. Judgments spread over the last nine days, a few in the last hour.
 */
function campaignSpec(random: () => number) {
  const models = Object.keys(STRENGTHS);
  const comparisons: StatsComparison[] = [
    ...models.flatMap((a, i) => models.slice(i + 1).flatMap((b) => Array.from({ length: 8 }, () => ({ modelA: a, modelB: b })))),
    ...models.map((m) => ({ modelA: m, modelB: HOPELESS })),
    ...Array.from({ length: 6 }, (_, i) => ({ modelA: models[i % models.length]!, modelB: models[(i + 3) % models.length]!, gold: 'A' as const })),
  ];
  // Answers differ in quality around their model's strength, so raters agree on some pairs more than others.
  const gaps = comparisons.map((c) => (STRENGTHS[c.modelA] ?? 0) - (STRENGTHS[c.modelB] ?? 0) + 250 * normal(random));
  const careful = (c: StatsComparison, gap: number): Choice => {
    if (c.gold) return c.gold;
    if (c.modelB === HOPELESS) return 'A';
    const roll = random();
    if (roll < 0.03) return 'BOTH_BAD';
    if (roll < 0.11) return 'TIE';
    return random() < 1 / (1 + 10 ** (-gap / 150)) ? 'A' : 'B';
  };
  const pairs = (models.length * (models.length - 1) * 8) / 2;
  const now = Date.now();
  const judgments: StatsJudgment[] = comparisons.flatMap((c, index) => {
    const recent = index >= pairs * 0.65 && index < pairs;
    const wanted = c.gold ? RATERS.length : recent ? Math.floor(random() * K) : K;
    const raters = pickRaters(random, wanted);
    return raters.map((rater): StatsJudgment => {
      const leftIsA = random() < 0.5;
      const choice: Choice = rater === CARELESS && c.modelB !== HOPELESS ? (leftIsA ? 'A' : 'B') : careful(c, gaps[index]!);
      const sided = choice === 'A' || choice === 'B';
      const harmless: Choice = random() < 0.5 ? 'TIE' : choice;
      const ageMs = random() < 0.04 ? random() * 3_000_000 : (1 - Math.sqrt(index / comparisons.length)) * 9 * 86_400_000 + random() * 7_200_000;
      return {
        comparison: index,
        rater,
        choice,
        leftIsA,
        ...(sided ? { strength: 1 + Math.floor(random() * 3) } : {}),
        criteria: { helpfulness: { choice }, harmlessness: { choice: harmless } },
        timeMs: rater === CARELESS ? 800 + Math.round(random() * 700) : 15_000 + Math.round(random() * 45_000),
        createdAt: new Date(now - ageMs),
      };
    });
  });
  return {
    k: K,
    design: {
      scale: { allowTie: true, allowBothBad: true, strengthLevels: ['Slightly better', 'Better', 'Much better'] },
      criteria: [
        { name: 'helpfulness', label: 'Helpfulness' },
        { name: 'harmlessness', label: 'Harmlessness' },
      ],
    },
    comparisons,
    raters: RATERS,
    judgments,
  };
}

beforeAll(async () => {
  world = await startRaterWorld();
  ({ page, admin } = world);
  await world.browser.context.addCookies([{ name: SESSION_COOKIE, value: admin.session, url: world.baseUrl }]);
  await page.setViewportSize({ width: 1360, height: 900 });
});

afterAll(async () => world?.close());

const fetchStats = async (campaignId: string): Promise<TCampaignStats> =>
  (await client(world.testApp.app, admin).get(`/api/campaigns/${campaignId}/stats`).expect(200)).body as TCampaignStats;

const figure = (label: string) => page.getByRole('figure', { name: label });
const marks = (label: string, description: string, element: string) => figure(label).locator(`g[aria-description="${description}"] > ${element}`);

/** Whether any of these scripts is Observable Plot (its default class name is in its code). */
async function loadsPlot(urls: string[]): Promise<boolean> {
  const bodies = await Promise.all(urls.map(async (url) => (await fetch(url)).text()));
  return bodies.some((body) => body.includes('plot-d6a7b5'));
}

/** The rater table's values of one column (1-based, the row header counting as 1), top to bottom. */
const columnTexts = (column: number) => page.locator(`#raters tbody tr > :nth-child(${column})`).allInnerTexts();

it('draws every figure of the stats API; sorts, excludes and re-includes raters; follows the criterion and both-bad rule', async () => {
  const { campaignId, raterIds } = await seedStats(world.testApp.app, campaignSpec(seededRandom(20260302)));
  await client(world.testApp.app, admin).patch(`/api/campaigns/${campaignId}`).send({ name: 'Assistant models, spring round' }).expect(200);
  const before = await fetchStats(campaignId);
  const rated = before.leaderboard.filter((e) => e.estimable);
  expect(rated.length).toBe(Object.keys(STRENGTHS).length);
  expect(before.leaderboard.find((e) => e.model === HOPELESS)).toMatchObject({ estimable: false, reason: 'lost-every-comparison' });
  expect(before.raters[CARELESS]!.review).toContain('side-bias');

  // The chart library comes with this page only: the admin home before it never loads it.
  const scripts: string[] = [];
  page.on('response', (response) => void (response.url().endsWith('.js') && scripts.push(response.url())));
  await page.goto(`${world.baseUrl}/`);
  await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
  const homeScripts = scripts.length;
  expect(homeScripts).toBeGreaterThan(0);
  expect(await loadsPlot(scripts)).toBe(false);

  await page.goto(`${world.baseUrl}/campaigns/${campaignId}/stats`);
  await page.getByRole('heading', { name: 'Results', level: 1 }).waitFor();
  await marks('Leaderboard', 'model rating', 'circle').first().waitFor();
  expect(await loadsPlot(scripts.slice(homeScripts))).toBe(true);

  // Leaderboard: a dot and an interval for each rated model, best first; the unrated one listed with its reason.
  expect(await marks('Leaderboard', 'model rating', 'circle').count()).toBe(rated.length);
  expect(await marks('Leaderboard', 'rating interval', 'line').count()).toBe(rated.filter((e) => e.ci).length);
  // Best on top and furthest right: the dots sit where the ratings say.
  const dotPositions = await marks('Leaderboard', 'model rating', 'circle').evaluateAll((dots) => dots.map((d) => [Number(d.getAttribute('cx')), Number(d.getAttribute('cy'))]));
  expect(dotPositions.map(([x]) => x)).toEqual(dotPositions.map(([x]) => x).sort((p, q) => q! - p!));
  expect(dotPositions.map(([, y]) => y)).toEqual(dotPositions.map(([, y]) => y).sort((p, q) => p! - q!));
  const best = [...rated].sort((a, b) => b.rating! - a.rating!)[0]!;
  expect(await figure('Leaderboard').locator('figcaption').innerText()).toContain(`Top: ${best.model} at ${Math.round(best.rating!)}`);
  expect(await page.getByText(`${HOPELESS}: lost every comparison`).count()).toBe(1);

  // Heatmap: one cell per ordered pair of models, a coloured one for each pair that met; numbers on hover.
  const n = before.winRates.models.length;
  const metCells = before.winRates.matrix.flatMap((row, i) => row.filter((rate, j) => rate !== null && i !== j)).length;
  expect(await marks('Win-rate heatmap', 'model pair', 'rect').count()).toBe(n * n);
  expect(await marks('Win-rate heatmap', 'win rate', 'rect').count()).toBe(metCells);
  const fills = await marks('Win-rate heatmap', 'win rate', 'rect').evaluateAll((cells) => cells.map((c) => c.getAttribute('fill')));
  expect(new Set(fills).size).toBeGreaterThan(5);
  await marks('Win-rate heatmap', 'win rate', 'rect').first().hover();
  await expect.poll(() => figure('Win-rate heatmap').locator('g[aria-label="tip"]').textContent()).toMatch(/won \d+% of \d+ judgments/);

  // Progress: the running total as a line, a bar per day with judgments; agreement: every statistic with its interval.
  expect(await marks('Judgments collected', 'judgments so far', 'path').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+/);
  expect(await marks('Judgments per day', 'judgments per day', 'rect').count()).toBe(before.progress.perDay.length);
  const { krippendorffAlpha, alphaOrdinal, alphaInterval, fleissKappa, cohenKappaMean, cohenWeightedKappaMean } = before.agreement;
  // The design has strength levels, so the weighted kappa is among them.
  expect(cohenWeightedKappaMean?.value).toEqual(expect.any(Number));
  const statistics = [krippendorffAlpha, alphaOrdinal, alphaInterval, fleissKappa, cohenKappaMean, cohenWeightedKappaMean];
  expect(await marks('Agreement beyond chance', 'agreement estimate', 'circle').count()).toBe(statistics.filter((s) => s?.value != null).length);
  expect(await marks('Agreement beyond chance', 'agreement interval', 'line').count()).toBe(statistics.filter((s) => s?.ci).length);
  expect(await figure('Agreement beyond chance').getByRole('row', { name: /^Cohen kappa, weighted \(mean\)/ }).innerText()).toContain(
    cohenWeightedKappaMean!.value!.toFixed(2),
  );

  // Each rater's kappa with the others, where another rater shares enough comparisons with them.
  const paired = before.raters.filter((r) => r.pairKappa !== null);
  expect(paired.length).toBeGreaterThan(0);
  const kappaCells = await columnTexts(4);
  for (const rater of paired) expect(kappaCells).toContain(`${rater.pairKappa!.toFixed(2)}\nwith ${rater.pairKappaRaters} rater${rater.pairKappaRaters === 1 ? '' : 's'}`);

  // Headline: the same numbers as the API, in words too.
  const headline = page.getByRole('region', { name: 'At a glance' });
  expect(await headline.innerText()).toContain(before.agreement.krippendorffAlpha.value!.toFixed(2));
  expect(await headline.innerText()).toMatch(/(poor|slight|fair|moderate|substantial|almost perfect) agreement/);
  expect(await headline.innerText()).toContain(before.progress.judgments.toLocaleString('en'));

  await mkdir('test-results', { recursive: true });
  await page.mouse.move(0, 0); // no tooltip in the picture
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // Sort by judgments from the keyboard: Enter sorts largest first, Space flips it.
  const judgmentsSort = page.locator('#raters thead button', { hasText: 'Judgments' });
  await judgmentsSort.focus();
  await page.keyboard.press('Enter');
  expect(await page.locator('#raters th[aria-sort]').innerText()).toContain('Judgments');
  expect(await page.locator('#raters th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
  const counts = (await columnTexts(2)).map((text) => Number(text.replace(/,/g, '')));
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  expect(new Set(counts).size).toBeGreaterThan(1);
  await page.keyboard.press('Space');
  expect(await page.locator('#raters th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
  expect((await columnTexts(2)).map((text) => Number(text.replace(/,/g, '')))).toEqual([...counts].reverse());
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  expect(await page.locator('#raters th[aria-sort]').innerText()).toContain('Agreement');

  // Exclude the careless rater: the dialog says what will happen; the stats lose their judgments.
  await page.getByRole('button', { name: 'Exclude Quick Quinn' }).click();
  const dialog = page.getByRole('dialog', { name: 'Exclude Quick Quinn?' });
  expect(await dialog.innerText()).toMatch(/leave the stats and every export.*comparisons they judged reopen/s);
  await dialog.getByRole('button', { name: 'Exclude rater' }).click();
  await page.getByRole('status').filter({ hasText: 'Quick Quinn is excluded' }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Include Quick Quinn' }).waitFor();

  const after = await fetchStats(campaignId);
  const careless = after.raters.find((r) => r.id === raterIds[CARELESS])!;
  expect(careless.excluded).toBe(true);
  const carelessCounted = before.progress.judgments - after.progress.judgments;
  expect(carelessCounted).toBeGreaterThan(20);
  expect(after.agreement.judgments).toBe(before.agreement.judgments - carelessCounted);
  expect(after.agreement.krippendorffAlpha.value).toBeGreaterThan(before.agreement.krippendorffAlpha.value!);
  expect(after.progress.complete).toBeLessThan(before.progress.complete);
  // The page shows the new figures without a reload.
  expect(await headline.innerText()).toContain(after.agreement.krippendorffAlpha.value!.toFixed(2));

  // Another criterion, then "both bad" left out: the leaderboard follows the API's figures for each.
  const ratingRows = (stats: TCampaignStats) =>
    stats.leaderboard
      .filter((e) => e.estimable)
      .sort((x, y) => y.rating! - x.rating!)
      .map((e) => `${e.model}\t${Math.round(e.rating!)}\t${e.ci ? `${Math.round(e.ci[0])} to ${Math.round(e.ci[1])}` : 'no interval'}\t${e.judgments} judgments: `);
  const shownRows = async () => (await figure('Leaderboard').locator('tbody tr').allInnerTexts()).map((row) => row.slice(0, row.indexOf(':') + 2));
  const query = async (search: string) =>
    (await client(world.testApp.app, admin).get(`/api/campaigns/${campaignId}/stats?${search}`).expect(200)).body as TCampaignStats;
  expect(await shownRows()).toEqual(ratingRows(after));
  const harmlessness = await query('criterion=harmlessness');
  expect(ratingRows(harmlessness)).not.toEqual(ratingRows(after));
  await page.getByLabel('Criterion').selectOption('harmlessness');
  await expect.poll(shownRows).toEqual(ratingRows(harmlessness));
  const dropped = await query('criterion=harmlessness&bothBad=drop');
  expect(ratingRows(dropped)).not.toEqual(ratingRows(harmlessness));
  await page.getByLabel('left out').check();
  await expect.poll(shownRows).toEqual(ratingRows(dropped));

  // Include the rater again: nobody judged in between, so every one of their judgments counts again.
  await page.getByRole('button', { name: 'Include Quick Quinn' }).click();
  const includeDialog = page.getByRole('dialog', { name: 'Include Quick Quinn?' });
  expect(await includeDialog.innerText()).toMatch(/count again in stats and exports/);
  await includeDialog.getByRole('button', { name: 'Include rater' }).click();
  await page.getByRole('status').filter({ hasText: 'Quick Quinn is included again' }).waitFor();
  const again = await fetchStats(campaignId);
  expect(again.raters.find((r) => r.id === raterIds[CARELESS])!.excluded).toBe(false);
  expect(again.progress).toEqual(before.progress);
  expect(again.surplus).toBe(0);
});

it('says what is missing on a campaign with no judgments yet', async () => {
  const created = await client(world.testApp.app, admin).post('/api/campaigns').send({ name: 'Empty round' }).expect(201);
  const campaignId = (created.body as { id: string }).id;
  await page.goto(`${world.baseUrl}/campaigns/${campaignId}/stats`);
  await page.getByRole('region', { name: 'At a glance' }).waitFor();
  await page.screenshot({ path: 'test-results/dashboard-empty.png', fullPage: true });
  const missing = ['No counted judgments yet', 'Agreement appears once', 'No model can be rated yet', 'The heatmap needs two models', 'not measured yet', 'No raters yet'];
  for (const text of missing) {
    expect(await page.getByText(text).count()).toBe(1);
  }
  expect(await page.getByRole('alert').filter({ hasText: /./ }).count()).toBe(0);
});

/**
 * The demo's shape (80 questions x 5 models: 800 comparisons, k = 3) after a few days of rating: how long
 * the Results page takes, from navigation, to show its first number and to draw every chart. Printed with
 * the machine's load, for the record; not asserted (the machine is shared).
 */
it('measures the time to the first number and to every chart on a demo-sized campaign', async () => {
  const random = seededRandom(14);
  const models = ['alpaca-13b', 'bard', 'gpt-3.5-turbo', 'llama-13b', 'vicuna-13b'];
  const comparisons: StatsComparison[] = Array.from({ length: 80 }, () => models.flatMap((a, i) => models.slice(i + 1).map((b) => ({ modelA: a, modelB: b })))).flat();
  const now = Date.now();
  const judgments: StatsJudgment[] = comparisons.flatMap((_, index) =>
    index % 3 === 2
      ? []
      : pickRaters(random, K).map((rater) => ({
          comparison: index,
          rater,
          choice: (['A', 'B', 'A', 'B', 'TIE'] as const)[Math.floor(random() * 5)]!,
          leftIsA: random() < 0.5,
          createdAt: new Date(now - random() * 3 * 86_400_000),
        })),
  );
  const { campaignId } = await seedStats(world.testApp.app, { k: K, comparisons, raters: RATERS, judgments });

  interface Timings {
    /** A headline number shows. */
    firstNumber: number;
    /** Every headline tile has its number (the stats have arrived). */
    allNumbers: number;
    /** Every figure has drawn its chart. */
    allCharts: number;
    /** When the stats reply had fully arrived. */
    statsReply: number;
  }
  /** In the page, from navigation start. */
  const timings = async (): Promise<Timings> => {
    await page.goto(`${world.baseUrl}/campaigns/${campaignId}/stats`);
    return page.evaluate(
      () =>
        new Promise<Timings>((resolve) => {
          let [firstNumber, allNumbers] = [0, 0];
          const check = () => {
            const tiles = [...document.querySelectorAll('[aria-label="At a glance"] .big')].map((element) => /\d/.test(element.textContent ?? ''));
            if (tiles.some(Boolean) && !firstNumber) firstNumber = performance.now();
            if (tiles.length >= 5 && tiles.every(Boolean) && !allNumbers) allNumbers = performance.now();
            const figures = [...document.querySelectorAll('figure')];
            const drawn = figures.length >= 5 && figures.every((f) => f.querySelector('.plot svg, .plot canvas'));
            if (allNumbers && drawn) {
              const stats = performance.getEntriesByType('resource').find((entry) => /\/stats(\?|$)/.test(entry.name)) as PerformanceResourceTiming | undefined;
              resolve({ firstNumber, allNumbers, allCharts: performance.now(), statsReply: stats?.responseEnd ?? NaN });
            } else requestAnimationFrame(check);
          };
          check();
        }),
    );
  };
  const cold = await timings();
  const warm = [await timings(), await timings(), await timings()];
  const median = (key: keyof Timings) => [...warm.map((t) => t[key])].sort((a, b) => a - b)[1]!;
  const ms = (value: number) => `${Math.round(value)} ms`;
  const line = (label: string, t: (key: keyof Timings) => number) =>
    `${label}: first number ${ms(t('firstNumber'))}, all numbers ${ms(t('allNumbers'))}, all charts ${ms(t('allCharts'))} (stats reply complete at ${ms(t('statsReply'))})`;
  console.log(
    `dashboard on ${comparisons.length} comparisons, ${judgments.length} judgments: ` +
      `${line('cold', (key) => cold[key])}; ${line('warm, median of 3', median)}; ` +
      `load ${(await readFile('/proc/loadavg', 'utf8')).trim()}`,
  );
  expect(cold.firstNumber).toBeLessThanOrEqual(cold.allCharts);
});

it('on day one counts per hour and draws no line through one point; says the same about an undefined alpha in the card and the chart', async () => {
  // Two raters, four comparisons, every answer a tie, all in the last half hour.
  const now = Date.now();
  const comparisons: StatsComparison[] = Array.from({ length: 4 }, () => ({ modelA: 'north', modelB: 'south' }));
  const judgments: StatsJudgment[] = comparisons.flatMap((_, comparison) =>
    [0, 1].map((rater) => ({ comparison, rater, choice: 'TIE' as const, createdAt: new Date(now - 60_000 * (1 + comparison + 4 * rater)) })),
  );
  const { campaignId } = await seedStats(world.testApp.app, { k: 2, comparisons, raters: 2, judgments });
  const stats = await fetchStats(campaignId);
  expect(stats.progress.perHour.length).toBeGreaterThan(0);
  expect(stats.agreement.alphaUndefined).toEqual({ reason: 'one-answer-throughout', onlyAnswer: 'TIE', judgments: 8 });

  await page.goto(`${world.baseUrl}/campaigns/${campaignId}/stats`);
  // The figure is on the page before its bars: Plot loads on first use and draws once it has arrived and the width is
  // known, so the count waits for the first bar (all are drawn at once).
  const bars = marks('Judgments per hour', 'judgments per hour', 'rect');
  await bars.first().waitFor();
  expect(await bars.count()).toBe(stats.progress.perHour.length);
  if (stats.progress.perHour.length === 1) {
    // One point: a sentence, not a line chart.
    expect(await figure('Judgments collected').count()).toBe(0);
    await page.getByText(/all in one hour/).waitFor();
  }
  expect(await figure('Judgments per day').count()).toBe(0);

  // The headline card and the agreement card give the same reason, in the same words.
  const reason = 'Alpha is undefined: all 8 judgments on comparisons with two or more raters are a tie.';
  const headline = page.getByRole('region', { name: 'At a glance' });
  expect(await headline.innerText()).toContain(reason);
  expect(await headline.innerText()).toContain('undefined');
  expect(await page.getByRole('region', { name: 'Agreement' }).innerText()).toContain(reason);
  // The judgment counts say which definition each is: counted here, all standing in the campaign list.
  expect(await headline.innerText()).toMatch(/8\s+counted of 8 wanted; 8 standing in all, the campaign list's figure/);
});

it('keeps the head-to-head usable with 200 models: the top 20 by default, all 200 painted on a canvas on request', async () => {
  const models = Array.from({ length: 200 }, (_, i) => `model-${String(i).padStart(3, '0')}`);
  const comparisons: StatsComparison[] = models.flatMap((model, i) => [1, 7].map((step) => ({ modelA: model, modelB: models[(i + step) % models.length]! })));
  const random = seededRandom(200);
  const judgments: StatsJudgment[] = comparisons.flatMap((_, comparison) =>
    [0, 1].map((rater) => ({ comparison, rater, choice: random() < 0.6 ? ('A' as const) : ('B' as const), createdAt: new Date(Date.now() - random() * 5 * 86_400_000) })),
  );
  const { campaignId } = await seedStats(world.testApp.app, { k: 2, comparisons, raters: 2, judgments });
  await page.goto(`${world.baseUrl}/campaigns/${campaignId}/stats`);
  const pairs = marks('Win-rate heatmap', 'model pair', 'rect');
  await pairs.first().waitFor({ timeout: 60_000 });
  expect(await pairs.count()).toBe(20 * 20);
  expect(await figure('Win-rate heatmap').locator('figcaption').innerText()).toContain('Showing the top 20 of 200 models by rating.');

  const shown = page.getByLabel('Models shown');
  const started = Date.now();
  await shown.selectOption('200');
  const canvas = figure('Win-rate heatmap').locator('canvas');
  await canvas.waitFor();
  const drawMs = Date.now() - started;
  expect(await pairs.count()).toBe(0);
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await canvas.hover({ position: { x: box.width * 0.3, y: box.height * 0.6 } });
  await expect.poll(() => figure('Win-rate heatmap').locator('.readout').innerText()).toMatch(/ won \d+% of \d+ judgments| never met |^model-\d{3}$/);
  const hovered = Date.now();
  await canvas.hover({ position: { x: box.width * 0.7, y: box.height * 0.2 } });
  await expect.poll(() => figure('Win-rate heatmap').locator('.readout').innerText()).toMatch(/model-/);
  console.log(`200-model heatmap: all 200 painted in ${drawMs} ms (select to canvas), a hover read in ${Date.now() - hovered} ms; load ${(await readFile('/proc/loadavg', 'utf8')).trim()}`);
  await shown.selectOption('50');
  await expect.poll(() => pairs.count()).toBe(50 * 50);
});
