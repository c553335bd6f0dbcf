// Inline SVG icons (no icon font or CDN). Decorative: callers put the accessible text beside them.
import type { SVGProps } from "react";

type P = SVGProps<SVGSVGElement>;
const base = (props: P): P => ({
  width: 20,
  height: 20,
  viewBox: "0 0 24 24",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.8,
  strokeLinecap: "round",
  strokeLinejoin: "round",
  "aria-hidden": true,
  ...props,
});

export const ImageIcon = (p: P) => (
  <svg {...base(p)}>
    <rect x="3" y="4" width="18" height="16" rx="2" />
    <circle cx="9" cy="10" r="1.8" />
    <path d="m21 16-5-5-9 9" />
  </svg>
);
export const TextIcon = (p: P) => (
  <svg {...base(p)}>
    <path d="M5 6h14M5 10h14M5 14h10M5 18h7" />
  </svg>
);
export const AudioIcon = (p: P) => (
  <svg {...base(p)}>
    <path d="M4 10v4M8 7v10M12 4v16M16 8v8M20 11v2" />
  </svg>
);
export const VideoIcon = (p: P) => (
  <svg {...base(p)}>
    <rect x="3" y="6" width="13" height="12" rx="2" />
    <path d="m16 10 5-3v10l-5-3" />
  </svg>
);
export const DataIcon = (p: P) => (
  <svg {...base(p)}>
    <path d="M8 4H6a2 2 0 0 0-2 2v4l-1 2 1 2v4a2 2 0 0 0 2 2h2M16 4h2a2 2 0 0 1 2 2v4l1 2-1 2v4a2 2 0 0 1-2 2h-2" />
  </svg>
);
export const UploadIcon = (p: P) => (
  <svg {...base(p)}>
    <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
  </svg>
);
export const PlusIcon = (p: P) => (
  <svg {...base(p)}>
    <path d="M12 5v14M5 12h14" />
  </svg>
);
export const TrashIcon = (p: P) => (
  <svg {...base(p)}>
    <path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
  </svg>
);
export const ArrowLeftIcon = (p: P) => (
  <svg {...base(p)}>
    <path d="M19 12H5m0 0 6-6m-6 6 6 6" />
  </svg>
);
export const FolderIcon = (p: P) => (
  <svg {...base(p)}>
    <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
  </svg>
);
export const KeyIcon = (p: P) => (
  <svg {...base(p)}>
    <circle cx="8" cy="15" r="4" />
    <path d="m11 12 9-9m-3 3 3 3m-6 0 2 2" />
  </svg>
);

/** The Loupe mark: a magnifier over a tag. */
export function LoupeLogo(p: P) {
  return (
    <svg width={26} height={26} viewBox="0 0 32 32" aria-hidden="true" {...p}>
      <circle cx="13" cy="13" r="9" fill="#4f46e5" />
      <circle cx="13" cy="13" r="5.5" fill="#eef2ff" />
      <path d="M19.5 19.5 28 28" stroke="#312e81" strokeWidth="4" strokeLinecap="round" />
      <circle cx="13" cy="13" r="2" fill="#4f46e5" />
    </svg>
  );
}

export function KindIcon({ kind, ...p }: { kind: string | null | undefined } & P) {
  switch (kind) {
    case "image":
      return <ImageIcon {...p} />;
    case "audio":
      return <AudioIcon {...p} />;
    case "video":
      return <VideoIcon {...p} />;
    case "text":
      return <TextIcon {...p} />;
    default:
      return <DataIcon {...p} />;
  }
}
