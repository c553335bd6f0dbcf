// The sha256 of a cached export archive, for the `Repr-Digest` header `loupe pull` verifies.
// Computed once per cached file and kept in a sidecar `<archive>.sha256` (hex); a sidecar older
// than the archive (the cache was rebuilt) is recomputed. Cheap compared with building the zip.
import fs from "node:fs";
import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";

export async function archiveSha256(file: string): Promise<string> {
  const side = `${file}.sha256`;
  try {
    const [a, s] = [fs.statSync(file), fs.statSync(side)];
    const hex = fs.readFileSync(side, "utf8").trim();
    if (s.mtimeMs >= a.mtimeMs && /^[0-9a-f]{64}$/.test(hex)) return hex;
  } catch {
    /* no sidecar yet */
  }
  const h = createHash("sha256");
  await pipeline(fs.createReadStream(file), h);
  const hex = h.digest("hex");
  const tmp = `${side}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, hex + "\n");
  fs.renameSync(tmp, side);
  return hex;
}

/** RFC 9530 `Repr-Digest` value for a hex sha256: `sha-256=:<base64>:`. */
export const reprDigest = (hex: string): string => `sha-256=:${Buffer.from(hex, "hex").toString("base64")}:`;
