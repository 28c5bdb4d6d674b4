import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface SignInLimits {
  /** Failed sign-ins per account (the username tried, known or not) within the window before it locks. */
  perAccount: number;
  /** Failed sign-ins per client address within the window before it locks: a spray over many accounts. */
  perIp: number;
  /** Failed sign-ins across all accounts and addresses per minute before sign-in pauses for everyone. */
  globalPerMinute: number;
  windowMinutes: number;
  /** The first lock-out; each further one of the same account or address within a day doubles it (up to a day). */
  lockoutMinutes: number;
}

export type SignInScope = 'account' | 'ip' | 'global';
export interface SignInLock {
  scope: SignInScope;
  retryAfterS: number;
}
/** A lock-out this failure caused (to be audited), or null. */
export interface NewLockout extends SignInLock {
  key: string;
  /** How many lock-outs of this key in the last day, this one included (the backoff's exponent). */
  count: number;
}

const DAY_S = 86_400;

/**
 * Sign-in limiting shared by every dashboard process, on Redis (rate-limiter-flexible), so that
 * neither a second process nor a restart resets an attacker's count. Counted: failures only, per
 * account, per address and globally. Unknown usernames count exactly like known ones, so the limit
 * cannot tell an attacker which accounts exist. A success clears its account's count (not its
 * address's: a sprayer who guesses one password keeps their record).
 */
export class SignInLimiter {
  private readonly failures: Record<SignInScope, RateLimiterRedis>;
  private readonly lockouts: RateLimiterRedis;

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly limits: SignInLimits) {
    const window = limits.windowMinutes * 60;
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:signin:${name}`, points, duration });
    this.failures = {
      account: limiter('fail:account', limits.perAccount, window),
      ip: limiter('fail:ip', limits.perIp, window),
      global: limiter('fail:global', limits.globalPerMinute, 60),
    };
    this.lockouts = limiter('lockouts', 10_000, DAY_S);
  }

  /** The lock in force for this attempt, if any; checked before the password is. */
  async lockFor(ip: string, account: string): Promise<SignInLock | null> {
    const keys: [SignInScope, string][] = [['global', 'all'], ['ip', ip], ['account', account.toLowerCase()]];
    for (const [scope, key] of keys) {
      const ttl = await this.redis.pttl(this.lockKey(scope, key));
      if (ttl > 0) return { scope, retryAfterS: Math.ceil(ttl / 1000) };
    }
    return null;
  }

  /** Counts a failure; returns the lock-outs it caused (account, address, or the global pause). */
  async failed(ip: string, account: string): Promise<NewLockout[]> {
    const keys: [SignInScope, string][] = [['account', account.toLowerCase()], ['ip', ip], ['global', 'all']];
    const out: NewLockout[] = [];
    for (const [scope, key] of keys) {
      const res = await this.consume(this.failures[scope], key);
      if (res.remainingPoints > 0) continue;
      // The global pause is a flat minute (it hurts everyone); accounts and addresses back off.
      let count = 1;
      let seconds = 60;
      if (scope !== 'global') {
        count = (await this.consume(this.lockouts, `${scope}:${key}`)).consumedPoints;
        seconds = Math.min(DAY_S, this.limits.lockoutMinutes * 60 * 2 ** (count - 1));
      }
      await this.redis.set(this.lockKey(scope, key), '1', 'EX', seconds);
      await this.failures[scope].delete(key);
      out.push({ scope, key, count, retryAfterS: seconds });
    }
    return out;
  }

  async succeeded(account: string): Promise<void> {
    await this.failures.account.delete(account.toLowerCase());
  }

  private lockKey(scope: SignInScope, key: string) {
    return `${this.prefix}:signin:lock:${scope}:${key}`;
  }

  /** Consume one point; the library rejects with the state once it is over the limit, which here is still just the state. */
  private async consume(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes> {
    try {
      return await limiter.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) return e;
      throw e;
    }
  }
}
