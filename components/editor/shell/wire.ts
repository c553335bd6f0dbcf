// Annotation documents cross from the task page (a server component) to the editor (a client
// component) as one JSON string instead of as props. React's flight serialiser walks every value
// of a props tree; a 5,000-polygon document is ~100,000 small arrays and took the server most of
// a second to serialise (and the browser as long to revive). One string is copied, then parsed
// once in the browser with JSON.parse. No "use client": the page calls toWire on the server.
import type { ServerAnnotation, ServerDraft } from "../persistence/types";
import type { EditorPageProps } from "./editor-frame";

export interface WireDocuments {
  annotations: ServerAnnotation[];
  serverDraft: ServerDraft | null;
}

export function toWire(docs: WireDocuments): string {
  return JSON.stringify(docs);
}

export function fromWire(payload: string): WireDocuments {
  const v = JSON.parse(payload) as Partial<WireDocuments>;
  return { annotations: Array.isArray(v.annotations) ? v.annotations : [], serverDraft: v.serverDraft ?? null };
}

/** What the task page sends an editor: its page props with the documents as one string. */
export type Wired<P extends EditorPageProps> = Omit<P, "annotations" | "serverDraft"> & { documents: string };
export type EditorWireProps = Wired<EditorPageProps>;
