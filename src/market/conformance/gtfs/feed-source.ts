/**
 * Where the files of a GTFS feed come from: a ZIP archive in memory (unzipped with fflate, one entry at a time,
 * after checking entry count, declared sizes and path names) or a folder of files on disk (streamed). Both give
 * the validator the same view: the file names at the feed's root and, per file, its bytes in chunks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';

export interface GtfsLimits {
  /** Most entries in a ZIP archive (files and folders). */
  maxEntries: number;
  /** Most bytes of all files together, uncompressed (ZIP: as declared in the archive; folder: on disk). */
  maxUncompressedBytes: number;
  /** Largest ZIP fetched from a URL. */
  maxFetchBytes: number;
  /** Whole fetch, ms. */
  fetchTimeoutMs: number;
  /** Findings listed per rule; the rest are counted in one summary finding. */
  maxFindingsPerRule: number;
}

export const DEFAULT_GTFS_LIMITS: GtfsLimits = {
  maxEntries: 200,
  maxUncompressedBytes: 512 * 1024 * 1024,
  maxFetchBytes: 100 * 1024 * 1024,
  fetchTimeoutMs: 60_000,
  maxFindingsPerRule: 100,
};

/** A problem with the container itself, found while opening it. */
export interface SourceProblem {
  rule: 'gtfs.zip-path' | 'gtfs.zip-subfolder' | 'gtfs.unknown-file';
  location: string;
  message: string;
}

export interface FeedSource {
  /** Files at the feed's root (after stepping into a single subfolder of a ZIP, see `subfolder`). */
  readonly names: readonly string[];
  readonly problems: readonly SourceProblem[];
  /** Bytes of one file in chunks. */
  chunks(name: string): AsyncIterable<Uint8Array>;
}

/** The container cannot be opened as a feed at all. `notConformant`: broken data; otherwise it was not checked. */
export class SourceError extends Error {
  constructor(
    readonly kind: 'not-zip' | 'limit' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

const CHUNK = 1 << 20;

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, Math.min(bytes.length, i + CHUNK));
}

/** Is a ZIP entry name safe and plain: relative, forward slashes, no `..`, no NUL, no drive letter, ≤ 255 chars. */
export function unsafeEntryName(name: string): string | null {
  if (name.length > 255) return 'Der Pfad ist länger als 255 Zeichen.';
  if (name.includes('\0')) return 'Der Pfad enthält ein NUL-Zeichen.';
  if (name.includes('\\')) return 'Der Pfad enthält einen Backslash.';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'Der Pfad ist absolut.';
  if (name.split('/').some((seg) => seg === '..' || seg === '.')) return 'Der Pfad enthält „..“ oder „.“.';
  return null;
}

export function zipSource(bytes: Uint8Array, limits: GtfsLimits): FeedSource {
  const entries: { name: string; size: number; originalSize: number; compression: number }[] = [];
  try {
    // The filter sees every central-directory entry; returning false decompresses nothing.
    unzipSync(bytes, {
      filter: (info) => {
        entries.push({ ...info });
        if (entries.length > limits.maxEntries) throw new SourceError('limit', 'too many entries');
        return false;
      },
    });
  } catch (err) {
    if (err instanceof SourceError) {
      throw new SourceError(
        'limit',
        `Das ZIP-Archiv hat mehr als ${limits.maxEntries} Einträge; es wurde nicht geprüft.`,
      );
    }
    throw new SourceError('not-zip', `Die Datei ist kein lesbares ZIP-Archiv (${(err as Error).message}).`);
  }
  const problems: SourceProblem[] = [];
  let total = 0;
  const files: typeof entries = [];
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const unsafe = unsafeEntryName(e.name);
    if (unsafe) {
      problems.push({
        rule: 'gtfs.zip-path',
        location: e.name.replace(/\0/g, '\\0').slice(0, 300),
        message: `Der Eintrag des ZIP-Archivs hat einen unzulässigen Pfad und wurde übergangen: ${unsafe}`,
      });
      continue;
    }
    if (e.name.startsWith('__MACOSX/')) continue;
    if (e.compression !== 0 && e.compression !== 8) {
      throw new SourceError(
        'unreadable',
        `Der Eintrag ${e.name} ist mit einem nicht unterstützten Verfahren (${e.compression}) komprimiert.`,
      );
    }
    total += e.originalSize;
    files.push(e);
  }
  if (total > limits.maxUncompressedBytes) {
    throw new SourceError(
      'limit',
      `Das ZIP-Archiv enthält entpackt ${total} Bytes, mehr als die Grenze von ${limits.maxUncompressedBytes} Bytes; es wurde nicht geprüft.`,
    );
  }
  // §File Requirements: "The files must reside at the root level directly, not in a subfolder." A feed zipped
  // with its folder is still checked (from that folder), with an error saying so.
  let prefix = '';
  const rootTxt = files.filter((e) => !e.name.includes('/'));
  if (rootTxt.length === 0) {
    const dirs = new Set(files.map((e) => e.name.slice(0, e.name.indexOf('/') + 1)));
    const [only] = [...dirs];
    if (dirs.size === 1 && only && files.every((e) => !e.name.slice(only.length).includes('/'))) {
      prefix = only;
      problems.push({
        rule: 'gtfs.zip-subfolder',
        location: only,
        message: `Die Dateien liegen im Unterordner „${only}“ statt direkt in der obersten Ebene des ZIP-Archivs.`,
      });
    }
  }
  const byName = new Map<string, string>();
  for (const e of files) {
    if (prefix && !e.name.startsWith(prefix)) continue;
    const rel = e.name.slice(prefix.length);
    if (rel.includes('/')) {
      problems.push({
        rule: 'gtfs.unknown-file',
        location: e.name,
        message: `Die Datei ${e.name} liegt in einem Unterordner und gehört nicht zum Datensatz; sie wurde nicht geprüft.`,
      });
      continue;
    }
    byName.set(rel, e.name);
  }
  return {
    names: [...byName.keys()],
    problems,
    async *chunks(name: string) {
      const entry = byName.get(name);
      if (entry === undefined) return;
      let out: Uint8Array | undefined;
      try {
        // fflate inflates into a buffer of the declared size, so an entry that lies about its size cannot
        // grow beyond what the limit check above allowed.
        out = unzipSync(bytes, { filter: (info) => info.name === entry })[entry];
      } catch (err) {
        throw new SourceError(
          'not-zip',
          `Der Eintrag ${entry} lässt sich nicht entpacken (${(err as Error).message}).`,
        );
      }
      if (out) yield* slices(out);
    },
  };
}

export async function folderSource(dir: string, limits: GtfsLimits): Promise<FeedSource> {
  let dirents: fs.Dirent[];
  try {
    dirents = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new SourceError('unreadable', `Der Ordner ${dir} lässt sich nicht lesen (${(err as Error).message}).`);
  }
  const names: string[] = [];
  let total = 0;
  for (const d of dirents) {
    if (!d.isFile()) continue;
    total += (await fs.promises.stat(path.join(dir, d.name))).size;
    names.push(d.name);
  }
  if (total > limits.maxUncompressedBytes) {
    throw new SourceError(
      'limit',
      `Der Ordner enthält ${total} Bytes, mehr als die Grenze von ${limits.maxUncompressedBytes} Bytes; er wurde nicht geprüft.`,
    );
  }
  return {
    names,
    problems: [],
    async *chunks(name: string) {
      for await (const chunk of fs.createReadStream(path.join(dir, name), { highWaterMark: CHUNK })) {
        yield chunk as Buffer;
      }
    },
  };
}
