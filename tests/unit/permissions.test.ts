import { describe, it, expect } from "vitest";
import { can, type Action } from "@/lib/auth/permissions";

const manage: Action[] = ["project.update", "project.delete", "members.manage", "tasks.import", "tasks.assign", "versions.create", "webhooks.manage"];

describe("can()", () => {
  it("lets managers do everything in their project", () => {
    for (const a of manage) expect(can({ isAdmin: false, role: "manager" }, a)).toBe(true);
  });
  it("lets reviewers read everything and fix annotations, nothing more", () => {
    const p = { isAdmin: false, role: "reviewer" as const };
    expect(can(p, "tasks.readAll")).toBe(true);
    expect(can(p, "annotations.review")).toBe(true);
    for (const a of manage) expect(can(p, a)).toBe(false);
  });
  it("lets annotators label only", () => {
    const p = { isAdmin: false, role: "annotator" as const };
    expect(can(p, "tasks.label")).toBe(true);
    expect(can(p, "tasks.readAll")).toBe(false);
    expect(can(p, "annotations.readAll")).toBe(false);
    for (const a of manage) expect(can(p, a)).toBe(false);
  });
  it("gives non-members nothing and admins everything", () => {
    expect(can({ isAdmin: false, role: null }, "project.read")).toBe(false);
    expect(can({ isAdmin: true, role: null }, "project.delete")).toBe(true);
  });
});
