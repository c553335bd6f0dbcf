import { api, idOf } from "@/lib/http/route";
import { accessProject } from "@/lib/server/access";
import { projectStats } from "@/lib/server/projects";

export const GET = api<{ id: string }>(({ params, actor }) => {
  const { project } = accessProject(actor, idOf(params.id, "Project"), "project.read");
  return projectStats(project.id);
});
