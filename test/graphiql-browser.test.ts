import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireChromium } from './support/chromium.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/** Short enough for the whole result to be on screen (the editor renders visible lines only). */
const ALBUM_QUERY = '{ album(id: "4") { title artist { name } tracks { name unitPrice } } }';

/**
 * GraphiQL in a real browser (Debian's Chromium, headless, through playwright-core), with every
 * request that leaves the gateway's origin refused: the page must work without internet.
 * `GRAPHIQL_SCREENSHOT=docs/graphiql.png` saves what the browser shows (the image in the docs).
 */
describe('GraphiQL in a browser, offline', () => {
  let database: TestDatabase;
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    const executablePath = requireChromium();
    database = await cloneTemplateDatabase();
    stack = await startStack({ databaseUrl: database.url });
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await database?.drop();
  });

  it('opens, runs the album query and shows its result, with nothing loaded from another origin', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const elsewhere: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      elsewhere.push(url);
      return route.abort('internetdisconnected');
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const response = await page.goto(`${stack.gatewayUrl}?query=${encodeURIComponent(ALBUM_QUERY)}`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Tributary');
    await page.locator('.graphiql-execute-button').click({ timeout: 60_000 });
    const result = page.locator('.graphiql-response');
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText (the text as shown), not the DOM property.
    await expect.poll(async () => (await result.innerText()).includes('"unitPrice"'), { timeout: 30_000 }).toBe(true);
    // biome-ignore lint/performance/useDomNodeTextContent: as above.
    const shown = JSON.parse((await result.innerText()).replace(/\u00a0/g, ' '));

    const direct = await stack.query(ALBUM_QUERY);
    expect(shown).toEqual(direct.body);
    expect(shown.data.album).toMatchObject({ title: 'Let There Be Rock', artist: { name: 'AC/DC' } });
    expect(shown.data.album.tracks).toHaveLength(8);
    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
    if (process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });
  }, 90_000);
});

describe('GraphiQL browser test misuse', () => {
  it('says how to install Chromium when it is missing, instead of installing anything', () => {
    expect(() => requireChromium({ CHROMIUM_PATH: '/nowhere/chromium' })).toThrow(
      'Chromium not found at /nowhere/chromium: the GraphiQL browser test needs it. Install it with `apt-get install -y chromium` (Debian; .ci/run does this), or set CHROMIUM_PATH to a Chromium or Chrome executable',
    );
  });
});
