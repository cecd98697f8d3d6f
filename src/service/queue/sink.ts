// The NDJSON results sink. BullMQ delivers at least once: a worker killed after writing a line
// but before BullMQ recorded the job as done runs that job again. The sink makes the second
// write a no-op: each line names its job, and before appending, the sink reads whatever other
// processes appended since it last looked, so a job id already in the file is never written twice.
// Two deliveries of one job at the same instant cannot happen: BullMQ's job lock excludes it.
import { open, type FileHandle } from 'node:fs/promises';

export interface SinkLine {
  /** The BullMQ job id: the key that makes appends idempotent. */
  job: string;
}

export class ResultSink {
  private readonly seen = new Set<string>();
  /** How far into the file this process has read. */
  private offset = 0;
  /** A line split by a concurrent append, completed on the next read. */
  private partial = Buffer.alloc(0);
  /** Appends run one at a time within this process. */
  private last: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<ResultSink> {
    const handle = await open(path, 'a+');
    const sink = new ResultSink(path, handle);
    await sink.catchUp();
    // A process killed in the middle of a write can leave a torn last line; end it, so the next
    // line starts clean (the torn one parses as nothing and its job is written again).
    if (sink.partial.length > 0) {
      await handle.appendFile('\n');
      sink.offset += 1;
      sink.partial = Buffer.alloc(0);
    }
    return sink;
  }

  /** Appends the line unless its job is already in the file; true when it wrote. */
  append(line: SinkLine): Promise<boolean> {
    const run = this.last.then(async () => {
      await this.catchUp();
      if (this.seen.has(line.job)) return false;
      // One write of one whole line: O_APPEND keeps concurrent writers' lines apart.
      await this.handle.appendFile(`${JSON.stringify(line)}\n`);
      this.seen.add(line.job);
      return true;
    });
    this.last = run.catch(() => {});
    return run;
  }

  has(job: string): boolean {
    return this.seen.has(job);
  }

  async close(): Promise<void> {
    await this.last;
    await this.handle.close();
  }

  /** Reads lines appended since the last look, by this process or any other. */
  private async catchUp(): Promise<void> {
    const { size } = await this.handle.stat();
    if (size <= this.offset) return;
    const buf = Buffer.alloc(size - this.offset);
    const { bytesRead } = await this.handle.read(buf, 0, buf.length, this.offset);
    this.offset += bytesRead;
    // Split bytes, not text, so a character cut by a concurrent write is not mangled.
    const bytes = Buffer.concat([this.partial, buf.subarray(0, bytesRead)]);
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end >= 0; start = end + 1, end = bytes.indexOf(0x0a, start)) {
      const job = jobOf(bytes.subarray(start, end).toString('utf8'));
      if (job !== null) this.seen.add(job);
    }
    this.partial = Buffer.from(bytes.subarray(start));
  }
}

function jobOf(line: string): string | null {
  try {
    const job = (JSON.parse(line) as Partial<SinkLine>).job;
    return typeof job === 'string' ? job : null;
  } catch {
    return null;
  }
}
