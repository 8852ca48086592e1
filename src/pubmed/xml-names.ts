// Element names interned straight from bytes: one small integer and one shared string per distinct name.
// Leaves finding names in the document to xml-scanner.ts.

const INITIAL_SLOTS = 512;

/**
 * A document has a few hundred distinct element names and hundreds of thousands of tags, so a tag's
 * name is hashed while it is read and looked up here: no string is made for a name already seen, and
 * matching an end tag to its start tag is an integer comparison.
 */
export class NameTable {
  private slots = new Int32Array(INITIAL_SLOTS).fill(-1);
  private readonly hashes: number[] = [];
  private readonly bytes: Buffer[] = [];
  private readonly strings: string[] = [];
  private readonly needles: (Buffer | undefined)[] = [];

  /** The id of the name in buf[start, end), whose hash (see nameHash) is `hash`. */
  intern(buf: Buffer, start: number, end: number, hash: number): number {
    const length = end - start;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot] as number;
      if (id === -1) return this.add(buf, start, end, hash, slot);
      if (this.hashes[id] !== hash) continue;
      const known = this.bytes[id] as Buffer;
      if (known.length !== length) continue;
      let i = 0;
      while (i < length && known[i] === buf[start + i]) i++;
      if (i === length) return id;
    }
  }

  name(id: number): string {
    return this.strings[id] as string;
  }

  bytesOf(id: number): Buffer {
    return this.bytes[id] as Buffer;
  }

  /** `</name`: what the end tags of this element start with. */
  endNeedle(id: number): Buffer {
    let needle = this.needles[id];
    if (needle === undefined) {
      needle = Buffer.concat([Buffer.from('</'), this.bytes[id] as Buffer]);
      this.needles[id] = needle;
    }
    return needle;
  }

  private add(buf: Buffer, start: number, end: number, hash: number, slot: number): number {
    const id = this.strings.length;
    this.hashes.push(hash);
    this.bytes.push(Buffer.from(buf.subarray(start, end)));
    this.strings.push(buf.toString('utf8', start, end));
    this.slots[slot] = id;
    // Kept at most half full so probe runs stay short.
    if (this.strings.length * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.hashes.length; id++) {
      let slot = (this.hashes[id] as number) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** One step of the name hash, folded in byte by byte as the scanner reads a name. */
export function nameHash(hash: number, byte: number): number {
  return (Math.imul(hash, 31) + byte) | 0;
}
