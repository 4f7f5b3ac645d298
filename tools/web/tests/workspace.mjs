// Drives the web workspace in real Chromium as members would, and prints
// what each of them saw as JSON (one object), for the server's browser
// test (crates/server/tests/browser.rs) to check against the API.
//
//   node tools/web/tests/workspace.mjs CONFIG.json
//
// CONFIG: {"base": "http://127.0.0.1:PORT", "keys": {"member": "path.key", …},
//          "screenshots": "DIR", "pillar": [lon, lat]}
// Anonymous is visited first, then each member in the order given.

import { readFileSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
mkdirSync(config.screenshots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // Root in a container: no sandbox; nothing in the background that would
  // reach for the network (it is closed here, and the test records every
  // request the page makes).
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const out = { requests: [], offsite: [], errors: [], refusal_errors: [], visits: [] };
// While bad key files are tried, the service's 401s are expected.
let refusing = false;

async function visit(member, keyPath) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
  const page = await context.newPage();
  page.on("request", (r) => {
    const url = r.url();
    out.requests.push(url);
    if (!url.startsWith(`${config.base}/`) && !url.startsWith("data:") && !url.startsWith("blob:")) {
      out.offsite.push(url);
    }
  });
  page.on("pageerror", (e) => out.errors.push(`${member ?? "anonymous"}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") (refusing ? out.refusal_errors : out.errors).push(`${member ?? "anonymous"}: console: ${m.text()}`);
  });
  const t0 = Date.now();
  await page.goto(`${config.base}/`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
  const firstReady = Date.now() - t0;
  if (keyPath) {
    await page.setInputFiles("#key-file", keyPath);
    await page.waitForFunction((m) => document.body.dataset.member === m, member, { timeout: 20000 });
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
  }
  // Let the map draw what it was given.
  await page.evaluate(() => new Promise((r) => (window.terminusMap.loaded() ? r() : window.terminusMap.once("idle", r))));
  const tabs = await page.$$eval("#tabs [role=tab]", (b) => b.map((x) => x.id.replace("tab-", "")));
  const seen = { member: member ?? null, tabs, first_ready_ms: firstReady };
  const name = member ?? "anonymous";
  seen.who = await page.textContent("#who");
  seen.sign_in_shown = await page.isVisible("#sign-in");
  const open = async (tab) => {
    await page.click(`#tab-${tab}`);
    await page.waitForSelector(`#view[data-view="${tab}"]`);
  };
  if (tabs.includes("sections")) {
    await open("sections");
    seen.sections = await page.$$eval("#view li.section", (l) => l.map((x) => ({ section: x.dataset.section, status: x.dataset.status })));
    await page.screenshot({ path: `${config.screenshots}/${name}-sections.png` });
  }
  if (tabs.includes("layers")) {
    await open("layers");
    seen.layers = await page.$$eval("#view .layers input[type=checkbox]", (l) => l.map((x) => x.name));
    // The sections layer starts hidden (its lines are drawn by the
    // others): ticked here, as a user would, so the map shows it too.
    seen.sections_shown_at_first = await page.isChecked('#view .layers input[name="sections"]').catch(() => null);
    if (seen.layers.includes("sections")) {
      await page.check('#view .layers input[name="sections"]');
      await idle(page);
    }
    // Each claim line toggled like a layer: the first unticked leaves
    // the map, the others stay.
    const claims = await page.$$eval("#view .claims input[type=checkbox]", (l) => l.map((x) => x.name));
    if (claims.length) {
      const drawn = () =>
        page.evaluate(() => [...new Set(window.terminusMap.queryRenderedFeatures({ layers: ["proposals"] }).map((f) => f.properties._id))].sort());
      const before = await drawn();
      await page.uncheck(`#view .claims input[name="${claims[0]}"]`);
      await idle(page);
      const after = await drawn();
      await page.check(`#view .claims input[name="${claims[0]}"]`);
      await idle(page);
      seen.claims = { listed: claims, before, after, again: await drawn() };
    }
  }
  if (tabs.includes("record")) {
    await open("record");
    seen.record = await page.$$eval("#view li.event", (l) => l.map((x) => Number(x.dataset.seq)));
    await page.screenshot({ path: `${config.screenshots}/${name}-record.png` });
  }
  // The record verified in the page; then the same page fed a log the
  // service altered (event 1's line moved by a metre): the page must say
  // so, naming the event.
  if (config.verify && member === config.verify.member) {
    await open("record");
    await page.click("#verify-record");
    await page.waitForSelector("#view .verification", { timeout: 20000 });
    seen.verified = {
      problems: Number(await page.getAttribute("#view .verification", "data-problems")),
      text: await page.textContent("#view .verification"),
      marks: await page.$$eval("#view li.event", (l) => l.map((x) => x.dataset.verified)),
    };
    await page.screenshot({ path: `${config.screenshots}/${name}-verified.png` });
    await page.route("**/api/events?*", async (route) => {
      const r = await route.fetch();
      const log = await r.json();
      const e = log.events.find((x) => Array.isArray(x.body?.line));
      e.body.line[0][0] += 0.00001;
      await route.fulfill({ response: r, json: log });
    });
    await page.click("#sign-out");
    await page.setInputFiles("#key-file", keyPath);
    await page.waitForFunction((m) => document.body.dataset.member === m, member, { timeout: 20000 });
    await page.waitForSelector('#status[data-state="ready"]');
    await open("record");
    await page.click("#verify-record");
    await page.waitForSelector("#view .verification", { timeout: 20000 });
    seen.tampered = {
      problems: Number(await page.getAttribute("#view .verification", "data-problems")),
      text: await page.textContent("#view .verification"),
      marks: await page.$$eval("#view li.event", (l) => l.map((x) => x.dataset.verified)),
      status: await page.textContent("#status"),
    };
    await page.screenshot({ path: `${config.screenshots}/${name}-tampered.png` });
    await page.unroute("**/api/events?*");
    // The printed map: its margin, seen in the print medium.
    await page.evaluate(() => window.terminusPrintSheet());
    await page.emulateMedia({ media: "print" });
    seen.print = {
      sheet: await page.isVisible("#print-sheet"),
      panel: await page.isVisible("#panel"),
      text: await page.textContent("#print-sheet"),
    };
    await page.screenshot({ path: `${config.screenshots}/${name}-print.png`, fullPage: true });
    await page.emulateMedia({ media: "screen" });
  }
  if (tabs.includes("drafts")) {
    await open("drafts");
    seen.drafts = await page.$$eval("#view li.draft", (l) => l.map((x) => x.dataset.source));
    await page.screenshot({ path: `${config.screenshots}/${name}-drafts.png` });
  }
  // Key files that must not sign anyone in: the page says why and stays
  // anonymous.
  if (!keyPath) {
    seen.refusals = [];
    refusing = true;
    for (const bad of config.bad ?? []) {
      await page.setInputFiles("#key-file", bad);
      await page.waitForSelector('#status[data-state="error"]', { timeout: 20000 });
      seen.refusals.push({
        file: bad,
        status: await page.textContent("#status"),
        member: await page.evaluate(() => document.body.dataset.member),
      });
    }
    refusing = false;
  }
  if (tabs.includes("about")) {
    seen.about = await page.textContent("#view");
    await page.screenshot({ path: `${config.screenshots}/${name}-about.png` });
  }
  // The map's layers as drawn: features per source.
  seen.map = await page.evaluate(async () => {
    const m = window.terminusMap;
    const r = {};
    for (const id of ["sections", "proposals", "agreed_line", "pillars"]) {
      const vis = !!m.getLayer(id) && m.getLayoutProperty(id, "visibility") !== "none";
      if (!vis) r[id] = 0;
      else if (id === "pillars") r[id] = (await m.getSource(id).getData()).features.length;
      // The record's lines come as vector tiles: the features the tiles
      // in view hold, each once (a feature's id is the same in every tile).
      else r[id] = new Set(m.querySourceFeatures(id, { sourceLayer: id }).map((f) => f.id)).size;
    }
    return r;
  });
  // Click a pillar as a user would: its popup shows its catalogue row.
  if (config.pillar && seen.map.pillars > 0) {
    const box = await page.locator("#map").boundingBox();
    const at = await page.evaluate((p) => window.terminusMap.project(p), config.pillar);
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.waitForSelector(".maplibregl-popup .feature", { timeout: 5000 });
    seen.popup = await page.$$eval(".maplibregl-popup .feature tr", (rows) =>
      Object.fromEntries(rows.map((r) => [r.querySelector("th").textContent, r.querySelector("td").textContent])),
    );
    seen.popup_title = await page.textContent(".maplibregl-popup .feature h3");
    await page.screenshot({ path: `${config.screenshots}/${name}-pillar.png` });
  }
  // Compare two lines opened from files, with the parties' territories,
  // as a delegation's geodesist would.
  if (config.compare && member === config.compare.member) {
    await open("compare");
    await page.setInputFiles("#compare-file", config.compare.lines);
    await page.waitForFunction((n) => document.querySelectorAll(".choices input:checked").length === n, config.compare.lines.length);
    for (const [party, path] of Object.entries(config.compare.territories)) {
      await page.setInputFiles(`input[data-party="${party}"]`, path);
      await page.waitForSelector(`li:has(input[data-party="${party}"]) .ok`);
    }
    const t0 = Date.now();
    await page.click("#compare-run");
    await page.waitForSelector(".compare-result", { timeout: 30000 });
    await page.waitForSelector('#status[data-state="ready"]');
    const ms = Date.now() - t0;
    await page.evaluate(() => new Promise((r) => (window.terminusMap.loaded() ? r() : window.terminusMap.once("idle", r))));
    seen.compare = await page.$$eval("tbody.pair", (l) =>
      l.map((x) => ({ a: x.dataset.a, b: x.dataset.b, count: Number(x.dataset.count), area_m2: Number(x.dataset.areaM2), shown: x.querySelector(".count").textContent })),
    );
    seen.compare_ms = ms;
    seen.compare_polygons = await page.evaluate(async () => (await window.terminusMap.getSource("discrepancies").getData()).features.length);
    seen.compare_gains = await page.$$eval("tbody.pair tr td:first-child", (l) => l.map((x) => x.textContent));
    await page.screenshot({ path: `${config.screenshots}/${name}-compare.png` });
    // The largest discrepancy: its link zooms to it; hovering it tells
    // its area and who gains.
    await page.click(".largest li:first-child button");
    await page.evaluate(() => new Promise((r) => (window.terminusMap.loaded() ? r() : window.terminusMap.once("idle", r))));
    const at = config.compare.hover;
    if (at) {
      const box = await page.locator("#map").boundingBox();
      const px = await page.evaluate((p) => window.terminusMap.project(p), at);
      await page.mouse.move(box.x + px.x, box.y + px.y);
      await page.waitForSelector(".maplibregl-popup.hover .discrepancy", { timeout: 5000 });
      seen.compare_hover = await page.textContent(".maplibregl-popup.hover .discrepancy");
      await page.screenshot({ path: `${config.screenshots}/${name}-compare-hover.png` });
    }
    // The compromise of the same two lines, the territories kept.
    await page.mouse.move(10, 400); // off the map: the hover closes
    await open("compromise");
    for (const id of ["file-0", "file-1"]) await page.check(`#view input[name="${id}"]`);
    await page.click("#compromise-run");
    await page.waitForSelector(".compromise-result", { timeout: 60000 });
    await page.waitForSelector('#status[data-state="ready"]');
    await idle(page);
    seen.compromise = {
      rows: await page.$$eval(".compromise-result tr[data-key]", (l) => Object.fromEntries(l.map((x) => [x.dataset.key, x.querySelector("td:last-child").textContent]))),
      gains: await page.$$eval(".compromise-result tbody[data-claim]", (l) => l.map((x) => ({ claim: x.dataset.claim, area_m2: Number(x.dataset.areaM2) }))),
      lines: await page.evaluate(async () => (await window.terminusMap.getSource("median").getData()).features.length),
      points: await page.evaluate(async () => (await window.terminusMap.getSource("turning_points").getData()).features.length),
      bases: await page.evaluate(async () => (await window.terminusMap.getSource("base_points").getData()).features.length),
      ties: await page.evaluate(async () => (await window.terminusMap.getSource("tie_lines").getData()).features.length),
    };
    await page.screenshot({ path: `${config.screenshots}/${name}-compromise.png` });
    // Close in on a turning point: its tie lines to the two claims.
    await page.evaluate(async () => {
      const tp = (await window.terminusMap.getSource("turning_points").getData()).features.find((f) => f.properties.kind === "turning");
      if (tp) window.terminusMap.jumpTo({ center: tp.geometry.coordinates, zoom: 12 });
    });
    await idle(page);
    await page.screenshot({ path: `${config.screenshots}/${name}-compromise-ties.png` });
  }
  // The same page in Russian: the strings come from one table.
  await page.selectOption("#language", "ru");
  seen.ru_first_tab = await page.textContent("#tabs [role=tab]");
  await page.screenshot({ path: `${config.screenshots}/${name}-ru.png` });
  out.visits.push(seen);
  await context.close();
}

/**
 * Live: a member's page open on the record; another member appends an
 * event (signed beforehand by the test, posted here as their client
 * would); the time until the page lists it.
 */
async function live() {
  const { member, event, token } = config.live;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => out.errors.push(`live: ${e.message}`));
  await page.goto(`${config.base}/`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
  await page.setInputFiles("#key-file", config.keys[member]);
  await page.waitForFunction((m) => document.body.dataset.member === m, member, { timeout: 20000 });
  await page.click("#tab-record");
  await page.waitForSelector('#view[data-view="record"]');
  // Let the stream open before the append.
  await page.waitForTimeout(300);
  const t0 = Date.now();
  const r = await fetch(`${config.base}/api/events`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(event),
  });
  if (r.status !== 201) throw new Error(`append refused: ${r.status} ${await r.text()}`);
  await page.waitForSelector(`#view li.event[data-seq="${event.seq}"]`, { timeout: 5000 });
  const ms = Date.now() - t0;
  out.live = { member, seq: event.seq, ms, listed: Number(await page.evaluate(() => document.body.dataset.updatedAt)) - t0 };
  await page.screenshot({ path: `${config.screenshots}/${member}-live.png` });
  await context.close();
}

async function signedIn(member, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("pageerror", (e) => out.errors.push(`${member}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") out.errors.push(`${member}: console: ${m.text()}`);
  });
  await page.goto(`${config.base}/`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
  await page.setInputFiles("#key-file", config.keys[member]);
  await page.waitForFunction((m) => document.body.dataset.member === m, member, { timeout: 20000 });
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
  return { context, page };
}

const idle = (page) =>
  page.evaluate(() => new Promise((r) => (window.terminusMap.loaded() ? r() : window.terminusMap.once("idle", r))));

/**
 * A head draws a line, saves it as a draft (the other party's page must
 * not see it), and signs it into the record as a proposal (the other
 * party's page must list it within a second).
 */
async function drafting() {
  const { member, other, points, section, source } = config.draft;
  const a = await signedIn(member);
  const b = await signedIn(other);
  await b.page.click("#tab-drafts");
  const otherDraftsBefore = await b.page.$$eval("#view li.draft", (l) => l.map((x) => x.dataset.source));
  await b.page.click("#tab-record");
  await b.page.waitForSelector('#view[data-view="record"]');
  const otherEventsBefore = await b.page.$$eval("#view li.event", (l) => l.length);

  await a.page.click("#tab-drafts");
  await a.page.click("#draft-new");
  // Look at where the line goes, then click its points.
  await a.page.evaluate((pts) => {
    const lons = pts.map((p) => p[0]);
    const lats = pts.map((p) => p[1]);
    window.terminusMap.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 120, duration: 0 });
  }, points);
  await idle(a.page);
  const box = await a.page.locator("#map").boundingBox();
  // Snapping on (the default): a click 5 px from a vertex of a line shown
  // takes the vertex's exact position, read from the record.
  if (config.draft.snap) {
    const px = await a.page.evaluate((q) => window.terminusMap.project(q), config.draft.snap);
    await a.page.mouse.click(box.x + px.x + 4, box.y + px.y + 3);
    await a.page
      .waitForFunction((q) => document.body.dataset.sketch === JSON.stringify([q]), config.draft.snap, { timeout: 5000 })
      .catch(() => {});
    out.snapped = JSON.parse(await a.page.evaluate(() => document.body.dataset.sketch))[0];
    await a.page.click("#draft-undo");
  }
  // Snapping off: the points are where they are clicked.
  await a.page.uncheck("#draft-snap");
  for (const p of points) {
    const px = await a.page.evaluate((q) => window.terminusMap.project(q), p);
    await a.page.mouse.click(box.x + px.x, box.y + px.y);
  }
  await a.page.fill("#draft-section", section);
  await a.page.fill("#draft-source", source);
  await a.page.screenshot({ path: `${config.screenshots}/${member}-drawing.png` });
  await a.page.click("#draft-save");
  await a.page.waitForSelector(`#view li.draft[data-source="${source}"]`, { timeout: 10000 });
  await a.page.waitForSelector('#status[data-state="ready"]');
  const saved = await a.page.textContent("#status");
  await a.page.screenshot({ path: `${config.screenshots}/${member}-draft-saved.png` });

  // The other party: nothing new, even after a while.
  await b.page.waitForTimeout(1500);
  await b.page.click("#tab-drafts");
  const otherDraftsAfter = await b.page.$$eval("#view li.draft", (l) => l.map((x) => x.dataset.source));
  await b.page.click("#tab-record");
  await b.page.waitForSelector('#view[data-view="record"]');

  // Sign it into the record; the other party's page lists it.
  const t0 = Date.now();
  let posted = null;
  a.page.on("response", (r) => {
    if (posted === null && r.request().method() === "POST" && r.url().endsWith("/api/events")) posted = Date.now() - t0;
  });
  await a.page.click(`#view li.draft[data-source="${source}"] button.sign-draft`);
  await b.page.waitForSelector(`#view li.event:nth-child(${otherEventsBefore + 1})`, { timeout: 5000 });
  const ms = Date.now() - t0;
  await a.page.waitForSelector('#status[data-state="ready"]');
  const signed = await a.page.textContent("#status");
  await b.page.screenshot({ path: `${config.screenshots}/${other}-sees-proposal.png` });
  const otherEventsAfter = await b.page.$$eval("#view li.event", (l) => l.length);
  const otherLast = await b.page.$eval("#view li.event:last-child", (x) => x.textContent);
  const reload = await b.page.evaluate(() => document.body.dataset.reload);
  const heard = Number(await b.page.evaluate(() => document.body.dataset.heard)) - t0;
  // When the page put the event in its list (its own clock — the
  // machine's, as the test's): what its member sees, a frame later.
  const listed = Number(await b.page.evaluate(() => document.body.dataset.updatedAt)) - t0;
  out.draft = { saved, signed, ms, listed, posted, heard, reload, otherDraftsBefore, otherDraftsAfter, otherEventsBefore, otherEventsAfter, otherLast };

  // The other party reads the new proposal's difference from the one
  // before it on the section, on the map: one click in the record.
  const diff = await b.page.$("#view li.event:last-child button.diff");
  if (diff) {
    const pair = { seq: Number(await diff.getAttribute("data-seq")), previous: Number(await diff.getAttribute("data-previous")) };
    await diff.click();
    await b.page.waitForSelector(".compare-result", { timeout: 30000 });
    await b.page.waitForSelector('#status[data-state="ready"]');
    await idle(b.page);
    out.diff = {
      ...pair,
      tab: await b.page.getAttribute("#view", "data-view"),
      pairs: await b.page.$$eval("tbody.pair", (l) => l.map((x) => ({ count: Number(x.dataset.count), area_m2: Number(x.dataset.areaM2) }))),
      polygons: await b.page.evaluate(async () => (await window.terminusMap.getSource("discrepancies").getData()).features.length),
    };
    await b.page.screenshot({ path: `${config.screenshots}/${other}-proposal-diff.png` });
  }

  // Both heads agree on North in their pages: ARM's head signs terms over
  // the line just proposed; AZE's head sees them (live) and co-signs.
  if (config.agreement) {
    await a.page.click("#tab-sections");
    await a.page.click(`.open-agreement[data-section="${section}"]`);
    await a.page.fill("#agreement-basis", config.agreement.basis);
    await a.page.setInputFiles("#agreement-protocol", config.agreement.protocol);
    await a.page.waitForSelector("#agreement-terms:not([disabled])");
    await a.page.click("#agreement-terms");
    await a.page.waitForSelector(".terms-preview #agreement-sign");
    const preview = await a.page.getAttribute(".terms-preview", "data-sha");
    await a.page.screenshot({ path: `${config.screenshots}/${member}-terms.png` });
    await a.page.click("#agreement-sign");
    await a.page.waitForSelector(`li.section[data-section="${section}"] .terms`, { timeout: 10000 });
    await a.page.waitForSelector('#status[data-state="ready"]');
    const armSigned = await a.page.textContent("#status");
    await b.page.click("#tab-sections");
    await b.page.waitForSelector(`li.section[data-section="${section}"] .terms .cosign`, { timeout: 5000 });
    const terms = await b.page.getAttribute(`li.section[data-section="${section}"] .terms`, "data-sha");
    await b.page.screenshot({ path: `${config.screenshots}/${other}-cosign.png` });
    await b.page.click(`li.section[data-section="${section}"] .terms .cosign`);
    await b.page.waitForSelector(`li.section[data-section="${section}"][data-status="agreed"]`, { timeout: 10000 });
    await a.page.waitForSelector(`li.section[data-section="${section}"][data-status="agreed"]`, { timeout: 5000 });
    await a.page.screenshot({ path: `${config.screenshots}/${member}-agreed.png` });
    out.agreement = { armSigned, terms, preview };
  }
  await a.context.close();
  await b.context.close();
}


/**
 * Pillars on a DEM: the relief drawn; each pillar clicked shows its
 * catalogue row and its line of sight to the next, drawn from the DEM.
 */
async function pillars() {
  const { member, numbers } = config.pillars;
  const { context, page } = await signedIn(member);
  page.on("request", (r) => {
    out.requests.push(r.url());
    if (!r.url().startsWith(`${config.base}/`) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) out.offsite.push(r.url());
  });
  const relief = [];
  const base = [];
  page.on("response", (r) => {
    if (r.url().includes("/api/relief/")) relief.push(r.status());
    if (r.url().includes("/api/terrain/") || r.url().includes("/api/basemap/")) base.push(r.status());
  });
  await idle(page);
  await page.screenshot({ path: `${config.screenshots}/${member}-relief.png` });
  // The base map the service draws: contours, streams and places named
  // in the page's language (Russian where the data has it, else the name).
  await page.evaluate(() => window.terminusMap.jumpTo({ center: [73.3, 39.55], zoom: 9.5 }));
  await idle(page);
  const drawn = await page.evaluate(() => {
    const m = window.terminusMap;
    const ids = m.getStyle().layers.map((l) => l.id);
    const count = (prefix) => m.queryRenderedFeatures({ layers: ids.filter((i) => i.startsWith(prefix)) }).length;
    return { contours: count("contours-"), streams: count("streams-"), places: m.queryRenderedFeatures({ layers: ["places"] }).length };
  });
  const labelsIn = () => page.$$eval(".place-label", (ls) => ls.map((l) => l.textContent).sort());
  const labelsEn = await labelsIn();
  await page.screenshot({ path: `${config.screenshots}/${member}-basemap.png` });
  await page.selectOption("#language", "ru");
  await idle(page);
  const labelsRu = await labelsIn();
  await page.screenshot({ path: `${config.screenshots}/${member}-basemap-ru.png` });
  await page.selectOption("#language", "en");
  out.basemap = { drawn, labels_en: labelsEn, labels_ru: labelsRu, statuses: base };
  // A draft drawn roughly, then made to follow the water-parting.
  if (config.pillars.waterParting) {
    const pts = config.pillars.waterParting;
    await page.evaluate((p) => {
      const xs = p.map((q) => q[0]);
      const ys = p.map((q) => q[1]);
      window.terminusMap.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 200, duration: 0 });
    }, pts);
    await idle(page);
    await page.click("#tab-drafts");
    await page.click("#draft-new");
    const box = await page.locator("#map").boundingBox();
    for (const p of pts) {
      const px = await page.evaluate((q) => window.terminusMap.project(q), p);
      await page.mouse.click(box.x + px.x, box.y + px.y);
    }
    await page.waitForTimeout(300); // (snaps looked up)
    const drawn = JSON.parse(await page.evaluate(() => document.body.dataset.sketch));
    await page.click("#draft-water-parting");
    await page.waitForSelector(".water-parting .traced", { timeout: 30000 });
    await idle(page);
    out.water_parting = {
      drawn,
      traced: JSON.parse(await page.evaluate(() => document.body.dataset.sketch)),
      length: Number(await page.getAttribute(".water-parting .traced", "data-length")),
      source: await page.inputValue("#draft-source"),
      status: await page.textContent("#status"),
    };
    await page.screenshot({ path: `${config.screenshots}/${member}-water-parting.png` });
    await page.click("#draft-cancel");
    // A vertex snapped to a stream (a thalweg the terrain engine traced):
    // in the Alay valley, far from the record's line, a click 5 px off a
    // stream vertex takes the vertex.
    await page.evaluate(() => window.terminusMap.jumpTo({ center: [73.3, 39.62], zoom: 11 }));
    await idle(page);
    const target = await page.evaluate(() => {
      const m = window.terminusMap;
      const ids = m.getStyle().layers.map((l) => l.id).filter((i) => i.startsWith("streams-"));
      const c = m.project(m.getCenter());
      let best = null;
      for (const f of m.queryRenderedFeatures({ layers: ids })) {
        const lines = f.geometry.type === "LineString" ? [f.geometry.coordinates] : f.geometry.coordinates;
        for (const line of lines)
          for (const q of line) {
            const p = m.project(q);
            const d = Math.hypot(p.x - c.x, p.y - c.y);
            if (!best || d < best.d) best = { d, q, p: [p.x, p.y] };
          }
      }
      return best;
    });
    if (target) {
      await page.click("#draft-new");
      await page.mouse.click(box.x + target.p[0] + 4, box.y + target.p[1] + 3);
      await page.waitForTimeout(400);
      out.stream_snap = { stream_vertex: target.q, drawn: JSON.parse(await page.evaluate(() => document.body.dataset.sketch))[0] };
      await page.click("#draft-cancel");
    }
  }
  await page.evaluate(() => window.terminusMap.jumpTo({ zoom: 6 }));
  await idle(page);
  out.pillars = [];
  for (const number of numbers) {
    const at = await page.evaluate(async (n) => {
      const f = (await window.terminusMap.getSource("pillars").getData()).features.find((f) => f.properties.number === n);
      window.terminusMap.jumpTo({ center: f.geometry.coordinates, zoom: 14 });
      return f.geometry.coordinates;
    }, number);
    await idle(page);
    const box = await page.locator("#map").boundingBox();
    const px = await page.evaluate((p) => window.terminusMap.project(p), at);
    await page.mouse.click(box.x + px.x, box.y + px.y);
    await page.waitForSelector(".maplibregl-popup .feature[data-layer=pillars]", { timeout: 5000 });
    const title = await page.textContent(".maplibregl-popup .feature h3");
    const row = await page.$$eval(".maplibregl-popup .feature tr", (rows) =>
      Object.fromEntries(rows.map((r) => [r.querySelector("th").textContent, r.querySelector("td").textContent])),
    );
    // (With no DEM served there is no profile to wait for.)
    let fig = null;
    if (config.pillars.profiles !== false) {
      await page.waitForSelector(".maplibregl-popup figure.profile, .maplibregl-popup .profile-error", { timeout: 10000 });
      fig = await page.$eval(".maplibregl-popup figure.profile", (f) => ({
        visible: f.dataset.visible,
        distance: Number(f.dataset.distance),
        caption: f.querySelector("figcaption").textContent,
        ground: f.querySelector("polygon").getAttribute("points").split(" ").length,
      }));
    }
    await page.screenshot({ path: `${config.screenshots}/${member}-pillar-${number.replace(/\//g, "_")}.png` });
    out.pillars.push({ number, title, row, profile: fig });
    await page.keyboard.press("Escape");
    await page.evaluate(() => document.querySelector(".maplibregl-popup-close-button")?.click());
  }
  out.relief = relief;
  await context.close();
}

/**
 * The main flows by keyboard alone: sign in (the key file chosen from
 * the focused control), open the record and verify it, open a pillar
 * from its section's list and close it with Escape, draw a line with the
 * arrow keys and Enter on the map, and save it as a draft.
 */
async function keyboard() {
  const { member, key, section } = config.keyboard;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
  const page = await context.newPage();
  page.on("pageerror", (e) => out.errors.push(`keyboard: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(`${config.base}/`) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) out.offsite.push(r.url());
  });
  await page.goto(`${config.base}/`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
  const order = [];
  const focused = () =>
    page.evaluate(() => {
      const a = document.activeElement;
      return a ? (a.id ? `#${a.id}` : `${a.tagName.toLowerCase()}${a.className && typeof a.className === "string" ? `.${a.className.split(" ")[0]}` : ""}`) : "";
    });
  /** Tab (or Shift+Tab) until the focused element matches `sel`. */
  const tabTo = async (sel, back = false) => {
    for (let i = 0; i < 80; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s), sel)) return true;
      await page.keyboard.press(back ? "Shift+Tab" : "Tab");
      const f = await focused();
      if (order.length < 40) order.push(f);
    }
    throw new Error(`${sel} not reached by keyboard; focus went: ${order.join(" ")}`);
  };
  /** A view by its tab, as the WAI-ARIA tabs pattern has it: Tab to the
   * selected tab, the arrow keys to the one wanted (shown at once). */
  const openTab = async (id, back = false) => {
    await tabTo('[role=tab][aria-selected="true"]', back);
    for (let i = 0; i < 10 && !(await page.evaluate((t) => document.activeElement?.id === `tab-${t}`, id)); i++) {
      await page.keyboard.press("ArrowRight");
    }
    await page.waitForSelector(`#view[data-view="${id}"]`, { timeout: 5000 });
  };
  const seen = {};
  await tabTo("#key-file");
  // The file chooser the focused control opens, by Space (or Enter). The
  // driver intercepts choosers only once it listens for them, which it
  // starts asynchronously: a key pressed before that opens no chooser the
  // driver sees (the page has done its part), so the key is pressed
  // again after a pause, up to three times.
  let chooser = null;
  for (const k of ["Space", "Enter", "Space"]) {
    const waiting = page.waitForEvent("filechooser", { timeout: 5000 }).catch(() => null);
    await page.waitForTimeout(200);
    await page.keyboard.press(k);
    chooser = await waiting;
    if (chooser) break;
  }
  if (!chooser) throw new Error("no file chooser opened from the focused sign-in control");
  await chooser.setFiles(key);
  await page.waitForFunction((m) => document.body.dataset.member === m, member, { timeout: 20000 });
  await page.waitForSelector('#status[data-state="ready"]');
  seen.signed_in = await page.evaluate(() => document.body.dataset.member);
  // The record, verified.
  await openTab("record");
  await tabTo("#verify-record");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#view .verification", { timeout: 20000 });
  seen.verified_problems = Number(await page.getAttribute("#view .verification", "data-problems"));
  // A pillar from its section's list; Escape closes it, focus returns.
  await openTab("sections", true);
  await tabTo("details.pillars summary");
  await page.keyboard.press("Enter");
  await tabTo("button.pillar");
  const number = await page.evaluate(() => document.activeElement.dataset.number);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".maplibregl-popup .feature h3", { timeout: 5000 });
  seen.pillar = { number, title: await page.textContent(".maplibregl-popup .feature h3"), focus_in_popup: await page.evaluate(() => !!document.activeElement?.closest(".maplibregl-popup")) };
  await page.screenshot({ path: `${config.screenshots}/${member}-keyboard-pillar.png` });
  await page.keyboard.press("Escape");
  seen.pillar.closed = (await page.$(".maplibregl-popup")) === null;
  seen.pillar.focus_back = await page.evaluate(() => document.activeElement?.dataset?.number ?? null);
  // A line drawn with the arrow keys and Enter on the map.
  await openTab("drafts", true);
  await tabTo("#draft-new");
  await page.keyboard.press("Enter");
  await tabTo("canvas.maplibregl-canvas", true);
  await page.keyboard.press("Enter");
  for (const k of ["ArrowRight", "ArrowRight", "ArrowDown"]) {
    await page.keyboard.press(k);
    await page.waitForTimeout(350);
  }
  await idle(page);
  await page.keyboard.press("Enter");
  seen.sketch = JSON.parse(await page.evaluate(() => document.body.dataset.sketch ?? "[]"));
  await page.screenshot({ path: `${config.screenshots}/${member}-keyboard-drawing.png` });
  await tabTo("#draft-section");
  await page.keyboard.type(section);
  await tabTo("#draft-save");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
  seen.saved = await page.textContent("#status");
  seen.drafts = await page.$$eval("#view li.draft", (l) => l.length);
  seen.order = order;
  out.keyboard = seen;
  await context.close();
}

try {
  if (config.keyboard) {
    await keyboard();
  } else if (config.pillars) {
    await pillars();
  } else {
    await visit(null, null);
    for (const [member, path] of Object.entries(config.keys)) await visit(member, path);
    if (config.live) await live();
    if (config.draft) await drafting();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
