// npm run bench — every benchmark, one after the other, printing figures (see the README's performance section).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

for (const script of ["host.ts", "jobs.ts"]) {
  console.log(`\n== bench/${script}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, script)], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
