// A trial's sites packed into one blob (trial_facets.points), the exact radius test on it, and the packing of
// libraries migrated to schema 4 (SQL cannot write float64 pairs). The table itself is schema.ts's.

import os from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { haversineKm, type GeoPoint } from '../core/geo';

/** Site ids are trial id × SITE_SLOTS + the site's place in the record (schema.ts fills old rows alike). */
export const SITE_SLOTS = 8192;
/** Area ids (trial_areas) are trial id × AREA_SLOTS + the 1° cell (fewer than 65,536 on the globe). */
export const AREA_SLOTS = 65536;
/** A site's area id in SQL, exactly as schema 4's migration computes it over trial_sites. */
export const AREA_ID = `trial_id * ${AREA_SLOTS} + (CAST(floor(lat) AS INTEGER) + 90) * 360 + CAST(floor(lon) AS INTEGER) + 180`;

export interface Circle {
  point: GeoPoint;
  km: number;
  box: { minLat: number; maxLat: number; minLon: number; maxLon: number };
}

/** lat, lon of each point as little-endian float64 pairs: the registry's own values, nothing rounded. */
export function packPoints(points: readonly GeoPoint[]): Buffer {
  const blob = Buffer.alloc(points.length * 16);
  points.forEach((p, i) => {
    blob.writeDoubleLE(p.lat, i * 16);
    blob.writeDoubleLE(p.lon, i * 16 + 8);
  });
  return blob;
}

const LITTLE_ENDIAN = os.endianness() === 'LE';

/** Packed points as numbers: a view where the platform's order is the file's, else decoded (big-endian hosts). */
export function unpackPoints(points: Buffer): Float64Array {
  const count = Math.floor(points.length / 8);
  if (!LITTLE_ENDIAN) return Float64Array.from({ length: count }, (_, i) => points.readDoubleLE(i * 8));
  if (points.byteOffset % 8 === 0) return new Float64Array(points.buffer, points.byteOffset, count);
  // A small Buffer may sit unaligned in Node's pool; a typed view needs 8-byte alignment.
  return new Float64Array(points.buffer.slice(points.byteOffset, points.byteOffset + count * 8));
}

/** The distance in km to the nearest of points[from, to) (lat, lon alternating) within the circle, if any. */
export function nearestWithin(
  points: Float64Array,
  circle: Circle,
  from = 0,
  to = points.length,
): number | undefined {
  const { box } = circle;
  let best: number | undefined;
  for (let i = from; i + 1 < to; i += 2) {
    const lat = points[i] as number;
    const lon = points[i + 1] as number;
    // The box is cheap and rejects almost every far site before the trigonometry.
    if (lat < box.minLat || lat > box.maxLat || lon < box.minLon || lon > box.maxLon) continue;
    const d = haversineKm(circle.point, { lat, lon });
    if (d <= circle.km && (best === undefined || d < best)) best = d;
  }
  return best;
}

/**
 * Packs the points of rows the schema-4 migration copied without them, from trial_sites (in the order the
 * record lists its sites, as an upsert packs them). Runs on open; a no-op once done (the partial index is empty).
 */
export function packUnpacked(db: BetterSqlite3.Database): number {
  const unpacked = db.prepare<[], number>('SELECT id FROM trial_facets WHERE points IS NULL').pluck();
  const sitesOf = db.prepare<[number], { lat: number; lon: number }>(
    'SELECT lat, lon FROM trial_sites WHERE trial_id = ? ORDER BY id',
  );
  const store = db.prepare<[Buffer, number]>('UPDATE trial_facets SET points = ? WHERE id = ?');
  // Read first: a write transaction on every open would wait behind another process's import.
  if (unpacked.get() === undefined) return 0;
  return db
    .transaction(() => {
      const ids = unpacked.all();
      for (const id of ids) store.run(packPoints(sitesOf.all(id)), id);
      return ids.length;
    })
    .immediate();
}
