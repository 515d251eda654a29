// Opens the trial report in Debian's Chromium (playwright-core drives /usr/bin/chromium; no browser is
// ever downloaded) and checks what only a browser can tell: the figures are laid out with a size, the
// document needs nothing from the network, narrow screens do not overflow, and printing gives A4 pages
// with a page break before each major section.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { renderTrialReport } from '../../src/report/index.ts';
import { sampleTrialAnalysis } from '../../src/report/trial-report/sample-analysis.test-support.ts';

const CHROMIUM = '/usr/bin/chromium';
const skipReason = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run installs it)`;
if (skipReason) console.log(`# skipping the browser test of the trial report: ${skipReason}`);

const html = renderTrialReport(sampleTrialAnalysis(), {
  generatedAt: '2025-03-14T10:00:00Z',
  isrctn: 'ISRCTN10043328',
});

// A4 in PDF points (1/72 in): 210 mm x 297 mm; Chromium writes 594.96 x 841.92.
const A4_WIDTH_PT = (210 / 25.4) * 72;
const A4_HEIGHT_PT = (297 / 25.4) * 72;

describe('trial report in Chromium', { skip: skipReason }, () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (request) => {
      if (!request.url().startsWith('data:') && request.url() !== 'about:blank') requests.push(request.url());
    });
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
  });

  it('loads nothing from the network', () => {
    assert.deepEqual(requests, []);
  });

  it('lays out each figure with a non-zero size inside the page width', async () => {
    const boxes = await page.$$eval('figure svg', (elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        return { width: box.width, height: box.height, right: box.right };
      }),
    );
    assert.equal(boxes.length, 3);
    const viewport = page.viewportSize()?.width ?? 0;
    for (const box of boxes) {
      assert.ok(box.width > 200 && box.height > 150, `figure ${JSON.stringify(box)}`);
      assert.ok(box.right <= viewport, 'figure inside the window');
    }
    // the drawn marks themselves have a size: both Kaplan-Meier curves, the subgroup squares, the CONSORT boxes
    // a string, not a function: tsx would wrap named inner functions in a helper the page does not have
    const marks = (await page.evaluate(`(() => {
      const size = (selector) =>
        [...document.querySelectorAll(selector)].map((element) => {
          const box = element.getBBox();
          return box.width * box.height;
        });
      return {
        curves: size('#km-figure path[data-role="km-curve"]'),
        squares: size('#subgroup-figure g[data-role="subgroup-level"] rect'),
        boxes: size('#consort-figure g[data-role="consort-box"] rect'),
      };
    })()`)) as { curves: number[]; squares: number[]; boxes: number[] };
    assert.equal(marks.curves.length, 2);
    assert.equal(marks.squares.length, 7);
    assert.equal(marks.boxes.length, 7);
    for (const area of [...marks.curves, ...marks.squares, ...marks.boxes]) assert.ok(area > 0);
  });

  it('exposes the figures to assistive technology by their titles', async () => {
    const names = await page.$$eval('figure svg', (elements) =>
      elements.map((element) => ({
        role: element.getAttribute('role'),
        title: element.querySelector('title')?.textContent ?? '',
      })),
    );
    for (const name of names) {
      assert.equal(name.role, 'img');
      assert.ok(name.title.length > 20, name.title);
    }
  });

  it('does not overflow a phone-sized window: wide tables scroll inside their box', async () => {
    const narrow = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await narrow.setContent(html, { waitUntil: 'load' });
    const widths = (await narrow.evaluate(
      '({ document: document.documentElement.scrollWidth, window: window.innerWidth })',
    )) as { document: number; window: number };
    await narrow.close();
    assert.ok(
      widths.document <= widths.window,
      `document ${widths.document} px in a ${widths.window} px window`,
    );
  });

  it('prints on A4 pages, breaking before each major section', async () => {
    await page.emulateMedia({ media: 'print' });
    const breaks = (await page.evaluate(`[...document.querySelectorAll('section')].map((section) => ({
      id: section.id,
      major: section.classList.contains('major'),
      breakBefore: getComputedStyle(section).breakBefore,
    }))`)) as { id: string; major: boolean; breakBefore: string }[];
    for (const section of breaks) {
      assert.equal(section.breakBefore, section.major ? 'page' : 'auto', section.id);
    }
    assert.ok(breaks.filter((section) => section.major).length >= 5);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const text = pdf.toString('latin1');
    const boxes = [...text.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((match) => [
      Number(match[1]),
      Number(match[2]),
    ]);
    assert.ok(boxes.length >= 6, `${boxes.length} pages`);
    for (const [width, height] of boxes) {
      assert.ok(Math.abs((width as number) - A4_WIDTH_PT) < 1.5, `page width ${width} pt`);
      assert.ok(Math.abs((height as number) - A4_HEIGHT_PT) < 1.5, `page height ${height} pt`);
    }
    await page.emulateMedia({ media: 'screen' });
  });
});
