import { createHash } from 'node:crypto';

/** What identifies one piece of work: the same URI with the same size and modification time is the same job. */
export interface SourceIdentity {
  uri: string;
  size: number | null;
  /** Modification time (ms since the epoch), or a validator such as an ETag for URLs. */
  version: string | null;
}

/**
 * The BullMQ job id: a digest of the identity, so re-adding an unchanged file finds the job
 * already there, and a changed file becomes new work. The letter prefix keeps it from ever
 * being all digits, which BullMQ reserves for its own ids.
 */
export function jobIdFor(source: SourceIdentity): string {
  const digest = createHash('sha256').update(`${source.uri}\0${source.size ?? ''}\0${source.version ?? ''}`).digest('hex');
  return `f${digest.slice(0, 40)}`;
}
