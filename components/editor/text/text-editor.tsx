"use client";
// The text (NER) annotation editor: the shared frame (which annotation, draft recovery, errors)
// around the text workspace. Spans are stored in Unicode code points; the view works in UTF-16.
import { useMemo } from "react";
import { codePointLength } from "@/lib/annotation/text/offsets";
import { EditorFrame, usePageProps, type EditorPageProps } from "../shell/editor-frame";
import type { Wired } from "../shell/wire";
import { Workspace } from "./workspace";

export interface TextEditorProps extends EditorPageProps {
  /** The task's text exactly as stored (line endings untouched). */
  text: string;
}

export default function TextEditor(wired: Wired<TextEditorProps>) {
  const props = usePageProps(wired);
  const textLength = useMemo(() => codePointLength(props.text), [props.text]);
  return (
    <EditorFrame props={props} space={{ dataType: "text", textLength }}>
      {({ key, ...args }) => <Workspace key={key} props={props} {...args} />}
    </EditorFrame>
  );
}
