// A trial's sites packed into one blob (trial_facets.points), the exact radius test on it, and the packing of
// libraries migrated to schema 4 (SQL cannot write float64 pairs). The table itself is schema.ts's.

import type BetterSqlite3 from 'better-sqlite3';
import { haversineKm, type GeoPoint } from '../core/geo';

/** Site ids are trial id × SITE_SLOTS + the site's place in the record (schema.ts fills old rows alike). */
export const SITE_SLOTS = 8192;

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

/** The distance in km to the nearest point within the circle, or undefined when none is. */
export function nearestWithin(points: Buffer | null, circle: Circle): number | undefined {
  if (points === null) return undefined;
  const { box } = circle;
  let best: number | undefined;
  for (let offset = 0; offset + 16 <= points.length; offset += 16) {
    const lat = points.readDoubleLE(offset);
    const lon = points.readDoubleLE(offset + 8);
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
  return db
    .transaction(() => {
      const ids = unpacked.all();
      for (const id of ids) store.run(packPoints(sitesOf.all(id)), id);
      return ids.length;
    })
    .immediate();
}
