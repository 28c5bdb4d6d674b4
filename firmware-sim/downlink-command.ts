/**
 * Downlink commands of protocol v1 as the tag understands them, and their parser. The tag checks
 * every field itself: the broker only guarantees who sent a command, not that it is well formed,
 * and a tag must not crash or change its interval to nonsense on a bad one.
 */
export type DownlinkCommand =
  | { id: string; cmd: 'set_interval'; intervalS: number; until: number | null }
  | { id: string; cmd: 'message'; text: string; priority: 'normal' | 'urgent' }
  | { id: string; cmd: 'locate_now' };

export type ParsedCommand = { ok: true; command: DownlinkCommand } | { ok: false; reason: string };

const bad = (reason: string): ParsedCommand => ({ ok: false, reason });

export function parseCommand(payload: Uint8Array | string): ParsedCommand {
  let data: unknown;
  try {
    data = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
  } catch {
    return bad('not JSON');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return bad('not an object');
  const c = data as Record<string, unknown>;
  if (c.v !== 1) return bad(`unsupported version ${String(c.v)}`);
  // The id comes back in message_read's `command` field, which the platform limits to 64 chars.
  if (typeof c.id !== 'string' || c.id.length < 1 || c.id.length > 64) return bad('id must be a string of 1-64 characters');
  const id = c.id;
  switch (c.cmd) {
    case 'set_interval': {
      const s = c.interval_s;
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 5 || s > 3600) return bad('interval_s must be an integer 5-3600');
      if (c.until !== undefined && (typeof c.until !== 'number' || !Number.isInteger(c.until) || c.until < 0)) return bad('until must be epoch ms');
      return { ok: true, command: { id, cmd: 'set_interval', intervalS: s, until: (c.until as number | undefined) ?? null } };
    }
    case 'message': {
      if (typeof c.text !== 'string' || c.text.length > 160) return bad('text must be a string of at most 160 characters');
      const priority = c.priority ?? 'normal';
      if (priority !== 'normal' && priority !== 'urgent') return bad('priority must be normal or urgent');
      return { ok: true, command: { id, cmd: 'message', text: c.text, priority } };
    }
    case 'locate_now':
      return { ok: true, command: { id, cmd: 'locate_now' } };
    default:
      return bad(`unknown command ${JSON.stringify(c.cmd)}`);
  }
}
