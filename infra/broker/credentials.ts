import { createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * A Mosquitto 2.x password-file line: `user:$7$iterations$salt$hash`, PBKDF2-HMAC-SHA512 as
 * mosquitto_passwd writes it. Generating it here avoids forking mosquitto_passwd per device when
 * a fleet of thousands is provisioned.
 */
export function mosquittoPasswordLine(username: string, password: string, iterations = 101): string {
  return mosquittoHashLine(username, mosquittoPasswordHash(password, iterations));
}

/** The hash part of a password-file line (`$7$...`): what the registry keeps of a device's secret. */
export function mosquittoPasswordHash(password: string, iterations = 101): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function mosquittoHashLine(username: string, hash: string): string {
  if (username.includes(':') || /\s/.test(username)) throw new Error(`broker username "${username}" may not contain ':' or spaces`);
  return `${username}:${hash}`;
}

/** A new device secret: 32 random bytes, shown once at provisioning and never stored. */
export function newDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Development and demo device password, derived from a seed so the simulator and the broker agree
 * without a shared file. Production tags get random secrets at provisioning instead.
 */
export function derivedDevicePassword(seed: string, deviceId: string): string {
  return createHmac('sha256', seed).update(`device:${deviceId}`).digest('base64url').slice(0, 32);
}

export interface ServiceAccount {
  username: string;
  password: string;
}
