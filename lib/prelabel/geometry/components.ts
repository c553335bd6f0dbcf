// Connected components of a binary map (8-connectivity), with each component's pixels.

export interface Component {
  label: number;
  /** Pixel indices (y * width + x). */
  pixels: Int32Array;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface Components {
  /** 0 = background, else the component's label (1-based). */
  labels: Int32Array;
  components: Component[];
}

export function connectedComponents(mask: ArrayLike<number>, width: number, height: number): Components {
  const labels = new Int32Array(width * height);
  const components: Component[] = [];
  const stack = new Int32Array(width * height);
  for (let start = 0; start < width * height; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = components.length + 1;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    const pixels: number[] = [];
    let minX = width, minY = height, maxX = -1, maxY = -1;
    while (top > 0) {
      const p = stack[--top]!;
      pixels.push(p);
      const x = p % width;
      const y = (p - x) / width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
          const q = yy * width + xx;
          if (mask[q] && !labels[q]) {
            labels[q] = label;
            stack[top++] = q;
          }
        }
      }
    }
    components.push({ label, pixels: Int32Array.from(pixels), minX, minY, maxX, maxY });
  }
  return { labels, components };
}
