import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { getDictionary, putDictionary } from "@/lib/server/dictionaries";

type P = { id: string };

export const GET = api<P>(({ params, actor }) => getDictionary(actor, idOf(params.id, "Project")));

export const PUT = api<P>(async ({ req, params, actor }) => putDictionary(actor, idOf(params.id, "Project"), await jsonBody(req, z.unknown())));
