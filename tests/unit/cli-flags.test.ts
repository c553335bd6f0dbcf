import { describe, it, expect } from "vitest";
import { parseFlags } from "@/cli/main";

describe("CLI flags", () => {
  it("parses values, booleans and positionals", () => {
    expect(parseFlags(["token", "create", "--email", "a@b.c", "--read-only", "--project=3"])).toEqual({
      _: ["token", "create"], email: "a@b.c", "read-only": true, project: "3",
    });
    expect(parseFlags(["import", "--project", "1", "a.png", "b.csv"])._).toEqual(["import", "a.png", "b.csv"]);
  });
});
