import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { createModel, listModels } from "@/lib/server/models";

type P = { id: string };

/** Any project member: the project's models with their latest version. */
export const GET = api<P>(({ params, actor }) => ({ items: listModels(actor, idOf(params.id, "Project")) }));

/** Managers: {name, uploadId, descriptor, labelMap, tokenizerUploadId?, configUploadId?} -> 201 model with version 1. */
export const POST = api<P>(async ({ req, params, actor }) => createModel(actor, idOf(params.id, "Project"), await jsonBody(req, z.unknown(), 4 * 1024 * 1024)));
