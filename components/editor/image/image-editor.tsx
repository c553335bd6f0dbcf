"use client";
// The image annotation editor: the shared frame (which annotation, draft recovery, errors)
// around the image workspace (canvas, toolbar, panels). Autosave, submit and conflicts belong to
// the persistence hook; drawing, zoom and tool keys to the canvas.
import { useState } from "react";
import { EditorFrame, usePageProps, type EditorPageProps } from "../shell/editor-frame";
import { preloadImage } from "./engine/load-image";
import type { Wired } from "../shell/wire";
import { Workspace } from "./panels/workspace";

export type { Booted } from "../shell/editor-frame";

export interface ImageEditorProps extends EditorPageProps {
  /** Already passed through safeUrl. */
  src: string;
}

export default function ImageEditor(wired: Wired<ImageEditorProps>) {
  const props = usePageProps(wired);
  // Download and decode the image, and fetch the canvas code, while the frame recovers drafts.
  useState(() => {
    if (typeof window === "undefined") return null;
    preloadImage(props.src);
    void import("./image-canvas");
    return null;
  });
  return (
    <EditorFrame props={props} space={{ dataType: "image", width: props.task.width ?? 0, height: props.task.height ?? 0 }}>
      {({ key, ...args }) => <Workspace key={key} props={props} {...args} />}
    </EditorFrame>
  );
}
