/**
 * Visual checks: each format at 8 and at 33 entrants, first rounds settled, photographed and
 * compared with the committed baseline in test/baselines/ (a broken layout fails the build).
 * Deterministic: fixed names and seeds (player001…), fixed results, a fixed viewport and scale,
 * the machine's system-ui font. Compared pixel by pixel in Chromium itself (canvas), tolerance:
 * a channel may differ by 48/255 (anti-aliasing), and at most 0.05% of pixels may differ beyond it (a recoloured score badge in one 8-entrant picture is 0.3%).
 *
 * Updating after a deliberate change: `UPDATE_BRACKET_BASELINES=1 pnpm exec vitest run
 * apps/web/test/bracket-visual.test.ts`, then look at every changed PNG before committing it. A
 * failure writes the actual picture and a diff (red pixels) next to the screenshots in test-output/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { openBracket, organizer, settleReady, startedTournament, type Format } from "./bracket.support.ts";
import { screenshotDir, useWebStack } from "./web.support.ts";

const baselineDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "baselines");
const UPDATE = process.env.UPDATE_BRACKET_BASELINES === "1";
const CHANNEL_TOLERANCE = 48;
const MAX_DIFF_RATIO = 0.0005;

interface Diff {
  width: [number, number];
  height: [number, number];
  differing: number;
  diffPng: string;
}

/** Decodes both PNGs in the browser and counts the pixels that differ beyond the tolerance. */
async function diffPngs(browser: Browser, expected: Buffer, actual: Buffer): Promise<Diff> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ a, b, tolerance }) => {
        const load = async (b64: string) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const ctx = canvas.getContext("2d")!;
          ctx.drawImage(bitmap, 0, 0);
          return { w: bitmap.width, h: bitmap.height, data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data };
        };
        const [x, y] = [await load(a), await load(b)];
        const w = Math.max(x.w, y.w);
        const h = Math.max(x.h, y.h);
        const out = new OffscreenCanvas(w, h);
        const octx = out.getContext("2d")!;
        const img = octx.createImageData(w, h);
        let differing = 0;
        for (let row = 0; row < h; row++) {
          for (let col = 0; col < w; col++) {
            const o = (row * w + col) * 4;
            const inX = col < x.w && row < x.h;
            const inY = col < y.w && row < y.h;
            const i = (row * x.w + col) * 4;
            const j = (row * y.w + col) * 4;
            let bad = !inX || !inY;
            for (let c = 0; c < 3 && !bad; c++) bad = Math.abs(x.data[i + c]! - y.data[j + c]!) > tolerance;
            if (bad) differing++;
            img.data[o] = bad ? 255 : 40;
            img.data[o + 1] = bad ? 0 : 40;
            img.data[o + 2] = bad ? 0 : 40;
            img.data[o + 3] = 255;
          }
        }
        octx.putImageData(img, 0, 0);
        const blob = await out.convertToBlob({ type: "image/png" });
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let bin = "";
        for (const byte of bytes) bin += String.fromCharCode(byte);
        return { width: [x.w, y.w], height: [x.h, y.h], differing, diffPng: btoa(bin) };
      },
      { a: expected.toString("base64"), b: actual.toString("base64"), tolerance: CHANNEL_TOLERANCE },
    );
  } finally {
    await page.close();
  }
}

/** The bracket as drawn, compared with (or, when updating, saved as) its baseline. */
async function matchesBaseline(browser: Browser, page: Page, name: string): Promise<void> {
  const shot = await page.locator(".bracket-canvas").screenshot({ animations: "disabled", caret: "hide" });
  const file = path.join(baselineDir, `${name}.png`);
  if (UPDATE) {
    mkdirSync(baselineDir, { recursive: true });
    writeFileSync(file, shot);
    return;
  }
  if (!existsSync(file))
    throw new Error(`No baseline ${file}: run with UPDATE_BRACKET_BASELINES=1, review the picture, commit it`);
  const diff = await diffPngs(browser, readFileSync(file), shot);
  const [w, h] = [diff.width[1], diff.height[1]];
  const ratio = diff.differing / (Math.max(...diff.width) * Math.max(...diff.height));
  if (diff.width[0] !== w || diff.height[0] !== h || ratio > MAX_DIFF_RATIO) {
    writeFileSync(path.join(screenshotDir, `${name}.actual.png`), shot);
    writeFileSync(path.join(screenshotDir, `${name}.diff.png`), Buffer.from(diff.diffPng, "base64"));
  }
  expect({ width: w, height: h }, `${name}: size`).toEqual({ width: diff.width[0], height: diff.height[0] });
  expect(ratio, `${name}: share of differing pixels (${diff.differing})`).toBeLessThanOrEqual(MAX_DIFF_RATIO);
}

const FORMATS: { format: Format; label: string; settings: Record<string, unknown>; zoom33: number }[] = [
  { format: "single_elimination", label: "single", settings: { thirdPlaceMatch: true, bestOf: 3 }, zoom33: 60 },
  { format: "double_elimination", label: "double", settings: { grandFinalReset: true }, zoom33: 50 },
  { format: "round_robin", label: "round-robin", settings: { groupCount: 4 }, zoom33: 60 },
  { format: "swiss", label: "swiss", settings: { swissRounds: 5 }, zoom33: 100 },
];

describe("bracket pictures", () => {
  const stack = useWebStack();
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
  });

  for (const { format, label, settings, zoom33 } of FORMATS) {
    it(`${label} at 8 and 33 entrants matches its baseline`, async () => {
      const org = await organizer(stack);
      const context = await stack.browser.newContext({
        baseURL: stack.url,
        viewport: { width: 1600, height: 1000 },
        deviceScaleFactor: 1,
        reducedMotion: "reduce",
      });
      closers.push(() => context.close());
      const page = await context.newPage();
      for (const entrants of [8, 33]) {
        const t = await startedTournament(stack, org, {
          name: `Visual ${label} ${entrants}`,
          format,
          entrants,
          settings,
        });
        // Two rounds of results in an elimination (33 entrants have one real first-round match).
        await settleReady(org, t.slug);
        if (format.endsWith("elimination")) await settleReady(org, t.slug);
        await openBracket(page, t.slug);
        const zoom = entrants === 33 ? zoom33 : 100;
        if (zoom !== 100) {
          await page.getByLabel("Zoom").fill(String(zoom));
          await expect.poll(() => page.locator(".bracket-tools output").textContent()).toBe(`${zoom}%`);
        }
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await matchesBaseline(stack.browser, page, `bracket-${label}-${entrants}`);
      }
    }, 180_000);
  }
});
