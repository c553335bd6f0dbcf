// Formatting that gives the same string on the server and in the browser (fixed locale and
// time zone), so client components never hit hydration mismatches.

const dateFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const dateTimeFmt = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export const formatDate = (ms: number | null | undefined) => (ms ? dateFmt.format(new Date(ms)) : "—");
export const formatDateTime = (ms: number | null | undefined) => (ms ? dateTimeFmt.format(new Date(ms)) + " UTC" : "—");
export const isoTitle = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : undefined);

/** mm:ss, or h:mm:ss past an hour. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export const formatNumber = (n: number) => n.toLocaleString("en-US");

/**
 * Only http(s) and same-origin relative URLs may go into src/href attributes: task data is
 * user-supplied, and javascript:/data: URLs must never reach the DOM.
 */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const v = value.trim();
  if (v.startsWith("/") && !v.startsWith("//") && !v.startsWith("/\\")) return v;
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

/** The first http(s) URL among a task's data values (for tasks imported by URL without media). */
export function firstHttpUrl(data: unknown): { key: string; url: string } | null {
  if (!data || typeof data !== "object") return null;
  for (const [key, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v === "string" && /^https?:\/\//i.test(v.trim())) {
      const url = safeUrl(v);
      if (url) return { key, url };
    }
  }
  return null;
}

/** Where to go after signing in: only our own paths, never another origin. */
export function safeCallback(raw: unknown, fallback = "/projects"): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  return raw;
}
