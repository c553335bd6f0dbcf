import { describe, it, expect } from "vitest";
import { dvcDirMd5 } from "@/cli/pull";

describe("dvcDirMd5", () => {
  it("hashes the listing the way dvc-data does (segment order, sort_keys, ensure_ascii)", () => {
    // Python: l.sort(key=lambda e: tuple(e["relpath"].split("/")));
    //         hashlib.md5(json.dumps(l, sort_keys=True).encode()).hexdigest() + ".dir"
    const files = [{ path: "é.txt", md5: "3" }, { path: "a-b/x", md5: "2" }, { path: "a/x", md5: "1" }];
    expect(dvcDirMd5(files)).toBe("48907f6c67590a55d8070ddd342ee259.dir");
    expect(dvcDirMd5([...files].reverse())).toBe("48907f6c67590a55d8070ddd342ee259.dir");
  });
});
