import { api } from "@/lib/http/route";
import { toPublic } from "@/lib/server/users";

export const GET = api(({ actor }) => ({ ...toPublic(actor.user), via: actor.via }));
