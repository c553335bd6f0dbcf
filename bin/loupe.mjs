#!/usr/bin/env node
// `npx loupe …`: runs the TypeScript CLI through tsx, from any working directory.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.LOUPE_MIGRATIONS_DIR ??= path.join(root, "drizzle");
process.env.LOUPE_DEMO_DIR ??= path.join(root, "demo");
register();
const { main } = await import(pathToFileURL(path.join(root, "cli", "main.ts")).href);
process.exitCode = await main(process.argv.slice(2));
