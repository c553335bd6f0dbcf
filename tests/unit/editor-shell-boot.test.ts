import { describe, it, expect } from "vitest";
import { initialPick, planFor, readDocument, type BootInput } from "@/components/editor/shell/boot";
import type { ServerAnnotation } from "@/components/editor/persistence/types";

const ann = (id: number, userId: number, revision = 1): ServerAnnotation => ({ id, taskId: 1, userId, status: "submitted", skipReason: null, revision, document: {}, updatedAt: 0 });
const base = (o: Partial<BootInput>): BootInput => ({ userId: 1, canLabel: true, canReview: false, annotations: [], requestedAnnotation: null, ...o });

describe("which annotation the editor opens", () => {
  it("opens the user's own work, else a new one, for annotators", () => {
    expect(initialPick(base({})).pick).toBe("mine");
    expect(initialPick(base({ annotations: [ann(5, 2), ann(6, 1)] })).pick).toBe("mine");
    expect(planFor(base({ annotations: [ann(6, 1, 3)] }), "mine", null)).toEqual({ annotation: ann(6, 1, 3), target: { annotationId: 6, revision: 3 }, readOnly: false, canFix: false });
    expect(planFor(base({}), "mine", null).target).toEqual({ annotationId: null, revision: null });
  });

  it("shows reviewers the first annotation read-only until they fix it", () => {
    const p = base({ canReview: true, annotations: [ann(5, 2, 4)] });
    expect(initialPick(p).pick).toBe(5);
    expect(planFor(p, 5, null)).toMatchObject({ readOnly: true, canFix: true, target: { annotationId: 5, revision: 4 } });
    expect(planFor(p, 5, 5)).toMatchObject({ readOnly: false, canFix: false });
  });

  it("honours ?annotation= and reports one it cannot show", () => {
    const p = base({ canReview: true, annotations: [ann(5, 2), ann(7, 3)], requestedAnnotation: 7 });
    expect(initialPick(p)).toEqual({ pick: 7, missing: false });
    expect(initialPick({ ...p, requestedAnnotation: 99 })).toEqual({ pick: 5, missing: true });
    expect(initialPick({ ...p, annotations: [ann(7, 1)] }).pick).toBe("mine");
  });

  it("reads documents leniently and explains corrupt ones", () => {
    const ok = readDocument({ regions: [{ id: "a", kind: "rect", label: "gone", x: 0, y: 0, width: 1, height: 1 }] });
    expect(ok.ok).toBe(true);
    const bad = readDocument({ regions: [{ id: "a", kind: "blob" }] });
    expect(bad).toEqual({ ok: false, message: 'regions.0.kind: unknown region kind "blob"' });
  });
});
