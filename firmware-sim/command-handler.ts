import { parseCommand, type DownlinkCommand } from './downlink-command.ts';
import { RecentIds } from './recent-ids.ts';

/** A message shown on the tag's display, and when the wearer confirmed it. */
export interface ReceivedMessage {
  id: string;
  text: string;
  priority: 'normal' | 'urgent';
  receivedAt: number;
  /** When the wearer presses the button; the tag then sends `message_read`. */
  readAt: number;
}

export type CommandOutcome =
  | { kind: 'execute'; command: DownlinkCommand; message?: ReceivedMessage }
  | { kind: 'duplicate'; id: string }
  | { kind: 'invalid'; reason: string };

/**
 * Decides what a delivered command means for the tag: execute it (once per id, over the last
 * 100 ids), skip a redelivery, or ignore a malformed one. For a message it also decides when the
 * wearer will confirm it: urgent ones vibrate and are read within a minute, normal ones within a
 * quarter of an hour. Holds no I/O; the tag applies the outcome.
 */
export class CommandHandler {
  private readonly seen = new RecentIds(100);
  readonly messages: ReceivedMessage[] = [];
  executed = 0;
  duplicates = 0;
  invalid = 0;

  constructor(private readonly rand: () => number) {}

  handle(payload: Uint8Array | string, t: number): CommandOutcome {
    const parsed = parseCommand(payload);
    if (!parsed.ok) {
      this.invalid++;
      return { kind: 'invalid', reason: parsed.reason };
    }
    const command = parsed.command;
    if (!this.seen.add(command.id)) {
      this.duplicates++;
      return { kind: 'duplicate', id: command.id };
    }
    this.executed++;
    if (command.cmd !== 'message') return { kind: 'execute', command };
    const delayMs = command.priority === 'urgent' ? 5_000 + this.rand() * 55_000 : 30_000 + this.rand() * 870_000;
    const message: ReceivedMessage = { id: command.id, text: command.text, priority: command.priority, receivedAt: t, readAt: Math.round(t + delayMs) };
    // A tag's display keeps the last few messages; older ones are gone from memory.
    this.messages.push(message);
    if (this.messages.length > 20) this.messages.shift();
    return { kind: 'execute', command, message };
  }
}
