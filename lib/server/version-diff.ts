// The diff between two dataset versions of a project, computed in SQL over dataset_version_items
// (indexed by (version, annotation) and (version, task)), so 100k-item versions diff without
// loading either into memory. Shape: docs/api.md, "Dataset versions" -> "Diff".
import { getDb } from "../db/client";
import type { DatasetVersion } from "../db/schema";
import { invalid } from "./errors";
import { accessProject } from "./access";
import { resolveVersion } from "./datasets";
import type { Actor } from "../auth/actor";

/** Task ids listed per category. */
export const SAMPLE_LIMIT = 100;

export interface DiffSide {
  number: number;
  name: string;
  createdAt: string;
  sha256: string;
  counts: { tasks: number; annotations: number };
}

export interface VersionDiff {
  /** The older side; null when the version has no parent (everything counts as added). */
  from: DiffSide | null;
  to: DiffSide;
  tasks: { added: number; removed: number; changed: number; unchanged: number };
  annotations: { added: number; removed: number; changed: number };
  labels: Array<{ label: string; before: number; after: number; delta: number }>;
  samples: { added: number[]; removed: number[]; changed: number[] };
}

function side(v: DatasetVersion): DiffSide {
  return { number: v.number, name: v.name, createdAt: new Date(v.createdAt).toISOString(), sha256: v.manifestSha256, counts: { tasks: v.taskCount, annotations: v.annotationCount } };
}

// Tasks of a version; "touched" = tasks with an (annotation, revision) pair on one side only.
// A frozen (annotation, revision) names one immutable document, so comparing pairs is comparing
// document hashes.
const TASKS = (v: "@a" | "@b") => `SELECT DISTINCT task_id FROM dataset_version_items WHERE version_id = ${v}`;
const PAIRS = (v: "@a" | "@b") => `SELECT task_id, annotation_id, revision FROM dataset_version_items WHERE version_id = ${v}`;
const TASK_SETS = {
  added: `${TASKS("@b")} EXCEPT ${TASKS("@a")}`,
  removed: `${TASKS("@a")} EXCEPT ${TASKS("@b")}`,
  changed: `SELECT task_id FROM (${PAIRS("@a")} EXCEPT ${PAIRS("@b")}) UNION SELECT task_id FROM (${PAIRS("@b")} EXCEPT ${PAIRS("@a")})
            INTERSECT ${TASKS("@a")} INTERSECT ${TASKS("@b")}`,
  common: `${TASKS("@a")} INTERSECT ${TASKS("@b")}`,
} as const;

const ANNOTATIONS = `
  SELECT
    (SELECT count(*) FROM dataset_version_items b WHERE b.version_id = @b AND NOT EXISTS
       (SELECT 1 FROM dataset_version_items a WHERE a.version_id = @a AND a.annotation_id = b.annotation_id)) AS added,
    (SELECT count(*) FROM dataset_version_items a WHERE a.version_id = @a AND NOT EXISTS
       (SELECT 1 FROM dataset_version_items b WHERE b.version_id = @b AND b.annotation_id = a.annotation_id)) AS removed,
    (SELECT count(*) FROM dataset_version_items b JOIN dataset_version_items a ON a.version_id = @a AND a.annotation_id = b.annotation_id
       WHERE b.version_id = @b AND a.revision <> b.revision) AS changed`;

/** The diff of version `v` against `against` (a number or "latest"; default: v's parent). */
export function diffVersions(actor: Actor, projectId: number, v: string, against: string | null): VersionDiff {
  accessProject(actor, projectId, "versions.read");
  if (against !== null && !/^([1-9]\d{0,9}|latest)$/.test(against)) {
    throw invalid('against: must be a version number or "latest"', "against");
  }
  const to = resolveVersion(actor, projectId, v);
  let from: DatasetVersion | null = null;
  if (against !== null) from = resolveVersion(actor, projectId, against);
  else if (to.parentId !== null) {
    const parent = getDb().$client.prepare("SELECT number FROM dataset_versions WHERE id = ? AND project_id = ?").get(to.parentId, projectId) as { number: number } | undefined;
    if (parent) from = resolveVersion(actor, projectId, String(parent.number));
  }
  const c = getDb().$client;
  const p = { a: from?.id ?? -1, b: to.id };
  const count = (q: string) => (c.prepare(`SELECT count(*) AS n FROM (${q})`).get(p) as { n: number }).n;
  const sample = (q: string) => (c.prepare(`SELECT task_id FROM (${q}) ORDER BY task_id LIMIT ${SAMPLE_LIMIT}`).all(p) as Array<{ task_id: number }>).map((r) => r.task_id);
  const added = count(TASK_SETS.added), removed = count(TASK_SETS.removed), changed = count(TASK_SETS.changed);
  const ann = c.prepare(ANNOTATIONS).get(p) as { added: number; removed: number; changed: number };
  // Each set expression is a full pass over both versions: list samples only for non-empty sets.
  const sampleIf = (n: number, q: string) => (n > 0 ? sample(q) : []);

  const before = (from?.labelCounts ?? {}) as Record<string, number>;
  const after = to.labelCounts as Record<string, number>;
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return {
    from: from ? side(from) : null,
    to: side(to),
    tasks: { added, removed, changed, unchanged: count(TASK_SETS.common) - changed },
    annotations: { added: ann.added, removed: ann.removed, changed: ann.changed },
    labels: names.map((label) => {
      const b = before[label] ?? 0, a = after[label] ?? 0;
      return { label, before: b, after: a, delta: a - b };
    }),
    samples: { added: sampleIf(added, TASK_SETS.added), removed: sampleIf(removed, TASK_SETS.removed), changed: sampleIf(changed, TASK_SETS.changed) },
  };
}
