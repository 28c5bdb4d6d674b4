import { createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * A Mosquitto 2.x password-file line: `user:$7$iterations$salt$hash`, PBKDF2-HMAC-SHA512 as
 * mosquitto_passwd writes it. Generating it here avoids forking mosquitto_passwd per device when
 * a fleet of thousands is provisioned.
 */
export function mosquittoPasswordLine(username: string, password: string, iterations = 101): string {
  if (username.includes(':') || /\s/.test(username)) throw new Error(`broker username "${username}" may not contain ':' or spaces`);
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `${username}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
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
