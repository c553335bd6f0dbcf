// The text (NER) editor as an annotator uses it: label spans with the mouse (pending selection
// then a label key; and with an active label), with the keyboard (caret, Shift+arrows, hotkey),
// over emoji, RTL and CJK text; relabel, delete, undo; relate two spans and name the relation;
// classify and fill a free-text field; submit, reload, and read the result back through the API,
// checking every span's text equals the code-point slice (Python's text[start:end]).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let taskId: number;
let emptyTaskId: number;
let projectId: number;

const TEXT = "Zoë 👋🏽 met Angela Merkel in Paris on Tuesday.\r\nLater: שלום עולם from 東京 and Zürich.\nThe end.";
type Span = { id: string; kind: string; label?: string; start: number; end: number; text?: string; origin?: string };

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}

const spans = (page: Page) =>
  page.evaluate(() => (window as unknown as { __loupeText: { editor: { getRegions(): Span[] } } }).__loupeText.editor.getRegions().map((r) => ({ ...r })));
const selectedIds = (page: Page) => page.evaluate(() => [...(window as unknown as { __loupeText: { editor: { selectedIds: Set<string> } } }).__loupeText.editor.selectedIds]);
const cpSlice = (s: string, a: number, b: number) => [...s].slice(a, b).join("");

/** Screen rectangle of a UTF-16 range [a, b) of the task's text, from the rendered pieces. */
async function rangeRect(page: Page, a: number, b: number) {
  return page.evaluate(
    ([a, b]) => {
      const pieces = [...document.querySelectorAll<HTMLElement>("[data-o]")];
      const locate = (u: number) => {
        const el = pieces.find((p) => Number(p.dataset.o) <= u && u <= Number(p.dataset.e) && p.firstChild);
        if (!el) throw new Error(`no piece at ${u}`);
        return { node: el.firstChild!, off: u - Number(el.dataset.o) };
      };
      const s = locate(a);
      const e = locate(b);
      const r = document.createRange();
      r.setStart(s.node, s.off);
      r.setEnd(e.node, e.off);
      const box = r.getBoundingClientRect();
      return { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
    },
    [a, b] as const,
  );
}
/** Drag across a word (inside its box: word snapping completes it). */
async function dragOver(page: Page, word: string) {
  const a = TEXT.indexOf(word);
  const r = await rangeRect(page, a, a + word.length);
  const y = (r.top + r.bottom) / 2;
  await page.mouse.move(r.left + 2, y);
  await page.mouse.down();
  await page.mouse.move((r.left + r.right) / 2, y, { steps: 3 });
  await page.mouse.move(r.right - 2, y, { steps: 3 });
  await page.mouse.up();
}
/** Click just before UTF-16 offset u (puts the caret there). */
async function caretAt(page: Page, u: number) {
  const r = await rangeRect(page, u, u + 1);
  await page.mouse.click(r.left + 1, (r.top + r.bottom) / 2);
}
async function clickWord(page: Page, word: string, modifiers: Array<"Shift"> = []) {
  const a = TEXT.indexOf(word);
  const r = await rangeRect(page, a, a + word.length);
  for (const m of modifiers) await page.keyboard.down(m);
  await page.mouse.click((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  for (const m of modifiers) await page.keyboard.up(m);
}

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
  const { page } = admin;
  const created = await api(page, "POST", "/api/v1/projects", {
    name: "E2E text NER",
    dataType: "text",
    schema: {
      labels: [
        { name: "PER", color: "#e6194b", hotkey: "1", attributes: [{ name: "role", type: "text" }] },
        { name: "LOC", color: "#3cb44b", hotkey: "2" },
        { name: "ORG", color: "#4363d8", hotkey: "3" },
      ],
      classifications: [
        { name: "topic", choices: ["politics", "travel", "sport"], multiple: true },
        { name: "tone", choices: ["positive", "negative"] },
      ],
      textFields: [{ name: "notes" }],
    },
  });
  expect(created.status).toBe(201);
  const pid = created.json.id;
  projectId = pid;
  const imp = await api(page, "POST", `/api/v1/projects/${pid}/import`, [{ data: { text: TEXT } }, { data: { text: "" } }]);
  expect(imp.status).toBeLessThan(300);
  const tasks = await api(page, "GET", `/api/v1/projects/${pid}/tasks`);
  const ids = tasks.json.items.map((t: { id: number }) => t.id).sort((a: number, b: number) => a - b);
  [taskId, emptyTaskId] = ids;
});
afterAll(async () => {
  await browser?.close();
});

describe("text editor", () => {
  it("labels spans with mouse and keys, relates, classifies, submits, and reads back code-point offsets", async () => {
    const { page } = admin;
    await page.goto(`/tasks/${taskId}`);
    await page.getByTestId("text-content").waitFor({ timeout: 30_000 });
    await page.getByTestId("region-empty").waitFor();

    // 1. Mouse, no active label: the selection waits for a label key.
    await dragOver(page, "Angela Merkel");
    await expect.poll(() => page.getByTestId("active-label").textContent()).toContain("Angela Merkel");
    await page.keyboard.press("1");
    let rs = await spans(page);
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ kind: "span", label: "PER", text: "Angela Merkel" });

    // 2. Keyboard: caret before "Paris", Shift+→ five times, then the LOC key.
    await caretAt(page, TEXT.indexOf("Paris"));
    for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+ArrowRight");
    await page.keyboard.press("2");
    rs = await spans(page);
    expect(rs.map((r) => r.text)).toEqual(["Angela Merkel", "Paris"]);

    // 3. Keyboard over an emoji with a skin tone: one Shift+→ takes the whole grapheme (2 code points).
    await page.keyboard.press("Escape");
    await caretAt(page, TEXT.indexOf("👋"));
    await page.keyboard.press("Shift+ArrowRight");
    await page.keyboard.press("1");
    rs = await spans(page);
    const wave = rs.find((r) => r.text === "👋🏽")!;
    expect(wave.end - wave.start).toBe(2);

    // 4. Active label + mouse: pressing a label key with nothing selected makes it active; each
    //    selection is then labelled at once (RTL and CJK words too).
    await page.keyboard.press("Escape"); // clear the span selection, if any
    await page.keyboard.press("Escape");
    await page.keyboard.press("2");
    await expect.poll(() => page.getByTestId("active-label").textContent()).toContain("LOC");
    await dragOver(page, "東京");
    await dragOver(page, "שלום");
    await dragOver(page, "Zürich");
    rs = await spans(page);
    expect(rs.filter((r) => r.label === "LOC").map((r) => r.text)).toEqual(["Paris", "東京", "שלום", "Zürich"]);
    await page.keyboard.press("Escape"); // stop labelling with LOC

    // 5. Relabel the selected span with a hotkey; delete one and undo.
    await clickWord(page, "東京");
    const tokyo = rs.find((r) => r.text === "東京")!;
    expect(await selectedIds(page)).toEqual([tokyo.id]);
    await page.keyboard.press("3");
    expect((await spans(page)).find((r) => r.id === tokyo.id)!.label).toBe("ORG");
    await clickWord(page, "Zürich");
    await page.keyboard.press("Delete");
    expect((await spans(page)).some((r) => r.text === "Zürich")).toBe(false);
    await page.keyboard.press("Control+z");
    expect((await spans(page)).some((r) => r.text === "Zürich")).toBe(true);

    // 6. Word snapping off: a partial selection stays partial.
    await page.keyboard.press("w");
    await expect.poll(() => page.getByTestId("word-snap").getAttribute("aria-pressed")).toBe("false");
    const a = TEXT.indexOf("Tuesday");
    await caretAt(page, a);
    for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowRight");
    await page.keyboard.press("3");
    expect((await spans(page)).some((r) => r.text === "Tue" && r.label === "ORG")).toBe(true);
    await page.keyboard.press("w");

    // 7. Relation: click one span, shift-click another, Alt+R; name it; the arrow is drawn.
    await clickWord(page, "Angela Merkel");
    await clickWord(page, "Paris", ["Shift"]);
    expect(await selectedIds(page)).toHaveLength(2);
    await page.keyboard.press("Alt+r");
    await expect.poll(() => page.locator('[data-testid="relation-row"]').count()).toBe(1);
    await page.getByTestId("relation-label").fill("located in");
    await page.getByTestId("relation-label").press("Enter");
    await expect.poll(() => page.locator('path[data-testid="relation-arrow"]').count()).toBe(1);
    await expect.poll(() => page.locator("svg text").first().textContent()).toBe("located in");

    // 8. Document classification (multi and single) and a free-text field.
    await page.getByTestId("choice-topic-politics").click();
    await page.getByTestId("choice-topic-travel").click();
    await page.getByTestId("choice-tone-positive").click();
    await page.getByTestId("text-field-notes").locator("textarea").fill("Checked twice");
    await page.getByTestId("text-field-notes").locator("textarea").blur();
    await shot(page, "text-editor");

    // 9. Submit and read back through the API.
    await page.keyboard.press("Control+Enter");
    await expect.poll(() => page.getByTestId("editor-message").textContent(), { timeout: 15_000 }).toMatch(/Submitted|Saved/);
    const anns = await api(page, "GET", `/api/v1/tasks/${taskId}/annotations`);
    expect(anns.status).toBe(200);
    const doc = anns.json.items[0].document;
    const saved = doc.regions as Span[];
    expect(saved.map((r) => r.text).sort()).toEqual(["Angela Merkel", "Paris", "Tue", "Zürich", "שלום", "東京", "👋🏽"].sort());
    for (const r of saved) {
      expect(cpSlice(TEXT, r.start, r.end)).toBe(r.text); // Python's text[start:end]
      expect(r.origin).toBe("manual");
    }
    const merkel = saved.find((r) => r.text === "Angela Merkel")!;
    expect(merkel.start).toBe([...TEXT.slice(0, TEXT.indexOf("Angela"))].length);
    expect(doc.relations).toEqual([{ from: merkel.id, to: saved.find((r) => r.text === "Paris")!.id, label: "located in" }]);
    expect(doc.classifications).toEqual({ topic: ["politics", "travel"], tone: ["positive"], notes: ["Checked twice"] });

    // 10. Reload: the editor shows the submitted annotation.
    await page.goto(`/tasks/${taskId}`);
    await page.getByTestId("text-content").waitFor();
    await expect.poll(async () => (await spans(page)).length).toBe(7);
    await expect.poll(() => page.locator('path[data-testid="relation-arrow"]').count()).toBe(1);
  });

  it("pre-labels from the project dictionary and labels all occurrences", async () => {
    const { page } = admin;
    const pid = projectId;
    const put = await api(page, "PUT", `/api/v1/projects/${pid}/dictionary`, { text: "Merkel\tPER\nend\tORG" });
    expect(put.status).toBe(200);
    const imp = await api(page, "POST", `/api/v1/projects/${pid}/import`, [{ data: { text: "Merkel met Macron. Macron met Merkel. The end." } }]);
    expect(imp.status).toBeLessThan(300);
    const tasks = await api(page, "GET", `/api/v1/projects/${pid}/tasks`);
    const id = Math.max(...tasks.json.items.map((x: { id: number }) => x.id));
    await page.goto(`/tasks/${id}`);
    await page.getByTestId("text-content").waitFor();
    await page.keyboard.press("p");
    await expect.poll(async () => (await spans(page)).length).toBe(3);
    expect((await spans(page)).every((r) => r.origin === "prediction")).toBe(true);
    // Stored on the server like the other pre-labellers' output (ADR 0017).
    await page.locator('[data-testid="prelabel-result"][data-stored="true"]').waitFor();
    const stored = await api(page, "GET", `/api/v1/tasks/${id}/predictions`);
    expect(stored.json.items.map((x: { model: string }) => x.model)).toEqual(["dictionary"]);
    expect(stored.json.items[0].document.regions).toHaveLength(3);
    await page.getByTestId("accept-all").click();
    expect((await spans(page)).every((r) => r.origin === "manual")).toBe(true);
    // Label all occurrences of "Macron".
    const text = "Merkel met Macron. Macron met Merkel. The end.";
    const r = await page.evaluate((a) => {
      const el = [...document.querySelectorAll<HTMLElement>("[data-o]")].find((p) => Number(p.dataset.o) <= a && a < Number(p.dataset.e))!;
      const range = document.createRange();
      range.setStart(el.firstChild!, a - Number(el.dataset.o));
      range.setEnd(el.firstChild!, a - Number(el.dataset.o) + 6);
      const b = range.getBoundingClientRect();
      return { x: b.left + 3, y: (b.top + b.bottom) / 2, x2: b.right - 3 };
    }, text.indexOf("Macron"));
    await page.mouse.move(r.x, r.y);
    await page.mouse.down();
    await page.mouse.move(r.x2, r.y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.press("1");
    const mac = (await spans(page)).find((s) => s.text === "Macron")!;
    await page.evaluate((sid) => (window as unknown as { __loupeText: { editor: { select(ids: string[]): void } } }).__loupeText.editor.select([sid]), mac.id);
    await page.keyboard.press("l");
    await expect.poll(async () => (await spans(page)).filter((s) => s.text === "Macron").length).toBe(2);
    // A drag that ends outside the text (past the card's edge) still selects up to the end.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    const startThe = await page.evaluate((a) => {
      const el = [...document.querySelectorAll<HTMLElement>("[data-o]")].find((p) => Number(p.dataset.o) <= a && a < Number(p.dataset.e))!;
      const range = document.createRange();
      range.setStart(el.firstChild!, a - Number(el.dataset.o));
      range.setEnd(el.firstChild!, a - Number(el.dataset.o) + 1);
      const b = range.getBoundingClientRect();
      return { x: b.left + 1, y: (b.top + b.bottom) / 2 };
    }, text.indexOf("The end"));
    const card = (await page.getByTestId("text-content").boundingBox())!;
    await page.mouse.move(startThe.x, startThe.y);
    await page.mouse.down();
    await page.mouse.move(card.x + card.width + 60, startThe.y, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.press("3");
    await expect.poll(async () => (await spans(page)).some((s) => s.text === "The end." && s.label === "ORG")).toBe(true);
  });

  it("shows a clear empty state for an empty document", async () => {
    const { page } = admin;
    await page.goto(`/tasks/${emptyTaskId}`);
    await page.getByTestId("text-empty").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("text-empty").textContent()).toContain("This document is empty");
  });

  it("opens a 4.5 MB document (labels a span near its end) and refuses one over 5 MB with a message", async () => {
    const { page } = admin;
    const para = "Lorem ipsum dolor sit amet 😀 in Paris, consectetur adipiscing elit.\r\n";
    const big = para.repeat(Math.floor(4.5e6 / Buffer.byteLength(para))) + "Final words here.";
    const huge = para.repeat(Math.ceil(5.3e6 / Buffer.byteLength(para)));
    for (const [name, body] of [["big.txt", big], ["huge.txt", huge]] as const) {
      const up = await page.request.post(`/api/v1/projects/${projectId}/import`, { multipart: { files: { name, mimeType: "text/plain", buffer: Buffer.from(body) } } });
      expect(up.status()).toBe(201);
    }
    const tasks = await api(page, "GET", `/api/v1/projects/${projectId}/tasks?limit=100`);
    const ids = tasks.json.items.map((t: { id: number }) => t.id).sort((a: number, b: number) => b - a);
    const [hugeId, bigId] = ids;

    await page.goto(`/tasks/${hugeId}`);
    await page.getByTestId("text-too-large").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("text-too-large").textContent()).toMatch(/up to 5 MB/);

    await page.goto(`/tasks/${bigId}`);
    await page.getByTestId("text-content").waitFor({ timeout: 60_000 });
    const cps = [...big];
    expect(await page.evaluate(() => (window as unknown as { __loupeText: { index: { length: number } } }).__loupeText.index.length)).toBe(cps.length);
    // Only a few blocks are in the DOM, not the whole document.
    expect(await page.locator(".lp-block").count()).toBeLessThan(60);
    await page.getByTestId("text-view").evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(300);
    await page.getByTestId("text-view").evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(300);
    const at = big.lastIndexOf("Final");
    await caretAt(page, at);
    for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+ArrowRight");
    await page.keyboard.press("2");
    const made = (await spans(page)).find((r) => r.text === "Final")!;
    expect(made).toBeTruthy();
    expect(made.start).toBe([...big.slice(0, at)].length);
    expect(cps.slice(made.start, made.end).join("")).toBe("Final");
  });
});

