// Relations drawn as labelled arrows between spans that are on screen, painted imperatively into
// one SVG after each layout (no React state: arrows never cost a second render).
import type { Relation } from "@/lib/annotation/editor";

const NS = "http://www.w3.org/2000/svg";

function anchor(group: HTMLElement, id: string): DOMRect | null {
  const el = group.querySelector<HTMLElement>(`[data-starts~="${CSS.escape(id)}"]`);
  return el?.getClientRects()[0] ?? null;
}

export function drawArrows(svg: SVGSVGElement, group: HTMLElement, relations: readonly Relation[], selected: ReadonlySet<string>): number {
  while (svg.lastChild && svg.lastChild.nodeName !== "defs") svg.removeChild(svg.lastChild);
  const g = group.getBoundingClientRect();
  let drawn = 0;
  for (const rel of relations) {
    const a = anchor(group, rel.from);
    const b = anchor(group, rel.to);
    if (!a || !b) continue;
    const x1 = a.left - g.left + Math.min(a.width / 2, 10);
    const y1 = a.top - g.top + 2;
    const x2 = b.left - g.left + Math.min(b.width / 2, 10);
    const y2 = b.top - g.top + 2;
    const lift = 12 + Math.min(36, Math.abs(x2 - x1) / 10 + Math.abs(y2 - y1) / 6);
    const top = Math.min(y1, y2) - lift;
    const hot = selected.has(rel.from) && selected.has(rel.to);
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", `M ${x1} ${y1} C ${x1} ${top}, ${x2} ${top}, ${x2} ${y2 - 3}`);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", hot ? "#4f46e5" : "#64748b");
    path.setAttribute("stroke-width", hot ? "2" : "1.5");
    path.setAttribute("marker-end", hot ? "url(#lp-head-hot)" : "url(#lp-head)");
    path.dataset.testid = "relation-arrow";
    svg.appendChild(path);
    if (rel.label) {
      const mx = (x1 + x2) / 2;
      const my = top + (Math.min(y1, y2) - top) * 0.25;
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", String(mx));
      t.setAttribute("y", String(my));
      t.setAttribute("text-anchor", "middle");
      t.setAttribute("font-size", "10");
      t.setAttribute("font-weight", "600");
      t.setAttribute("fill", hot ? "#4338ca" : "#334155");
      t.setAttribute("paint-order", "stroke");
      t.setAttribute("stroke", "#ffffff");
      t.setAttribute("stroke-width", "4");
      t.textContent = rel.label;
      svg.appendChild(t);
    }
    drawn++;
  }
  return drawn;
}

export const ARROW_DEFS = `<defs>
<marker id="lp-head" viewBox="0 0 8 8" refX="6" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#64748b"/></marker>
<marker id="lp-head-hot" viewBox="0 0 8 8" refX="6" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#4f46e5"/></marker>
</defs>`;
