import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { createVersion, getModel } from "@/lib/server/models";

type P = { id: string; m: string };

export const GET = api<P>(({ params, actor }) => ({ items: getModel(actor, idOf(params.id, "Project"), idOf(params.m, "Model")).versions }));

/** Managers: {uploadId?, descriptor?, labelMap?, tokenizerUploadId?, configUploadId?} -> 201 model with version n+1. */
export const POST = api<P>(async ({ req, params, actor }) =>
  createVersion(actor, idOf(params.id, "Project"), idOf(params.m, "Model"), await jsonBody(req, z.unknown(), 4 * 1024 * 1024)),
);
