// Keypoints: the skeleton's edges (from the label schema) as lines, then each labelled point as a
// dot; occluded points (visible = 1) are hollow, absent ones (0) are not drawn.
import type { Region } from "@/lib/annotation/regions";

type Keypoints = Extract<Region, { kind: "keypoints" }>;

export function paintKeypoints(ctx: CanvasRenderingContext2D, r: Keypoints, scale: number, color: string, edges: ReadonlyArray<readonly [number, number]>, emphasis: boolean): void {
  const pts = r.points;
  ctx.strokeStyle = color;
  ctx.lineWidth = (emphasis ? 2.5 : 1.5) / scale;
  ctx.beginPath();
  for (const [a, b] of edges) {
    const p = pts[a];
    const q = pts[b];
    if (!p || !q || p[2] === 0 || q[2] === 0) continue;
    ctx.moveTo(p[0], p[1]);
    ctx.lineTo(q[0], q[1]);
  }
  ctx.stroke();
  const rad = (emphasis ? 5 : 4) / scale;
  ctx.fillStyle = color;
  ctx.beginPath();
  for (const p of pts) {
    if (p[2] !== 2) continue;
    ctx.moveTo(p[0] + rad, p[1]);
    ctx.arc(p[0], p[1], rad, 0, Math.PI * 2);
  }
  ctx.fill();
  ctx.beginPath();
  for (const p of pts) {
    if (p[2] !== 1) continue;
    ctx.moveTo(p[0] + rad, p[1]);
    ctx.arc(p[0], p[1], rad, 0, Math.PI * 2);
  }
  ctx.stroke();
}
