import { writeSecretsFile } from '../config/secrets.ts';

// npm run secrets [-- <path> [--force]]: strong random secrets for a production deployment.
const args = process.argv.slice(2);
const path = args.find((a) => !a.startsWith('--')) ?? '.env.production';
try {
  const keys = await writeSecretsFile(path, args.includes('--force'));
  console.log(`wrote ${keys.join(', ')} to ${path} (mode 0600)`);
} catch (e) {
  if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
    console.error(`${path} exists: secrets are not overwritten by accident; pass --force to rotate them (docs/security.md)`);
    process.exit(1);
  }
  throw e;
}
