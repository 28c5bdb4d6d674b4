import { CITIES } from '../../firmware-sim/cities.ts';
import { upsertUser } from '../auth/users.ts';
import { loadConfig } from '../config/config.ts';
import { DEMO_PASSWORD } from '../config/production-checks.ts';
import { createPool } from '../db/sql.ts';

/**
 * Demo accounts for `npm start`: one monitoring-centre operator, one admin, and an officer and a
 * supervisor for each demo city's district office. All share DEMO_PASSWORD (printed by the run
 * script); a real deployment creates its users with its own passwords instead.
 */
const config = loadConfig();
const password = process.env.DEMO_PASSWORD ?? DEMO_PASSWORD;
const pool = createPool(config.DATABASE_URL, 2);
const slug = (name: string) => name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '');
try {
  const users = [
    { username: 'operator', displayName: 'Monitoring centre operator', role: 'operator' as const, districtId: null },
    { username: 'admin', displayName: 'Administrator', role: 'admin' as const, districtId: null },
    ...CITIES.flatMap((c) => [
      { username: `officer.${slug(c.name)}`, displayName: `Probation officer, ${c.name}`, role: 'officer' as const, districtId: c.unitId },
      { username: `supervisor.${slug(c.name)}`, displayName: `Head of office, ${c.name}`, role: 'supervisor' as const, districtId: c.unitId },
    ]),
  ];
  for (const u of users) await upsertUser(pool, { ...u, password, demo: true }, 10);
  console.log(`demo users: ${users.map((u) => u.username).join(', ')} (password: ${password})`);
} finally {
  await pool.end();
}
