// Run by `npm start` before the server: migrate (on open), create the first admin, seed the demo.
import { getDb, closeDb } from "../lib/db/client";
import { ensureAdmin, seedDemo } from "../lib/server/seed";
import { config } from "../lib/config";

getDb();
const admin = await ensureAdmin();
if (admin.created) {
  const line = "─".repeat(60);
  console.log(`\n${line}\n  Loupe admin account created\n  email:    ${admin.email}`);
  if (admin.generatedPassword) console.log(`  password: ${admin.generatedPassword}\n  (shown once; set LOUPE_ADMIN_PASSWORD to choose it)`);
  console.log(`${line}\n`);
}
const demo = await seedDemo(admin.email);
if (demo.length) console.log(`[loupe] demo projects created: ${demo.join(", ")}`);
console.log(`[loupe] data in ${config.dataDir}`);
closeDb();
