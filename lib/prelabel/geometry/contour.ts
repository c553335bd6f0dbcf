// Outer boundary of one connected component as a polygon through pixel corners (crack following,
// 8-connected, no holes), and Douglas-Peucker simplification of closed polygons.
import type { XY } from "./hull";

const DX = [1, 0, -1, 0]; // E, S, W, N (clockwise on screen, y down)
const DY = [0, 1, 0, -1];

/**
 * Trace the outer boundary of the pixels where inside(x, y) is true that are 8-connected to the
 * pixel (x0, y0), which must be the component's top-most, then left-most pixel. Vertices are
 * pixel corners; only turns are kept. The ring is clockwise on screen and not closed (no repeat).
 */
export function traceOuterBoundary(inside: (x: number, y: number) => boolean, x0: number, y0: number): XY[] {
  const out: XY[] = [];
  let cx = x0, cy = y0, d = 0; // at the top-left corner of the start pixel, heading east
  const maxSteps = 4 * 1e8;
  for (let step = 0; step < maxSteps; step++) {
    // The two pixels ahead of the corner, left and right of the heading (inside stays on the right).
    let ax: number, ay: number, bx: number, by: number; // a = ahead-left, b = ahead-right
    switch (d) {
      case 0: ax = cx; ay = cy - 1; bx = cx; by = cy; break;
      case 1: ax = cx; ay = cy; bx = cx - 1; by = cy; break;
      case 2: ax = cx - 1; ay = cy; bx = cx - 1; by = cy - 1; break;
      default: ax = cx - 1; ay = cy - 1; bx = cx; by = cy - 1; break;
    }
    let nd: number;
    if (inside(ax, ay)) nd = (d + 3) % 4; // turn left
    else if (inside(bx, by)) nd = d; // straight on
    else nd = (d + 1) % 4; // turn right
    if (step > 0 && cx === x0 && cy === y0 && nd === 0) break;
    if (nd !== d || step === 0) out.push([cx, cy]);
    d = nd;
    cx += DX[d]!;
    cy += DY[d]!;
  }
  return out;
}

/** Douglas-Peucker on a closed ring: no vertex moves more than `epsilon` from the result's edges. */
export function simplifyClosed(ring: readonly XY[], epsilon: number): XY[] {
  if (ring.length <= 4 || epsilon <= 0) return [...ring];
  // Split at the vertex farthest from the first one, simplify both open halves.
  const p0 = ring[0]!;
  let far = 0, farD = -1;
  for (let i = 1; i < ring.length; i++) {
    const d = (ring[i]![0] - p0[0]) ** 2 + (ring[i]![1] - p0[1]) ** 2;
    if (d > farD) { farD = d; far = i; }
  }
  const a = simplifyOpen(ring.slice(0, far + 1), epsilon);
  const b = simplifyOpen([...ring.slice(far), p0], epsilon);
  const res = a.slice(0, -1).concat(b.slice(0, -1));
  return res.length >= 3 ? res : [...ring];
}

function simplifyOpen(pts: readonly XY[], eps: number): XY[] {
  const keep = new Uint8Array(pts.length);
  keep[0] = 1;
  keep[pts.length - 1] = 1;
  const stack: [number, number][] = [[0, pts.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop()!;
    const a = pts[i]!, b = pts[j]!;
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    let best = -1, bestD = eps;
    for (let k = i + 1; k < j; k++) {
      const p = pts[k]!;
      const d = len === 0 ? Math.hypot(p[0] - a[0], p[1] - a[1]) : Math.abs(dy * (p[0] - a[0]) - dx * (p[1] - a[1])) / len;
      if (d > bestD) { bestD = d; best = k; }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push([i, best], [best, j]);
    }
  }
  return pts.filter((_, k) => keep[k]);
}
