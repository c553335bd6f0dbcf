// Delivery status pills shared by the webhook list and the delivery log.
import { Pill } from "../ui/badges";

export type DeliveryStatus = "pending" | "succeeded" | "failed";

export function DeliveryStatusBadge({ status, attempts }: { status: DeliveryStatus | string; attempts: number }) {
  if (status === "succeeded") return <Pill tone="emerald">Delivered</Pill>;
  if (status === "failed") return <Pill tone="rose">Failed</Pill>;
  return <Pill tone="amber">{attempts > 0 ? "Retrying" : "Pending"}</Pill>;
}

export const EVENT_HELP: Array<{ event: string; title: string; help: string }> = [
  { event: "annotation.submitted", title: "Annotation submitted", help: "An annotator submits a task (data: taskId, annotationId, revision, userId)." },
  { event: "task.reviewed", title: "Task reviewed", help: "A reviewer or manager saves a revision of someone else's annotation." },
  { event: "version.created", title: "Dataset version created", help: "A new dataset version is ready (data: version number, name, sha256, counts)." },
];
