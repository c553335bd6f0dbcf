// Loupe's copy of the Label Studio bench layout (bench/label-studio/gen_tasks.mjs): the same
// seeded polygons, drawn in the same order from the same PRNG, so both editors get identical
// shapes. gen_tasks.mjs writes percent of the image rounded to 5 decimals; LS turns that into
// pixels as value / 100 * width. We do exactly that, so Loupe's natural-image pixels are the very
// coordinates LS ends up drawing (not the unrounded ones).
import { IMAGE_H, IMAGE_W } from "./image";

const VERTICES = 20;

export interface BenchPolygon {
  id: string;
  kind: "polygon";
  label: "car";
  points: Array<[number, number]>;
}

/** Where each polygon was meant to be (centre, radius in px): used to aim clicks. */
export interface PolygonSpec {
  id: string;
  cx: number;
  cy: number;
  r: number;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function layout(n: number): { regions: BenchPolygon[]; specs: PolygonSpec[] } {
  const W = IMAGE_W;
  const H = IMAGE_H;
  const rnd = mulberry32(42);
  const regions: BenchPolygon[] = [];
  const specs: PolygonSpec[] = [];
  for (let i = 0; i < n; i++) {
    // Same call order as gen_tasks.mjs: radius, cx, cy, rotation.
    const r = 8 + rnd() * 17;
    const cx = r + rnd() * (W - 2 * r);
    const cy = r + rnd() * (H - 2 * r);
    const rot = rnd() * 2 * Math.PI;
    const points: Array<[number, number]> = [];
    for (let k = 0; k < VERTICES; k++) {
      const a = rot + (k * 2 * Math.PI) / VERTICES;
      const px = +(((cx + r * Math.cos(a)) / W) * 100).toFixed(5);
      const py = +(((cy + r * Math.sin(a)) / H) * 100).toFixed(5);
      points.push([(px / 100) * W, (py / 100) * H]);
    }
    regions.push({ id: `p${i}`, kind: "polygon", label: "car", points });
    specs.push({ id: `p${i}`, cx, cy, r });
  }
  return { regions, specs };
}

/** The native annotation document POSTed to /api/v1/tasks/:id/annotations. */
export function benchDocument(n: number): { regions: BenchPolygon[] } {
  return { regions: layout(n).regions };
}
