// The browser side of the REST API: JSON in, {ok, data} or {ok:false, error} out, so forms can
// show the server's message next to the field it names instead of throwing.

export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
}

/** On failure `body` is the whole parsed response, for endpoints that add detail beside `error`. */
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiErrorBody; body: unknown };

export async function apiFetch<T = unknown>(
  url: string,
  opts: { method?: string; body?: unknown } = {},
): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? "GET",
      headers: opts.body === undefined ? undefined : { "content-type": "application/json" },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, body: null, error: { code: "network", message: "Could not reach the server. Check your connection and try again." } };
  }
  return parseResponse<T>(res.status, await res.text());
}

/** Shared with the XHR uploader, which gets a status and a body string too. */
export function parseResponse<T>(status: number, text: string): ApiResult<T> {
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (status >= 200 && status < 300) return { ok: true, status, data: body as T };
  const err = (body as { error?: Partial<ApiErrorBody> } | null)?.error;
  return {
    ok: false,
    status,
    body,
    error: {
      code: err?.code ?? "http_" + status,
      message: err?.message ?? (status === 0 ? "Could not reach the server." : `Request failed (HTTP ${status}).`),
      field: err?.field,
    },
  };
}

/** The message without the "field.path: " the server puts in front (the field is shown by position). */
export function bareMessage(error: ApiErrorBody): string {
  return error.field && error.message.startsWith(error.field + ": ") ? error.message.slice(error.field.length + 2) : error.message;
}

/** "schema.labels.1.hotkey" as people read it: "Label 2 › hotkey". */
export function describeField(field: string): string {
  const parts = field.split(".").filter((p, i) => !(i === 0 && p === "schema"));
  const names: Record<string, string> = { labels: "Label", classifications: "Classification", attributes: "attribute", tools: "Tool", choices: "choice", options: "option", kinds: "kind" };
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const next = parts[i + 1];
    if (names[p] && next !== undefined && /^\d+$/.test(next)) {
      out.push(`${names[p]} ${Number(next) + 1}`);
      i++;
    } else out.push(p);
  }
  return out.join(" › ");
}

/** For a banner above a form: which field, then what is wrong with it. */
export function summary(error: ApiErrorBody): string {
  return error.field ? `${describeField(error.field)}: ${bareMessage(error)}` : error.message;
}

/** The message for one form field: an exact match, or a more specific path below it. */
export function errorFor(error: ApiErrorBody | null | undefined, field: string): string | undefined {
  if (!error?.field) return undefined;
  return error.field === field || error.field.startsWith(field + ".") ? bareMessage(error) : undefined;
}
