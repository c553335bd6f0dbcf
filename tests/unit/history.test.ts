import { describe, it, expect } from "vitest";
import { History, emptyDiff, invertDiff, squashDiff, type DocumentDiff } from "@/lib/annotation/history";

// A toy document: records are strings by id, applied through the same callback the editor uses.
type D = DocumentDiff<string, string>;
function setup(maxDepth?: number) {
  const doc = new Map<string, string>();
  const cls = new Map<string, string[]>();
  const apply = (d: D) => {
    for (const id of d.regions.removed.keys()) doc.delete(id);
    for (const [id, v] of d.regions.added) doc.set(id, v);
    for (const [id, [, v]] of d.regions.updated) doc.set(id, v);
    for (const [n, [, v]] of d.classifications) (v ? cls.set(n, v) : cls.delete(n));
  };
  const h = new History<string, string>({ apply, maxDepth });
  const change = (fn: (d: D) => void) => {
    const d: D = emptyDiff();
    fn(d);
    apply(d);
    h.record(d);
  };
  const add = (id: string, v: string) => change((d) => d.regions.added.set(id, v));
  const update = (id: string, v: string) => change((d) => d.regions.updated.set(id, [doc.get(id)!, v]));
  const remove = (id: string) => change((d) => d.regions.removed.set(id, doc.get(id)!));
  const state = () => Object.fromEntries(doc);
  return { h, doc, cls, change, add, update, remove, state };
}

describe("History", () => {
  it("undoes and redoes an add, an update and a remove", () => {
    const { h, add, update, remove, state } = setup();
    h.mark("add");
    add("a", "1");
    h.mark("update");
    update("a", "2");
    h.mark("remove");
    remove("a");
    expect(state()).toEqual({});
    expect(h.undo()).toBe("remove");
    expect(state()).toEqual({ a: "2" });
    expect(h.undo()).toBe("update");
    expect(state()).toEqual({ a: "1" });
    expect(h.undo()).toBe("add");
    expect(state()).toEqual({});
    expect(h.canUndo()).toBe(false);
    expect(h.undo()).toBeNull();
    expect(h.redo()).toBe("add");
    expect(h.redo()).toBe("update");
    expect(state()).toEqual({ a: "2" });
    expect(h.redo()).toBe("remove");
    expect(state()).toEqual({});
    expect(h.canRedo()).toBe(false);
  });

  it("squashes every change between two marks into one step", () => {
    const { h, add, update, state } = setup();
    h.mark("create");
    add("a", "0");
    h.mark("drag");
    for (let i = 1; i <= 20; i++) update("a", String(i));
    expect(h.undoNames).toEqual(["create", "drag"]);
    h.undo();
    expect(state()).toEqual({ a: "0" }); // the whole drag, at once
    h.redo();
    expect(state()).toEqual({ a: "20" });
  });

  it("nets out changes within a step: add+remove is nothing, remove+add is an update", () => {
    const { h, add, update, remove, state } = setup();
    h.mark("base");
    add("keep", "k0");
    h.mark("mixed");
    add("tmp", "t");
    remove("tmp");
    remove("keep");
    add("keep", "k1");
    update("keep", "k2");
    h.undo();
    expect(state()).toEqual({ keep: "k0" });
    h.redo();
    expect(state()).toEqual({ keep: "k2" });
  });

  it("skips a step that squashed to nothing", () => {
    const { h, add, remove, state } = setup();
    h.mark("a");
    add("a", "1");
    h.mark("flash");
    add("b", "1");
    remove("b");
    expect(h.undoNames).toEqual(["a"]);
    expect(h.undo()).toBe("a");
    expect(state()).toEqual({});
  });

  it("clears the redo stack on a new change after undo", () => {
    const { h, add, state } = setup();
    h.mark("a");
    add("a", "1");
    h.mark("b");
    add("b", "1");
    h.undo();
    expect(h.canRedo()).toBe(true);
    h.mark("c");
    add("c", "1");
    expect(h.canRedo()).toBe(false);
    expect(h.redo()).toBeNull();
    expect(state()).toEqual({ a: "1", c: "1" });
  });

  it("starts a new step for an unmarked change after undo (never squashes into a moved entry)", () => {
    const { h, add, state } = setup();
    h.mark("a");
    add("a", "1");
    h.mark("b");
    add("b", "1");
    h.undo();
    add("c", "1"); // no mark
    h.undo();
    expect(state()).toEqual({ a: "1" });
  });

  it("keeps at most maxDepth steps, dropping the oldest", () => {
    const { h, add, state } = setup(3);
    for (let i = 0; i < 5; i++) {
      h.mark(`s${i}`);
      add(`r${i}`, "x");
    }
    expect(h.undoNames).toEqual(["s2", "s3", "s4"]);
    while (h.undo());
    expect(Object.keys(state()).sort()).toEqual(["r0", "r1"]);
  });

  it("bail reverts the open step without leaving anything to redo", () => {
    const { h, add, update, state } = setup();
    h.mark("a");
    add("a", "1");
    h.mark("drag");
    update("a", "2");
    update("a", "3");
    expect(h.bail()).toBe(true);
    expect(state()).toEqual({ a: "1" });
    expect(h.canRedo()).toBe(false);
    expect(h.undoNames).toEqual(["a"]);
    h.mark("nothing");
    expect(h.bail()).toBe(false); // no change since the mark
  });

  it("records classification changes with before/after and inverts them", () => {
    const { h, cls, change } = setup();
    h.mark("set");
    change((d) => d.classifications.set("weather", [undefined, ["sunny"]]));
    h.mark("change");
    change((d) => d.classifications.set("weather", [["sunny"], ["rain"]]));
    change((d) => d.classifications.set("weather", [["rain"], ["snow"]]));
    h.undo();
    expect(cls.get("weather")).toEqual(["sunny"]);
    h.undo();
    expect(cls.has("weather")).toBe(false);
  });

  it("squash and invert are pure diff algebra", () => {
    const a: D = emptyDiff();
    a.regions.added.set("x", "1");
    const b: D = emptyDiff();
    b.regions.updated.set("x", ["1", "2"]);
    b.relations.removed.set("r", "rel");
    squashDiff(a, b);
    expect([...a.regions.added]).toEqual([["x", "2"]]);
    const inv = invertDiff(a);
    expect([...inv.regions.removed]).toEqual([["x", "2"]]);
    expect([...inv.relations.added]).toEqual([["r", "rel"]]);
  });
});
