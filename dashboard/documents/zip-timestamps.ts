import type { WallClock } from './bishkek-time.ts';

/**
 * Sets the modification time of every entry of a zip file (a .docx is one) to `at`.
 *
 * docx zips its parts with the time of packing, so two renders of the same document would differ
 * in those bytes alone. The time is a field of each local header and of each central-directory
 * header (APPNOTE.TXT 4.3.7, 4.3.12), outside the compressed data and the CRCs, so rewriting it in
 * place leaves a valid archive. Throws on anything it does not recognise rather than guess.
 */
export function pinZipTimestamps(zip: Buffer, at: WallClock): Buffer {
  const out = Buffer.from(zip);
  const { time, date } = dosDateTime(at);
  const eocd = findEndOfCentralDirectory(out);
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error(`zip: no central directory header at ${p}`);
    out.writeUInt16LE(time, p + 12);
    out.writeUInt16LE(date, p + 14);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error(`zip: no local header at ${local}`);
    out.writeUInt16LE(time, local + 10);
    out.writeUInt16LE(date, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 0xffff); p--) {
    if (zip.readUInt32LE(p) === 0x06054b50) return p;
  }
  throw new Error('zip: no end-of-central-directory record');
}

/** MS-DOS date and time (2-second resolution, years 1980-2107), in the wall-clock time given. */
export function dosDateTime(at: WallClock): { time: number; date: number } {
  if (at.year < 1980 || at.year > 2107) throw new RangeError(`zip cannot store the year ${at.year}`);
  return {
    time: (at.hour << 11) | (at.minute << 5) | Math.floor(at.second / 2),
    date: ((at.year - 1980) << 9) | (at.month << 5) | at.day,
  };
}
