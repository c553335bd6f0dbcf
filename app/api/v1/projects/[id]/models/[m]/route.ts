import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { deleteModel, getModel, updateModel } from "@/lib/server/models";

type P = { id: string; m: string };

export const GET = api<P>(({ params, actor }) => getModel(actor, idOf(params.id, "Project"), idOf(params.m, "Model")));

/** Managers: {name?, descriptor?, labelMap?}; a changed descriptor or label map is a new version. */
export const PATCH = api<P>(async ({ req, params, actor }) =>
  updateModel(actor, idOf(params.id, "Project"), idOf(params.m, "Model"), await jsonBody(req, z.unknown(), 4 * 1024 * 1024)),
);

export const DELETE = api<P>(async ({ params, actor }) => {
  await deleteModel(actor, idOf(params.id, "Project"), idOf(params.m, "Model"));
});
