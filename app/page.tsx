import { redirect } from "next/navigation";
import { sessionActor } from "@/lib/auth/actor";

export const dynamic = "force-dynamic";

export default async function Home() {
  redirect((await sessionActor()) ? "/projects" : "/login");
}
