import { createWriteStream } from 'node:fs';
import WebSocket from 'ws';

/**
 * The V8 inspector of a service started with `--inspect=127.0.0.1:0`, for benchmarks that measure
 * memory: heap figures after a full garbage collection (the heap-used metric alone counts garbage
 * that a later collection would free, so it says more about timing than about what is kept), and
 * heap snapshots to see what holds it. The service needs no code of its own for this.
 */
export class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private chunkSink: ((chunk: string) => void) | null = null;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: { chunk: string } };
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') this.chunkSink?.(msg.params!.chunk);
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    });
  }

  /** Connects to the inspector whose "Debugger listening on ws://…" line is in `output`. */
  static async fromOutput(output: string): Promise<Inspector> {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
    if (!url) throw new Error('no inspector URL in the output (start the process with --inspect=127.0.0.1:0)');
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Inspector(ws);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Heap in use after a full collection, bytes. */
  async heapUsedAfterGc(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    await this.send('HeapProfiler.collectGarbage');
    const r = await this.send<{ result: { value: number } }>('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true });
    return r.result.value;
  }

  /** Writes a heap snapshot (Chrome DevTools format) to `file`. */
  async writeHeapSnapshot(file: string): Promise<void> {
    const out = createWriteStream(file);
    this.chunkSink = (c) => out.write(c);
    await this.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    this.chunkSink = null;
    await new Promise<void>((resolve) => out.end(resolve));
  }

  close(): void {
    this.ws.close();
  }
}
