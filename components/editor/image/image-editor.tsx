"use client";
// The image annotation editor: the shared frame (which annotation, draft recovery, errors)
// around the image workspace (canvas, toolbar, panels). Autosave, submit and conflicts belong to
// the persistence hook; drawing, zoom and tool keys to the canvas.
import { useMemo } from "react";
import { EditorFrame, type EditorPageProps } from "../shell/editor-frame";
import { fromWire } from "../shell/wire";
import { Workspace } from "./panels/workspace";

export type { Booted } from "../shell/editor-frame";

export interface ImageEditorProps extends EditorPageProps {
  /** Already passed through safeUrl. */
  src: string;
}

/** What the task page sends: the documents as one JSON string (see shell/wire.ts). */
export type ImageEditorWireProps = Omit<ImageEditorProps, "annotations" | "serverDraft"> & { documents: string };

export default function ImageEditor({ documents, ...rest }: ImageEditorWireProps) {
  const props = useMemo<ImageEditorProps>(() => ({ ...rest, ...fromWire(documents) }), [documents]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <EditorFrame props={props} space={{ dataType: "image", width: props.task.width ?? 0, height: props.task.height ?? 0 }}>
      {({ key, ...args }) => <Workspace key={key} props={props} {...args} />}
    </EditorFrame>
  );
}
