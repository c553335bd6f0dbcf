// Small, readable datasets covering the edge cases: rotated boxes, a mask with a hole, a hostile
// file name, a name collision, nested and overlapping spans, emoji and RTL text, CSV-hostile text.
import type { ExportItem } from "@/lib/exporters/types";
import { encodeRle } from "@/lib/annotation/regions/rle";
import { ann, cp, source } from "./support";

export const imageSchema = {
  labels: [
    { name: "car", kinds: ["rect", "polygon"], attributes: [{ name: "occluded", type: "checkbox" }] },
    { name: "person", kinds: ["keypoints", "rect"], skeleton: { points: ["head", "left_hand", "right_hand"], edges: [[0, 1], [0, 2]] } },
    { name: "blob", kinds: ["ellipse", "mask"] },
    { name: "road", kinds: ["polygon"] },
    { name: "lane", kinds: ["polyline"] },
  ],
  classifications: [{ name: "weather", choices: ["sunny", "rainy"] }],
};

/** A 6x5 ring: foreground border of a 4x3 block with one hole pixel in the middle. */
export function ringMask(): number[] {
  const w = 6, h = 5;
  const bits = new Uint8Array(w * h);
  for (let y = 1; y <= 3; y++) for (let x = 1; x <= 4; x++) bits[y * w + x] = 1;
  bits[2 * w + 2] = 0; // the hole
  return encodeRle(bits, w, h);
}

const jpeg = (s: string) => () => new TextEncoder().encode(`FAKE-JPEG ${s}`);

export function imageItems(): ExportItem[] {
  return [
    {
      taskId: 1, split: "train",
      media: { fileName: "street.jpg", url: "https://cdn.example.com/street.jpg", width: 200, height: 100, mime: "image/jpeg", open: jpeg("street") },
      annotations: [
        ann(11, {
          regions: [
            { id: "r1", kind: "rect", label: "car", x: 10, y: 20, width: 40, height: 20, rotation: 0, attributes: { occluded: true } },
            { id: "r2", kind: "rect", label: "car", x: 100, y: 10, width: 40, height: 20, rotation: 30 },
            { id: "r3", kind: "polygon", label: "road", points: [[0, 100], [200, 100], [120, 60], [80, 60]] },
            { id: "r4", kind: "ellipse", label: "blob", cx: 160, cy: 70, rx: 20, ry: 10, rotation: 90 },
            { id: "r5", kind: "keypoints", label: "person", points: [[60, 30, 2], [50, 50, 1], [0, 0, 0]] },
            { id: "r6", kind: "polyline", label: "lane", points: [[0, 90], [200, 90]] },
            { id: "r7", kind: "rect", label: "car", x: 150, y: 50, width: 10, height: 10, origin: "prediction", model: "yolo11n", score: 0.87 },
          ],
          classifications: { weather: ["sunny"] },
          relations: [{ from: "r5", to: "r1", label: "drives" }],
        }),
        // A second annotator's work: only "annotations: all" (and native) export it.
        ann(12, { regions: [{ id: "q1", kind: "rect", label: "car", x: 12, y: 21, width: 38, height: 19 }] }, { userId: 8, annotator: "bo@example.com" }),
      ],
    },
    {
      taskId: 2, split: "val",
      media: { fileName: "../../etc/passwd.png", width: 6, height: 5, mime: "image/png", open: jpeg("ring") },
      annotations: [ann(21, { regions: [{ id: "m1", kind: "mask", label: "blob", width: 6, height: 5, rle: ringMask() }] })],
    },
    {
      // Same name as task 1 (case differs): gets a unique stem. No split: counted as train.
      taskId: 3, split: null,
      media: { fileName: "C:\\photos\\STREET.jpeg", width: 50, height: 40, open: jpeg("street 2") },
      annotations: [ann(31, { regions: [] }, { status: "skipped" })],
    },
  ];
}

export const imageSource = () => source("image", imageSchema, imageItems());

export const textSchema = {
  labels: [{ name: "PER" }, { name: "ORG" }, { name: "LOC" }],
  classifications: [{ name: "sentiment", choices: ["positive", "negative", "neutral"] }],
};

export const T1 = "Angela Merkel visited the University of Oslo today.\nIt was sunny.";
export const T2 = "I ❤️ 🇳🇴 and 👩‍👩‍👧 in Oslo!";
export const T3 = "زار محمد القاهرة أمس.";
export const T4 = "New York City";

export function textItems(): ExportItem[] {
  const span = (id: string, label: string, t: string, sub: string) => ({ id, kind: "span", label, ...cp(t, sub) });
  return [
    {
      taskId: 1, split: "train", media: null, text: T1,
      annotations: [ann(1, {
        regions: [span("s1", "PER", T1, "Angela Merkel"), span("s2", "ORG", T1, "University of Oslo"), span("s3", "LOC", T1, "Oslo")],
        classifications: { sentiment: ["positive"] },
      })],
    },
    { taskId: 2, split: "train", media: null, text: T2, annotations: [ann(2, { regions: [span("s1", "LOC", T2, "Oslo")] })] },
    { taskId: 3, split: "test", media: null, text: T3, annotations: [ann(3, { regions: [span("s1", "PER", T3, "محمد"), span("s2", "LOC", T3, "القاهرة")] })] },
    {
      taskId: 4, split: "test", media: null, text: T4,
      annotations: [ann(4, { regions: [span("a", "LOC", T4, "New York"), span("b", "LOC", T4, "York City")] })],
    },
  ];
}

export const textSource = () => source("text", textSchema, textItems());

export const audioSchema = { labels: [{ name: "speech" }, { name: "music" }] };

export function audioItems(): ExportItem[] {
  return [
    {
      taskId: 1, split: "train",
      media: { fileName: "meeting.wav", url: "https://cdn.example.com/meeting.wav", duration: 15.4, mime: "audio/wav", open: () => new Uint8Array([82, 73, 70, 70]) },
      annotations: [ann(1, {
        regions: [
          { id: "g2", kind: "segment", label: "speech", start: 3.5, end: 6.25, text: 'She said "yes, later"' },
          { id: "g1", kind: "segment", label: "speech", start: 0.5, end: 3.25, text: "Hello, world." },
          { id: "g3", kind: "segment", label: "music", start: 7, end: 9 },
          { id: "g4", kind: "segment", label: "speech", start: 10, end: 12.125, text: "=HYPERLINK(\"x\")" },
        ],
      })],
    },
    {
      taskId: 2, split: "val",
      media: { fileName: "nested/dir/interview.ogg", duration: 4, open: () => new Uint8Array([79, 103, 103, 83]) },
      annotations: [ann(2, { regions: [{ id: "g1", kind: "segment", label: "speech", start: 0, end: 4, text: "Ja, vi snakkes. 😊" }] })],
    },
  ];
}

export const audioSource = () => source("audio", audioSchema, audioItems());
