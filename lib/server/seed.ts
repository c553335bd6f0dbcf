// First start: an admin account (printed once) and four demo projects filled from demo/.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { countUsers, createUser, firstAdmin, getUserByEmail } from "./users";
import { createProject } from "./projects";
import { importFiles } from "./import";
import { audit } from "./audit";
import type { Actor } from "../auth/actor";
import type { DataType } from "../labeling-config/schema";
import { putDictionary } from "./dictionaries";

export interface AdminResult {
  email: string;
  /** Only when generated now: the one time it is ever shown. */
  generatedPassword?: string;
  created: boolean;
}

export async function ensureAdmin(): Promise<AdminResult> {
  const email = (process.env.LOUPE_ADMIN_EMAIL || "admin@loupe.local").trim().toLowerCase();
  const fromEnv = process.env.LOUPE_ADMIN_PASSWORD;
  if (getUserByEmail(email)) return { email, created: false };
  if (!fromEnv && countUsers() > 0) return { email, created: false };
  const password = fromEnv || crypto.randomBytes(12).toString("base64url");
  await createUser({ email, password, name: "Admin", isAdmin: true });
  return { email, created: true, generatedPassword: fromEnv ? undefined : password };
}

interface DemoSpec {
  name: string;
  dataType: DataType;
  description: string;
  instructions: string;
  schema: unknown;
  /** Text projects: a pre-labelling dictionary (term<TAB>label lines). */
  dictionary?: string;
  files: string[];
}

const DEMOS: DemoSpec[] = [
  {
    name: "Demo: objects in photos",
    dataType: "image",
    description: "Eight photos from scikit-image and OpenCV samples: box, outline and point the objects.",
    instructions: "Draw a box or polygon around every person, animal, vehicle and food item. Mark text blocks on the scanned page.",
    schema: {
      labels: [
        { name: "person", color: "#e6194b", hotkey: "1", attributes: [{ name: "occluded", type: "checkbox" }] },
        { name: "animal", color: "#3cb44b", hotkey: "2" },
        { name: "vehicle", color: "#4363d8", hotkey: "3", attributes: [{ name: "type", type: "select", options: ["car", "motorbike", "rocket", "other"] }] },
        { name: "food", color: "#f58231", hotkey: "4" },
        { name: "text", color: "#911eb4", hotkey: "5", kinds: ["rect", "polygon"] },
      ],
      classifications: [{ name: "scene", choices: ["indoor", "outdoor"], multiple: false }],
    },
    files: ["images/astronaut.png", "images/baboon.jpg", "images/chelsea.png", "images/coffee.png", "images/fruits.jpg", "images/motorcycle_left.png", "images/page.png", "images/rocket.jpg"],
  },
  {
    name: "Demo: named entities in news",
    dataType: "text",
    description: "Twelve news-style sentences: mark people, organisations and places.",
    instructions: "Select each name and press its label's key. Tag the sentence's topic.",
    schema: {
      labels: [
        { name: "PER", color: "#e6194b", hotkey: "1" },
        { name: "ORG", color: "#4363d8", hotkey: "2" },
        { name: "LOC", color: "#3cb44b", hotkey: "3" },
        { name: "MISC", color: "#f58231", hotkey: "4" },
      ],
      classifications: [
        { name: "topic", choices: ["politics", "business", "science", "sport", "other"], multiple: true },
        { name: "tone", choices: ["positive", "neutral", "negative"], multiple: false },
      ],
      textFields: [{ name: "notes", placeholder: "Anything a reviewer should know" }],
    },
    dictionary: "# term<TAB>label: the editor's Pre-label (P) turns matches into predictions\nParis\tLOC\nZurich\tLOC\nNairobi\tLOC\nGoogle\tORG\nApple\tORG\nEuropean Union\tORG\n/Dr\\. [A-Z][a-z]+( [A-Z][a-z]+)*/\tPER",
    files: ["text/news.jsonl"],
  },
  {
    name: "Demo: meeting audio",
    dataType: "audio",
    description: "Two short recordings with three spoken sentences each.",
    instructions: "Mark each utterance as a segment and type what is said.",
    schema: {
      labels: [
        { name: "speech", color: "#4363d8", hotkey: "1" },
        { name: "noise", color: "#9a6324", hotkey: "2" },
      ],
      classifications: [{ name: "quality", choices: ["clear", "noisy"], multiple: false }],
    },
    files: ["audio/meeting.wav", "audio/support-call.wav"],
  },
  {
    name: "Demo: pedestrian tracking",
    dataType: "video",
    description: "Twelve seconds of people walking (768x576, 10 fps).",
    instructions: "Track every pedestrian with a box from when they appear until they leave.",
    schema: {
      labels: [
        { name: "pedestrian", color: "#e6194b", hotkey: "1", attributes: [{ name: "carrying bag", type: "checkbox" }] },
        { name: "cyclist", color: "#3cb44b", hotkey: "2" },
      ],
      tools: ["track", "rect"],
    },
    files: ["video/pedestrians.webm"],
  },
];

export function demoDir(): string {
  return process.env.LOUPE_DEMO_DIR || path.join(/*turbopackIgnore: true*/ process.cwd(), "demo");
}

/** Seeds the demo once (remembered in the audit log); returns the projects created. */
export async function seedDemo(adminEmail: string): Promise<number[]> {
  if (process.env.LOUPE_DEMO === "0") return [];
  const db = getDb();
  if (db.get(sql`SELECT 1 FROM audit_log WHERE action = 'demo.seed'`)) return [];
  const user = getUserByEmail(adminEmail) ?? firstAdmin();
  if (!user) return [];
  const actor: Actor = { user, via: "session", tokenProjectId: null, readOnly: false };
  const ids: number[] = [];
  for (const d of DEMOS) {
    const p = createProject(actor, { name: d.name, dataType: d.dataType, description: d.description, instructions: d.instructions, schema: d.schema });
    const files = d.files
      .map((f) => path.join(demoDir(), f))
      .filter((f) => fs.existsSync(f))
      .map((f) => ({ name: path.basename(f), path: f }));
    await importFiles(actor, p.id, files);
    if (d.dictionary) putDictionary(actor, p.id, { text: d.dictionary });
    ids.push(p.id);
  }
  audit({ userId: user.id, action: "demo.seed", details: { projects: ids } });
  return ids;
}
