// The web workspace's performance in headless Chromium (bench/web.sh):
//
//   node tools/web/bench/fps.mjs CONFIG.json
//
// CONFIG: {"base", "key": "member.key", "what": "paint" | "pan", "runs",
//          "viewport": {"width", "height"}, "empty": bool, "hide": [layer ids],
//          "solid": bool (the proposals drawn without dashes),
//          "paint": [[layer, property, value]] (a style tried),
//          "args": [extra Chromium flags tried]}
// - paint: time from navigation to the first meaningful paint — the
//   page ready and the map idle with the member's lines drawn — signed
//   in with the key (the sign-in is a file chosen by the test as a user
//   would, then the page loads what the member may see); both as the
//   driver sees them (its polling adds a few hundred ms) and by the
//   page's own clock;
// - pan: once loaded, 6 s of panning and zooming over the lines
//   (easeTo steps), every frame's interval recorded with
//   requestAnimationFrame ("empty": every layer hidden first — what the
//   renderer itself reaches on this machine).
// Prints one JSON object.

import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist", ...(config.args ?? [])],
});
const out = { what: config.what, runs: [] };
const idle = (page) => page.evaluate(() => new Promise((r) => (window.terminusMap.loaded() ? r() : window.terminusMap.once("idle", r))));
try {
  for (let run = 0; run < (config.runs ?? 5); run++) {
    const context = await browser.newContext({ viewport: config.viewport ?? { width: 1280, height: 800 } });
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${config.base}/`);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 60000 });
    const anonymous = Date.now() - t0;
    const t1 = Date.now();
    await page.setInputFiles("#key-file", config.key);
    await page.waitForFunction(() => document.body.dataset.member !== "", null, { timeout: 120000 });
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 120000 });
    // The member's lines drawn: the map idle, by the page's clock too.
    const drawnAt = await page.evaluate(() => new Promise((r) => (window.terminusMap.loaded() ? r(performance.now()) : window.terminusMap.once("idle", () => r(performance.now())))));
    const signedIn = Date.now() - t1;
    // Page-side (the page's own clock, from navigation; what a person
    // sees, without the test driver's polling): ready, and key chosen
    // to the member's lines drawn.
    const d = await page.evaluate(() => document.body.dataset);
    const r = {
      anonymous_ready_ms: anonymous,
      signed_in_drawn_ms: signedIn,
      page_ready_ms: Number(d.readyMs),
      page_signed_in_drawn_ms: Math.round(drawnAt - Number(d.signInAtMs)),
    };
    if (config.what === "pan") {
      r.frames = await page.evaluate(async ([empty, hide, solid, paint]) => {
        const m = window.terminusMap;
        // (The renderer's ceiling here: every layer hidden; or the
        // layers named in "hide", to see what each costs.)
        if (empty) for (const l of m.getStyle().layers) if (l.id !== "background") m.setLayoutProperty(l.id, "visibility", "none");
        for (const id of hide) if (m.getLayer(id)) m.setLayoutProperty(id, "visibility", "none");
        if (solid && m.getLayer("proposals")) m.setPaintProperty("proposals", "line-dasharray", undefined);
        for (const [id, prop, value] of paint) if (m.getLayer(id)) m.setPaintProperty(id, prop, value);
        const gaps = [];
        let last = performance.now();
        let on = true;
        const tick = (t) => {
          gaps.push(t - last);
          last = t;
          if (on) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        const c = m.getCenter();
        const z = m.getZoom();
        const steps = [
          { center: [c.lng + 0.3, c.lat + 0.2], zoom: z + 1 },
          { center: [c.lng - 0.3, c.lat - 0.2], zoom: z + 2 },
          { center: [c.lng + 0.1, c.lat - 0.3], zoom: z + 3 },
          { center: [c.lng, c.lat], zoom: z + 1 },
          { center: [c.lng - 0.4, c.lat + 0.3], zoom: z },
          { center: [c.lng, c.lat], zoom: z },
        ];
        for (const s of steps) {
          await new Promise((res) => {
            m.once("moveend", res);
            m.easeTo({ ...s, duration: 1000 });
          });
        }
        on = false;
        return gaps.slice(2);
      }, [!!config.empty, config.hide ?? [], !!config.solid, config.paint ?? []]);
    }
    out.runs.push(r);
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
