import { z } from "zod";
import { NextResponse } from "next/server";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { importFiles, importJsonTasks, importUrls, type ImportResult } from "@/lib/server/import";
import { accessProject } from "@/lib/server/access";
import { ApiError, badRequest, tooLarge } from "@/lib/server/errors";
import { config } from "@/lib/config";
import { parseOr422 } from "@/lib/validation";

const urlsBody = z.object({ urls: z.array(z.string().max(4096)).min(1, "give at least one URL").max(1000) });

/** When nothing was imported, the first failure's status is the answer (a clear 4xx). */
function respond(r: ImportResult): Response {
  if (r.created === 0 && r.failed.length > 0) {
    const f = r.failed[0]!;
    const status = f.code === "too_large" ? 413 : f.code === "unsupported_media_type" ? 415 : 422;
    const where = [f.file, f.line ? `line ${f.line}` : ""].filter(Boolean).join(", ");
    return NextResponse.json(
      { error: { code: f.code ?? "import_failed", message: where ? `${where}: ${f.message}` : f.message, field: "files" }, created: 0, failed: r.failed },
      { status },
    );
  }
  return NextResponse.json({ created: r.created, failed: r.failed, taskIds: r.taskIds, ...(r.annotations ? { annotations: r.annotations } : {}) }, { status: 201 });
}

export const POST = api<{ id: string }>(async ({ req, params, actor }) => {
  const projectId = idOf(params.id, "Project");
  accessProject(actor, projectId, "tasks.import");
  const type = (req.headers.get("content-type") || "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const len = Number(req.headers.get("content-length") || 0);
    if (len > config.maxUploadBytes + 1024 * 1024) throw tooLarge(`Upload is larger than ${config.maxUploadBytes} bytes.`, "files");
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw badRequest("Malformed multipart body.", "files", "invalid_multipart");
    }
    const files = form.getAll("files").filter((f): f is File => typeof f !== "string");
    if (!files.length) throw badRequest('Send one or more files in the "files" field.', "files", "missing_files");
    return respond(await importFiles(actor, projectId, files.map((f) => ({ name: f.name, stream: f.stream() }))));
  }
  if (type.startsWith("application/json")) {
    const body = await jsonBody(req, z.unknown(), config.maxTaskListBytes);
    if (body && typeof body === "object" && !Array.isArray(body) && "urls" in body) {
      const { urls } = parseOr422(urlsBody, body);
      return respond(await importUrls(actor, projectId, urls));
    }
    return respond(await importJsonTasks(actor, projectId, body));
  }
  throw new ApiError(415, "unsupported_media_type", "Send multipart/form-data (files) or application/json (tasks or urls).");
});
