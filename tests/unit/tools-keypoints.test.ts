import { describe, it, expect } from "vitest";
import { EditorDriver, testSchema } from "./support/editor-driver";

const driver = () => new EditorDriver({ schema: testSchema, width: 200, height: 100 }).tool("keypoints");

describe("keypoints tool", () => {
  it("places the skeleton's points in order and saves after the last", () => {
    const d = driver().label("person");
    d.click(50, 10);
    expect(d.state).toBe("placing");
    expect(d.preview).toMatchObject({ type: "keypoints", points: [[50, 10, 2]], next: "left_hand" });
    d.click(40, 30, { alt: true });
    expect(d.preview).toMatchObject({ next: "right_hand" });
    d.click(60, 30);
    expect(d.state).toBe("idle");
    expect(d.region(0)).toMatchObject({ kind: "keypoints", label: "person", points: [[50, 10, 2], [40, 30, 1], [60, 30, 2]] });
    expect(d.editor.undoNames).toEqual(["create"]);
  });

  it("Enter saves early with the rest absent; Tab skips a point", () => {
    const d = driver().label("person");
    d.click(50, 10).key("Tab");
    expect(d.preview).toMatchObject({ next: "right_hand" });
    d.key("Enter");
    expect(d.region(0)).toMatchObject({ points: [[50, 10, 2], [0, 0, 0], [0, 0, 0]] });
  });

  it("Backspace takes back a point; Escape cancels", () => {
    const d = driver().label("person");
    d.click(50, 10).click(40, 30).key("Backspace");
    expect(d.preview).toMatchObject({ points: [[50, 10, 2]], next: "left_hand" });
    d.key("Escape");
    expect(d.state).toBe("idle");
    expect(d.regions).toHaveLength(0);
  });

  it("without a skeleton a click is a single point", () => {
    const d = driver().label("dot");
    d.click(5, 6);
    expect(d.state).toBe("idle");
    expect(d.region(0)).toMatchObject({ kind: "keypoints", label: "dot", points: [[5, 6, 2]] });
  });

  it("is refused for a label that does not allow keypoints", () => {
    const d = driver().label("car");
    d.click(5, 6);
    expect(d.state).toBe("idle");
    expect(d.regions).toHaveLength(0);
  });
});
