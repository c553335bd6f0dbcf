"use client";
// The audio annotation editor: the shared frame (which annotation, draft recovery, errors)
// around the audio workspace (transport, waveform, panels). The editor's extent is the media
// duration in seconds, so segments past the end are refused like the server refuses them.
import { EditorFrame, usePageProps, type EditorPageProps } from "../shell/editor-frame";
import type { Wired } from "../shell/wire";
import { AudioWorkspace } from "./workspace";

export interface AudioEditorProps extends EditorPageProps {
  /** Already passed through safeUrl. */
  src: string;
  /** Seconds, from the server's probe; null when unknown (the browser's is used then). */
  duration: number | null;
}

export default function AudioEditor(wired: Wired<AudioEditorProps>) {
  const props = usePageProps(wired);
  return (
    <EditorFrame props={props} space={{ dataType: "audio", width: props.duration ?? 0, height: 0 }}>
      {({ key, ...args }) => <AudioWorkspace key={key} props={props} {...args} />}
    </EditorFrame>
  );
}
