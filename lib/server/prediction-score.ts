// tasks.prediction_score, the key of the "least confident first" queue order (ADR 0017). Pure.

/** A prediction's confidence: its lowest region score, else its own score, else null. */
export function predictionConfidence(p: { score: number | null; document: unknown }): number | null {
  const regions = (p.document as { regions?: unknown } | null)?.regions;
  let min: number | null = null;
  if (Array.isArray(regions)) {
    for (const r of regions) {
      const s = (r as { score?: unknown } | null)?.score;
      if (typeof s === "number" && Number.isFinite(s) && (min === null || s < min)) min = s;
    }
  }
  return min ?? (typeof p.score === "number" && Number.isFinite(p.score) ? p.score : null);
}

/**
 * tasks.prediction_score (ADR 0017): the lowest confidence among the latest prediction of each
 * model on the task (an older run of the same model is superseded); null when none is scored.
 */
export function taskPredictionScore(rows: readonly { id: number; model: string; score: number | null; document: unknown }[]): number | null {
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const cur = latest.get(r.model);
    if (!cur || r.id > cur.id) latest.set(r.model, r);
  }
  let min: number | null = null;
  for (const r of latest.values()) {
    const c = predictionConfidence(r);
    if (c !== null && (min === null || c < min)) min = c;
  }
  return min;
}
